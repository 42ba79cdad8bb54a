"""Accounts: the CRM workspace's search, "+ Add Account", edit, and enable/disable."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from sqlalchemy import Select, false, func, select, update
from sqlmodel import col

from core.context import Context
from domain.access import account_fields_not_permitted
from domain.changes import Maybe, given, set_fields, set_names
from domain.customers import AccountChanges, customer_group_names, validate_account
from domain.enums import RecordSource
from domain.erp import ERP_OWNED_ACCOUNT_FIELDS
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import to_camel
from domain.webhooks import WebhookEventKind
from models import Account, AccountMembership, Address, Contact, Location, Session
from models.column_limits import and_column_errors
from models.types import JsonListHas
from resolvers.access import managed_account, may_read, visible_accounts
from resolvers.erp_settings import refuse_fields_kept_by_erp
from resolvers.search import contains, rows_holding, search_term
from resolvers.webhooks import account_data, record_event


class AccountSearchField(Enum):
    """TOTECS admin search: "In the Search drop down select a field to search on"."""

    ANY = "ANY"
    CODE = "CODE"
    COMPANY_NAME = "COMPANY_NAME"
    EMAIL = "EMAIL"
    SALES_REP_CODE = "SALES_REP_CODE"
    ERP_KEY = "ERP_KEY"
    POSTCODE = "POSTCODE"


class AccountSortField(Enum):
    CODE = "CODE"
    COMPANY_NAME = "COMPANY_NAME"
    BALANCE = "BALANCE"
    CREATED_AT = "CREATED_AT"
    UPDATED_AT = "UPDATED_AT"


_SORT_COLUMNS = {
    AccountSortField.CODE: col(Account.code),
    AccountSortField.COMPANY_NAME: col(Account.company_name),
    AccountSortField.BALANCE: col(Account.balance),
    AccountSortField.CREATED_AT: col(Account.created_at),
    AccountSortField.UPDATED_AT: col(Account.updated_at),
}


@dataclass(frozen=True)
class AccountQuery:
    search: str | None = None
    search_field: AccountSearchField = AccountSearchField.ANY
    is_active: bool | None = None
    is_on_hold: bool | None = None
    territory: str | None = None
    shipping_method: str | None = None
    account_class: str | None = None
    customer_group: str | None = None
    sort_field: AccountSortField = AccountSortField.CODE
    descending: bool = False


_SEARCH_COLUMNS = {
    AccountSearchField.CODE: Account.code,
    AccountSearchField.COMPANY_NAME: Account.company_name,
    AccountSearchField.EMAIL: Account.email,
    AccountSearchField.SALES_REP_CODE: Account.sales_rep_code,
    AccountSearchField.ERP_KEY: Account.erp_key,
}


def search_condition(term: str, field: AccountSearchField) -> Any:
    """Accounts whose `field` (or any of them, their addresses' postcodes included) holds
    `term`. On PostgreSQL each column's trigram index (migration 0012) answers its part. ANY
    unites one lookup a column: as one OR of five ILIKEs the planner would scan every account,
    costing an ILIKE far below what it takes (on 100,000 accounts, 1.1 s against 40 ms)."""
    by_postcode = select(col(Address.account_id)).where(contains(term, Address.postcode))
    if field is AccountSearchField.POSTCODE:
        return col(Account.id).in_(by_postcode)
    if field is not AccountSearchField.ANY:
        return contains(term, _SEARCH_COLUMNS[field])
    return rows_holding(term, Account.id, list(_SEARCH_COLUMNS.values()), also=[by_postcode])


def accounts_statement(context: Context, query: AccountQuery) -> Select[Any]:
    """The accounts the viewer may see that match `query`, in a stable order."""
    statement = select(Account).where(visible_accounts(context.viewer))
    term = search_term(query.search)
    if term is not None:
        statement = statement.where(search_condition(term, query.search_field))
    if query.is_active is not None:
        statement = statement.where(col(Account.is_active) == query.is_active)
    if query.is_on_hold is not None:
        statement = statement.where(col(Account.is_on_hold) == query.is_on_hold)
    exact: list[tuple[str | None, Any]] = [
        (query.territory, col(Account.territory)),
        (query.shipping_method, col(Account.shipping_method)),
        (query.account_class, col(Account.account_class)),
    ]
    for value, column in exact:
        if value is not None:
            statement = statement.where(func.lower(column) == value.strip().lower())
    if query.customer_group is not None:
        group = query.customer_group.strip().upper()
        statement = statement.where(JsonListHas(col(Account.customer_groups), group))
    column = _SORT_COLUMNS[query.sort_field]
    order = column.desc() if query.descending else column.asc()
    return statement.order_by(
        order, col(Account.id).desc() if query.descending else col(Account.id)
    )


async def account_by_code(context: Context, code: str) -> Account | None:
    account = await context.db.scalars(select(Account).where(col(Account.code) == code))
    row: Account | None = account[0] if account else None
    return row if row is not None and may_read(context.viewer, row) else None


def _upper(code: Maybe[str | None]) -> Maybe[str | None]:
    return code.strip().upper() if isinstance(code, str) else code


def _normalise(changes: AccountChanges) -> AccountChanges:
    """Codes upper-case, customer groups by name, each payment type once (in the ERP's order)."""
    types, groups = changes.payment_types, changes.customer_groups
    return replace(
        changes,
        code=_upper(changes.code),
        sales_rep_code=_upper(changes.sales_rep_code),
        price_level=_upper(changes.price_level),
        payment_types=list(dict.fromkeys(types)) if isinstance(types, list) else types,
        customer_groups=customer_group_names(groups) if isinstance(groups, list) else groups,
    )


def account_columns(changes: AccountChanges) -> dict[str, Any]:
    """The account columns `changes` sets, as the row stores them (payment types by name)."""
    columns = set_fields(changes)
    if isinstance(changes.payment_types, list):
        columns["payment_types"] = [t.value for t in changes.payment_types]
    return columns


async def _check_keys_free(
    context: Context, changes: AccountChanges, *, account: Account | None = None
) -> None:
    """The account number and ERP key in `changes` that `account` does not hold already must
    belong to no other account (an index backs this up against races)."""
    errors = []
    keys = (
        ("code", "Account number", given(changes.code)),
        ("erp_key", "ERP key", given(changes.erp_key)),
    )
    for name, label, value in keys:
        if value is None or (account is not None and getattr(account, name) == value):
            continue
        column = col(getattr(Account, name))
        if await context.db.scalar(select(col(Account.id)).where(column == value)) is not None:
            errors.append(
                DomainError(
                    ErrorCode.DUPLICATE,
                    f"{label} {value} is already in use",
                    field=[to_camel(name)],
                )
            )
    raise_if_any(errors)


async def _check_territory(context: Context, changes: AccountChanges) -> None:
    """Seed 003: the territory "defines a location that the customer account is assigned to",
    so one set on the platform must name a location (the ERP's are taken as they come)."""
    territory = given(changes.territory)
    if territory is None or not territory.strip():
        return
    code = territory.strip().upper()
    if await context.db.scalar(select(col(Location.id)).where(col(Location.code) == code)) is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No location {code}", field=["territory"])


async def create_account(context: Context, changes: AccountChanges) -> Account:
    """CRM workspace "+ Add Account": an account created on the platform is WEB-sourced."""
    changes = _normalise(changes)
    raise_if_any(and_column_errors(validate_account(changes, creating=True), Account, changes))
    await _check_territory(context, changes)
    await _check_keys_free(context, changes)
    account = Account(
        **account_columns(changes),
        source=RecordSource.WEB,
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(account)
    await context.session.flush()
    await record_event(context, WebhookEventKind.ACCOUNT_CREATED, account_data(account))
    return account


async def update_account(
    context: Context, account_id: int | None, changes: AccountChanges
) -> Account:
    """Only the fields `changes` sets change."""
    account = await managed_account(context, account_id, field="id")
    changes = _normalise(changes)
    fields = set_names(changes)
    await refuse_fields_kept_by_erp(
        context, source=account.source, fields=fields, owned=ERP_OWNED_ACCOUNT_FIELDS
    )
    refused = account_fields_not_permitted(context.viewer, fields)
    if refused:
        raise_if_any(
            [
                DomainError(
                    ErrorCode.NOT_PERMITTED,
                    f"{to_camel(name)} is kept by the ERP or staff and cannot be changed here",
                    field=[to_camel(name)],
                )
                for name in sorted(refused)
            ]
        )
    raise_if_any(and_column_errors(validate_account(changes, creating=False), Account, changes))
    await _check_territory(context, changes)
    await _check_keys_free(context, changes, account=account)
    for name, value in account_columns(changes).items():
        setattr(account, name, value)
    account.updated_at = context.now
    await record_event(context, WebhookEventKind.ACCOUNT_UPDATED, account_data(account))
    return account


async def set_account_active(context: Context, account_id: int | None, is_active: bool) -> Account:
    """Seed 000: "When disabled, no Contacts attached to the account will be able to login".
    Authentication re-checks the account on every request; revoking the sessions acting for it
    makes the change visible at once in session listings too."""
    account = await managed_account(context, account_id, field="id")
    account.is_active = is_active
    account.updated_at = context.now
    await record_event(context, WebhookEventKind.ACCOUNT_UPDATED, account_data(account))
    if is_active and account.awaiting_approval:
        await _approve_web_account(context, account)
    if not is_active:
        member_ids = select(col(AccountMembership.contact_id)).where(
            col(AccountMembership.account_id) == account.id
        )
        await context.db.execute(
            update(Session)
            .where(
                col(Session.revoked_at).is_(None),
                col(Session.contact_id).in_(member_ids),
            )
            .values(revoked_at=context.now)
        )
        # Workers acting for the account keep their login but no longer act for it.
        await context.db.execute(
            update(Session)
            .where(
                col(Session.active_account_id) == account.id, col(Session.worker_id).is_not(None)
            )
            .values(active_account_id=None)
        )
    return account


async def _approve_web_account(context: Context, account: Account) -> None:
    """Seed 001 workflow 2: enabling a visitor's pending account approves it, and the contact
    who registered it (created disabled with it) may log in too."""
    account.awaiting_approval = False
    member_ids = select(col(AccountMembership.contact_id)).where(
        col(AccountMembership.account_id) == account.id
    )
    await context.db.execute(
        update(Contact)
        .where(col(Contact.id).in_(member_ids), col(Contact.is_enabled) == false())
        .values(is_enabled=True, updated_at=context.now)
    )
