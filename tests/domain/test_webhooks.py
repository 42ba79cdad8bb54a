"""Webhook signatures, retries and endpoint URLs (issue #16 §3): the pure rules."""

from __future__ import annotations

import ipaddress
import json
from datetime import UTC, datetime

import pytest

from domain.errors import DomainError, ErrorCode
from domain.webhooks import (
    MAX_RETRY_DELAY_SECONDS,
    WebhookDeliveryStatus,
    WebhookEventKind,
    address_refusal,
    attempt_outcome,
    check_endpoint_url,
    event_body,
    retry_delay,
    signature,
    signature_header,
    verify,
)

SECRET = "whsec_test"
BODY = '{"id":"evt_1","type":"PING"}'
NOW = 1_800_000_000


def test_a_delivery_signed_now_verifies() -> None:
    header = signature_header(SECRET, NOW, BODY)

    assert header == f"t={NOW},v1={signature(SECRET, NOW, BODY)}"
    assert verify(SECRET, header, BODY, now=NOW + 10)


@pytest.mark.parametrize(
    ("case", "secret", "body", "now"),
    [
        ("tampered body", SECRET, BODY.replace("PING", "ORDER_PLACED"), NOW),
        ("another endpoint's secret", "whsec_other", BODY, NOW),
        ("replayed after the tolerance", SECRET, BODY, NOW + 301),
        ("dated in the future beyond the tolerance", SECRET, BODY, NOW - 301),
    ],
)
def test_a_delivery_that_is_not_what_was_signed_is_refused(
    case: str, secret: str, body: str, now: int
) -> None:
    header = signature_header(SECRET, NOW, BODY)

    assert not verify(secret, header, body, now=now), case


@pytest.mark.parametrize(
    "header", ["", "v1=abc", f"t={NOW}", f"t=soon,v1={signature(SECRET, NOW, BODY)}"]
)
def test_a_malformed_header_is_refused(header: str) -> None:
    assert not verify(SECRET, header, BODY, now=NOW)


def test_the_timestamp_is_signed_too() -> None:
    # a signature moved to a fresh timestamp no longer matches
    stale = signature(SECRET, NOW - 3600, BODY)

    assert not verify(SECRET, f"t={NOW},v1={stale}", BODY, now=NOW)


def test_any_of_several_signatures_may_match() -> None:
    header = f"t={NOW},v1={'0' * 64},v1={signature(SECRET, NOW, BODY)}"

    assert verify(SECRET, header, BODY, now=NOW)


def test_the_body_is_the_event_in_stable_json() -> None:
    body = event_body(
        event_id=7,
        kind=WebhookEventKind.ORDER_PLACED,
        created_at=datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
        data={"id": "T3JkZXI6MQ==", "total": "10.00"},
    )

    assert json.loads(body) == {
        "id": "evt_7",
        "type": "ORDER_PLACED",
        "createdAt": "2026-12-03T10:00:00+00:00",
        "data": {"id": "T3JkZXI6MQ==", "total": "10.00"},
    }
    assert body.startswith('{"createdAt":')  # keys sorted, no spaces: the same bytes every time


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [(1, 30), (2, 60), (3, 120), (5, 480), (10, 15_360), (11, MAX_RETRY_DELAY_SECONDS)],
)
def test_retries_back_off_exponentially_up_to_six_hours(attempts: int, delay: int) -> None:
    assert retry_delay(attempts=attempts, base_seconds=30) == delay


