"""account and contract pricing, SU23 restrictions, locations and stock

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-27 03:19:16.486991
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column(
            "source",
            sa.Enum("ERP", "WEB", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("starts_on <= expires_on", name="ck_contract_window"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("code", name=op.f("uq_contract_code")),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "surcharge_kind",
            sa.Enum(
                "NONE", "PERCENT", "FIXED", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("surcharge_value", models.types.Money(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("surcharge_value >= 0", name="ck_location_surcharge_not_negative"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
        sa.UniqueConstraint("code", name=op.f("uq_location_code")),
    )
    op.create_table(
        "account_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_location_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_account_location_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_location")),
        sa.UniqueConstraint("account_id", "location_id", name="uq_account_location_pair"),
    )
    with op.batch_alter_table("account_location", schema=None) as batch_op:
        batch_op.create_index(
            "uq_account_location_one_primary",
            ["account_id"],
            unique=True,
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )

    op.create_table(
        "account_product_price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("min_quantity", sa.Integer(), nullable=False),
        sa.Column("price", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("is_forced", sa.Boolean(), nullable=False),
        sa.Column(
            "source",
            sa.Enum("ERP", "WEB", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("min_quantity >= 1", name="ck_account_product_price_min_quantity"),
        sa.CheckConstraint("price >= 0", name="ck_account_product_price_not_negative"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_product_price_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_account_product_price_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_product_price")),
        sa.UniqueConstraint(
            "account_id", "product_id", "min_quantity", name="uq_account_product_price_tier"
        ),
    )
    with op.batch_alter_table("account_product_price", schema=None) as batch_op:
        batch_op.create_index("ix_account_product_price_product_id", ["product_id"], unique=False)

    op.create_table(
        "contract_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_contract_account_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_account_contract_id_contract"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_account")),
        sa.UniqueConstraint("contract_id", "account_id", name="uq_contract_account_pair"),
    )
    with op.batch_alter_table("contract_account", schema=None) as batch_op:
        batch_op.create_index("ix_contract_account_account_id", ["account_id"], unique=False)

    op.create_table(
        "contract_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("price", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("is_forced", sa.Boolean(), nullable=False),
        sa.CheckConstraint("price >= 0", name="ck_contract_product_not_negative"),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_product_contract_id_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_contract_product_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_product")),
        sa.UniqueConstraint("contract_id", "product_id", name="uq_contract_product_pair"),
    )
    with op.batch_alter_table("contract_product", schema=None) as batch_op:
        batch_op.create_index("ix_contract_product_product_id", ["product_id"], unique=False)

    op.create_table(
        "product_restriction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_product_restriction_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_product_restriction_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_restriction")),
        sa.UniqueConstraint("account_id", "product_id", name="uq_product_restriction_pair"),
    )
    op.create_table(
        "product_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_product_stock_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_product_stock_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_stock")),
        sa.UniqueConstraint("product_id", "location_id", name="uq_product_stock_pair"),
    )
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "can_manage_contracts", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_column("can_manage_contracts")

    op.drop_table("product_stock")
    op.drop_table("product_restriction")
    with op.batch_alter_table("contract_product", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_product_product_id")

    op.drop_table("contract_product")
    with op.batch_alter_table("contract_account", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_account_account_id")

    op.drop_table("contract_account")
    with op.batch_alter_table("account_product_price", schema=None) as batch_op:
        batch_op.drop_index("ix_account_product_price_product_id")

    op.drop_table("account_product_price")
    with op.batch_alter_table("account_location", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_account_location_one_primary",
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )

    op.drop_table("account_location")
    op.drop_table("location")
    op.drop_table("contract")
