"""The ERP sync of customer records (accounts, addresses, contacts, invoices, enquiry records):
idempotent batch upserts keyed by ERP key (seed 000 "The ERP software is considered to be the
data of record": a synced record overwrites the web's copy). The catalogue's feeds use
`resolvers.sync` instead, one savepoint per record.

Each call costs a fixed number of statements whatever its size (up to `MAX_SYNC_BATCH`): records
are parsed and checked in memory, the rows they touch are loaded with one `IN` query per table,
and the changes are flushed together. A bad record is reported on its own and does not stop the
batch; with `atomic`, every check runs before anything is written and one refusal refuses the
batch. `syncAccounts` and `tradepost import` both come here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import insert, select, update
from sqlalchemy import text as sql_text
from sqlmodel import SQLModel, col

from core.context import Context
from domain.changes import given
from domain.checkout import order_id_of
from domain.credentials import check_username, normalise_username
from domain.customers import AddressChanges, ContactChanges, validate_account, validate_address
from domain.enums import MembershipRole, RecordSource
from domain.erp import (
    ACCOUNT_FIELDS,
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    ENQUIRY_FIELDS,
    INVOICE_FIELDS,
    REQUIRED,
    Parser,
    SyncOutcome,
    account_changes,
    parse_record,
    text,
)
from domain.errors import DomainError, ErrorCode
from domain.terms import due_date
from domain.validation import (
    check_email,
    check_money,
    check_required,
    to_camel,
)
from domain.webhooks import WebhookEventKind
from models import Account, AccountMembership, Address, Contact, EnquiryRecord, Invoice, Order
from models.column_limits import and_column_errors, column_errors
from resolvers.sync import RecordResult, check_batch_size, refuse_if_atomic
from resolvers.webhooks import account_data, record_events


@dataclass
class Pending:
    """A parsed record on its way in."""

    raw: Mapping[str, Any]
    values: dict[str, Any]
    result: RecordResult
    account: Account | None = None

    @property
    def ok(self) -> bool:
        return not self.result.errors

    @property
    def erp_key(self) -> str:
        key: str = self.values["erp_key"]
        return key


Hook = Callable[[Context, list[Pending], dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class RecordKind:
    name: str
    model: type[SQLModel]
    fields: Mapping[str, Parser]
    validate: Callable[[dict[str, Any], bool], list[DomainError]]
    # A business key that is unique on its own (account number, invoice number).
    unique: str | None = None
    # Runs after the other checks: the last refusals (and values they imply); writes nothing.
    check: Hook | None = None
    # Runs once every record is checked, before the rows change: related changes.
    before_apply: Hook | None = None
    # Runs once the rows are flushed (they have ids).
    after_apply: Hook | None = None


def _columns(model: type[SQLModel]) -> dict[str, Any]:
    return {c.name: c for c in model.__table__.columns}  # type: ignore[attr-defined]


async def sync_records(
    context: Context, kind: RecordKind, records: Sequence[Mapping[str, Any]], *, atomic: bool
) -> list[RecordResult]:
    """Upsert `records` of `kind`; the outcome of each, in order."""
    check_batch_size(records)
    await _plan_lookups_for_their_keys(context)
    pending = _parse(kind, records)
    if "account_erp_key" in kind.fields:
        await _resolve_accounts(context, pending)
    keys = [p.erp_key for p in pending if p.ok]
    existing: dict[str, Any] = {}
    if keys:
        erp_key = _columns(kind.model)["erp_key"]
        rows = await context.db.scalars(select(kind.model).where(erp_key.in_(keys)))
        existing = {row.erp_key: row for row in rows}
    for p in pending:
        if p.ok:
            p.result.reject(*kind.validate(p.values, p.erp_key not in existing))
    if kind.unique:
        await _refuse_unique_clashes(context, kind, kind.unique, pending)
    if kind.check:
        await kind.check(context, [p for p in pending if p.ok], existing)
    refuse_if_atomic([p.result for p in pending], atomic=atomic)
    if kind.before_apply:
        await kind.before_apply(context, [p for p in pending if p.ok], existing)
    ready = [p for p in pending if p.ok]
    for p in ready:
        if p.erp_key in existing:
            _update(context, kind, p, existing[p.erp_key])
    await _insert(context, kind, [p for p in ready if p.erp_key not in existing])
    await context.session.flush()
    if kind.model is Account:
        await _record_account_events(context, ready)
    if kind.after_apply:
        await kind.after_apply(context, [p for p in pending if p.ok], existing)
    return [p.result for p in pending]


async def _plan_lookups_for_their_keys(context: Context) -> None:
    """An initial load looks rows up by 1,000 keys a call while the tables grow from empty.
    PostgreSQL would soon reuse a generic plan made while a table was tiny (a full scan) for
    every later lookup until the table is next analysed: on 100,000 accounts that made the
    sync three to four times slower. Plan each lookup for its own keys instead (this
    transaction only)."""
    if context.session.get_bind().dialect.name == "postgresql":
        await context.db.execute(sql_text("SET LOCAL plan_cache_mode = force_custom_plan"))


def _parse(kind: RecordKind, records: Sequence[Mapping[str, Any]]) -> list[Pending]:
    pending: list[Pending] = []
    seen: set[str] = set()
    for index, raw in enumerate(records):
        values, errors = parse_record(raw, kind.fields, required=REQUIRED[kind.name])
        errors = and_column_errors(errors, kind.model, values)
        key = values.get("erp_key")
        p = Pending(raw=raw, values=values, result=RecordResult(index=index, key=key))
        if key in seen:
            errors.append(
                DomainError(
                    ErrorCode.DUPLICATE,
                    f"erpKey {key} appears twice in the batch",
                    field=["erpKey"],
                )
            )
        if key is not None:
            seen.add(key)
        p.result.reject(*errors)
        pending.append(p)
    return pending


async def _resolve_accounts(context: Context, pending: list[Pending]) -> None:
    """Child records name their account by its ERP key."""
    keys = {p.values["account_erp_key"] for p in pending if p.ok}
    accounts = {
        a.erp_key: a
        for a in await context.db.scalars(select(Account).where(col(Account.erp_key).in_(keys)))
    }
    for p in pending:
        if not p.ok:
            continue
        p.account = accounts.get(p.values.pop("account_erp_key"))
        if p.account is None:
            p.result.reject(
                DomainError(
                    ErrorCode.NOT_FOUND, "No account with that ERP key", field=["accountErpKey"]
                )
            )
        else:
            p.values["account_id"] = p.account.id


async def _refuse_unique_clashes(
    context: Context, kind: RecordKind, name: str, pending: list[Pending]
) -> None:
    """A business key held by another ERP record (or twice in the batch) is a duplicate."""
    wanted = {p.values[name] for p in pending if p.ok and p.values.get(name) is not None}
    columns = _columns(kind.model)
    rows = await context.db.execute(
        select(columns[name], columns["erp_key"]).where(columns[name].in_(wanted))
    )
    # (business key, erp key) pairs; RequestDatabase types its results loosely.
    holders: dict[Any, str] = dict(cast("list[tuple[Any, str]]", rows.all()))
    claimed: set[Any] = set()
    for p in pending:
        value = p.values.get(name)
        if not p.ok or value is None:
            continue
        if (value in holders and holders[value] != p.erp_key) or value in claimed:
            p.result.reject(
                DomainError(
                    ErrorCode.DUPLICATE,
                    f"{to_camel(name)} {value} belongs to another record",
                    field=[to_camel(name)],
                )
            )
        claimed.add(value)


def _stamps(context: Context, kind: RecordKind) -> dict[str, Any]:
    stamps = {"updated_at": context.now}
    if "last_synced_at" in _columns(kind.model):
        stamps["last_synced_at"] = context.now
    return stamps


def _update(context: Context, kind: RecordKind, p: Pending, row: Any) -> None:
    columns = _columns(kind.model)
    changed = {
        name: value
        for name, value in p.values.items()
        if name in columns and getattr(row, name) != value
    }
    for name, value in {**changed, **(_stamps(context, kind) if changed else {})}.items():
        setattr(row, name, value)
    p.result.outcome = SyncOutcome.UPDATED if changed else SyncOutcome.UNCHANGED
    p.result.row = row


async def _record_account_events(context: Context, ready: list[Pending]) -> None:
    """ACCOUNT_CREATED and ACCOUNT_UPDATED for the batch's accounts the sync changed."""
    for outcome, event in (
        (SyncOutcome.CREATED, WebhookEventKind.ACCOUNT_CREATED),
        (SyncOutcome.UPDATED, WebhookEventKind.ACCOUNT_UPDATED),
    ):
        changed = [account_data(p.result.row) for p in ready if p.result.outcome is outcome]
        await record_events(context, event, changed)


