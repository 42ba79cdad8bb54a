"""The active account: which account a contact or a sales rep acts for (seed 003 "Sales
Representatives": a rep "can switch between any of the customer accounts assigned with the same
Sales Representative ID")."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import ColumnElement, Select, false, update
from sqlmodel import col

from api.context import Context
from domain.access import Viewer
from domain.errors import DomainError, ErrorCode
from models import Account, Session
from resolvers.access import readable_account
from resolvers.accounts import AccountQuery, AccountSortField, accounts_statement


def switchable_accounts(viewer: Viewer) -> ColumnElement[bool]:
    """Contacts switch among their usable memberships, sales reps among the accounts carrying
    their rep code; nobody else switches."""
    if viewer.contact_id is not None:
        return col(Account.id).in_(viewer.memberships)
    if viewer.is_sales_rep:
        return col(Account.sales_rep_code) == viewer.rep_code
    return false()


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
    may_switch = (
        account.id in viewer.memberships
        if viewer.contact_id is not None
        else viewer.is_sales_rep and account.sales_rep_code == viewer.rep_code
    )
    if not may_switch or not account.is_active or viewer.session_id is None:
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
