"""registration: web account numbers, one-time tokens, request log, outbox, account flags

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 03:19:36.064280
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


WEB_ACCOUNT_NUMBERS = sa.Sequence("web_account_number_seq", start=1000)


def upgrade() -> None:
    # PostgreSQL numbers web accounts from a sequence; SQLite uses web_account_counter instead.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.schema.CreateSequence(WEB_ACCOUNT_NUMBERS))
    op.create_table(
        "credential_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "LOGIN",
                "ACCOUNT_VERIFICATION",
                "PASSWORD_RESET_REQUEST",
                "PASSWORD_RESET",
                "USERNAME_REMINDER",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("username_or_email", sa.String(length=254), nullable=True),
        sa.Column("account_code", sa.String(length=32), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "SUCCESS",
                "FAILURE",
                "RATE_LIMITED",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("cleared_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_request")),
    )
    with op.batch_alter_table("credential_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_credential_request_account_code_occurred_at",
            ["account_code", "occurred_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_credential_request_ip_address_occurred_at",
            ["ip_address", "occurred_at"],
            unique=False,
        )
        batch_op.create_index("ix_credential_request_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index(
            "ix_credential_request_username_or_email_occurred_at",
            ["username_or_email", "occurred_at"],
            unique=False,
        )

    op.create_table(
        "outbox_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=254), nullable=False),
        sa.Column("to", sa.JSON(), nullable=False),
        sa.Column("cc", sa.JSON(), nullable=False),
        sa.Column("bcc", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING", "SENT", "FAILED", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_email")),
    )
    with op.batch_alter_table("outbox_email", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_email_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "web_account_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_account_counter")),
    )
    op.create_table(
        "one_time_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "ACCOUNT_VERIFICATION",
                "PASSWORD_RESET",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_one_time_token_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_one_time_token_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_one_time_token_token_hash")),
    )
    with op.batch_alter_table("one_time_token", schema=None) as batch_op:
        batch_op.create_index("ix_one_time_token_contact_id", ["contact_id"], unique=False)

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("customer_groups", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("awaiting_approval", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "awaiting_erp_export", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("awaiting_erp_export")
        batch_op.drop_column("awaiting_approval")
        batch_op.drop_column("customer_groups")

    with op.batch_alter_table("one_time_token", schema=None) as batch_op:
        batch_op.drop_index("ix_one_time_token_contact_id")

    op.drop_table("one_time_token")
    op.drop_table("web_account_counter")
    with op.batch_alter_table("outbox_email", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_email_status_next_attempt_at")

    op.drop_table("outbox_email")
    with op.batch_alter_table("credential_request", schema=None) as batch_op:
        batch_op.drop_index("ix_credential_request_username_or_email_occurred_at")
        batch_op.drop_index("ix_credential_request_occurred_at")
        batch_op.drop_index("ix_credential_request_ip_address_occurred_at")
        batch_op.drop_index("ix_credential_request_account_code_occurred_at")

    op.drop_table("credential_request")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.schema.DropSequence(WEB_ACCOUNT_NUMBERS))
