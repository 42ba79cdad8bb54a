"""Who may read and manage which account (domain.access), table-driven."""

from __future__ import annotations

import pytest

from domain.access import (
    ANONYMOUS,
    RolePermissions,
    Viewer,
    ViewerKind,
    WorkerPermission,
    account_fields_not_permitted,
    can_assign_to_contract,
    can_change_contract,
    can_edit_contacts,
    can_manage_account,
    can_place_orders,
    can_read_account,
    can_view_enquiry,
    sees_all_stock,
    worker_permissions,
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


CONTRACTS = frozenset({WorkerPermission.MANAGE_CONTRACTS})
REP1_CONTRACTS = Viewer(
    kind=ViewerKind.WORKER,
    worker_role=WorkerRole.SALES_REP,
    rep_code="REP01",
    permissions=CONTRACTS,
)
SERVICE_CONTRACTS = Viewer(
    kind=ViewerKind.WORKER, worker_role=WorkerRole.CUSTOMER_SERVICE, permissions=CONTRACTS
)
# A contact cannot hold a worker permission, whatever its viewer says.
CONTACT_CONTRACTS = Viewer(kind=ViewerKind.CONTACT, contact_id=1, permissions=CONTRACTS)


@pytest.mark.parametrize(
    ("viewer", "account_rep_codes", "changes"),
    [
        (ADMIN, ["REP02", None], True),
        (SERVICE_CONTRACTS, ["REP02"], True),
        (SERVICE, ["REP02"], False),
        (REP1_CONTRACTS, [], True),  # a contract it has just created
        (REP1_CONTRACTS, ["REP01", "REP01"], True),
        (REP1_CONTRACTS, ["REP02"], False),  # issue 12: another rep's contract
        (REP1_CONTRACTS, ["REP01", "REP02"], False),  # shared with another rep's account
        (REP1_CONTRACTS, ["REP01", None], False),  # an account no rep looks after
        (REP1, ["REP01"], False),  # without the permission
        (CONTACT_CONTRACTS, [], False),
        (READ_KEY, [], False),
        (ANONYMOUS, [], False),
    ],
)
def test_who_changes_a_contract(
    viewer: Viewer, account_rep_codes: list[str | None], changes: bool
) -> None:
    assert can_change_contract(viewer, account_rep_codes=account_rep_codes) is changes


@pytest.mark.parametrize(
    ("viewer", "rep_code", "assigns"),
    [
        (ADMIN, "REP02", True),
        (ADMIN, None, True),
        (SERVICE_CONTRACTS, "REP02", True),
        (REP1_CONTRACTS, "REP01", True),
        (REP1_CONTRACTS, "REP02", False),
        (REP1_CONTRACTS, None, False),
        (REP1, "REP01", False),
        (CONTACT_CONTRACTS, None, False),
    ],
)
def test_who_assigns_an_account_to_a_contract(
    viewer: Viewer, rep_code: str | None, assigns: bool
) -> None:
    assert can_assign_to_contract(viewer, sales_rep_code=rep_code) is assigns


P = WorkerPermission
EVERYDAY = frozenset({P.PLACE_ORDERS, P.VIEW_ENQUIRY, P.EDIT_CONTACTS, P.SEE_ALL_STOCK})
TIGHT = RolePermissions(sales_rep=[P.PLACE_ORDERS], customer_service=[])


@pytest.mark.parametrize(
    ("role", "own", "defaults", "held"),
    [
        (WorkerRole.ADMIN, None, RolePermissions(), frozenset(P)),
        (WorkerRole.ADMIN, [], TIGHT, frozenset(P)),  # no setting locks administrators out
        (WorkerRole.SALES_REP, None, RolePermissions(), EVERYDAY),
        (WorkerRole.CUSTOMER_SERVICE, None, RolePermissions(), EVERYDAY),
        (WorkerRole.SALES_REP, None, TIGHT, frozenset({P.PLACE_ORDERS})),
        (WorkerRole.CUSTOMER_SERVICE, None, TIGHT, frozenset()),
        (WorkerRole.SALES_REP, [P.MANAGE_CONTRACTS], TIGHT, frozenset({P.MANAGE_CONTRACTS})),
        (WorkerRole.SALES_REP, [], RolePermissions(), frozenset()),
    ],
)
def test_permissions_in_force(
    role: WorkerRole,
    own: list[WorkerPermission] | None,
    defaults: RolePermissions,
    held: frozenset[WorkerPermission],
) -> None:
    assert worker_permissions(role=role, own=own, defaults=defaults) == held


def _rep(*permissions: WorkerPermission) -> Viewer:
    return Viewer(
        kind=ViewerKind.WORKER,
        worker_role=WorkerRole.SALES_REP,
        rep_code="REP01",
        permissions=frozenset(permissions),
    )


ACTING_SHOPPER = Viewer(
    kind=ViewerKind.CONTACT, active_account_id=1, memberships={1: MembershipRole.SHOPPER}
)


@pytest.mark.parametrize(
    ("viewer", "orders", "enquiry_of_1", "enquiry_of_2", "all_stock"),
    [
        (ADMIN, True, True, True, True),
        (_rep(*EVERYDAY), True, True, True, True),
        (_rep(), False, False, False, False),
        (_rep(P.PLACE_ORDERS), True, False, False, False),
        (_rep(P.VIEW_ENQUIRY), False, True, True, False),
        (_rep(P.SEE_ALL_STOCK), False, False, False, True),
        (ACTING_SHOPPER, True, True, False, False),  # its active account only
        (READ_KEY, False, True, True, True),
        (ANONYMOUS, False, False, False, False),
    ],
)
def test_what_each_permission_allows(
    viewer: Viewer, orders: bool, enquiry_of_1: bool, enquiry_of_2: bool, all_stock: bool
) -> None:
    assert can_place_orders(viewer) is orders
    assert can_view_enquiry(viewer, account_id=1) is enquiry_of_1
    assert can_view_enquiry(viewer, account_id=2) is enquiry_of_2
    assert sees_all_stock(viewer) is all_stock


@pytest.mark.parametrize(
    ("viewer", "rep_code", "edits"),
    [
        (ADMIN, "REP02", True),
        (SERVICE, None, False),  # staff without the permission
        (
            Viewer(
                kind=ViewerKind.WORKER,
                worker_role=WorkerRole.CUSTOMER_SERVICE,
                permissions=frozenset({P.EDIT_CONTACTS}),
            ),
            None,
            True,
        ),
        (_rep(P.EDIT_CONTACTS), "REP01", True),
        (_rep(P.EDIT_CONTACTS), "REP02", False),  # not its account
        (_rep(), "REP01", False),
        (ADMINISTRATOR, None, True),  # account administrators are not workers
        (SHOPPER, None, False),
    ],
)
def test_who_edits_an_accounts_contacts(viewer: Viewer, rep_code: str | None, edits: bool) -> None:
    assert can_edit_contacts(viewer, account_id=1, sales_rep_code=rep_code) is edits
