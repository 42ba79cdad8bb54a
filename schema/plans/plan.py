"""A query document turned into a plan: for every selected field, how the planned path gets it.

A plan is made once per document (and per value of the variables its `@skip`/`@include` read)
and cached; `None` says the generic path must run the document, with the reason logged once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    print_ast,
    visit,
)
from graphql.execution.values import VariableValues
from graphql.language import Visitor
from sqlmodel import SQLModel
from strawberry.types.field import StrawberryField

from schema.plans.coverage import (
    DERIVED,
    MODELS,
    REFERENCES,
    RELATIONS,
    ROOTS,
    Relation,
    Root,
    Through,
)
from schema.plans.selection import Fragments, collect_fields, subselections

logger = logging.getLogger("tradepost.plans")

BACKREF = "strawberry-definition"
# Documents whose plans are kept (clients send a bounded set; a flood of distinct ones only
# evicts the oldest).
MAX_PLANS = 1000


PAGE_INFO_FIELDS = frozenset(
    {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}
)


class Unplanned(Exception):
    """The planned path cannot answer as the generic path would: run the generic path."""


Serialize = Callable[[Any], Any]


@dataclass(frozen=True)
class Leaf:
    """A value read from the row's `attribute`, serialized as its GraphQL type says."""

    key: str
    attribute: str
    serialize: Serialize


@dataclass(frozen=True)
class Derived:
    """A value a function of the row gives, as the field's resolver computes it."""

    key: str
    compute: Callable[[Any], Any]
    serialize: Serialize


@dataclass(frozen=True)
class Constant:
    """`__typename`."""

    key: str
    value: str


@dataclass(frozen=True)
class GlobalId:
    """A global ID: `Node.id` (the row's own key), or another object's from the row's reference
    to it (`CartLine.productId`)."""

    key: str
    type_name: str
    attribute: str = "id"


@dataclass(frozen=True)
class AttributeOf:
    """A leaf read from the related row (`CartLine.sku`: the line's product's SKU), or the
    relation's value itself (`attribute` None: `Product.price`)."""

    attribute: str | None
    serialize: Serialize

    @property
    def columns(self) -> frozenset[str]:
        return frozenset({self.attribute} if self.attribute else ())


@dataclass(frozen=True)
class Related:
    """A relation read in bulk for every object of the level: one object, a list of them
    (`many`), a connection, or a leaf of the related row."""

    key: str
    relation: Relation
    arguments: Arguments
    child: ObjectPlan | ConnectionPlan | AttributeOf
    nullable: bool
    many: bool = False


@dataclass(frozen=True)
class ObjectPlan:
    type_name: str
    # None for an object its root builds (`Viewer`), which is no row.
    model: type[SQLModel] | None
    fields: tuple[Leaf | Derived | Constant | GlobalId | Related, ...]
    # Row attributes the fields read, relation keys included: the columns to select.
    columns: frozenset[str]


@dataclass(frozen=True)
class ConnectionPlan:
    """A connection's fields over a page of rows (`schema.relay.Connection`)."""

    type_name: str
    edge_type_name: str
    fields: tuple[tuple[str, str, Any], ...]  # (response key, field name, sub-plan)
    # What `edges { node }` and `nodes` select, merged: the nodes are built once with it, and
    # each of the two selections takes its own fields from them (`run.project`).
    node: ObjectPlan | None

    @property
    def columns(self) -> frozenset[str]:
        return self.node.columns if self.node else frozenset({"id"})


@dataclass(frozen=True)
class Arguments:
    """A field's arguments, read per request (they may come from variables) as Strawberry
    converts them for the resolver."""

    definition: GraphQLField
    node: FieldNode


@dataclass(frozen=True)
class RootStep:
    key: str
    root: Root
    arguments: Arguments
    child: ObjectPlan | ConnectionPlan


@dataclass(frozen=True)
class Plan:
    """The planned root fields, and the document the generic path runs for the others (None
    when every root field is planned); `keys` is the response's order of them all."""

    roots: tuple[RootStep | Constant, ...]
    keys: tuple[str, ...]
    rest: DocumentNode | None = None


