"""Inputs of the customer model's queries and mutations."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

import strawberry

from domain.enums import AddressKind, CreditAction, MembershipRole, PaymentTermsKind, PaymentType
from resolvers.accounts import AccountQuery, AccountSearchField, AccountSortField
from schema.input_values import search_text
from schema.relay import SortDirection

strawberry.enum(AccountSearchField)
strawberry.enum(AccountSortField)

UNSET = strawberry.UNSET
T = TypeVar("T")


@strawberry.input
class AccountFilter:
    search: str | None = strawberry.field(default=None, description="Free text to look for.")
    search_field: AccountSearchField = strawberry.field(
        default=AccountSearchField.ANY, description="Which field `search` looks in."
    )
    is_active: bool | None = None
    is_on_hold: bool | None = None
    territory: str | None = strawberry.field(default=None, description="Exact, any case.")
    shipping_method: str | None = strawberry.field(default=None, description="Exact, any case.")
    account_class: str | None = strawberry.field(default=None, description="Exact, any case.")
    customer_group: str | None = strawberry.field(
        default=None, description="Accounts in this customer group."
    )


@strawberry.input
class AccountSortBy:
    field: AccountSortField = AccountSortField.CODE
    direction: SortDirection = SortDirection.ASC


def account_query(filter: AccountFilter | None, sort_by: AccountSortBy | None) -> AccountQuery:
    """What `accounts(filter:, sortBy:)` asks for, on both read paths."""
    filter = filter or AccountFilter()
    sort_by = sort_by or AccountSortBy()
    return AccountQuery(
        search=search_text(filter.search),
        search_field=filter.search_field,
        is_active=filter.is_active,
        is_on_hold=filter.is_on_hold,
        territory=filter.territory,
        shipping_method=filter.shipping_method,
        account_class=filter.account_class,
        customer_group=filter.customer_group,
        sort_field=sort_by.field,
        descending=sort_by.direction is SortDirection.DESC,
    )


@strawberry.input(description="Account fields that every account-editing mutation shares.")
class AccountFields:
    erp_key: str | None = UNSET
    tax_number: str | None = UNSET
    contact_name: str | None = UNSET
    email: str | None = UNSET
    sales_rep_code: str | None = UNSET
    price_level: str | None = UNSET
    discount_percent: Decimal | None = UNSET
    payment_types: list[PaymentType] | None = UNSET
    is_on_hold: bool | None = UNSET
    on_hold_action: CreditAction | None = UNSET
    is_out_of_terms: bool | None = UNSET
    out_of_terms_action: CreditAction | None = UNSET
    out_of_credit_action: CreditAction | None = UNSET
    balance: Decimal | None = UNSET
    balance_limit: Decimal | None = UNSET
    payment_terms_kind: PaymentTermsKind | None = UNSET
    payment_terms_value: int | None = UNSET
    account_class: str | None = UNSET
    territory: str | None = strawberry.field(
        default=UNSET, description="Seed 003: the code of the account's default location."
    )
    shipping_method: str | None = strawberry.field(
        default=UNSET, description="Seed 003: the default shipping method of its orders."
    )
    customer_groups: list[str] | None = UNSET


@strawberry.input(description="CRM workspace '+ Add Account'.")
class CreateAccountInput(AccountFields):
    code: str
    company_name: str
    is_active: bool = True


@strawberry.input
class UpdateAccountInput(AccountFields):
    id: strawberry.ID
    code: str | None = UNSET
    company_name: str | None = UNSET


@strawberry.input
class SetAccountActiveInput:
    id: strawberry.ID
    is_active: bool


@strawberry.input
class AddressFilter:
    kind: AddressKind | None = strawberry.field(
        default=None, description="Null finds billing and shipping addresses alike."
    )

    @staticmethod
    def kept(rows: Sequence[T], filter: AddressFilter | None) -> list[T]:
        """The address rows `filter` keeps, on both read paths."""
        kind = filter.kind if filter else None
        return [row for row in rows if kind is None or row.kind is kind]  # type: ignore[attr-defined]


@strawberry.input
class SwitchableAccountFilter:
    search: str | None = strawberry.field(
        default=None, description="Matches as `AccountFilter.search` does in every field."
    )


@strawberry.input
class ContactFilter:
    search: str | None = strawberry.field(
        default=None, description="Matches name, username or e-mail."
    )
    is_enabled: bool | None = strawberry.field(
        default=None, description="Null finds enabled and disabled contacts alike."
    )
    account_id: strawberry.ID | None = None


@strawberry.input
class ContactFields:
    email: str | None = UNSET
    phone: str | None = UNSET
    is_enabled: bool | None = UNSET
    username: str | None = UNSET
    password: str | None = UNSET


@strawberry.input(description="A contact of an account, with its membership of that account.")
class CreateContactInput(ContactFields):
    account_id: strawberry.ID
    name: str
    role: MembershipRole = MembershipRole.SHOPPER


@strawberry.input
class UpdateContactInput(ContactFields):
    id: strawberry.ID
    name: str | None = UNSET


@strawberry.input(description="PointForce CM10 settings of one contact at one account.")
class MembershipFields:
    role: MembershipRole | None = UNSET
    default_ship_to_id: strawberry.ID | None = UNSET
    may_select_ship_to: bool | None = UNSET
    may_enter_manual_ship_to: bool | None = UNSET
    is_default: bool | None = UNSET
    is_active: bool | None = UNSET
    allow_future_orders: bool | None = UNSET
    hold_orders_created: bool | None = UNSET
    approve_assigned: bool | None = UNSET
    approve_all: bool | None = UNSET
    email_approver: bool | None = UNSET
    restricted_products_apply: bool | None = UNSET
    cart_approver_id: strawberry.ID | None = UNSET
    no_approval_below_value: Decimal | None = UNSET
    maximum_approval_value: Decimal | None = UNSET
    restricted_favourites_list_id: strawberry.ID | None = strawberry.field(
        default=UNSET,
        description="CM10: a favourites list of the account that is read-only for the contact.",
    )


@strawberry.input
class CreateMembershipInput(MembershipFields):
    contact_id: strawberry.ID
    account_id: strawberry.ID


@strawberry.input
class UpdateMembershipInput(MembershipFields):
    id: strawberry.ID


@strawberry.input
class AddressFields:
    kind: AddressKind | None = UNSET
    line2: str | None = UNSET
    region: str | None = UNSET
    country: str | None = UNSET
    is_primary: bool | None = UNSET
    erp_key: str | None = UNSET


@strawberry.input
class CreateAddressInput(AddressFields):
    account_id: strawberry.ID
    name: str
    line1: str
    city: str
    postcode: str


@strawberry.input
class UpdateAddressInput(AddressFields):
    id: strawberry.ID
    name: str | None = UNSET
    line1: str | None = UNSET
    city: str | None = UNSET
    postcode: str | None = UNSET


@strawberry.input
class DeleteAddressInput:
    id: strawberry.ID


@strawberry.input(description="CM10 'Delete': remove a contact's access to an account.")
class DeleteMembershipInput:
    id: strawberry.ID
