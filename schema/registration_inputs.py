"""Inputs of self-service registration and credential recovery."""

from __future__ import annotations

import strawberry

from domain.enums import PaymentTermsKind, PaymentType

UNSET = strawberry.UNSET


@strawberry.input
class RegistrationAddressInput:
    line1: str
    line2: str | None = None
    city: str
    region: str | None = None
    postcode: str
    country: str = "AU"


@strawberry.input(description="Seed 001 'New Account Form'.")
class RegisterAccountInput:
    company_name: str = strawberry.field(description="The company, or the person's own name.")
    tax_number: str | None = None
    phone: str | None = None
    billing_address: RegistrationAddressInput
    contact_name: str
    email: str
    username: str
    password: str = strawberry.field(description="At least 12 characters, not the username.")


@strawberry.input(description="Seed 001 'Existing Account Verification Form'.")
class VerifyAccountInput:
    account_number: str
    billing_postcode: str
    invoice_number: str = strawberry.field(description="The number of a recent invoice.")


@strawberry.input(description="Seed 001 'New Contact for Existing Account Form'.")
class RegisterContactInput:
    ticket: str = strawberry.field(description="From `verifyAccount`; works once.")
    name: str
    email: str
    phone: str | None = None
    username: str
    password: str


@strawberry.input
class RequestPasswordResetInput:
    username_or_email: str


@strawberry.input
class ResetPasswordInput:
    token: str = strawberry.field(description="The code from the password-reset e-mail.")
    new_password: str


@strawberry.input
class RequestUsernameReminderInput:
    email: str


@strawberry.input(description="Seed 001 workflow 3: map a contact to an account made in the ERP.")
class MoveContactInput:
    contact_id: strawberry.ID
    account_id: strawberry.ID


@strawberry.input
class UpdateCustomerDataSettingsInput:
    allow_new_accounts: bool | None = UNSET
    sign_in_link_text: str | None = UNSET
    immediate_access: bool | None = UNSET
    default_payment_terms_kind: PaymentTermsKind | None = UNSET
    default_payment_terms_value: int | None = UNSET
    default_customer_groups: list[str] | None = UNSET
    default_price_level: str | None = UNSET
    default_sales_rep_code: str | None = UNSET
    default_payment_types: list[PaymentType] | None = UNSET
    default_location_code: str | None = UNSET
    allow_new_contacts: bool | None = UNSET
    web_account_prefix: str | None = UNSET
    verification_recency_days: int | None = UNSET
