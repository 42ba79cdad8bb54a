"""Free-text search, the same on every list (products, accounts, contacts): a term is text,
not a pattern, and it is short.

- `%` and `_` in a term match themselves: LIKE's wildcards are escaped (SQLAlchemy's
  `icontains(autoescape=True)`), so `%` does not match everything and a term of wildcards cannot
  make the database try every split of every name.
- A term is at most `MAX_SEARCH_LENGTH` characters (`schema.input_values.search_text` refuses a
  longer one). A search matches a term anywhere in a column (`LIKE '%term%'`): SQLite's LIKE
  costs up to the term's length times the text's for every row it reads, and PostgreSQL's
  trigram indexes (migration 0012) look up about one trigram a character. No one types 100
  characters into a search box.
- Where a table has a search table (`models.search_index`: accounts, addresses, products), SQLite
  reads that instead of every row, for terms of a trigram or more; PostgreSQL keeps the LIKE,
  which its trigram indexes serve.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import col

from models.search_index import SEARCH_INDEXES, TRIGRAM, IndexedSearch

MAX_SEARCH_LENGTH = 100


def search_term(text: str | None) -> str | None:
    """The term to look for; None when there is nothing to look for."""
    term = (text or "").strip()
    return term or None


def contains(term: str, *columns: Any) -> ColumnElement[bool]:
    """Rows whose text in any of `columns` holds `term`, ignoring case, literally."""
    like = or_(*(col(column).icontains(term, autoescape=True) for column in columns))
    searched = [column.expression for column in columns]  # the mapped attributes' columns
    owner = searched[0].table
    index = SEARCH_INDEXES.get(owner.name)
    names = [column.name for column in searched]
    if index is None or len(term) < TRIGRAM or not set(names) <= set(index.columns):
        return like
    return IndexedSearch(index.holds(term, names, owner.c.id), like)
