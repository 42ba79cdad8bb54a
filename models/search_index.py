"""SQLite's search tables: free-text search (`resolvers.search.contains`) matches a term anywhere
in a column, `lower(column) LIKE '%term%'`, which no B-tree index answers, so on SQLite every
account or product search read the whole table (issue #17: 16 ms at 1,000 accounts, 419 ms at
100,000). PostgreSQL has its trigram indexes (`models.types.trigram_index`); SQLite gets an FTS5
table a searched table, tokenised into trigrams, which triggers keep in step with the rows.

It finds what the LIKE finds:
- it holds `lower(column)` (SQLite's lower(), which folds ASCII only, as the LIKE does) and its
  tokenizer is case-sensitive: FTS5's own folding is Unicode's and would find more;
- a term is looked up as one quoted phrase of `lower(term)` in the columns searched: its trigrams
  in a row in one column, which is the term as a substring, whatever `%`, `_`, `"` or `*` it holds;
- a term shorter than a trigram has no trigram to look up, so it keeps the LIKE.

Contentless (`content=''`): the table is only the index, the text stays in its table, and its
`delete` command is given the values the row was indexed with, which the triggers recompute.
A migration that rebuilds one of these tables on SQLite (batch mode copies and drops it) drops
its triggers with it and must create them again (migration 0027 has the statements).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DDL, Boolean, ColumnElement, MetaData, String, event, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import column, table
from sqlalchemy.sql.visitors import InternalTraversal

# The fewest characters a term needs to have a trigram.
TRIGRAM = 3


@dataclass(frozen=True)
class SearchIndex:
    """The search table of `table`'s text `columns`, keyed by the row's id."""

    table: str
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.table}_search"

    def create(self) -> list[str]:
        """The search table, filled from the rows there are, and its triggers."""
        names = ", ".join(self.columns)
        new = ", ".join(f"lower(new.{name})" for name in self.columns)
        old = ", ".join(f"lower(old.{name})" for name in self.columns)
        index = f"INSERT INTO {self.name} (rowid, {names}) VALUES (new.id, {new});"
        unindex = (
            f"INSERT INTO {self.name} ({self.name}, rowid, {names})"
            f" VALUES ('delete', old.id, {old});"
        )
        lowered = ", ".join(f"lower({name})" for name in self.columns)
        return [
            f"CREATE VIRTUAL TABLE {self.name} USING fts5({names},"
            " content='', tokenize='trigram case_sensitive 1')",
            f"INSERT INTO {self.name} (rowid, {names}) SELECT id, {lowered} FROM {self.table}",
            f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} BEGIN {index} END",
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} BEGIN {unindex} END",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE OF {names} ON {self.table}"
            f" BEGIN {unindex} {index} END",
        ]

    def holds(self, term: str, columns: Iterable[str], key: Any) -> ColumnElement[bool]:
        """Rows (by their `key`, the id) whose text in any of `columns` holds `term`, a term of
        at least `TRIGRAM` characters."""
        search = table(self.name, column(self.name), column("rowid"))
        phrase = (
            literal("{" + " ".join(columns) + '} : "', String)
            .concat(func.replace(func.lower(literal(term, String)), '"', '""', type_=String))
            .concat('"')
        )
        rows = select(search.c.rowid).where(search.c[self.name].match(phrase))
        return key.in_(rows)  # type: ignore[no-any-return]


SEARCH_INDEXES = {
    index.table: index
    for index in (
        SearchIndex("account", ("code", "company_name", "email", "sales_rep_code", "erp_key")),
        SearchIndex("address", ("postcode",)),
        SearchIndex("product", ("sku", "name")),
    )
}


def is_search_table(name: str) -> bool:
    """`name` is a search table or one of the tables FTS5 keeps it in (`account_search_idx`…)."""
    return any(
        name == index.name or name.startswith(f"{index.name}_") for index in SEARCH_INDEXES.values()
    )


class IndexedSearch(ColumnElement[bool]):
    """A search answered by a search table on SQLite (`indexed`) and by `otherwise` (the LIKE
    the table answers for, which PostgreSQL's trigram indexes serve) on other databases."""

    inherit_cache = True
    type = Boolean()
    # A condition in itself: no `= 1` after it where booleans are integers (SQLite).
    _is_implicitly_boolean = True
    _traverse_internals = [
        ("indexed", InternalTraversal.dp_clauseelement),
        ("otherwise", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, indexed: ColumnElement[bool], otherwise: ColumnElement[bool]) -> None:
        self.indexed = indexed
        self.otherwise = otherwise


@compiles(IndexedSearch)
def _indexed_search(element: IndexedSearch, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.otherwise, **kw))


@compiles(IndexedSearch, "sqlite")
def _indexed_search_sqlite(element: IndexedSearch, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.indexed, **kw))


def keep_search_tables(metadata: MetaData) -> None:
    """Build each search table with its table on SQLite (`create_all`), and drop it with it."""
    for index in SEARCH_INDEXES.values():
        owner = metadata.tables[index.table]
        for statement in index.create():
            event.listen(owner, "after_create", _on_sqlite(statement))
        event.listen(owner, "before_drop", _on_sqlite(f"DROP TABLE IF EXISTS {index.name}"))


def _on_sqlite(statement: str) -> DDL:
    return DDL(statement).execute_if(dialect="sqlite")  # type: ignore[no-untyped-call]
