"""Carts, their lines and history, the checkout preview, and cost centres as GraphQL objects."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry

from domain.budgets import BudgetOutcome
from domain.checkout import CheckoutOutcome
from domain.enums import CartEventKind, CartStatus, PaymentType
from loaders.accounts import AccountByIdLoader
from loaders.carts import (
    CartEventPagesLoader,
    CartLinesByCartIdLoader,
    OrderByCartIdLoader,
)
from loaders.pricing import ProductByIdLoader
from loaders.wallet import ShippingAccountByIdLoader
from models import Cart as CartRow
from models import CartEvent as CartEventRow
from models import CartLine as CartLineRow
from models import Product as ProductRow
from resolvers import carts, checkout
from schema.budget_types import BudgetCheck
from schema.errors import UserError, Warning
from schema.info import Info
from schema.order_types import (
    LazyAccount,
    LazyContact,
    LazyLocation,
    LazyProduct,
    LazyWorker,
    Order,
    ShippingAddress,
    account_of,
    contact_of,
    location_of,
    product_of,
    worker_of,
)
from schema.prefetch import relation_field
from schema.relay import (
    Connection,
    FromRow,
    Node,
    PageRequest,
    connection,
    encode_global_id,
    paginate_related,
)
from schema.wallet_types import ShippingAccount

strawberry.enum(CartStatus)
strawberry.enum(CartEventKind)
strawberry.enum(CheckoutOutcome)


@strawberry.type(description="A cost centre a cart may be charged to.")
class CostCentre(Node, FromRow):
    code: str
    name: str


@strawberry.type(description="A product in a cart, priced when the line last changed.")
class CartLine(Node):
    product_key: strawberry.Private[int]
    quantity: int
    unit_price: Decimal
    line_total: Decimal

    @classmethod
    def of(cls, row: Any) -> CartLine:
        return cls(
            db_id=row.id,
            product_key=row.product_id,
            quantity=row.quantity,
            unit_price=row.unit_price,
            line_total=row.line_total,
        )

    @strawberry.field(description="The product's global ID.")
    def product_id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Product", self.product_key))

    @strawberry.field(description="The product (null if it was deleted).")
    async def product(self, info: Info) -> LazyProduct | None:
        return await product_of(info, self.product_key)

    @relation_field(ProductByIdLoader, key="product_id", attribute="product_key", target="Product")
    def sku(self, row: ProductRow) -> str:
        return str(row.sku)

    @relation_field(ProductByIdLoader, key="product_id", attribute="product_key", target="Product")
    def product_name(self, row: ProductRow) -> str:
        return str(row.name)


@strawberry.type(description="A state change of a cart: who, when, what, and the comment.")
class CartEvent:
    row: strawberry.Private[CartEventRow]
    kind: CartEventKind
    comment: str | None
    created_at: datetime

    @strawberry.field
    async def contact(self, info: Info) -> LazyContact | None:
        return await contact_of(info, self.row.contact_id)

    @strawberry.field
    async def worker(self, info: Info) -> LazyWorker | None:
        return await worker_of(info, self.row.worker_id)


@strawberry.type(description="What checking out the cart now would do.")
class CheckoutPreview:
    outcome: CheckoutOutcome = strawberry.field(
        description="ORDER, PENDING_APPROVAL (goes to an approver) or REFUSED (see errors)."
    )
    allowed_payment_types: list[PaymentType] = strawberry.field(
        description="The account's payment types left once its credit state applies."
    )
    subtotal: Decimal = strawberry.field(description="The goods: the cart's total.")
    surcharge: Decimal = strawberry.field(description="The ship-from location's surcharge.")
    total: Decimal = strawberry.field(
        description="subtotal + surcharge: what the order would charge."
    )
    ship_from_location_id: strawberry.Private[int | None]
    warnings: list[Warning]
    errors: list[UserError]
    budget_decision: BudgetOutcome = strawberry.field(
        description="What the cart's budgets say together: the strictest of `budgets`."
    )
    budgets: list[BudgetCheck] = strawberry.field(
        description="Every budget the cart counts against, with what remains before it."
    )

    @strawberry.field(
        description="The account's primary location, which the order would ship from."
    )
    async def ship_from(self, info: Info) -> LazyLocation | None:
        return await location_of(info, self.ship_from_location_id)


@strawberry.type(description="A shopping cart of an account.")
class Cart(Node, FromRow):
    row: strawberry.Private[CartRow]
    name: str
    status: CartStatus
    po_number: str | None
    cost_centre: str | None
    notes: str | None
    date_required: date | None
    total: Decimal
    payment_type: PaymentType | None = strawberry.field(
        description="Chosen at checkout; kept while the cart waits for approval."
    )
    created_at: datetime
    updated_at: datetime

    @relation_field(CartLinesByCartIdLoader, key="id", target="CartLine")
    def lines(self, rows: list[CartLineRow]) -> list[CartLine]:
        return [CartLine.of(row) for row in rows]

    @strawberry.field(
        description="How the order will ship: the cart's choice, else the account's shipping "
        "method (seed 003)."
    )
    async def shipping_method(self, info: Info) -> str | None:
        account = await info.context.loader(AccountByIdLoader).load(self.row.account_id)
        return carts.shipping_method_of(self.row, account)

    @strawberry.field(description="Where the cart ships; the account's address by default.")
    async def ship_to(self, info: Info) -> ShippingAddress | None:
        return ShippingAddress.from_dict(await carts.ship_to_of(info.context, self.row))

    @strawberry.field
    async def account(self, info: Info) -> LazyAccount | None:
        return await account_of(info, self.row.account_id)

    @strawberry.field(description="The shopper (null when a worker keeps the cart).")
    async def contact(self, info: Info) -> LazyContact | None:
        return await contact_of(info, self.row.contact_id)

    @strawberry.field(description="The worker who keeps the cart for the account.")
    async def worker(self, info: Info) -> LazyWorker | None:
        return await worker_of(info, self.row.worker_id)

    @strawberry.field(
        description="The contact who created the cart (null when a worker did); as `Order`."
    )
    async def created_by_contact(self, info: Info) -> LazyContact | None:
        return await contact_of(info, self.row.contact_id)

    @strawberry.field(
        description="The sales rep or staff member who created the cart for the account."
    )
    async def created_by_worker(self, info: Info) -> LazyWorker | None:
        return await worker_of(info, self.row.worker_id)

    @strawberry.field(description="The shipping account chosen at checkout.")
    async def shipping_account(self, info: Info) -> ShippingAccount | None:
        if self.row.shipping_account_id is None:
            return None
        row = await info.context.loader(ShippingAccountByIdLoader).load(
            self.row.shipping_account_id
        )
        return ShippingAccount.from_optional_row(row)

    @connection(description="Every state change, oldest first.")
    async def history(
        self,
        info: Info,
        page: PageRequest,
    ) -> Connection[CartEvent]:
        return await paginate_related(
            info,
            CartEventPagesLoader,
            self.db_id,
            page,
            lambda row: CartEvent(
                row=row, kind=row.kind, comment=row.comment, created_at=row.created_at
            ),
        )

    @strawberry.field(description="The order the cart became.")
    async def order(self, info: Info) -> Order | None:
        row = await info.context.loader(OrderByCartIdLoader).load(self.db_id)
        return Order.from_optional_row(row)

    @strawberry.field(
        description="The checkout decision as it stands, before the buyer chooses how to pay."
    )
    async def checkout_preview(self, info: Info) -> CheckoutPreview:
        decision = await checkout.decide(
            info.context, self.row, payment_type=None, payment_reference=None
        )
        amounts = await checkout.order_amounts(info.context, self.row)
        return CheckoutPreview(
            outcome=decision.outcome,
            allowed_payment_types=list(decision.allowed_payment_types),
            subtotal=amounts.subtotal,
            surcharge=amounts.surcharge,
            total=amounts.total,
            ship_from_location_id=amounts.ship_from.id if amounts.ship_from else None,
            warnings=[Warning(code=w.code, message=w.message) for w in decision.warnings],
            errors=[UserError.from_domain(e) for e in decision.errors],
            budget_decision=decision.budgets.outcome,
            budgets=[BudgetCheck.of(check) for check in decision.budgets.checks],
        )

    @strawberry.field(
        description="The budgets the cart counts against, as they stand now: what the "
        "approver deciding a pending cart sees (its own total left out of `pending`)."
    )
    async def budgets(self, info: Info) -> list[BudgetCheck]:
        decision = await checkout.decide(
            info.context, self.row, payment_type=None, payment_reference=None
        )
        return [BudgetCheck.of(check) for check in decision.budgets.checks]
