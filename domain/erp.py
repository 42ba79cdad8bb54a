"""The ERP as data of record (seed 000): what an ERP record looks like on its way in, and which
account fields the web may no longer edit once editing is restricted to the ERP.

Records arrive from GraphQL (already typed) or from CSV/JSON files (mostly text); the parsers
accept both, so `syncAccounts` and `tradepost import` share one path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from domain.customers import AccountChanges, customer_group_names
from domain.enquiry import EnquiryKind, EnquiryStatus
from domain.enums import (
    AddressKind,
    CreditAction,
    MembershipRole,
    PaymentTermsKind,
    PaymentType,
    RecordSource,
)
from domain.errors import DomainError, ErrorCode
from domain.validation import to_camel

# Seed/issue: "up to 1,000 records a call".
MAX_SYNC_BATCH = 1000

Parser = Callable[[Any], Any]


class SyncOutcome(Enum):
    """What a sync did with one record, the same for every feed."""

    CREATED = "CREATED"
    UPDATED = "UPDATED"
    UNCHANGED = "UNCHANGED"
    # A full-replace feed removed a row missing from the batch.
    DELETED = "DELETED"
    FAILED = "FAILED"
    # Sent into a sync run: checked and kept, applied when the run is committed.
    STAGED = "STAGED"


class SyncFeed(Enum):
    """The feeds an ERP may send as a sync run: a full export in any number of calls."""

    ACCOUNT_PRICES = "ACCOUNT_PRICES"
    LEVEL_PRICES = "LEVEL_PRICES"


class ReplaceScope(Enum):
    """What a full-replace sync deletes: the ERP rows it did not send, within this scope. Prices
    entered on the platform (WEB) are never deleted."""

    # Nothing: records are upserted only.
    NONE = "NONE"
    # The rows of the accounts (account prices) or products (level prices) the sync sent.
    SENT = "SENT"
    # Every ERP row of the feed: the sync is the ERP's complete export.
    FEED = "FEED"


class SyncRunStatus(Enum):
    OPEN = "OPEN"
    COMMITTED = "COMMITTED"
    ABANDONED = "ABANDONED"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str | None:
    return None if _blank(value) else str(value).strip()


def upper_code(value: Any) -> str | None:
    """Account numbers, rep codes and price levels are compared upper-case."""
    found = text(value)
    return found.upper() if found is not None else None


def boolean(value: Any) -> bool | None:
    if _blank(value) or isinstance(value, bool):
        return value if isinstance(value, bool) else None
    lowered = str(value).strip().lower()
    if lowered in ("true", "yes", "y", "1"):
        return True
    if lowered in ("false", "no", "n", "0"):
        return False
    raise ValueError(f"{value!r} is not yes/no")


def decimal(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValueError(f"{value!r} is not a decimal number") from error
    if not found.is_finite():
        raise ValueError(f"{value!r} is not a decimal number")
    return found


def integer(value: Any) -> int | None:
    if _blank(value) or isinstance(value, int):
        return None if _blank(value) else int(value)
    text_value = str(value).strip()
    if not text_value.lstrip("-").isdigit():
        raise ValueError(f"{value!r} is not a whole number")
    return int(text_value)


def day(value: Any) -> date | None:
    if _blank(value) or isinstance(value, date):
        return None if _blank(value) else value
    return date.fromisoformat(str(value).strip())


def enum_of(enum_class: type[Enum]) -> Parser:
    def parse(value: Any) -> Enum | None:
        if _blank(value) or isinstance(value, enum_class):
            return None if _blank(value) else value
        try:
            return enum_class[str(value).strip().upper()]
        except KeyError as error:
            names = ", ".join(member.name for member in enum_class)
            raise ValueError(f"{value!r} is not one of {names}") from error

    return parse


def payment_type_codes(value: Any) -> list[str] | None:
    """Seed 003 "Customer Account Payment Types" import codes, comma-delimited ("AC,CC"); kept in
    the ERP's order without repeats, stored by name."""
    if _blank(value):
        return [] if value is not None else None
    codes = [code for code in str(value).split(",") if code.strip()]
    return list(dict.fromkeys(PaymentType.from_code(code).value for code in codes))


def group_names(value: Any) -> list[str] | None:
    """Customer groups: a list, or comma-delimited text from a file ("RETAIL,TRADE")."""
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    return customer_group_names(str(item) for item in items)


