"""Settings section "erp": whether account data may be edited on the platform at all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from core.context import Context
from domain.enums import RecordSource
from domain.erp import fields_kept_by_erp, record_kept_by_erp
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import to_camel
from resolvers.platform_settings import load_section, save_section

ERP_SECTION = "erp"


class ErpSettings(BaseModel):
    """Seed 000: "the site administrator may restrict editing of account data on the platform
    and require that all changes to accounts be entered only through the ERP system"."""

    restrict_account_editing_to_erp: bool = False


async def erp_settings(context: Context) -> ErpSettings:
    return await load_section(context, ERP_SECTION, ErpSettings)


async def update_erp_settings(context: Context, changes: Mapping[str, Any]) -> ErpSettings:
    return await save_section(context, ERP_SECTION, ErpSettings, changes)


async def refuse_fields_kept_by_erp(
    context: Context, *, source: RecordSource, fields: set[str], owned: frozenset[str]
) -> None:
    """NOT_PERMITTED for each field of an ERP record a web edit may not change while editing
    is restricted to the ERP."""
    restricted = (await erp_settings(context)).restrict_account_editing_to_erp
    kept = fields_kept_by_erp(restricted=restricted, source=source, fields=fields, owned=owned)
    raise_if_any(
        [
            DomainError(
                ErrorCode.NOT_PERMITTED,
                f"{to_camel(name)} is kept by the ERP and can only be changed there",
                field=[to_camel(name)],
            )
            for name in sorted(kept)
        ]
    )


async def refuse_deleting_erp_record(context: Context, *, source: RecordSource, field: str) -> None:
    restricted = (await erp_settings(context)).restrict_account_editing_to_erp
    if record_kept_by_erp(restricted=restricted, source=source):
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "This record is kept by the ERP and can only be removed there",
            field=[field],
        )
