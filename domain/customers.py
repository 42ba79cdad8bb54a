"""Rules of the customer model: what a valid account, membership and address look like.

Each `validate_*` takes the change a mutation (or an ERP record) makes, a frozen dataclass whose
unsent fields are `UNSET` (`domain.changes`), and returns every error found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.changes import UNSET, Maybe, given
from domain.enums import AddressKind, CreditAction, MembershipRole, PaymentTermsKind, PaymentType
from domain.errors import DomainError, ErrorCode
from domain.validation import (
    MAX_APPROVAL_VALUE,
    check_code,
    check_country,
    check_email,
    check_length,
    check_money,
    check_non_negative,
    check_percent,
    check_required,
)

MAX_CUSTOMER_GROUP_LENGTH = 64


@dataclass(frozen=True)
class AccountChanges:
    """What "+ Add Account", an account edit, a registration or an ERP account record sets."""

    code: Maybe[str | None] = UNSET
    company_name: Maybe[str | None] = UNSET
    is_active: Maybe[bool | None] = UNSET
    erp_key: Maybe[str | None] = UNSET
    tax_number: Maybe[str | None] = UNSET
    contact_name: Maybe[str | None] = UNSET
    email: Maybe[str | None] = UNSET
    sales_rep_code: Maybe[str | None] = UNSET
    price_level: Maybe[str | None] = UNSET
    discount_percent: Maybe[Decimal | None] = UNSET
    payment_types: Maybe[list[PaymentType] | None] = UNSET
    is_on_hold: Maybe[bool | None] = UNSET
    on_hold_action: Maybe[CreditAction | None] = UNSET
    is_out_of_terms: Maybe[bool | None] = UNSET
    out_of_terms_action: Maybe[CreditAction | None] = UNSET
    out_of_credit_action: Maybe[CreditAction | None] = UNSET
    balance: Maybe[Decimal | None] = UNSET
    balance_limit: Maybe[Decimal | None] = UNSET
    payment_terms_kind: Maybe[PaymentTermsKind | None] = UNSET
    payment_terms_value: Maybe[int | None] = UNSET
    account_class: Maybe[str | None] = UNSET
    territory: Maybe[str | None] = UNSET
    shipping_method: Maybe[str | None] = UNSET
    customer_groups: Maybe[list[str] | None] = UNSET


@dataclass(frozen=True)
class AddressChanges:
    """What an address edit, a registration's billing address or an ERP address record sets."""

    kind: Maybe[AddressKind | None] = UNSET
    name: Maybe[str | None] = UNSET
    line1: Maybe[str | None] = UNSET
    line2: Maybe[str | None] = UNSET
    city: Maybe[str | None] = UNSET
    region: Maybe[str | None] = UNSET
    postcode: Maybe[str | None] = UNSET
    country: Maybe[str | None] = UNSET
    is_primary: Maybe[bool | None] = UNSET
    erp_key: Maybe[str | None] = UNSET


@dataclass(frozen=True)
class ContactChanges:
    """What a contact edit, a registration or an ERP contact record sets of the contact."""

    name: Maybe[str | None] = UNSET
    email: Maybe[str | None] = UNSET
    phone: Maybe[str | None] = UNSET
    is_enabled: Maybe[bool | None] = UNSET
    username: Maybe[str | None] = UNSET
    password: Maybe[str | None] = UNSET
    erp_key: Maybe[str | None] = UNSET


@dataclass(frozen=True)
class MembershipChanges:
    """PointForce CM10: what a membership edit sets of one contact's settings at one account."""

    role: Maybe[MembershipRole | None] = UNSET
    default_ship_to_id: Maybe[int | None] = UNSET
    may_select_ship_to: Maybe[bool | None] = UNSET
    may_enter_manual_ship_to: Maybe[bool | None] = UNSET
    is_default: Maybe[bool | None] = UNSET
    is_active: Maybe[bool | None] = UNSET
    allow_future_orders: Maybe[bool | None] = UNSET
    hold_orders_created: Maybe[bool | None] = UNSET
    approve_assigned: Maybe[bool | None] = UNSET
    approve_all: Maybe[bool | None] = UNSET
    email_approver: Maybe[bool | None] = UNSET
    restricted_products_apply: Maybe[bool | None] = UNSET
    cart_approver_id: Maybe[int | None] = UNSET
    no_approval_below_value: Maybe[Decimal | None] = UNSET
    maximum_approval_value: Maybe[Decimal | None] = UNSET
    restricted_favourites_list_id: Maybe[int | None] = UNSET


@dataclass(frozen=True)
class ApprovalSettings:
    """A membership's approval settings after a change (the stored ones where it sets none)."""

    cart_approver_id: int | None = None
    approve_assigned: bool | None = None
    approve_all: bool | None = None
    no_approval_below_value: Decimal | None = None
    maximum_approval_value: Decimal | None = None


