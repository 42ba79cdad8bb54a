"""Login names and passwords: what the platform accepts as a new credential."""

from __future__ import annotations

import re

from domain.errors import DomainError, ErrorCode

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{2,149}$")


def normalise_username(username: str) -> str:
    """Usernames are compared case-insensitively, so they are stored lower-case."""
    return username.strip().lower()


def check_username(username: str, *, field: str = "username") -> list[DomainError]:
    if not _USERNAME.match(username):
        return [
            DomainError(
                ErrorCode.INVALID,
                "Username must be 3 to 150 letters, digits or . _ @ + -",
                field=[field],
            )
        ]
    return []


def check_password(
    password: str, *, username: str | None, field: str = "password"
) -> list[DomainError]:
    """At least 12 characters and not the username (NIST SP 800-63B length over composition)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            DomainError(
                ErrorCode.INVALID,
                f"Password must be at least {MIN_PASSWORD_LENGTH} characters",
                field=[field],
            )
        ]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [
            DomainError(
                ErrorCode.INVALID,
                f"Password must be at most {MAX_PASSWORD_LENGTH} characters",
                field=[field],
            )
        ]
    if username and password.strip().lower() == normalise_username(username):
        return [DomainError(ErrorCode.INVALID, "Password must not be the username", field=[field])]
    return []
