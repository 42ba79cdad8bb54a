"""Quotes (issue #16 §1): requested from a cart (or by a RUNNING_QUOTE checkout), priced and
sent by the seller, answered by the buyer, each step in the history, the ERP export feed and an
e-mail to the other side. Ordering an accepted quote is `resolvers.quote_orders`.

Who is which side: the seller is a worker who manages the account (staff, its sales rep); the
buyer is a contact acting for the account (its active account) who may place orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlmodel import col

from core.context import Context
from domain.access import ViewerKind, can_place_orders
from domain.enums import ExportKind, QuoteAction, QuoteStatus
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.quotes import (
    LineBreakdown,
    PricedLine,
    QuoteSide,
    QuoteTotals,
    breakdown,
    current_state,
    next_state,
    pricing_refusals,
    quote_number,
    totals,
)
from domain.system_email import SystemEmail
from domain.validation import MAX_NOTE_LENGTH, check_length, check_required
from domain.webhooks import WebhookEventKind
from loaders.accounts import AccountByIdLoader, ContactByIdLoader
from loaders.pricing import ProductByIdLoader
from loaders.quotes import QuoteByIdLoader, QuoteByOrderCartIdLoader, QuoteLinesByQuoteIdLoader
from models import Account, Cart, ErpExport, Order, Quote, QuoteEvent, QuoteLine, Worker
from resolvers import webhooks
from resolvers.access import may_manage, readable_account, reps_accounts
from resolvers.carts import cart_lines, check_places_orders, membership_of, owned_cart, require_open
from resolvers.enquiry import may_enquire
from resolvers.mail import queue_email
from resolvers.pricing import offers_for
from resolvers.row_locks import lock_row


def may_read_quote(context: Context, account: Account) -> bool:
    """Its account's contacts at their active account and whoever may enquire the account
    (seed 003 "Account Enquiry": quotes sit beside orders and invoices), and those who manage
    it; the account is already known to be readable."""
    assert account.id is not None
    return may_enquire(context, account.id) or may_manage(context.viewer, account)


async def readable_quote(context: Context, quote_id: int | None) -> Quote | None:
    """The quote where the viewer may read it; None elsewhere, like a missing one."""
    if quote_id is None:
        return None
    quote: Quote | None = await context.loader(QuoteByIdLoader).load(quote_id)
    if quote is None:
        return None
    account = await readable_account(context, quote.account_id)
    if account is None or not may_read_quote(context, account):
        return None
    return quote


def side_of(context: Context, account: Account) -> QuoteSide | None:
    """The side the viewer takes on the account's quotes, if any."""
    viewer = context.viewer
    if viewer.kind is ViewerKind.WORKER and may_manage(viewer, account):
        return QuoteSide.SELLER
    if (
        viewer.kind is ViewerKind.CONTACT
        and viewer.active_account_id == account.id
        and can_place_orders(viewer)
    ):
        return QuoteSide.BUYER
    return None


@dataclass(frozen=True)
class QuoteInHand:
    """A quote locked for a step, its account, and the viewer's side on it."""

    quote: Quote
    account: Account
    side: QuoteSide


async def quote_to_change(context: Context, quote_id: int | None) -> QuoteInHand:
    """The quote, locked so that two steps at once take turns, or the refusal: NOT_FOUND when
    the viewer may not read it, NOT_PERMITTED when it may read but takes no side."""
    quote = await readable_quote(context, quote_id)
    if quote is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such quote", field=["id"])
    account = await context.loader(AccountByIdLoader).load(quote.account_id)
    side = side_of(context, account)
    if side is None:
        raise DomainError(ErrorCode.NOT_PERMITTED, "You take no part in this quote", field=["id"])
    await lock_row(context, Quote, quote.id)
    return QuoteInHand(quote=quote, account=account, side=side)


def state_of(context: Context, quote: Quote) -> QuoteStatus:
    return current_state(status=quote.status, expires_on=quote.expires_on, today=context.now.date())


async def quote_lines(context: Context, quote: Quote) -> list[QuoteLine]:
    assert quote.id is not None
    return list(await context.loader(QuoteLinesByQuoteIdLoader).load(quote.id))


