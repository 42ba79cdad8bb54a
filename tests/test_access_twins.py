"""Each access rule that exists twice, as a pure function (`domain.access`) and as its SQL copy
(`resolvers.access`, `resolvers.active_account`), picks the same accounts: table-driven over a
set of viewers and accounts, on the test database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.access import ANONYMOUS, Viewer, ViewerKind, can_read_account, can_switch_to
from domain.enums import ApiKeyScope, MembershipRole, WorkerRole
from models import Account
from resolvers.access import visible_accounts
from resolvers.active_account import switchable_accounts
from tests.factories import make_account

# (code, sales rep code, active)
ACCOUNTS = [
    ("T1", "REP01", True),
    ("T2", "REP01", False),
    ("T3", "REP02", True),
    ("T4", None, True),
    ("T5", None, False),
]


def viewers(ids: dict[str, int]) -> dict[str, Viewer]:
    return {
        "anonymous": ANONYMOUS,
        "admin": Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.ADMIN),
        "service": Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.CUSTOMER_SERVICE),
        "rep1": Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.SALES_REP, rep_code="REP01"),
        "rep without a code": Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.SALES_REP),
        "contact of T1, T2, T4": Viewer(
            kind=ViewerKind.CONTACT,
            contact_id=1,
            memberships={
                ids["T1"]: MembershipRole.SHOPPER,
                ids["T2"]: MembershipRole.ADMINISTRATOR,
                ids["T4"]: MembershipRole.SHOPPER,
            },
        ),
        "contact of none": Viewer(kind=ViewerKind.CONTACT, contact_id=2),
        "read key": Viewer(kind=ViewerKind.API_KEY, api_scopes=frozenset({ApiKeyScope.READ})),
        "sync key": Viewer(kind=ViewerKind.API_KEY, api_scopes=frozenset({ApiKeyScope.SYNC})),
    }


def reads(viewer: Viewer, account: Account) -> bool:
    assert account.id is not None
    return can_read_account(viewer, account_id=account.id, sales_rep_code=account.sales_rep_code)


def switches(viewer: Viewer, account: Account) -> bool:
    assert account.id is not None
    return can_switch_to(
        viewer,
        account_id=account.id,
        sales_rep_code=account.sales_rep_code,
        is_active=account.is_active,
    )


TWINS: list[tuple[Callable[[Viewer, Account], bool], Callable[[Viewer], ColumnElement[bool]]]] = [
    (reads, visible_accounts),
    (switches, switchable_accounts),
]


@pytest.mark.parametrize(("rule", "sql"), TWINS, ids=["visible accounts", "switchable accounts"])
async def test_the_rule_and_its_sql_pick_the_same_accounts(
    session: AsyncSession,
    rule: Callable[[Viewer, Account], bool],
    sql: Callable[[Viewer], ColumnElement[bool]],
) -> None:
    accounts = [
        await make_account(session, code=code, sales_rep_code=rep, is_active=active)
        for code, rep, active in ACCOUNTS
    ]
    ids = {account.code: account.id for account in accounts if account.id is not None}
    picks = []
    for name, viewer in viewers(ids).items():
        by_sql = set(
            (
                await session.scalars(
                    select(col(Account.code)).where(sql(viewer)).order_by(col(Account.code))
                )
            ).all()
        )
        by_rule = {account.code for account in accounts if rule(viewer, account)}
        assert by_sql == by_rule, name
        picks.append(by_rule)
    # The table is worth something only if some viewer picks some accounts and not others.
    assert any(0 < len(picked) < len(ids) for picked in picks)
