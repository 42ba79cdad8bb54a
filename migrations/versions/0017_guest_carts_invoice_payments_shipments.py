"""guest carts, invoice payments, shipments, order release

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 13:40:19.490619
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENQUIRY_KINDS = ("TRANSACTION", "SALES_ORDER", "BACK_ORDER", "PAYMENT", "CREDIT")
EXPORT_KINDS = ("ACCOUNT", "ORDER")
ONE_OWNER = "(contact_id IS NULL) != (worker_id IS NULL)"
GUEST_OWNER = (
    f"({ONE_OWNER}) OR (contact_id IS NULL AND worker_id IS NULL AND guest_token_hash IS NOT NULL)"
)


def _in(column: str, values: tuple[str, ...]) -> str:
    """The CHECK of an enum column (models.types.enum_type) allowing `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "invoice_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("paid_by_contact_id", sa.Integer(), nullable=True),
        sa.Column("paid_by_worker_id", sa.Integer(), nullable=True),
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
        sa.Column("amount", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("principal", sa.String(length=40), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("erp_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name="ck_invoice_payment_amount_positive"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_invoice_payment_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_contact_id"],
            ["contact.id"],
            name=op.f("fk_invoice_payment_paid_by_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_worker_id"],
            ["worker.id"],
            name=op.f("fk_invoice_payment_paid_by_worker_id_worker"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_payment")),
        sa.UniqueConstraint("principal", "idempotency_key", name="uq_invoice_payment_key"),
    )
    with op.batch_alter_table("invoice_payment", schema=None) as batch_op:
        batch_op.create_index("ix_invoice_payment_account_id", ["account_id"], unique=False)

    op.create_table(
        "invoice_payment_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount", models.types.Money(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("amount > 0", name="ck_invoice_payment_line_amount_positive"),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoice.id"],
            name=op.f("fk_invoice_payment_line_invoice_id_invoice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["invoice_payment.id"],
            name=op.f("fk_invoice_payment_line_payment_id_invoice_payment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_payment_line")),
        sa.UniqueConstraint("payment_id", "invoice_id", name="uq_invoice_payment_line_invoice"),
    )
    with op.batch_alter_table("invoice_payment_line", schema=None) as batch_op:
        batch_op.create_index("ix_invoice_payment_line_invoice_id", ["invoice_id"], unique=False)

    # A guest's cart has neither a contact nor a worker until it is checked out.
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_cart_guest_token_hash"), ["guest_token_hash"]
        )
        batch_op.drop_constraint("ck_cart_one_owner", type_="check")
        batch_op.create_check_constraint("ck_cart_one_owner", GUEST_OWNER)

    with op.batch_alter_table("enquiry_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("carrier", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("tracking_number", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_enquiry_record_order_id"), ["order_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_enquiry_record_order_id_order"),
            "order",
            ["order_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint("ck_enquiry_record_kind", type_="check")
        batch_op.create_check_constraint(
            "ck_enquiry_record_kind", _in("kind", (*ENQUIRY_KINDS, "SHIPMENT"))
        )

    with op.batch_alter_table("erp_export", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invoice_payment_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_erp_export_invoice_payment_id_invoice_payment"),
            "invoice_payment",
            ["invoice_payment_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_constraint("ck_erp_export_kind", type_="check")
        batch_op.create_check_constraint(
            "ck_erp_export_kind", _in("kind", (*EXPORT_KINDS, "PAYMENT"))
        )

    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("released_at", models.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("released_by_worker_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_order_released_by_worker_id_worker"),
            "worker",
            ["released_by_worker_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_order_released_by_worker_id_worker"), type_="foreignkey"
        )
        batch_op.drop_column("released_by_worker_id")
        batch_op.drop_column("released_at")

    op.execute("DELETE FROM erp_export WHERE kind = 'PAYMENT'")
    with op.batch_alter_table("erp_export", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_erp_export_invoice_payment_id_invoice_payment"), type_="foreignkey"
        )
        batch_op.drop_column("invoice_payment_id")
        batch_op.drop_constraint("ck_erp_export_kind", type_="check")
        batch_op.create_check_constraint("ck_erp_export_kind", _in("kind", EXPORT_KINDS))

    op.execute("DELETE FROM enquiry_record WHERE kind = 'SHIPMENT'")
    with op.batch_alter_table("enquiry_record", schema=None) as batch_op:
        batch_op.drop_constraint("ck_enquiry_record_kind", type_="check")
        batch_op.create_check_constraint("ck_enquiry_record_kind", _in("kind", ENQUIRY_KINDS))
        batch_op.drop_constraint(batch_op.f("fk_enquiry_record_order_id_order"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_enquiry_record_order_id"))
        batch_op.drop_column("tracking_number")
        batch_op.drop_column("carrier")
        batch_op.drop_column("order_id")

    op.execute("DELETE FROM cart WHERE contact_id IS NULL AND worker_id IS NULL")
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_constraint("ck_cart_one_owner", type_="check")
        batch_op.create_check_constraint("ck_cart_one_owner", ONE_OWNER)
        batch_op.drop_constraint(batch_op.f("uq_cart_guest_token_hash"), type_="unique")
        batch_op.drop_column("guest_token_hash")

    with op.batch_alter_table("invoice_payment_line", schema=None) as batch_op:
        batch_op.drop_index("ix_invoice_payment_line_invoice_id")

    op.drop_table("invoice_payment_line")
    with op.batch_alter_table("invoice_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_invoice_payment_account_id")

    op.drop_table("invoice_payment")
