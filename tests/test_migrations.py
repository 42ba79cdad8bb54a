"""The migrations are the only way a real database gets its schema: they must build exactly the
models' schema from empty, come down to nothing, and go up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel, col

import models  # noqa: F401 - every table on the metadata
from core.database import create_engine
from domain.wallet import SavedSearchGrid
from migrations.config import alembic_config, include_object_for
from models import Account, Product
from models.search_index import is_search_table
from resolvers.search import contains


def _inspect(url: str, look: Any) -> Any:
    async def run() -> Any:
        engine = create_engine(url)
        async with engine.connect() as connection:
            result = await connection.run_sync(look)
        await engine.dispose()
        return result

    return asyncio.run(run())


def _differences(connection: Connection) -> list[Any]:
    include_object = include_object_for(connection.dialect.name)
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": include_object}
    )
    return list(compare_metadata(context, SQLModel.metadata))


def _tables(connection: Connection) -> set[str]:
    """The tables, but SQLite's search tables (tests below check those)."""
    return {name for name in inspect(connection).get_table_names() if not is_search_table(name)}


def _search_objects(connection: Connection) -> list[tuple[str, str, str]]:
    """SQLite's search tables (with FTS5's own) and their triggers, as the schema holds them."""
    rows = connection.execute(text("SELECT type, name, sql FROM sqlite_master"))
    return sorted(
        (kind, name, " ".join(sql.split()))
        for kind, name, sql in rows
        if kind == "trigger" or (kind == "table" and is_search_table(name))
    )


def test_migrations_go_up_from_empty_down_to_base_and_up_again(empty_database_url: str) -> None:
    config = alembic_config(empty_database_url)
    model_tables = set(SQLModel.metadata.tables)

    # when the migrations run up, down to base, and up again
    command.upgrade(config, "head")
    after_first_upgrade = _inspect(empty_database_url, _tables)
    command.downgrade(config, "base")
    after_downgrade = _inspect(empty_database_url, _tables)
    command.upgrade(config, "head")

    # then every model's table came, went (only Alembic's own table stays) and came back
    assert after_first_upgrade == model_tables | {"alembic_version"}
    assert after_downgrade == {"alembic_version"}
    # and the migrated schema is the models' schema: columns, types, indexes, constraints
    assert _inspect(empty_database_url, _differences) == []


def test_upgrading_keeps_the_rows_that_refer_to_altered_tables(empty_database_url: str) -> None:
    """Later revisions alter `account` and `worker`, which SQLite does by copying the table: the
    addresses, memberships and sessions that point at them must survive the copy."""
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0003")
    _inspect(empty_database_url, _insert_customer)

    command.upgrade(config, "head")

    assert _inspect(empty_database_url, _counts) == {
        "account": 1,
        "address": 1,
        "account_membership": 1,
        "session": 1,
    }


def _insert_customer(connection: Connection) -> None:
    now = "2026-01-01 00:00:00+00:00"
    for statement in (
        "INSERT INTO account (id, code, is_active, company_name, discount_percent, payment_types,"
        " is_on_hold, on_hold_action, is_out_of_terms, out_of_terms_action, out_of_credit_action,"
        " balance, payment_terms_kind, user_created_for_account, source, created_at, updated_at)"
        " VALUES (1, 'KEEP', true, 'Keep Me', 0, '[]', false, 'NO_ACTION', false, 'NO_ACTION',"
        f" 'NO_ACTION', 0, 'NOT_SPECIFIED', false, 'ERP', '{now}', '{now}')",
        "INSERT INTO contact (id, name, is_enabled, created_at, updated_at)"
        f" VALUES (1, 'Kept', true, '{now}', '{now}')",
        "INSERT INTO worker (id, username, name, password_hash, role, is_active, created_at)"
        f" VALUES (1, 'rep', 'Rep', 'x', 'ADMIN', true, '{now}')",
        "INSERT INTO address (account_id, kind, name, line1, city, postcode, country, is_primary,"
        " source, created_at, updated_at) VALUES (1, 'BILLING', 'Keep', '1 St', 'Sydney',"
        f" '2000', 'AU', true, 'ERP', '{now}', '{now}')",
        "INSERT INTO account_membership (contact_id, account_id, role, may_select_ship_to,"
        " may_enter_manual_ship_to, is_default, is_active, allow_future_orders,"
        " hold_orders_created, approve_assigned, approve_all, email_approver,"
        " restricted_products_apply, created_at, updated_at) VALUES (1, 1, 'SHOPPER', false,"
        f" false, true, true, false, false, false, false, false, false, '{now}', '{now}')",
        "INSERT INTO session (token_hash, worker_id, created_at, expires_at)"
        f" VALUES ('h', 1, '{now}', '{now}')",
    ):
        connection.execute(text(statement))
    connection.commit()


