"""domain.surcharge: seed 003's location surcharge, NONE / PERCENT / FIXED."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.enums import SurchargeKind
from domain.surcharge import location_surcharge


@pytest.mark.parametrize(
    ("kind", "value", "goods_total", "surcharge"),
    [
        (SurchargeKind.NONE, "5", "266.00", "0.00"),
        (SurchargeKind.PERCENT, "2.5", "266.00", "6.65"),
        (SurchargeKind.PERCENT, "10", "0.05", "0.01"),  # 0.005 rounds half up
        (SurchargeKind.PERCENT, "10", "0.04", "0.00"),  # 0.004 rounds down
        (SurchargeKind.PERCENT, "0", "266.00", "0.00"),
        (SurchargeKind.FIXED, "15.00", "266.00", "15.00"),
        (SurchargeKind.FIXED, "15.00", "0.00", "15.00"),
    ],
    ids=[
        "none adds nothing",
        "percent of the goods",
        "half a cent rounds up",
        "under half a cent rounds down",
        "zero percent",
        "fixed amount",
        "fixed whatever the goods",
    ],
)
def test_location_surcharge(
    kind: SurchargeKind, value: str, goods_total: str, surcharge: str
) -> None:
    result = location_surcharge(kind=kind, value=Decimal(value), goods_total=Decimal(goods_total))

    assert result == Decimal(surcharge)
    assert str(result) == surcharge
