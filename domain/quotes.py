"""Quotes (issue #16 §1, seed 003 "Running Quote"): which step each side may take in which state,
what a priced quote may say, and what it costs against today's prices.

The states follow commercetools' QuoteRequest -> StagedQuote -> Quote and BigCommerce's quote
flow (`domain.enums.QuoteStatus`): the buyer requests, the seller prices and sends, the buyer
accepts, rejects or asks again; an accepted quote is ordered at its prices, unless it expired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from domain.enums import QuoteAction, QuoteStatus
from domain.errors import DomainError, ErrorCode
from domain.pricing import round_money
from domain.validation import check_money, check_percent


class QuoteSide(Enum):
    """Who takes a step: the buyer (the account's contacts who may order) or the seller (staff
    and the account's sales rep)."""

    BUYER = "BUYER"
    SELLER = "SELLER"


# What every step does from each state it is allowed in, and whose step it is. WITHDRAW is
# either side's; every other step belongs to one side.
_STEPS: dict[QuoteAction, tuple[frozenset[QuoteSide], dict[QuoteStatus | None, QuoteStatus]]] = {
    # None: the quote does not exist yet.
    QuoteAction.REQUEST: (frozenset({QuoteSide.BUYER}), {None: QuoteStatus.REQUESTED}),
    QuoteAction.PRICE: (
        frozenset({QuoteSide.SELLER}),
        {
            QuoteStatus.REQUESTED: QuoteStatus.SENT,
            QuoteStatus.RENEGOTIATION: QuoteStatus.SENT,
            # Re-priced before the buyer answered, or after it lapsed: sent again.
            QuoteStatus.SENT: QuoteStatus.SENT,
            QuoteStatus.EXPIRED: QuoteStatus.SENT,
        },
    ),
    QuoteAction.ACCEPT: (
        frozenset({QuoteSide.BUYER}),
        {QuoteStatus.SENT: QuoteStatus.ACCEPTED},
    ),
    QuoteAction.REJECT: (
        frozenset({QuoteSide.BUYER}),
        {QuoteStatus.SENT: QuoteStatus.REJECTED, QuoteStatus.EXPIRED: QuoteStatus.REJECTED},
    ),
    QuoteAction.RENEGOTIATE: (
        frozenset({QuoteSide.BUYER}),
        {
            QuoteStatus.SENT: QuoteStatus.RENEGOTIATION,
            QuoteStatus.ACCEPTED: QuoteStatus.RENEGOTIATION,
            # A lapsed quote is asked for again rather than requested anew.
            QuoteStatus.EXPIRED: QuoteStatus.RENEGOTIATION,
        },
    ),
    QuoteAction.WITHDRAW: (
        frozenset({QuoteSide.BUYER, QuoteSide.SELLER}),
        {
            state: QuoteStatus.WITHDRAWN
            for state in (
                QuoteStatus.REQUESTED,
                QuoteStatus.SENT,
                QuoteStatus.ACCEPTED,
                QuoteStatus.RENEGOTIATION,
                QuoteStatus.EXPIRED,
            )
        },
    ),
    QuoteAction.ORDER: (
        frozenset({QuoteSide.BUYER}),
        {QuoteStatus.ACCEPTED: QuoteStatus.ORDERED},
    ),
}


def current_state(*, status: QuoteStatus, expires_on: date | None, today: date) -> QuoteStatus:
    """The state a quote is in today: a SENT or ACCEPTED quote whose expiry date has passed is
    EXPIRED (it is valid through its expiry date); every other state is as stored."""
    lapsed = expires_on is not None and today > expires_on
    if lapsed and status in (QuoteStatus.SENT, QuoteStatus.ACCEPTED):
        return QuoteStatus.EXPIRED
    return status


def next_state(
    state: QuoteStatus | None, action: QuoteAction, side: QuoteSide, *, field: str = "id"
) -> QuoteStatus:
    """The state `action` by `side` leads to from `state` (the current state, expiry applied;
    None before the quote exists). Refuses another side's step with NOT_PERMITTED, an expired
    quote's acceptance or order with QUOTE_EXPIRED, and any other step its state does not allow
    with INVALID_TRANSITION; `field` is the input field naming the quote."""
    sides, moves = _STEPS[action]
    if side not in sides:
        whose = "the buyer" if QuoteSide.BUYER in sides else "the seller"
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            f"Only {whose} may {action.value.lower()} a quote",
            field=[field],
        )
    if state is QuoteStatus.EXPIRED and action in (QuoteAction.ACCEPT, QuoteAction.ORDER):
        raise DomainError(
            ErrorCode.QUOTE_EXPIRED,
            "The quote has expired; ask for it again (renegotiateQuote)",
            field=[field],
        )
    if state not in moves:
        words = f"A quote that is {state.value}" if state is not None else "A new quote"
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"{words} cannot be {_DONE[action]}",
            field=[field],
        )
    return moves[state]


