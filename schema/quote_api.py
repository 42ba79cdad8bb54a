"""Quotes (issue #16 §1): request, price and send, answer, withdraw, order; and the lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry

from domain.enums import PaymentType, QuoteAction, QuoteStatus
from resolvers import quote_orders, quotes
from resolvers.quotes import LinePrice, QuoteQuery
from schema.cart_types import Cart
from schema.checkout_payload import checkout_answer, checkout_choices
from schema.info import Info
from schema.input_values import key_of, maybe_key
from schema.order_types import BankDetails, Order
from schema.payloads import Payload, PayloadWithWarnings, mutation
from schema.permissions import require_people
from schema.quote_types import Quote
from schema.relay import Connection, PageRequest, paged, paginate


@strawberry.input
class QuoteFilter:
    status: list[QuoteStatus] | None = strawberry.field(
        default=None, description="Any of these (EXPIRED as `Quote.status` reads); null for all."
    )

    @staticmethod
    def query(value: QuoteFilter | None) -> QuoteQuery:
        return QuoteQuery(statuses=frozenset(value.status or ()) if value else frozenset())


@strawberry.input(description="Ask for prices on an open cart's lines (the cart stays as it is).")
class RequestQuoteInput:
    cart_id: strawberry.ID
    note: str | None = strawberry.field(default=None, description="What the buyer asks for.")


@strawberry.input
class QuoteLinePriceInput:
    line_id: strawberry.ID
    unit_price: Decimal = strawberry.field(description="Before the quote's discount.")


@strawberry.input(
    description="The seller prices the quote and sends it to the buyer: line prices (lines "
    "not named keep theirs), a discount off every line, the last day it is valid, a note."
)
class PriceQuoteInput:
    id: strawberry.ID
    expires_on: date
    lines: list[QuoteLinePriceInput] = strawberry.field(default_factory=list)
    discount_percent: Decimal | None = strawberry.field(
        default=None, description="0 to 100; null for none."
    )
    note: str | None = strawberry.field(default=None, description="For the buyer.")


@strawberry.input
class AcceptQuoteInput:
    id: strawberry.ID


@strawberry.input
class RejectQuoteInput:
    id: strawberry.ID
    reason: str


@strawberry.input(description="Ask the seller for another price (what to change).")
class RenegotiateQuoteInput:
    id: strawberry.ID
    reason: str


@strawberry.input
class WithdrawQuoteInput:
    id: strawberry.ID
    reason: str | None = None


@strawberry.input(
    description="Order an accepted, unexpired quote at its prices, through checkout's rules "
    "(credit, limits, payment, approval)."
)
class OrderQuoteInput:
    id: strawberry.ID
    payment_type: PaymentType
    payment_reference: str | None = strawberry.field(
        default=None, description="CREDIT_CARD and PAYPAL: the gateway authorisation id."
    )
    credit_card_id: strawberry.ID | None = strawberry.field(
        default=None, description="CREDIT_CARD: a saved, unexpired card of the account."
    )
    shipping_account_id: strawberry.ID | None = None
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeating the same order with the same key changes nothing."
    )


@strawberry.type
class QuotePayload(Payload):
    quote: Quote | None = None


@strawberry.type
class OrderQuotePayload(PayloadWithWarnings):
    quote: Quote | None = None
    cart: Cart | None = strawberry.field(
        default=None, description="The cart that orders the quote at its prices."
    )
    order: Order | None = strawberry.field(
        default=None, description="Null when the cart went to an approver."
    )
    bank_details: BankDetails | None = strawberry.field(
        default=None, description="DIRECT_DEPOSIT: where to send the money."
    )


def _quote_key(global_id: str) -> int | None:
    return key_of(global_id, "Quote", field="id")


async def _answer(
    info: Info, global_id: str, action: QuoteAction, reason: str | None = None
) -> dict[str, object]:
    row = await quotes.answer_quote(info.context, _quote_key(global_id), action, reason)
    return {"quote": Quote.from_row(row)}


@strawberry.type
class QuoteMutation:
    @mutation(
        QuotePayload,
        gate=require_people,
        description="Ask for a quote of an open cart of the viewer's (a contact's, at its "
        "active account); the account's sales rep is told.",
    )
    async def request_quote(self, info: Info, input: RequestQuoteInput) -> dict[str, object]:
        cart_id = key_of(input.cart_id, "Cart", field="cartId")
        row = await quotes.request_quote(info.context, cart_id, input.note)
        return {"quote": Quote.from_row(row)}

    @mutation(
        QuotePayload,
        gate=require_people,
        description="Price and send a quote (workers who manage the account); the buyer is told.",
    )
    async def price_quote(self, info: Info, input: PriceQuoteInput) -> dict[str, object]:
        prices = [
            LinePrice(
                index=index,
                line_id=maybe_key(line.line_id, "QuoteLine"),
                unit_price=line.unit_price,
            )
            for index, line in enumerate(input.lines)
        ]
        row = await quotes.price_quote(
            info.context,
            _quote_key(input.id),
            prices,
            discount_percent=input.discount_percent,
            expires_on=input.expires_on,
            note=input.note,
        )
        return {"quote": Quote.from_row(row)}

    @mutation(
        QuotePayload, gate=require_people, description="The buyer accepts a sent, unexpired quote."
    )
    async def accept_quote(self, info: Info, input: AcceptQuoteInput) -> dict[str, object]:
        return await _answer(info, input.id, QuoteAction.ACCEPT)

    @mutation(
        QuotePayload,
        gate=require_people,
        description="The buyer turns a sent quote down, with a reason.",
    )
    async def reject_quote(self, info: Info, input: RejectQuoteInput) -> dict[str, object]:
        return await _answer(info, input.id, QuoteAction.REJECT, input.reason)

    @mutation(
        QuotePayload,
        gate=require_people,
        description="The buyer asks for another price (a sent, accepted or expired quote); the "
        "seller prices it again.",
    )
    async def renegotiate_quote(
        self, info: Info, input: RenegotiateQuoteInput
    ) -> dict[str, object]:
        return await _answer(info, input.id, QuoteAction.RENEGOTIATE, input.reason)

    @mutation(
        QuotePayload,
        gate=require_people,
        description="Either side withdraws a quote before it is ordered.",
    )
    async def withdraw_quote(self, info: Info, input: WithdrawQuoteInput) -> dict[str, object]:
        return await _answer(info, input.id, QuoteAction.WITHDRAW, input.reason)

    @mutation(
        OrderQuotePayload,
        gate=require_people,
        description="Order an accepted, unexpired quote at its prices; QUOTE_EXPIRED once it "
        "lapsed. Ordering it again gives back the first order (or the cart waiting for approval).",
    )
    async def order_quote(self, info: Info, input: OrderQuoteInput) -> dict[str, object]:
        result = await quote_orders.order_quote(
            info.context,
            _quote_key(input.id),
            checkout_choices(input),
            idempotency_key=input.idempotency_key,
        )
        return checkout_answer(result)


@paged
async def account_quotes(
    root: Any, info: Info, page: PageRequest, filter: QuoteFilter | None = None
) -> Connection[Quote]:
    """Attached to `Account`: its quotes, most recently changed first."""
    return await paginate(
        info,
        quotes.account_quotes(info.context, root.row, QuoteFilter.query(filter)),
        page,
        Quote.from_row,
    )


@paged
async def viewer_quotes(
    root: Any, info: Info, page: PageRequest, filter: QuoteFilter | None = None
) -> Connection[Quote]:
    """Attached to `Viewer`: a contact's quotes at its active account; a worker's, those of
    the accounts it manages (its pricing queue with `status: [REQUESTED, RENEGOTIATION]`)."""
    return await paginate(
        info,
        quotes.own_quotes(info.context, QuoteFilter.query(filter)),
        page,
        Quote.from_row,
    )
