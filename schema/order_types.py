"""Orders and the ERP export queue as GraphQL objects."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from domain.checkout import order_number
from domain.enums import ExportKind, OrderStatus, PaymentTermsKind, PaymentType
from loaders.accounts import AccountByIdLoader, ContactByIdLoader, WorkerByIdLoader
from loaders.carts import OrderByIdLoader, OrderLinesByOrderIdLoader
from loaders.enquiry import InvoicePaymentByIdLoader, ShipmentsByOrderIdLoader
from loaders.pricing import LocationByIdLoader, ProductByIdLoader
from loaders.quotes import QuoteByIdLoader, QuoteByOrderIdLoader
from models import Order as OrderRow
from resolvers.access import readable_account
from resolvers.checkout import DirectDepositSettings
from schema.info import Info
from schema.relay import FromRow, Node, encode_global_id

if TYPE_CHECKING:
    from schema.catalogue_types import Location, Product
    from schema.customer_types import Account, Contact, Worker
    from schema.enquiry_types import EnquiryRecord
    from schema.invoice_payment_types import InvoicePayment
    from schema.quote_types import Quote

strawberry.enum(OrderStatus)
strawberry.enum(ExportKind)

# The customer types refer to orders and carts, so these refer back lazily.
LazyAccount = Annotated["Account", strawberry.lazy("schema.customer_types")]
LazyContact = Annotated["Contact", strawberry.lazy("schema.customer_types")]
LazyWorker = Annotated["Worker", strawberry.lazy("schema.customer_types")]
LazyProduct = Annotated["Product", strawberry.lazy("schema.catalogue_types")]
LazyLocation = Annotated["Location", strawberry.lazy("schema.catalogue_types")]
LazyEnquiryRecord = Annotated["EnquiryRecord", strawberry.lazy("schema.enquiry_types")]
LazyInvoicePayment = Annotated["InvoicePayment", strawberry.lazy("schema.invoice_payment_types")]
LazyQuote = Annotated["Quote", strawberry.lazy("schema.quote_types")]


@strawberry.type(description="A postal address copied onto a cart or an order.")
class ShippingAddress:
    name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postcode: str
    country: str

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> ShippingAddress | None:
        if values is None:
            return None
        return cls(
            name=values["name"],
            line1=values["line1"],
            line2=values.get("line2"),
            city=values["city"],
            region=values.get("region"),
            postcode=values["postcode"],
            country=values.get("country", "AU"),
        )


@strawberry.type(description="Where to send a DIRECT_DEPOSIT payment (settings: direct_deposit).")
class BankDetails:
    account_name: str
    bank_name: str
    bsb: str
    account_number: str
    instructions: str

    @classmethod
    def from_settings(cls, settings: DirectDepositSettings | None) -> BankDetails | None:
        return cls(**settings.model_dump()) if settings is not None else None


# The customer types are imported where they are built, not at the top: that module imports
# this one for `Account.orders`.
async def account_of(info: Info, account_id: int) -> Account | None:
    from schema.customer_types import Account

    row = await readable_account(info.context, account_id)
    return Account.from_optional_row(row)


async def contact_of(info: Info, contact_id: int | None) -> Contact | None:
    from schema.customer_types import Contact

    if contact_id is None:
        return None
    row = await info.context.loader(ContactByIdLoader).load(contact_id)
    return Contact.from_optional_row(row)


async def product_of(info: Info, product_id: int | None) -> Product | None:
    from schema.catalogue_types import Product

    if product_id is None:
        return None
    row = await info.context.loader(ProductByIdLoader).load(product_id)
    return Product.from_optional_row(row)


async def location_of(info: Info, location_id: int | None) -> Location | None:
    from schema.catalogue_types import Location

    if location_id is None:
        return None
    row = await info.context.loader(LocationByIdLoader).load(location_id)
    return Location.from_optional_row(row)


async def worker_of(info: Info, worker_id: int | None) -> Worker | None:
    from schema.customer_types import Worker

    if worker_id is None:
        return None
    row = await info.context.loader(WorkerByIdLoader).load(worker_id)
    return Worker.from_optional_row(row)


@strawberry.type(description="A line of an order: product, quantity and price as ordered.")
class OrderLine(Node):
    product_key: strawberry.Private[int | None]
    sku: str
    product_name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal

    @classmethod
    def of(cls, row: Any) -> OrderLine:
        return cls(
            db_id=row.id,
            product_key=row.product_id,
            sku=row.sku,
            product_name=row.product_name,
            quantity=row.quantity,
            unit_price=row.unit_price,
            line_total=row.line_total,
        )

    @strawberry.field(description="The product's global ID; null if it was deleted.")
    def product_id(self) -> strawberry.ID | None:
        if self.product_key is None:
            return None
        return strawberry.ID(encode_global_id("Product", self.product_key))

    @strawberry.field(
        description="The product as it is now (null if it was deleted); `sku` and "
        "`productName` stay as ordered."
    )
    async def product(self, info: Info) -> LazyProduct | None:
        return await product_of(info, self.product_key)


@strawberry.type(description="The shipping account an order bills shipping to, as it was then.")
class OrderShippingAccount:
    carrier: str
    account_number: str
    name: str


@strawberry.type(description="An order made from a cart; lines and prices are frozen.")
class Order(Node, FromRow):
    row: strawberry.Private[OrderRow]
    status: OrderStatus
    payment_type: PaymentType
    payment_reference: str | None = strawberry.field(
        description="CREDIT_CARD and PAYPAL: the gateway authorisation, or the saved card's "
        "vault token."
    )
    payment_terms_kind: PaymentTermsKind | None = strawberry.field(
        description="ON_ACCOUNT: the account's payment terms when ordering."
    )
    payment_terms_value: int | None
    po_number: str | None
    cost_centre: str | None
    notes: str | None
    date_required: date | None
    shipping_method: str | None = strawberry.field(
        description="The cart's choice, else the account's shipping method when ordering."
    )
    subtotal: Decimal = strawberry.field(description="The goods: the sum of the lines.")
    surcharge: Decimal = strawberry.field(
        description="The ship-from location's surcharge when the order was made."
    )
    total: Decimal = strawberry.field(description="subtotal + surcharge.")
    erp_key: str | None = strawberry.field(description="The ERP's number, once it imported it.")
    released_at: datetime | None = strawberry.field(
        description="When a worker released the held order (CM10 'Hold Orders Created')."
    )
    created_at: datetime

    @strawberry.field(description="The order's number on the web platform.")
    def number(self) -> str:
        return order_number(self.db_id)

    @strawberry.field
    def ship_to(self) -> ShippingAddress | None:
        return ShippingAddress.from_dict(self.row.ship_to)

    @strawberry.field(
        description="The account's shipping account chosen at checkout, for the ERP to bill "
        "shipping to."
    )
    def shipping_account(self) -> OrderShippingAccount | None:
        values = self.row.shipping_account
        return OrderShippingAccount(**values) if values is not None else None

    @strawberry.field(
        description="The account's primary location when ordering, which the goods ship from "
        "(null when it had none)."
    )
    async def ship_from(self, info: Info) -> LazyLocation | None:
        return await location_of(info, self.row.ship_from_location_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[OrderLine]:
        rows = await info.context.loader(OrderLinesByOrderIdLoader).load(self.db_id)
        return [OrderLine.of(row) for row in rows]

    @strawberry.field
    async def account(self, info: Info) -> LazyAccount | None:
        return await account_of(info, self.row.account_id)

    @strawberry.field(description="The contact who ordered (null when a worker did).")
    async def created_by_contact(self, info: Info) -> LazyContact | None:
        return await contact_of(info, self.row.created_by_contact_id)

    @strawberry.field(description="The sales rep or staff member who ordered for the account.")
    async def created_by_worker(self, info: Info) -> LazyWorker | None:
        return await worker_of(info, self.row.created_by_worker_id)

    @strawberry.field(
        description="Its shipments as the ERP sent them (seed 002), oldest first; also in "
        "`Account.enquiryRecords(kind: SHIPMENT)`."
    )
    async def shipments(self, info: Info) -> list[LazyEnquiryRecord]:
        from schema.enquiry_types import EnquiryRecord

        rows = await info.context.loader(ShipmentsByOrderIdLoader).load(self.db_id)
        return EnquiryRecord.from_rows(rows)

    @strawberry.field(description="The worker who released the held order.")
    async def released_by(self, info: Info) -> LazyWorker | None:
        return await worker_of(info, self.row.released_by_worker_id)

    @strawberry.field(description="The approver whose approval created the order.")
    async def approved_by(self, info: Info) -> LazyContact | None:
        return await contact_of(info, self.row.approved_by_contact_id)

    @strawberry.field(description="The quote it was ordered from, at the quote's prices.")
    async def quote(self, info: Info) -> LazyQuote | None:
        from schema.quote_types import Quote

        row = await info.context.loader(QuoteByOrderIdLoader).load(self.db_id)
        return Quote.from_optional_row(row)


@strawberry.type(
    description="A record the ERP has to import: an order, an account with it, an invoice "
    "payment, or a quote after one of its steps."
)
class ErpExport(Node, FromRow):
    account_id: strawberry.Private[int]
    order_id: strawberry.Private[int | None]
    invoice_payment_id: strawberry.Private[int | None]
    quote_id: strawberry.Private[int | None]
    kind: ExportKind
    created_at: datetime
    acknowledged_at: datetime | None
    erp_key: str | None

    @strawberry.field(description="The account (for ACCOUNT: the data to import).")
    async def account(self, info: Info) -> LazyAccount:
        from schema.customer_types import Account

        row = await info.context.loader(AccountByIdLoader).load(self.account_id)
        return Account.from_row(row)

    @strawberry.field(description="The order (for ACCOUNT: the order it travels with).")
    async def order(self, info: Info) -> Order | None:
        if self.order_id is None:
            return None
        row = await info.context.loader(OrderByIdLoader).load(self.order_id)
        return Order.from_optional_row(row)

    @strawberry.field(description="PAYMENT: the invoice payment to import.")
    async def payment(self, info: Info) -> LazyInvoicePayment | None:
        from schema.invoice_payment_types import InvoicePayment

        if self.invoice_payment_id is None:
            return None
        row = await info.context.loader(InvoicePaymentByIdLoader).load(self.invoice_payment_id)
        return InvoicePayment.from_optional_row(row)

    @strawberry.field(description="QUOTE: the quote as it is now, after the step that queued it.")
    async def quote(self, info: Info) -> LazyQuote | None:
        from schema.quote_types import Quote

        if self.quote_id is None:
            return None
        row = await info.context.loader(QuoteByIdLoader).load(self.quote_id)
        return Quote.from_optional_row(row)
