"""The customer account: TOTECS "Account Details" plus where the record came from."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Column, Index, String, false, text
from sqlmodel import Field, SQLModel

from domain.enums import CreditAction, PaymentTermsKind, RecordSource
from models.types import Money, Percent, UTCDateTime, enum_type, trigram_index, utcnow


class Account(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (
        Index("ix_account_company_name", "company_name"),
        Index("ix_account_sales_rep_code", "sales_rep_code"),
        # The accounts grid's sort orders, read in order rather than sorted (issue #17).
        Index("ix_account_balance_id", "balance", "id"),
        Index("ix_account_created_at_id", "created_at", "id"),
        Index("ix_account_updated_at_id", "updated_at", "id"),
        # The ERP sync upserts by it: two syncs at once must not both create the account.
        Index("ix_account_erp_key", "erp_key", unique=True),
        CheckConstraint(
            "discount_percent >= 0 AND discount_percent <= 100",
            name="ck_account_discount_percent_range",
        ),
        # Every field the CRM search looks in (`resolvers.accounts`).
        *(
            trigram_index("account", column)
            for column in ("code", "company_name", "email", "sales_rep_code", "erp_key")
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(32), nullable=False, unique=True))
    erp_key: str | None = Field(default=None, max_length=64)
    is_active: bool = True
    company_name: str = Field(max_length=200)
    tax_number: str | None = Field(default=None, max_length=32)
    contact_name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    sales_rep_code: str | None = Field(default=None, max_length=32)
    price_level: str | None = Field(default=None, max_length=16)
    discount_percent: Decimal = Field(default=Decimal("0"), sa_type=Percent)
    # Payment type names (PaymentType), in the order the ERP gave them.
    payment_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    last_synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    is_on_hold: bool = False
    on_hold_action: CreditAction = Field(
        default=CreditAction.NO_ACTION, sa_type=enum_type(CreditAction)
    )
    is_out_of_terms: bool = False
    out_of_terms_action: CreditAction = Field(
        default=CreditAction.NO_ACTION, sa_type=enum_type(CreditAction)
    )
    out_of_credit_action: CreditAction = Field(
        default=CreditAction.NO_ACTION, sa_type=enum_type(CreditAction)
    )
    balance: Decimal = Field(default=Decimal("0"), sa_type=Money)
    balance_limit: Decimal | None = Field(default=None, sa_type=Money)
    payment_terms_kind: PaymentTermsKind = Field(
        default=PaymentTermsKind.NOT_SPECIFIED, sa_type=enum_type(PaymentTermsKind)
    )
    payment_terms_value: int | None = None
    account_class: str | None = Field(default=None, max_length=64)
    territory: str | None = Field(default=None, max_length=64)
    shipping_method: str | None = Field(default=None, max_length=64)
    user_created_for_account: bool = False
    source: RecordSource = Field(default=RecordSource.ERP, sa_type=enum_type(RecordSource))
    # Customer group names (seed 001: a default for accounts that visitors create).
    customer_groups: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default=text("'[]'")),
    )
    # Seed 001 workflow 2: created by a visitor, disabled until a worker enables it.
    awaiting_approval: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Seed 001: "These new accounts sync into your ERP when the first web order is placed".
    awaiting_erp_export: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
