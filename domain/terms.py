"""Payment terms and ageing: when an invoice falls due, and how overdue money is bucketed.

Seed 003 "Payment Terms" (TOTECS account details) names the kinds; the enquiry's balance summary
ages what is owed into 0-30 / 31-60 / 61-90 / 90+ days overdue.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.enums import PaymentTermsKind

ZERO = Decimal("0.00")


def _clamped_day(year: int, month: int, day: int) -> date:
    """Day `day` of the month, or its last day when the month is shorter (31 -> 28 Feb)."""
    return date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def _next_month(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def due_date(*, invoice_date: date, kind: PaymentTermsKind, value: int | None) -> date | None:
    """Seed 003 "Payment Terms": the date an invoice must be paid by.

    - Given Number Of Days: `value` days after the invoice date.
    - Day Of The Month: the next day-of-month `value` after the invoice date ("paid on the
      same date of the month after an invoice was created").
    - Number Of Days After End Of Month: `value` days after the end of the invoice's month.
    - Day Of The Month After The Month: day `value` of the month after the invoice's month.
    - Cash On Delivery: due at once (the invoice is raised on delivery).
    - Not Specified (or a kind without its value): None, the ERP's own due date is all there is.
    Days past a short month's end fall on its last day.
    """
    if kind is PaymentTermsKind.CASH_ON_DELIVERY:
        return invoice_date
    if kind is PaymentTermsKind.NOT_SPECIFIED or value is None:
        return None
    if kind is PaymentTermsKind.GIVEN_NUMBER_OF_DAYS:
        return invoice_date + timedelta(days=value)
    if kind is PaymentTermsKind.DAYS_AFTER_END_OF_MONTH:
        last = calendar.monthrange(invoice_date.year, invoice_date.month)[1]
        return invoice_date.replace(day=last) + timedelta(days=value)
    year, month = _next_month(invoice_date)
    if kind is PaymentTermsKind.DAY_OF_THE_MONTH:
        this_month = _clamped_day(invoice_date.year, invoice_date.month, value)
        return this_month if this_month > invoice_date else _clamped_day(year, month, value)
    return _clamped_day(year, month, value)


@dataclass(frozen=True)
class OpenItem:
    """What is still owed on one invoice, and when it was raised / falls due."""

    invoice_date: date
    due_date: date | None
    balance: Decimal


@dataclass(frozen=True)
class Ageing:
    not_yet_due: Decimal = ZERO
    days_0_to_30: Decimal = ZERO
    days_31_to_60: Decimal = ZERO
    days_61_to_90: Decimal = ZERO
    over_90_days: Decimal = ZERO

    @property
    def overdue(self) -> Decimal:
        return self.days_0_to_30 + self.days_31_to_60 + self.days_61_to_90 + self.over_90_days

    @property
    def total(self) -> Decimal:
        return self.not_yet_due + self.overdue


def age_open_items(
    *,
    items: Iterable[OpenItem],
    kind: PaymentTermsKind,
    value: int | None,
    today: date,
) -> Ageing:
    """Account enquiry balance summary: each open amount in the bucket of its days overdue
    (1-30 days late is the "0-30" bucket). The ERP's due date wins; without one the account's
    payment terms decide, and without terms the invoice is due on its date."""
    buckets = {"not_yet_due": ZERO, "d30": ZERO, "d60": ZERO, "d90": ZERO, "over": ZERO}
    for item in items:
        due = item.due_date or due_date(invoice_date=item.invoice_date, kind=kind, value=value)
        late = (today - (due or item.invoice_date)).days
        if late <= 0:
            name = "not_yet_due"
        elif late <= 30:
            name = "d30"
        elif late <= 60:
            name = "d60"
        elif late <= 90:
            name = "d90"
        else:
            name = "over"
        buckets[name] += item.balance
    return Ageing(
        not_yet_due=buckets["not_yet_due"],
        days_0_to_30=buckets["d30"],
        days_31_to_60=buckets["d60"],
        days_61_to_90=buckets["d90"],
        over_90_days=buckets["over"],
    )