@dataclass
class _Builder:
    schema: GraphQLSchema
    fragments: Fragments
    variables: VariableValues

    def plan(self, document: DocumentNode, operation: OperationDefinitionNode) -> Plan:
        if operation.operation is not OperationType.QUERY:
            raise Unplanned("not a query")
        query = self.schema.query_type
        assert query is not None
        steps: list[RootStep | Constant] = []
        rest: list[FieldNode] = []
        fields = self._fields(query, [operation.selection_set])
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                steps.append(Constant(key, query.name))
                continue
            try:
                root = ROOTS.get(name)
                if root is None:
                    raise Unplanned(f"Query.{name} is not planned")
                definition = query.fields[name]
                child = self._child(definition.type, nodes)
            except Unplanned as reason:
                logger.debug("%s: %s", key, reason)
                rest += nodes
                continue
            steps.append(RootStep(key, root, Arguments(definition, nodes[0]), child))
        if not any(isinstance(step, RootStep) for step in steps):
            raise Unplanned("no root field is planned")
        return Plan(tuple(steps), tuple(fields), _only(document, operation, rest) if rest else None)

    def _fields(
        self, object_type: GraphQLObjectType, selection_sets: list[Any]
    ) -> dict[str, list[FieldNode]]:
        return collect_fields(
            self.schema, object_type, selection_sets, self.fragments, self.variables
        )

    def _child(self, output_type: Any, nodes: list[FieldNode]) -> ObjectPlan | ConnectionPlan:
        named = get_named_type(output_type)
        if not is_object_type(named):
            raise Unplanned(f"{named} is not an object type")
        assert isinstance(named, GraphQLObjectType)
        if named.name.endswith("Connection") and "edges" in named.fields:
            return self._connection(named, nodes)
        return self._object(named, subselections(nodes))

    def _object(self, object_type: GraphQLObjectType, selection_sets: list[Any]) -> ObjectPlan:
        if object_type.name not in MODELS:
            raise Unplanned(f"{object_type.name} is not planned")
        model = MODELS[object_type.name]
        columns = {"id"} if model else set()
        steps: list[Leaf | Derived | Constant | GlobalId | Related] = []
        for key, nodes in self._fields(object_type, selection_sets).items():
            name = nodes[0].name.value
            if not _same_field(nodes):
                # `nodes { x: a }` beside `edges { node { x: b } }`: valid, but one merged
                # plan answers both.
                raise Unplanned(f"{object_type.name}.{key} names different fields")
            if name == "__typename":
                steps.append(Constant(key, object_type.name))
                continue
            definition = object_type.fields[name]
            relation = RELATIONS.get((object_type.name, name))
            if relation is not None:
                child: ObjectPlan | ConnectionPlan | AttributeOf
                if isinstance(relation, Through):
                    child = AttributeOf(relation.attribute, serializer(definition.type))
                elif is_leaf_type(get_named_type(definition.type)):
                    child = AttributeOf(None, serializer(definition.type))
                else:
                    child = self._child(definition.type, nodes)
                columns.update(relation.parent_reads)
                nullable = not is_non_null_type(definition.type)
                many = is_list_type(get_nullable_type(definition.type))
                steps.append(
                    Related(key, relation, Arguments(definition, nodes[0]), child, nullable, many)
                )
                continue
            derived = DERIVED.get((object_type.name, name))
            if derived is not None:
                compute, reads = derived
                columns.update(reads)
                steps.append(Derived(key, compute, serializer(definition.type)))
                continue
            reference = REFERENCES.get((object_type.name, name))
            if reference is not None:
                target, attribute = reference
                columns.add(attribute)
                steps.append(GlobalId(key, target, attribute))
                continue
            strawberry_field = definition.extensions.get(BACKREF)
            if name == "id" and "Node" in {i.name for i in object_type.interfaces}:
                steps.append(GlobalId(key, object_type.name))
            elif _is_column(strawberry_field, model) and is_leaf_type(
                get_named_type(definition.type)
            ):
                assert isinstance(strawberry_field, StrawberryField)
                columns.add(strawberry_field.python_name)
                steps.append(Leaf(key, strawberry_field.python_name, serializer(definition.type)))
            else:
                raise Unplanned(f"{object_type.name}.{name} is not planned")
        return ObjectPlan(object_type.name, model, tuple(steps), frozenset(columns))

    def _connection(
        self, connection_type: GraphQLObjectType, nodes: list[FieldNode]
    ) -> ConnectionPlan:
        edge_type = get_named_type(connection_type.fields["edges"].type)
        node_type = get_named_type(connection_type.fields["nodes"].type)
        assert isinstance(edge_type, GraphQLObjectType)
        assert isinstance(node_type, GraphQLObjectType)
        fields: list[tuple[str, str, Any]] = []
        node_selections: list[Any] = []
        for key, field_nodes in self._fields(connection_type, subselections(nodes)).items():
            name = field_nodes[0].name.value
            if name == "edges":
                edge_fields: list[tuple[str, str, ObjectPlan | None]] = []
                for edge_key, edge_nodes in self._fields(
                    edge_type, subselections(field_nodes)
                ).items():
                    edge_name = edge_nodes[0].name.value
                    if edge_name == "node":
                        node_selections += subselections(edge_nodes)
                        edge_fields.append(
                            (edge_key, "node", self._object(node_type, subselections(edge_nodes)))
                        )
                    elif edge_name in ("cursor", "__typename"):
                        edge_fields.append((edge_key, edge_name, None))
                    else:
                        raise Unplanned(f"{edge_type.name}.{edge_name} is not planned")
                fields.append((key, name, tuple(edge_fields)))
            elif name == "nodes":
                node_selections += subselections(field_nodes)
                fields.append((key, name, self._object(node_type, subselections(field_nodes))))
            elif name == "pageInfo":
                page_info = get_named_type(connection_type.fields["pageInfo"].type)
                assert isinstance(page_info, GraphQLObjectType)
                info_fields = tuple(
                    (info_key, info_nodes[0].name.value)
                    for info_key, info_nodes in self._fields(
                        page_info, subselections(field_nodes)
                    ).items()
                )
                if not {name for _, name in info_fields} <= PAGE_INFO_FIELDS:
                    raise Unplanned("a PageInfo field that is not planned")
                fields.append((key, name, info_fields))
            elif name in ("totalCount", "__typename"):
                fields.append((key, name, None))
            else:
                raise Unplanned(f"{connection_type.name}.{name} is not planned")
        # One plan of every selection of the nodes, built once: the only one's own plan when
        # just `nodes` or just `edges { node }` selects them (nothing to take apart then).
        parts = [sub for _key, name, sub in fields if name == "nodes"] + [
            node_plan
            for _key, name, sub in fields
            if name == "edges"
            for _edge_key, edge_name, node_plan in sub
            if edge_name == "node"
        ]
        merged = (
            parts[0]
            if len(parts) == 1
            else self._object(node_type, node_selections)
            if parts
            else None
        )
        return ConnectionPlan(connection_type.name, edge_type.name, tuple(fields), merged)


