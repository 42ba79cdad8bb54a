"""Opaque bearer tokens. Only a keyed hash is stored, so a database dump cannot be replayed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SESSION_PREFIX = "tps_"
API_KEY_PREFIX = "tpk_"


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(secret_key: str, token: str) -> str:
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()
