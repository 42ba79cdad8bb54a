"""Quotes as GraphQL objects (issue #16 §1): lines with their breakdown against today's price,
totals, the state with expiry applied, and the history of every step."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain.enums import QuoteAction, QuoteStatus
from domain.quotes import QuoteSide, quote_number, total_saving
from loaders.accounts import ContactByIdLoader, WorkerByIdLoader
from loaders.carts import OrderByIdLoader
from loaders.quotes import QuoteEventsByQuoteIdLoader
from models import Quote as QuoteRow
from models import QuoteEvent as QuoteEventRow
from resolvers import quotes
from resolvers.carts import readable_cart
from resolvers.quotes import QuotedLine
from schema.cart_types import Cart
from schema.info import Info
from schema.order_types import (
    LazyAccount,
    LazyContact,
    LazyProduct,
    LazyWorker,
    Order,
    account_of,
    contact_of,
    product_of,
    worker_of,
)
from schema.relay import (
    Connection,
    FromRow,
    Node,
    PageRequest,
    connection,
    encode_global_id,
    paginate_list,
)

strawberry.enum(QuoteStatus)
strawberry.enum(QuoteAction)
strawberry.enum(QuoteSide)


@strawberry.type(
    description="A quoted line: the price at request, the quoted price (net of the quote's "
    "discount) and the buyer's price today, with what the quote saves."
)
class QuoteLine(Node):
    product_key: strawberry.Private[int | None]
    sku: str
    product_name: str
    quantity: int
    requested_unit_price: Decimal = strawberry.field(
        description="The buyer's price when the quote was requested."
    )
    list_unit_price: Decimal = strawberry.field(
        description="The seller's price before the quote's discount."
    )
    quoted_unit_price: Decimal = strawberry.field(
        description="What the order pays: the seller's price less the quote's discount."
    )
    line_total: Decimal = strawberry.field(description="quotedUnitPrice x quantity.")
    todays_unit_price: Decimal | None = strawberry.field(
        description="The buyer's price for this quantity today; null when it cannot buy it now."
    )
    saving: Decimal | None = strawberry.field(
        description="(todaysUnitPrice - quotedUnitPrice) x quantity: what the quote saves "
        "against buying today (negative when today is cheaper)."
    )

    @classmethod
    def of(cls, quoted: QuotedLine) -> QuoteLine:
        row, numbers = quoted.row, quoted.breakdown
        assert row.id is not None
        return cls(
            db_id=row.id,
            product_key=row.product_id,
            sku=row.sku,
            product_name=row.product_name,
            quantity=row.quantity,
            requested_unit_price=row.requested_unit_price,
            list_unit_price=row.quoted_unit_price,
            quoted_unit_price=numbers.quoted_unit_price,
            line_total=numbers.line_total,
            todays_unit_price=numbers.todays_unit_price,
            saving=numbers.saving,
        )

    @strawberry.field(description="The product's global ID; null if it was deleted.")
    def product_id(self) -> strawberry.ID | None:
        if self.product_key is None:
            return None
        return strawberry.ID(encode_global_id("Product", self.product_key))

    @strawberry.field(description="The product as it is now (null if it was deleted).")
    async def product(self, info: Info) -> LazyProduct | None:
        return await product_of(info, self.product_key)


@strawberry.type
class QuoteTotals:
    subtotal: Decimal = strawberry.field(description="The lines before the discount.")
    discount: Decimal = strawberry.field(description="What the discount takes off.")
    total: Decimal = strawberry.field(
        description="The lines at their quoted prices: what the order's goods cost."
    )
    todays_total: Decimal | None = strawberry.field(
        description="The same lines at the buyer's prices today; null when one has none."
    )
    saving: Decimal | None = strawberry.field(description="todaysTotal - total.")


@strawberry.type(description="One step of a quote: who took it, when, why, from and to what.")
class QuoteEvent:
    row: strawberry.Private[QuoteEventRow]
    action: QuoteAction
    reason: str | None
    from_status: QuoteStatus | None
    to_status: QuoteStatus
    at: datetime

    @classmethod
    def of(cls, row: QuoteEventRow) -> QuoteEvent:
        return cls(
            row=row,
            action=row.action,
            reason=row.reason,
            from_status=row.from_status,
            to_status=row.to_status,
            at=row.created_at,
        )

    @strawberry.field(description="The contact who took the step (the buyer's side).")
    async def contact(self, info: Info) -> LazyContact | None:
        return await contact_of(info, self.row.contact_id)

    @strawberry.field(description="The worker who took the step (the seller's side).")
    async def worker(self, info: Info) -> LazyWorker | None:
        return await worker_of(info, self.row.worker_id)

    @strawberry.field(description="The name of whoever took the step.")
    async def actor(self, info: Info) -> str:
        if self.row.contact_id is not None:
            contact = await info.context.loader(ContactByIdLoader).load(self.row.contact_id)
            return contact.name if contact else ""
        if self.row.worker_id is not None:
            worker = await info.context.loader(WorkerByIdLoader).load(self.row.worker_id)
            return worker.name if worker else ""
        return ""


@strawberry.type(
    description="A buyer's request for prices and the seller's priced answer (REQUESTED -> "
    "SENT -> ACCEPTED / REJECTED / RENEGOTIATION -> ORDERED, or WITHDRAWN); an accepted, "
    "unexpired quote is ordered at its prices with `orderQuote`."
)
class Quote(Node, FromRow):
    row: strawberry.Private[QuoteRow]
    discount_percent: Decimal = strawberry.field(description="Off every line's price (0 to 100).")
    expires_on: date | None = strawberry.field(
        description="Valid through this day; set when the seller prices the quote."
    )
    request_note: str | None = strawberry.field(description="What the buyer asked for.")
    seller_note: str | None = strawberry.field(description="The seller's note for the buyer.")
    created_at: datetime
    updated_at: datetime
    # The lines priced against today's prices, once for `lines` and `totals` together.
    priced: strawberry.Private[asyncio.Future[list[QuotedLine]] | None] = dataclasses.field(
        default=None, init=False
    )

    def priced_lines(self, info: Info) -> asyncio.Future[list[QuotedLine]]:
        if self.priced is None:
            self.priced = asyncio.ensure_future(quotes.priced_lines(info.context, self.row))
        return self.priced

    @strawberry.field(description="The quote's number, as e-mails name it.")
    def number(self) -> str:
        return quote_number(self.db_id)

    @strawberry.field(
        description="The state today: a SENT or ACCEPTED quote past its expiry date is EXPIRED."
    )
    def status(self, info: Info) -> QuoteStatus:
        return quotes.state_of(info.context, self.row)

    @strawberry.field(description="Past its expiry date: it can no longer be accepted or ordered.")
    def is_expired(self, info: Info) -> bool:
        return quotes.state_of(info.context, self.row) is QuoteStatus.EXPIRED

    @strawberry.field(
        description="The lines with their breakdown against the buyer's prices today (one "
        "pricing batch per quote)."
    )
    async def lines(self, info: Info) -> list[QuoteLine]:
        return [QuoteLine.of(line) for line in await self.priced_lines(info)]

    @strawberry.field
    async def totals(self, info: Info) -> QuoteTotals:
        lines = await self.priced_lines(info)
        amounts = await quotes.quote_totals(info.context, self.row)
        saving = total_saving([line.breakdown for line in lines])
        return QuoteTotals(
            subtotal=amounts.subtotal,
            discount=amounts.discount,
            total=amounts.total,
            todays_total=amounts.total + saving if saving is not None else None,
            saving=saving,
        )

    @connection(description="Every step, oldest first.")
    async def history(self, info: Info, page: PageRequest) -> Connection[QuoteEvent]:
        rows = await info.context.loader(QuoteEventsByQuoteIdLoader).load(self.db_id)
        return await paginate_list(rows, page, QuoteEvent.of)

    @strawberry.field
    async def account(self, info: Info) -> LazyAccount | None:
        return await account_of(info, self.row.account_id)

    @strawberry.field(description="The buyer who requested it.")
    async def contact(self, info: Info) -> LazyContact | None:
        return await contact_of(info, self.row.contact_id)

    @strawberry.field(description="The order it became, once ordered.")
    async def order(self, info: Info) -> Order | None:
        if self.row.order_id is None:
            return None
        row = await info.context.loader(OrderByIdLoader).load(self.row.order_id)
        return Order.from_optional_row(row)

    @strawberry.field(
        description="The cart that orders it at its prices, through checkout: waiting for "
        "approval, or checked out into `order`."
    )
    async def order_cart(self, info: Info) -> Cart | None:
        return Cart.from_optional_row(await readable_cart(info.context, self.row.order_cart_id))
