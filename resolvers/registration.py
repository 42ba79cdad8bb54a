"""Self-service (seed 001): visitors create accounts, prove they own an existing account and add
a login to it, and recover forgotten passwords and usernames. Workers approve pending accounts
(`accounts.set_account_active`) and move contacts to accounts created in the ERP."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlmodel import col

from core.context import Context
from core.passwords import hash_password
from core.tokens import new_token, token_hash
from domain.changes import given
from domain.credentials import check_password, normalise_username
from domain.customers import AccountChanges, AddressChanges, ContactChanges
from domain.enums import AddressKind, MembershipRole, PaymentType
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.registration import (
    CUSTOMER_DATA_SECTION,
    FIRST_WEB_ACCOUNT_NUMBER,
    AccountRegistration,
    CustomerDataSettings,
    mask_street,
    validate_registration,
    verification_passes,
    web_account_code,
)
from domain.system_email import SystemEmail
from models import (
    Account,
    AccountLocation,
    AccountMembership,
    Address,
    Contact,
    CredentialRequest,
    Invoice,
    Location,
    OneTimeToken,
    Session,
    WebAccountCounter,
)
from models.column_limits import and_column_errors, value_errors
from models.registration import WEB_ACCOUNT_NUMBERS, TokenPurpose
from resolvers import accounts, addresses, contacts
from resolvers.access import managed_account
from resolvers.auth import revoke_sessions, start_contact_session
from resolvers.credential_requests import Attempt
from resolvers.mail import queue_email
from resolvers.platform_settings import load_section, save_section
from resolvers.row_locks import lock_row

TICKET_PREFIX = "tpv_"
RESET_PREFIX = "tpr_"
# One answer for every way a verification can fail (seed 001 form: number, postcode, invoice).
VERIFICATION_FAILED = "We could not verify that account with these details"
BAD_TOKEN = "This code is invalid, already used or expired"


async def customer_data_settings(context: Context) -> CustomerDataSettings:
    return await load_section(context, CUSTOMER_DATA_SECTION, CustomerDataSettings)


async def update_customer_data_settings(
    context: Context, changes: Mapping[str, Any]
) -> CustomerDataSettings:
    updated = await save_section(context, CUSTOMER_DATA_SECTION, CustomerDataSettings, changes)
    if "default_location_code" in changes:
        await _default_location(context, updated)
    return updated


async def _default_location(context: Context, settings: CustomerDataSettings) -> Location | None:
    """The location a new web account ships from; a code that names none is refused."""
    code = settings.default_location_code
    if code is None:
        return None
    location: Location | None = await context.db.scalar(
        select(Location).where(col(Location.code) == code)
    )
    if location is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No location {code}", field=["defaultLocationCode"])
    return location


@dataclass(frozen=True)
class Registration:
    account: Account
    # A session when immediate access is on; None while the login awaits approval.
    token: str | None
    session: Session | None


async def _next_web_account_number(context: Context) -> int:
    if context.settings.is_postgres:
        return int(await context.db.scalar(select(WEB_ACCOUNT_NUMBERS.next_value())))
    counter = col(WebAccountCounter.last_number)
    result = await context.db.execute(
        update(WebAccountCounter).values(last_number=counter + 1).returning(counter)
    )
    number: int | None = result.scalar_one_or_none()
    if number is None:
        number = FIRST_WEB_ACCOUNT_NUMBER
        context.session.add(WebAccountCounter(last_number=number))
        await context.session.flush()
    return number


async def _new_web_account_code(context: Context, prefix: str) -> str:
    """The next free number: one the ERP already used (W1001 synced in) is skipped."""
    while True:
        code = web_account_code(prefix=prefix, number=await _next_web_account_number(context))
        taken = await context.db.scalar(select(col(Account.id)).where(col(Account.code) == code))
        if taken is None:
            return code


def _variables(account: Account, contact: Contact) -> dict[str, str]:
    return {
        "account_number": account.code,
        "company_name": account.company_name,
        "contact_name": contact.name,
        "username": contact.username or "",
        "email": contact.email or "",
    }


async def _finish(
    context: Context,
    account: Account,
    contact: Contact,
    *,
    immediate: bool,
    template: SystemEmail,
) -> Registration:
    await queue_email(
        context,
        template=template.value,
        to=[contact.email or ""],
        variables=_variables(account, contact),
    )
    if not immediate:
        return Registration(account=account, token=None, session=None)
    token, session = await start_contact_session(context, contact)
    return Registration(account=account, token=token, session=session)


def _registration_errors(form: AccountRegistration) -> list[DomainError]:
    """The form's rules, then what the account, contact and billing address rows can hold."""
    errors = validate_registration(form)
    account = AccountChanges(
        company_name=form.company_name,
        tax_number=form.tax_number,
        contact_name=form.contact_name,
        email=form.email,
    )
    errors = and_column_errors(errors, Account, account)
    contact = ContactChanges(email=form.email, phone=form.phone, username=form.username)
    errors = and_column_errors(errors, Contact, contact)
    return and_column_errors(errors, Address, form.billing_address, path=["billingAddress"])


