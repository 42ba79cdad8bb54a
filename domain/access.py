"""Who may see and change what: the access rules of the customer model, free of I/O.

A `Viewer` is the authenticated caller, loaded once per request. Rules take plain values so
they can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import Enum

from domain.enums import ApiKeyScope, MembershipRole, WorkerRole


class ViewerKind(Enum):
    ANONYMOUS = "ANONYMOUS"
    CONTACT = "CONTACT"
    WORKER = "WORKER"
    API_KEY = "API_KEY"


class WorkerPermission(Enum):
    """Seed 003 "Facility Role permissions": what a worker may do beyond reading the accounts
    its role lets it see."""

    MANAGE_CONTRACTS = "MANAGE_CONTRACTS"


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


def can_read_account(viewer: Viewer, *, account_id: int, sales_rep_code: str | None) -> bool:
    """Contacts see the accounts they are active members of; sales reps those carrying their rep
    code (TOTECS "Sales Representative ID"); staff and integrators see every account."""
    if viewer.is_staff or viewer.has_scope(ApiKeyScope.READ):
        return True
    if viewer.is_sales_rep:
        return sales_rep_code is not None and sales_rep_code == viewer.rep_code
    return account_id in viewer.memberships


def can_manage_account(viewer: Viewer, *, account_id: int, sales_rep_code: str | None) -> bool:
    """Manage an account's contacts, memberships and addresses: staff, the account's own sales
    rep, and the account's ADMINISTRATOR members (CM10 "administrator")."""
    if viewer.is_staff:
        return True
    if viewer.is_sales_rep:
        return sales_rep_code is not None and sales_rep_code == viewer.rep_code
    return viewer.memberships.get(account_id) is MembershipRole.ADMINISTRATOR


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
    return viewer.is_sales_rep and all(
        code is not None and code == viewer.rep_code for code in account_rep_codes
    )


def can_assign_to_contract(viewer: Viewer, *, sales_rep_code: str | None) -> bool:
    """Which accounts a contract manager may put on (or take off) a contract: staff any, a
    sales rep only its own."""
    if not viewer.may(WorkerPermission.MANAGE_CONTRACTS):
        return False
    return viewer.is_staff or (sales_rep_code is not None and sales_rep_code == viewer.rep_code)
