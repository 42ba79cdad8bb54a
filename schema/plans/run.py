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
from schema.plans.plan import (
    BACKREF,
    Arguments,
    ConnectionPlan,
    Constant,
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
        related: dict[str, list[Any]] = {}
        for step in plan.fields:
            if isinstance(step, Related):
                related[step.key] = await self._related(step, rows)
        built = []
        for index, row in enumerate(rows):
            result: dict[str, Any] = {}
            for step in plan.fields:
                if isinstance(step, Leaf):
                    result[step.key] = step.serialize(getattr(row, step.attribute))
                elif isinstance(step, GlobalId):
                    result[step.key] = encode_global_id(step.type_name, row.id)
                elif isinstance(step, Constant):
                    result[step.key] = step.value
                else:
                    result[step.key] = related[step.key][index]
            built.append(result)
        return built

    async def _related(self, step: Related, parents: Sequence[Any]) -> list[Any]:
        arguments = self.arguments(step.arguments)
        values = await step.relation.load(self.context, parents, arguments, step.child.columns)
        if isinstance(step.child, ConnectionPlan):
            return await self._connections(step.child, values)
        present = [value for value in values if value is not None]
        if len(present) < len(values) and not step.nullable:
            raise Unplanned("a null relation in a non-null field")
        objects = iter(await self._objects(step.child, present))
        return [None if value is None else next(objects) for value in values]

    async def _connections(
        self, plan: ConnectionPlan, connections: Sequence[Connection[Any]]
    ) -> list[dict[str, Any]]:
        """Connections whose nodes are rows, each node plan built once for all their rows."""
        rows = [edge.node for connection in connections for edge in connection.edges]
        built: dict[int, list[dict[str, Any]]] = {}
        for _key, name, sub in plan.fields:
            if name == "nodes":
                built[id(sub)] = await self._objects(sub, rows)
            elif name == "edges":
                for _edge_key, edge_name, node_plan in sub:
                    if edge_name == "node":
                        built[id(node_plan)] = await self._objects(node_plan, rows)
        results = []
        offset = 0
        for connection in connections:
            size = len(connection.edges)
            result: dict[str, Any] = {}
            for key, name, sub in plan.fields:
                if name == "nodes":
                    result[key] = built[id(sub)][offset : offset + size]
                elif name == "edges":
                    result[key] = [
                        self._edge(plan, sub, connection.edges[i].cursor, built, offset + i)
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

    @staticmethod
    def _edge(
        plan: ConnectionPlan,
        fields: tuple[tuple[str, str, Any], ...],
        cursor: str,
        built: dict[int, list[dict[str, Any]]],
        index: int,
    ) -> dict[str, Any]:
        edge: dict[str, Any] = {}
        for key, name, node_plan in fields:
            if name == "node":
                edge[key] = built[id(node_plan)][index]
            elif name == "cursor":
                edge[key] = cursor
            else:
                edge[key] = plan.edge_type_name
        return edge


_PAGE_INFO = {
    "hasNextPage": "has_next_page",
    "hasPreviousPage": "has_previous_page",
    "startCursor": "start_cursor",
    "endCursor": "end_cursor",
}
