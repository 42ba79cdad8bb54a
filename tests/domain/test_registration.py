"""Pure rules of self-registration (seed 001)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from domain.customers import AddressChanges
from domain.registration import (
    AccountRegistration,
    CustomerDataSettings,
    mask_street,
    normalise_postcode,
    validate_registration,
    verification_passes,
    web_account_code,
)

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("active", "billing", "given", "invoice_date", "expected"),
    [
        (True, "SW1A 1AA", "sw1a1aa", date(2026, 11, 1), True),
        (True, "2000", " 2000 ", date(2025, 11, 27), True),  # exactly 365 days old
        (True, "2000", "2000", date(2025, 11, 26), False),  # a day too old
        (False, "2000", "2000", date(2026, 11, 1), False),  # disabled account
        (None, None, "2000", None, False),  # no such account
        (True, None, "2000", date(2026, 11, 1), False),  # no primary billing address
        (True, "2000", "3000", date(2026, 11, 1), False),
        (True, "2000", "2000", None, False),  # invoice not the account's
    ],
)
def test_verification_needs_every_part(
    active: bool | None,
    billing: str | None,
    given: str,
    invoice_date: date | None,
    expected: bool,
) -> None:
    assert (
        verification_passes(
            account_active=active,
            billing_postcode=billing,
            postcode_given=given,
            invoice_date=invoice_date,
            today=TODAY,
            recency_days=365,
        )
        is expected
    )


@pytest.mark.parametrize(
    ("street", "masked"),
    [("1 Main Street", "1 M*** S*****"), ("Unit 4, 22 Dock Rd", "U*** 4, 22 D*** R*")],
)
def test_streets_are_masked_but_numbers_kept(street: str, masked: str) -> None:
    assert mask_street(street) == masked


@pytest.mark.parametrize(("raw", "normal"), [("sw1a 1aa", "SW1A1AA"), (" 2000", "2000")])
def test_postcodes_compare_without_case_or_spaces(raw: str, normal: str) -> None:
    assert normalise_postcode(raw) == normal


def test_web_account_numbers_are_prefix_and_number() -> None:
    assert web_account_code(prefix="W", number=1000) == "W1000"


@pytest.mark.parametrize(("prefix", "stored"), [("w", "W"), (" web ", "WEB"), ("B2B", "B2B")])
def test_prefixes_are_short_upper_case_codes(prefix: str, stored: str) -> None:
    assert CustomerDataSettings(web_account_prefix=prefix).web_account_prefix == stored


@pytest.mark.parametrize("prefix", ["", "1W", "W-", "TOOLONGPREFIX"])
def test_bad_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(ValidationError):
        CustomerDataSettings(web_account_prefix=prefix)


def test_a_registration_reports_each_field_by_its_input_path() -> None:
    errors = validate_registration(
        AccountRegistration(
            company_name="Acme",
            contact_name="",
            email="",
            username="ab",
            password="long-enough-password",
            billing_address=AddressChanges(line1="1 Road", city="Perth", postcode="6000"),
        )
    )

    assert [(e.field, e.code.value) for e in errors] == [
        (["contactName"], "REQUIRED"),
        (["email"], "REQUIRED"),
        (["username"], "INVALID"),
    ]
