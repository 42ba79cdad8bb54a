"""Relations loaded before GraphQL walks a list, so that their fields answer synchronously.

A relation field that awaits its loader costs a coroutine, and graphql-core wraps every awaited
field and list item in a task of its own: for a page of 100 accounts with their addresses and
members that is hundreds of tasks, most of the page's CPU. So a list resolver (`accounts`) calls
`prefetch` with the page's rows and the fields the query selects below it; `prefetch` loads every
selected relation, one batch each, level by level, into the request's loaders. A relation field
then resolves through `Relation.resolve`, which answers from the loader's cache at once and only
falls back to awaiting when nothing prefetched its value. The SQL is the same either way: one
statement a relation level.

A relation is declared once, on its field: `relation_field` (or `relay.connection(relation=…)`
for a connection paged in memory) keeps the `Relation` in the field's metadata, and `prefetch`
finds it there through the schema, by the names GraphQL gives the type and the field.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import strawberry
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from core.context import Context
from loaders.base import RowLoader, RowsByKeyLoader
from schema.info import Info

T = TypeVar("T")


@dataclass(frozen=True)
class Relation:
    """A field whose value is the row(s) `loader` loads by the parent row's `key` attribute."""

    loader: type[RowLoader]
    key: str
    # The GraphQL type of the related objects, whose own relations `prefetch` follows.
    target: str
    # A connection field paged in memory (`relay.paginate_list`): its objects' selections are
    # under `nodes` and `edges { node }`.
    paged: bool = False

    def resolve(self, context: Context, key: Any, convert: Callable[[Any], T]) -> T:
        """`convert(loaded)` now when the loader holds the value, else an awaitable of it.

        Typed as the value: a resolver's annotation names the GraphQL type, and graphql-core
        takes an awaitable of it from any resolver."""
        future = context.loader(self.loader).load(key)
        if future.done() and not future.cancelled() and future.exception() is None:
            return convert(future.result())
        return _converted(future, convert)  # type: ignore[return-value]


async def _converted(loaded: Awaitable[Any], convert: Callable[[Any], T]) -> T:
    return convert(await loaded)


# The key of a field's metadata that holds the relation it resolves.
RELATION = "tradepost.relation"


def relation_field(
    loader: type[RowLoader],
    *,
    key: str,
    target: str,
    attribute: str | None = None,
    description: str | None = None,
) -> Callable[[Callable[[Any, Any], Any]], Any]:
    """A field resolved through `Relation(loader, key, target)` and prefetched with it. The
    decorated function converts the loaded value (`self`, then the row or rows); the parent's
    key is its `attribute` (`db_id` for a row's `id`, else `key`), and a null key is null."""
    relation = Relation(loader, key=key, target=target)
    held = attribute or ("db_id" if key == "id" else key)

    def declare(convert: Callable[[Any, Any], Any]) -> Any:
        def resolve(self: Any, info: Info) -> Any:
            value = getattr(self, held)
            if value is None:
                return None
            return relation.resolve(info.context, value, lambda loaded: convert(self, loaded))

        returns = convert.__annotations__["return"]
        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(resolve, name, getattr(convert, name))
        resolve.__annotations__ = {"info": Info, "return": returns}
        resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
                inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
            ],
            return_annotation=returns,
        )
        return strawberry.field(
            resolver=resolve, description=description, metadata={RELATION: relation}
        )

    return declare


# Per schema (an app builds its own), type name -> its prefetched fields by GraphQL name.
_BY_SCHEMA: WeakKeyDictionary[strawberry.Schema, dict[str, dict[str, Relation]]] = (
    WeakKeyDictionary()
)


def prefetched_fields(schema: strawberry.Schema, type_name: str) -> dict[str, Relation]:
    """The prefetched fields of `type_name`, by their GraphQL names."""
    known = _BY_SCHEMA.setdefault(schema, {})
    if type_name not in known:
        definition = schema.get_type_by_name(type_name)
        fields = definition.fields if isinstance(definition, StrawberryObjectDefinition) else []
        known[type_name] = {
            schema.config.name_converter.get_graphql_name(field): field.metadata[RELATION]
            for field in fields
            if RELATION in field.metadata
        }
    return known[type_name]


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    """The fields selected, with fragments flattened (a fragment on another type costs at most a
    batch loaded for nothing)."""
    for selection in selections:
        if isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)
        else:
            yield selection


async def prefetch_object(info: Info, type_name: str, row: Any | None) -> None:
    """`prefetch` for a field that returns one object (`cart(id:)`), from its own selections."""
    if row is not None and prefetched_fields(info.schema, type_name):
        selections = [s for field in _fields(info.selected_fields) for s in field.selections]
        await prefetch(info.context, info.schema, type_name, [row], selections)


async def prefetch_nodes(info: Info, type_name: str, rows: Sequence[Any]) -> None:
    """`prefetch` for the page of a connection field, from what it selects on its nodes."""
    if rows and prefetched_fields(info.schema, type_name):
        await prefetch(
            info.context, info.schema, type_name, rows, _node_selections(info.selected_fields)
        )


def _node_selections(connections: Iterable[Selection]) -> list[Selection]:
    """What connection fields select on their nodes, through `nodes` and `edges { node }`."""
    selected: list[Selection] = []
    for connection in _fields(connections):
        for field in _fields(connection.selections):
            if field.name == "nodes":
                selected.extend(field.selections)
            elif field.name == "edges":
                for edge_field in _fields(field.selections):
                    if edge_field.name == "node":
                        selected.extend(edge_field.selections)
    return selected


async def prefetch(
    context: Context,
    schema: strawberry.Schema,
    type_name: str,
    rows: Sequence[Any],
    selections: Iterable[Selection],
) -> None:
    """Load every registered relation `selections` name on `rows` (rows of `type_name`), and
    theirs below. Sibling relations load together, so two fields on one loader (a membership's
    `contact` and `cartApprover`) share its batch: one statement a loader and level."""
    if not rows:
        return
    pending = []
    relations = prefetched_fields(schema, type_name)
    for field in _fields(selections):
        relation = relations.get(field.name)
        if relation is None:
            continue
        keys = [key for key in (getattr(row, relation.key) for row in rows) if key is not None]
        pending.append((relation, field, context.loader(relation.loader).load_many(keys)))
    loaded = await asyncio.gather(*(batch for _, _, batch in pending))
    await asyncio.gather(
        *(
            prefetch(
                context,
                schema,
                relation.target,
                _related_rows(relation, batch),
                _node_selections([field]) if relation.paged else field.selections,
            )
            for (relation, field, _), batch in zip(pending, loaded, strict=True)
        )
    )


def _related_rows(relation: Relation, loaded: list[Any]) -> list[Any]:
    if issubclass(relation.loader, RowsByKeyLoader):
        return [row for rows_of_key in loaded for row in rows_of_key]
    return [row for row in loaded if row is not None]