async def quote_totals(context: Context, quote: Quote) -> QuoteTotals:
    lines = await quote_lines(context, quote)
    return totals(_priced(lines), quote.discount_percent)


def _priced(lines: Sequence[QuoteLine]) -> list[PricedLine]:
    return [PricedLine(quantity=line.quantity, unit_price=line.quoted_unit_price) for line in lines]


async def step(
    context: Context,
    held: QuoteInHand,
    action: QuoteAction,
    *,
    reason: str | None = None,
    field: str = "id",
) -> None:
    """Take one step: every change of a quote's state passes here, so this is where the step is
    recorded (history), exported (ERP feed, kind QUOTE), raised as a QUOTE_CHANGED webhook
    and told to the other side (e-mail). Refused steps raise before anything is written."""
    quote = held.quote
    before = None if action is QuoteAction.REQUEST else state_of(context, quote)
    after = next_state(before, action, held.side, field=field)
    assert quote.id is not None and held.account.id is not None
    quote.status = after
    quote.updated_at = context.now
    viewer = context.viewer
    context.session.add(
        QuoteEvent(
            quote_id=quote.id,
            action=action,
            contact_id=viewer.contact_id,
            worker_id=viewer.worker_id,
            reason=reason,
            from_status=before,
            to_status=after,
            created_at=context.now,
        )
    )
    await webhooks.queue_export(
        context,
        ErpExport(
            kind=ExportKind.QUOTE,
            account_id=held.account.id,
            quote_id=quote.id,
            created_at=context.now,
        ),
    )
    await webhooks.record_event(
        context, WebhookEventKind.QUOTE_CHANGED, webhooks.quote_data(quote, action)
    )
    await _email_other_side(context, held, action, reason)


def _check_reason(reason: str | None, *, required: bool) -> None:
    errors = check_required("reason", reason) if required else []
    raise_if_any(errors + check_length("reason", reason, MAX_NOTE_LENGTH))


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


async def request_quote(context: Context, cart_id: int | None, note: str | None) -> Quote:
    """The buyer asks for prices on its open cart's lines (copied; the cart stays as it is)."""
    raise_if_any(check_length("note", note, MAX_NOTE_LENGTH))
    check_places_orders(context)
    cart = await owned_cart(context, cart_id, lock=True)
    require_open(cart)
    return await request_quote_from(context, cart, note)


