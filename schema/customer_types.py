"""The customer model as GraphQL objects: accounts, contacts, memberships, addresses, workers.

Every relation is resolved through the request's loaders, so the SQL a query costs depends on
its depth, not on the length of its lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from core.context import Context
from domain.access import Viewer as RequestViewer
from domain.access import ViewerKind, WorkerPermission
from domain.enums import (
    AddressKind,
    CreditAction,
    MembershipRole,
    PaymentTermsKind,
    PaymentType,
    RecordSource,
    WorkerRole,
)
from loaders.accounts import (
    AccountContactPagesLoader,
    AddressByIdLoader,
    AddressesByAccountIdLoader,
    ContactByIdLoader,
    MembershipsByAccountIdLoader,
    MembershipsByContactIdLoader,
    WorkerByIdLoader,
)
from loaders.carts import CostCentresByAccountIdLoader
from loaders.pricing import (
    AccountPricePagesLoader,
    ContractByIdLoader,
    ContractLinksByAccountIdLoader,
)
from models import Account as AccountRow
from models import Address as AddressRow
from models import Contact as ContactRow
from models import Worker as WorkerRow
from resolvers import active_account, carts, locations, orders, workers
from resolvers.access import readable_account, readable_accounts
from schema import budget_api, enquiry_api, invoice_payment_api, quote_api, wallet_api
from schema.cart_inputs import CartFilter
from schema.cart_types import Cart, CostCentre
from schema.customer_inputs import AddressFilter, SwitchableAccountFilter
from schema.info import Info
from schema.input_values import search_text
from schema.order_inputs import OrderFilter, OrderSortBy, order_query
from schema.order_types import Order
from schema.prefetch import Relation, relation_field
from schema.relay import (
    Connection,
    FromRow,
    Node,
    PageRequest,
    connection,
    paginate,
    paginate_list,
    paginate_related,
)

if TYPE_CHECKING:
    from schema.catalogue_types import AccountLocation, AccountProductPrice
    from schema.contract_types import Contract


@strawberry.type(description="A customer: a company or a person (TOTECS 'Account Details').")
class Account(Node, FromRow):
    row: strawberry.Private[AccountRow]
    code: str = strawberry.field(description="The account number; unique.")
    erp_key: str | None = strawberry.field(description="Key of the account in the ERP.")
    is_active: bool = strawberry.field(
        description="When false, none of the account's contacts can log in."
    )
    company_name: str
    tax_number: str | None = strawberry.field(description="ABN or other tax number.")
    contact_name: str | None
    email: str | None
    sales_rep_code: str | None
    price_level: str | None
    discount_percent: Decimal
    last_synced_at: datetime | None = strawberry.field(
        description="When an ERP import last changed the account."
    )
    is_on_hold: bool
    on_hold_action: CreditAction
    is_out_of_terms: bool
    out_of_terms_action: CreditAction
    out_of_credit_action: CreditAction
    balance: Decimal = strawberry.field(description="Positive: the account owes money.")
    balance_limit: Decimal | None
    payment_terms_kind: PaymentTermsKind
    payment_terms_value: int | None = strawberry.field(
        description="Days or day of month, as `paymentTermsKind` says."
    )
    account_class: str | None
    territory: str | None
    shipping_method: str | None
    user_created_for_account: bool
    source: RecordSource
    customer_groups: list[str]
    awaiting_approval: bool = strawberry.field(
        description="Registered by a visitor and disabled until a worker enables it."
    )
    awaiting_erp_export: bool = strawberry.field(
        description="Created on the web; exported to the ERP with its first order."
    )
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="Payment types the account's contacts may pay with.")
    def payment_types(self) -> list[PaymentType]:
        return payment_types_of(self.row)

    @connection(
        description="The contacts' memberships of this account, oldest first.",
        relation=Relation(MembershipsByAccountIdLoader, key="id", target="AccountMembership"),
    )
    async def memberships(self, info: Info, page: PageRequest) -> Connection[AccountMembership]:
        rows = await info.context.loader(MembershipsByAccountIdLoader).load(self.db_id)
        return await paginate_list(rows, page, AccountMembership.from_row)

    @connection(description="Contacts with a membership of this account, by name.")
    async def contacts(
        self,
        info: Info,
        page: PageRequest,
    ) -> Connection[Contact]:
        return await paginate_related(
            info,
            AccountContactPagesLoader,
            self.db_id,
            page,
            Contact.from_row,
        )

    @connection(
        description="The account's addresses, oldest first.",
        relation=Relation(AddressesByAccountIdLoader, key="id", target="Address"),
    )
    async def addresses(
        self, info: Info, page: PageRequest, filter: AddressFilter | None = None
    ) -> Connection[Address]:
        rows = await info.context.loader(AddressesByAccountIdLoader).load(self.db_id)
        return await paginate_list(AddressFilter.kept(rows, filter), page, Address.from_row)

    @relation_field(
        AddressesByAccountIdLoader,
        key="id",
        target="Address",
        description="The primary address, used as the billing address of orders.",
    )
    def primary_address(self, rows: list[AddressRow]) -> Address | None:
        return _primary_address(rows)

    @connection(description="The account's carts (for its administrators and workers).")
    async def carts(
        self,
        info: Info,
        page: PageRequest,
        filter: CartFilter | None = None,
    ) -> Connection[Cart]:
        return await paginate(
            info,
            carts.account_carts(info.context, self.row, CartFilter.query(filter)),
            page,
            Cart.from_row,
        )

    @connection(description="The account's orders (for its administrators and workers).")
    async def orders(
        self,
        info: Info,
        page: PageRequest,
        filter: OrderFilter | None = None,
        sort_by: OrderSortBy | None = None,
    ) -> Connection[Order]:
        return await paginate(
            info,
            orders.account_orders(info.context, self.row, order_query(filter, sort_by)),
            page,
            Order.from_row,
        )

    @connection(description="Cost centres a cart of the account may be charged to.")
    async def cost_centres(self, info: Info, page: PageRequest) -> Connection[CostCentre]:
        rows = await info.context.loader(CostCentresByAccountIdLoader).load(self.db_id)
        return await paginate_list(rows, page, CostCentre.from_row)

    @connection(
        description="Contracts the account is assigned to, current or not, by expiry and code."
    )
    async def contracts(
        self, info: Info, page: PageRequest
    ) -> Connection[Annotated[Contract, strawberry.lazy("schema.contract_types")]]:
        from schema.contract_types import Contract

        ordered = await contracts_of(info.context, self.db_id)
        return await paginate_list(ordered, page, Contract.from_row)

    @strawberry.field(
        description="The account's locations; one is primary. With none assigned, the location "
        "its territory names (seed 003: the territory assigns a default location)."
    )
    async def locations(
        self, info: Info
    ) -> list[Annotated[AccountLocation, strawberry.lazy("schema.catalogue_types")]]:
        from schema.catalogue_types import AccountLocation

        rows = await locations.account_locations(info.context, self.db_id)
        return [AccountLocation.from_row(row) for row in rows]

    @connection(description="Account-specific prices and quantity breaks, by product and quantity.")
    async def product_prices(
        self,
        info: Info,
        page: PageRequest,
    ) -> Connection[Annotated[AccountProductPrice, strawberry.lazy("schema.catalogue_types")]]:
        from schema.catalogue_types import AccountProductPrice

        return await paginate_related(
            info,
            AccountPricePagesLoader,
            self.db_id,
            page,
            AccountProductPrice.from_row,
        )

    invoices = strawberry.field(
        resolver=enquiry_api.invoices,
        description="ERP invoices; null for a contact's account other than its active one.",
    )
    enquiry_records = strawberry.field(
        resolver=enquiry_api.enquiry_records,
        description="ERP transactions, sales orders, back orders, payments or credits; null for "
        "a contact's account other than its active one.",
    )
    balance_summary = strawberry.field(
        resolver=enquiry_api.balance_summary,
        description="Balance and overdue amounts by ageing bucket; null where `invoices` is.",
    )
    invoice_payments = strawberry.field(
        resolver=invoice_payment_api.account_invoice_payments,
        description="Invoices paid on the web (seeds 002/003), newest first; empty for a "
        "contact's account other than its active one.",
    )
    budgets = strawberry.field(
        resolver=budget_api.account_budgets,
        description="Spending budgets with their spend in the current period, for those who "
        "manage the account (staff, its sales rep, its administrators); empty for others.",
    )
    quotes = strawberry.field(
        resolver=quote_api.account_quotes,
        description="The account's quotes, most recently changed first (issue #16), for its "
        "contacts at their active account and those who may enquire or manage it.",
    )
    favourites_lists = strawberry.field(
        resolver=wallet_api.favourites_lists,
        description="The account's favourites lists the viewer may see.",
    )
    shipping_accounts = strawberry.field(
        resolver=wallet_api.shipping_accounts,
        description="Third-party carrier accounts shipping can be billed to; every contact of "
        "the account uses them, who added one (or manages the account) changes it.",
    )
    credit_cards = strawberry.field(
        resolver=wallet_api.credit_cards,
        description="The account's vaulted credit cards the viewer holds: a contact its own, "
        "workers who manage the account those workers saved, staff all (docs/wallet.md).",
    )


@strawberry.type(description="A person at an account; some log in.")
class Contact(Node, FromRow):
    name: str
    email: str | None
    phone: str | None
    is_enabled: bool
    username: str | None
    created_at: datetime
    updated_at: datetime

    @connection(description="Memberships of accounts the viewer may see, by account.")
    async def memberships(self, info: Info, page: PageRequest) -> Connection[AccountMembership]:
        rows = await info.context.loader(MembershipsByContactIdLoader).load(self.db_id)
        visible = await readable_accounts(info.context, [r.account_id for r in rows])
        kept = [row for row in rows if row.account_id in visible]
        return await paginate_list(kept, page, AccountMembership.from_row)

    saved_searches = strawberry.field(
        resolver=wallet_api.saved_searches,
        description="The contact's saved searches (the contact itself, its managers and staff).",
    )


@strawberry.type(
    description="What a contact may do at an account (PointForce CM10 'Customer Accounts')."
)
class AccountMembership(Node, FromRow):
    account_id: strawberry.Private[int]
    contact_id: strawberry.Private[int]
    cart_approver_id: strawberry.Private[int | None]
    default_ship_to_id: strawberry.Private[int | None]
    role: MembershipRole
    may_select_ship_to: bool
    may_enter_manual_ship_to: bool
    is_default: bool = strawberry.field(description="The account active when the contact logs in.")
    is_active: bool
    allow_future_orders: bool
    hold_orders_created: bool
    approve_assigned: bool
    approve_all: bool
    email_approver: bool
    restricted_products_apply: bool
    no_approval_below_value: Decimal | None
    maximum_approval_value: Decimal | None
    restricted_favourites_list_id: strawberry.Private[int | None]
    restricted_favourites_list = strawberry.field(
        resolver=wallet_api.restricted_favourites_list,
        description="CM10: the favourites list this contact may only read (and buy from).",
    )
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        row = await readable_account(info.context, self.account_id)
        return Account.from_optional_row(row)

    @relation_field(ContactByIdLoader, key="contact_id", target="Contact")
    def contact(self, row: ContactRow) -> Contact:
        return Contact.from_row(row)

    @relation_field(
        ContactByIdLoader,
        key="cart_approver_id",
        target="Contact",
        description="The contact who approves this shopper's carts.",
    )
    def cart_approver(self, row: ContactRow | None) -> Contact | None:
        return Contact.from_optional_row(row)

    @relation_field(
        AddressByIdLoader,
        key="default_ship_to_id",
        target="Address",
        description="Ship-to for new carts; null means the account's own address.",
    )
    def default_ship_to(self, row: AddressRow | None) -> Address | None:
        return Address.from_optional_row(row)


@strawberry.type(description="A billing or shipping address of an account.")
class Address(Node, FromRow):
    kind: AddressKind
    name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postcode: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    is_primary: bool
    source: RecordSource
    erp_key: str | None
    created_at: datetime
    updated_at: datetime


@strawberry.type(description="A staff member: administrator, customer service or sales rep.")
class Worker(Node, FromRow):
    username: str
    name: str
    email: str | None
    role: WorkerRole
    rep_code: str | None
    is_active: bool
    row: strawberry.Private[WorkerRow]

    @strawberry.field(
        description="Seed 003 permissions in force: the worker's own set, else its role's "
        "defaults (`settings.workerPermissions`); ADMIN workers hold every one."
    )
    async def permissions(self, info: Info) -> list[WorkerPermission]:
        held = await workers.permissions_of(info.context, self.row)
        return [p for p in WorkerPermission if p in held]

    saved_searches = strawberry.field(
        resolver=wallet_api.worker_saved_searches,
        description="The worker's own saved searches (for that worker only).",
    )

    @strawberry.field(
        description="The set an administrator gave this worker; null: its role's defaults."
    )
    def own_permissions(self) -> list[WorkerPermission] | None:
        own = self.row.permissions
        return None if own is None else [WorkerPermission(p) for p in own]

    @strawberry.field(
        description="May create and edit contracts (ADMIN workers always may).",
        deprecation_reason="Use `permissions` (MANAGE_CONTRACTS).",
    )
    async def can_manage_contracts(self, info: Info) -> bool:
        held = await workers.permissions_of(info.context, self.row)
        return WorkerPermission.MANAGE_CONTRACTS in held


@strawberry.type(description="Who is calling, and the account they act for.")
class Viewer:
    kind: ViewerKind
    contact_id: strawberry.Private[int | None]
    worker_id: strawberry.Private[int | None]
    active_account_id: strawberry.Private[int | None]

    @classmethod
    def of(cls, viewer: RequestViewer) -> Viewer:
        """The request's viewer (`domain.access.Viewer`) as the API shows it."""
        return cls(
            kind=viewer.kind,
            contact_id=viewer.contact_id,
            worker_id=viewer.worker_id,
            active_account_id=viewer.active_account_id,
        )

    @strawberry.field
    async def contact(self, info: Info) -> Contact | None:
        if self.contact_id is None:
            return None
        row = await info.context.loader(ContactByIdLoader).load(self.contact_id)
        return Contact.from_optional_row(row)

    @strawberry.field
    async def worker(self, info: Info) -> Worker | None:
        if self.worker_id is None:
            return None
        row = await info.context.loader(WorkerByIdLoader).load(self.worker_id)
        return Worker.from_optional_row(row)

    @strawberry.field(description="The account prices, carts and orders are for.")
    async def active_account(self, info: Info) -> Account | None:
        row = await readable_account(info.context, self.active_account_id)
        return Account.from_optional_row(row)

    @connection(description="The contact's usable memberships, by account (none for workers).")
    async def memberships(self, info: Info, page: PageRequest) -> Connection[AccountMembership]:
        rows = await usable_membership_rows(info.context, self.contact_id)
        return await paginate_list(rows, page, AccountMembership.from_row)

    @connection(description="The viewer's own carts at the active account, newest first.")
    async def carts(
        self,
        info: Info,
        page: PageRequest,
        filter: CartFilter | None = None,
    ) -> Connection[Cart]:
        return await paginate(
            info,
            carts.own_carts(info.context, CartFilter.query(filter)),
            page,
            Cart.from_row,
        )

    @connection(description="The orders the viewer placed at the active account.")
    async def orders(
        self,
        info: Info,
        page: PageRequest,
        filter: OrderFilter | None = None,
        sort_by: OrderSortBy | None = None,
    ) -> Connection[Order]:
        return await paginate(
            info,
            orders.own_orders(info.context, order_query(filter, sort_by)),
            page,
            Order.from_row,
        )

    quotes = strawberry.field(
        resolver=quote_api.viewer_quotes,
        description="A contact's quotes at its active account; a worker's, the quotes of the "
        "accounts it manages.",
    )

    @connection(description="Accounts the viewer may switch to with `switchAccount`.")
    async def switchable_accounts(
        self,
        info: Info,
        page: PageRequest,
        filter: SwitchableAccountFilter | None = None,
    ) -> Connection[Account]:
        return await paginate(
            info,
            active_account.switchable_statement(
                info.context, search_text(filter.search if filter else None)
            ),
            page,
            Account.from_row,
        )


def payment_types_of(row: Any) -> list[PaymentType]:
    """`Account.paymentTypes` of an account row (both read paths)."""
    return [PaymentType(name) for name in row.payment_types]


async def usable_membership_rows(context: Context, contact_id: int | None) -> list[Any]:
    """`Viewer.memberships`' rows: the contact's memberships it may use (both read paths)."""
    if contact_id is None:
        return []
    loaded = await context.loader(MembershipsByContactIdLoader).load(contact_id)
    usable = context.viewer.memberships
    return [row for row in loaded if row.account_id in usable]


async def contracts_of(context: Context, account_id: int) -> list[Any]:
    """The contract rows an account is assigned to, by expiry and code (both read paths)."""
    links = await context.loader(ContractLinksByAccountIdLoader).load(account_id)
    rows = await context.loader(ContractByIdLoader).load_many([link.contract_id for link in links])
    return sorted(rows, key=lambda row: (row.expires_on, row.code))


def primary_address_row(rows: Sequence[Any]) -> Any | None:
    """The account's primary address among its address rows, on both read paths."""
    return next((row for row in rows if row.is_primary), None)


def _primary_address(rows: list[AddressRow]) -> Address | None:
    return Address.from_optional_row(primary_address_row(rows))
