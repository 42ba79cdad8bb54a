"""Contacts and their memberships of accounts (CIMcloud "Manage Contacts", PointForce CM10)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, exists, func, select, true, update
from sqlmodel import col

from core.context import Context
from core.passwords import hash_password
from domain.access import WorkerPermission
from domain.changes import UNSET, after, given, set_fields
from domain.credentials import check_password, check_username, normalise_username
from domain.customers import (
    ApprovalSettings,
    ContactChanges,
    MembershipChanges,
    validate_membership,
)
from domain.enums import CartStatus, MembershipRole
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import check_email, check_required
from loaders.accounts import ContactByIdLoader, MembershipsByContactIdLoader
from models import Account, AccountMembership, Address, Cart, Contact, FavouritesList
from models.column_limits import and_column_errors
from resolvers.access import (
    managed_account,
    may_edit_contacts,
    readable_accounts,
    visible_accounts,
)
from resolvers.auth import revoke_sessions
from resolvers.row_locks import lock_row
from resolvers.search import contains, search_term


@dataclass(frozen=True)
class ContactQuery:
    search: str | None = None
    is_enabled: bool | None = None
    account_id: int | None = None


def contacts_statement(context: Context, query: ContactQuery) -> Select[Any]:
    """Contacts of the accounts the viewer may see; staff see every contact. CIMcloud's worker
    search finds both enabled and disabled contacts unless told otherwise."""
    viewer = context.viewer
    statement = select(Contact)
    if not viewer.is_staff or query.account_id is not None:
        member_of = (
            select(col(AccountMembership.id))
            .join(Account, col(Account.id) == col(AccountMembership.account_id))
            .where(col(AccountMembership.contact_id) == col(Contact.id), visible_accounts(viewer))
        )
        if query.account_id is not None:
            member_of = member_of.where(col(AccountMembership.account_id) == query.account_id)
        statement = statement.where(exists(member_of))
    term = search_term(query.search)
    if term is not None:
        statement = statement.where(contains(term, Contact.name, Contact.username, Contact.email))
    if query.is_enabled is not None:
        statement = statement.where(col(Contact.is_enabled) == query.is_enabled)
    return statement.order_by(col(Contact.name), col(Contact.id))


async def readable_contact(context: Context, contact_id: int | None) -> Contact | None:
    if contact_id is None:
        return None
    contact: Contact | None = await context.loader(ContactByIdLoader).load(contact_id)
    if contact is None:
        return None
    viewer = context.viewer
    if viewer.is_staff or viewer.contact_id == contact_id:
        return contact
    memberships = await context.loader(MembershipsByContactIdLoader).load(contact_id)
    visible = await readable_accounts(context, [m.account_id for m in memberships])
    return contact if visible else None


async def _managing_accounts(context: Context, contact_id: int) -> list[Account]:
    memberships = await context.loader(MembershipsByContactIdLoader).load(contact_id)
    visible = await readable_accounts(context, [m.account_id for m in memberships])
    return [a for a in visible.values() if may_edit_contacts(context.viewer, a)]


async def _check_username_free(context: Context, username: str, *, except_id: int | None) -> None:
    taken = await context.db.scalar(
        select(col(Contact.id)).where(col(Contact.username) == username)
    )
    if taken is not None and taken != except_id:
        # Says nothing about whom the name belongs to.
        raise DomainError(ErrorCode.DUPLICATE, "That username is taken", field=["username"])


def contact_errors(
    changes: ContactChanges, *, creating: bool, current_username: str | None = None
) -> list[DomainError]:
    """Checks the values being set; a new password is checked against the username it will
    sit beside (the new one, or the current one)."""
    errors: list[DomainError] = []
    if creating or changes.name is not UNSET:
        errors += check_required("name", given(changes.name))
    errors += check_email("email", given(changes.email))
    username = given(changes.username)
    if username is not None:
        errors += check_username(username)
    password = given(changes.password)
    if password is not None:
        if not (username or current_username):
            errors.append(
                DomainError(ErrorCode.REQUIRED, "A password needs a username", field=["username"])
            )
        errors += check_password(password, username=username or current_username)
    return and_column_errors(errors, Contact, changes)


def _contact_columns(changes: ContactChanges) -> dict[str, Any]:
    """The columns `changes` sets but the credentials (`_apply_credentials` writes those)."""
    return set_fields(replace(changes, username=UNSET, password=UNSET))


async def _apply_credentials(context: Context, contact: Contact, changes: ContactChanges) -> None:
    """A username normalised (and free), a password hashed; a null one changes nothing."""
    username, password = given(changes.username), given(changes.password)
    if username is not None:
        username = normalise_username(username)
        await _check_username_free(context, username, except_id=contact.id)
        contact.username = username
    if password is not None:
        contact.password_hash = hash_password(password)


async def create_contact(
    context: Context, account_id: int | None, role: MembershipRole, changes: ContactChanges
) -> tuple[Contact, AccountMembership]:
    """A contact of an account, with its (default) membership; with a username and password
    it can log in."""
    account = await managed_account(context, account_id, field="accountId", rule=may_edit_contacts)
    return await add_contact(context, account, role, changes)


async def add_contact(
    context: Context, account: Account, role: MembershipRole, changes: ContactChanges
) -> tuple[Contact, AccountMembership]:
    """`create_contact` once access is settled; self-registration calls it for the account the
    visitor created or proved to own."""
    raise_if_any(contact_errors(changes, creating=True))
    contact = Contact(**_contact_columns(changes), created_at=context.now, updated_at=context.now)
    await _apply_credentials(context, contact, changes)
    context.session.add(contact)
    await context.session.flush()
    assert contact.id is not None and account.id is not None
    membership = AccountMembership(
        contact_id=contact.id,
        account_id=account.id,
        role=role,
        is_default=True,
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(membership)
    await context.session.flush()
    return contact, membership


async def update_contact(
    context: Context, contact_id: int | None, changes: ContactChanges
) -> Contact:
    """A contact edits its own details; managers of its accounts and staff edit everything.
    Disabling a contact ends its sessions at once."""
    contact = await readable_contact(context, contact_id)
    if contact is None or contact.id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such contact", field=["id"])
    is_self = context.viewer.contact_id == contact.id
    viewer = context.viewer
    staff_edits = viewer.is_staff and viewer.may(WorkerPermission.EDIT_CONTACTS)
    if not staff_edits and not await _managing_accounts(context, contact.id):
        if not is_self:
            raise DomainError(
                ErrorCode.NOT_PERMITTED, "You may not edit this contact", field=["id"]
            )
        if changes.is_enabled is not UNSET:
            raise DomainError(
                ErrorCode.NOT_PERMITTED,
                "You may not enable or disable yourself",
                field=["isEnabled"],
            )
    sets_password = given(changes.password) is not None
    if is_self and sets_password:
        # A stolen session must not be enough to take the login over (ASVS 5.0 6.2.3).
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "Change your own password with changePassword, which asks for the current one",
            field=["password"],
        )
    raise_if_any(contact_errors(changes, creating=False, current_username=contact.username))
    await _apply_credentials(context, contact, changes)
    for name, value in _contact_columns(changes).items():
        setattr(contact, name, value)
    contact.updated_at = context.now
    # A password someone else set, or a disabled login: every session of it ends.
    if sets_password or changes.is_enabled is False:
        await revoke_sessions(context, contact)
    return contact


def _approval_settings(
    changes: MembershipChanges, membership: AccountMembership | None = None
) -> ApprovalSettings:
    """The approval settings after `changes`: the stored ones where it sets none."""
    current = (
        ApprovalSettings()
        if membership is None
        else ApprovalSettings(
            cart_approver_id=membership.cart_approver_id,
            approve_assigned=membership.approve_assigned,
            approve_all=membership.approve_all,
            no_approval_below_value=membership.no_approval_below_value,
            maximum_approval_value=membership.maximum_approval_value,
        )
    )
    return ApprovalSettings(
        cart_approver_id=after(changes.cart_approver_id, current.cart_approver_id),
        approve_assigned=after(changes.approve_assigned, current.approve_assigned),
        approve_all=after(changes.approve_all, current.approve_all),
        no_approval_below_value=after(
            changes.no_approval_below_value, current.no_approval_below_value
        ),
        maximum_approval_value=after(
            changes.maximum_approval_value, current.maximum_approval_value
        ),
    )


async def _approver_is_member(
    context: Context, account_id: int, approver_id: int | None
) -> bool | None:
    if approver_id is None:
        return None
    found = await context.db.scalar(
        select(col(AccountMembership.id)).where(
            col(AccountMembership.account_id) == account_id,
            col(AccountMembership.contact_id) == approver_id,
            col(AccountMembership.is_active) == true(),
        )
    )
    return found is not None


async def _check_ship_to(context: Context, account_id: int, address_id: int | None) -> None:
    """CM10 "Default Ship To" is one of the account's own addresses (or "Same": none)."""
    if address_id is None:
        return
    owner = await context.db.scalar(
        select(col(Address.account_id)).where(col(Address.id) == address_id)
    )
    if owner != account_id:
        raise DomainError(
            ErrorCode.INVALID,
            "The default ship-to must be an address of the same account",
            field=["defaultShipToId"],
        )