async def request_quote_from(context: Context, cart: Cart, note: str | None) -> Quote:
    """A quote of the cart's lines at their prices now, requested by the viewer (also a
    RUNNING_QUOTE checkout's outcome)."""
    account = await context.loader(AccountByIdLoader).load(cart.account_id)
    if side_of(context, account) is not QuoteSide.BUYER:
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "Quotes are requested by the account's contacts, for their active account",
            field=["cartId"],
        )
    lines = await cart_lines(context, cart)
    if not lines:
        raise DomainError(ErrorCode.INVALID, "The cart is empty", field=["cartId"])
    products = await context.loader(ProductByIdLoader).load_many(
        [line.product_id for line in lines]
    )
    quote = Quote(
        account_id=cart.account_id,
        contact_id=context.viewer.contact_id,
        cart_id=cart.id,
        request_note=_clean(note),
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(quote)
    await context.session.flush()
    assert quote.id is not None
    context.session.add_all(
        QuoteLine(
            quote_id=quote.id,
            product_id=line.product_id,
            sku=product.sku,
            product_name=product.name,
            quantity=line.quantity,
            requested_unit_price=line.unit_price,
            quoted_unit_price=line.unit_price,
        )
        for line, product in zip(lines, products, strict=True)
    )
    await context.session.flush()
    held = QuoteInHand(quote=quote, account=account, side=QuoteSide.BUYER)
    await step(context, held, QuoteAction.REQUEST, reason=_clean(note))
    return quote


@dataclass(frozen=True)
class LinePrice:
    """One entry of `priceQuote`'s lines: its position in the input, the line and its price."""

    index: int
    line_id: int | None
    unit_price: Decimal


async def price_quote(
    context: Context,
    quote_id: int | None,
    prices: Sequence[LinePrice],
    *,
    discount_percent: Decimal | None,
    expires_on: date | None,
    note: str | None,
) -> Quote:
    """The seller prices the quote (lines not named keep their price) and sends it to the
    buyer, with a discount off every line, an expiry date and a note for the buyer."""
    raise_if_any(check_length("note", note, MAX_NOTE_LENGTH))
    held = await quote_to_change(context, quote_id)
    quote = held.quote
    # Whose step and from which state come first: the prices are only the seller's to give.
    next_state(state_of(context, quote), QuoteAction.PRICE, held.side)
    raise_if_any(
        pricing_refusals(
            unit_prices=[(p.index, p.unit_price) for p in prices],
            discount_percent=discount_percent,
            expires_on=expires_on,
            today=context.now.date(),
        )
    )
    by_id = {line.id: line for line in await quote_lines(context, quote)}
    raise_if_any(
        [
            DomainError(
                ErrorCode.NOT_FOUND,
                "No such line in this quote",
                field=["lines", str(p.index), "lineId"],
            )
            for p in prices
            if p.line_id not in by_id
        ]
    )
    for price in prices:
        by_id[price.line_id].quoted_unit_price = price.unit_price
    quote.discount_percent = discount_percent or Decimal("0")
    quote.expires_on = expires_on
    quote.seller_note = _clean(note)
    await step(context, held, QuoteAction.PRICE, reason=_clean(note))
    return quote


async def answer_quote(
    context: Context, quote_id: int | None, action: QuoteAction, reason: str | None
) -> Quote:
    """The buyer accepts, rejects (with a reason) or asks again (with what to change); either
    side withdraws (a reason is optional)."""
    _check_reason(reason, required=action in (QuoteAction.REJECT, QuoteAction.RENEGOTIATE))
    held = await quote_to_change(context, quote_id)
    await step(context, held, action, reason=_clean(reason))
    return held.quote


async def check_orderable(context: Context, cart: Cart, *, field: str) -> None:
    """A cart that orders a quote checks out only while the quote may be ordered (accepted,
    unexpired), so a quote's prices never reach an order after it lapsed."""
    assert cart.id is not None
    quote = await context.loader(QuoteByOrderCartIdLoader).load(cart.id)
    if quote is not None:
        next_state(state_of(context, quote), QuoteAction.ORDER, QuoteSide.BUYER, field=field)


async def record_order(context: Context, cart: Cart, order: Order) -> None:
    """The quote a cart orders (if any) is ORDERED with `order` once the order is placed, at
    checkout or when an approver approves the cart; a quote that expired while its cart waited
    for approval is not ordered (QUOTE_EXPIRED), since its prices no longer hold."""
    assert cart.id is not None
    quote = await context.loader(QuoteByOrderCartIdLoader).load(cart.id)
    if quote is None:
        return
    await lock_row(context, Quote, quote.id)
    account = await context.loader(AccountByIdLoader).load(quote.account_id)
    quote.order_id = order.id
    held = QuoteInHand(quote=quote, account=account, side=QuoteSide.BUYER)
    await step(context, held, QuoteAction.ORDER, field="cartId")


@dataclass(frozen=True)
class QuotedLine:
    """A quote line with its breakdown against the buyer's price today."""

    row: QuoteLine
    breakdown: LineBreakdown


async def priced_lines(context: Context, quote: Quote) -> list[QuotedLine]:
    """Every line against today's price for the quote's buyer (the same pricing rule a cart
    uses, at the line's quantity), in one pricing batch for the quote."""
    lines = await quote_lines(context, quote)
    membership = await membership_of(context, quote.contact_id, quote.account_id)
    offers = await offers_for(
        context,
        account_id=quote.account_id,
        membership_id=membership.id if membership else None,
        quantities={line.product_id: line.quantity for line in lines if line.product_id},
    )
    result = []
    for line in lines:
        offer = offers.get(line.product_id) if line.product_id is not None else None
        today = offer.unit_price if offer is not None and offer.available else None
        priced = PricedLine(quantity=line.quantity, unit_price=line.quoted_unit_price)
        result.append(
            QuotedLine(
                row=line,
                breakdown=breakdown(
                    priced, discount_percent=quote.discount_percent, todays_price=today
                ),
            )
        )
    return result


async def _email_other_side(
    context: Context, held: QuoteInHand, action: QuoteAction, reason: str | None
) -> None:
    """The buyer's steps go to the account's sales rep (and each template's cc, the sales desk);
    the seller's to the buyer who requested the quote."""
    quote, account = held.quote, held.account
    assert quote.id is not None
    buyer = (
        await context.loader(ContactByIdLoader).load(quote.contact_id)
        if quote.contact_id is not None
        else None
    )
    amounts = await quote_totals(context, quote)
    variables = {
        "quote_number": quote_number(quote.id),
        "account_number": account.code,
        "company_name": account.company_name,
        "buyer_name": buyer.name if buyer else "",
        "total": str(amounts.total),
        "expires_on": quote.expires_on.isoformat() if quote.expires_on else "",
        "line_count": str(len(await quote_lines(context, quote))),
        "action": action.value,
        "status": quote.status.value,
        "reason": reason or "",
    }
    if held.side is QuoteSide.SELLER:
        template = (
            SystemEmail.QUOTE_WITHDRAWN
            if action is QuoteAction.WITHDRAW
            else SystemEmail.QUOTE_SENT
        )
        to = [buyer.email] if buyer is not None and buyer.email else []
    else:
        template = (
            SystemEmail.QUOTE_REQUESTED
            if action in (QuoteAction.REQUEST, QuoteAction.RENEGOTIATE)
            else SystemEmail.QUOTE_ANSWERED
        )
        to = await _rep_addresses(context, account)
    await queue_email(context, template=template.value, to=to, variables=variables)


async def _rep_addresses(context: Context, account: Account) -> list[str]:
    if account.sales_rep_code is None:
        return []
    emails = await context.db.scalars(
        select(col(Worker.email)).where(
            col(Worker.rep_code) == account.sales_rep_code, col(Worker.email).is_not(None)
        )
    )
    return sorted(email for email in emails if email)


@dataclass(frozen=True)
class QuoteQuery:
    """`Account.quotes` and `Viewer.quotes` filter by state; EXPIRED and SENT/ACCEPTED are told
    apart by the expiry date, as `domain.quotes.current_state` does."""

    statuses: frozenset[QuoteStatus] = frozenset()

    def apply(self, statement: Select[Any], today: date) -> Select[Any]:
        if self.statuses:
            statement = statement.where(or_(*(_in_state(s, today) for s in self.statuses)))
        return statement.order_by(col(Quote.updated_at).desc(), col(Quote.id).desc())


def _in_state(state: QuoteStatus, today: date) -> ColumnElement[bool]:
    lapsed = and_(col(Quote.expires_on).is_not(None), col(Quote.expires_on) < today)
    expiring = col(Quote.status).in_((QuoteStatus.SENT, QuoteStatus.ACCEPTED))
    if state is QuoteStatus.EXPIRED:
        return and_(expiring, lapsed)
    if state in (QuoteStatus.SENT, QuoteStatus.ACCEPTED):
        return and_(col(Quote.status) == state, ~lapsed)
    return col(Quote.status) == state


def account_quotes(context: Context, account: Account, query: QuoteQuery) -> Select[Any]:
    """`Account.quotes`: for those who may read the account's quotes (`may_read_quote`)."""
    allowed = may_read_quote(context, account)
    statement = select(Quote).where(
        col(Quote.account_id) == account.id, true() if allowed else false()
    )
    return query.apply(statement, context.now.date())


def own_quotes(context: Context, query: QuoteQuery) -> Select[Any]:
    """`Viewer.quotes`: a contact's quotes at its active account; a worker's, the quotes of
    the accounts it manages (filtered by REQUESTED and RENEGOTIATION: its pricing queue)."""
    viewer = context.viewer
    if viewer.kind is ViewerKind.CONTACT:
        condition: ColumnElement[bool] = and_(
            col(Quote.contact_id) == viewer.contact_id,
            col(Quote.account_id) == viewer.active_account_id,
        )
    elif viewer.is_staff:
        condition = true()
    elif viewer.kind is ViewerKind.WORKER:
        managed = select(col(Account.id)).where(reps_accounts(viewer))
        condition = col(Quote.account_id).in_(managed)
    else:
        condition = false()
    return query.apply(select(Quote).where(condition), context.now.date())
