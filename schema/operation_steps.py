"""Tradepost's steps around every GraphQL operation, in one Strawberry extension.

Strawberry prepares a set of hook wrappers per extension for every request, whether or not the
extension has work to do: with a separate extension per step (limits, caches, unit of work,
NUL check, operation name) that preparation was a quarter of the CPU of
`{ __typename }`. So this one extension runs them all, in an order it states:

1. before parsing and validation: the token limit and the depth and alias rules; parsing and
   validation go through Strawberry's caches (this class is its `ParserCache` and
   `ValidationCache`, whose caches are shared across requests);
2. before execution: refuse an operation that costs too much, passes unfit text (a NUL
   character, or longer than `MAX_TEXT_LENGTH`), an argument out of range or a subscription
   posted over HTTP, then open the unit of work (a mutation's writer transaction, or for a
   checkout a read first: `schema.read_first`), which commits after execution; a query whose
   root fields are planned is answered by its plan (`schema.plans`) instead of graphql-core's
   field-by-field execution;
3. each result a subscription streams: mask its unexpected errors, as the HTTP view does;
4. after the operation: record its name for the request log.

Unexpected errors are masked by the HTTP view (`api.app`), which sees every result, including
one whose exception came from a step here (a unit of work that could not commit); every error
left gets its `extensions.code` from `schema.error_codes`.

Each step lives with its concept (`schema.limits`, `schema.input_text`, `schema.argument_ranges`,
`schema.live_api`, `core.unit_of_work`, `schema.operation_log`); this module only orders them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql.validation import ASTValidationRule
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import ExecutionResult

from core.context import Context
from core.unit_of_work import unit_of_work
from schema.argument_ranges import refuse_out_of_range_arguments
from schema.error_codes import coded_validation_rules
from schema.error_masking import mask_unexpected_errors
from schema.input_text import refuse_unfit_text
from schema.limits import cost_report, refuse_costly_operation
from schema.live_api import refuse_subscription_over_http
from schema.operation_log import record_operation_name
from schema.plans.answer import answer_by_plan
from schema.plans.plan import PlanCache
from schema.read_first import reads_first


class OperationSteps(ParserCache, ValidationCache):
    def __init__(
        self,
        *,
        max_tokens: int,
        max_cost: int,
        max_text_length: int,
        rules: tuple[type[ASTValidationRule], ...],
        plans: PlanCache | None,
    ) -> None:
        super().__init__()
        self.max_tokens = max_tokens
        self.max_cost = max_cost
        self.max_text_length = max_text_length
        self.rules = rules
        self.plans = plans
        self.cost: int | None = None

    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        execution.parse_options["max_tokens"] = self.max_tokens
        execution.validation_rules = (
            *coded_validation_rules(execution.validation_rules),
            *self.rules,
        )
        yield
        record_operation_name(execution)

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        if execution.result is None:
            self.cost = refuse_costly_operation(execution, self.max_cost)
        if execution.result is None:
            refuse_unfit_text(execution, max_length=self.max_text_length)
        if execution.result is None:
            refuse_out_of_range_arguments(execution)
        if execution.result is None:
            refuse_subscription_over_http(execution)
        async with unit_of_work(execution, read_first=reads_first(execution)):
            answered = None
            if execution.result is None and self.plans is not None:
                answered = await answer_by_plan(execution, self.plans)
            yield
            if answered is not None:
                answered.merge_into(execution)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """A subscription's results (over the websocket) are masked as HTTP responses are."""
        context = self.execution_context.context
        if isinstance(result, ExecutionResult) and isinstance(context, Context):
            mask_unexpected_errors(result, context)
        yield

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else cost_report(self.cost, self.max_cost)
