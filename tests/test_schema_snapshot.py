"""The committed SDL is the reviewed API: it must be what the code serves (`make schema`)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

SDL = Path(__file__).resolve().parents[1] / "schema" / "schema.graphql"


def test_the_committed_schema_is_the_code_schema() -> None:
    # when the CLI prints the schema
    printed = CliRunner().invoke(app, ["schema"])

    # then it is the committed file, byte for byte
    assert printed.exit_code == 0
    assert printed.output == SDL.read_text(), "schema/schema.graphql is stale: run `make schema`"