def _counts(connection: Connection) -> dict[str, int]:
    return {
        table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table in ("account", "address", "account_membership", "session")
    }


def test_the_web_account_sequence_starts_at_the_first_web_account_number() -> None:
    """Migrations are frozen history, so 0004 spells the first number again; the rule's
    constant (domain.registration) and the sequence PostgreSQL numbers from must agree."""
    from domain.registration import FIRST_WEB_ACCOUNT_NUMBER

    revision = importlib.import_module("migrations.versions.0004_registration_credentials_mail")
    assert revision.WEB_ACCOUNT_NUMBERS.start == FIRST_WEB_ACCOUNT_NUMBER


def test_a_migrated_database_saves_searches_of_every_grid(empty_database_url: str) -> None:
    # given a database migrated from empty (0018's SQLite rebuild once kept the two-grid CHECK
    # on some hash seeds; 0022 sets it the same way every time)
    command.upgrade(alembic_config(empty_database_url), "head")

    # when a worker's search of each grid is stored
    def store_each_grid(connection: Connection) -> None:
        worker_id = connection.execute(
            text(
                "INSERT INTO worker (username, name, email, role, password_hash, is_active,"
                " created_at) VALUES ('w', 'W', 'w@example.com', 'ADMIN', 'x', true,"
                " CURRENT_TIMESTAMP) RETURNING id"
            )
        ).scalar_one()
        for grid in SavedSearchGrid:
            connection.execute(
                text(
                    "INSERT INTO saved_search (worker_id, grid, name, filters, created_at)"
                    " VALUES (:worker, :grid, :grid, '{}', CURRENT_TIMESTAMP)"
                ),
                {"worker": worker_id, "grid": grid.value},
            )
        connection.commit()

    _inspect(empty_database_url, store_each_grid)

    # then every grid is stored
    stored = _inspect(
        empty_database_url,
        lambda connection: (
            connection.execute(text("SELECT grid FROM saved_search")).scalars().all()
        ),
    )
    assert sorted(stored) == sorted(grid.value for grid in SavedSearchGrid)


def test_sqlite_gets_the_models_search_tables_filled_with_the_rows_there_are(
    empty_database_url: str, tmp_path: Any
) -> None:
    if not empty_database_url.startswith("sqlite"):
        pytest.skip("search tables are SQLite's (PostgreSQL has trigram indexes, 0012)")
    config = alembic_config(empty_database_url)
    # given a database of revision 0026 with an account and a product
    command.upgrade(config, "0026")
    _inspect(empty_database_url, _insert_account_and_product)

    # when it is upgraded, and a database is built from the models
    command.upgrade(config, "head")
    migrated = _inspect(empty_database_url, _search_objects)
    models_url = f"sqlite+aiosqlite:///{tmp_path}/models.db"
    _inspect(models_url, _build_models)

    # then it has the models' search tables and triggers, and they hold the rows it had
    assert migrated == _inspect(models_url, _search_objects)
    assert {name for kind, name, _ in migrated if kind == "trigger"} == {
        f"{table}_search_{event}"
        for table in ("account", "address", "product")
        for event in ("insert", "update", "delete")
    }
    assert _inspect(empty_database_url, _found) == (["C000042"], ["SKU-42"])

    # and downgrading takes them all away
    command.downgrade(config, "0026")
    assert _inspect(empty_database_url, _search_objects) == []


def _build_models(connection: Connection) -> None:
    SQLModel.metadata.create_all(connection)
    connection.commit()


def _insert_account_and_product(connection: Connection) -> None:
    for statement in (
        "INSERT INTO account (code, is_active, company_name, email, discount_percent,"
        " payment_types, is_on_hold, on_hold_action, is_out_of_terms, out_of_terms_action,"
        " out_of_credit_action, balance, payment_terms_kind, user_created_for_account, source,"
        " customer_groups, awaiting_approval, awaiting_erp_export, created_at, updated_at)"
        " VALUES ('C000042', true, 'Kept Traders', 'Orders@Kept.example', 0, '[]', false,"
        " 'NO_ACTION', false, 'NO_ACTION', 'NO_ACTION', 0, 'NOT_SPECIFIED', false, 'ERP', '[]',"
        " false, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        "INSERT INTO product (sku, name, unit, is_active, created_at, updated_at)"
        " VALUES ('SKU-42', 'Kept Widget', 'EA', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    ):
        connection.execute(text(statement))
    connection.commit()


def _found(connection: Connection) -> tuple[list[str], list[str]]:
    accounts = select(col(Account.code)).where(contains("ORDERS@kept", Account.email))
    products = select(col(Product.sku)).where(contains("t widg", Product.sku, Product.name))
    return (
        list(connection.execute(accounts).scalars()),
        list(connection.execute(products).scalars()),
    )