@pytest.mark.parametrize(
    ("succeeded", "attempts", "status", "retry_in"),
    [
        (True, 1, WebhookDeliveryStatus.DELIVERED, None),
        (True, 12, WebhookDeliveryStatus.DELIVERED, None),
        (False, 1, WebhookDeliveryStatus.PENDING, 30),
        (False, 11, WebhookDeliveryStatus.PENDING, MAX_RETRY_DELAY_SECONDS),
        (False, 12, WebhookDeliveryStatus.FAILED, None),
    ],
)
def test_an_attempt_delivers_retries_or_fails_at_the_last(
    succeeded: bool, attempts: int, status: WebhookDeliveryStatus, retry_in: int | None
) -> None:
    outcome = attempt_outcome(
        succeeded=succeeded, attempts=attempts, max_attempts=12, base_seconds=30
    )

    assert (outcome.status, outcome.retry_in_seconds) == (status, retry_in)


@pytest.mark.parametrize(
    "url",
    ["https://erp.example.com/hooks", " https://erp.example.com:8443/a?b=c ", "https://8.8.8.8/"],
)
def test_public_https_urls_are_accepted(url: str) -> None:
    assert check_endpoint_url(url, allow_loopback=False) == url.strip()


@pytest.mark.parametrize(
    ("url", "allow_loopback", "code", "message"),
    [
        ("", False, ErrorCode.REQUIRED, "url is required"),
        ("http://erp.example.com/hooks", False, ErrorCode.INVALID, "url must be https"),
        ("ftp://erp.example.com/", False, ErrorCode.INVALID, "url must be https"),
        ("erp.example.com/hooks", False, ErrorCode.INVALID, "url must name a host"),
        ("https://user:pw@erp.example.com/", False, ErrorCode.INVALID, "url may not hold"),
        ("https://erp.example.com:99999/", False, ErrorCode.INVALID, "url is not a valid URL"),
        ("https://127.0.0.1/", False, ErrorCode.INVALID, "url may not point at a loopback"),
        ("https://localhost/", False, ErrorCode.INVALID, "url may not point at a loopback"),
        ("http://127.0.0.1:8080/", False, ErrorCode.INVALID, "url must be https"),
        ("https://10.0.0.5/", True, ErrorCode.INVALID, "url may not point at a private"),
        ("https://192.168.1.1/", True, ErrorCode.INVALID, "url may not point at a private"),
        ("https://169.254.169.254/", True, ErrorCode.INVALID, "url may not point at a link-local"),
        ("https://[::ffff:10.0.0.1]/", True, ErrorCode.INVALID, "url may not point at a private"),
        ("http://10.0.0.5/", True, ErrorCode.INVALID, "url must be https"),
        ("https://" + "a" * 2000, False, ErrorCode.TOO_LONG, "url is longer than 2000"),
    ],
)
def test_urls_that_could_reach_the_servers_own_network_are_refused(
    url: str, allow_loopback: bool, code: ErrorCode, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        check_endpoint_url(url, allow_loopback=allow_loopback)

    assert (refused.value.code, refused.value.field) == (code, ["url"])
    assert refused.value.message.startswith(message)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/hooks", "http://localhost/hooks", "https://127.0.0.1/"]
)
def test_loopback_is_let_through_where_the_setting_allows_it(url: str) -> None:
    assert check_endpoint_url(url, allow_loopback=True) == url


@pytest.mark.parametrize(
    ("address", "allow_loopback", "refusal"),
    [
        ("93.184.216.34", False, None),
        ("2606:2800:220:1::", False, None),
        ("127.0.0.1", False, "a loopback address"),
        ("127.0.0.1", True, None),
        ("::1", False, "a loopback address"),
        ("10.1.2.3", True, "a private or reserved address"),
        ("172.16.0.1", False, "a private or reserved address"),
        ("fd00::1", False, "a private or reserved address"),
        ("169.254.169.254", True, "a link-local address"),
        ("fe80::1", False, "a link-local address"),
        ("224.0.0.1", False, "a private or reserved address"),
        ("0.0.0.0", False, "a private or reserved address"),
    ],
)
def test_resolved_addresses_of_the_servers_own_networks_are_refused(
    address: str, allow_loopback: bool, refusal: str | None
) -> None:
    assert address_refusal(ipaddress.ip_address(address), allow_loopback=allow_loopback) == refusal
