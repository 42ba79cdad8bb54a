"""The username/password request log (seed 002): every login, verification, password-reset and
username-reminder attempt, shared by every server process."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from domain.credential_requests import CredentialRequestKind, CredentialRequestOutcome
from models.types import UTCDateTime, enum_type, utcnow


class CredentialRequest(SQLModel, table=True):
    __tablename__ = "credential_request"
    __table_args__ = (
        # The limit looks back a few minutes per subject; these keep that look-up an index scan.
        Index("ix_credential_request_ip_address_occurred_at", "ip_address", "occurred_at"),
        Index(
            "ix_credential_request_username_or_email_occurred_at",
            "username_or_email",
            "occurred_at",
        ),
        Index("ix_credential_request_account_code_occurred_at", "account_code", "occurred_at"),
        Index("ix_credential_request_occurred_at", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    kind: CredentialRequestKind = Field(sa_type=enum_type(CredentialRequestKind))
    ip_address: str | None = Field(default=None, max_length=45)
    # Lower-cased, as typed: a username or an e-mail address.
    username_or_email: str | None = Field(default=None, max_length=254)
    account_code: str | None = Field(default=None, max_length=32)
    outcome: CredentialRequestOutcome = Field(sa_type=enum_type(CredentialRequestOutcome))
    # Set when a worker unblocks the subject: the attempt stays in the log but no longer counts.
    cleared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
