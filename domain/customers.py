"""Rules of the customer model: what a valid account, membership and address look like.

Each `validate_*` takes the values a mutation sets (snake_case keys, absent keys untouched) and
returns every error found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

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
    to_camel,
)

ACCOUNT_REQUIRED = ("code", "company_name")
ADDRESS_REQUIRED = ("name", "line1", "city", "postcode")


MAX_CUSTOMER_GROUP_LENGTH = 64


def validate_account(values: Mapping[str, Any], *, creating: bool) -> list[DomainError]:
    """Seed 000 "+ Add Account": required fields enforced; TOTECS field formats."""
    errors: list[DomainError] = []
    for name in ACCOUNT_REQUIRED:
        if creating or name in values:
            errors += check_required(to_camel(name), values.get(name))
    errors += check_code("code", values.get("code"))
    errors += check_code("salesRepCode", values.get("sales_rep_code"))
    errors += check_code("priceLevel", values.get("price_level"))
    errors += check_email("email", values.get("email"))
    errors += check_percent("discountPercent", values.get("discount_percent"))
    errors += check_money("balance", values.get("balance"), minimum=None)
    # TOTECS: a negative balance is money in credit, and a negative balance limit "denotes that
    # account must have paid first the given amount before it can make purchases".
    errors += check_money("balanceLimit", values.get("balance_limit"), minimum=None)
    errors += check_non_negative("paymentTermsValue", values.get("payment_terms_value"))
    for index, group in enumerate(values.get("customer_groups") or []):
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


def validate_address(values: Mapping[str, Any], *, creating: bool) -> list[DomainError]:
    errors: list[DomainError] = []
    for name in ADDRESS_REQUIRED:
        if creating or name in values:
            errors += check_required(to_camel(name), values.get(name))
    errors += check_country("country", values.get("country"))
    return errors


def validate_membership(
    values: Mapping[str, Any],
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
    approver_id = values.get("cart_approver_id")
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
        if values.get("approve_assigned") or values.get("approve_all"):
            errors.append(
                DomainError(
                    ErrorCode.INVALID,
                    "An approver (approve assigned or approve all) has no cart approver",
                    field=["cartApproverId"],
                )
            )
    below: Decimal | None = values.get("no_approval_below_value")
    maximum: Decimal | None = values.get("maximum_approval_value")
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
