"""Mutation payloads and the one way every mutation runs.

`run_mutation` runs the resolver in a savepoint (`core.unit_of_work.savepoint`), and turns a
`DomainError` into `errors` after rolling the savepoint back: when `errors` is non-empty,
nothing was changed. `mutation` declares a mutation field around it: the gate, then the
decorated body as the action, whose dict becomes the payload.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy.exc import IntegrityError

from core.context import Context
from core.unit_of_work import savepoint
from domain.access import Viewer
from domain.errors import DomainError, DomainErrors, ErrorCode
from schema.errors import UserError, Warning

logger = logging.getLogger("tradepost.mutations")


@strawberry.type
class Payload:
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PayloadWithWarnings(Payload):
    warnings: list[Warning] = strawberry.field(default_factory=list)


P = TypeVar("P", bound=Payload)


async def run_mutation(
    context: Context, payload: type[P], action: Callable[[], Awaitable[dict[str, Any]]]
) -> P:
    """Run `action` atomically; its dict becomes the payload's fields."""
    try:
        async with savepoint(context):
            fields = await action()
    except DomainError as error:
        return payload(errors=[UserError.from_domain(error)])
    except DomainErrors as errors:
        return payload(errors=[UserError.from_domain(e) for e in errors.errors])
    except IntegrityError as error:
        # A race that a resolver's own checks could not see (two requests taking one code).
        logger.info("integrity error in %s: %s", payload.__name__, error.orig)
        return payload(
            errors=[
                UserError(
                    field=None,
                    code=ErrorCode.DUPLICATE,
                    message="The change conflicts with data saved at the same time; try again",
                )
            ]
        )
    return payload(**fields)


Action = Callable[..., Awaitable[dict[str, Any]]]


def mutation(
    payload: type[Payload],
    *,
    gate: Callable[[Viewer], object] | None,
    **field: Any,
) -> Callable[[Action], Any]:
    """A mutation field whose body is the action: `gate(viewer)` first (its GraphQL error is the
    answer), then the body under `run_mutation`, its dict the fields of `payload`. `gate=None`
    is said out loud for mutations open to visitors; `field` goes to `strawberry.mutation`.

    Strawberry reads the field's arguments and type from the wrapper's `__signature__`: the
    body's, returning `payload` (so the SDL is what a hand-written resolver gave)."""

    def declare(action: Action) -> Any:
        @functools.wraps(action)
        async def resolve(self: Any, info: Any, **arguments: Any) -> Payload:
            if gate is not None:
                gate(info.context.viewer)
            return await run_mutation(
                info.context, payload, lambda: action(self, info, **arguments)
            )

        signature = inspect.signature(action)
        resolve.__signature__ = signature.replace(return_annotation=payload)  # type: ignore[attr-defined]
        return strawberry.mutation(resolve, **field)

    return declare
