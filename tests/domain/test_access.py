"""Who may read and manage which account (domain.access), table-driven."""

from __future__ import annotations

import pytest

from domain.access import (
    ANONYMOUS,
    Viewer,
    ViewerKind,
    account_fields_not_permitted,
    can_manage_account,
    can_read_account,
)
from domain.enums import ApiKeyScope, MembershipRole, WorkerRole

ADMIN = Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.ADMIN)
SERVICE = Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.CUSTOMER_SERVICE)
REP1 = Viewer(kind=ViewerKind.WORKER, worker_role=WorkerRole.SALES_REP, rep_code="REP01")
SHOPPER = Viewer(kind=ViewerKind.CONTACT, memberships={1: MembershipRole.SHOPPER})
ADMINISTRATOR = Viewer(kind=ViewerKind.CONTACT, memberships={1: MembershipRole.ADMINISTRATOR})
READ_KEY = Viewer(kind=ViewerKind.API_KEY, api_scopes=frozenset({ApiKeyScope.READ}))
SYNC_KEY = Viewer(kind=ViewerKind.API_KEY, api_scopes=frozenset({ApiKeyScope.SYNC}))


@pytest.mark.parametrize(
    ("viewer", "account_id", "rep_code", "reads", "manages"),
    [
        (ADMIN, 1, None, True, True),
        (SERVICE, 2, "REP02", True, True),
        (REP1, 1, "REP01", True, True),
        (REP1, 2, "REP02", False, False),
        (REP1, 3, None, False, False),
        (SHOPPER, 1, None, True, False),
        (SHOPPER, 2, None, False, False),
        (ADMINISTRATOR, 1, None, True, True),
        (ADMINISTRATOR, 2, None, False, False),
        (READ_KEY, 9, None, True, False),
        (SYNC_KEY, 9, None, True, False),
        (ANONYMOUS, 1, None, False, False),
    ],
)
def test_read_and_manage(
    viewer: Viewer, account_id: int, rep_code: str | None, reads: bool, manages: bool
) -> None:
    assert can_read_account(viewer, account_id=account_id, sales_rep_code=rep_code) is reads
    assert can_manage_account(viewer, account_id=account_id, sales_rep_code=rep_code) is manages


def test_sync_scope_implies_read_but_read_does_not_imply_sync() -> None:
    assert SYNC_KEY.has_scope(ApiKeyScope.READ)
    assert not READ_KEY.has_scope(ApiKeyScope.SYNC)


@pytest.mark.parametrize(
    ("viewer", "fields", "refused"),
    [
        (SERVICE, {"price_level", "balance_limit"}, set()),
        (ADMINISTRATOR, {"email", "contact_name"}, set()),
        (
            ADMINISTRATOR,
            {"email", "price_level", "on_hold_action"},
            {"price_level", "on_hold_action"},
        ),
        (REP1, {"sales_rep_code"}, {"sales_rep_code"}),
    ],
)
def test_erp_fields_are_for_staff(viewer: Viewer, fields: set[str], refused: set[str]) -> None:
    assert account_fields_not_permitted(viewer, fields) == refused