_DONE = {
    QuoteAction.REQUEST: "requested again",
    QuoteAction.PRICE: "priced",
    QuoteAction.ACCEPT: "accepted",
    QuoteAction.REJECT: "rejected",
    QuoteAction.RENEGOTIATE: "renegotiated",
    QuoteAction.WITHDRAW: "withdrawn",
    QuoteAction.ORDER: "ordered",
}


@dataclass(frozen=True)
class PricedLine:
    """A quote line as the seller prices it: how many, at what unit price before the discount."""

    quantity: int
    unit_price: Decimal


def pricing_refusals(
    *,
    unit_prices: Sequence[tuple[int, Decimal]],
    discount_percent: Decimal | None,
    expires_on: date | None,
    today: date,
) -> list[DomainError]:
    """What the seller may send: every unit price (input line index, price) is money of at
    least 0.00; the discount a percentage from 0 to 100 off every line; the expiry date after
    today (a quote valid only until a day already begun would lapse before the buyer reads it)
    and given, since an open-ended price binds the seller for ever."""
    errors: list[DomainError] = []
    for index, price in unit_prices:
        errors += [
            DomainError(e.code, e.message, field=["lines", str(index), "unitPrice"])
            for e in check_money("unitPrice", price)
        ]
    errors += check_percent("discountPercent", discount_percent)
    if expires_on is None:
        errors.append(DomainError(ErrorCode.REQUIRED, "expiresOn is required", field=["expiresOn"]))
    elif expires_on <= today:
        errors.append(
            DomainError(ErrorCode.INVALID, "expiresOn must be after today", field=["expiresOn"])
        )
    return errors


def net_unit_price(unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """A line's unit price after the quote's discount, half-up to cents: the price the order
    line carries, so the order's lines add up to the quote's total exactly."""
    return round_money(unit_price * (Decimal("100") - discount_percent) / Decimal("100"))


@dataclass(frozen=True)
class QuoteTotals:
    subtotal: Decimal  # the lines at their quoted prices, before the discount
    discount: Decimal  # what the discount takes off
    total: Decimal  # the lines at their net prices: what the order costs (before a surcharge)


def totals(lines: Sequence[PricedLine], discount_percent: Decimal) -> QuoteTotals:
    """The quote's subtotal, discount and total; the total is the sum of the net lines, so the
    discount is whatever rounding each line's net price leaves it."""
    subtotal = sum((line.unit_price * line.quantity for line in lines), Decimal("0"))
    total = sum(
        (net_unit_price(line.unit_price, discount_percent) * line.quantity for line in lines),
        Decimal("0"),
    )
    return QuoteTotals(subtotal=subtotal, discount=subtotal - total, total=total)


@dataclass(frozen=True)
class LineBreakdown:
    quoted_unit_price: Decimal  # net of the discount
    line_total: Decimal
    todays_unit_price: Decimal | None  # None: the buyer could not buy it today
    saving: Decimal | None  # (today's - quoted) x quantity; negative when today is cheaper


def breakdown(
    line: PricedLine, *, discount_percent: Decimal, todays_price: Decimal | None
) -> LineBreakdown:
    """One line against today's price for the buyer (issue #16: "a price breakdown per line
    against today's price"), so the buyer sees what accepting saves, line by line."""
    quoted = net_unit_price(line.unit_price, discount_percent)
    return LineBreakdown(
        quoted_unit_price=quoted,
        line_total=quoted * line.quantity,
        todays_unit_price=todays_price,
        saving=(todays_price - quoted) * line.quantity if todays_price is not None else None,
    )


def total_saving(lines: Sequence[LineBreakdown]) -> Decimal | None:
    """What the whole quote saves against today's prices; None when a line has no price today
    (the comparison would mislead)."""
    saving = Decimal("0")
    for line in lines:
        if line.saving is None:
            return None
        saving += line.saving
    return saving


QUOTE_NUMBER_PREFIX = "Q"


def quote_number(quote_id: int) -> str:
    """The quote's number as buyers, sellers and e-mails quote it."""
    return f"{QUOTE_NUMBER_PREFIX}{quote_id:07d}"
