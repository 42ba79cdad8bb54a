"""Fuzzing: schemathesis generates operations for every query field and mutation of the schema
the app serves, and sends them through the real ASGI app as an anonymous caller, a shopper, an
ADMIN worker and an integrator's API key. A case that ends the caller's session (`logout`, an
account disabled) cannot leave the rest of the run anonymous: a caller signed out is signed in
again before the next case, and every case is checked to have run as its caller. Whatever
arrives, the server answers without a 500, logs no crash, and never shows a client a traceback
or an exception's class name; an unexpected error reaches it only masked.

Schemathesis's own ASGI runner drives the app from a thread with its own event loop, which the
session-wide engine (and asyncpg's connections) cannot be shared with, so schemathesis and
hypothesis-graphql only generate the operations here and httpx sends them on the test's loop.

FUZZ_EXAMPLES sets the valid and the invalid examples per operation (default 3 of each, see
docs/fuzzing.md).
"""

from __future__ import annotations

import logging
import os
import re
from datetime import timedelta
from logging import LogRecord
from typing import Any

import graphql
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Err
from schemathesis.generation import GenerationMode
from schemathesis.graphql import nodes
from sqlalchemy.ext.asyncio import AsyncSession

from core.tokens import SESSION_PREFIX, new_token, token_hash
from domain.enums import ApiKeyScope, WorkerRole
from models import Session
from models.types import utcnow
from schema.error_masking import logger as errors_logger
from tests.factories import (
    TEST_SECRET_KEY,
    make_account,
    make_api_key,
    make_contact,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))

# Money as the API means it, and what a hostile client sends instead: the scalar's parser must
# refuse the latter with a GraphQL error, never let a resolver see it.
PLAIN_DECIMALS = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
).map(str)
HOSTILE_DECIMALS = st.sampled_from(
    [
        "NaN",
        "-NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "1e5",
        "1E-7",
        "",
        " ",
        "1,5",
        "0x10",
        "1" * 40,
        "0." + "1" * 40,
        "١٢",
    ]
)
DECIMAL_NODES = st.one_of(
    st.one_of(PLAIN_DECIMALS, HOSTILE_DECIMALS).map(nodes.String),
    st.integers(min_value=-(10**30), max_value=10**30).map(nodes.Int),
    # Exponents as the client wrote them, which a float would print differently.
    st.sampled_from(["1e5", "1.5E+300", "0.1"]).map(
        lambda text: graphql.FloatValueNode(value=text)
    ),
)
HOSTILE_DATES = st.sampled_from(
    ["2026-02-30", "0000-01-01", "9999-12-31", "2026-13-01", "20260101", "yesterday", ""]
)
HOSTILE_INSTANTS = st.sampled_from(
    [
        "2026-01-01T00:00:00",
        "2026-01-01T25:00:00Z",
        "9999-12-31T23:59:59+14:00",
        "0001-01-01T00:00Z",
    ]
)
schemathesis.graphql.scalar("Decimal", DECIMAL_NODES)
schemathesis.graphql.scalar("Date", st.one_of(st.dates().map(str), HOSTILE_DATES).map(nodes.String))
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(st.datetimes().map(lambda d: d.isoformat() + "Z"), HOSTILE_INSTANTS).map(
        nodes.String
    ),
)

# JSON (saved searches' filter values): any nesting of objects, lists and leaves, as literals.
JSON_NODES = st.recursive(
    st.one_of(
        st.text(max_size=20).map(nodes.String),
        st.integers(-(10**6), 10**6).map(nodes.Int),
        st.booleans().map(nodes.Boolean),
        st.just(nodes.Null),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(nodes.List),
        st.dictionaries(
            st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,10}\Z"), children, max_size=4
        ).map(
            lambda fields: nodes.Object(
                [
                    graphql.ObjectFieldNode(name=graphql.NameNode(value=key), value=value)
                    for key, value in fields.items()
                ]
            )
        ),
    ),
    max_leaves=8,
)
schemathesis.graphql.scalar("JSON", JSON_NODES)

# Ends the caller's own session: run last, so fewer cases need a new sign-in.
SESSION_ENDING = "Mutation.logout"

MASKED = re.compile(r"^Internal server error \(request id [^)]+\)$")
LEAKS = re.compile(r"Traceback|File \"|\b[A-Z]\w*(Error|Exception|Warning)\b")


def operations(introspection: dict[str, Any]) -> list[Any]:
    """Every query field and mutation, as schemathesis reads them from the app's introspection."""
    found = []
    for result in schemathesis.graphql.from_dict(introspection).get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        found.append(result.ok())
    return sorted(found, key=lambda operation: operation.label == SESSION_ENDING)


