"""One validated settings object, read from the environment (and an optional `.env`).

The fields stand in sections, one a concern (database, server, sessions, the GraphQL endpoint,
abuse protection, mail, webhooks); their environment names stay flat (`SMTP_HOST`).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me"
# HMAC-SHA256 keys shorter than the hash's 32 bytes weaken it (RFC 2104 section 3).
MIN_SECRET_KEY_BYTES = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # --- Database ---
    database_url: str = Field(
        default_factory=lambda: f"sqlite+aiosqlite:///{Path.cwd() / 'tradepost.db'}",
        description="SQLAlchemy async URL; SQLite by default, postgresql+asyncpg in production.",
    )
    sql_echo: bool = False
    # PostgreSQL cancels any statement of the server that runs longer (0: never), so no request
    # can keep a backend busy; the client gets a masked STATEMENT_TIMEOUT error.
    statement_timeout_ms: int = Field(default=5_000, ge=0)
    # The SQLite bind-parameter limit caps how many keys one dataloader batch may carry.
    loader_max_batch_size: int = Field(default=500, gt=0, le=30000)

    # --- Server: where it listens, what it logs, whom it believes, its clock ---
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    # "auto": readable text when stderr is a terminal (a developer's `make run`), JSON lines
    # otherwise (a log collector's pipe).
    log_format: Literal["auto", "json", "text"] = "auto"
    # Peers (addresses or CIDR networks) whose X-Forwarded-For is believed, e.g. a load balancer.
    trusted_proxies: list[str] = Field(default_factory=list)
    # The platform's time zone (an IANA name): a budget's month, quarter or year starts at its
    # midnight (domain.budgets.period_bounds). Accounts have no time zone of their own.
    time_zone: str = "UTC"

    # --- Sessions and one-time tickets ---
    secret_key: str = DEFAULT_SECRET
    session_lifetime_hours: int = Field(default=24 * 14, gt=0)
    verification_ticket_minutes: int = Field(default=15, gt=0)
    password_reset_minutes: int = Field(default=60, gt=0)

    # --- The GraphQL endpoint ---
    # Queries whose fields are all covered are answered by a plan over rows (`schema.plans`);
    # false runs every operation on the generic Strawberry path.
    planned_reads: bool = True
    graphiql: bool = True
    # Serve GraphiQL's scripts and styles from `static/graphiql` (`make graphiql-assets`, part of
    # `make install` where npm is installed) instead of a CDN. Unset: from this server when they
    # are installed, else from the CDN (with a warning at start-up).
    graphiql_local_assets: bool | None = None
    introspection: bool = True
    # "Did you mean …" hints in validation errors map the schema for someone guessing at it.
    field_suggestions: bool = True
    # Query limits: each refusal is a top-level error that names the limit.
    max_query_depth: int = Field(default=12, gt=0)
    max_aliases: int = Field(default=30, ge=0)
    max_tokens: int = Field(default=5_000, gt=0)
    max_query_cost: int = Field(default=10_000, gt=0)
    # The longest string any argument or input field may be: above every field's own limit
    # (the longest, a system e-mail's body, is 20,000), for those without one.
    max_text_length: int = Field(default=20_000, gt=0)
    # A JSON array of operations in one request; off unless a client needs it.
    batching: bool = False
    max_batch_operations: int = Field(default=10, gt=0, le=100)
    # The largest request body read (a batch counts whole); a larger one is a 413.
    max_request_body_bytes: int = Field(default=1024 * 1024, gt=0)
    # Subscriptions one websocket may hold at once; the next is refused ("Subscription limit
    # reached"): an app needs a handful, and each costs the worker memory while it lasts.
    max_subscriptions_per_connection: int = Field(default=20, gt=0)

    # --- Abuse protection ---
    # Seed 002 "UN/PW requests": operational limits, not shown to visitors
    # (domain.credential_requests.limits_for says which limit applies to which request).
    # Failures of one username from one IP address (and per account number, per mail recipient).
    rate_limit_failures: int = Field(default=5, gt=0)
    # Failures from one IP address, whoever they were for: a NAT address serves many people.
    rate_limit_ip_failures: int = Field(default=50, gt=0)
    # Failed password checks of one username from every address (NIST SP 800-63B: <= 100).
    rate_limit_username_failures: int = Field(default=100, gt=0)
    rate_limit_window_minutes: int = Field(default=15, gt=0)
    rate_limit_username_window_minutes: int = Field(default=24 * 60, gt=0)

    # --- Outgoing mail ---
    # Without SMTP_HOST the outbox waits (see `tradepost outbox`).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = Field(default=30, gt=0)
    mail_from: str = "Tradepost <no-reply@tradepost.example>"
    mail_max_attempts: int = Field(default=5, gt=0)
    mail_retry_seconds: int = Field(default=60, gt=0)

    # --- Webhooks ---
    # `tradepost deliver-webhooks`: plain http to 127.0.0.1/localhost only when
    # allowed (tests, development); every other private address is always refused.
    webhook_allow_loopback: bool = False
    webhook_timeout_seconds: float = Field(default=10, gt=0)
    webhook_max_attempts: int = Field(default=12, gt=0)
    webhook_retry_seconds: int = Field(default=30, gt=0)
    # Deliveries one deliverer sends at once.
    webhook_concurrency: int = Field(default=20, gt=0)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, proxies: list[str]) -> list[str]:
        """Each entry as a network (`10.0.0.1` is `10.0.0.1/32`), so uvicorn and
        `domain.credential_requests.client_address` read the list alike; a typo fails start-up
        instead of every request."""
        return [str(ipaddress.ip_network(proxy.strip(), strict=False)) for proxy in proxies]

    @model_validator(mode="after")
    def _refuse_weak_secret_outside_debug(self) -> Settings:
        """Session tokens, API keys and one-time codes are stored as HMACs keyed with the secret,
        so a default or short one is fine for a laptop (DEBUG), never for a server that other
        people use, on PostgreSQL or on SQLite (which serves several worker processes too)."""
        if not self.debug and len(self.secret_key.encode()) < MIN_SECRET_KEY_BYTES:
            raise ValueError(
                f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes unless DEBUG is on; "
                "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return self

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, name: str) -> str:
        """A misspelt zone fails start-up, not every checkout."""
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"TIME_ZONE {name!r} is no IANA time zone") from error
        return name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")


@lru_cache
def get_settings() -> Settings:
    return Settings()