async def register_account(context: Context, form: AccountRegistration) -> Registration:
    """Seed 001 "Create an account": account, ADMINISTRATOR contact and billing address in one
    transaction, numbered prefix + sequence, sourced WEB and awaiting ERP export (it is exported
    with its first order). Without immediate access both wait, disabled, for a worker."""
    settings = await customer_data_settings(context)
    if not settings.allow_new_accounts:
        raise DomainError(ErrorCode.NOT_PERMITTED, "New accounts cannot be created on this site")
    raise_if_any(_registration_errors(form))
    immediate = settings.immediate_access
    account = await accounts.create_account(
        context,
        AccountChanges(
            code=await _new_web_account_code(context, settings.web_account_prefix),
            company_name=form.company_name.strip(),
            tax_number=form.tax_number,
            contact_name=form.contact_name.strip(),
            email=form.email.strip(),
            is_active=immediate,
            payment_terms_kind=settings.default_payment_terms_kind,
            payment_terms_value=settings.default_payment_terms_value,
            price_level=settings.default_price_level,
            sales_rep_code=settings.default_sales_rep_code,
            payment_types=settings.default_payment_types,
        ),
    )
    location = await _default_location(context, settings)
    if location is not None:
        assert account.id is not None and location.id is not None
        context.session.add(
            AccountLocation(account_id=account.id, location_id=location.id, is_primary=True)
        )
    account.customer_groups = list(settings.default_customer_groups)
    account.awaiting_approval = not immediate
    account.awaiting_erp_export = True
    account.user_created_for_account = True
    await addresses.add_address(
        context,
        account,
        replace(
            form.billing_address,
            kind=AddressKind.BILLING,
            name=account.company_name,
            is_primary=True,
        ),
    )
    contact, _ = await contacts.add_contact(
        context,
        account,
        MembershipRole.ADMINISTRATOR,
        ContactChanges(
            name=form.contact_name.strip(),
            email=form.email.strip(),
            phone=form.phone,
            username=form.username,
            password=form.password,
            is_enabled=immediate,
        ),
    )
    template = SystemEmail.NEW_ACCOUNT_WELCOME if immediate else SystemEmail.NEW_ACCOUNT_REQUEST
    return await _finish(context, account, contact, immediate=immediate, template=template)


async def _issue_token(
    context: Context,
    purpose: TokenPurpose,
    *,
    prefix: str,
    minutes: int,
    account_id: int | None = None,
    contact_id: int | None = None,
) -> tuple[str, datetime]:
    token = new_token(prefix)
    expires_at = context.now + timedelta(minutes=minutes)
    context.session.add(
        OneTimeToken(
            purpose=purpose,
            token_hash=token_hash(context.settings.secret_key, token),
            account_id=account_id,
            contact_id=contact_id,
            created_at=context.now,
            expires_at=expires_at,
        )
    )
    await context.session.flush()
    return token, expires_at


