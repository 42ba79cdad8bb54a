"""Every GraphQL operation in the README and docs/ is valid against the schema, so the
walkthroughs people copy from cannot drift from the API; the README's walkthroughs also run, in
order and twice, against one demo world, so they work as written and leave it fit for the next."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    parse,
    print_ast,
    validate,
)

from api.app import create_app
from api.system_commands import create_api_key_now
from core.settings import Settings
from domain.enums import ApiKeyScope
from domain.system_email import SystemEmail
from schema.schema import schema
from tests.graphql_client import GraphQLClient

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)


def operations() -> list[tuple[str, int, str]]:
    found = []
    for path in DOCUMENTS:
        for number, block in enumerate(BLOCK.findall(path.read_text()), start=1):
            found.append((path.relative_to(ROOT).as_posix(), number, block))
    return found


@pytest.mark.parametrize(("document", "number", "block"), operations())
def test_documented_operations_are_valid(document: str, number: int, block: str) -> None:
    parsed = parse(block)
    fragments = [d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)]
    problems = []
    for definition in parsed.definitions:
        if isinstance(definition, OperationDefinitionNode):
            alone = DocumentNode(definitions=(definition, *fragments))
            problems += [e.message for e in validate(schema._schema, alone)]
    assert problems == [], f"{document}, GraphQL block {number}"


def test_the_documents_hold_operations() -> None:
    assert len(operations()) > 50


# The walkthroughs that run, operation by operation, against one demo world (`make run`'s).
RUNNABLE = [
    ROOT / "README.md",
    *(
        ROOT / "docs" / name
        for name in (
            "registration.md",
            "pricing.md",
            "carts.md",
            "wallet.md",
            "quotes.md",
            "budgets.md",
            "webhooks.md",
            "syncshape.md",
            "production.md",
        )
    ),
]
# `<!-- run: {...} -->` just above a block says how to run it: "as" ("api-key" for an
# integrator's key with sync and read, "anonymous" for a visitor; otherwise the block runs with
# the session of the last `login`), "variables" per operation name (a dotted path into an
# earlier operation's data, `*` for every item of a list, "@uuid" for a fresh key, "@mail:KEY"
# for the one-time code of the newest e-mail of that template, as its reader would copy it,
# "@text:N" for N characters of text),
# "refuses" (per root field, the error code or codes its payload gives: a block that shows a
# refusal) and "again" (the same, for when the walkthrough is repeated).
RUN_BLOCK = re.compile(r"(?:<!-- run: (\{.*?\}) -->\n)?```graphql\n(.*?)```", re.S)


def runnable_blocks() -> list[tuple[str, dict[str, Any], str]]:
    return [
        (path.name, json.loads(directive or "{}"), block)
        for path in RUNNABLE
        for directive, block in RUN_BLOCK.findall(path.read_text())
    ]


def follow(data: dict[str, Any], path: str) -> Any:
    found: Any = data
    for index, part in enumerate(parts := path.split(".")):
        if part == "*":
            return [follow(item, ".".join(parts[index + 1 :])) for item in found]
        found = found[int(part)] if isinstance(found, list) else found[part]
    return found


ONE_TIME_CODE = re.compile(r"\b(tp[a-z]_[A-Za-z0-9_-]+)")


def mailed_code(settings: Settings, template: str) -> str:
    """The one-time code in the newest e-mail of `template`, read from the outbox table (the API
    redacts it, as it should)."""
    path = settings.database_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        (body,) = db.execute(
            "SELECT body FROM outbox_email WHERE template = ? ORDER BY id DESC LIMIT 1",
            (SystemEmail[template].value,),
        ).fetchone()
    found = ONE_TIME_CODE.search(body)
    assert found, body
    return found.group(1)


def variable_value(settings: Settings, results: dict[str, Any], source: str) -> Any:
    if source == "@uuid":
        return str(uuid.uuid4())
    if source.startswith("@text:"):
        return "x" * int(source.removeprefix("@text:"))
    if source.startswith("@mail:"):
        return mailed_code(settings, source.removeprefix("@mail:"))
    return follow(results, source)


def payload_errors(data: dict[str, Any] | None) -> dict[str, list[str]]:
    """The codes of each root field's payload `errors` (refusals of a mutation)."""
    return {
        field: [error.get("code", error.get("message")) for error in value["errors"]]
        for field, value in (data or {}).items()
        if isinstance(value, dict) and value.get("errors")
    }


async def test_the_walkthroughs_run_in_order_twice_against_one_demo_world(
    demo_world: Settings,
) -> None:
    app = create_app(demo_world)
    api_key = await create_api_key_now(
        demo_world, name="docs", scopes=[ApiKeyScope.SYNC, ApiKeyScope.READ]
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        client = GraphQLClient(http)
        for round_number in (1, 2):
            token: str | None = None
            results: dict[str, Any] = {}
            for document, directive, block in runnable_blocks():
                if directive.get("as") == "api-key":
                    token = api_key
                elif directive.get("as") == "anonymous":
                    token = None
                parsed = parse(block)
                for operation in parsed.definitions:
                    assert isinstance(operation, OperationDefinitionNode)
                    name = operation.name.value if operation.name else None
                    variables = {
                        variable: variable_value(demo_world, results, source)
                        for variable, source in directive.get("variables", {}).get(name, {}).items()
                    }
                    response = await client.raw(print_ast(operation), variables, token=token)
                    body = response.json()
                    shown = f"{document}, round {round_number}, {name or print_ast(operation)[:60]}"
                    assert response.status_code == 200 and "errors" not in body, (shown, body)
                    refusals = {**directive.get("refuses", {})}
                    if round_number == 2:
                        refusals.update(directive.get("again", {}))
                    expected = {
                        field: codes if isinstance(codes, list) else [codes]
                        for field, codes in refusals.items()
                        if field in body["data"]
                    }
                    assert payload_errors(body["data"]) == expected, (shown, body["data"])
                    results.update(body["data"])
                    token = (body["data"].get("login") or {}).get("token") or token
