"""Where the planned read path joins the operation: after the operation's checks, in place of
graphql-core's execution, and only when the whole operation is planned and answers cleanly."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import OperationType, get_operation_ast
from graphql.execution.values import get_variable_values
from sqlalchemy.exc import DBAPIError
from strawberry.types import ExecutionContext

from core.context import Context
from schema.plans.plan import Plan, PlanCache, Unplanned
from schema.plans.run import PlanRun

logger = logging.getLogger("tradepost.plans")


@dataclass(frozen=True)
class PartAnswered:
    """The planned root fields' answers, for the generic result of the others."""

    plan: Plan
    data: dict[str, Any]

    def merge_into(self, execution: ExecutionContext) -> None:
        """The generic result of the fields the plan left, with the planned ones, in the order
        the operation selects them all."""
        result = execution.result
        if not isinstance(result, GraphQLExecutionResult) or result.data is None:
            return  # a non-null root field's error nulls the whole answer, as generically
        generic = result.data
        result.data = {
            key: self.data[key] if key in self.data else generic[key] for key in self.plan.keys
        }


async def answer_by_plan(execution: ExecutionContext, plans: PlanCache) -> PartAnswered | None:
    """Answer the operation's planned root fields. When all are planned, set the result; else
    leave the generic path a document of the others, and return the planned answers for
    `PartAnswered.merge_into`. Leave everything to the generic path (None) when the operation
    is not a query with a planned root field, or when running the plan meets anything the
    generic path must report (an error, a null in a non-null field)."""
    context = execution.context
    document = execution.graphql_document
    if type(context) is not Context or document is None or execution.query is None:
        return None  # subscriptions' live contexts re-read per event on the generic path
    operation = get_operation_ast(document, execution.operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    schema = execution.schema
    graphql_schema = schema._schema
    variables = get_variable_values(
        graphql_schema, operation.variable_definitions or (), execution.variables or {}
    )
    if isinstance(variables, list):
        return None  # the generic path reports the variables' errors
    plan = plans.plan_for(graphql_schema, execution.query, document, operation, variables)
    context.read_path = "generic"
    if plan is None:
        return None
    run = PlanRun(context, variables, schema.schema_converter.scalar_registry, schema.config)
    try:
        data = await run.data(plan)
    except Unplanned as reason:
        logger.debug("generic read path after planning: %s", reason)
        return None
    except DBAPIError as error:
        # A failed statement (a timeout) aborts a PostgreSQL transaction: the generic path,
        # which reports the error as it should be, reads in a new one.
        logger.debug("generic read path after a failed statement: %r", error)
        await context.session.rollback()
        return None
    except Exception as error:
        logger.debug("generic read path after planning: %r", error)
        return None
    if plan.rest is None:
        execution.result = GraphQLExecutionResult(data=data, errors=None)
        context.read_path = "planned"
        return None
    execution.graphql_document = plan.rest
    context.read_path = "partly planned"
    return PartAnswered(plan, data)
