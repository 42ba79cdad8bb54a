"""Self-service registration as GraphQL objects: the Customer Data settings and what a verified
visitor is shown of the account."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from domain.enums import PaymentTermsKind, PaymentType
from domain.registration import FIRST_WEB_ACCOUNT_NUMBER
from domain.registration import CustomerDataSettings as CustomerDataModel


@strawberry.type(description="Settings workspace > Customer Data (seed 001).")
class CustomerDataSettings:
    allow_new_accounts: bool = strawberry.field(
        description="Show the 'create an account' link and accept `registerAccount`."
    )
    sign_in_link_text: str = strawberry.field(description="Text of that link on the sign-in form.")
    immediate_access: bool = strawberry.field(
        description="New accounts and contacts are active and logged in at once; otherwise they "
        "are created disabled and await a worker's approval."
    )
    default_payment_terms_kind: PaymentTermsKind
    default_payment_terms_value: int | None
    default_customer_groups: list[str]
    default_price_level: str | None
    default_sales_rep_code: str | None
    default_payment_types: list[PaymentType] = strawberry.field(
        description="The payment types of a new account (at least one, so it can order at once)."
    )
    default_location_code: str | None = strawberry.field(
        description="The primary location of a new account; null: none until staff set one."
    )
    allow_new_contacts: bool = strawberry.field(
        description="Show the 'create a new contact for your account' link and accept "
        "`verifyAccount` and `registerContact`."
    )
    web_account_prefix: str = strawberry.field(
        description="New web accounts are numbered this prefix + a database sequence "
        f"(W{FIRST_WEB_ACCOUNT_NUMBER}…)."
    )
    verification_recency_days: int = strawberry.field(
        description="How recent the invoice given to `verifyAccount` must be."
    )

    @classmethod
    def from_model(cls, model: CustomerDataModel) -> Self:
        return cls(**model.model_dump())


@strawberry.type(description="The account a verification ticket is for, to confirm before use.")
class VerifiedAccount:
    account_number: str
    company_name: str
    masked_street: str = strawberry.field(
        description="The billing street, masked: '1 M*** S*****'."
    )
    city: str
    region: str | None
    postcode: str
    ticket_expires_at: datetime
