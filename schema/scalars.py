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

# ASCII digits only: Python's `\d` and `Decimal()` read every script's digits ("١٢٣" is 123).
_PLAIN_DECIMAL = re.compile(r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$")
_BAD_INPUT = {"code": "BAD_USER_INPUT"}


def parse_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise GraphQLError(
            f'Decimal must be a string like "12.50", got {value!r}', extensions=_BAD_INPUT
        )
    text = str(value).strip() if not isinstance(value, float) else repr(value)
    if not _PLAIN_DECIMAL.match(text):
        ascii_only = "" if text.isascii() else "ASCII digits 0-9 only, "
        raise GraphQLError(
            f'Decimal must be a plain number like "12.50" ({ascii_only}no NaN, Infinity or '
            f"exponent): {value!r}",
            extensions=_BAD_INPUT,
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
    raise GraphQLError('Decimal must be a string like "12.50"', nodes=node, extensions=_BAD_INPUT)


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
