"""quotes: requests, priced quotes, their history, and the orders and exports they lead to

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 15:56:19.735626
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXPORT_KINDS = ("ACCOUNT", "ORDER", "PAYMENT")


def _in(column: str, values: tuple[str, ...]) -> str:
    """The CHECK of an enum column (models.types.enum_type) allowing `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "quote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("cart_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "REQUESTED",
                "SENT",
                "ACCEPTED",
                "REJECTED",
                "RENEGOTIATION",
                "ORDERED",
                "WITHDRAWN",
                "EXPIRED",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("discount_percent", models.types.Percent(precision=5, scale=2), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("request_note", sa.Text(), nullable=True),
        sa.Column("seller_note", sa.Text(), nullable=True),
        sa.Column("order_cart_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "discount_percent >= 0 AND discount_percent <= 100",
            name="ck_quote_discount_percent_range",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_quote_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cart_id"], ["cart.id"], name=op.f("fk_quote_cart_id_cart"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_quote_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_cart_id"],
            ["cart.id"],
            name=op.f("fk_quote_order_cart_id_cart"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_quote_order_id_order"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote")),
        sa.UniqueConstraint("order_cart_id", name=op.f("uq_quote_order_cart_id")),
        sa.UniqueConstraint("order_id", name=op.f("uq_quote_order_id")),
    )
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.create_index("ix_quote_account_id_status", ["account_id", "status"], unique=False)
        batch_op.create_index("ix_quote_contact_id", ["contact_id"], unique=False)

    op.create_table(
        "quote_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "REQUEST",
                "PRICE",
                "ACCEPT",
                "REJECT",
                "RENEGOTIATE",
                "WITHDRAW",
                "ORDER",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "from_status",
            sa.Enum(
                "REQUESTED",
                "SENT",
                "ACCEPTED",
                "REJECTED",
                "RENEGOTIATION",
                "ORDERED",
                "WITHDRAWN",
                "EXPIRED",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "REQUESTED",
                "SENT",
                "ACCEPTED",
                "REJECTED",
                "RENEGOTIATION",
                "ORDERED",
                "WITHDRAWN",
                "EXPIRED",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_quote_event_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quote.id"],
            name=op.f("fk_quote_event_quote_id_quote"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_quote_event_worker_id_worker"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_event")),
    )
    with op.batch_alter_table("quote_event", schema=None) as batch_op:
        batch_op.create_index("ix_quote_event_quote_id", ["quote_id"], unique=False)

    op.create_table(
        "quote_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column(
            "requested_unit_price", models.types.Money(precision=14, scale=2), nullable=False
        ),
        sa.Column("quoted_unit_price", models.types.Money(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name="ck_quote_line_quantity_positive"),
        sa.CheckConstraint("quoted_unit_price >= 0", name="ck_quote_line_quoted_unit_price"),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_quote_line_product_id_product"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quote.id"],
            name=op.f("fk_quote_line_quote_id_quote"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_line")),
    )
    with op.batch_alter_table("quote_line", schema=None) as batch_op:
        batch_op.create_index("ix_quote_line_quote_id", ["quote_id"], unique=False)

    with op.batch_alter_table("checkout_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quote_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_checkout_attempt_quote_id_quote"),
            "quote",
            ["quote_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("erp_export", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quote_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_erp_export_quote_id_quote"),
            "quote",
            ["quote_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_constraint("ck_erp_export_kind", type_="check")
        batch_op.create_check_constraint(
            "ck_erp_export_kind", _in("kind", (*EXPORT_KINDS, "QUOTE"))
        )

    # A RUNNING_QUOTE checkout now requests a quote instead of flagging an order (seed 003).
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_column("is_quote")


def downgrade() -> None:
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_quote", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    op.execute("DELETE FROM erp_export WHERE kind = 'QUOTE'")
    with op.batch_alter_table("erp_export", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_erp_export_quote_id_quote"), type_="foreignkey")
        batch_op.drop_column("quote_id")
        batch_op.drop_constraint("ck_erp_export_kind", type_="check")
        batch_op.create_check_constraint("ck_erp_export_kind", _in("kind", EXPORT_KINDS))

    with op.batch_alter_table("checkout_attempt", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_checkout_attempt_quote_id_quote"), type_="foreignkey"
        )
        batch_op.drop_column("quote_id")

    with op.batch_alter_table("quote_line", schema=None) as batch_op:
        batch_op.drop_index("ix_quote_line_quote_id")

    op.drop_table("quote_line")
    with op.batch_alter_table("quote_event", schema=None) as batch_op:
        batch_op.drop_index("ix_quote_event_quote_id")

    op.drop_table("quote_event")
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_index("ix_quote_contact_id")
        batch_op.drop_index("ix_quote_account_id_status")

    op.drop_table("quote")
