"""Pure rules of the request log: what counts towards a block, and who the client is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.credential_requests import (
    KIND_GROUPS,
    Limit,
    LimitGroup,
    RateLimits,
    client_address,
    counts_against_limit,
    is_blocked,
    limits_for,
)
from domain.credential_requests import BlockSubject as Subject
from domain.credential_requests import (
    CredentialRequestKind as Kind,
)
from domain.credential_requests import (
    CredentialRequestOutcome as Outcome,
)


@pytest.mark.parametrize(
    ("kind", "outcome", "counts"),
    [
        (Kind.LOGIN, Outcome.FAILURE, True),
        (Kind.LOGIN, Outcome.SUCCESS, False),
        (Kind.LOGIN, Outcome.RATE_LIMITED, False),
        (Kind.PASSWORD_CHANGE, Outcome.FAILURE, True),
        (Kind.PASSWORD_CHANGE, Outcome.SUCCESS, False),
        (Kind.ACCOUNT_VERIFICATION, Outcome.FAILURE, True),
        (Kind.ACCOUNT_VERIFICATION, Outcome.SUCCESS, False),
        (Kind.PASSWORD_RESET_REQUEST, Outcome.SUCCESS, True),
        (Kind.PASSWORD_RESET_REQUEST, Outcome.FAILURE, True),
        (Kind.USERNAME_REMINDER, Outcome.SUCCESS, True),
        (Kind.USERNAME_REMINDER, Outcome.RATE_LIMITED, False),
        (Kind.PASSWORD_RESET, Outcome.SUCCESS, False),
    ],
)
def test_what_counts_towards_a_block(kind: Kind, outcome: Outcome, counts: bool) -> None:
    assert counts_against_limit(kind=kind, outcome=outcome) is counts


@pytest.mark.parametrize(("counted", "blocked"), [(4, False), (5, True), (6, True)])
def test_the_threshold_blocks(counted: int, blocked: bool) -> None:
    assert is_blocked(counted=counted, threshold=5) is blocked


NUMBERS = RateLimits(
    failures=5,
    ip_failures=50,
    username_failures=100,
    window=timedelta(minutes=15),
    username_window=timedelta(hours=24),
)
SHORT = timedelta(minutes=15)


@pytest.mark.parametrize(
    ("group", "limits"),
    [
        (
            LimitGroup.PASSWORD_CHECK,
            [
                (Subject.USERNAME_OR_EMAIL_AT_IP_ADDRESS, 5, SHORT),
                (Subject.IP_ADDRESS, 50, SHORT),
                (Subject.USERNAME_OR_EMAIL, 100, timedelta(hours=24)),
            ],
        ),
        (
            LimitGroup.ACCOUNT_VERIFICATION,
            [(Subject.ACCOUNT_NUMBER, 5, SHORT), (Subject.IP_ADDRESS, 50, SHORT)],
        ),
        (LimitGroup.MAIL, [(Subject.USERNAME_OR_EMAIL, 5, SHORT), (Subject.IP_ADDRESS, 50, SHORT)]),
        (LimitGroup.RESET_CODE, [(Subject.IP_ADDRESS, 50, SHORT)]),
    ],
)
def test_the_limits_of_each_group(
    group: LimitGroup, limits: list[tuple[Subject, int, timedelta]]
) -> None:
    assert limits_for(group, NUMBERS) == [Limit(group, *limit) for limit in limits]


def test_only_password_checks_share_a_group_with_logins() -> None:
    # reset requests and reminders check no secret: they must never lock a login
    assert [k for k, g in KIND_GROUPS.items() if g is LimitGroup.PASSWORD_CHECK] == [
        Kind.LOGIN,
        Kind.PASSWORD_CHANGE,
    ]
    assert set(KIND_GROUPS) == set(Kind)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("198.51.100.1", None, [], "198.51.100.1"),
        # An untrusted peer's header is the client's own claim: ignored.
        ("198.51.100.1", "10.0.0.1", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.5", "203.0.113.9", ["10.0.0.0/8"], "203.0.113.9"),
        # The right-most untrusted hop; the spoofed left-most entry is skipped.
        ("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.0.7", ["10.0.0.0/8"], "203.0.113.9"),
        ("10.0.0.5", "10.0.0.6", ["10.0.0.0/8"], "10.0.0.6"),
        ("::1", "2001:db8::1", ["::1"], "2001:db8::1"),
        (None, "203.0.113.9", ["10.0.0.0/8"], None),
    ],
)
def test_the_client_address(
    peer: str | None, forwarded: str | None, trusted: list[str], client: str | None
) -> None:
    assert client_address(peer=peer, forwarded_for=forwarded, trusted_proxies=trusted) == client