async def _redeem_token(
    context: Context, purpose: TokenPurpose, token: str, *, field: str
) -> OneTimeToken:
    """Use a token once: the conditional UPDATE lets exactly one of two concurrent redemptions
    through. A mutation refused later rolls it back, so a typo in a form does not burn it."""
    result = await context.db.execute(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.token_hash) == token_hash(context.settings.secret_key, token.strip()),
            col(OneTimeToken.purpose) == purpose,
            col(OneTimeToken.used_at).is_(None),
            col(OneTimeToken.expires_at) > context.now,
        )
        .values(used_at=context.now)
        .returning(OneTimeToken)
    )
    row: OneTimeToken | None = result.scalar_one_or_none()
    if row is None:
        raise DomainError(ErrorCode.INVALID, BAD_TOKEN, field=[field])
    return row


@dataclass(frozen=True)
class Verification:
    ticket: str
    expires_at: datetime
    account_code: str
    company_name: str
    masked_street: str
    city: str
    region: str | None
    postcode: str


async def _administrator_emails(context: Context, account: Account) -> list[str]:
    emails = await context.db.scalars(
        select(col(Contact.email))
        .join(AccountMembership, col(AccountMembership.contact_id) == col(Contact.id))
        .where(
            col(AccountMembership.account_id) == account.id,
            col(AccountMembership.role) == MembershipRole.ADMINISTRATOR,
            col(AccountMembership.is_active),
            col(Contact.is_enabled),
            col(Contact.email).is_not(None),
        )
        .order_by(col(Contact.id))
    )
    return list(emails) or ([account.email] if account.email else [])


async def verify_account(
    context: Context, *, account_code: str, postcode: str, invoice_number: str
) -> Verification:
    """Seed 001 "Existing Account Verification Form". One query fetches everything the three
    checks need and every check runs, so neither the answer nor its timing tells which part was
    wrong. Success e-mails the account's administrators."""
    settings = await customer_data_settings(context)
    if not settings.allow_new_contacts:
        raise DomainError(ErrorCode.NOT_PERMITTED, "New logins cannot be created on this site")
    # A value longer than its column matches nothing; saying so reveals nothing about accounts.
    raise_if_any(
        value_errors(Account.code, account_code.strip(), field=["accountNumber"])
        + value_errors(Address.postcode, postcode.strip(), field=["billingPostcode"])
        + value_errors(Invoice.number, invoice_number.strip(), field=["invoiceNumber"])
    )
    row: Any = (
        await context.db.execute(
            select(Account, Address, col(Invoice.invoice_date))
            .outerjoin(
                Address,
                (col(Address.account_id) == col(Account.id))
                & col(Address.is_primary)
                & (col(Address.kind) == AddressKind.BILLING),
            )
            .outerjoin(
                Invoice,
                (col(Invoice.account_id) == col(Account.id))
                & (col(Invoice.number) == invoice_number.strip()),
            )
            .where(col(Account.code) == account_code.strip().upper())
        )
    ).first()
    account: Account | None = row[0] if row else None
    address: Address | None = row[1] if row else None
    invoice_date: date | None = row[2] if row else None
    passes = verification_passes(
        account_active=account.is_active if account else None,
        billing_postcode=address.postcode if address else None,
        postcode_given=postcode,
        invoice_date=invoice_date,
        today=context.now.date(),
        recency_days=settings.verification_recency_days,
    )
    if not passes or account is None or address is None:
        raise DomainError(ErrorCode.INVALID, VERIFICATION_FAILED)
    ticket, expires_at = await _issue_token(
        context,
        TokenPurpose.ACCOUNT_VERIFICATION,
        prefix=TICKET_PREFIX,
        minutes=context.settings.verification_ticket_minutes,
        account_id=account.id,
    )
    await queue_email(
        context,
        template=SystemEmail.ACCOUNT_VERIFIED.value,
        to=await _administrator_emails(context, account),
        variables={"account_number": account.code, "company_name": account.company_name},
    )
    return Verification(
        ticket=ticket,
        expires_at=expires_at,
        account_code=account.code,
        company_name=account.company_name,
        masked_street=mask_street(address.line1),
        city=address.city,
        region=address.region,
        postcode=address.postcode,
    )


