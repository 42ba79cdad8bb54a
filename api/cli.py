"""The `tradepost` command: start, serve, migrate, seed, create workers and API keys, unblock,
print the SDL."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from core.settings import get_settings
from domain.enums import ApiKeyScope, WorkerRole
from domain.errors import DomainError, DomainErrors
from migrations.status import DatabaseNotReady


@contextmanager
def reported_refusals() -> Iterator[None]:
    """A refused command prints why, one line per reason, and exits 1 (no traceback); so does
    one pointed at a database without the current schema."""
    try:
        yield
    except DatabaseNotReady as problem:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(1) from problem
    except DomainErrors as refusal:
        for error in refusal.errors:
            typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(1) from refusal
    except DomainError as refusal:
        typer.echo(f"error: {refusal.message}", err=True)
        raise typer.Exit(1) from refusal


class ImportKind(Enum):
    """Every ERP feed a file may hold (`resolvers.feeds.FILE_FEEDS`)."""

    ACCOUNTS = "account"
    ADDRESSES = "address"
    CONTACTS = "contact"
    INVOICES = "invoice"
    ENQUIRY_RECORDS = "enquiry"
    PRODUCTS = "product"
    LEVEL_PRICES = "level-price"
    ACCOUNT_PRICES = "account-price"
    CONTRACTS = "contract"
    LOCATIONS = "location"
    STOCK = "stock"


class ImportReplace(Enum):
    """`domain.erp.ReplaceScope` for files: what a full-replace import deletes."""

    SENT = "sent"
    FEED = "feed"


app = typer.Typer(help="Tradepost: GraphQL backend for B2B/B2C commerce.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(envvar="HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes.")] = False,
) -> None:
    """Serve the API (GraphiQL at /graphql); `--workers N` runs N processes."""
    import uvicorn

    from api.logs import configure_logging

    settings = get_settings()
    configure_logging(settings)
    uvicorn.run(
        "api.main:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_level="info",
        # Our JSON handler on the root logger formats uvicorn's lines too; each request's own
        # line (with its SQL count) replaces the access log.
        log_config=None,
        access_log=False,
        # Only TRUSTED_PROXIES may name the client (X-Forwarded-For) or the scheme: uvicorn's own
        # default believes any peer on 127.0.0.1, and without proxies, nobody.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies,
        # No `server: uvicorn` banner for anyone fingerprinting versions.
        server_header=False,
    )


@app.command()
def start(
    host: Annotated[str, typer.Option(envvar="HOST")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
) -> None:
    """What `make run` does, in one process: migrate if the schema is behind, load the demo world
    into an empty database, and serve (GraphiQL at /graphql)."""
    from api.startup import prepare_database

    settings = get_settings()
    with reported_refusals():
        prepare_database(settings, report=typer.echo)
    typer.echo(f"[3/3] serving on http://{host}:{port}/graphql (GraphiQL in a browser)")
    serve(host=host, port=port, workers=1, reload=False)


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
    reset: Annotated[
        bool, typer.Option(help="Empty every table first: the demo world as new.")
    ] = False,
) -> None:
    """Load the deterministic demo world (`--accounts N` adds N generated accounts)."""
    from seed.demo import run_seed

    with reported_refusals():
        asyncio.run(
            run_seed(get_settings(), extra_accounts=accounts, if_empty=if_empty, reset=reset)
        )


@app.command()
def unblock(
    ip: Annotated[str | None, typer.Option(help="An IP address, e.g. 127.0.0.1.")] = None,
    username: Annotated[str | None, typer.Option(help="A username or e-mail.")] = None,
    account: Annotated[str | None, typer.Option(help="An account number.")] = None,
) -> None:
    """Lift a rate-limit block at once, as the staff-only `unblock` mutation does (for a developer
    locked out of the API on localhost)."""
    from api.system_commands import unblock_now

    with reported_refusals():
        cleared = asyncio.run(
            unblock_now(get_settings(), ip_address=ip, username_or_email=username, account=account)
        )
    typer.echo(f"Cleared {cleared} counted attempts")


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
    from api.system_commands import create_worker_now

    with reported_refusals():
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
    from api.system_commands import create_api_key_now

    with reported_refusals():
        secret = asyncio.run(create_api_key_now(get_settings(), name=name, scopes=scope))
    typer.echo(secret)


@app.command("import")
def import_file(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A .csv or .json file.")
    ],
    kind: Annotated[ImportKind, typer.Option(case_sensitive=False, help="What the file holds.")],
    replace: Annotated[
        ImportReplace | None,
        typer.Option(
            case_sensitive=False,
            help="account-price and level-price files only: the file is a full export; delete "
            "the ERP rows it does not have, of the accounts (or products) it names (sent) or "
            "of the whole feed (feed). Staged, then applied in one transaction.",
        ),
    ] = None,
) -> None:
    """Load ERP records from a file through the sync upserts (1,000 a transaction); bad records
    are listed at the end and do not stop the others."""
    from rich.console import Console

    from api.importer import ImportRefused, import_records, read_records
    from domain.erp import ReplaceScope

    console = Console(stderr=True)
    records = read_records(path)
    scope = ReplaceScope[replace.name] if replace is not None else ReplaceScope.NONE
    try:
        with reported_refusals():
            report = asyncio.run(
                import_records(get_settings(), kind.value, records, console=console, replace=scope)
            )
    except ImportRefused as refusal:
        console.print(f"Nothing imported: {refusal}")
        raise typer.Exit(code=2) from refusal
    for number, key, field, message in report.problems:
        console.print(f"record {number} ({key or 'no key'}) {field}: {message}")
    typer.echo(", ".join(f"{n} {outcome.value.lower()}" for outcome, n in report.counts.items()))
    if report.problems:
        raise typer.Exit(code=1)


@app.command()
def outbox(
    status: Annotated[
        str | None, typer.Option(help="PENDING, SENT or FAILED; all when omitted.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
    body: Annotated[bool, typer.Option(help="Print each message's text too.")] = False,
) -> None:
    """List queued and delivered system e-mails."""
    from api.system_commands import list_outbox_now

    with reported_refusals():
        lines = asyncio.run(list_outbox_now(get_settings(), status=status, limit=limit, body=body))
    for line in lines:
        typer.echo(line)


@app.command("send-mail")
def send_mail(
    watch: Annotated[
        float | None, typer.Option(help="Keep running, looking for due mail every N seconds.")
    ] = None,
) -> None:
    """Deliver the due outbox over SMTP (SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USERNAME,
    SMTP_PASSWORD); failures are retried with back-off on later runs."""
    settings = get_settings()
    if not settings.smtp_host:
        raise typer.BadParameter("Set SMTP_HOST (and SMTP_PORT …) to deliver mail")
    from api.system_commands import send_mail_now

    with reported_refusals():
        asyncio.run(send_mail_now(settings, watch_seconds=watch, report=typer.echo))


@app.command("deliver-webhooks")
def deliver_webhooks(
    watch: Annotated[
        float | None,
        typer.Option(help="Keep running, looking for due deliveries every N seconds."),
    ] = None,
) -> None:
    """Deliver the due webhooks to their endpoints, signed; failures are retried with back-off
    on later runs (WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_SECONDS)."""
    from api.system_commands import deliver_webhooks_now

    with reported_refusals():
        asyncio.run(deliver_webhooks_now(get_settings(), watch_seconds=watch, report=typer.echo))


@app.command()
def schema() -> None:
    """Print the GraphQL schema (SDL)."""
    from schema.schema import schema as graphql_schema

    typer.echo(graphql_schema.as_str())


if __name__ == "__main__":
    app()
