"""The active account: which account a contact or a sales rep acts for (seed 003 "Sales
Representatives": a rep "can switch between any of the customer accounts assigned with the same
Sales Representative ID")."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, update
from sqlmodel import col

from core.context import Context
from domain.access import Viewer, can_switch_to
from domain.errors import DomainError, ErrorCode
from models import Account, Session
from resolvers.access import readable_account, reps_accounts
from resolvers.accounts import AccountQuery, AccountSortField, accounts_statement


def switchable_accounts(viewer: Viewer) -> ColumnElement[bool]:
    """`domain.access.can_switch_to` in SQL (tests/test_access_twins.py holds them together)."""
    members = (
        col(Account.id).in_(viewer.memberships)
        if viewer.contact_id is not None
        else reps_accounts(viewer)
    )
    return and_(col(Account.is_active), members)


def switchable_statement(context: Context, search: str | None) -> Select[Any]:
    query = AccountQuery(search=search, is_active=True, sort_field=AccountSortField.COMPANY_NAME)
    return accounts_statement(context, query).where(switchable_accounts(context.viewer))


async def switch_account(context: Context, account_id: int | None) -> Account:
    """Make `account_id` the session's active account and the request's, so the payload (and
    every later request) prices, carts and enquires for it."""
    viewer = context.viewer
    account = await readable_account(context, account_id)
    if account is None or account.id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such account", field=["accountId"])
    may_switch = can_switch_to(
        viewer,
        account_id=account.id,
        sales_rep_code=account.sales_rep_code,
        is_active=account.is_active,
    )
    if not may_switch or viewer.session_id is None:
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "You may not act for this account",
            field=["accountId"],
        )
    await context.db.execute(
        update(Session)
        .where(col(Session.id) == viewer.session_id)
        .values(active_account_id=account.id)
    )
    context.viewer = dataclasses.replace(viewer, active_account_id=account.id)
    return account
