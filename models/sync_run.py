"""Sync runs: an ERP export larger than one call, staged batch by batch and applied at once by
its commit (commercetools' import containers, Saleor's bulk mutations): an abandoned run changes
nothing, and a committed one may delete what it did not send, within its scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from domain.erp import ReplaceScope, SyncFeed, SyncRunStatus
from models.types import UTCDateTime, enum_type, utcnow


class SyncRun(SQLModel, table=True):
    __tablename__ = "sync_run"

    id: int | None = Field(default=None, primary_key=True)
    feed: SyncFeed = Field(sa_type=enum_type(SyncFeed))
    replace: ReplaceScope = Field(default=ReplaceScope.NONE, sa_type=enum_type(ReplaceScope))
    status: SyncRunStatus = Field(default=SyncRunStatus.OPEN, sa_type=enum_type(SyncRunStatus))
    # Records staged so far (the next one's position).
    staged: int = 0
    # The outcome counts of the commit (SyncOutcome name -> count); empty until then.
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SyncRunRecord(SQLModel, table=True):
    """One staged record, as the feed's record type dumps it to JSON; deleted when the run ends."""

    __tablename__ = "sync_run_record"
    __table_args__ = (
        Index("ix_sync_run_record_run_id_position", "run_id", "position", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(
        sa_column=Column(Integer, ForeignKey("sync_run.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    record: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
