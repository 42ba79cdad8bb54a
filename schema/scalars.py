"""Scalars with stricter parsing than Strawberry's defaults.

`Decimal` is money, percentages and limits: a plain decimal string (or number) only. NaN,
Infinity and exponent notation are refused before any resolver sees them.
"""

from __future__ import annotations

import decimal
import re
from typing import Any

from graphql import FloatValueNode, GraphQLError, IntValueNode, StringValueNode, ValueNode
from strawberry.types.scalar import ScalarDefinition

_PLAIN_DECIMAL = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")


def parse_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise GraphQLError(f'Decimal must be a string like "12.50", got {value!r}')
    text = str(value).strip() if not isinstance(value, float) else repr(value)
    if not _PLAIN_DECIMAL.match(text):
        raise GraphQLError(
            f'Decimal must be a plain number like "12.50" (no NaN, Infinity or exponent): {value!r}'
        )
    return decimal.Decimal(text)


CENTS = decimal.Decimal("0.01")


def serialize_decimal(value: decimal.Decimal) -> str:
    """At least two places, so money reads the same whether it came from the database ("5.00")
    or from a value just written ("5"). Values with more places (rates) keep them."""
    value = decimal.Decimal(value)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(CENTS)
    return str(value)


def parse_decimal_literal(node: ValueNode, _variables: Any = None) -> decimal.Decimal:
    """A literal in the document is read from its source text, so `1e5` is refused like "1e5"."""
    if isinstance(node, StringValueNode | IntValueNode | FloatValueNode):
        return parse_decimal(node.value)
    raise GraphQLError('Decimal must be a string like "12.50"', nodes=node)


DecimalScalar = ScalarDefinition(
    name="Decimal",
    description='Fixed-point decimal, serialised as a string: "1234.50". Never a float.',
    specified_by_url=None,
    serialize=serialize_decimal,
    parse_value=parse_decimal,
    parse_literal=parse_decimal_literal,
    origin=decimal.Decimal,
)

SCALAR_OVERRIDES: dict[object, Any] = {decimal.Decimal: DecimalScalar}
