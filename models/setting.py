"""Platform settings edited at run time (the settings workspace), one JSON document a section."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class PlatformSetting(SQLModel, table=True):
    __tablename__ = "platform_setting"

    section: str = Field(primary_key=True, max_length=64)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
