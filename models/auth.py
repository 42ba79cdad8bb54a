"""Credentials that authenticate a request: login sessions and integrators' API keys.

Only a keyed hash of each token is stored; the token itself is shown once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class Session(SQLModel, table=True):
    __tablename__ = "session"
    __table_args__ = (
        CheckConstraint(
            "(contact_id IS NULL) != (worker_id IS NULL)", name="ck_session_one_principal"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    contact_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    worker_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("worker.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    active_account_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    # ApiKeyScope values.
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    secret_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    # The first characters of the key, so people can tell keys apart without the secret.
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
