"""Loaders of the wallet: favourites lists and items, saved searches, shipping accounts, cards."""

from __future__ import annotations

from loaders.base import RowByKeyLoader, RowsByKeyLoader
from loaders.pages import PageLoader
from models import (
    CreditCard,
    FavouritesItem,
    FavouritesList,
    SavedSearch,
    ShippingAccount,
)


class FavouritesListByIdLoader(RowByKeyLoader[FavouritesList]):
    model = FavouritesList


class FavouritesListsByAccountIdLoader(RowsByKeyLoader[FavouritesList]):
    model = FavouritesList
    key_column = "account_id"
    order_by = ("name", "id")


class FavouritesItemsByListIdLoader(RowsByKeyLoader[FavouritesItem]):
    model = FavouritesItem
    key_column = "list_id"


class FavouritesItemPagesLoader(PageLoader):
    model = FavouritesItem
    key_column = "list_id"


class SavedSearchByIdLoader(RowByKeyLoader[SavedSearch]):
    model = SavedSearch


class SavedSearchesByContactIdLoader(RowsByKeyLoader[SavedSearch]):
    model = SavedSearch
    key_column = "contact_id"
    order_by = ("name", "id")


class SavedSearchesByWorkerIdLoader(RowsByKeyLoader[SavedSearch]):
    model = SavedSearch
    key_column = "worker_id"
    order_by = ("name", "id")


class ShippingAccountByIdLoader(RowByKeyLoader[ShippingAccount]):
    model = ShippingAccount


class ShippingAccountsByAccountIdLoader(RowsByKeyLoader[ShippingAccount]):
    model = ShippingAccount
    key_column = "account_id"
    order_by = ("name", "id")


class CreditCardByIdLoader(RowByKeyLoader[CreditCard]):
    model = CreditCard


class CreditCardsByAccountIdLoader(RowsByKeyLoader[CreditCard]):
    model = CreditCard
    key_column = "account_id"
