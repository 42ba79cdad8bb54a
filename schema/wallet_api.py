"""Wallet queries and mutations, and the wallet fields of `Account` and `Contact` (attached in
`schema.customer_types`)."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLInputType
from graphql.utilities import validate_input_value

from domain.errors import DomainError, DomainErrors, ErrorCode
from domain.payment_cards import CardDetails
from domain.wallet import FavouritesListChanges, SavedSearchGrid, ShippingAccountChanges
from loaders.wallet import ShippingAccountsByAccountIdLoader
from resolvers import wallet
from schema.info import Info
from schema.input_values import ROW_ID, key_of, set_values
from schema.payloads import Payload, mutation
from schema.permissions import require_admin, require_authenticated, require_people
from schema.relay import Connection, PageRequest, decode_id_of, paged, paginate_list
from schema.wallet_inputs import (
    CreateFavouritesListInput,
    CreateSavedSearchInput,
    CreateShippingAccountInput,
    DeleteCreditCardInput,
    DeleteFavouritesListInput,
    DeleteSavedSearchInput,
    DeleteShippingAccountInput,
    FavouritesItemsInput,
    SaveCreditCardInput,
    UpdateFavouritesListInput,
    UpdateShippingAccountInput,
    UpdateWalletSettingsInput,
)
from schema.wallet_types import (
    CreditCard,
    FavouritesList,
    SavedSearch,
    ShippingAccount,
)

# The GraphQL filter input of each grid whose searches can be saved.
GRID_FILTERS = {
    SavedSearchGrid.ACCOUNTS: "AccountFilter",
    SavedSearchGrid.CONTACTS: "ContactFilter",
    SavedSearchGrid.ORDERS: "OrderFilter",
    SavedSearchGrid.CARTS: "CartFilter",
    SavedSearchGrid.PRODUCTS: "ProductFilter",
}


# Fields of `Account` and `Contact`: `root` is an object the viewer may already read.


@paged
async def favourites_lists(root: Any, info: Info, page: PageRequest) -> Connection[FavouritesList]:
    rows = await wallet.account_favourites_lists(info.context, root.db_id)
    return await paginate_list(rows, page, FavouritesList.from_row)


@paged
async def shipping_accounts(
    root: Any, info: Info, page: PageRequest
) -> Connection[ShippingAccount]:
    rows = await info.context.loader(ShippingAccountsByAccountIdLoader).load(root.db_id)
    return await paginate_list(rows, page, ShippingAccount.from_row)


@paged
async def credit_cards(root: Any, info: Info, page: PageRequest) -> Connection[CreditCard]:
    rows = await wallet.account_credit_cards(info.context, root.row)
    return await paginate_list(rows, page, CreditCard.from_row)


async def restricted_favourites_list(root: Any, info: Info) -> FavouritesList | None:
    row = await wallet.readable_favourites_list(info.context, root.restricted_favourites_list_id)
    return FavouritesList.from_optional_row(row)


@paged
async def saved_searches(
    root: Any, info: Info, page: PageRequest
) -> Connection[SavedSearch] | None:
    rows = await wallet.contact_saved_searches(info.context, root.db_id)
    return None if rows is None else await paginate_list(rows, page, SavedSearch.from_row)


@paged
async def worker_saved_searches(
    root: Any, info: Info, page: PageRequest
) -> Connection[SavedSearch] | None:
    rows = await wallet.worker_saved_searches(info.context, root.db_id)
    return None if rows is None else await paginate_list(rows, page, SavedSearch.from_row)


def check_grid_filters(info: Info, grid: SavedSearchGrid, filters: Any) -> dict[str, Any]:
    """Seed 002 "Saved Searches … on data grid view pages": the saved values must be a valid
    value of the grid's own filter input, checked by GraphQL's input coercion itself."""
    # Strawberry exposes the graphql-core schema only as `_schema`.
    input_type: GraphQLInputType = info.schema._schema.get_type(GRID_FILTERS[grid])  # type: ignore[assignment]
    problems: list[DomainError] = []

    def collect(error: GraphQLError, path: list[str | int]) -> None:
        problems.append(
            DomainError(
                ErrorCode.INVALID, error.message, field=["filters", *(str(p) for p in path)]
            )
        )

    if not isinstance(filters, dict):
        raise DomainError(ErrorCode.INVALID, "filters must be an object", field=["filters"])
    validate_input_value(filters, input_type, collect)
    if problems:
        raise DomainErrors(problems)
    return filters


@strawberry.type(description="Settings section 'wallet'.")
class WalletSettings:
    credit_card_saving_enabled: bool = strawberry.field(
        description="Seed 002: the saving of credit cards can be disabled."
    )


@strawberry.type
class WalletQuery:
    @strawberry.field(description="A favourites list by ID; null if not visible.")
    async def favourites_list(self, info: Info, id: strawberry.ID) -> FavouritesList | None:
        require_authenticated(info.context.viewer)
        # A query answers an ID of another type with null, like any object it cannot see.
        row = await wallet.readable_favourites_list(
            info.context, decode_id_of(id, "FavouritesList")
        )
        return FavouritesList.from_optional_row(row)


@strawberry.type
class FavouritesListPayload(Payload):
    favourites_list: FavouritesList | None = None


@strawberry.type
class CreateFavouritesListPayload(FavouritesListPayload):
    pass


@strawberry.type
class UpdateFavouritesListPayload(FavouritesListPayload):
    pass


@strawberry.type
class AddFavouritesPayload(FavouritesListPayload):
    pass


@strawberry.type
class RemoveFavouritesPayload(FavouritesListPayload):
    pass


@strawberry.type
class DeleteFavouritesListPayload(Payload):
    deleted_favourites_list_id: strawberry.ID | None = None


@strawberry.type
class CreateSavedSearchPayload(Payload):
    saved_search: SavedSearch | None = None


@strawberry.type
class DeleteSavedSearchPayload(Payload):
    deleted_saved_search_id: strawberry.ID | None = None


@strawberry.type
class ShippingAccountPayload(Payload):
    shipping_account: ShippingAccount | None = None


@strawberry.type
class CreateShippingAccountPayload(ShippingAccountPayload):
    pass


@strawberry.type
class UpdateShippingAccountPayload(ShippingAccountPayload):
    pass


@strawberry.type
class DeleteShippingAccountPayload(Payload):
    deleted_shipping_account_id: strawberry.ID | None = None


@strawberry.type
class SaveCreditCardPayload(Payload):
    credit_card: CreditCard | None = None


@strawberry.type
class DeleteCreditCardPayload(Payload):
    deleted_credit_card_id: strawberry.ID | None = None


@strawberry.type
class UpdateWalletSettingsPayload(Payload):
    settings: WalletSettings | None = None


@strawberry.type
class WalletMutation:
    @mutation(
        CreateFavouritesListPayload,
        gate=require_people,
        description="A new favourites list of the contact's active account.",
    )
    async def create_favourites_list(
        self, info: Info, input: CreateFavouritesListInput
    ) -> dict[str, object]:
        row = await wallet.create_favourites_list(
            info.context,
            FavouritesListChanges(
                **set_values(input, exclude=frozenset({"contact_id", "account_id"}))
            ),
            contact_id=key_of(input.contact_id, "Contact", field="contactId"),
            account_id=key_of(input.account_id, "Account", field="accountId"),
        )
        return {"favourites_list": FavouritesList.from_row(row)}

    @mutation(
        UpdateFavouritesListPayload,
        gate=require_people,
        description="Rename a favourites list or share it with the account.",
    )
    async def update_favourites_list(
        self, info: Info, input: UpdateFavouritesListInput
    ) -> dict[str, object]:
        row = await wallet.update_favourites_list(
            info.context,
            key_of(input.id, "FavouritesList", field="id"),
            FavouritesListChanges(**set_values(input, exclude=ROW_ID)),
        )
        return {"favourites_list": FavouritesList.from_row(row)}

    @mutation(DeleteFavouritesListPayload, gate=require_people)
    async def delete_favourites_list(
        self, info: Info, input: DeleteFavouritesListInput
    ) -> dict[str, object]:
        await wallet.delete_favourites_list(
            info.context, key_of(input.id, "FavouritesList", field="id")
        )
        return {"deleted_favourites_list_id": input.id}

    @mutation(
        AddFavouritesPayload,
        gate=require_people,
        description="Add products (by SKU) to a favourites list.",
    )
    async def add_favourites(self, info: Info, input: FavouritesItemsInput) -> dict[str, object]:
        row = await wallet.add_favourites(
            info.context, key_of(input.list_id, "FavouritesList", field="listId"), input.skus
        )
        return {"favourites_list": FavouritesList.from_row(row)}

    @mutation(
        RemoveFavouritesPayload,
        gate=require_people,
        description="Remove products (by SKU) from a favourites list.",
    )
    async def remove_favourites(self, info: Info, input: FavouritesItemsInput) -> dict[str, object]:
        row = await wallet.remove_favourites(
            info.context, key_of(input.list_id, "FavouritesList", field="listId"), input.skus
        )
        return {"favourites_list": FavouritesList.from_row(row)}

    @mutation(
        CreateSavedSearchPayload,
        gate=require_people,
        description="Save a named search of a data grid (contacts).",
    )
    async def create_saved_search(
        self, info: Info, input: CreateSavedSearchInput
    ) -> dict[str, object]:
        filters = check_grid_filters(info, input.grid, input.filters)
        row = await wallet.create_saved_search(
            info.context,
            input.grid,
            input.name,
            filters,
            contact_id=key_of(input.contact_id, "Contact", field="contactId"),
        )
        return {"saved_search": SavedSearch.from_row(row)}

    @mutation(DeleteSavedSearchPayload, gate=require_people)
    async def delete_saved_search(
        self, info: Info, input: DeleteSavedSearchInput
    ) -> dict[str, object]:
        await wallet.delete_saved_search(info.context, key_of(input.id, "SavedSearch", field="id"))
        return {"deleted_saved_search_id": input.id}

    @mutation(CreateShippingAccountPayload, gate=require_people)
    async def create_shipping_account(
        self, info: Info, input: CreateShippingAccountInput
    ) -> dict[str, object]:
        row = await wallet.create_shipping_account(
            info.context,
            key_of(input.account_id, "Account", field="accountId"),
            ShippingAccountChanges(**set_values(input, exclude=frozenset({"account_id"}))),
        )
        return {"shipping_account": ShippingAccount.from_row(row)}

    @mutation(UpdateShippingAccountPayload, gate=require_people)
    async def update_shipping_account(
        self, info: Info, input: UpdateShippingAccountInput
    ) -> dict[str, object]:
        row = await wallet.update_shipping_account(
            info.context,
            key_of(input.id, "ShippingAccount", field="id"),
            ShippingAccountChanges(**set_values(input, exclude=ROW_ID)),
        )
        return {"shipping_account": ShippingAccount.from_row(row)}

    @mutation(DeleteShippingAccountPayload, gate=require_people)
    async def delete_shipping_account(
        self, info: Info, input: DeleteShippingAccountInput
    ) -> dict[str, object]:
        await wallet.delete_shipping_account(
            info.context, key_of(input.id, "ShippingAccount", field="id")
        )
        return {"deleted_shipping_account_id": input.id}

    @mutation(
        SaveCreditCardPayload,
        gate=require_people,
        description="Keep a card the payment gateway vaulted. Card numbers and security codes "
        "are refused.",
    )
    async def save_credit_card(self, info: Info, input: SaveCreditCardInput) -> dict[str, object]:
        row = await wallet.save_credit_card(
            info.context,
            key_of(input.account_id, "Account", field="accountId"),
            CardDetails(**set_values(input, exclude=frozenset({"account_id"}))),
        )
        return {"credit_card": CreditCard.from_row(row)}

    @mutation(DeleteCreditCardPayload, gate=require_people)
    async def delete_credit_card(
        self, info: Info, input: DeleteCreditCardInput
    ) -> dict[str, object]:
        await wallet.delete_credit_card(info.context, key_of(input.id, "CreditCard", field="id"))
        return {"deleted_credit_card_id": input.id}

    @mutation(
        UpdateWalletSettingsPayload,
        gate=require_admin,
        description="Settings section 'wallet' (ADMIN workers).",
    )
    async def update_wallet_settings(
        self, info: Info, input: UpdateWalletSettingsInput
    ) -> dict[str, object]:
        settings = await wallet.update_wallet_settings(info.context, set_values(input))
        return {"settings": WalletSettings(**settings.model_dump())}
