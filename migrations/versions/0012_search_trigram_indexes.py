"""search trigram indexes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns free-text search looks in (`resolvers.search`): a GIN trigram index each lets
# `ILIKE '%term%'` read the rows holding the term instead of every row. PostgreSQL only.
TRIGRAM_COLUMNS = (
    ("product", "sku"),
    ("product", "name"),
    ("account", "code"),
    ("account", "company_name"),
    ("account", "email"),
    ("account", "sales_rep_code"),
    ("account", "erp_key"),
    ("address", "postcode"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # CONCURRENTLY: building an index on a large catalogue does not block its writers.
    with op.get_context().autocommit_block():
        for table, column in TRIGRAM_COLUMNS:
            op.create_index(
                f"ix_{table}_{column}_trgm",
                table,
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
                postgresql_concurrently=True,
                if_not_exists=True,
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in TRIGRAM_COLUMNS:
        op.drop_index(f"ix_{table}_{column}_trgm", table_name=table)
