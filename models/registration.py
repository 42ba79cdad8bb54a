"""Web account numbering and the one-time tokens of self-service (verification tickets and
password resets)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import Column, ForeignKey, Index, Integer, Sequence, String
from sqlmodel import Field, SQLModel

from domain.registration import FIRST_WEB_ACCOUNT_NUMBER
from models.types import UTCDateTime, enum_type, utcnow

# PostgreSQL numbers web accounts from a real sequence: concurrent, never reused (nextval is
# not rolled back). SQLite has no sequences; it uses `WebAccountCounter` instead.
WEB_ACCOUNT_NUMBERS = Sequence(
    "web_account_number_seq", start=FIRST_WEB_ACCOUNT_NUMBER, metadata=SQLModel.metadata
)


class WebAccountCounter(SQLModel, table=True):
    """SQLite's stand-in for the sequence: one row, incremented inside the writer's transaction
    (writers are serialised by BEGIN IMMEDIATE, so two registrations never read one value)."""

    __tablename__ = "web_account_counter"

    id: int = Field(default=1, primary_key=True)
    last_number: int


class TokenPurpose(Enum):
    ACCOUNT_VERIFICATION = "ACCOUNT_VERIFICATION"
    PASSWORD_RESET = "PASSWORD_RESET"


class OneTimeToken(SQLModel, table=True):
    """A secret handed to one visitor, redeemable once before it expires. Only its hash is kept."""

    __tablename__ = "one_time_token"
    __table_args__ = (Index("ix_one_time_token_contact_id", "contact_id"),)

    id: int | None = Field(default=None, primary_key=True)
    purpose: TokenPurpose = Field(sa_type=enum_type(TokenPurpose))
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    account_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=True),
    )
    contact_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
