"""Relay plumbing: the `Node` interface, opaque global IDs, and offset-cursor connections.

IDs are base64 of `Type:key` (API.md). Connections take `first`/`after`/`last`/`before`, at most
`MAX_PAGE_SIZE` a page: asking for more is an error, never a silent cut.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from enum import Enum
from typing import Any, ClassVar, Generic, Self, TypeVar

import strawberry
from graphql import GraphQLError
from sqlalchemy import Select

from core.request_database import RequestDatabase

# Re-exported: the schema's modules and the tests take it from here.
from domain.node_ids import encode_global_id as encode_global_id
from loaders.pages import PageLoader, Window, count_of, slice_of
from schema.info import Info
from schema.prefetch import RELATION, Relation, prefetch_nodes

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
CURSOR_PREFIX = "cursor:"
# The largest key or offset a client may name: the range of PostgreSQL's INTEGER, the smallest
# column a key lands in, so a bigger one is refused before the database driver overflows.
MAX_KEY = 2**31 - 1


def _unbase64(text: str) -> str:
    """The text inside an ID or cursor; "" when the client's string is not base64 of UTF-8
    (non-ASCII input is a ValueError to `b64decode`)."""
    try:
        return base64.b64decode(text, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


def parse_key(text: str) -> int | None:
    """A key or offset written in ASCII digits within MAX_KEY; None for anything else
    (`str.isdigit` also accepts "²", which `int` refuses)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_KEY)):
        return None
    key = int(text)
    return key if key <= MAX_KEY else None


def decode_global_id(global_id: str) -> tuple[str, str]:
    """(type name, key) or a GraphQLError the client can read."""
    type_name, _, key = _unbase64(global_id).partition(":")
    if not type_name or not key:
        raise GraphQLError(f"{global_id!r} is not a valid ID", extensions={"code": "INVALID_ID"})
    return type_name, key


def decode_id_of(global_id: str, type_name: str) -> int | None:
    """The integer key of a global ID of `type_name`; None when it names another type."""
    kind, key = decode_global_id(global_id)
    return parse_key(key) if kind == type_name else None


@strawberry.interface(description="An object with a globally unique, opaque ID.")
class Node:
    db_id: strawberry.Private[int]

    @strawberry.field(description="Opaque global ID; fetch any object with `node(id:)`.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(
            encode_global_id(type(self).__strawberry_definition__.name, self.db_id)  # type: ignore[attr-defined]
        )


_NOT_COPIED = frozenset({"db_id", "row"})


class FromRow:
    """Build a GraphQL object from a table row by copying the fields the two share by name.

    A type that needs more of the row in its resolvers declares `row: strawberry.Private[...]`.
    """

    _row_fields: ClassVar[tuple[str, ...]]
    _keeps_row: ClassVar[bool]

    @classmethod
    def from_row(cls, row: Any) -> Self:
        if "_row_fields" not in cls.__dict__:
            fields = [f.name for f in dataclasses.fields(cls) if f.init]  # type: ignore[arg-type]
            cls._row_fields = tuple(name for name in fields if name not in _NOT_COPIED)
            cls._keeps_row = "row" in fields
        values = {name: getattr(row, name) for name in cls._row_fields}
        if cls._keeps_row:
            values["row"] = row
        return cls(db_id=row.id, **values)  # type: ignore[call-arg]

    @classmethod
    def from_rows(cls, rows: Sequence[Any]) -> list[Self]:
        return [cls.from_row(row) for row in rows]

    @classmethod
    def from_optional_row(cls, row: Any | None) -> Self | None:
        return cls.from_row(row) if row is not None else None


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


