"""SQLite search tables: account and product search read an FTS5 trigram table, not every row

`lower(column) LIKE '%term%'` reads every row on SQLite (issue #17: account search 16 ms at
1,000 accounts, 419 ms at 100,000). Each searched table gets a contentless FTS5 table of its
searched columns, lowered and tokenised into trigrams, filled from the rows there are and kept
by triggers (`models.search_index` says why it finds what the LIKE finds). PostgreSQL has had
its trigram indexes since 0012 and gets nothing here.

A later migration that rebuilds `account`, `address` or `product` on SQLite (batch mode copies
and drops the table) drops these triggers with it and must run `_TRIGGERS` again.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04 01:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACCOUNT = "code, company_name, email, sales_rep_code, erp_key"
_ACCOUNT_NEW = (
    "new.id, lower(new.code), lower(new.company_name), lower(new.email),"
    " lower(new.sales_rep_code), lower(new.erp_key)"
)
_ACCOUNT_OLD = (
    "'delete', old.id, lower(old.code), lower(old.company_name), lower(old.email),"
    " lower(old.sales_rep_code), lower(old.erp_key)"
)
_INDEX_ACCOUNT = f"INSERT INTO account_search (rowid, {_ACCOUNT}) VALUES ({_ACCOUNT_NEW});"
_UNINDEX_ACCOUNT = (
    f"INSERT INTO account_search (account_search, rowid, {_ACCOUNT}) VALUES ({_ACCOUNT_OLD});"
)
_INDEX_ADDRESS = (
    "INSERT INTO address_search (rowid, postcode) VALUES (new.id, lower(new.postcode));"
)
_UNINDEX_ADDRESS = (
    "INSERT INTO address_search (address_search, rowid, postcode)"
    " VALUES ('delete', old.id, lower(old.postcode));"
)
_INDEX_PRODUCT = "INSERT INTO product_search (rowid, sku, name) VALUES (new.id, lower(new.sku), lower(new.name));"
_UNINDEX_PRODUCT = (
    "INSERT INTO product_search (product_search, rowid, sku, name)"
    " VALUES ('delete', old.id, lower(old.sku), lower(old.name));"
)

_TABLES = [
    f"CREATE VIRTUAL TABLE account_search USING fts5({_ACCOUNT},"
    " content='', tokenize='trigram case_sensitive 1')",
    f"INSERT INTO account_search (rowid, {_ACCOUNT}) SELECT id, lower(code), lower(company_name),"
    " lower(email), lower(sales_rep_code), lower(erp_key) FROM account",
    "CREATE VIRTUAL TABLE address_search USING fts5(postcode,"
    " content='', tokenize='trigram case_sensitive 1')",
    "INSERT INTO address_search (rowid, postcode) SELECT id, lower(postcode) FROM address",
    "CREATE VIRTUAL TABLE product_search USING fts5(sku, name,"
    " content='', tokenize='trigram case_sensitive 1')",
    "INSERT INTO product_search (rowid, sku, name) SELECT id, lower(sku), lower(name) FROM product",
]

_TRIGGERS = [
    f"CREATE TRIGGER account_search_insert AFTER INSERT ON account BEGIN {_INDEX_ACCOUNT} END",
    f"CREATE TRIGGER account_search_delete AFTER DELETE ON account BEGIN {_UNINDEX_ACCOUNT} END",
    f"CREATE TRIGGER account_search_update AFTER UPDATE OF {_ACCOUNT} ON account"
    f" BEGIN {_UNINDEX_ACCOUNT} {_INDEX_ACCOUNT} END",
    f"CREATE TRIGGER address_search_insert AFTER INSERT ON address BEGIN {_INDEX_ADDRESS} END",
    f"CREATE TRIGGER address_search_delete AFTER DELETE ON address BEGIN {_UNINDEX_ADDRESS} END",
    "CREATE TRIGGER address_search_update AFTER UPDATE OF postcode ON address"
    f" BEGIN {_UNINDEX_ADDRESS} {_INDEX_ADDRESS} END",
    f"CREATE TRIGGER product_search_insert AFTER INSERT ON product BEGIN {_INDEX_PRODUCT} END",
    f"CREATE TRIGGER product_search_delete AFTER DELETE ON product BEGIN {_UNINDEX_PRODUCT} END",
    "CREATE TRIGGER product_search_update AFTER UPDATE OF sku, name ON product"
    f" BEGIN {_UNINDEX_PRODUCT} {_INDEX_PRODUCT} END",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in [*_TABLES, *_TRIGGERS]:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in ("account", "address", "product"):
        for kind in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {table}_search_{kind}")
        op.execute(f"DROP TABLE {table}_search")
