"""password change attempts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "LOGIN",
    "ACCOUNT_VERIFICATION",
    "PASSWORD_RESET_REQUEST",
    "PASSWORD_RESET",
    "USERNAME_REMINDER",
)


def _allow_kinds(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("credential_request", schema=None) as batch_op:
        batch_op.drop_constraint("ck_credential_request_kind", type_="check")
        batch_op.create_check_constraint(
            op.f("ck_credential_request_kind"), sa.column("kind").in_(kinds)
        )


def upgrade() -> None:
    # `changePassword` checks the current password, so its attempts are logged and limited
    # like logins, under a kind of their own.
    _allow_kinds((*KINDS, "PASSWORD_CHANGE"))


def downgrade() -> None:
    op.execute("DELETE FROM credential_request WHERE kind = 'PASSWORD_CHANGE'")
    _allow_kinds(KINDS)