async def _insert(context: Context, kind: RecordKind, pending: list[Pending]) -> None:
    """New rows in one multi-row INSERT, then read back in one SELECT. (The ORM's own flush
    would insert them one statement each on SQLite, which cannot return generated keys of a
    batch in order; matching them by ERP key needs no order.)"""
    if not pending:
        return
    columns = _columns(kind.model)
    # The model's defaults, as building a model instance a row would apply them (but slower).
    base = {
        name: field.get_default(call_default_factory=True)
        for name, field in kind.model.model_fields.items()
        if name in columns and name != "id" and not field.is_required()
    }
    base.update(created_at=context.now, **_stamps(context, kind))
    if "source" in columns:
        base["source"] = RecordSource.ERP
    rows = [
        {**base, **{name: value for name, value in p.values.items() if name in columns}}
        for p in pending
    ]
    await context.db.execute(insert(kind.model.__table__), rows)  # type: ignore[attr-defined]
    created = {
        row.erp_key: row
        for row in await context.db.scalars(
            select(kind.model).where(columns["erp_key"].in_([p.erp_key for p in pending]))
        )
    }
    for p in pending:
        p.result.outcome = SyncOutcome.CREATED
        p.result.row = created[p.erp_key]


# Accounts --------------------------------------------------------------------------------------


