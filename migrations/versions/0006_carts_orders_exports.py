"""Carts, cart lines and history, cost centres, orders, idempotency keys and the ERP export queue

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-27 03:19:21.394164
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cost_centre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_cost_centre_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_centre")),
        sa.UniqueConstraint("account_id", "code", name="uq_cost_centre_account_code"),
    )
    op.create_table(
        "cart",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN",
                "PENDING_APPROVAL",
                "CHECKED_OUT",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("ship_to_address_id", sa.Integer(), nullable=True),
        sa.Column("manual_ship_to", sa.JSON(), nullable=True),
        sa.Column("po_number", sa.String(length=64), nullable=True),
        sa.Column("cost_centre", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("date_required", sa.Date(), nullable=True),
        sa.Column("total", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column(
            "payment_type",
            sa.Enum(
                "ON_ACCOUNT",
                "CREDIT_CARD",
                "PAYPAL",
                "DIRECT_DEPOSIT",
                "RUNNING_QUOTE",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("payment_reference", sa.String(length=200), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(contact_id IS NULL) != (worker_id IS NULL)", name="ck_cart_one_owner"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_cart_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_cart_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ship_to_address_id"],
            ["address.id"],
            name=op.f("fk_cart_ship_to_address_id_address"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_cart_worker_id_worker"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart")),
    )
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.create_index("ix_cart_account_id_status", ["account_id", "status"], unique=False)
        batch_op.create_index("ix_cart_contact_id", ["contact_id"], unique=False)
        batch_op.create_index("ix_cart_worker_id", ["worker_id"], unique=False)

    op.create_table(
        "cart_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cart_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("line_total", models.types.Money(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name="ck_cart_line_quantity_positive"),
        sa.ForeignKeyConstraint(
            ["cart_id"], ["cart.id"], name=op.f("fk_cart_line_cart_id_cart"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_cart_line_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart_line")),
        sa.UniqueConstraint("cart_id", "product_id", name="uq_cart_line_cart_product"),
    )
    op.create_table(
        "order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("cart_id", sa.Integer(), nullable=False),
        sa.Column("created_by_contact_id", sa.Integer(), nullable=True),
        sa.Column("created_by_worker_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_contact_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("PLACED", "ON_HOLD", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("is_quote", sa.Boolean(), nullable=False),
        sa.Column(
            "payment_type",
            sa.Enum(
                "ON_ACCOUNT",
                "CREDIT_CARD",
                "PAYPAL",
                "DIRECT_DEPOSIT",
                "RUNNING_QUOTE",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("payment_reference", sa.String(length=200), nullable=True),
        sa.Column(
            "payment_terms_kind",
            sa.Enum(
                "NOT_SPECIFIED",
                "GIVEN_NUMBER_OF_DAYS",
                "DAY_OF_THE_MONTH",
                "DAYS_AFTER_END_OF_MONTH",
                "DAY_OF_THE_MONTH_AFTER_THE_MONTH",
                "CASH_ON_DELIVERY",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("payment_terms_value", sa.Integer(), nullable=True),
        sa.Column("po_number", sa.String(length=64), nullable=True),
        sa.Column("cost_centre", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("date_required", sa.Date(), nullable=True),
        sa.Column("ship_to", sa.JSON(), nullable=True),
        sa.Column("total", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("erp_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(created_by_contact_id IS NULL) != (created_by_worker_id IS NULL)",
            name="ck_order_one_creator",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_order_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_contact_id"],
            ["contact.id"],
            name=op.f("fk_order_approved_by_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cart_id"], ["cart.id"], name=op.f("fk_order_cart_id_cart"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_contact_id"],
            ["contact.id"],
            name=op.f("fk_order_created_by_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_worker_id"],
            ["worker.id"],
            name=op.f("fk_order_created_by_worker_id_worker"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order")),
        sa.UniqueConstraint("cart_id", name=op.f("uq_order_cart_id")),
    )
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.create_index("ix_order_account_id", ["account_id"], unique=False)
        batch_op.create_index(
            "ix_order_created_by_contact_id", ["created_by_contact_id"], unique=False
        )
        batch_op.create_index(
            "ix_order_created_by_worker_id", ["created_by_worker_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_order_erp_key"), ["erp_key"], unique=False)

    op.create_table(
        "cart_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cart_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "CREATED",
                "SUBMITTED_FOR_APPROVAL",
                "APPROVED",
                "REJECTED",
                "CHECKED_OUT",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cart_id"], ["cart.id"], name=op.f("fk_cart_event_cart_id_cart"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_cart_event_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
            name=op.f("fk_cart_event_order_id_order"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_cart_event_worker_id_worker"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart_event")),
    )
    with op.batch_alter_table("cart_event", schema=None) as batch_op:
        batch_op.create_index("ix_cart_event_cart_id", ["cart_id"], unique=False)

    op.create_table(
        "checkout_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal", sa.String(length=40), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("cart_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cart_id"],
            ["cart.id"],
            name=op.f("fk_checkout_attempt_cart_id_cart"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
            name=op.f("fk_checkout_attempt_order_id_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkout_attempt")),
        sa.UniqueConstraint("principal", "idempotency_key", name="uq_checkout_attempt_key"),
    )
    op.create_table(
        "erp_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("ACCOUNT", "ORDER", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("erp_key", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_erp_export_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
            name=op.f("fk_erp_export_order_id_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erp_export")),
    )
    with op.batch_alter_table("erp_export", schema=None) as batch_op:
        batch_op.create_index("ix_erp_export_account_id_kind", ["account_id", "kind"], unique=False)
        batch_op.create_index(
            "ix_erp_export_pending",
            ["id"],
            unique=False,
            sqlite_where=sa.text("acknowledged_at IS NULL"),
            postgresql_where=sa.text("acknowledged_at IS NULL"),
        )

    op.create_table(
        "order_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("line_total", models.types.Money(precision=14, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
            name=op.f("fk_order_line_order_id_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_order_line_product_id_product"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_line")),
    )
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.create_index("ix_order_line_order_id", ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.drop_index("ix_order_line_order_id")

    op.drop_table("order_line")
    with op.batch_alter_table("erp_export", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_erp_export_pending",
            sqlite_where=sa.text("acknowledged_at IS NULL"),
            postgresql_where=sa.text("acknowledged_at IS NULL"),
        )
        batch_op.drop_index("ix_erp_export_account_id_kind")

    op.drop_table("erp_export")
    op.drop_table("checkout_attempt")
    with op.batch_alter_table("cart_event", schema=None) as batch_op:
        batch_op.drop_index("ix_cart_event_cart_id")

    op.drop_table("cart_event")
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_erp_key"))
        batch_op.drop_index("ix_order_created_by_worker_id")
        batch_op.drop_index("ix_order_created_by_contact_id")
        batch_op.drop_index("ix_order_account_id")

    op.drop_table("order")
    op.drop_table("cart_line")
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_index("ix_cart_worker_id")
        batch_op.drop_index("ix_cart_contact_id")
        batch_op.drop_index("ix_cart_account_id_status")

    op.drop_table("cart")
    op.drop_table("cost_centre")
