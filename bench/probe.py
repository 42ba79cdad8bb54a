"""What one request of a scenario costs and returns, and whether it succeeded: in-process
through Tradepost's ASGI app (SQL statements, CPU without HTTP), or over HTTP for a server the
bench only talks to (another commit's, the plain-Strawberry baseline)."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bench.scenarios import Scenario, World

TRANSACTION_STATEMENTS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
# Requests the in-process probe times after its warm-up, for CPU per request without HTTP.
PROBE_REPEAT = 5


@dataclass
class Probe:
    """One in-process request of a scenario: what it cost and returned."""

    statements: int
    transaction_statements: int
    objects: int
    cpu_ms: float | None  # per request; None where the scenario consumes its data


def payload_errors(value: Any) -> list[Any]:
    """Non-empty `errors` lists anywhere in a GraphQL answer's data (mutation payloads)."""
    if isinstance(value, dict):
        found = list(value.get("errors") or [])
        return found + [e for v in value.values() for e in payload_errors(v)]
    if isinstance(value, list):
        return [e for v in value for e in payload_errors(v)]
    return []


def check_answer(scenario: Scenario, payload: dict[str, Any]) -> None:
    """Refuse an answer with errors or of the wrong shape: a figure must count a success.
    (Another commit's scenarios may predate `expect`: then no errors and some data suffice.)"""
    data = payload.get("data")
    expect: Callable[[dict[str, Any]], bool] = getattr(scenario, "expect", lambda _data: True)
    problems = payload.get("errors") or payload_errors(data)
    if problems or data is None or not expect(data):
        raise RuntimeError(f"{scenario.name}: the probe's answer is not a success: {payload}")


def count_objects(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(count_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_objects(v) for v in value)
    return 0


def probe_over_http(scenario: Scenario, world: World) -> int:
    """The objects one successful answer of the server at `world` returns."""
    assert scenario.body is not None
    body, token = scenario.body(world)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://{world.host}:{world.port}/graphql", data=json.dumps(body).encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        payload = json.load(response)
    check_answer(scenario, payload)
    return count_objects(payload["data"])


class InProcess:
    """Tradepost's ASGI app in this process, counting the SQL statements of each request."""

    def __init__(self, app: Any, client: Any) -> None:
        self.client = client
        self.engine = app.state.engine
        self.statements: list[str] = []
        self.transactions: list[str] = []

    def _listen(self) -> None:
        """Count on every engine that sends the app's statements: its own, and on SQLite the
        reader queries use on the event loop (made with the first request)."""
        from sqlalchemy import event

        from core.database import sync_engines

        for sender in sync_engines(self.engine):
            if not event.contains(sender, "before_cursor_execute", self._count):
                event.listen(sender, "before_cursor_execute", self._count)

    def _count(self, _c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        kind = statement.lstrip().upper()
        (self.transactions if kind.startswith(TRANSACTION_STATEMENTS) else self.statements).append(
            kind
        )

    async def post(self, body: dict[str, object], token: str | None) -> dict[str, Any]:
        self._listen()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer: dict[str, Any] = (
            await self.client.post("/graphql", json=body, headers=headers)
        ).json()
        return answer

    async def login(self, username: str, password: str) -> str:
        answer = await self.post(
            {
                "query": "mutation($i: LoginInput!) { login(input: $i) { token } }",
                "variables": {"i": {"username": username, "password": password}},
            },
            None,
        )
        return str(answer["data"]["login"]["token"])

    async def probe(
        self,
        scenario: Scenario,
        body: dict[str, object],
        token: str | None,
        *,
        timed: bool,
        repeat: int = PROBE_REPEAT,
    ) -> Probe:
        """One counted request (after the caller's warm-up) and, if `timed`, the CPU of
        `repeat` more; every answer checked to be a success."""
        self.statements.clear()
        self.transactions.clear()
        payload = await self.post(body, token)
        check_answer(scenario, payload)
        probe = Probe(
            len(self.statements), len(self.transactions), count_objects(payload["data"]), None
        )
        if timed:
            started = time.process_time()
            for _ in range(repeat):
                check_answer(scenario, await self.post(body, token))
            probe.cpu_ms = (time.process_time() - started) / repeat * 1000
        return probe


@asynccontextmanager
async def in_process(database_url: str, secret_key: str) -> AsyncIterator[InProcess]:
    import httpx

    from api.app import create_app
    from core.settings import Settings

    app = create_app(Settings(database_url=database_url, secret_key=secret_key))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        yield InProcess(app, client)
    await app.state.engine.dispose()


async def measure_in_process(database_url: str, secret_key: str, world: World) -> dict[str, Probe]:
    """SQL statements, returned objects and CPU of one request per GraphQL scenario, each answer
    checked to be a success."""
    from bench.scenarios import SCENARIOS

    results: dict[str, Probe] = {}
    async with in_process(database_url, secret_key) as app:
        for scenario in SCENARIOS:
            if scenario.body is None:
                continue
            body, token = scenario.body(world)
            check_answer(scenario, await app.post(body, token))
            if scenario.max_requests:  # it consumed its data: a fresh body for the counted one
                body, token = scenario.body(world)
            timed = not scenario.max_requests
            results[scenario.name] = await app.probe(scenario, body, token, timed=timed)
    return results
