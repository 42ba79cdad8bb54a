"""Inputs of the wallet mutations."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from domain.wallet import SavedSearchGrid

UNSET = strawberry.UNSET


@strawberry.input
class CreateFavouritesListInput:
    name: str
    is_shared: bool = False
    contact_id: strawberry.ID | None = strawberry.field(
        default=None, description="Workers: the contact the list is for (its owner)."
    )
    account_id: strawberry.ID | None = strawberry.field(
        default=None, description="Workers: the account the list belongs to."
    )


@strawberry.input
class UpdateFavouritesListInput:
    id: strawberry.ID
    name: str | None = UNSET
    is_shared: bool | None = UNSET


@strawberry.input
class DeleteFavouritesListInput:
    id: strawberry.ID


@strawberry.input(description="Products by SKU to add to or remove from a favourites list.")
class FavouritesItemsInput:
    list_id: strawberry.ID
    skus: list[str]


@strawberry.input
class CreateSavedSearchInput:
    grid: SavedSearchGrid
    name: str
    filters: JSON = strawberry.field(
        description="Values of the grid's filter input (`AccountFilter`, `ContactFilter`, "
        "`OrderFilter`, `CartFilter`, `ProductFilter`)."
    )
    contact_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Workers: save it for this contact (of an account they look after); "
        "without it a worker saves its own.",
    )


@strawberry.input
class DeleteSavedSearchInput:
    id: strawberry.ID


@strawberry.input
class CreateShippingAccountInput:
    account_id: strawberry.ID
    carrier: str
    account_number: str
    name: str


@strawberry.input
class UpdateShippingAccountInput:
    id: strawberry.ID
    carrier: str | None = UNSET
    account_number: str | None = UNSET
    name: str | None = UNSET


@strawberry.input
class DeleteShippingAccountInput:
    id: strawberry.ID


@strawberry.input(
    description="A card vaulted by the payment gateway: its token and what identifies it to "
    "people. Never the card number or security code."
)
class SaveCreditCardInput:
    account_id: strawberry.ID
    token: str
    brand: str
    last4: str
    expiry_month: int
    expiry_year: int
    holder_name: str


@strawberry.input
class DeleteCreditCardInput:
    id: strawberry.ID


@strawberry.input
class UpdateWalletSettingsInput:
    credit_card_saving_enabled: bool | None = UNSET
