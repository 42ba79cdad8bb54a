"""The surcharge an order carries from the location it ships from (seed 003 "Customer Account
Locations": "the location assigned to their customer account can be used to factor in any
surcharges applicable to the order")."""

from __future__ import annotations

from decimal import Decimal

from domain.enums import SurchargeKind
from domain.pricing import HUNDRED, round_money

NO_SURCHARGE = Decimal("0.00")


def location_surcharge(*, kind: SurchargeKind, value: Decimal, goods_total: Decimal) -> Decimal:
    """Seed 003 "Customer Account Locations" surcharge of the ship-from location: NONE adds
    nothing; PERCENT adds `value` percent of the goods total, half-up to cents; FIXED adds
    `value` whatever the goods."""
    if kind is SurchargeKind.PERCENT:
        return round_money(goods_total * value / HUNDRED)
    if kind is SurchargeKind.FIXED:
        return round_money(value)
    return NO_SURCHARGE
