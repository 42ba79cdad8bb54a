"""Reading and writing a settings section: a pydantic model whose defaults apply until an
administrator saves the section. Unknown keys in the stored JSON are ignored, so a section can
gain fields without a migration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col

from core.context import Context
from domain.errors import DomainError, DomainErrors, ErrorCode
from domain.validation import to_camel
from models.setting import PlatformSetting
from resolvers.row_locks import lock_row

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
    input fields. The section's row is locked from the read to the commit, so two
    administrators changing different fields at once both keep their change."""
    current = model.model_validate((await _locked_section(context, section)).value)
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
    row = await _locked_section(context, section)
    row.value = updated.model_dump(mode="json")
    row.updated_at = context.now
    return updated


async def _locked_section(context: Context, section: str) -> PlatformSetting:
    """The section's row, locked; a section never saved gets an empty one (its defaults) first,
    by an insert that two first saves at once cannot both make."""
    insert = postgresql_insert if context.settings.is_postgres else sqlite_insert
    await context.db.execute(
        insert(PlatformSetting)
        .values(section=section, value={}, updated_at=context.now)
        .on_conflict_do_nothing(index_elements=[col(PlatformSetting.section)])
    )
    row = await lock_row(context, PlatformSetting, section)
    assert row is not None
    return row
