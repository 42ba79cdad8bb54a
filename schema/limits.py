"""Query limits that keep one request from costing the server more than a client deserves.

Depth and aliases use Strawberry's validation rules (which follow fragments and inline
fragments), tokens graphql-core's parser limit. The query cost is ours, in the style of GitHub's
and Shopify's: every connection field costs its page size (`first`/`last`, or the default page
size) multiplied by the page sizes of the connections it is nested in, so
`accounts(first: 100) { nodes { memberships(first: 100) } }` costs 100 + 100 * 100. The cost of
every executed operation is reported in `extensions.cost`. `schema.operation_steps` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInt,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
    is_abstract_type,
    value_from_ast,
)
from graphql.validation import ASTValidationRule
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.types import ExecutionContext

from core.settings import Settings
from schema.error_codes import coded_rule
from schema.relay import DEFAULT_PAGE_SIZE

PAGE_SIZE_ARGUMENTS = ("first", "last")


def query_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    """The cost of one validated operation: 1 plus every connection's page size times the page
    sizes of the connections around it. Fragments count wherever they are spread; a selection on
    a union costs as much as its most expensive member."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 1
    defaults = {
        definition.variable.name.value: value_from_ast(definition.default_value, GraphQLInt)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }

    def page_size(field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value not in PAGE_SIZE_ARGUMENTS:
                continue
            if isinstance(argument.value, VariableNode):
                name = argument.value.name.value
                value = variables.get(name, defaults.get(name))
            else:
                value = value_from_ast(argument.value, GraphQLInt)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(value, 0)
        return DEFAULT_PAGE_SIZE

    def cost(parent: GraphQLNamedType | None, selection_set: SelectionSetNode, size: int) -> int:
        if is_abstract_type(parent):
            # An interface or union costs as much as its most expensive possible type.
            members = schema.get_possible_types(parent)
            return max((cost(member, selection_set, size) for member in members), default=0)
        if not isinstance(parent, GraphQLObjectType):
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                definition = parent.fields.get(selection.name.value)
                if definition is None or selection.selection_set is None:
                    continue
                inner = size
                if any(name in definition.args for name in PAGE_SIZE_ARGUMENTS):
                    inner = size * page_size(selection)
                    total += inner
                total += cost(get_named_type(definition.type), selection.selection_set, inner)
                continue
            fragment: FragmentDefinitionNode | InlineFragmentNode | None = (
                fragments.get(selection.name.value)
                if isinstance(selection, FragmentSpreadNode)
                else selection  # type: ignore[assignment]
            )
            if fragment is None:
                continue
            condition = (
                schema.get_type(fragment.type_condition.name.value)
                if fragment.type_condition
                else parent
            )
            if condition is parent or (
                is_abstract_type(condition) and schema.is_sub_type(condition, parent)
            ):
                total += cost(parent, fragment.selection_set, size)
        return total

    return 1 + cost(root, operation.selection_set, 1)


def refuse_costly_operation(execution_context: ExecutionContext, maximum: int) -> int | None:
    """The operation's cost (None when there is no operation to cost); an operation that costs
    more than `maximum` is refused before any resolver runs."""
    document = execution_context.graphql_document
    if document is None:
        return None
    operation = get_operation_ast(document, execution_context.operation_name)
    if operation is None:
        return None
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    cost = query_cost(
        execution_context.schema._schema, operation, fragments, execution_context.variables or {}
    )
    if cost > maximum:
        # A result set before execution makes Strawberry skip execution entirely.
        execution_context.result = GraphQLExecutionResult(
            data=None,
            errors=[
                GraphQLError(
                    f"Query cost {cost} exceeds the maximum of {maximum}; "
                    "ask for smaller pages (`first`/`last`) or fewer nested connections",
                    extensions={"code": "QUERY_COST_EXCEEDED"},
                )
            ],
        )
    return cost


def cost_report(cost: int, maximum: int) -> dict[str, Any]:
    """What every executed operation reports in `extensions`."""
    return {"cost": {"requestedQueryCost": cost, "maximumQueryCost": maximum}}


class EmptySelectionRule(ASTValidationRule):
    """graphql-core parses `{}` (an operation or field selecting nothing), which Strawberry's
    depth rule cannot measure (it crashed into a 500): refuse it as invalid."""

    def enter_selection_set(self, node: SelectionSetNode, *_args: Any) -> None:
        if not node.selections:
            self.report_error(GraphQLError("A selection set must select a field", node))


def _depth_rule(max_depth: int) -> type[ASTValidationRule]:
    """Strawberry's depth rule, measuring only documents that select something."""
    measured = max_depth_rule(max_depth, None)

    class DepthRule(measured):  # type: ignore[valid-type, misc]
        def __init__(self, context: Any) -> None:
            if _selects_nothing(context.document):
                ASTValidationRule.__init__(self, context)  # EmptySelectionRule reports it
            else:
                super().__init__(context)

    return DepthRule


def _selects_nothing(document: Any) -> bool:
    return any(
        isinstance(node, SelectionSetNode) and not node.selections
        for definition in document.definitions
        for node in _selection_sets(definition)
    )


def _selection_sets(node: Any) -> Any:
    selection_set = getattr(node, "selection_set", None)
    if selection_set is not None:
        yield selection_set
        for selection in selection_set.selections:
            yield from _selection_sets(selection)


def limit_rules(settings: Settings) -> tuple[type[ASTValidationRule], ...]:
    """The depth and alias limits as validation rules (Strawberry's, which follow fragments).
    Build them once: Strawberry's validation cache is keyed by the rules."""
    return (
        coded_rule(EmptySelectionRule, "GRAPHQL_VALIDATION_FAILED"),
        coded_rule(_depth_rule(settings.max_query_depth), "QUERY_DEPTH_EXCEEDED"),
        coded_rule(max_aliases_rule(settings.max_aliases), "ALIAS_LIMIT_EXCEEDED"),
    )