T = TypeVar("T")
# What a connection's resolver answers: the connection, or null where the field may be null.
R = TypeVar("R")


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count_total: strawberry.Private[Callable[[], Awaitable[int]]]

    def map(self, to_node: Callable[[T], R]) -> Connection[R]:
        """The same page with each node converted (rows to GraphQL objects)."""
        return Connection(
            edges=[Edge(cursor=edge.cursor, node=to_node(edge.node)) for edge in self.edges],
            page_info=self.page_info,
            count_total=self.count_total,
        )

    @strawberry.field(description="The page's nodes, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many objects match, across all pages.")
    async def total_count(self) -> int:
        return await self.count_total()


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    prefix, _, offset_text = _unbase64(cursor).partition(CURSOR_PREFIX)
    offset = parse_key(offset_text)
    if prefix or offset is None:
        raise GraphQLError(
            f"{cursor!r} is not a valid cursor", extensions={"code": "INVALID_CURSOR"}
        )
    return offset


@dataclasses.dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @classmethod
    def of(cls, arguments: Mapping[str, Any]) -> PageRequest:
        """The Relay arguments among a connection field's (both read paths)."""
        return cls(**{name: arguments.get(name) for name in _PAGE_ARGUMENTS})

    def validate(self) -> None:
        for name, size in (("first", self.first), ("last", self.last)):
            if size is not None and not 0 <= size <= MAX_PAGE_SIZE:
                raise GraphQLError(
                    f"`{name}` must be between 0 and {MAX_PAGE_SIZE}, got {size}",
                    extensions={"code": "PAGE_SIZE_EXCEEDED"},
                )
        if self.first is not None and self.last is not None:
            raise GraphQLError(
                "Pass `first` or `last`, not both", extensions={"code": "INVALID_PAGINATION"}
            )


async def paginate(
    info: Info,
    statement: Select[Any],
    page: PageRequest,
    to_node: Callable[[Any], T],
) -> Connection[T]:
    """Run `statement` (already filtered and ordered) for one page of a connection, and load
    ahead the relations the query selects on its nodes (`schema.prefetch`)."""
    db: RequestDatabase = info.context.db

    async def fetch(statement: Select[Any], start: int, size: int) -> list[Any]:
        return await slice_of(db, statement, start=start, size=size)

    rows = await page_of(db, statement, page, fetch=fetch)
    connection = rows.map(to_node)
    if connection.edges:
        node = connection.edges[0].node
        node_type = type(node).__strawberry_definition__.name  # type: ignore[attr-defined]
        await prefetch_nodes(info, node_type, [edge.node for edge in rows.edges])
    return connection


# (statement, start, size) -> the rows of the window.
Fetch = Callable[[Select[Any], int, int], Awaitable[Sequence[Any]]]


async def page_of(
    db: RequestDatabase, statement: Select[Any], page: PageRequest, *, fetch: Fetch
) -> Connection[Any]:
    """One page of `statement`'s rows as a connection whose nodes are the rows themselves, read by
    `fetch(statement, start, size)`: ORM rows for `paginate`, Core rows for the planned read
    path (`schema.plans`), in the same window."""
    page.validate()

    async def count_total() -> int:
        return await count_of(db, statement)

    start = decode_cursor(page.after) + 1 if page.after else 0
    end = decode_cursor(page.before) if page.before else None
    if page.last is not None:
        if end is None:
            end = await count_total()
        start = max(start, end - page.last)
    size = page.first if page.first is not None else DEFAULT_PAGE_SIZE
    if end is not None:
        size = min(size, max(end - start, 0)) if page.last is None else max(end - start, 0)
    rows = list(await fetch(statement, start, size + 1))
    has_next = len(rows) > size or (end is not None and page.before is not None)
    rows = rows[:size]
    edges = [Edge(cursor=encode_cursor(start + i), node=row) for i, row in enumerate(rows)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_total=count_total,
    )


async def paginate_related(
    info: Info,
    loader: type[PageLoader],
    parent: Any,
    page: PageRequest,
    to_node: Callable[[Any], T],
) -> Connection[T]:
    """`paginate` for a connection on an object (`Account.contacts`): the page of every parent
    of the level comes from one windowed statement of `loader`, and so do their counts."""
    pages = info.context.loader(loader)

    async def rows_in(window: Window) -> list[tuple[int, Any]]:
        return list(await pages.load((parent, window)))

    async def count_total() -> int:
        return int(await pages.load((parent, None)))

    return await windowed(page, rows_in, count_total, to_node)