def _login_of(p: Pending) -> dict[str, Any] | None:
    login = p.raw.get("create_login")
    return dict(login) if isinstance(login, Mapping) and login else None


async def _check_logins(context: Context, pending: list[Pending], existing: dict[str, Any]) -> None:
    """Seed 003 "User Created For Account": `createLogin` asks for a contact login for the
    imported account, once; its username must be free."""
    wanted: dict[str, Pending] = {}
    for p in pending:
        login = _login_of(p)
        if login is None:
            continue
        account = existing.get(p.erp_key)
        if account is not None and account.user_created_for_account:
            continue
        username = text(login.get("username"))
        errors = (
            check_required("username", username) if username is None else check_username(username)
        )
        errors += check_email("email", text(login.get("email")))
        errors += column_errors(Contact, {"name": text(login.get("name")) or ""})
        prefixed = [
            DomainError(e.code, e.message, field=["createLogin", *(e.field or [])]) for e in errors
        ]
        if username is not None and normalise_username(username) in wanted:
            prefixed.append(
                DomainError(
                    ErrorCode.DUPLICATE,
                    "That username is taken",
                    field=["createLogin", "username"],
                )
            )
        p.result.reject(*prefixed)
        if p.ok and username is not None:
            wanted[normalise_username(username)] = p
    if not wanted:
        return
    taken = set(
        await context.db.scalars(
            select(col(Contact.username)).where(col(Contact.username).in_(wanted))
        )
    )
    for username in taken:
        wanted[username].result.reject(
            DomainError(
                ErrorCode.DUPLICATE, "That username is taken", field=["createLogin", "username"]
            )
        )


