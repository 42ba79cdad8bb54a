"""Seed 000 "ERP is the data of record": parsing ERP records and the restrict-editing rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.enums import CreditAction, PaymentTermsKind, RecordSource
from domain.erp import (
    ACCOUNT_FIELDS,
    ERP_OWNED_ACCOUNT_FIELDS,
    INVOICE_FIELDS,
    REQUIRED,
    fields_kept_by_erp,
    parse_record,
    payment_type_codes,
)
from domain.errors import ErrorCode


@pytest.mark.parametrize(
    ("codes", "names"),
    [
        ("AC,CC", ["ON_ACCOUNT", "CREDIT_CARD"]),
        (" pp , dd,RQ ", ["PAYPAL", "DIRECT_DEPOSIT", "RUNNING_QUOTE"]),
        ("CC,AC,CC", ["CREDIT_CARD", "ON_ACCOUNT"]),
        ("", []),
        (None, None),
    ],
)
def test_payment_types_come_as_comma_delimited_codes(
    codes: str | None, names: list[str] | None
) -> None:
    assert payment_type_codes(codes) == names


def test_text_from_a_file_and_typed_values_from_graphql_parse_alike() -> None:
    from_file = {
        "erp_key": "E1",
        "code": "abc1",
        "company_name": "ABC",
        "is_on_hold": "yes",
        "on_hold_action": "warn",
        "balance": "12.50",
        "payment_terms_kind": "GIVEN_NUMBER_OF_DAYS",
        "payment_terms_value": "30",
    }
    typed = {
        **from_file,
        "is_on_hold": True,
        "on_hold_action": CreditAction.WARN,
        "balance": Decimal("12.50"),
        "payment_terms_kind": PaymentTermsKind.GIVEN_NUMBER_OF_DAYS,
        "payment_terms_value": 30,
    }

    parsed_file = parse_record(from_file, ACCOUNT_FIELDS, required=REQUIRED["account"])
    parsed_typed = parse_record(typed, ACCOUNT_FIELDS, required=REQUIRED["account"])

    assert parsed_file == parsed_typed
    assert parsed_file[0]["code"] == "ABC1"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"erp_key": "E1", "code": "A"}, [(ErrorCode.REQUIRED, ["companyName"])]),
        (
            {"erp_key": "E1", "code": "A", "company_name": "X", "payment_types": "AC,ZZ"},
            [(ErrorCode.INVALID, ["paymentTypes"])],
        ),
        (
            {"erp_key": "E1", "code": "A", "company_name": "X", "balance": "lots"},
            [(ErrorCode.INVALID, ["balance"])],
        ),
        (
            {"erp_key": "E1", "code": "A", "company_name": "X", "on_hold_action": "SHOUT"},
            [(ErrorCode.INVALID, ["onHoldAction"])],
        ),
    ],
)
def test_every_bad_field_is_named(
    raw: dict[str, Any], expected: list[tuple[ErrorCode, list[str]]]
) -> None:
    _, errors = parse_record(raw, ACCOUNT_FIELDS, required=REQUIRED["account"])

    assert [(e.code, e.field) for e in errors] == expected


def test_absent_fields_stay_absent_so_the_web_copy_keeps_them() -> None:
    values, errors = parse_record(
        {
            "erp_key": "I1",
            "account_erp_key": "E1",
            "number": "INV1",
            "invoice_date": "2026-01-31",
            "amount": "10",
        },
        INVOICE_FIELDS,
        required=REQUIRED["invoice"],
    )

    assert errors == []
    assert values == {
        "erp_key": "I1",
        "account_erp_key": "E1",
        "number": "INV1",
        "invoice_date": date(2026, 1, 31),
        "amount": Decimal("10"),
    }


@pytest.mark.parametrize(
    ("restricted", "source", "kept"),
    [
        (True, RecordSource.ERP, {"payment_terms_kind", "email"}),
        (True, RecordSource.WEB, set()),
        (False, RecordSource.ERP, set()),
    ],
)
def test_restricting_editing_to_the_erp_keeps_erp_records_fields(
    restricted: bool, source: RecordSource, kept: set[str]
) -> None:
    assert (
        fields_kept_by_erp(
            restricted=restricted,
            source=source,
            fields={"payment_terms_kind", "email"},
            owned=ERP_OWNED_ACCOUNT_FIELDS,
        )
        == kept
    )
