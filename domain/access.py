"""Who may see and change what: the access rules of the customer model, free of I/O.

A `Viewer` is the authenticated caller, loaded once per request. Rules take plain values so
they can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import Enum

from pydantic import BaseModel, Field

from domain.enums import ApiKeyScope, MembershipRole, WorkerRole


class ViewerKind(Enum):
    ANONYMOUS = "ANONYMOUS"
    CONTACT = "CONTACT"
    WORKER = "WORKER"
    API_KEY = "API_KEY"


class WorkerPermission(Enum):
    """Seed 003 "Facility Role permissions": "several permissions ... that give sales
    representative users several additional controls compared to normal users"."""

    MANAGE_CONTRACTS = "MANAGE_CONTRACTS"  # "create contracts through the Trade interface"
    PLACE_ORDERS = "PLACE_ORDERS"  # "create orders for many different customer accounts"
    VIEW_ENQUIRY = "VIEW_ENQUIRY"  # the accounts' enquiry records (invoices, orders, ...)
    EDIT_CONTACTS = "EDIT_CONTACTS"  # the accounts' contacts and their memberships
    # Without it a worker sees stock only at the locations of the account it acts for ("can
    # only see the quantities of product stock available at locations assigned to their
    # customer account").
    SEE_ALL_STOCK = "SEE_ALL_STOCK"


WORKER_PERMISSIONS_SECTION = "worker_permissions"

_EVERYDAY = [
    WorkerPermission.PLACE_ORDERS,
    WorkerPermission.VIEW_ENQUIRY,
    WorkerPermission.EDIT_CONTACTS,
    WorkerPermission.SEE_ALL_STOCK,
]


class RolePermissions(BaseModel):
    """Settings section 'worker_permissions': what a worker of each role may do unless an
    administrator gave that worker its own set. ADMIN workers always hold every permission
    (so no setting can lock the administrators out)."""

    sales_rep: list[WorkerPermission] = Field(default_factory=lambda: list(_EVERYDAY))
    customer_service: list[WorkerPermission] = Field(default_factory=lambda: list(_EVERYDAY))

    def for_role(self, role: WorkerRole) -> frozenset[WorkerPermission]:
        if role is WorkerRole.ADMIN:
            return frozenset(WorkerPermission)
        if role is WorkerRole.SALES_REP:
            return frozenset(self.sales_rep)
        return frozenset(self.customer_service)


def worker_permissions(
    *,
    role: WorkerRole,
    own: Collection[WorkerPermission] | None,
    defaults: RolePermissions,
) -> frozenset[WorkerPermission]:
    """The permissions in force: every one for ADMIN workers, else the worker's own set when
    an administrator gave it one, else its role's defaults."""
    if role is WorkerRole.ADMIN or own is None:
        return defaults.for_role(role)
    return frozenset(own)


@dataclass(frozen=True)
class Viewer:
    kind: ViewerKind
    session_id: int | None = None
    contact_id: int | None = None
    worker_id: int | None = None
    worker_role: WorkerRole | None = None
    rep_code: str | None = None
    api_key_id: int | None = None
    api_scopes: frozenset[ApiKeyScope] = frozenset()
    active_account_id: int | None = None
    # account id -> role, for the contact's active memberships of active accounts only.
    memberships: dict[int, MembershipRole] = field(default_factory=dict)
    # Workers only: the permissions in force for this worker (its own, or its role's defaults).
    permissions: frozenset[WorkerPermission] = frozenset()

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not ViewerKind.ANONYMOUS

    @property
    def is_staff(self) -> bool:
        """ADMIN and CUSTOMER_SERVICE workers see and edit every account."""
        return self.worker_role in (WorkerRole.ADMIN, WorkerRole.CUSTOMER_SERVICE)

    @property
    def is_admin(self) -> bool:
        return self.worker_role is WorkerRole.ADMIN

    @property
    def is_sales_rep(self) -> bool:
        return self.worker_role is WorkerRole.SALES_REP

    def may(self, permission: WorkerPermission) -> bool:
        """ADMIN workers hold every permission; other workers those they were given."""
        return self.is_admin or (self.kind is ViewerKind.WORKER and permission in self.permissions)

    def has_scope(self, scope: ApiKeyScope) -> bool:
        # `sync` implies `read`: an integrator that may write may also read what it wrote.
        if scope is ApiKeyScope.READ:
            return bool(self.api_scopes)
        return scope in self.api_scopes


ANONYMOUS = Viewer(kind=ViewerKind.ANONYMOUS)


def is_reps_account(viewer: Viewer, sales_rep_code: str | None) -> bool:
    """Seed 003: a sales rep's accounts are those "assigned with the same Sales Representative
    ID" as the rep (`resolvers.access.reps_accounts` is the same rule in SQL)."""
    return viewer.is_sales_rep and sales_rep_code is not None and sales_rep_code == viewer.rep_code


