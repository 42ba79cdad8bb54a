"""An ERP field is declared twice, as a GraphQL record input field
(`schema/sync_customer_inputs.py`) and as a parser in `domain/erp.py`'s field lists, which is
what the sync engine applies; a field in one and not the other would be accepted and silently
dropped. This proves the two agree, and
that every field the engine applies lands in a column of its table."""

from __future__ import annotations

from typing import Any

import pytest

from domain.erp import (
    ACCOUNT_FIELDS,
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    ENQUIRY_FIELDS,
    INVOICE_FIELDS,
    Parser,
)
from models import Account, Address, Contact, EnquiryRecord, Invoice
from schema.sync_customer_inputs import (
    AccountRecordInput,
    AddressRecordInput,
    ContactRecordInput,
    EnquiryRecordInput,
    InvoiceRecordInput,
)

# Input fields the engine reads apart from the field list, and fields the list resolves into
# another column (the parent's ERP key becomes `account_id`, a shipment's order number its
# `order_id`; a contact's role is its membership's).
NOT_IN_THE_LIST = {"create_login"}
NOT_A_COLUMN = {"account_erp_key", "role", "order_number"}

KINDS: list[tuple[Any, dict[str, Parser], Any]] = [
    (AccountRecordInput, ACCOUNT_FIELDS, Account),
    (AddressRecordInput, ADDRESS_FIELDS, Address),
    (ContactRecordInput, CONTACT_FIELDS, Contact),
    (InvoiceRecordInput, INVOICE_FIELDS, Invoice),
    (EnquiryRecordInput, ENQUIRY_FIELDS, EnquiryRecord),
]


def input_fields(input_type: Any) -> set[str]:
    return {field.python_name for field in input_type.__strawberry_definition__.fields}


@pytest.mark.parametrize(
    ("input_type", "fields", "model"), KINDS, ids=lambda v: getattr(v, "__name__", "")
)
def test_every_record_input_field_is_applied_by_the_sync_engine(
    input_type: Any, fields: dict[str, Parser], model: Any
) -> None:
    assert input_fields(input_type) - NOT_IN_THE_LIST == set(fields)


@pytest.mark.parametrize(
    ("input_type", "fields", "model"), KINDS, ids=lambda v: getattr(v, "__name__", "")
)
def test_every_applied_field_is_a_column(
    input_type: Any, fields: dict[str, Parser], model: Any
) -> None:
    columns = set(model.__table__.columns.keys())
    assert set(fields) - NOT_A_COLUMN <= columns