def generated_queries(operation: Any) -> list[str]:
    """FUZZ_EXAMPLES valid operations and as many with one schema violation, the same on every
    run (derandomized) so that CI is repeatable."""
    queries: list[str] = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @settings(
            max_examples=FUZZ_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def collect(case: Any) -> None:
            queries.append(case.body)

        collect()
    return queries


def problems_in(response_status: int, body: dict[str, Any], crashes: list[LogRecord]) -> list[str]:
    """What a response shows that a client must not see, and the crashes the server logged
    while answering it (an unexpected error is a bug even when the client sees it masked)."""
    problems = [f"status {response_status}"] if response_status >= 500 else []
    problems += [f"crash: {record.exc_info and record.exc_info[1]!r}" for record in crashes]
    for error in body.get("errors") or []:
        extensions = error.get("extensions") or {}
        if extensions.get("code") == "INTERNAL_SERVER_ERROR" and not MASKED.match(error["message"]):
            problems.append(f"unmasked internal error: {error['message']}")
        elif "path" in error and LEAKS.search(error["message"]):
            # Only execution errors have a path; validation messages name schema types
            # (`UserError`) and are the client's own document quoted back.
            problems.append(f"leaking error: {error['message']}")
        if {"exception", "stacktrace", "traceback"} & set(extensions):
            problems.append(f"debug extensions: {sorted(extensions)}")
    return problems


@pytest.fixture(scope="session")
async def fuzz_cases(app: Any) -> list[tuple[str, str]]:
    """(operation, query) for the schema as the app serves it, generated once for all callers."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await GraphQLClient(http).raw(graphql.get_introspection_query())
    return [
        (operation.label, query)
        for operation in operations(response.json()["data"])
        for query in generated_queries(operation)
    ]


class Caller:
    """A bearer token that stays valid for the whole run: when a case ended the caller's session
    (`logout`, or failed logins that rate-limit a new one), a new session is opened in the
    database, as `login` would; an API key, which no generated case can revoke, stays."""

    def __init__(
        self,
        client: GraphQLClient,
        db: AsyncSession,
        token: str | None,
        session_values: dict[str, Any] | None = None,
    ) -> None:
        self.client, self.db, self.token, self.session_values = client, db, token, session_values

    async def still_signed_in(self) -> None:
        if self.session_values is None:
            return
        probe = await self.client.raw("{ viewer { kind } }", token=self.token)
        if self.token is None or probe.status_code == 401:
            self.token = new_token(SESSION_PREFIX)
            self.db.add(
                Session(
                    token_hash=token_hash(TEST_SECRET_KEY, self.token),
                    expires_at=utcnow() + timedelta(days=1),
                    **self.session_values,
                )
            )
            await self.db.commit()


@pytest.fixture
async def callers(client: GraphQLClient, session: AsyncSession) -> dict[str, Caller]:
    """Callers with something to see: a shopper of an account, an ADMIN worker, an integrator,
    a product."""
    account = await make_account(session, code="FUZZ1")
    shopper = await make_contact(session, account=account, username="shopper")
    admin = await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    await make_product(session, level_prices={"A": "10.00"})
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC, ApiKeyScope.READ])
    return {
        "anonymous": Caller(client, session, None),
        "shopper": Caller(
            client, session, None, {"contact_id": shopper.id, "active_account_id": account.id}
        ),
        "admin": Caller(client, session, None, {"worker_id": admin.id}),
        "integrator": Caller(client, session, key),
    }


@pytest.mark.parametrize("caller", ["anonymous", "shopper", "admin", "integrator"])
async def test_no_operation_crashes_or_leaks(
    client: GraphQLClient,
    fuzz_cases: list[tuple[str, str]],
    callers: dict[str, Caller],
    caller: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given the callers and the generated cases
    caplog.set_level(logging.ERROR, logger=errors_logger.name)
    found: dict[str, list[str]] = {}
    signed_out: list[str] = []
    sender = callers[caller]

    # when each case is sent, as the caller
    for label, query in fuzz_cases:
        await sender.still_signed_in()
        caplog.clear()
        response = await client.raw(query, token=sender.token)
        if response.status_code == 401:
            signed_out.append(label)
        crashes = [r for r in caplog.records if r.name == errors_logger.name]
        problems = problems_in(response.status_code, response.json(), crashes)
        if problems:
            found.setdefault(label, []).append(f"{problems} for {query}")

    # then every case ran as its caller, and none crashed the server or showed the client what
    # it must not see
    assert signed_out == []
    assert found == {}
