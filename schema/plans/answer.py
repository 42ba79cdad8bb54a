"""Where the planned read path joins the operation: after the operation's checks, in place of
graphql-core's execution, and only when the whole operation is planned and answers cleanly."""

from __future__ import annotations

import logging

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import OperationType, get_operation_ast
from graphql.execution.values import get_variable_values
from strawberry.types import ExecutionContext

from core.context import Context
from schema.plans.plan import PlanCache, Unplanned
from schema.plans.run import PlanRun

logger = logging.getLogger("tradepost.plans")


async def answer_by_plan(execution: ExecutionContext, plans: PlanCache) -> None:
    """Set the operation's result from its plan; leave it unset (the generic path runs) when
    the operation is not a query over planned fields, or when running the plan meets anything
    the generic path must report (an error, a null in a non-null field)."""
    context = execution.context
    document = execution.graphql_document
    if type(context) is not Context or document is None or execution.query is None:
        return  # subscriptions' live contexts re-read per event on the generic path
    operation = get_operation_ast(document, execution.operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return
    schema = execution.schema
    graphql_schema = schema._schema
    variables = get_variable_values(
        graphql_schema, operation.variable_definitions or (), execution.variables or {}
    )
    if isinstance(variables, list):
        return  # the generic path reports the variables' errors
    plan = plans.plan_for(graphql_schema, execution.query, document, operation, variables)
    context.read_path = "generic"
    if plan is None:
        return
    run = PlanRun(
        context,
        variables,
        schema.schema_converter.scalar_registry,
        schema.config,
    )
    try:
        data = await run.data(plan)
    except Unplanned as reason:
        logger.debug("generic read path after planning: %s", reason)
        return
    except Exception as error:
        logger.debug("generic read path after planning: %r", error)
        return
    execution.result = GraphQLExecutionResult(data=data, errors=None)
    context.read_path = "planned"
