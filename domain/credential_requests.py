"""The username/password request log and the limits on guessing (seed 002 "UN/PW requests")."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from enum import Enum


class CredentialRequestKind(Enum):
    LOGIN = "LOGIN"
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
    account numbers too, so invoice numbers cannot be guessed for one account from many IPs."""

    IP_ADDRESS = "IP_ADDRESS"
    USERNAME_OR_EMAIL = "USERNAME_OR_EMAIL"
    ACCOUNT_NUMBER = "ACCOUNT_NUMBER"


# Requests that send mail count even when they succeed: their answer never says whether the
# user exists, so the limit must not depend on it either (and mail bombing is the abuse).
MAIL_SENDING_KINDS = frozenset(
    {CredentialRequestKind.PASSWORD_RESET_REQUEST, CredentialRequestKind.USERNAME_REMINDER}
)


def counts_against_limit(*, kind: CredentialRequestKind, outcome: CredentialRequestOutcome) -> bool:
    """Seed 002: failures count towards a block; refused (rate-limited) attempts never do, so a
    block ends when the window passes even if the guessing goes on."""
    if outcome is CredentialRequestOutcome.RATE_LIMITED:
        return False
    return outcome is CredentialRequestOutcome.FAILURE or kind in MAIL_SENDING_KINDS


def is_blocked(*, counted: int, threshold: int) -> bool:
    """Blocked once `threshold` counted attempts fall within the window."""
    return counted >= threshold


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
