"""Applying `domain.access` to rows: SQL filters for lists, loader-backed checks for one object."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import ColumnElement, false, true
from sqlmodel import col

from core.context import Context
from domain.access import Viewer, can_edit_contacts, can_manage_account, can_read_account
from domain.enums import ApiKeyScope
from domain.errors import DomainError, ErrorCode
from loaders.accounts import AccountByIdLoader
from models import Account


def reps_accounts(viewer: Viewer) -> ColumnElement[bool]:
    """`domain.access.is_reps_account` in SQL: the accounts carrying the rep's code."""
    if not viewer.is_sales_rep or viewer.rep_code is None:
        return false()
    return col(Account.sales_rep_code) == viewer.rep_code


def visible_accounts(viewer: Viewer) -> ColumnElement[bool]:
    """The SQL condition matching exactly the accounts `can_read_account` allows."""
    if viewer.is_staff or viewer.has_scope(ApiKeyScope.READ):
        return true()
    if viewer.is_sales_rep:
        return reps_accounts(viewer)
    if viewer.memberships:
        return col(Account.id).in_(viewer.memberships)
    return false()


def may_read(viewer: Viewer, account: Account) -> bool:
    assert account.id is not None
    return can_read_account(viewer, account_id=account.id, sales_rep_code=account.sales_rep_code)


def may_manage(viewer: Viewer, account: Account) -> bool:
    assert account.id is not None
    return can_manage_account(viewer, account_id=account.id, sales_rep_code=account.sales_rep_code)


def may_edit_contacts(viewer: Viewer, account: Account) -> bool:
    assert account.id is not None
    return can_edit_contacts(viewer, account_id=account.id, sales_rep_code=account.sales_rep_code)


async def readable_account(context: Context, account_id: int | None) -> Account | None:
    """The account if it exists and the viewer may read it; otherwise None, alike."""
    if account_id is None:
        return None
    account: Account | None = await context.loader(AccountByIdLoader).load(account_id)
    return account if account is not None and may_read(context.viewer, account) else None


async def readable_accounts(context: Context, account_ids: Sequence[int]) -> dict[int, Account]:
    """The readable ones among `account_ids`, loaded in one batch."""
    accounts = await context.loader(AccountByIdLoader).load_many(list(account_ids))
    return {a.id: a for a in accounts if a is not None and may_read(context.viewer, a)}


async def managed_account(
    context: Context,
    account_id: int | None,
    *,
    field: str,
    rule: Callable[[Viewer, Account], bool] = may_manage,
) -> Account:
    """The account the viewer wants to change, or the refusal: NOT_FOUND when it may not even
    see it (so nothing leaks), NOT_PERMITTED when it may see but not change it (by `rule`)."""
    account = await readable_account(context, account_id)
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such account", field=[field])
    if not rule(context.viewer, account):
        raise DomainError(ErrorCode.NOT_PERMITTED, "You may not manage this account", field=[field])
    return account