def can_switch_to(
    viewer: Viewer, *, account_id: int, sales_rep_code: str | None, is_active: bool
) -> bool:
    """Which account a viewer may act for (seed 003 "Sales Representatives"): a contact any of
    its usable memberships' accounts, a sales rep any of its accounts; only an active account;
    nobody else switches."""
    if not is_active:
        return False
    if viewer.contact_id is not None:
        return account_id in viewer.memberships
    return is_reps_account(viewer, sales_rep_code)


def can_read_account(viewer: Viewer, *, account_id: int, sales_rep_code: str | None) -> bool:
    """Contacts see the accounts they are active members of; sales reps those carrying their rep
    code (TOTECS "Sales Representative ID"); staff and integrators see every account."""
    if viewer.is_staff or viewer.has_scope(ApiKeyScope.READ):
        return True
    if viewer.is_sales_rep:
        return is_reps_account(viewer, sales_rep_code)
    return account_id in viewer.memberships


def can_manage_account(viewer: Viewer, *, account_id: int, sales_rep_code: str | None) -> bool:
    """Manage an account's contacts, memberships and addresses: staff, the account's own sales
    rep, and the account's ADMINISTRATOR members (CM10 "administrator")."""
    if viewer.is_staff:
        return True
    if viewer.is_sales_rep:
        return is_reps_account(viewer, sales_rep_code)
    return viewer.memberships.get(account_id) is MembershipRole.ADMINISTRATOR


def can_edit_contacts(viewer: Viewer, *, account_id: int, sales_rep_code: str | None) -> bool:
    """Create and edit an account's contacts and memberships: whoever manages the account,
    except a worker without the "edit account contacts" permission (seed 003)."""
    if viewer.kind is ViewerKind.WORKER and not viewer.may(WorkerPermission.EDIT_CONTACTS):
        return False
    return can_manage_account(viewer, account_id=account_id, sales_rep_code=sales_rep_code)


def can_place_orders(viewer: Viewer) -> bool:
    """Create and check out carts. Contacts buy under their memberships' rules; a worker (seed
    003: a sales rep "create[s] orders for many different customer accounts") needs the
    permission; integrators send orders through the ERP, not carts."""
    if viewer.kind is ViewerKind.WORKER:
        return viewer.may(WorkerPermission.PLACE_ORDERS)
    return viewer.kind is ViewerKind.CONTACT


def can_view_enquiry(viewer: Viewer, *, account_id: int) -> bool:
    """Seed 003 "Account Enquiry", for an account already known to be readable: contacts look up
    the account they act for; workers with the enquiry permission any account; integrators
    any."""
    if viewer.kind is ViewerKind.API_KEY:
        return True
    if viewer.kind is ViewerKind.WORKER:
        return viewer.may(WorkerPermission.VIEW_ENQUIRY)
    return viewer.active_account_id == account_id


def sees_all_stock(viewer: Viewer) -> bool:
    """Seed 003: users "can only see the quantities of product stock available at locations
    assigned to their customer account" unless their role says otherwise; integrators see
    all."""
    return viewer.kind is ViewerKind.API_KEY or viewer.may(WorkerPermission.SEE_ALL_STOCK)


# Account fields that only the ERP or staff may change: pricing, credit, terms and ownership.
# An account administrator may keep its own contact details up to date.
ACCOUNT_FIELDS_FOR_ADMINISTRATORS = frozenset(
    {"company_name", "tax_number", "contact_name", "email"}
)


def account_fields_not_permitted(viewer: Viewer, fields: set[str]) -> set[str]:
    """The subset of `fields` this viewer may not change on an account it may manage."""
    if viewer.is_staff:
        return set()
    return fields - ACCOUNT_FIELDS_FOR_ADMINISTRATORS


def can_change_contract(viewer: Viewer, *, account_rep_codes: Collection[str | None]) -> bool:
    """Seed 003: sales reps with the contract permission "create contracts"; reading a contract
    does not imply changing it. ADMIN workers (and staff given the permission) change every
    contract; a sales rep only one whose every account carries its rep code, so it cannot
    reprice another rep's customers."""
    if not viewer.may(WorkerPermission.MANAGE_CONTRACTS):
        return False
    if viewer.is_staff:
        return True
    return viewer.is_sales_rep and all(is_reps_account(viewer, code) for code in account_rep_codes)


def can_assign_to_contract(viewer: Viewer, *, sales_rep_code: str | None) -> bool:
    """Which accounts a contract manager may put on (or take off) a contract: staff any, a
    sales rep only its own."""
    if not viewer.may(WorkerPermission.MANAGE_CONTRACTS):
        return False
    return viewer.is_staff or is_reps_account(viewer, sales_rep_code)
