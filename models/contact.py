"""People at an account. Some log in (username + password hash); others are only contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_email", "email"),
        Index("ix_contact_name", "name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    is_enabled: bool = True
    username: str | None = Field(
        default=None, sa_column=Column(String(150), unique=True, nullable=True)
    )
    password_hash: str | None = Field(default=None, max_length=255)
    erp_key: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
