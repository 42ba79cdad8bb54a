"""Reading and writing a settings section: a pydantic model whose defaults apply until an
administrator saves the section. Unknown keys in the stored JSON are ignored, so a section can
gain fields without a migration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlmodel import col

from api.context import Context
from domain.errors import DomainError, DomainErrors, ErrorCode
from domain.validation import to_camel
from models.setting import PlatformSetting

S = TypeVar("S", bound=BaseModel)


async def load_section(context: Context, section: str, model: type[S]) -> S:
    stored = await context.db.scalar(
        select(col(PlatformSetting.value)).where(col(PlatformSetting.section) == section)
    )
    return model.model_validate(stored or {})


async def save_section(
    context: Context, section: str, model: type[S], changes: Mapping[str, Any]
) -> S:
    """Apply `changes` (field name -> value) to the stored section; validation errors name the
    input fields."""
    current = await load_section(context, section, model)
    try:
        updated = model.model_validate({**current.model_dump(), **changes})
    except ValidationError as error:
        raise DomainErrors(
            DomainError(
                ErrorCode.INVALID,
                str(problem["msg"]),
                field=[to_camel(str(part)) for part in problem["loc"]],
            )
            for problem in error.errors()
        ) from error
    row = await context.session.get(PlatformSetting, section)
    if row is None:
        row = PlatformSetting(section=section)
        context.session.add(row)
    row.value = updated.model_dump(mode="json")
    row.updated_at = context.now
    return updated