async def paginate_list(
    rows: Sequence[Any], page: PageRequest, to_node: Callable[[Any], T]
) -> Connection[T]:
    """`paginate` over rows already loaded whole, for a list one batched loader reads per level
    and a rule filters in Python (a contact's memberships at the accounts the viewer may read):
    the same window as `paginate_related`, cut in memory (`Window.holds`)."""

    async def rows_in(window: Window) -> list[tuple[int, Any]]:
        return [(i, row) for i, row in enumerate(rows) if window.holds(i, len(rows))]

    async def count_total() -> int:
        return len(rows)

    return await windowed(page, rows_in, count_total, to_node)


async def windowed(
    page: PageRequest,
    rows_in: Callable[[Window], Awaitable[list[tuple[int, Any]]]],
    count_total: Callable[[], Awaitable[int]],
    to_node: Callable[[Any], T],
) -> Connection[T]:
    """A connection from `(position, row)` pairs of the page's window, which `rows_in` reads
    (both read paths: `schema.plans` reads a level's windows at once)."""
    page.validate()
    start = decode_cursor(page.after) + 1 if page.after else 0
    end = decode_cursor(page.before) if page.before else None
    size = page.first if page.first is not None else DEFAULT_PAGE_SIZE
    if end is not None:
        size = min(size, max(end - start, 0))
    rows = await rows_in(Window(start=start, size=size, end=end, last=page.last))
    if page.last is None:
        has_next = len(rows) > size or page.before is not None
        rows = rows[:size]
        has_previous = start > 0
    else:
        has_next = page.before is not None
        if rows:
            has_previous = rows[0][0] > 0
        else:
            # An empty window: as in `paginate`, it starts `last` before its end.
            window_end = end if end is not None else await count_total()
            has_previous = max(start, window_end - page.last) > 0
    edges = [Edge(cursor=encode_cursor(position), node=to_node(row)) for position, row in rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_total=count_total,
    )


_PAGE_ARGUMENTS = {
    "first": "int | None",
    "after": "str | None",
    "last": "int | None",
    "before": "str | None",
}


def paged(resolver: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
    """A connection's resolver as Strawberry sees it: `resolver` takes `page: PageRequest`, the
    field the Relay arguments `first`, `after`, `last` and `before` after the resolver's own
    (`filter:`, …).

    The signature is the resolver's with `page` swapped for the four arguments, so Strawberry
    reads their types and defaults as if each resolver spelt them out.
    """
    signature = inspect.signature(resolver)
    own = [p for name, p in signature.parameters.items() if name != "page"]
    relay = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=kind)
        for name, kind in _PAGE_ARGUMENTS.items()
    ]

    @functools.wraps(resolver)
    async def with_page(*args: Any, **kwargs: Any) -> R:
        own = {name: value for name, value in kwargs.items() if name not in _PAGE_ARGUMENTS}
        return await resolver(*args, page=PageRequest.of(kwargs), **own)

    with_page.__signature__ = signature.replace(parameters=[*own, *relay])  # type: ignore[attr-defined]
    with_page.__annotations__ = {
        **{k: v for k, v in resolver.__annotations__.items() if k != "page"},
        **_PAGE_ARGUMENTS,
    }
    return with_page


def connection(
    *, description: str | None = None, relation: Relation | None = None
) -> Callable[[Callable[..., Awaitable[Connection[Any]]]], Any]:
    """`@strawberry.field` for a connection whose resolver takes `page: PageRequest` (`paged`).
    With `relation`, a connection paged in memory over that loader's rows, which `prefetch`
    loads ahead for a list of parents."""
    metadata = {RELATION: dataclasses.replace(relation, paged=True)} if relation else None

    def field(resolver: Callable[..., Awaitable[Connection[Any]]]) -> Any:
        return strawberry.field(
            resolver=paged(resolver), description=description, metadata=metadata
        )

    return field
