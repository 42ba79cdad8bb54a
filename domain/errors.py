"""Domain errors: a business-rule refusal with a code, a message and the input field it concerns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum


class ErrorCode(Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    BLOCKED = "BLOCKED"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    NOT_PERMITTED = "NOT_PERMITTED"
    RATE_LIMITED = "RATE_LIMITED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    # An ERP key is set once (by the ERP) and another account's key is never taken over.
    ERP_KEY_CONFLICT = "ERP_KEY_CONFLICT"
    # A spending budget with the BLOCK action would go over (issue #16 §2, domain.budgets).
    OVER_BUDGET = "OVER_BUDGET"
    # A quote step its state does not allow (accepting a withdrawn quote, pricing an ordered one).
    INVALID_TRANSITION = "INVALID_TRANSITION"
    # A quote past its expiry date is neither accepted nor ordered.
    QUOTE_EXPIRED = "QUOTE_EXPIRED"


class DomainError(Exception):
    """One refusal. `field` is the path into the mutation's input, in the client's spelling."""

    def __init__(
        self, code: ErrorCode, message: str, *, field: Sequence[str] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = list(field) if field is not None else None


class DomainErrors(Exception):
    """Several refusals found together, so the client can fix every field in one round trip."""

    def __init__(self, errors: Iterable[DomainError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(e.message for e in self.errors))


def raise_if_any(errors: list[DomainError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise DomainErrors(errors)


def nested(path: Sequence[str], errors: Iterable[DomainError]) -> list[DomainError]:
    """The same refusals, with `path` put in front of their fields: an input list's item
    (`["products", "2"]`) or a sync batch's record (`["records", "0"]`)."""
    return [DomainError(e.code, e.message, field=[*path, *(e.field or [])]) for e in errors]
