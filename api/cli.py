"""The `tradepost` command: serve, migrate, seed, create workers and API keys, print the SDL."""

from __future__ import annotations

import asyncio
import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from api.settings import get_settings
from domain.enums import ApiKeyScope, WorkerRole


class ImportKind(Enum):
    """The record kinds of `resolvers.sync.KINDS`."""

    ACCOUNTS = "account"
    ADDRESSES = "address"
    CONTACTS = "contact"
    INVOICES = "invoice"
    ENQUIRY_RECORDS = "enquiry"


app = typer.Typer(help="Tradepost: GraphQL backend for B2B/B2C commerce.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes.")] = False,
) -> None:
    """Serve the API (GraphiQL at /graphql)."""
    import uvicorn

    uvicorn.run(
        "api.main:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_level="info",
        access_log=False,
    )


@app.command()
def migrate(revision: str = "head") -> None:
    """Apply the Alembic migrations (the only way the database schema is created)."""
    from alembic import command

    from migrations.config import alembic_config

    command.upgrade(alembic_config(get_settings().database_url), revision)


@app.command()
def seed(
    accounts: Annotated[
        int, typer.Option(help="Extra generated accounts on top of the demo world.")
    ] = 0,
    if_empty: Annotated[bool, typer.Option(help="Do nothing if accounts already exist.")] = False,
) -> None:
    """Load the deterministic demo world (`--accounts N` adds N generated accounts)."""
    from seed.demo import run_seed

    asyncio.run(run_seed(get_settings(), extra_accounts=accounts, if_empty=if_empty))


@app.command("create-worker")
def create_worker(
    username: Annotated[str, typer.Option()],
    role: Annotated[WorkerRole, typer.Option(case_sensitive=False)],
    rep_code: Annotated[str | None, typer.Option(help="Sales reps only.")] = None,
    name: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create a staff login; the password comes from TRADEPOST_PASSWORD or a prompt."""
    password = os.environ.get("TRADEPOST_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    from seed.runner import create_worker_now

    worker_id = asyncio.run(
        create_worker_now(
            get_settings(),
            username=username,
            password=password,
            role=role,
            rep_code=rep_code,
            name=name,
        )
    )
    typer.echo(f"Created worker {username} (id {worker_id})")


@app.command("create-api-key")
def create_api_key(
    name: Annotated[str, typer.Option()],
    scope: Annotated[list[ApiKeyScope], typer.Option(case_sensitive=False)],
) -> None:
    """Create an integrator's API key and print it (it is shown only once)."""
    from seed.runner import create_api_key_now

    secret = asyncio.run(create_api_key_now(get_settings(), name=name, scopes=scope))
    typer.echo(secret)


@app.command("import")
def import_file(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A .csv or .json file.")
    ],
    kind: Annotated[ImportKind, typer.Option(case_sensitive=False, help="What the file holds.")],
) -> None:
    """Load ERP records from a file through the sync upserts (1,000 a transaction); bad records
    are listed at the end and do not stop the others."""
    from rich.console import Console

    from api.importer import import_records, read_records

    console = Console(stderr=True)
    records = read_records(path)
    report = asyncio.run(import_records(get_settings(), kind.value, records, console=console))
    for number, erp_key, field, message in report.problems:
        console.print(f"record {number} ({erp_key or 'no erpKey'}) {field}: {message}")
    typer.echo(", ".join(f"{n} {outcome.value.lower()}" for outcome, n in report.counts.items()))
    if report.problems:
        raise typer.Exit(code=1)


@app.command()
def schema() -> None:
    """Print the GraphQL schema (SDL)."""
    from schema.schema import schema as graphql_schema

    typer.echo(graphql_schema.as_str())


if __name__ == "__main__":
    app()
