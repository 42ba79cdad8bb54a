"""Mutation payloads and the one way every mutation runs.

`run_mutation` runs the resolver in a savepoint (`core.unit_of_work.savepoint`), and turns a
`DomainError` into `errors` after rolling the savepoint back: when `errors` is non-empty,
nothing was changed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy.exc import IntegrityError

from core.context import Context
from core.unit_of_work import savepoint
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
