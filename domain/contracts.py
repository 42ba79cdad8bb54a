"""Seed 003 contracts: what a contract's own fields (code, name, dates) may hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.changes import UNSET, Maybe, given
from domain.errors import DomainError
from domain.validation import check_code, check_required


@dataclass(frozen=True)
class ContractChanges:
    """What creating or editing a contract (on the platform or from the ERP) sets."""

    code: Maybe[str | None] = UNSET
    name: Maybe[str | None] = UNSET
    starts_on: Maybe[date | None] = UNSET
    expires_on: Maybe[date | None] = UNSET


def validate_contract(changes: ContractChanges) -> list[DomainError]:
    """A code, when set, is a present short code; a name, when set, is present."""
    errors: list[DomainError] = []
    if changes.code is not UNSET:
        code = given(changes.code)
        errors += check_required("code", code) + check_code("code", code)
    if changes.name is not UNSET:
        errors += check_required("name", given(changes.name))
    return errors