async def register_contact(context: Context, ticket: str, changes: ContactChanges) -> Registration:
    """Seed 001 "New Contact for Existing Account Form": a SHOPPER login for the account the
    ticket verified; logged in or left disabled by the immediate-access setting."""
    settings = await customer_data_settings(context)
    if not settings.allow_new_contacts:
        raise DomainError(ErrorCode.NOT_PERMITTED, "New logins cannot be created on this site")
    # The form's own mistakes first: a typo should not burn the ticket (it is rolled back) or
    # be hidden behind it.
    raise_if_any(contacts.contact_errors(changes, creating=True))
    verified = await _redeem_token(
        context, TokenPurpose.ACCOUNT_VERIFICATION, ticket, field="ticket"
    )
    account = await context.session.get(Account, verified.account_id)
    if account is None or not account.is_active:
        raise DomainError(ErrorCode.INVALID, BAD_TOKEN, field=["ticket"])
    immediate = settings.immediate_access
    contact, _ = await contacts.add_contact(
        context, account, MembershipRole.SHOPPER, replace(changes, is_enabled=immediate)
    )
    return await _finish(
        context, account, contact, immediate=immediate, template=SystemEmail.CONTACT_CREATED
    )


async def _contacts_by(context: Context, condition: Any) -> list[Contact]:
    rows = await context.db.scalars(
        select(Contact)
        .where(
            condition,
            col(Contact.is_enabled),
            col(Contact.username).is_not(None),
            col(Contact.email).is_not(None),
        )
        .order_by(col(Contact.id))
    )
    return list(rows)


async def request_password_reset(
    context: Context, attempt: Attempt, username_or_email: str
) -> None:
    """Seed 002 password requests: a single-use, expiring code by e-mail to every login with
    that username or e-mail. The caller hears the same whether or not one exists."""
    raise_if_any(
        value_errors(
            CredentialRequest.username_or_email, username_or_email, field=["usernameOrEmail"]
        )
    )
    key = normalise_username(username_or_email)
    found = await _contacts_by(
        context, or_(col(Contact.username) == key, func.lower(col(Contact.email)) == key)
    )
    for contact in found:
        token, expires_at = await _issue_token(
            context,
            TokenPurpose.PASSWORD_RESET,
            prefix=RESET_PREFIX,
            minutes=context.settings.password_reset_minutes,
            contact_id=contact.id,
        )
        await queue_email(
            context,
            template=SystemEmail.PASSWORD_RESET.value,
            to=[contact.email or ""],
            variables={
                "contact_name": contact.name,
                "username": contact.username or "",
                "reset_token": token,
                "expires_at": expires_at.isoformat(timespec="minutes"),
            },
        )
    attempt.succeeded = bool(found)


async def reset_password(
    context: Context, attempt: Attempt, token: str, new_password: str
) -> Contact:
    """Redeem a reset code: the new password must meet the policy; every session of the login
    ends and its other outstanding codes stop working."""
    redeemed = await _redeem_token(context, TokenPurpose.PASSWORD_RESET, token, field="token")
    contact = await context.session.get(Contact, redeemed.contact_id)
    if contact is None or not contact.is_enabled:
        raise DomainError(ErrorCode.INVALID, BAD_TOKEN, field=["token"])
    attempt.username_or_email = contact.username
    raise_if_any(check_password(new_password, username=contact.username, field="newPassword"))
    contact.password_hash = hash_password(new_password)
    contact.updated_at = context.now
    await revoke_sessions(context, contact)
    await context.db.execute(
        update(OneTimeToken)
        .where(
            col(OneTimeToken.contact_id) == contact.id,
            col(OneTimeToken.purpose) == TokenPurpose.PASSWORD_RESET,
            col(OneTimeToken.used_at).is_(None),
        )
        .values(used_at=context.now)
    )
    return contact


