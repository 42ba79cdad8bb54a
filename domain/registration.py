"""Self-service account and contact creation (seed 001 "New Account and Contact Creation")."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from domain.credentials import check_password, check_username
from domain.customers import AddressChanges, validate_address
from domain.enums import PaymentTermsKind, PaymentType
from domain.errors import DomainError
from domain.validation import check_email, check_required

CUSTOMER_DATA_SECTION = "customer_data"
FIRST_WEB_ACCOUNT_NUMBER = 1000
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
# Every letter but the first of a word; digits and punctuation stay ("1 M*** S*****").
_LETTER_AFTER_LETTER = re.compile(r"(?<=[^\W\d_])[^\W\d_]")


class CustomerDataSettings(BaseModel):
    """Seed 001, settings workspace > Customer Data: the two sign-in links and the defaults of
    accounts that visitors create."""

    allow_new_accounts: bool = False
    sign_in_link_text: str = Field(default="Create an account", min_length=1, max_length=100)
    # "choose if the customer has immediate access to the platform"; also applies to contacts
    # created for an existing account.
    immediate_access: bool = True
    default_payment_terms_kind: PaymentTermsKind = PaymentTermsKind.NOT_SPECIFIED
    default_payment_terms_value: int | None = Field(default=None, ge=0)
    default_customer_groups: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list
    )
    default_price_level: str | None = Field(default=None, max_length=16)
    default_sales_rep_code: str | None = Field(default=None, max_length=32)
    # Seed 001 workflow 1, "immediately logged into the platform to start ordering": an account
    # without a payment type cannot check out, so a new one pays by card until the ERP says more.
    default_payment_types: list[PaymentType] = Field(
        default_factory=lambda: [PaymentType.CREDIT_CARD], min_length=1
    )
    # The location the account ships from (seed 003 "Customer Account Locations"); None: the
    # account has none until staff or the ERP set them.
    default_location_code: str | None = Field(default=None, max_length=16)
    allow_new_contacts: bool = False
    # Workflow 3: "a generic system with a letter prefix, the default is 'W'".
    web_account_prefix: str = "W"
    verification_recency_days: int = Field(default=365, gt=0, le=3650)

    @field_validator("web_account_prefix")
    @classmethod
    def _prefix_is_short_code(cls, value: str) -> str:
        value = value.strip().upper()
        if not _PREFIX.match(value):
            raise ValueError("The prefix is 1 to 8 letters or digits, starting with a letter")
        return value

    @field_validator("default_payment_types")
    @classmethod
    def _no_repeats(cls, value: list[PaymentType]) -> list[PaymentType]:
        return list(dict.fromkeys(value))

    @field_validator("default_price_level", "default_sales_rep_code", "default_location_code")
    @classmethod
    def _codes_upper(cls, value: str | None) -> str | None:
        return value.strip().upper() or None if value is not None else None


def web_account_code(*, prefix: str, number: int) -> str:
    """Workflow 3: web account numbers are the prefix and a database integer, from
    `FIRST_WEB_ACCOUNT_NUMBER` up (W1000, W1001)."""
    return f"{prefix}{number}"


@dataclass(frozen=True)
class AccountRegistration:
    """Seed 001 "New Account Form", as the visitor filled it in."""

    company_name: str
    contact_name: str
    email: str
    username: str
    password: str
    billing_address: AddressChanges
    tax_number: str | None = None
    phone: str | None = None


def validate_registration(form: AccountRegistration) -> list[DomainError]:
    """Seed 001 "New Account Form": every field of the form checked at once; field paths name
    the `registerAccount` input (the billing address is nested)."""
    errors = check_required("companyName", form.company_name)
    errors += check_required("contactName", form.contact_name)
    errors += check_required("email", form.email) or check_email("email", form.email)
    errors += check_username(form.username or "")
    errors += check_password(form.password or "", username=form.username)
    # The billing address takes the company's name, whose own check reports it missing.
    address = replace(form.billing_address, name="company")
    for error in validate_address(address, creating=True):
        error.field = ["billingAddress", *(error.field or [])]
        errors.append(error)
    return errors


def normalise_postcode(postcode: str) -> str:
    """Postcodes compare without case or spaces ("sw1a 1aa" is "SW1A1AA")."""
    return "".join(postcode.split()).upper()


def verification_passes(
    *,
    account_active: bool | None,
    billing_postcode: str | None,
    postcode_given: str,
    invoice_date: date | None,
    today: date,
    recency_days: int,
) -> bool:
    """Seed 001 "Existing Account Verification Form": the account exists and is active, the
    postcode is its primary billing address's, and the invoice is its own and recent. Every
    part is evaluated whatever fails first, so the answer costs the same time."""
    checks = (
        account_active is True,
        billing_postcode is not None
        and normalise_postcode(billing_postcode) == normalise_postcode(postcode_given),
        invoice_date is not None and today - timedelta(days=recency_days) <= invoice_date,
    )
    return all(checks)


def mask_street(street: str) -> str:
    """Seed 001: the contact form "shows them their basic account information for them to
    verify"; the street is masked so a verified ticket does not hand out a full address."""
    return _LETTER_AFTER_LETTER.sub("*", street)
