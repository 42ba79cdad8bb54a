"""The `Decimal` scalar reads plain decimal numbers only (values and literals alike)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from graphql import GraphQLError, parse_value
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from schema.scalars import parse_decimal, parse_decimal_literal
from tests.factories import PASSWORD, make_worker
from tests.graphql_client import GraphQLClient

ACCEPTED: list[tuple[Any, Decimal]] = [
    ("12.50", Decimal("12.50")),
    ("0", Decimal("0")),
    ("-3.2", Decimal("-3.2")),
    (" 7.25 ", Decimal("7.25")),
    (12, Decimal("12")),
    (0.1, Decimal("0.1")),
    ("123456789012345.123456", Decimal("123456789012345.123456")),
]

REFUSED: list[Any] = [
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e5",
    "1E-2",
    float("nan"),
    float("inf"),
    1e20,
    "",
    "12,50",
    "1.2.3",
    "0x10",
    "1_000",
    "1234567890123456",  # more than 15 integer digits
    "1.1234567",  # more than 6 places
    "\u0661\u0662\u0663",  # Arabic-Indic digits, which Decimal() reads as 123
    "\u0661\u0662.\u0665\u0660",
    "\uff11\uff12",  # fullwidth
    "12.\uff15",
    True,
    None,
    [1],
]


@pytest.mark.parametrize(("value", "expected"), ACCEPTED)
def test_plain_decimals_are_accepted(value: Any, expected: Decimal) -> None:
    assert parse_decimal(value) == expected


@pytest.mark.parametrize("value", REFUSED)
def test_anything_else_is_refused(value: Any) -> None:
    with pytest.raises(GraphQLError):
        parse_decimal(value)


@pytest.mark.parametrize(
    ("literal", "expected"), [('"12.50"', Decimal("12.50")), ("12", 12), ("0.5", Decimal("0.5"))]
)
def test_literals_are_read_from_their_source_text(literal: str, expected: Decimal) -> None:
    assert parse_decimal_literal(parse_value(literal)) == expected


@pytest.mark.parametrize("literal", ["1e5", "1.5E2", '"NaN"', "true", "[1]", "{a: 1}"])
def test_exponent_and_non_number_literals_are_refused(literal: str) -> None:
    with pytest.raises(GraphQLError):
        parse_decimal_literal(parse_value(literal))


@pytest.mark.parametrize(
    "digits", ["\u0661\u0662\u0663", "\u0967\u0968\u0969", "\uff11\uff12\uff13"]
)
async def test_non_ascii_digits_are_a_coded_error_not_a_number(
    client: GraphQLClient, session: AsyncSession, digits: str
) -> None:
    # given a product an admin may price
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    query = "mutation($i: SyncPriceLevelsInput!) { syncPriceLevels(input: $i) { errors { code } } }"
    record = {"sku": "SKU-1", "priceLevel": "A", "price": digits}

    # when the price is written in another script's digits, as a variable and as a literal
    errors = await client.errors(query, {"i": {"records": [record]}}, token=token)
    literal = await client.errors(
        'mutation { syncPriceLevels(input: {records: [{sku: "SKU-1", priceLevel: "A", '
        f'price: "{digits}"}}]}}) {{ errors {{ code }} }} }}',
        token=token,
    )

    # then both are refused before any resolver, with a code and a message that says why
    for refused in (errors, literal):
        assert [e["extensions"]["code"] for e in refused] == ["BAD_USER_INPUT"]
        assert "ASCII digits 0-9 only" in refused[0]["message"]
