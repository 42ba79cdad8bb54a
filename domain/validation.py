"""Field rules shared by every mutation that accepts the same kind of value.

Each check returns the errors it found (empty when the value is fine), so a mutation can report
every bad field at once. `field` is the input path in the client's (camelCase) spelling.
"""

from __future__ import annotations

import re
from decimal import Decimal

from domain.errors import DomainError, ErrorCode

# CM10: "Enter a value in this field to a maximum of 999,999.99."
MAX_APPROVAL_VALUE = Decimal("999999.99")
MAX_MONEY = Decimal("999999999999.99")
# Free text a person writes on a cart (notes, an approver's comment or reason), kept in
# unbounded text columns: the limit is the rule's, not the column's.
MAX_NOTE_LENGTH = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def check_required(field: str, value: str | None) -> list[DomainError]:
    if value is None or not value.strip():
        return [DomainError(ErrorCode.REQUIRED, f"{field} is required", field=[field])]
    return []


def check_length(field: str, value: str | None, maximum: int) -> list[DomainError]:
    if value is not None and len(value) > maximum:
        return [
            DomainError(
                ErrorCode.TOO_LONG, f"{field} is longer than {maximum} characters", field=[field]
            )
        ]
    return []


def check_email(field: str, value: str | None) -> list[DomainError]:
    if value is not None and not _EMAIL.match(value):
        return [
            DomainError(ErrorCode.INVALID, f"{value!r} is not an e-mail address", field=[field])
        ]
    return check_length(field, value, 254)


def check_code(field: str, value: str | None) -> list[DomainError]:
    """Account numbers, rep codes, price levels: letters, digits and . _ / -. How long one may be
    is its column's business (`models.column_limits`)."""
    if value is not None and not _CODE.match(value):
        return [
            DomainError(
                ErrorCode.INVALID,
                f"{field} may hold only letters, digits and . _ / -",
                field=[field],
            )
        ]
    return []


def check_country(field: str, value: str | None) -> list[DomainError]:
    if value is not None and not _COUNTRY.match(value):
        return [
            DomainError(
                ErrorCode.INVALID,
                "country must be an ISO 3166-1 alpha-2 code such as AU",
                field=[field],
            )
        ]
    return []


def check_money(
    field: str,
    value: Decimal | None,
    *,
    minimum: Decimal | None = Decimal("0"),
    maximum: Decimal = MAX_MONEY,
) -> list[DomainError]:
    """Money has at most two decimal places and stays within [minimum, maximum]."""
    if value is None:
        return []
    if not value.is_finite():
        return [DomainError(ErrorCode.INVALID, f"{field} must be a finite number", field=[field])]
    if value != value.quantize(Decimal("0.01")):
        return [
            DomainError(
                ErrorCode.INVALID, f"{field} must have at most two decimal places", field=[field]
            )
        ]
    if minimum is not None and value < minimum:
        return [
            DomainError(ErrorCode.INVALID, f"{field} must be at least {minimum}", field=[field])
        ]
    if value > maximum:
        return [
            DomainError(
                ErrorCode.LIMIT_EXCEEDED, f"{field} must be at most {maximum}", field=[field]
            )
        ]
    return []


def check_percent(field: str, value: Decimal | None) -> list[DomainError]:
    return check_money(field, value, minimum=Decimal("0"), maximum=Decimal("100"))


def check_non_negative(field: str, value: int | None) -> list[DomainError]:
    if value is not None and value < 0:
        return [DomainError(ErrorCode.INVALID, f"{field} must not be negative", field=[field])]
    return []


def under(path: list[str], errors: list[DomainError]) -> list[DomainError]:
    """The same errors for a value nested in the input: a list entry or an input object, e.g.
    `["lines", "0"]` + `["quantity"]`."""
    return [DomainError(e.code, e.message, field=[*path, *(e.field or [])]) for e in errors]
