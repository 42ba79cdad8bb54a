"""Webhooks (issue #16 §3): integrators' endpoints, the outbox of events written in the
transaction of the change they report, one delivery per subscribed endpoint and event, and
every attempt to deliver it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.webhooks import MAX_URL_LENGTH, WebhookDeliveryStatus, WebhookEventKind
from models.types import UTCDateTime, enum_type, utcnow


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=MAX_URL_LENGTH)
    # Kept to sign with (a hash could not sign); shown once, on creation and rotation.
    secret: str = Field(max_length=64)
    # WebhookEventKind names.
    event_kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    is_active: bool = True
    description: str | None = Field(default=None, max_length=200)
    # "worker:<id>" or "api_key:<id>".
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookEvent(SQLModel, table=True):
    """The outbox row: written only when some active endpoint subscribes to its kind, with the
    deliveries to them, so a change nobody listens to costs no write."""

    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, primary_key=True)
    kind: WebhookEventKind = Field(sa_type=enum_type(WebhookEventKind))
    # The body's `data`: the changed object's Node id and key fields.
    payload: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_delivery"
    __table_args__ = (
        # A delivery exists once: a second fan-out or resend reuses it.
        UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_delivery_endpoint_event"),
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_event_id", "event_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), nullable=False
        )
    )
    event_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("webhook_event.id", ondelete="CASCADE"), nullable=False
        )
    )
    status: WebhookDeliveryStatus = Field(
        default=WebhookDeliveryStatus.PENDING, sa_type=enum_type(WebhookDeliveryStatus)
    )
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("webhook_delivery.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Null when no HTTP answer came (refused address, connection error, timeout).
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=1000)
    duration_ms: int = 0
