"""The quote rules (issue #16 §1): every step allowed or refused from every state, expiry,
what a priced quote may say, totals and the breakdown against today's price."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.enums import QuoteAction, QuoteStatus
from domain.errors import DomainError, ErrorCode
from domain.quotes import (
    LineBreakdown,
    PricedLine,
    QuoteSide,
    breakdown,
    current_state,
    net_unit_price,
    next_state,
    pricing_refusals,
    quote_number,
    total_saving,
    totals,
)

S = QuoteStatus
A = QuoteAction
BUYER, SELLER = QuoteSide.BUYER, QuoteSide.SELLER
TODAY = date(2026, 12, 3)

# Every allowed step: (from, action, side) -> to. Anything else is refused.
ALLOWED: dict[tuple[QuoteStatus | None, QuoteAction, QuoteSide], QuoteStatus] = {
    (None, A.REQUEST, BUYER): S.REQUESTED,
    (S.REQUESTED, A.PRICE, SELLER): S.SENT,
    (S.RENEGOTIATION, A.PRICE, SELLER): S.SENT,
    (S.SENT, A.PRICE, SELLER): S.SENT,
    (S.EXPIRED, A.PRICE, SELLER): S.SENT,
    (S.SENT, A.ACCEPT, BUYER): S.ACCEPTED,
    (S.SENT, A.REJECT, BUYER): S.REJECTED,
    (S.EXPIRED, A.REJECT, BUYER): S.REJECTED,
    (S.SENT, A.RENEGOTIATE, BUYER): S.RENEGOTIATION,
    (S.ACCEPTED, A.RENEGOTIATE, BUYER): S.RENEGOTIATION,
    (S.EXPIRED, A.RENEGOTIATE, BUYER): S.RENEGOTIATION,
    (S.ACCEPTED, A.ORDER, BUYER): S.ORDERED,
    **{
        (state, A.WITHDRAW, side): S.WITHDRAWN
        for state in (S.REQUESTED, S.SENT, S.ACCEPTED, S.RENEGOTIATION, S.EXPIRED)
        for side in (BUYER, SELLER)
    },
}
# Whose step each action is.
SIDES = {
    A.REQUEST: {BUYER},
    A.PRICE: {SELLER},
    A.ACCEPT: {BUYER},
    A.REJECT: {BUYER},
    A.RENEGOTIATE: {BUYER},
    A.ORDER: {BUYER},
    A.WITHDRAW: {BUYER, SELLER},
}
EVERY_STEP = [
    (state, action, side)
    for state in (None, *QuoteStatus)
    for action in QuoteAction
    for side in QuoteSide
]


@pytest.mark.parametrize(("state", "action", "side"), EVERY_STEP)
def test_every_step_from_every_state(
    state: QuoteStatus | None, action: QuoteAction, side: QuoteSide
) -> None:
    allowed = ALLOWED.get((state, action, side))
    if allowed is not None:
        assert next_state(state, action, side) is allowed
        return
    with pytest.raises(DomainError) as refused:
        next_state(state, action, side)
    if side not in SIDES[action]:
        expected = ErrorCode.NOT_PERMITTED
    elif state is S.EXPIRED and action in (A.ACCEPT, A.ORDER):
        expected = ErrorCode.QUOTE_EXPIRED
    else:
        expected = ErrorCode.INVALID_TRANSITION
    assert refused.value.code is expected
    assert refused.value.field == ["id"]


def test_refusals_name_the_field_given_and_say_why() -> None:
    with pytest.raises(DomainError) as expired:
        next_state(S.EXPIRED, A.ORDER, BUYER, field="cartId")
    with pytest.raises(DomainError) as ordered:
        next_state(S.ORDERED, A.WITHDRAW, SELLER)
    with pytest.raises(DomainError) as sellers:
        next_state(S.SENT, A.ACCEPT, SELLER)

    assert (expired.value.field, expired.value.message) == (
        ["cartId"],
        "The quote has expired; ask for it again (renegotiateQuote)",
    )
    assert ordered.value.message == "A quote that is ORDERED cannot be withdrawn"
    assert sellers.value.message == "Only the buyer may accept a quote"


@pytest.mark.parametrize(
    ("status", "expires_on", "state"),
    [
        (S.SENT, date(2026, 12, 3), S.SENT),  # valid through its expiry date
        (S.SENT, date(2026, 12, 2), S.EXPIRED),
        (S.ACCEPTED, date(2026, 12, 2), S.EXPIRED),
        (S.ACCEPTED, None, S.ACCEPTED),
        (S.REQUESTED, date(2026, 12, 2), S.REQUESTED),
        (S.ORDERED, date(2026, 12, 2), S.ORDERED),  # an order placed in time stays ordered
        (S.REJECTED, date(2026, 1, 1), S.REJECTED),
        (S.RENEGOTIATION, date(2026, 1, 1), S.RENEGOTIATION),
        (S.WITHDRAWN, date(2026, 1, 1), S.WITHDRAWN),
    ],
)
def test_expiry_applies_to_sent_and_accepted_quotes(
    status: QuoteStatus, expires_on: date | None, state: QuoteStatus
) -> None:
    assert current_state(status=status, expires_on=expires_on, today=TODAY) is state


def test_a_good_price_passes() -> None:
    assert (
        pricing_refusals(
            unit_prices=[(0, Decimal("9.50")), (1, Decimal("0"))],
            discount_percent=Decimal("100"),
            expires_on=date(2026, 12, 4),
            today=TODAY,
        )
        == []
    )


def test_bad_prices_discounts_and_expiry_are_each_refused_on_their_field() -> None:
    errors = pricing_refusals(
        unit_prices=[(0, Decimal("1.00")), (1, Decimal("-0.01")), (2, Decimal("1.005"))],
        discount_percent=Decimal("100.01"),
        expires_on=TODAY,
        today=TODAY,
    )
    missing = pricing_refusals(
        unit_prices=[], discount_percent=Decimal("-1"), expires_on=None, today=TODAY
    )

    assert [(e.field, e.code) for e in errors] == [
        (["lines", "1", "unitPrice"], ErrorCode.INVALID),
        (["lines", "2", "unitPrice"], ErrorCode.INVALID),
        (["discountPercent"], ErrorCode.LIMIT_EXCEEDED),
        (["expiresOn"], ErrorCode.INVALID),
    ]
    assert [(e.field, e.code) for e in missing] == [
        (["discountPercent"], ErrorCode.INVALID),
        (["expiresOn"], ErrorCode.REQUIRED),
    ]
    assert errors[-1].message == "expiresOn must be after today"


def test_the_discount_comes_off_each_line_rounded_half_up() -> None:
    lines = [PricedLine(quantity=3, unit_price=Decimal("0.99")), PricedLine(2, Decimal("10.00"))]

    result = totals(lines, Decimal("50"))

    # 0.99 less 50 % is 0.495 -> 0.50 (as the pricing rule rounds); 10.00 -> 5.00
    assert net_unit_price(Decimal("0.99"), Decimal("50")) == Decimal("0.50")
    assert (result.subtotal, result.discount, result.total) == (
        Decimal("22.97"),
        Decimal("11.47"),
        Decimal("11.50"),
    )
    assert totals(lines, Decimal("0")).total == Decimal("22.97")


def test_the_breakdown_compares_the_net_price_with_todays() -> None:
    line = PricedLine(quantity=4, unit_price=Decimal("10.00"))

    cheaper = breakdown(line, discount_percent=Decimal("10"), todays_price=Decimal("12.00"))
    dearer = breakdown(line, discount_percent=Decimal("0"), todays_price=Decimal("9.00"))
    gone = breakdown(line, discount_percent=Decimal("0"), todays_price=None)

    assert cheaper == LineBreakdown(
        quoted_unit_price=Decimal("9.00"),
        line_total=Decimal("36.00"),
        todays_unit_price=Decimal("12.00"),
        saving=Decimal("12.00"),
    )
    assert dearer.saving == Decimal("-4.00")
    assert (gone.todays_unit_price, gone.saving) == (None, None)
    assert total_saving([cheaper, dearer]) == Decimal("8.00")
    assert total_saving([cheaper, gone]) is None


def test_quote_numbers() -> None:
    assert quote_number(42) == "Q0000042"