async def _create_logins(
    context: Context, pending: list[Pending], existing: dict[str, Any]
) -> None:
    """The login gets no password: its person sets one through the password reset."""
    created: list[tuple[Account, Contact]] = []
    for p in pending:
        login = _login_of(p)
        account: Account = p.result.row
        if login is None or account.user_created_for_account:
            continue
        contact = Contact(
            name=text(login.get("name")) or account.contact_name or account.company_name,
            email=text(login.get("email")) or account.email,
            username=normalise_username(str(login["username"])),
            erp_key=None,
            created_at=context.now,
            updated_at=context.now,
        )
        context.session.add(contact)
        account.user_created_for_account = True
        created.append((account, contact))
    await context.session.flush()
    for account, contact in created:
        assert account.id is not None and contact.id is not None
        context.session.add(
            AccountMembership(
                contact_id=contact.id,
                account_id=account.id,
                role=MembershipRole.ADMINISTRATOR,
                is_default=True,
                created_at=context.now,
                updated_at=context.now,
            )
        )


def _validate_account(values: dict[str, Any], creating: bool) -> list[DomainError]:
    return validate_account(account_changes(values), creating=creating)


ACCOUNTS = RecordKind(
    name="account",
    model=Account,
    fields=ACCOUNT_FIELDS,
    validate=_validate_account,
    unique="code",
    check=_check_logins,
    after_apply=_create_logins,
)


# Addresses -------------------------------------------------------------------------------------


def _own(values: dict[str, Any], *links: str) -> dict[str, Any]:
    """A child record's values but those linking it to its account (or membership)."""
    return {name: value for name, value in values.items() if name not in links}


def _validate_address(values: dict[str, Any], creating: bool) -> list[DomainError]:
    return validate_address(AddressChanges(**_own(values, "account_id")), creating=creating)


async def _one_primary_a_batch(
    context: Context, pending: list[Pending], existing: dict[str, Any]
) -> None:
    """TOTECS: one primary address an account, so one record of a batch may claim it."""
    claimed: set[int] = set()
    for p in pending:
        if not p.values.get("is_primary"):
            continue
        if p.values["account_id"] in claimed:
            p.result.reject(
                DomainError(
                    ErrorCode.INVALID,
                    "Another record of the batch is the account's primary address",
                    field=["isPrimary"],
                )
            )
        claimed.add(p.values["account_id"])


async def _release_other_primaries(
    context: Context, pending: list[Pending], existing: dict[str, Any]
) -> None:
    """An ERP address marked primary takes over from the account's current primary address."""
    primaries = {p.values["account_id"]: p for p in pending if p.values.get("is_primary")}
    if not primaries:
        return
    current = await context.db.execute(
        select(col(Address.id), col(Address.account_id), col(Address.erp_key)).where(
            col(Address.account_id).in_(primaries), col(Address.is_primary)
        )
    )
    released = [
        address_id
        for address_id, account_id, erp_key in cast(
            "list[tuple[int, int, str | None]]", current.all()
        )
        if erp_key != primaries[account_id].erp_key
    ]
    if released:
        await context.db.execute(
            update(Address).where(col(Address.id).in_(released)).values(is_primary=False)
        )
    # The primary flag is claimed per statement: release first, then claim.
    await context.session.flush()


ADDRESSES = RecordKind(
    name="address",
    model=Address,
    fields=ADDRESS_FIELDS,
    validate=_validate_address,
    check=_one_primary_a_batch,
    before_apply=_release_other_primaries,
)


# Contacts --------------------------------------------------------------------------------------


def _validate_contact(values: dict[str, Any], creating: bool) -> list[DomainError]:
    changes = ContactChanges(**_own(values, "account_id", "role"))
    return check_email("email", given(changes.email))


