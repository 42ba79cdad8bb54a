"""Free-text search, the same on every list (products, accounts, contacts): a term is text,
not a pattern, and it is short.

- `%` and `_` in a term match themselves: LIKE's wildcards are escaped (as SQLAlchemy's
  `icontains(autoescape=True)` escapes them), so `%` does not match everything and a term of
  wildcards cannot make the database try every split of every name.
- A term is at most `MAX_SEARCH_LENGTH` characters (`schema.input_values.search_text` refuses a
  longer one). A search matches a term anywhere in a column (`LIKE '%term%'`): SQLite's LIKE
  costs up to the term's length times the text's for every row it reads, and PostgreSQL's
  trigram indexes (migration 0012) look up about one trigram a character. No one types 100
  characters into a search box.
- Where a table has a search table (`models.search_index`: accounts, addresses, products), SQLite
  reads that instead of every row, for terms of a trigram or more; PostgreSQL keeps the LIKE,
  which its trigram indexes serve.
- PostgreSQL must know the term to plan for it, so there the term is written into the statement
  instead of bound: the driver prepares statements, and from a statement's sixth run PostgreSQL
  may keep a plan made for any term, which expects a match in every 200 rows and reads the
  table whole.
- A search in several columns unites one lookup a column (`rows_holding`): each reads its own
  index (on SQLite, one search table lookup of them all), where PostgreSQL may read a whole
  table for one OR of them in the page's order, testing every row (a page of products,
  prepared, from its sixth run: 170 to 250 ms at 100,000 products instead of 2 to 12).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, or_, select, union
from sqlmodel import col

from models.search_index import SEARCH_INDEXES, TRIGRAM, IndexedSearch, SearchIndex

MAX_SEARCH_LENGTH = 100
ESCAPE = "/"


def search_term(text: str | None) -> str | None:
    """The term to look for; None when there is nothing to look for."""
    term = (text or "").strip()
    return term or None


def contains(term: str, *columns: Any) -> ColumnElement[bool]:
    """Rows whose text in any of `columns` holds `term`, ignoring case, literally."""
    index = _search_table(term, columns)
    if index is None:
        return _like(term, columns, inline=False)
    names = [column.expression.name for column in columns]
    owner = columns[0].expression.table
    return IndexedSearch(index.holds(term, names, owner.c.id), _like(term, columns, inline=True))


def _search_table(term: str, columns: Sequence[Any]) -> SearchIndex | None:
    """The search table that answers `term` in all of `columns` on SQLite, if one does."""
    searched = [column.expression for column in columns]  # the mapped attributes' columns
    index = SEARCH_INDEXES.get(searched[0].table.name)
    if index is None or len(term) < TRIGRAM:
        return None
    return index if {column.name for column in searched} <= set(index.columns) else None


def _like(term: str, columns: Any, *, inline: bool) -> ColumnElement[bool]:
    """`column ILIKE '%term%'` with the term's wildcards escaped; `inline`: the term written
    into the statement rather than bound."""
    literal = term.replace(ESCAPE, ESCAPE * 2).replace("%", f"{ESCAPE}%").replace("_", f"{ESCAPE}_")
    value = bindparam(None, literal, String(), literal_execute=inline)
    return or_(*(col(column).icontains(value, escape=ESCAPE) for column in columns))


def rows_holding(
    term: str, key: Any, columns: Sequence[Any], *, also: Sequence[Select[Any]] = ()
) -> ColumnElement[bool]:
    """Rows whose text in any of `columns` holds `term` (or whose `key` one of the `also`
    lookups finds): `key IN (...)`, one lookup a column united, each reading its own index.
    On SQLite, where the columns share a search table, one lookup of them all instead: a
    union of one FTS5 lookup a column read every match twice and sorted them (a page of a
    search matching 1,200 products: 1.1 ms, against 0.34 ms)."""
    by_column = [select(col(key)).where(contains(term, column)) for column in columns]
    united = col(key).in_(union(*by_column, *also))
    if _search_table(term, columns) is None:
        return united
    one = contains(term, *columns)
    if also:
        one = col(key).in_(union(select(col(key)).where(one), *also))
    return IndexedSearch(one, united)
