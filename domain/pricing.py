"""The price a buyer sees, and whether it may buy: pure rules, no I/O.

Seed 003 "Customer Account Assigned Price Level", "Customer Account Product Pricing" and
"Customer Account Contracts"; seed 004 "Restricted Products Apply" (SU23).

Rounding: every price is rounded half-up to whole cents (`round_money`), once, after the
account's discount is taken off the level price. Stored prices already have two decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

CENTS = Decimal("0.01")
HUNDRED = Decimal("100")


class PriceRule(Enum):
    """Where a candidate price comes from."""

    LEVEL_PRICE = "LEVEL_PRICE"
    ACCOUNT_PRICE = "ACCOUNT_PRICE"
    CONTRACT_PRICE = "CONTRACT_PRICE"


@dataclass(frozen=True)
class AccountPriceTier:
    """An account-specific price from `min_quantity` units up (a quantity break)."""

    min_quantity: int
    price: Decimal
    is_forced: bool = False


@dataclass(frozen=True)
class ContractPrice:
    """A product's price on one contract the account is assigned to."""

    contract_code: str
    price: Decimal
    starts_on: date
    expires_on: date
    is_forced: bool = False


@dataclass(frozen=True)
class PriceCandidate:
    """One price the rule considered; `applies` is False (with `note` saying why) for a
    quantity break not reached or a contract outside its validity window."""

    rule: PriceRule
    price: Decimal
    is_forced: bool
    applies: bool
    note: str
    min_quantity: int | None = None
    contract_code: str | None = None
    # The level price before the account's discount (level candidates only).
    undiscounted_price: Decimal | None = None


@dataclass(frozen=True)
class PriceDecision:
    """The winning candidate (None when none applies) and every candidate considered."""

    winner: PriceCandidate | None
    candidates: tuple[PriceCandidate, ...]

    @property
    def unit_price(self) -> Decimal | None:
        return self.winner.price if self.winner else None

    @property
    def rule(self) -> PriceRule | None:
        return self.winner.rule if self.winner else None


def round_money(value: Decimal) -> Decimal:
    """Half-up to cents: 2.345 -> 2.35, 2.344 -> 2.34."""
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def discounted(price: Decimal, discount_percent: Decimal) -> Decimal:
    """Seed 003 "Assigned Price Level" less the account's discount %, rounded half-up."""
    return round_money(price * (HUNDRED - discount_percent) / HUNDRED)


def contract_is_current(*, starts_on: date, expires_on: date, today: date) -> bool:
    """Seed 003 "Customer Account Contracts": pricing applies from the start date up to and
    including the expiry date."""
    return starts_on <= today <= expires_on


def price_for(
    *,
    price_level: str | None,
    level_price: Decimal | None,
    discount_percent: Decimal,
    account_tiers: Sequence[AccountPriceTier],
    contract_prices: Sequence[ContractPrice],
    quantity: int,
    today: date,
) -> PriceDecision:
    """Seed 003 pricing for one account, product and quantity.

    1. the level price of the account's price level, less the account's discount %;
    2. the account price tier with the highest minimum quantity <= `quantity` (quantity breaks);
    3. the price on every contract whose window contains `today`;
    4. the lowest applicable candidate wins, unless an account or contract price is forced
       ("Forced pricing can be used to lock customers into agreed upon pricing"): then the
       lowest forced price wins even when dearer.
    """
    candidates: list[PriceCandidate] = []
    if level_price is not None:
        note = f"price level {price_level}"
        if discount_percent:
            note += f" less {discount_percent.normalize():f}% account discount"
        candidates.append(
            PriceCandidate(
                rule=PriceRule.LEVEL_PRICE,
                price=discounted(level_price, discount_percent),
                is_forced=False,
                applies=True,
                note=note,
                undiscounted_price=level_price,
            )
        )
    reached = [t for t in account_tiers if t.min_quantity <= quantity]
    applicable_tier = max(reached, key=lambda t: t.min_quantity, default=None)
    for tier in sorted(account_tiers, key=lambda t: t.min_quantity):
        if tier is applicable_tier:
            note = f"account price from {tier.min_quantity}"
        elif tier.min_quantity > quantity:
            note = f"needs a quantity of at least {tier.min_quantity}"
        else:
            note = "superseded by a higher quantity break"
        candidates.append(
            PriceCandidate(
                rule=PriceRule.ACCOUNT_PRICE,
                price=round_money(tier.price),
                is_forced=tier.is_forced,
                applies=tier is applicable_tier,
                note=note,
                min_quantity=tier.min_quantity,
            )
        )
    for contract in sorted(contract_prices, key=lambda c: c.contract_code):
        current = contract_is_current(
            starts_on=contract.starts_on, expires_on=contract.expires_on, today=today
        )
        if current:
            note = f"contract {contract.contract_code} until {contract.expires_on.isoformat()}"
        elif today < contract.starts_on:
            note = f"contract {contract.contract_code} starts {contract.starts_on.isoformat()}"
        else:
            note = f"contract {contract.contract_code} expired {contract.expires_on.isoformat()}"
        candidates.append(
            PriceCandidate(
                rule=PriceRule.CONTRACT_PRICE,
                price=round_money(contract.price),
                is_forced=contract.is_forced,
                applies=current,
                note=note,
                contract_code=contract.contract_code,
            )
        )
    applicable = [c for c in candidates if c.applies]
    forced = [c for c in applicable if c.is_forced]
    # min() keeps the first of equal prices: level before account before contract.
    winner = min(forced or applicable, key=lambda c: c.price, default=None)
    return PriceDecision(winner=winner, candidates=tuple(candidates))


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str | None = None


def availability(
    *, is_active: bool, is_restricted_for_buyer: bool, on_current_contract: bool
) -> Availability:
    """Whether the buyer may see a price for and buy a product.

    Seed 003: a contract "make[s] products available for purchase that would otherwise not be
    available", so a product on one of the account's current contracts is always available.
    Seed 004 SU23: otherwise a product restricted for the buyer is not; nor is an inactive one.
    """
    if on_current_contract:
        return Availability(available=True)
    if is_restricted_for_buyer:
        return Availability(available=False, reason="This product is restricted for your account")
    if not is_active:
        return Availability(available=False, reason="This product is no longer sold")
    return Availability(available=True)


def is_restricted_for_buyer(
    *, restrictions_apply: bool, product_on_list: bool, commodity_on_list: bool
) -> bool:
    """Seed 004 "Restricted Products Apply": only for a membership with the flag set, a product
    is restricted when the account's SU23 list ("products/commodities that are restricted for
    certain customers") names it or its commodity. Restrictions belong to a customer's list;
    no product is restricted for everyone."""
    return restrictions_apply and (product_on_list or commodity_on_list)
