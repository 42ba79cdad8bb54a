"""wallet owners

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 13:52:05.481833
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A saved card belongs to its contact at its account (or, saved by a worker, to the
    # account's workers): its token is unique per owner, not across the platform, where
    # "already saved" told one account about another's cards. A contact's cards now go with it.
    with op.batch_alter_table("credit_card", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_credit_card_token"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_credit_card_owner_token", ["account_id", "contact_id", "token"]
        )
        batch_op.create_index(
            "uq_credit_card_account_token_of_workers",
            ["account_id", "token"],
            unique=True,
            sqlite_where=sa.text("contact_id IS NULL"),
            postgresql_where=sa.text("contact_id IS NULL"),
        )
        batch_op.drop_constraint(
            batch_op.f("fk_credit_card_contact_id_contact"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_credit_card_contact_id_contact"),
            "contact",
            ["contact_id"],
            ["id"],
            ondelete="CASCADE",
        )

    # Who added a shipping account may change it; existing ones have no such contact, so only
    # the account's managers change them.
    with op.batch_alter_table("shipping_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_contact_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_shipping_account_created_by_contact_id_contact"),
            "contact",
            ["created_by_contact_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("shipping_account", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_shipping_account_created_by_contact_id_contact"), type_="foreignkey"
        )
        batch_op.drop_column("created_by_contact_id")

    # A token saved by two owners must be removed from one of them before this runs.
    with op.batch_alter_table("credit_card", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_credit_card_contact_id_contact"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_credit_card_contact_id_contact"),
            "contact",
            ["contact_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_index(
            "uq_credit_card_account_token_of_workers",
            sqlite_where=sa.text("contact_id IS NULL"),
            postgresql_where=sa.text("contact_id IS NULL"),
        )
        batch_op.drop_constraint("uq_credit_card_owner_token", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_credit_card_token"), ["token"])