def _only(
    document: DocumentNode, operation: OperationDefinitionNode, fields: list[FieldNode]
) -> DocumentNode:
    """`document` with `operation` selecting only `fields` (its fragments kept): what the
    generic path runs beside a plan."""
    reduced = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=operation.variable_definitions,
        directives=operation.directives,
        selection_set=SelectionSetNode(selections=tuple(fields)),
    )
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    return DocumentNode(definitions=(reduced, *fragments))


def _same_field(nodes: list[FieldNode]) -> bool:
    first = nodes[0]
    return all(
        node.name.value == first.name.value
        and [print_ast(a) for a in node.arguments or ()]
        == [print_ast(a) for a in first.arguments or ()]
        for node in nodes[1:]
    )


def _is_column(strawberry_field: Any, model: type[SQLModel] | None) -> bool:
    """A plain field (no resolver, no extension or permission) copied from a column of the row
    (`schema.relay.FromRow`), or an attribute of an object its root built (no model)."""
    return (
        isinstance(strawberry_field, StrawberryField)
        and strawberry_field.base_resolver is None
        and not strawberry_field.extensions
        and not strawberry_field.permission_classes
        and (model is None or strawberry_field.python_name in model.__table__.columns)  # type: ignore[attr-defined]
    )


def serializer(output_type: Any) -> Serialize:
    """How graphql-core completes a leaf value of `output_type`; a null where the type promises
    a value is the generic path's error to report."""
    if isinstance(output_type, GraphQLNonNull):
        inner = serializer(output_type.of_type)

        def non_null(value: Any) -> Any:
            if value is None:
                raise Unplanned("null in a non-null field")
            return inner(value)

        return non_null
    if isinstance(output_type, GraphQLList):
        item = serializer(output_type.of_type)
        return lambda value: None if value is None else [item(v) for v in value]
    serialize = output_type.serialize

    def leaf(value: Any) -> Any:
        if value is None:
            return None
        serialized = serialize(value)
        if serialized is None:
            raise Unplanned("a value its type cannot serialize")
        return serialized

    return leaf


@dataclass
class PlanCache:
    """Plans by document text and operation name, and by the values of the variables the
    document's `@skip`/`@include` read."""

    plans: OrderedDict[tuple[Any, ...], Plan | None] = field(default_factory=OrderedDict)
    directive_variables: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def plan_for(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
    ) -> Plan | None:
        names = self.directive_variables.get(query)
        if names is None:
            if len(self.directive_variables) > MAX_PLANS:
                self.directive_variables.clear()
            names = self.directive_variables[query] = _directive_variables(document)
        operation_name = operation.name.value if operation.name else None
        key = (query, operation_name, *(repr(variables.coerced.get(name)) for name in names))
        if key in self.plans:
            self.plans.move_to_end(key)
            return self.plans[key]
        fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        try:
            made: Plan | None = _Builder(schema, fragments, variables).plan(document, operation)
        except Unplanned as reason:
            logger.info("generic read path for %s: %s", key[1] or "an anonymous operation", reason)
            made = None
        self.plans[key] = made
        if len(self.plans) > MAX_PLANS:
            self.plans.popitem(last=False)
        return made


def _directive_variables(document: DocumentNode) -> tuple[str, ...]:
    """The variables any directive of `document` reads (a plan depends on their values)."""
    names: list[str] = []

    class Directives(Visitor):
        def enter_directive(self, node: Any, *_: Any) -> None:
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    names.append(argument.value.name.value)

    visit(document, Directives())
    return tuple(sorted(set(names)))
