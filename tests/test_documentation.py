"""Every GraphQL operation in the README and docs/ is valid against the schema, so the
walkthroughs people copy from cannot drift from the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, parse, validate

from schema.schema import schema

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