ACCOUNT_FIELDS: dict[str, Parser] = {
    "erp_key": text,
    "code": upper_code,
    "company_name": text,
    "is_active": boolean,
    "tax_number": text,
    "contact_name": text,
    "email": text,
    "sales_rep_code": upper_code,
    "price_level": upper_code,
    "discount_percent": decimal,
    "payment_types": payment_type_codes,
    "is_on_hold": boolean,
    "on_hold_action": enum_of(CreditAction),
    "is_out_of_terms": boolean,
    "out_of_terms_action": enum_of(CreditAction),
    "out_of_credit_action": enum_of(CreditAction),
    "balance": decimal,
    "balance_limit": decimal,
    "payment_terms_kind": enum_of(PaymentTermsKind),
    "payment_terms_value": integer,
    "account_class": text,
    "territory": text,
    "shipping_method": text,
    "customer_groups": group_names,
}
ADDRESS_FIELDS: dict[str, Parser] = {
    "erp_key": text,
    "account_erp_key": text,
    "kind": enum_of(AddressKind),
    "name": text,
    "line1": text,
    "line2": text,
    "city": text,
    "region": text,
    "postcode": text,
    "country": upper_code,
    "is_primary": boolean,
}
CONTACT_FIELDS: dict[str, Parser] = {
    "erp_key": text,
    "account_erp_key": text,
    "role": enum_of(MembershipRole),
    "name": text,
    "email": text,
    "phone": text,
    "is_enabled": boolean,
}
INVOICE_FIELDS: dict[str, Parser] = {
    "erp_key": text,
    "account_erp_key": text,
    "number": text,
    "invoice_date": day,
    "due_date": day,
    "amount": decimal,
    "balance": decimal,
}
ENQUIRY_FIELDS: dict[str, Parser] = {
    "erp_key": text,
    "account_erp_key": text,
    "kind": enum_of(EnquiryKind),
    "number": text,
    "document_date": day,
    "due_date": day,
    "status": enum_of(EnquiryStatus),
    "amount": decimal,
    "outstanding": decimal,
    "reference": text,
    "description": text,
    # Seed 002 shipments: the web order shipped (its number in the export), carrier, tracking.
    "order_number": upper_code,
    "carrier": text,
    "tracking_number": text,
}
# Fields every record of a kind must carry (beyond what the table's own rules require).
REQUIRED = {
    "account": ("erp_key", "code", "company_name"),
    "address": ("erp_key", "account_erp_key", "name", "line1", "city", "postcode"),
    "contact": ("erp_key", "account_erp_key", "name"),
    "invoice": ("erp_key", "account_erp_key", "number", "invoice_date", "amount"),
    "enquiry": ("erp_key", "account_erp_key", "kind", "number", "document_date", "amount"),
}


def parse_record(
    raw: Mapping[str, Any], fields: Mapping[str, Parser], *, required: tuple[str, ...]
) -> tuple[dict[str, Any], list[DomainError]]:
    """Seed 000 "ERP is the data of record": the record's known fields as typed values (absent
    fields stay absent, so the web's copy keeps them), and every problem found."""
    values: dict[str, Any] = {}
    errors: list[DomainError] = []
    for name, parse in fields.items():
        if name not in raw:
            continue
        try:
            values[name] = parse(raw[name])
        except ValueError as error:
            errors.append(DomainError(ErrorCode.INVALID, str(error), field=[to_camel(name)]))
    for name in required:
        if values.get(name) is None and not _has_error(errors, name):
            errors.append(
                DomainError(
                    ErrorCode.REQUIRED, f"{to_camel(name)} is required", field=[to_camel(name)]
                )
            )
    return values, errors


def account_changes(values: Mapping[str, Any]) -> AccountChanges:
    """A parsed account record (`ACCOUNT_FIELDS`) as the changes it makes to the account; the
    record holds payment types by name, as the row stores them."""
    types = values.get("payment_types")
    if types is None:
        return AccountChanges(**values)
    return AccountChanges(**{**values, "payment_types": [PaymentType[t] for t in types]})


def _has_error(errors: list[DomainError], name: str) -> bool:
    return any(e.field == [to_camel(name)] for e in errors)


# Seed 000: payment terms, rep code, pricing and "account information and address" come from
# the ERP; when editing is restricted to the ERP none of them may be changed on the web.
ERP_OWNED_ACCOUNT_FIELDS = frozenset(ACCOUNT_FIELDS)
ERP_OWNED_ADDRESS_FIELDS = frozenset(ADDRESS_FIELDS) - {"account_erp_key"}


def fields_kept_by_erp(
    *, restricted: bool, source: RecordSource, fields: set[str], owned: frozenset[str]
) -> set[str]:
    """Seed 000 "the site administrator may restrict editing of account data on the platform
    and require that all changes to accounts be entered only through the ERP system": the
    subset of `fields` a web edit of an ERP record may not change."""
    if not record_kept_by_erp(restricted=restricted, source=source):
        return set()
    return fields & owned


def record_kept_by_erp(*, restricted: bool, source: RecordSource) -> bool:
    """Seed 000: with editing restricted to the ERP, records that came from the ERP change (or
    go away) only there."""
    return restricted and source is RecordSource.ERP
