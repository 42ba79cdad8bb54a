"""The row `/readyz` rewrites to prove that the database takes writes."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class ReadinessHeartbeat(SQLModel, table=True):
    """One row (id 1): a committed write is the only proof that a disk is not full and that a
    file or a server (a PostgreSQL standby) is not read-only; a read answers either way."""

    __tablename__ = "readiness_heartbeat"

    id: int = Field(primary_key=True)
    beat_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