async def _memberships(context: Context, pending: list[Pending], existing: dict[str, Any]) -> None:
    """A synced contact is a member of the account the ERP names; its first one is its default
    (CM10 "one account as the default account for each contact")."""
    contact_ids = [p.result.row.id for p in pending]
    held = {
        (m.contact_id, m.account_id): m
        for m in await context.db.scalars(
            select(AccountMembership).where(col(AccountMembership.contact_id).in_(contact_ids))
        )
    }
    has_default = {contact_id for contact_id, _ in held if held[(contact_id, _)].is_default}
    for p in pending:
        contact_id, account_id = p.result.row.id, p.values["account_id"]
        role = p.values.get("role")
        membership = held.get((contact_id, account_id))
        if membership is None:
            membership = AccountMembership(
                contact_id=contact_id,
                account_id=account_id,
                role=role or MembershipRole.SHOPPER,
                is_default=contact_id not in has_default,
                created_at=context.now,
                updated_at=context.now,
            )
            context.session.add(membership)
            held[(contact_id, account_id)] = membership
            has_default.add(contact_id)
            if p.result.outcome is SyncOutcome.UNCHANGED:
                p.result.outcome = SyncOutcome.UPDATED
        elif role is not None and membership.role is not role:
            membership.role = role
            membership.updated_at = context.now
            if p.result.outcome is SyncOutcome.UNCHANGED:
                p.result.outcome = SyncOutcome.UPDATED


CONTACTS = RecordKind(
    name="contact",
    model=Contact,
    fields=CONTACT_FIELDS,
    validate=_validate_contact,
    after_apply=_memberships,
)


# Invoices and the other enquiry records ----------------------------------------------------------


def _validate_amounts(*names: str) -> Callable[[dict[str, Any], bool], list[DomainError]]:
    def validate(values: dict[str, Any], creating: bool) -> list[DomainError]:
        errors: list[DomainError] = []
        for name in names:
            value: Decimal | None = values.get(name)
            errors += check_money(to_camel(name), value, minimum=None)
        return errors

    return validate


async def _due_by_terms(context: Context, pending: list[Pending], existing: dict[str, Any]) -> None:
    """An invoice the ERP sends without a due date falls due by the account's payment terms
    (seed 003 "Payment Terms"), stored so that the enquiry can filter on it."""
    for p in pending:
        if p.values.get("due_date") is None and p.account is not None:
            p.values["due_date"] = due_date(
                invoice_date=p.values["invoice_date"],
                kind=p.account.payment_terms_kind,
                value=p.account.payment_terms_value,
            )


INVOICES = RecordKind(
    name="invoice",
    model=Invoice,
    fields=INVOICE_FIELDS,
    validate=_validate_amounts("amount", "balance"),
    unique="number",
    check=_due_by_terms,
)


async def _link_orders(context: Context, pending: list[Pending], existing: dict[str, Any]) -> None:
    """A record naming a web order (`orderNumber`, e.g. a shipment, seed 002) is linked to it;
    the order must be one of the record's account. `orderNumber: null` unlinks."""
    naming = [p for p in pending if "order_number" in p.values]
    wanted = {order_id_of(p.values["order_number"]) for p in naming if p.values["order_number"]} - {
        None
    }
    owners: dict[int, int] = {}
    if wanted:
        rows = await context.db.execute(
            select(col(Order.id), col(Order.account_id)).where(col(Order.id).in_(wanted))
        )
        owners = dict(cast("list[tuple[int, int]]", rows.all()))
    for p in naming:
        number = p.values["order_number"]
        order_id = order_id_of(number) if number is not None else None
        if number is not None and (
            order_id is None or owners.get(order_id) != p.values["account_id"]
        ):
            p.result.reject(
                DomainError(
                    ErrorCode.NOT_FOUND,
                    f"No web order {number} of this account",
                    field=["orderNumber"],
                )
            )
        else:
            p.values["order_id"] = order_id


ENQUIRY_RECORDS = RecordKind(
    name="enquiry",
    model=EnquiryRecord,
    fields=ENQUIRY_FIELDS,
    validate=_validate_amounts("amount", "outstanding"),
    check=_link_orders,
)
KINDS = {kind.name: kind for kind in (ACCOUNTS, ADDRESSES, CONTACTS, INVOICES, ENQUIRY_RECORDS)}
