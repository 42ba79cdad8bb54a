"""Executing a plan: one statement per relation and level, the response's dicts built directly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphql.execution.values import VariableValues, get_argument_values
from strawberry.schema.config import StrawberryConfig
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

from core.context import Context
from domain.node_ids import encode_global_id
from schema.plans.coverage import KEYED, load_by_key
from schema.plans.plan import (
    BACKREF,
    Arguments,
    AttributeOf,
    ConnectionPlan,
    Constant,
    Derived,
    GlobalId,
    Leaf,
    ObjectPlan,
    Plan,
    Related,
    RootStep,
    Unplanned,
)
from schema.relay import Connection


class PlanRun:
    """One execution of a plan for a request."""

    def __init__(
        self,
        context: Context,
        variables: VariableValues,
        scalar_registry: Mapping[object, Any],
        config: StrawberryConfig,
    ) -> None:
        self.context = context
        self.variables = variables
        self.scalar_registry = scalar_registry
        self.config = config

    def arguments(self, arguments: Arguments) -> dict[str, Any]:
        """The field's arguments as its resolver would get them (Strawberry's conversion)."""
        definition = arguments.definition
        strawberry_field = definition.extensions.get(BACKREF)
        if not isinstance(strawberry_field, StrawberryField):
            raise Unplanned("a field Strawberry did not define")
        raw = get_argument_values(definition, arguments.node, self.variables)
        return convert_arguments(
            raw,
            strawberry_field.arguments,
            scalar_registry=self.scalar_registry,
            config=self.config,
        )

    async def data(self, plan: Plan) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for step in plan.roots:
            if isinstance(step, Constant):
                data[step.key] = step.value
                continue
            data[step.key] = await self._root(step)
        return data

    async def _root(self, step: RootStep) -> Any:
        arguments = self.arguments(step.arguments)
        found = await step.root(self.context, arguments, step.child.columns)
        if found is None:
            return None
        if isinstance(step.child, ConnectionPlan):
            return (await self._connections(step.child, [found]))[0]
        return (await self._objects(step.child, [found]))[0]

    async def _objects(self, plan: ObjectPlan, rows: Sequence[Any]) -> list[dict[str, Any]]:
        """The dicts of `rows`, every relation of the level read once for all of them."""
        related = await self._related(plan, rows)
        built = []
        for index, row in enumerate(rows):
            result: dict[str, Any] = {}
            for step in plan.fields:
                if isinstance(step, Leaf):
                    result[step.key] = step.serialize(getattr(row, step.attribute))
                elif isinstance(step, GlobalId):
                    result[step.key] = encode_global_id(
                        step.type_name, getattr(row, step.attribute)
                    )
                elif isinstance(step, Constant):
                    result[step.key] = step.value
                elif isinstance(step, Derived):
                    result[step.key] = step.serialize(step.compute(row))
                else:
                    result[step.key] = related[step.key][index]
            built.append(result)
        return built

    async def _related(self, plan: ObjectPlan, parents: Sequence[Any]) -> dict[str, list[Any]]:
        """Each relation's value per parent. Keyed relations on one loader share its statement
        (a membership's `contact` and `cartApprover`), as `schema.prefetch` batches them."""
        steps = [step for step in plan.fields if isinstance(step, Related)]
        if not steps:
            return {}
        wanted: dict[Any, tuple[list[Any], set[str]]] = {}
        for step in steps:
            if isinstance(step.relation, KEYED):
                keys, columns = wanted.setdefault(step.relation.loader, ([], set()))
                keys += [getattr(parent, step.relation.key) for parent in parents]
                columns |= step.child.columns | step.relation.reads
        found = {
            loader: await load_by_key(self.context, loader, keys, frozenset(columns))
            for loader, (keys, columns) in wanted.items()
        }
        related: dict[str, list[Any]] = {}
        for step in steps:
            relation, arguments = step.relation, self.arguments(step.arguments)
            if isinstance(relation, KEYED):
                values = await relation.values(found[relation.loader], parents, arguments)
            else:
                values = await relation.load(  # type: ignore[union-attr]
                    self.context, parents, arguments, step.child.columns
                )
            related[step.key] = await self._children(step, values)
        return related

    async def _children(self, step: Related, values: list[Any]) -> list[Any]:
        child = step.child
        if isinstance(child, ConnectionPlan):
            return await self._connections(child, values)
        if isinstance(child, AttributeOf):
            if child.attribute is None:
                return [child.serialize(value) for value in values]
            if not step.nullable and any(value is None for value in values):
                raise Unplanned("a null relation in a non-null field")
            return [
                None if value is None else child.serialize(getattr(value, child.attribute))
                for value in values
            ]
        if step.many:
            rows = [row for listed in values for row in listed]
            objects = iter(await self._objects(child, rows))
            return [[next(objects) for _ in listed] for listed in values]
        present = [value for value in values if value is not None]
        if len(present) < len(values) and not step.nullable:
            raise Unplanned("a null relation in a non-null field")
        built = iter(await self._objects(child, present))
        return [None if value is None else next(built) for value in values]

    async def _connections(
        self, plan: ConnectionPlan, connections: Sequence[Connection[Any]]
    ) -> list[dict[str, Any]]:
        """Connections whose nodes are rows, each node plan built once for all their rows."""
        rows = [edge.node for connection in connections for edge in connection.edges]
        nodes = await self._objects(plan.node, rows) if plan.node else []
        results = []
        offset = 0
        for connection in connections:
            size = len(connection.edges)
            result: dict[str, Any] = {}
            for key, name, sub in plan.fields:
                if name == "nodes":
                    page = nodes[offset : offset + size]
                    result[key] = page if sub is plan.node else [project(sub, n) for n in page]
                elif name == "edges":
                    result[key] = [
                        _edge(plan, sub, connection.edges[i].cursor, nodes[offset + i])
                        for i in range(size)
                    ]
                elif name == "pageInfo":
                    info = connection.page_info
                    result[key] = {
                        info_key: "PageInfo"
                        if info_name == "__typename"
                        else getattr(info, _PAGE_INFO[info_name])
                        for info_key, info_name in sub
                    }
                elif name == "totalCount":
                    result[key] = await connection.count_total()
                else:
                    result[key] = plan.type_name
            results.append(result)
            offset += size
        return results


def _edge(
    plan: ConnectionPlan, fields: tuple[tuple[str, str, Any], ...], cursor: str, node: Any
) -> dict[str, Any]:
    edge: dict[str, Any] = {}
    for key, name, node_plan in fields:
        if name == "node":
            edge[key] = node if node_plan is plan.node else project(node_plan, node)
        elif name == "cursor":
            edge[key] = cursor
        else:
            edge[key] = plan.edge_type_name
    return edge


def project(plan: ObjectPlan, built: dict[str, Any]) -> dict[str, Any]:
    """The fields `plan` selects, in its order, from an object built with a plan that merged it
    with others (a connection's `nodes` and `edges { node }`)."""
    result: dict[str, Any] = {}
    for step in plan.fields:
        value = built[step.key]
        if isinstance(step, Related) and value is not None:
            child = step.child
            if isinstance(child, ConnectionPlan):
                value = _project_connection(child, value)
            elif isinstance(child, ObjectPlan):
                value = [project(child, v) for v in value] if step.many else project(child, value)
        result[step.key] = value
    return result


def _project_connection(plan: ConnectionPlan, built: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, name, sub in plan.fields:
        value = built[key]
        if name == "nodes":
            value = [project(sub, node) for node in value]
        elif name == "edges":
            value = [
                {
                    edge_key: project(node_plan, edge[edge_key])
                    if edge_name == "node"
                    else edge[edge_key]
                    for edge_key, edge_name, node_plan in sub
                }
                for edge in value
            ]
        result[key] = value
    return result


_PAGE_INFO = {
    "hasNextPage": "has_next_page",
    "hasPreviousPage": "has_previous_page",
    "startCursor": "start_cursor",
    "endCursor": "end_cursor",
}
