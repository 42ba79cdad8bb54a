"""Staff logins: administrators, customer service and sales representatives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, String
from sqlmodel import Field, SQLModel

from domain.enums import WorkerRole
from models.types import UTCDateTime, enum_type, utcnow


class Worker(SQLModel, table=True):
    __tablename__ = "worker"
    __table_args__ = (
        CheckConstraint(
            "role != 'SALES_REP' OR rep_code IS NOT NULL", name="ck_worker_sales_rep_has_code"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_column=Column(String(150), unique=True, nullable=False))
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=254)
    password_hash: str = Field(max_length=255)
    role: WorkerRole = Field(sa_type=enum_type(WorkerRole))
    rep_code: str | None = Field(default=None, max_length=32, index=True)
    is_active: bool = True
    # Seed 003 "Facility Role permissions" (WorkerPermission names) given to this worker by an
    # administrator; None: its role's defaults (settings section 'worker_permissions').
    permissions: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
