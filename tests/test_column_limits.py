"""`models.column_limits` reads every table's limits from its definition: for every
length-bounded column of every table, a value of its length fits and one character more is
`TOO_LONG` on the column's field; a null fits the columns that may hold one (or that the
database fills) and no other."""

from __future__ import annotations

import pytest
from sqlalchemy import Column
from sqlmodel import SQLModel

import models  # noqa: F401 - every table on the metadata
from domain.validation import to_camel
from models.column_limits import column_errors

BOUNDED = [
    (table.name, column)
    for table in SQLModel.metadata.sorted_tables
    for column in table.columns
    if getattr(column.type, "length", None) and not column.primary_key
]


def test_the_tables_have_bounded_text_columns() -> None:
    # the walk below covers something: the review counted 31 unchecked columns alone
    assert len(BOUNDED) > 60


@pytest.mark.parametrize(("table", "column"), BOUNDED, ids=lambda c: getattr(c, "name", c))
def test_a_value_of_the_columns_length_fits_and_one_more_does_not(
    table: str, column: Column[str]
) -> None:
    length = column.type.length  # type: ignore[attr-defined]
    model = SQLModel.metadata.tables[table]

    fits = column_errors(model, {column.name: "x" * length}, path=["records", "3"])
    too_long = column_errors(model, {column.name: "x" * (length + 1)}, path=["records", "3"])

    assert fits == []
    assert [(e.code.value, e.field, e.message) for e in too_long] == [
        (
            "TOO_LONG",
            ["records", "3", to_camel(column.name)],
            f"{to_camel(column.name)} is longer than {length} characters",
        )
    ]


@pytest.mark.parametrize(
    ("table", "column", "codes"),
    [
        ("address", "line1", ["REQUIRED"]),
        ("address", "line2", []),
        ("account", "company_name", ["REQUIRED"]),
        ("account", "territory", []),
        # filled by the database when left out
        ("account", "customer_groups", []),
        ("contact", "name", ["REQUIRED"]),
    ],
)
def test_a_null_fits_the_columns_that_may_hold_one(
    table: str, column: str, codes: list[str]
) -> None:
    errors = column_errors(SQLModel.metadata.tables[table], {column: None})

    assert [e.code.value for e in errors] == codes