async def request_username_reminder(context: Context, attempt: Attempt, email: str) -> None:
    """Seed 002 username requests: the usernames of the logins with that e-mail, by e-mail."""
    raise_if_any(value_errors(CredentialRequest.username_or_email, email, field=["email"]))
    found = await _contacts_by(context, func.lower(col(Contact.email)) == email.strip().lower())
    for contact in found:
        await queue_email(
            context,
            template=SystemEmail.USERNAME_REMINDER.value,
            to=[contact.email or ""],
            variables={"contact_name": contact.name, "username": contact.username or ""},
        )
    attempt.succeeded = bool(found)


async def move_contact(
    context: Context, contact_id: int | None, account_id: int | None
) -> AccountMembership:
    """Seed 001 workflow 3: "update the mapped account to the new one you just created inside
    the ERP". The contact's default membership moves, keeping its role and settings; its
    sessions end because what it may see changed."""
    # Locked: the memberships are read, checked and one of them rewritten; two moves at once
    # take turns, so the second sees where the first put the contact.
    contact = await lock_row(context, Contact, contact_id) if contact_id else None
    if contact is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such contact", field=["contactId"])
    target = await managed_account(context, account_id, field="accountId")
    memberships = list(
        await context.db.scalars(
            select(AccountMembership).where(col(AccountMembership.contact_id) == contact.id)
        )
    )
    if any(m.account_id == target.id for m in memberships):
        raise DomainError(
            ErrorCode.DUPLICATE,
            "The contact is already a member of this account",
            field=["accountId"],
        )
    membership: AccountMembership | None = next((m for m in memberships if m.is_default), None)
    if membership is None:
        raise DomainError(
            ErrorCode.INVALID, "The contact has no account to move from", field=["contactId"]
        )
    assert target.id is not None
    membership.account_id = target.id
    membership.default_ship_to_id = None
    membership.cart_approver_id = None
    membership.updated_at = context.now
    await revoke_sessions(context, contact)
    return membership


async def create_guest_customer(
    context: Context,
    values: Mapping[str, Any],
    *,
    like: Account,
    payment_types: list[PaymentType],
) -> tuple[Account, Contact]:
    """Seed 000 B2C: "The customer enters account information during the checkout process. The
    Account (Customer) and Address are created in the ERP software when the order is
    submitted." A web account numbered like a registered one, priced like the guest account
    `like` whose prices the visitor was shown, with its billing address and a contact without
    a login; it awaits its ERP export, which its order takes along. `values` are checked."""
    settings = await customer_data_settings(context)
    name = values["name"].strip()
    account = await accounts.create_account(
        context,
        AccountChanges(
            code=await _new_web_account_code(context, settings.web_account_prefix),
            company_name=(values.get("company_name") or name).strip(),
            contact_name=name,
            email=values["email"].strip(),
            is_active=True,
            price_level=like.price_level,
            discount_percent=like.discount_percent,
            payment_types=payment_types,
            sales_rep_code=settings.default_sales_rep_code,
        ),
    )
    account.customer_groups = list(settings.default_customer_groups)
    account.awaiting_erp_export = True
    billing = AddressChanges(**values["billing_address"])
    await addresses.add_address(
        context,
        account,
        replace(
            billing,
            kind=AddressKind.BILLING,
            name=given(billing.name) or name,
            is_primary=True,
        ),
    )
    contact, _ = await contacts.add_contact(
        context,
        account,
        MembershipRole.ADMINISTRATOR,
        ContactChanges(name=name, email=values["email"].strip(), phone=values.get("phone")),
    )
    return account, contact
