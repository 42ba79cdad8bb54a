"""Validation rules of accounts, addresses and memberships (domain.customers)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from domain.credentials import check_password, check_username
from domain.customers import (
    AccountChanges,
    AddressChanges,
    ApprovalSettings,
    validate_account,
    validate_address,
    validate_membership,
)
from domain.errors import DomainError


def summary(errors: list[DomainError]) -> list[tuple[str, str]]:
    return [(".".join(e.field or []), e.code.value) for e in errors]


def test_a_new_account_needs_a_code_and_a_company_name() -> None:
    assert summary(validate_account(AccountChanges(), creating=True)) == [
        ("code", "REQUIRED"),
        ("companyName", "REQUIRED"),
    ]


def test_an_update_checks_only_what_it_changes() -> None:
    assert validate_account(AccountChanges(email="ap@example.com"), creating=False) == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"code": "AB 12"}, [("code", "INVALID")]),
        ({"discount_percent": Decimal("100.01")}, [("discountPercent", "LIMIT_EXCEEDED")]),
        ({"discount_percent": Decimal("-1")}, [("discountPercent", "INVALID")]),
        ({"balance": Decimal("-120.50")}, []),
        ({"balance_limit": Decimal("0.001")}, [("balanceLimit", "INVALID")]),
        ({"payment_terms_value": -30}, [("paymentTermsValue", "INVALID")]),
        ({"sales_rep_code": "REP-01"}, []),
    ],
)
def test_account_field_rules(values: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert summary(validate_account(AccountChanges(**values), creating=False)) == expected


def test_an_address_needs_its_lines_and_a_country_code() -> None:
    assert summary(validate_address(AddressChanges(country="AUS"), creating=True)) == [
        ("name", "REQUIRED"),
        ("line1", "REQUIRED"),
        ("city", "REQUIRED"),
        ("postcode", "REQUIRED"),
        ("country", "INVALID"),
    ]


@pytest.mark.parametrize(
    ("values", "approver_is_member", "expected"),
    [
        ({"cart_approver_id": 7}, True, []),
        ({"cart_approver_id": 7}, False, [("cartApproverId", "INVALID")]),
        ({"cart_approver_id": 1}, True, [("cartApproverId", "INVALID")]),
        ({"cart_approver_id": 7, "approve_all": True}, True, [("cartApproverId", "INVALID")]),
        ({"maximum_approval_value": Decimal("999999.99")}, None, []),
        (
            {"maximum_approval_value": Decimal("1000000")},
            None,
            [("maximumApprovalValue", "LIMIT_EXCEEDED")],
        ),
        (
            {"no_approval_below_value": Decimal("500"), "maximum_approval_value": Decimal("100")},
            None,
            [("noApprovalBelowValue", "INVALID")],
        ),
    ],
)
def test_membership_rules(
    values: dict[str, Any], approver_is_member: bool | None, expected: list[tuple[str, str]]
) -> None:
    errors = validate_membership(
        ApprovalSettings(**values), contact_id=1, approver_is_member=approver_is_member
    )
    assert summary(errors) == expected


@pytest.mark.parametrize(
    ("password", "username", "expected"),
    [
        ("short", "mary", [("password", "INVALID")]),
        ("Mary.Smith.99", "mary.smith.99", [("password", "INVALID")]),
        ("a-long-passphrase", "mary", []),
        ("x" * 257, "mary", [("password", "INVALID")]),
    ],
)
def test_password_policy(password: str, username: str, expected: list[tuple[str, str]]) -> None:
    assert summary(check_password(password, username=username)) == expected


@pytest.mark.parametrize(
    ("username", "valid"), [("mary", True), ("m", False), ("mary smith", False), ("a@b.co", True)]
)
def test_usernames(username: str, valid: bool) -> None:
    assert (check_username(username) == []) is valid
