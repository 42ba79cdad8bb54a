"""UserError and Warning: how mutations report refusals and non-blocking notices."""

from __future__ import annotations

import strawberry

from domain.errors import DomainError, ErrorCode

ErrorCodeEnum = strawberry.enum(ErrorCode, name="ErrorCode")


@strawberry.type(description="A refusal of a mutation's input; nothing was changed.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path into the mutation's `input` of the field at fault."
    )
    code: ErrorCodeEnum  # type: ignore[valid-type]
    message: str

    @classmethod
    def from_domain(cls, error: DomainError) -> UserError:
        return cls(field=error.field, code=error.code, message=error.message)


@strawberry.type(description="A notice that did not stop the mutation.")
class Warning:
    code: str
    message: str
