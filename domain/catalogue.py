"""Field rules for catalogue records, whether typed by staff or sent by the ERP."""

from __future__ import annotations

from decimal import Decimal

from domain.errors import DomainError, ErrorCode
from domain.validation import check_code, check_money, check_required

MAX_STOCK = 1_000_000_000


def validate_product(*, sku: str, name: str, unit: str) -> list[DomainError]:
    """A product is keyed by its SKU; names and units are what shoppers read."""
    return [
        *check_required("sku", sku),
        *check_code("sku", sku),
        *check_required("name", name),
        *check_required("unit", unit),
    ]


def validate_price(*, field: str, price: Decimal) -> list[DomainError]:
    """Prices are never negative and carry at most cents."""
    return check_money(field, price)


def validate_min_quantity(*, min_quantity: int) -> list[DomainError]:
    """Seed 003 quantity breaks start at one unit or more."""
    if min_quantity < 1:
        return [
            DomainError(ErrorCode.INVALID, "minQuantity must be at least 1", field=["minQuantity"])
        ]
    return []


def validate_stock(*, quantity: int) -> list[DomainError]:
    if not 0 <= quantity <= MAX_STOCK:
        return [
            DomainError(
                ErrorCode.INVALID,
                f"quantity must be between 0 and {MAX_STOCK}",
                field=["quantity"],
            )
        ]
    return []
