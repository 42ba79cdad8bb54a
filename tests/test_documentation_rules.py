"""The README's table of seed rules names real code: every file in its last column exists and
defines the function or class named with it, and every operation is one of the schema's, so the
table cannot go stale silently when a rule moves or is renamed. The feature bullets' files are
held to the same."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from schema.schema import schema

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Seed rules and where they live"
SEEDS = {"000", "001", "002", "003", "004"}
CODE = re.compile(r"`([^`]+)`")
# `path/file.py`, `path/file.py: name`, `path/file.py:name` or `package.module.name`.
PATH_AND_NAME = re.compile(r"(?P<path>[\w/.-]+\.py)(?::\s*(?P<name>\w+))?")
DOTTED = re.compile(r"(?P<module>\w+(?:\.\w+)+)\.(?P<name>\w+)")


def table_rows() -> list[list[str]]:
    text = (ROOT / "README.md").read_text()
    assert SECTION in text, f"README.md has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header, separator, *rows = lines
    assert "where it lives" in header and set(separator) <= set("|-: ")
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]


def place(reference: str) -> tuple[Path, str | None]:
    """The file and (when named) the function or class a table entry points at."""
    if found := PATH_AND_NAME.fullmatch(reference):
        return ROOT / found["path"], found["name"]
    if found := DOTTED.fullmatch(reference):
        return ROOT / (found["module"].replace(".", "/") + ".py"), found["name"]
    raise AssertionError(f"{reference!r} names no file")


@cache
def defined_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text())
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, definitions))


def operation_exists(operation: str) -> bool:
    """A root field (`checkoutCart`, `products(filter: …)`) or a type's field (`Product.price`)."""
    name = operation.split("(", 1)[0]
    root = schema._schema
    if "." in name:
        type_name, field = name.split(".", 1)
        found = root.get_type(type_name)
        return found is not None and field in getattr(found, "fields", {})
    return any(
        kind is not None and name in kind.fields for kind in (root.query_type, root.mutation_type)
    )


def test_the_table_names_every_seed() -> None:
    rows = table_rows()
    assert len(rows) > 50
    named = {seed.strip() for row in rows for seed in row[0].split(",")}
    assert named == SEEDS


@pytest.mark.parametrize("row", table_rows(), ids=lambda row: row[1][:50])
def test_each_rule_lives_where_the_table_says(row: list[str]) -> None:
    assert len(row) == 4, row
    places = CODE.findall(row[3])
    assert places, f"no file named for {row[1]!r}"
    for reference in places:
        path, name = place(reference)
        assert path.is_file(), f"{reference}: no file {path.relative_to(ROOT)}"
        if name is not None:
            assert name in defined_names(path), f"{reference}: {name} is not defined there"


@pytest.mark.parametrize("row", table_rows(), ids=lambda row: row[1][:50])
def test_each_rule_names_operations_of_the_schema(row: list[str]) -> None:
    operations = CODE.findall(row[2])
    assert operations, f"no operation named for {row[1]!r}"
    assert [op for op in operations if not operation_exists(op)] == []


# A feature bullet of the README names its rules' files in brackets after its title:
# `- **Carts** [`domain/carts.py`, `resolvers/carts.py`] — …`.
FEATURE_FILES = re.compile(r"^- \*\*(?P<title>[^*]+)\*\*[^\[\n]*\[(?P<files>`[^\]]+`)\] —", re.M)


def feature_bullets() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    return [(found["title"], found["files"]) for found in FEATURE_FILES.finditer(text)]


def test_the_feature_bullets_name_their_files() -> None:
    assert len(feature_bullets()) >= 25


@pytest.mark.parametrize(("title", "files"), feature_bullets(), ids=lambda value: value[:40])
def test_each_feature_bullet_names_files_that_define_what_it_says(title: str, files: str) -> None:
    for reference in CODE.findall(files):
        path, name = place(reference)
        assert path.is_file(), f"{title}: no file {reference}"
        if name is not None:
            assert name in defined_names(path), f"{title}: {name} is not defined in {path}"