def _required(creating: bool, fields: Mapping[str, Maybe[str | None]]) -> list[DomainError]:
    """Each of `fields` (camelCase name -> value) a new record lacks, or a change clears."""
    errors: list[DomainError] = []
    for name, value in fields.items():
        if creating or value is not UNSET:
            errors += check_required(name, given(value))
    return errors


def validate_account(changes: AccountChanges, *, creating: bool) -> list[DomainError]:
    """Seed 000 "+ Add Account": required fields enforced; TOTECS field formats."""
    errors = _required(creating, {"code": changes.code, "companyName": changes.company_name})
    errors += check_code("code", given(changes.code))
    errors += check_code("salesRepCode", given(changes.sales_rep_code))
    errors += check_code("priceLevel", given(changes.price_level))
    errors += check_email("email", given(changes.email))
    errors += check_percent("discountPercent", given(changes.discount_percent))
    errors += check_money("balance", given(changes.balance), minimum=None)
    # TOTECS: a negative balance is money in credit, and a negative balance limit "denotes that
    # account must have paid first the given amount before it can make purchases".
    errors += check_money("balanceLimit", given(changes.balance_limit), minimum=None)
    errors += check_non_negative("paymentTermsValue", given(changes.payment_terms_value))
    groups = given(changes.customer_groups) or []
    for index, group in enumerate(groups):
        errors += [
            DomainError(e.code, e.message, field=["customerGroups", str(index)])
            # The list is one JSON column: its items' limit is written here, not on a column.
            for e in check_code("customerGroups", group)
            + check_length("customerGroups", group, MAX_CUSTOMER_GROUP_LENGTH)
        ]
    return errors


def customer_group_names(groups: Iterable[str]) -> list[str]:
    """Seed 001 customer groups, compared upper-case: trimmed, blanks dropped, each once, in the
    order given."""
    return list(dict.fromkeys(g.strip().upper() for g in groups if g and g.strip()))


def validate_address(changes: AddressChanges, *, creating: bool) -> list[DomainError]:
    errors = _required(
        creating,
        {
            "name": changes.name,
            "line1": changes.line1,
            "city": changes.city,
            "postcode": changes.postcode,
        },
    )
    errors += check_country("country", given(changes.country))
    return errors


def validate_membership(
    settings: ApprovalSettings,
    *,
    contact_id: int,
    approver_is_member: bool | None,
) -> list[DomainError]:
    """CM10 rules for one contact-account record, given its values after the change.

    - the cart approver is another contact of the same account ("The drop down list is populated
      with the contacts listed as contacts for the current Account");
    - an approver has no cart approver of its own ("you should not assign a Cart Approver to
      contacts that have an Approver profile");
    - both limits are money up to 999,999.99, and approvals cannot start above the maximum.
    """
    errors: list[DomainError] = []
    approver_id = settings.cart_approver_id
    if approver_id is not None:
        if approver_id == contact_id:
            errors.append(
                DomainError(
                    ErrorCode.INVALID,
                    "A contact cannot approve its own carts",
                    field=["cartApproverId"],
                )
            )
        elif not approver_is_member:
            errors.append(
                DomainError(
                    ErrorCode.INVALID,
                    "The cart approver must be an active contact of the same account",
                    field=["cartApproverId"],
                )
            )
        if settings.approve_assigned or settings.approve_all:
            errors.append(
                DomainError(
                    ErrorCode.INVALID,
                    "An approver (approve assigned or approve all) has no cart approver",
                    field=["cartApproverId"],
                )
            )
    below = settings.no_approval_below_value
    maximum = settings.maximum_approval_value
    errors += check_money("noApprovalBelowValue", below, maximum=MAX_APPROVAL_VALUE)
    errors += check_money("maximumApprovalValue", maximum, maximum=MAX_APPROVAL_VALUE)
    if below is not None and maximum is not None and not errors and below > maximum:
        errors.append(
            DomainError(
                ErrorCode.INVALID,
                "noApprovalBelowValue cannot exceed maximumApprovalValue",
                field=["noApprovalBelowValue"],
            )
        )
    return errors


POSTAL_FIELDS = ("name", "line1", "line2", "city", "region", "postcode", "country")


def same_postal_address(first: Mapping[str, Any], second: Mapping[str, Any]) -> bool:
    """One address typed twice: every postal field equal, ignoring case and spacing."""

    def plain(value: Any) -> str:
        return " ".join(str(value).split()).casefold() if value is not None else ""

    return all(plain(first.get(name)) == plain(second.get(name)) for name in POSTAL_FIELDS)


def remembers_ship_to(
    *,
    kept_by_erp: bool,
    entered: Mapping[str, Any],
    known: Sequence[Mapping[str, Any]],
) -> bool:
    """Seed 000 "Addresses - This section contains shipping addresses that have been used on
    orders from this account. The same options as outlined for contact information and address
    apply here also": a ship-to typed in at checkout joins the account's addresses, unless the
    account's data is kept by the ERP (editing restricted to it) or the account has it already."""
    return not kept_by_erp and not any(same_postal_address(entered, row) for row in known)
