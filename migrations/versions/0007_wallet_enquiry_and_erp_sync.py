"""wallet, account enquiry records and the favourites foreign key of memberships

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-27 03:16:52.019477
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(length=128), nullable=False),
        sa.Column("brand", sa.String(length=32), nullable=False),
        sa.Column("last4", sa.String(length=4), nullable=False),
        sa.Column("expiry_month", sa.Integer(), nullable=False),
        sa.Column("expiry_year", sa.Integer(), nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_credit_card_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_credit_card_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_card")),
        sa.UniqueConstraint("token", name=op.f("uq_credit_card_token")),
    )
    with op.batch_alter_table("credit_card", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_card_account_id"), ["account_id"], unique=False)

    op.create_table(
        "enquiry_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("erp_key", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "TRANSACTION",
                "SALES_ORDER",
                "BACK_ORDER",
                "PAYMENT",
                "CREDIT",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN",
                "PARTIAL",
                "CLOSED",
                "CANCELLED",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("outstanding", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_enquiry_record_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enquiry_record")),
        sa.UniqueConstraint("erp_key", name=op.f("uq_enquiry_record_erp_key")),
    )
    with op.batch_alter_table("enquiry_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_enquiry_record_account_kind_date",
            ["account_id", "kind", "document_date"],
            unique=False,
        )

    op.create_table(
        "favourites_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("owner_contact_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_favourites_list_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_contact_id"],
            ["contact.id"],
            name=op.f("fk_favourites_list_owner_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favourites_list")),
    )
    with op.batch_alter_table("favourites_list", schema=None) as batch_op:
        batch_op.create_index("ix_favourites_list_account_id", ["account_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_favourites_list_owner_contact_id"), ["owner_contact_id"], unique=False
        )

    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column(
            "grid",
            sa.Enum("ACCOUNTS", "CONTACTS", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_saved_search_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
    )
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saved_search_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "shipping_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("account_number", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_shipping_account_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_account")),
    )
    with op.batch_alter_table("shipping_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shipping_account_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "favourites_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("added_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["favourites_list.id"],
            name=op.f("fk_favourites_item_list_id_favourites_list"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_favourites_item_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favourites_item")),
        sa.UniqueConstraint("list_id", "product_id", name="uq_favourites_item_list_product"),
    )
    with op.batch_alter_table("favourites_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_favourites_item_product_id"), ["product_id"], unique=False
        )

    with op.batch_alter_table("account_membership", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_account_membership_restricted_favourites_list_id_favourites_list"),
            "favourites_list",
            ["restricted_favourites_list_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("account_membership", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_account_membership_restricted_favourites_list_id_favourites_list"),
            type_="foreignkey",
        )

    with op.batch_alter_table("favourites_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_favourites_item_product_id"))

    op.drop_table("favourites_item")
    with op.batch_alter_table("shipping_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipping_account_account_id"))

    op.drop_table("shipping_account")
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_search_contact_id"))

    op.drop_table("saved_search")
    with op.batch_alter_table("favourites_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_favourites_list_owner_contact_id"))
        batch_op.drop_index("ix_favourites_list_account_id")

    op.drop_table("favourites_list")
    with op.batch_alter_table("enquiry_record", schema=None) as batch_op:
        batch_op.drop_index("ix_enquiry_record_account_kind_date")

    op.drop_table("enquiry_record")
    with op.batch_alter_table("credit_card", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_card_account_id"))

    op.drop_table("credit_card")
