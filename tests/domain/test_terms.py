"""Seed 003 "Payment Terms": a due date per kind, and ageing of open invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.enums import PaymentTermsKind as Kind
from domain.terms import Ageing, OpenItem, age_open_items, due_date


@pytest.mark.parametrize(
    ("kind", "value", "invoice_date", "expected"),
    [
        # Given Number Of Days: paid a set number of days after the invoice.
        (Kind.GIVEN_NUMBER_OF_DAYS, 30, date(2026, 1, 15), date(2026, 2, 14)),
        (Kind.GIVEN_NUMBER_OF_DAYS, 0, date(2026, 1, 15), date(2026, 1, 15)),
        # Day Of The Month: the next such day after the invoice.
        (Kind.DAY_OF_THE_MONTH, 20, date(2026, 1, 15), date(2026, 1, 20)),
        (Kind.DAY_OF_THE_MONTH, 10, date(2026, 1, 15), date(2026, 2, 10)),
        (Kind.DAY_OF_THE_MONTH, 15, date(2026, 1, 15), date(2026, 2, 15)),
        (Kind.DAY_OF_THE_MONTH, 31, date(2026, 2, 3), date(2026, 2, 28)),
        # Number Of Days After End Of Month.
        (Kind.DAYS_AFTER_END_OF_MONTH, 30, date(2026, 1, 15), date(2026, 3, 2)),
        (Kind.DAYS_AFTER_END_OF_MONTH, 7, date(2026, 12, 1), date(2027, 1, 7)),
        # Day Of The Month After The Month.
        (Kind.DAY_OF_THE_MONTH_AFTER_THE_MONTH, 20, date(2026, 1, 31), date(2026, 2, 20)),
        (Kind.DAY_OF_THE_MONTH_AFTER_THE_MONTH, 31, date(2026, 1, 5), date(2026, 2, 28)),
        (Kind.DAY_OF_THE_MONTH_AFTER_THE_MONTH, 5, date(2026, 12, 9), date(2027, 1, 5)),
        # Cash On Delivery: due at once.
        (Kind.CASH_ON_DELIVERY, None, date(2026, 1, 15), date(2026, 1, 15)),
        # Not Specified, or a kind without its number: no due date of its own.
        (Kind.NOT_SPECIFIED, 30, date(2026, 1, 15), None),
        (Kind.GIVEN_NUMBER_OF_DAYS, None, date(2026, 1, 15), None),
    ],
)
def test_due_date_by_payment_terms_kind(
    kind: Kind, value: int | None, invoice_date: date, expected: date | None
) -> None:
    assert due_date(invoice_date=invoice_date, kind=kind, value=value) == expected


TODAY = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("due", "bucket"),
    [
        (date(2026, 7, 1), "not_yet_due"),
        (date(2026, 6, 30), "not_yet_due"),
        (date(2026, 6, 29), "days_0_to_30"),
        (date(2026, 5, 31), "days_0_to_30"),
        (date(2026, 5, 30), "days_31_to_60"),
        (date(2026, 5, 1), "days_31_to_60"),
        (date(2026, 4, 30), "days_61_to_90"),
        (date(2026, 4, 1), "days_61_to_90"),
        (date(2026, 3, 31), "over_90_days"),
    ],
)
def test_each_open_amount_lands_in_the_bucket_of_its_days_overdue(due: date, bucket: str) -> None:
    ageing = age_open_items(
        items=[OpenItem(invoice_date=date(2026, 1, 1), due_date=due, balance=Decimal("10.00"))],
        kind=Kind.NOT_SPECIFIED,
        value=None,
        today=TODAY,
    )

    assert ageing == Ageing(**{bucket: Decimal("10.00")})


def test_without_an_erp_due_date_the_terms_decide_and_without_terms_the_invoice_date() -> None:
    items = [
        OpenItem(invoice_date=date(2026, 6, 10), due_date=None, balance=Decimal("100.00")),
        OpenItem(invoice_date=date(2026, 3, 15), due_date=None, balance=Decimal("50.00")),
    ]

    by_terms = age_open_items(items=items, kind=Kind.GIVEN_NUMBER_OF_DAYS, value=30, today=TODAY)
    no_terms = age_open_items(items=items, kind=Kind.NOT_SPECIFIED, value=None, today=TODAY)

    assert by_terms == Ageing(not_yet_due=Decimal("100.00"), days_61_to_90=Decimal("50.00"))
    assert no_terms == Ageing(days_0_to_30=Decimal("100.00"), over_90_days=Decimal("50.00"))
    assert by_terms.overdue == Decimal("50.00")
    assert by_terms.total == Decimal("150.00")
