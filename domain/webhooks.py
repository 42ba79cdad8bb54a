"""Webhooks for integrators (issue #16 §3): which events there are, how a delivery is signed and
verified, when a failed one is tried again, and which endpoint URLs may be called.

The signature follows Stripe's scheme, which integrators already know how to check: the
header `Tradepost-Signature: t=<unix seconds>,v1=<hex>` where the hex is
HMAC-SHA256(secret, f"{t}.{body}"). Signing the timestamp with the body makes a captured
delivery useless after the receiver's tolerance (`verify`'s `tolerance_seconds`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from domain.changes import UNSET, Maybe
from domain.errors import DomainError, ErrorCode
from domain.system_email import retry_delay_seconds

SIGNATURE_HEADER = "Tradepost-Signature"
EVENT_ID_HEADER = "Tradepost-Event-Id"
EVENT_TYPE_HEADER = "Tradepost-Event-Type"
SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_SECONDS = 300
# The longest a retry waits, whatever the attempt: 30 s, 1 min, 2 min … then 6 h apart.
MAX_RETRY_DELAY_SECONDS = 6 * 60 * 60
MAX_URL_LENGTH = 2000
# Hosts an endpoint may name only when WEBHOOK_ALLOW_LOOPBACK is set (tests, development).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class WebhookEventKind(Enum):
    """What an integrator may subscribe to. QUOTE_CHANGED is raised by quotes (built apart):
    each step of a quote calls `resolvers.webhooks.record_event` with it. PING is only sent by
    `sendTestWebhook`, to the one endpoint tested, and cannot be subscribed to."""

    ACCOUNT_CREATED = "ACCOUNT_CREATED"
    ACCOUNT_UPDATED = "ACCOUNT_UPDATED"
    ORDER_PLACED = "ORDER_PLACED"
    CART_SUBMITTED = "CART_SUBMITTED"
    CART_APPROVED = "CART_APPROVED"
    CART_REJECTED = "CART_REJECTED"
    QUOTE_CHANGED = "QUOTE_CHANGED"
    PAYMENT_RECORDED = "PAYMENT_RECORDED"
    EXPORT_QUEUED = "EXPORT_QUEUED"
    PING = "PING"


SUBSCRIBABLE = tuple(kind for kind in WebhookEventKind if kind is not WebhookEventKind.PING)


class WebhookDeliveryStatus(Enum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


def new_secret() -> str:
    """A signing secret: 32 random bytes, prefixed so a leaked one is recognisable."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def event_body(*, event_id: int, kind: WebhookEventKind, created_at: datetime, data: Any) -> str:
    """The JSON every endpoint receives for an event, byte for byte the same on every attempt
    (the signature covers these bytes): `{id, type, createdAt, data}`."""
    return json.dumps(
        {
            "id": event_token(event_id),
            "type": kind.value,
            "createdAt": created_at.isoformat(),
            "data": data,
        },
        separators=(",", ":"),
        sort_keys=True,
    )


def event_token(event_id: int) -> str:
    """The event's id as receivers see it (body `id`, header `Tradepost-Event-Id`): the key to
    deduplicate by, since a delivery may arrive more than once."""
    return f"evt_{event_id}"


def signature(secret: str, timestamp: int, body: str) -> str:
    message = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: str) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str,
    header: str,
    body: str,
    *,
    now: int,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """For receivers: the delivery was signed with `secret` over exactly `body` no more than
    `tolerance_seconds` from `now` (unix seconds). A stale timestamp is refused however good
    the signature, so a recorded delivery cannot be replayed later."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            candidates.append(value)
    if timestamp is None or abs(now - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


def retry_delay(*, attempts: int, base_seconds: int) -> int:
    """Seconds until the next try after `attempts` failed ones: base, 2x, 4x … capped at 6 h."""
    return min(
        retry_delay_seconds(attempts=attempts, base_seconds=base_seconds), MAX_RETRY_DELAY_SECONDS
    )


@dataclass(frozen=True)
class Outcome:
    status: WebhookDeliveryStatus
    retry_in_seconds: int | None


def attempt_outcome(
    *, succeeded: bool, attempts: int, max_attempts: int, base_seconds: int
) -> Outcome:
    """After an attempt (`attempts` counts it): DELIVERED, PENDING again after the back-off,
    or FAILED once `max_attempts` were used up (`resendWebhookDelivery` starts it again)."""
    if succeeded:
        return Outcome(WebhookDeliveryStatus.DELIVERED, None)
    if attempts >= max_attempts:
        return Outcome(WebhookDeliveryStatus.FAILED, None)
    return Outcome(
        WebhookDeliveryStatus.PENDING, retry_delay(attempts=attempts, base_seconds=base_seconds)
    )


def address_refusal(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_loopback: bool
) -> str | None:
    """Why a delivery may not go to `address`, or None. Private, loopback, link-local (cloud
    metadata at 169.254.169.254), multicast and reserved addresses are the server's own
    network, which an endpoint URL must not reach (server-side request forgery); loopback is
    let through only when WEBHOOK_ALLOW_LOOPBACK says so."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_private or address.is_reserved or address.is_multicast:
        return "a private or reserved address"
    if address.is_unspecified:
        return "an unspecified address"
    return None


@dataclass(frozen=True)
class EndpointChanges:
    """What creating or editing a webhook endpoint sets."""

    url: Maybe[str | None] = UNSET
    events: Maybe[list[WebhookEventKind] | None] = UNSET
    description: Maybe[str | None] = UNSET
    is_active: Maybe[bool | None] = UNSET


def check_endpoint_url(url: str, *, allow_loopback: bool, field: str = "url") -> str:
    """The URL an endpoint is created or changed with, trimmed: https with a host and no
    credentials; plain http only to 127.0.0.1 or localhost when loopback is allowed. A host
    given as an address must be a public one (`address_refusal`); a name is resolved and
    checked again at each delivery."""
    url = url.strip()

    def refused(message: str, code: ErrorCode = ErrorCode.INVALID) -> DomainError:
        return DomainError(code, message, field=[field])

    if not url:
        raise refused("url is required", ErrorCode.REQUIRED)
    if len(url) > MAX_URL_LENGTH:
        raise refused(f"url is longer than {MAX_URL_LENGTH} characters", ErrorCode.TOO_LONG)
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as error:
        raise refused(f"url is not a valid URL ({error})") from error
    if not host:
        raise refused("url must name a host, e.g. https://erp.example.com/hooks")
    if parts.username is not None or parts.password is not None:
        raise refused("url may not hold a user name or password; the signature authenticates")
    if host.lower() == "localhost" and not allow_loopback:
        raise refused("url may not point at a loopback address")
    loopback = allow_loopback and host.lower() in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise refused("url must be https")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url
    why = address_refusal(address, allow_loopback=allow_loopback)
    if why is not None:
        raise refused(f"url may not point at {why}")
    return url