async def _check_restricted_list(context: Context, account_id: int, list_id: int | None) -> None:
    """CM10 "Restricted Favourites List": one of the same account's favourites lists."""
    if list_id is None:
        return
    owner = await context.db.scalar(
        select(col(FavouritesList.account_id)).where(col(FavouritesList.id) == list_id)
    )
    if owner != account_id:
        raise DomainError(
            ErrorCode.INVALID,
            "The restricted favourites list must be a list of the same account",
            field=["restrictedFavouritesListId"],
        )


async def _make_default(context: Context, membership: AccountMembership) -> None:
    """CM10: exactly one default account per contact; choosing one releases the other."""
    await context.db.execute(
        update(AccountMembership)
        .where(
            col(AccountMembership.contact_id) == membership.contact_id,
            col(AccountMembership.id) != membership.id,
            col(AccountMembership.is_default) == true(),
        )
        .values(is_default=False)
    )
    # The partial unique index is checked per statement: release first, then claim.
    await context.session.flush()


async def create_membership(
    context: Context, contact_id: int | None, account_id: int | None, changes: MembershipChanges
) -> AccountMembership:
    account = await managed_account(context, account_id, field="accountId", rule=may_edit_contacts)
    contact = await readable_contact(context, contact_id)
    if contact is None or contact.id is None or account.id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such contact", field=["contactId"])
    existing = await context.db.scalar(
        select(col(AccountMembership.id)).where(
            col(AccountMembership.contact_id) == contact.id,
            col(AccountMembership.account_id) == account.id,
        )
    )
    if existing is not None:
        raise DomainError(
            ErrorCode.DUPLICATE,
            "The contact is already a member of this account",
            field=["accountId"],
        )
    settings = _approval_settings(changes)
    approver_member = await _approver_is_member(context, account.id, settings.cart_approver_id)
    raise_if_any(
        validate_membership(settings, contact_id=contact.id, approver_is_member=approver_member)
    )
    await _check_ship_to(context, account.id, given(changes.default_ship_to_id))
    await _check_restricted_list(context, account.id, given(changes.restricted_favourites_list_id))
    has_default = await context.db.scalar(
        select(col(AccountMembership.id)).where(
            col(AccountMembership.contact_id) == contact.id,
            col(AccountMembership.is_default) == true(),
        )
    )
    wants_default = bool(given(changes.is_default)) or has_default is None
    membership = AccountMembership(
        contact_id=contact.id,
        account_id=account.id,
        **set_fields(replace(changes, is_default=UNSET)),
        is_default=False,
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(membership)
    await context.session.flush()
    if wants_default:
        await _make_default(context, membership)
        membership.is_default = True
    return membership


async def update_membership(
    context: Context, membership_id: int | None, changes: MembershipChanges
) -> AccountMembership:
    # Locked: the approval settings are checked merged with the stored ones, so a concurrent
    # change of the others must not slip in between the check and the write.
    membership = (
        await lock_row(context, AccountMembership, membership_id) if membership_id else None
    )
    if membership is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such membership", field=["id"])
    await managed_account(context, membership.account_id, field="id", rule=may_edit_contacts)
    settings = _approval_settings(changes, membership)
    approver_member = await _approver_is_member(
        context, membership.account_id, settings.cart_approver_id
    )
    raise_if_any(
        validate_membership(
            settings, contact_id=membership.contact_id, approver_is_member=approver_member
        )
    )
    if changes.default_ship_to_id is not UNSET:
        await _check_ship_to(context, membership.account_id, changes.default_ship_to_id)
    if changes.restricted_favourites_list_id is not UNSET:
        await _check_restricted_list(
            context, membership.account_id, changes.restricted_favourites_list_id
        )
    is_default = given(changes.is_default)
    if is_default is False and membership.is_default:
        raise DomainError(
            ErrorCode.INVALID,
            "Every contact has one default account: make another membership the default instead",
            field=["isDefault"],
        )
    for name, value in set_fields(replace(changes, is_default=UNSET)).items():
        setattr(membership, name, value)
    membership.updated_at = context.now
    if is_default and not membership.is_default:
        await _make_default(context, membership)
        membership.is_default = True
    return membership


async def delete_membership(context: Context, membership_id: int | None) -> AccountMembership:
    """CM10 "Delete": the contact loses the account (its sessions there end at once, since every
    request re-checks the membership). Refused while it would leave the contact without a
    default among its other accounts, shoppers without their cart approver, or carts waiting
    for an approval the contact could no longer receive; and for one's own membership."""
    membership = (
        await context.session.get(AccountMembership, membership_id) if membership_id else None
    )
    if membership is None or membership.id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such membership", field=["id"])
    await managed_account(context, membership.account_id, field="id")
    if membership.contact_id == context.viewer.contact_id:
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "You cannot remove your own access to an account; ask another administrator",
            field=["id"],
        )
    others = [
        m
        for m in await context.loader(MembershipsByContactIdLoader).load(membership.contact_id)
        if m.id != membership.id
    ]
    if membership.is_default and others:
        raise DomainError(
            ErrorCode.INVALID,
            "This is the contact's default account: make another membership the default first",
            field=["id"],
        )
    approved = await context.db.scalar(
        select(func.count())
        .select_from(AccountMembership)
        .where(
            col(AccountMembership.account_id) == membership.account_id,
            col(AccountMembership.cart_approver_id) == membership.contact_id,
        )
    )
    if approved:
        raise DomainError(
            ErrorCode.INVALID,
            f"The contact is the cart approver of {approved} shopper(s) of this account; "
            "give them another approver first",
            field=["id"],
        )
    waiting = await context.db.scalar(
        select(func.count())
        .select_from(Cart)
        .where(
            col(Cart.account_id) == membership.account_id,
            col(Cart.contact_id) == membership.contact_id,
            col(Cart.status) == CartStatus.PENDING_APPROVAL,
        )
    )
    if waiting:
        raise DomainError(
            ErrorCode.INVALID,
            f"The contact has {waiting} cart(s) waiting for approval at this account; "
            "have them approved or rejected first",
            field=["id"],
        )
    await context.session.delete(membership)
    return membership
