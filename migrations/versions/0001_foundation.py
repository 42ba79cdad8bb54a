"""foundation: accounts, contacts, memberships, addresses, sessions, api keys

Revision ID: 0001
Revises:
Create Date: 2026-11-27 03:09:57.269285
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("erp_key", sa.String(length=64), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=False),
        sa.Column("tax_number", sa.String(length=32), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("sales_rep_code", sa.String(length=32), nullable=True),
        sa.Column("price_level", sa.String(length=16), nullable=True),
        sa.Column("discount_percent", models.types.Percent(precision=5, scale=2), nullable=False),
        sa.Column("payment_types", sa.JSON(), nullable=False),
        sa.Column("last_synced_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("is_on_hold", sa.Boolean(), nullable=False),
        sa.Column(
            "on_hold_action",
            sa.Enum(
                "NO_ACTION",
                "BLOCK",
                "WARN",
                "WARN_CREDIT_CARD_ONLY",
                name="ck_account_on_hold_action",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("is_out_of_terms", sa.Boolean(), nullable=False),
        sa.Column(
            "out_of_terms_action",
            sa.Enum(
                "NO_ACTION",
                "BLOCK",
                "WARN",
                "WARN_CREDIT_CARD_ONLY",
                name="ck_account_out_of_terms_action",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "out_of_credit_action",
            sa.Enum(
                "NO_ACTION",
                "BLOCK",
                "WARN",
                "WARN_CREDIT_CARD_ONLY",
                name="ck_account_out_of_credit_action",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("balance", models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("balance_limit", models.types.Money(precision=14, scale=2), nullable=True),
        sa.Column(
            "payment_terms_kind",
            sa.Enum(
                "NOT_SPECIFIED",
                "GIVEN_NUMBER_OF_DAYS",
                "DAY_OF_THE_MONTH",
                "DAYS_AFTER_END_OF_MONTH",
                "DAY_OF_THE_MONTH_AFTER_THE_MONTH",
                "CASH_ON_DELIVERY",
                name="ck_account_payment_terms_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("payment_terms_value", sa.Integer(), nullable=True),
        sa.Column("account_class", sa.String(length=64), nullable=True),
        sa.Column("territory", sa.String(length=64), nullable=True),
        sa.Column("shipping_method", sa.String(length=64), nullable=True),
        sa.Column("user_created_for_account", sa.Boolean(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "ERP",
                "WEB",
                name="ck_account_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "discount_percent >= 0 AND discount_percent <= 100",
            name=op.f("ck_account_discount_percent_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("code", name=op.f("uq_account_code")),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index("ix_account_company_name", ["company_name"], unique=False)
        batch_op.create_index("ix_account_erp_key", ["erp_key"], unique=False)
        batch_op.create_index("ix_account_sales_rep_code", ["sales_rep_code"], unique=False)

    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_api_key_secret_hash")),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column("username", sa.String(length=150), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("erp_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("username", name=op.f("uq_contact_username")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_email", ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_erp_key"), ["erp_key"], unique=False)
        batch_op.create_index("ix_contact_name", ["name"], unique=False)

    op.create_table(
        "worker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=150), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "ADMIN",
                "CUSTOMER_SERVICE",
                "SALES_REP",
                name="ck_worker_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rep_code", sa.String(length=32), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role != 'SALES_REP' OR rep_code IS NOT NULL", name="ck_worker_sales_rep_has_code"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker")),
        sa.UniqueConstraint("username", name=op.f("uq_worker_username")),
    )
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worker_rep_code"), ["rep_code"], unique=False)

    op.create_table(
        "address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "BILLING",
                "SHIPPING",
                name="ck_address_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("line1", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "ERP",
                "WEB",
                name="ck_address_source",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("erp_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_address_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address")),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index("ix_address_account_id", ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_address_erp_key"), ["erp_key"], unique=False)
        batch_op.create_index("ix_address_postcode", ["postcode"], unique=False)
        batch_op.create_index(
            "uq_address_one_primary_per_account",
            ["account_id"],
            unique=True,
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )

    op.create_table(
        "session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("active_account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(contact_id IS NULL) != (worker_id IS NULL)", name="ck_session_one_principal"
        ),
        sa.ForeignKeyConstraint(
            ["active_account_id"],
            ["account.id"],
            name=op.f("fk_session_active_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_session_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["worker.id"],
            name=op.f("fk_session_worker_id_worker"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_session_token_hash")),
    )
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_active_account_id"), ["active_account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_session_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "account_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "SHOPPER",
                "APPROVER",
                "ADMINISTRATOR",
                name="ck_account_membership_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("default_ship_to_id", sa.Integer(), nullable=True),
        sa.Column("may_select_ship_to", sa.Boolean(), nullable=False),
        sa.Column("may_enter_manual_ship_to", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("allow_future_orders", sa.Boolean(), nullable=False),
        sa.Column("hold_orders_created", sa.Boolean(), nullable=False),
        sa.Column("approve_assigned", sa.Boolean(), nullable=False),
        sa.Column("approve_all", sa.Boolean(), nullable=False),
        sa.Column("email_approver", sa.Boolean(), nullable=False),
        sa.Column("restricted_products_apply", sa.Boolean(), nullable=False),
        sa.Column("cart_approver_id", sa.Integer(), nullable=True),
        sa.Column(
            "no_approval_below_value", models.types.Money(precision=14, scale=2), nullable=True
        ),
        sa.Column(
            "maximum_approval_value", models.types.Money(precision=14, scale=2), nullable=True
        ),
        sa.Column("restricted_favourites_list_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_membership_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cart_approver_id"],
            ["contact.id"],
            name=op.f("fk_account_membership_cart_approver_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_account_membership_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["default_ship_to_id"],
            ["address.id"],
            name=op.f("fk_account_membership_default_ship_to_id_address"),
            ondelete="SET NULL",
        ),
        sa.CheckConstraint(
            "(no_approval_below_value IS NULL OR no_approval_below_value BETWEEN 0 AND 999999.99) AND (maximum_approval_value IS NULL OR maximum_approval_value BETWEEN 0 AND 999999.99)",
            name=op.f("ck_account_membership_approval_values"),
        ),
        sa.CheckConstraint(
            "cart_approver_id != contact_id", name=op.f("ck_account_membership_not_own_approver")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_membership")),
        sa.UniqueConstraint("contact_id", "account_id", name="uq_membership_contact_account"),
    )
    with op.batch_alter_table("account_membership", schema=None) as batch_op:
        batch_op.create_index("ix_membership_account_id", ["account_id"], unique=False)
        batch_op.create_index("ix_membership_cart_approver_id", ["cart_approver_id"], unique=False)
        batch_op.create_index(
            "uq_membership_one_default_per_contact",
            ["contact_id"],
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        )


def downgrade() -> None:
    with op.batch_alter_table("account_membership", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_membership_one_default_per_contact",
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        )
        batch_op.drop_index("ix_membership_cart_approver_id")
        batch_op.drop_index("ix_membership_account_id")

    op.drop_table("account_membership")
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_worker_id"))
        batch_op.drop_index(batch_op.f("ix_session_contact_id"))
        batch_op.drop_index(batch_op.f("ix_session_active_account_id"))

    op.drop_table("session")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_address_one_primary_per_account",
            sqlite_where=sa.text("is_primary"),
            postgresql_where=sa.text("is_primary"),
        )
        batch_op.drop_index("ix_address_postcode")
        batch_op.drop_index(batch_op.f("ix_address_erp_key"))
        batch_op.drop_index("ix_address_account_id")

    op.drop_table("address")
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_rep_code"))

    op.drop_table("worker")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_name")
        batch_op.drop_index(batch_op.f("ix_contact_erp_key"))
        batch_op.drop_index("ix_contact_email")

    op.drop_table("contact")
    op.drop_table("api_key")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index("ix_account_sales_rep_code")
        batch_op.drop_index("ix_account_erp_key")
        batch_op.drop_index("ix_account_company_name")

    op.drop_table("account")
