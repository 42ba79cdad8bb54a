"""What a column can hold, read from its table definition: the one source of input limits.

A `String(n)` column (SQLModel's `max_length=n`) holds at most n characters, and a NOT NULL
column holds no null. PostgreSQL enforces both by failing the statement; SQLite enforces
neither. `column_errors` turns them into field errors before a write, for the values a mutation
or an ERP record sets; every flush runs it too (`refuse_unfit_rows`), so a write path that did
not ask is refused with a field error instead of a crash on PostgreSQL or a silently stored
value on SQLite. `values` are by column name: a mapping, or a typed change
(`domain.changes`) whose set fields are the values. Callers whose input nests the values (a
registration's billing address, a sync batch's record) call `column_errors` themselves, with the
path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Table, event, inspect
from sqlalchemy.orm import Mapper, Session, UOWTransaction
from sqlmodel import SQLModel

from domain.changes import set_fields
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import check_length, to_camel

if TYPE_CHECKING:
    from domain.changes import Changes


@dataclass(frozen=True)
class _Limit:
    """What one column can hold, read once from its definition (`value_errors` reads the same)."""

    column: Column[Any]
    field: str
    required: bool
    length: int | None


# Every flush checks every value it writes (`refuse_unfit_rows`): what each column holds is read
# from the table once, not per value and flush, so a value it fits costs a dict lookup.
_LIMITS: dict[Table, dict[str, _Limit]] = {}


def _limits(table: Table) -> dict[str, _Limit]:
    limits = _LIMITS.get(table)
    if limits is None:
        limits = _LIMITS[table] = {
            column.key: _Limit(
                column=column,
                field=to_camel(column.key),
                required=not (
                    column.nullable or column.primary_key or column.server_default is not None
                ),
                length=getattr(column.type, "length", None),
            )
            for column in table.columns
        }
    return limits


def column_errors(
    model: type[SQLModel] | Table, values: Mapping[str, Any] | Changes, *, path: Sequence[str] = ()
) -> list[DomainError]:
    """Every value of `values` (by column name) its column cannot hold; fields named
    `[*path, camelCaseName]`. Names that are no column of the table are not its business."""
    table: Table = model if isinstance(model, Table) else model.__table__  # type: ignore[attr-defined]
    by_name = values if isinstance(values, Mapping) else set_fields(values)
    limits = _limits(table)
    errors: list[DomainError] = []
    for name, value in by_name.items():
        limit = limits.get(name)
        if limit is None:
            continue
        # Only a value its column may refuse is checked (and the refusal worded) in full.
        if (value is None and limit.required) or (
            limit.length is not None and isinstance(value, str) and len(value) > limit.length
        ):
            errors += value_errors(limit.column, value, field=[*path, limit.field])
    return errors


def and_column_errors(
    errors: list[DomainError],
    model: type[SQLModel] | Table,
    values: Mapping[str, Any] | Changes,
    *,
    path: Sequence[str] = (),
) -> list[DomainError]:
    """`errors` (a rule's refusals) and the column's, but one refusal a field: a value its own
    rule refused (an e-mail address that is none) is not refused again for its length."""
    refused = {tuple(e.field) for e in errors if e.field}
    return errors + [
        e for e in column_errors(model, values, path=path) if tuple(e.field or ()) not in refused
    ]


def value_errors(column: Any, value: Any, *, field: Sequence[str]) -> list[DomainError]:
    """Why `column` (a table's column, or a model's attribute) cannot hold `value`: a lookup by
    a key longer than its column can find nothing, so callers refuse it the same way."""
    column = getattr(column, "expression", column)
    label = field[-1]
    if value is None:
        if column.nullable or column.primary_key or column.server_default is not None:
            return []
        return [DomainError(ErrorCode.REQUIRED, f"{label} may not be empty", field=field)]
    length = getattr(column.type, "length", None)
    if not isinstance(value, str) or length is None:
        return []
    return [DomainError(e.code, e.message, field=field) for e in check_length(label, value, length)]


_COLUMN_KEYS: dict[Mapper[Any], tuple[str, ...]] = {}


def _column_keys(mapper: Mapper[Any]) -> tuple[str, ...]:
    keys = _COLUMN_KEYS.get(mapper)
    if keys is None:
        keys = _COLUMN_KEYS[mapper] = tuple(attribute.key for attribute in mapper.column_attrs)
    return keys


def _changed_values(row: Any, *, new: bool) -> dict[str, Any]:
    """The column values a flush would write for `row`: all of a new row's, a loaded row's
    changed ones (a value stored before a limit existed does not block other edits)."""
    state = inspect(row)
    keys = _column_keys(state.mapper)
    if new:
        loaded = state.dict
        return {key: loaded[key] for key in keys if key in loaded}
    # Only an attribute set since the row was loaded or flushed has its committed value kept,
    # and only such an attribute has anything added to its history.
    changed = state.committed_state
    values: dict[str, Any] = {}
    for key in keys:
        if key in changed:
            history = state.attrs[key].history
            if history.added:
                values[key] = history.added[0]
    return values


@event.listens_for(Session, "before_flush")
def refuse_unfit_rows(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """Refuse a flush that would write a value its column cannot hold (see the module)."""
    errors: list[DomainError] = []
    for rows, new in ((session.new, True), (session.dirty, False)):
        for row in rows:
            if isinstance(row, SQLModel) and hasattr(row, "__table__"):
                errors += column_errors(type(row), _changed_values(row, new=new))
    raise_if_any(errors)
