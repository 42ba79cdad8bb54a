"""Each mutation input builds its change dataclass (`domain.changes`) from the fields the client
sent (`schema.input_values.set_values`), so every input field but the row's keys must be a field
of the change: one the change lacks would be a TypeError on the first call. This proves it for
every input at once, without a request; and that each ERP record kind's field list builds the
change of its kind, as the sync engine's checks do."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from domain.budgets import BudgetChanges
from domain.carts import CartDetailsChanges
from domain.contracts import ContractChanges
from domain.customers import AccountChanges, AddressChanges, ContactChanges, MembershipChanges
from domain.erp import ACCOUNT_FIELDS, ADDRESS_FIELDS, CONTACT_FIELDS, Parser
from domain.payment_cards import CardDetails
from domain.registration import AccountRegistration
from domain.wallet import FavouritesListChanges, ShippingAccountChanges
from domain.webhooks import EndpointChanges
from schema.budget_api import UpdateBudgetInput
from schema.cart_inputs import SetCartDetailsInput
from schema.contract_inputs import CreateContractInput, UpdateContractInput
from schema.customer_inputs import (
    CreateAccountInput,
    CreateAddressInput,
    CreateContactInput,
    CreateMembershipInput,
    UpdateAccountInput,
    UpdateAddressInput,
    UpdateContactInput,
    UpdateMembershipInput,
)
from schema.registration_inputs import (
    RegisterAccountInput,
    RegisterContactInput,
    RegistrationAddressInput,
)
from schema.wallet_inputs import (
    CreateFavouritesListInput,
    CreateShippingAccountInput,
    SaveCreditCardInput,
    UpdateFavouritesListInput,
    UpdateShippingAccountInput,
)
from schema.webhook_api import CreateWebhookEndpointInput, UpdateWebhookEndpointInput

# (input, its change, the input's fields that name rows or arguments beside the change)
INPUTS: list[tuple[Any, type[Any], set[str]]] = [
    (CreateAccountInput, AccountChanges, set()),
    (UpdateAccountInput, AccountChanges, {"id"}),
    (CreateContactInput, ContactChanges, {"account_id", "role"}),
    (UpdateContactInput, ContactChanges, {"id"}),
    (CreateMembershipInput, MembershipChanges, {"contact_id", "account_id"}),
    (UpdateMembershipInput, MembershipChanges, {"id"}),
    (CreateAddressInput, AddressChanges, {"account_id"}),
    (UpdateAddressInput, AddressChanges, {"id"}),
    (RegisterAccountInput, AccountRegistration, set()),
    (RegistrationAddressInput, AddressChanges, set()),
    (RegisterContactInput, ContactChanges, {"ticket"}),
    (CreateFavouritesListInput, FavouritesListChanges, {"contact_id", "account_id"}),
    (UpdateFavouritesListInput, FavouritesListChanges, {"id"}),
    (CreateShippingAccountInput, ShippingAccountChanges, {"account_id"}),
    (UpdateShippingAccountInput, ShippingAccountChanges, {"id"}),
    (SaveCreditCardInput, CardDetails, {"account_id"}),
    (SetCartDetailsInput, CartDetailsChanges, {"cart_id"}),
    (CreateContractInput, ContractChanges, set()),
    (UpdateContractInput, ContractChanges, {"id"}),
]


def _input_fields(input_type: Any) -> set[str]:
    return {field.python_name for field in input_type.__strawberry_definition__.fields}


def _change_fields(change: type[Any]) -> set[str]:
    return {field.name for field in dataclasses.fields(change)}


@pytest.mark.parametrize(
    ("input_type", "change", "beside"), INPUTS, ids=lambda v: getattr(v, "__name__", "")
)
def test_every_input_field_is_a_field_of_its_change(
    input_type: Any, change: type[Any], beside: set[str]
) -> None:
    assert _input_fields(input_type) - beside <= _change_fields(change)


def test_the_inputs_defined_beside_their_mutations_build_their_changes() -> None:
    assert _input_fields(UpdateBudgetInput) - {"id"} <= _change_fields(BudgetChanges)
    assert _input_fields(CreateWebhookEndpointInput) <= _change_fields(EndpointChanges)
    assert _input_fields(UpdateWebhookEndpointInput) - {"id"} <= _change_fields(EndpointChanges)


# A child record names its account (and a contact its membership's role) beside its own fields.
ERP_KINDS: list[tuple[dict[str, Parser], type[Any], set[str]]] = [
    (ACCOUNT_FIELDS, AccountChanges, set()),
    (ADDRESS_FIELDS, AddressChanges, {"account_erp_key"}),
    (CONTACT_FIELDS, ContactChanges, {"account_erp_key", "role"}),
]


@pytest.mark.parametrize(
    ("fields", "change", "links"), ERP_KINDS, ids=["account", "address", "contact"]
)
def test_every_erp_field_of_a_kind_is_a_field_of_its_change(
    fields: dict[str, Parser], change: type[Any], links: set[str]
) -> None:
    assert set(fields) - links <= _change_fields(change)
