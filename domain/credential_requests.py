"""The username/password request log and the limits on guessing (seed 002 "UN/PW requests")."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum


class CredentialRequestKind(Enum):
    LOGIN = "LOGIN"
    PASSWORD_CHANGE = "PASSWORD_CHANGE"
    ACCOUNT_VERIFICATION = "ACCOUNT_VERIFICATION"
    PASSWORD_RESET_REQUEST = "PASSWORD_RESET_REQUEST"
    PASSWORD_RESET = "PASSWORD_RESET"
    USERNAME_REMINDER = "USERNAME_REMINDER"


class CredentialRequestOutcome(Enum):
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    RATE_LIMITED = "RATE_LIMITED"


class BlockSubject(Enum):
    """Seed 002: "the blocked status of a specific IP Address, Username, or Email address";
    account numbers too, so invoice numbers cannot be guessed for one account from many IPs;
    and a username tried from one address, the first limit on password guessing."""

    IP_ADDRESS = "IP_ADDRESS"
    USERNAME_OR_EMAIL = "USERNAME_OR_EMAIL"
    USERNAME_OR_EMAIL_AT_IP_ADDRESS = "USERNAME_OR_EMAIL_AT_IP_ADDRESS"
    ACCOUNT_NUMBER = "ACCOUNT_NUMBER"


class LimitGroup(Enum):
    """Attempts count only against attempts of their own group: asking for a reset e-mail
    checks no secret, so it must never lock a login (OWASP Authentication Cheat Sheet)."""

    PASSWORD_CHECK = "PASSWORD_CHECK"
    ACCOUNT_VERIFICATION = "ACCOUNT_VERIFICATION"
    MAIL = "MAIL"
    RESET_CODE = "RESET_CODE"


KIND_GROUPS = {
    CredentialRequestKind.LOGIN: LimitGroup.PASSWORD_CHECK,
    CredentialRequestKind.PASSWORD_CHANGE: LimitGroup.PASSWORD_CHECK,
    CredentialRequestKind.ACCOUNT_VERIFICATION: LimitGroup.ACCOUNT_VERIFICATION,
    CredentialRequestKind.PASSWORD_RESET_REQUEST: LimitGroup.MAIL,
    CredentialRequestKind.USERNAME_REMINDER: LimitGroup.MAIL,
    CredentialRequestKind.PASSWORD_RESET: LimitGroup.RESET_CODE,
}


def kinds_of(group: LimitGroup) -> list[CredentialRequestKind]:
    return [kind for kind, of in KIND_GROUPS.items() if of is group]


# Requests that send mail count even when they succeed: their answer never says whether the
# user exists, so the limit must not depend on it either (and mail bombing is the abuse).
MAIL_SENDING_KINDS = frozenset(kinds_of(LimitGroup.MAIL))


def counts_against_limit(*, kind: CredentialRequestKind, outcome: CredentialRequestOutcome) -> bool:
    """Seed 002: failures count towards a block; refused (rate-limited) attempts never do, so a
    block ends when the window passes even if the guessing goes on."""
    if outcome is CredentialRequestOutcome.RATE_LIMITED:
        return False
    return outcome is CredentialRequestOutcome.FAILURE or kind in MAIL_SENDING_KINDS


def is_blocked(*, counted: int, threshold: int) -> bool:
    """Blocked once `threshold` counted attempts fall within the window."""
    return counted >= threshold


@dataclass(frozen=True)
class RateLimits:
    """The operator's numbers (settings `RATE_LIMIT_*`)."""

    failures: int = 5
    ip_failures: int = 50
    username_failures: int = 100
    window: timedelta = timedelta(minutes=15)
    username_window: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class Limit:
    group: LimitGroup
    subject: BlockSubject
    threshold: int
    window: timedelta


def limits_for(group: LimitGroup, numbers: RateLimits) -> list[Limit]:
    """Seed 002's blocks, shaped by OWASP's Authentication Cheat Sheet and NIST SP 800-63B
    5.2.2: a password is throttled per (username, IP address) first, so one user's typos lock
    neither colleagues behind the same NAT address nor the user elsewhere; per address at a
    higher count (spraying many names); per username across all addresses only at a much
    higher count over a longer window (NIST: at most 100 failures), so nobody can lock a user
    out cheaply. Account verification keeps a tight limit per account number (its secret, a
    postcode and an invoice number, is weaker than a password), mail requests one per
    recipient (mail bombing), and reset codes, too long to guess, one per address."""
    tight = numbers.failures
    per_address = Limit(group, BlockSubject.IP_ADDRESS, numbers.ip_failures, numbers.window)
    match group:
        case LimitGroup.PASSWORD_CHECK:
            return [
                Limit(group, BlockSubject.USERNAME_OR_EMAIL_AT_IP_ADDRESS, tight, numbers.window),
                per_address,
                Limit(
                    group,
                    BlockSubject.USERNAME_OR_EMAIL,
                    numbers.username_failures,
                    numbers.username_window,
                ),
            ]
        case LimitGroup.ACCOUNT_VERIFICATION:
            return [Limit(group, BlockSubject.ACCOUNT_NUMBER, tight, numbers.window), per_address]
        case LimitGroup.MAIL:
            return [
                Limit(group, BlockSubject.USERNAME_OR_EMAIL, tight, numbers.window),
                per_address,
            ]
        case LimitGroup.RESET_CODE:
            return [per_address]


def _is_trusted(address: str, trusted: Sequence[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in trusted)


def client_address(
    *, peer: str | None, forwarded_for: str | None, trusted_proxies: Sequence[str]
) -> str | None:
    """The caller's IP address: the connection's peer, unless that peer is a trusted proxy, in
    which case X-Forwarded-For is read from the right, skipping trusted proxies, and the first
    address not ours is the client (the left-most entries are whatever the client claimed)."""
    if peer is None or not forwarded_for or not _is_trusted(peer, trusted_proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted_proxies):
            return hop
    return hops[0] if hops else peer
