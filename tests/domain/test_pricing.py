"""domain.pricing: the seed 003 pricing rule and the seed 004 availability rule, table-driven."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.pricing import (
    AccountPriceTier,
    Availability,
    ContractPrice,
    PriceRule,
    availability,
    is_restricted_for_buyer,
    price_for,
    round_money,
)

TODAY = date(2026, 11, 27)
D = Decimal


def contract(
    code: str,
    price: str,
    *,
    forced: bool = False,
    starts: date = date(2026, 1, 1),
    expires: date = date(2026, 12, 31),
) -> ContractPrice:
    return ContractPrice(
        contract_code=code, price=D(price), starts_on=starts, expires_on=expires, is_forced=forced
    )


def tier(min_quantity: int, price: str, *, forced: bool = False) -> AccountPriceTier:
    return AccountPriceTier(min_quantity=min_quantity, price=D(price), is_forced=forced)


SEED_LEVELS = {"A": D("1.00"), "B": D("2.00"), "C": D("3.00"), "D": D("4.00")}


@pytest.mark.parametrize(
    ("level", "expected"), [("A", "1.00"), ("B", "2.00"), ("C", "3.00"), ("D", "4.00")]
)
def test_the_seed_example_an_account_on_a_level_sees_that_levels_price(
    level: str, expected: str
) -> None:
    decision = price_for(
        price_level=level,
        level_price=SEED_LEVELS[level],
        discount_percent=D("0"),
        account_tiers=[],
        contract_prices=[],
        quantity=1,
        today=TODAY,
    )

    assert (decision.unit_price, decision.rule) == (D(expected), PriceRule.LEVEL_PRICE)


CASES = [
    # (name, level price, discount %, tiers, contracts, quantity, expected price, expected rule)
    ("discount comes off the level price", "10.00", "15", [], [], 1, "8.50", PriceRule.LEVEL_PRICE),
    ("discount rounds half-up to cents", "0.99", "50", [], [], 1, "0.50", PriceRule.LEVEL_PRICE),
    (
        "a cheaper account price wins",
        "10.00",
        "0",
        [tier(1, "9.00")],
        [],
        1,
        "9.00",
        PriceRule.ACCOUNT_PRICE,
    ),
    (
        "a dearer unforced account price loses",
        "10.00",
        "0",
        [tier(1, "11.00")],
        [],
        1,
        "10.00",
        PriceRule.LEVEL_PRICE,
    ),
    (
        "a forced dearer account price wins",
        "10.00",
        "0",
        [tier(1, "11.00", forced=True)],
        [],
        1,
        "11.00",
        PriceRule.ACCOUNT_PRICE,
    ),
    (
        "below the first break the level price applies",
        "10.00",
        "0",
        [tier(10, "8.00")],
        [],
        9,
        "10.00",
        PriceRule.LEVEL_PRICE,
    ),
    (
        "the break at exactly the quantity applies",
        "10.00",
        "0",
        [tier(1, "9.50"), tier(10, "8.00"), tier(50, "7.00")],
        [],
        10,
        "8.00",
        PriceRule.ACCOUNT_PRICE,
    ),
    (
        "the highest break reached applies",
        "10.00",
        "0",
        [tier(1, "9.50"), tier(10, "8.00"), tier(50, "7.00")],
        [],
        75,
        "7.00",
        PriceRule.ACCOUNT_PRICE,
    ),
    (
        "only the applicable break counts, even if a lower break is cheaper",
        "10.00",
        "0",
        [tier(1, "6.00", forced=True), tier(10, "9.00", forced=True)],
        [],
        10,
        "9.00",
        PriceRule.ACCOUNT_PRICE,
    ),
    (
        "a current contract price wins when cheapest",
        "10.00",
        "0",
        [tier(1, "9.00")],
        [contract("K1", "8.00")],
        1,
        "8.00",
        PriceRule.CONTRACT_PRICE,
    ),
    (
        "an expired contract does not count",
        "10.00",
        "0",
        [],
        [contract("K1", "5.00", expires=date(2026, 11, 26))],
        1,
        "10.00",
        PriceRule.LEVEL_PRICE,
    ),
    (
        "a contract applies on its expiry date",
        "10.00",
        "0",
        [],
        [contract("K1", "5.00", expires=TODAY)],
        1,
        "5.00",
        PriceRule.CONTRACT_PRICE,
    ),
    (
        "a contract not yet started does not count",
        "10.00",
        "0",
        [],
        [contract("K1", "5.00", starts=date(2026, 11, 28))],
        1,
        "10.00",
        PriceRule.LEVEL_PRICE,
    ),
    (
        "a forced contract price beats a cheaper level and account price",
        "10.00",
        "20",
        [tier(1, "7.00")],
        [contract("K1", "12.00", forced=True)],
        1,
        "12.00",
        PriceRule.CONTRACT_PRICE,
    ),
    (
        "several forced prices: the lowest forced one",
        "10.00",
        "0",
        [tier(1, "13.00", forced=True)],
        [
            contract("K1", "12.00", forced=True),
            contract("K2", "14.00", forced=True),
            contract("K3", "1.00"),
        ],
        1,
        "12.00",
        PriceRule.CONTRACT_PRICE,
    ),
    (
        "an expired forced contract does not force",
        "10.00",
        "0",
        [],
        [contract("K1", "12.00", forced=True, expires=date(2026, 1, 31))],
        1,
        "10.00",
        PriceRule.LEVEL_PRICE,
    ),
    (
        "no level price: the account price alone",
        None,
        "0",
        [tier(1, "4.00")],
        [],
        1,
        "4.00",
        PriceRule.ACCOUNT_PRICE,
    ),
]


@pytest.mark.parametrize(
    ("level_price", "discount", "tiers", "contracts", "quantity", "expected", "rule"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_buyer_gets_the_lowest_price_unless_one_is_forced(
    level_price: str | None,
    discount: str,
    tiers: list[AccountPriceTier],
    contracts: list[ContractPrice],
    quantity: int,
    expected: str,
    rule: PriceRule,
) -> None:
    decision = price_for(
        price_level="C",
        level_price=D(level_price) if level_price else None,
        discount_percent=D(discount),
        account_tiers=tiers,
        contract_prices=contracts,
        quantity=quantity,
        today=TODAY,
    )

    assert (decision.unit_price, decision.rule) == (D(expected), rule)


def test_no_candidate_means_no_price() -> None:
    decision = price_for(
        price_level=None,
        level_price=None,
        discount_percent=D("0"),
        account_tiers=[tier(10, "4.00")],
        contract_prices=[],
        quantity=1,
        today=TODAY,
    )

    assert (decision.unit_price, decision.rule, decision.winner) == (None, None, None)
    assert [(c.applies, c.note) for c in decision.candidates] == [
        (False, "needs a quantity of at least 10")
    ]


def test_the_decision_lists_every_candidate_and_why_it_did_not_apply() -> None:
    decision = price_for(
        price_level="C",
        level_price=D("10.00"),
        discount_percent=D("10"),
        account_tiers=[tier(1, "9.50"), tier(10, "8.00"), tier(50, "7.00")],
        contract_prices=[
            contract("OLD", "5.00", expires=date(2026, 6, 30)),
            contract("NOW", "8.50", forced=True),
        ],
        quantity=12,
        today=TODAY,
    )

    assert [(c.rule, c.price, c.is_forced, c.applies, c.note) for c in decision.candidates] == [
        (PriceRule.LEVEL_PRICE, D("9.00"), False, True, "price level C less 10% account discount"),
        (PriceRule.ACCOUNT_PRICE, D("9.50"), False, False, "superseded by a higher quantity break"),
        (PriceRule.ACCOUNT_PRICE, D("8.00"), False, True, "account price from 10"),
        (PriceRule.ACCOUNT_PRICE, D("7.00"), False, False, "needs a quantity of at least 50"),
        (PriceRule.CONTRACT_PRICE, D("8.50"), True, True, "contract NOW until 2026-12-31"),
        (PriceRule.CONTRACT_PRICE, D("5.00"), False, False, "contract OLD expired 2026-06-30"),
    ]
    assert decision.candidates[0].undiscounted_price == D("10.00")
    assert decision.winner == decision.candidates[4]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2.345", "2.35"), ("2.344", "2.34"), ("2.355", "2.36"), ("0.005", "0.01"), ("7", "7.00")],
)
def test_money_rounds_half_up_to_cents(value: str, expected: str) -> None:
    assert round_money(D(value)) == D(expected)


@pytest.mark.parametrize(
    ("is_active", "restricted", "on_contract", "expected"),
    [
        (True, False, False, Availability(available=True)),
        (False, False, False, Availability(False, "This product is no longer sold")),
        (True, True, False, Availability(False, "This product is restricted for your account")),
        (False, True, True, Availability(available=True)),
        (False, False, True, Availability(available=True)),
    ],
)
def test_contracts_make_restricted_and_inactive_products_available(
    is_active: bool, restricted: bool, on_contract: bool, expected: Availability
) -> None:
    assert (
        availability(
            is_active=is_active, is_restricted_for_buyer=restricted, on_current_contract=on_contract
        )
        == expected
    )


@pytest.mark.parametrize(
    ("applies", "product_listed", "commodity_listed", "expected"),
    [
        (False, True, True, False),
        (True, False, False, False),  # no product is restricted for everyone
        (True, True, False, True),
        (True, False, True, True),  # its commodity is on the customer's list
    ],
)
def test_su23_restrictions_apply_only_to_memberships_with_the_flag(
    applies: bool, product_listed: bool, commodity_listed: bool, expected: bool
) -> None:
    assert (
        is_restricted_for_buyer(
            restrictions_apply=applies,
            product_on_list=product_listed,
            commodity_on_list=commodity_listed,
        )
        is expected
    )
