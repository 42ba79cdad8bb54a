"""Wallet-style data of seed 002: favourites lists, saved searches, shipping accounts and
vaulted credit cards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlmodel import col

from core.context import Context
from domain.changes import given, set_fields
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.payment_cards import CardDetails, validate_card
from domain.wallet import (
    FavouritesAccess,
    FavouritesListChanges,
    SavedSearchGrid,
    ShippingAccountChanges,
    favourites_access,
    may_change_shipping_account,
    may_hold_card,
    validate_favourites_list,
    validate_saved_search,
    validate_shipping_account,
)
from loaders.accounts import MembershipsByContactIdLoader
from loaders.wallet import (
    CreditCardByIdLoader,
    CreditCardsByAccountIdLoader,
    FavouritesListByIdLoader,
    FavouritesListsByAccountIdLoader,
    SavedSearchByIdLoader,
    SavedSearchesByContactIdLoader,
    SavedSearchesByWorkerIdLoader,
    ShippingAccountByIdLoader,
)
from models import (
    Account,
    CreditCard,
    FavouritesItem,
    FavouritesList,
    Product,
    SavedSearch,
    ShippingAccount,
)
from models.column_limits import and_column_errors
from resolvers.access import managed_account, may_manage, readable_account
from resolvers.contacts import readable_contact
from resolvers.platform_settings import load_section, save_section
from resolvers.row_locks import lock_row

WALLET_SECTION = "wallet"


class WalletSettings(BaseModel):
    """Seed 002: "the saving of Credit Cards can be disabled"."""

    credit_card_saving_enabled: bool = True


async def wallet_settings(context: Context) -> WalletSettings:
    return await load_section(context, WALLET_SECTION, WalletSettings)


async def update_wallet_settings(context: Context, changes: Mapping[str, Any]) -> WalletSettings:
    return await save_section(context, WALLET_SECTION, WalletSettings, changes)


def _uses_wallet(context: Context, account: Account) -> bool:
    """Members of the account keep its wallet; so do staff and its sales rep."""
    assert account.id is not None
    return account.id in context.viewer.memberships or may_manage(context.viewer, account)


async def _wallet_account(context: Context, account_id: int | None, *, field: str) -> Account:
    account = await readable_account(context, account_id)
    if account is None or account.id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such account", field=[field])
    if not _uses_wallet(context, account):
        raise DomainError(
            ErrorCode.NOT_PERMITTED, "You may not change this account's wallet", field=[field]
        )
    return account


# Favourites lists ------------------------------------------------------------------------------


async def _restricted_list_ids(context: Context) -> set[int]:
    contact_id = context.viewer.contact_id
    if contact_id is None:
        return set()
    memberships = await context.loader(MembershipsByContactIdLoader).load(contact_id)
    return {m.restricted_favourites_list_id for m in memberships if m.restricted_favourites_list_id}


async def access_to_lists(
    context: Context, lists: Sequence[FavouritesList]
) -> dict[int, FavouritesAccess]:
    """Each list's access for the viewer; the lists' accounts are readable ones."""
    restricted = await _restricted_list_ids(context)
    viewer = context.viewer
    result: dict[int, FavouritesAccess] = {}
    for favourites in lists:
        assert favourites.id is not None
        account = await readable_account(context, favourites.account_id)
        result[favourites.id] = favourites_access(
            viewer_contact_id=viewer.contact_id,
            owner_contact_id=favourites.owner_contact_id,
            is_shared=favourites.is_shared,
            is_member=favourites.account_id in viewer.memberships,
            manages_account=account is not None and may_manage(viewer, account),
            restricted_for_viewer=favourites.id in restricted,
        )
    return result


async def account_favourites_lists(context: Context, account_id: int) -> list[FavouritesList]:
    lists = await context.loader(FavouritesListsByAccountIdLoader).load(account_id)
    access = await access_to_lists(context, lists)
    return [f for f in lists if f.id is not None and access[f.id] is not FavouritesAccess.NONE]


async def readable_favourites_list(context: Context, list_id: int | None) -> FavouritesList | None:
    if list_id is None:
        return None
    favourites: FavouritesList | None = await context.loader(FavouritesListByIdLoader).load(list_id)
    if favourites is None or favourites.id is None:
        return None
    access = await access_to_lists(context, [favourites])
    return favourites if access[favourites.id] is not FavouritesAccess.NONE else None


async def _editable_list(context: Context, list_id: int | None, *, field: str) -> FavouritesList:
    favourites = await readable_favourites_list(context, list_id)
    if favourites is None or favourites.id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such favourites list", field=[field])
    access = await access_to_lists(context, [favourites])
    if access[favourites.id] is not FavouritesAccess.EDIT:
        raise DomainError(
            ErrorCode.NOT_PERMITTED, "This favourites list is read-only for you", field=[field]
        )
    # Adding reads the items present to skip them: changes of one list take turns, so a product
    # added twice at once is added once rather than refused as a duplicate.
    await lock_row(context, FavouritesList, favourites.id)
    return favourites


async def _member_for_worker(
    context: Context, contact_id: int | None, account_id: int | None
) -> tuple[int, int]:
    """Seed 002: workers create wallet data "for" contacts. The (contact, account) a worker
    names: an account it looks after, and a contact that is an active member of it."""
    raise_if_any(
        [
            DomainError(ErrorCode.REQUIRED, f"{name} is required for a worker", field=[name])
            for name, value in (("contactId", contact_id), ("accountId", account_id))
            if value is None
        ]
    )
    account = await managed_account(context, account_id, field="accountId")
    assert account.id is not None and contact_id is not None
    memberships = await context.loader(MembershipsByContactIdLoader).load(contact_id)
    if not any(m.account_id == account.id and m.is_active for m in memberships):
        raise DomainError(
            ErrorCode.NOT_FOUND, "No such contact at this account", field=["contactId"]
        )
    return contact_id, account.id


async def create_favourites_list(
    context: Context,
    changes: FavouritesListChanges,
    *,
    contact_id: int | None = None,
    account_id: int | None = None,
) -> FavouritesList:
    """A contact's new list at its active account; a worker makes one for a contact of an
    account it looks after (seed 002: "Favorites Lists can be created by a CIMcloud Worker or
    Customer Contact")."""
    viewer = context.viewer
    if viewer.worker_id is not None:
        owner_id, list_account_id = await _member_for_worker(context, contact_id, account_id)
    elif viewer.contact_id is None or viewer.active_account_id is None:
        raise DomainError(
            ErrorCode.NOT_PERMITTED, "Only a contact acting for an account keeps favourites"
        )
    elif contact_id not in (None, viewer.contact_id) or account_id not in (
        None,
        viewer.active_account_id,
    ):
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "A contact makes lists for itself at its active account",
            field=["contactId" if contact_id not in (None, viewer.contact_id) else "accountId"],
        )
    else:
        owner_id, list_account_id = viewer.contact_id, viewer.active_account_id
    raise_if_any(
        and_column_errors(validate_favourites_list(changes, creating=True), FavouritesList, changes)
    )
    favourites = FavouritesList(
        account_id=list_account_id,
        owner_contact_id=owner_id,
        name=(given(changes.name) or "").strip(),
        is_shared=bool(given(changes.is_shared)),
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(favourites)
    await context.session.flush()
    return favourites


async def update_favourites_list(
    context: Context, list_id: int | None, changes: FavouritesListChanges
) -> FavouritesList:
    """A null name or sharing flag, like an unsent one, changes nothing."""
    favourites = await _editable_list(context, list_id, field="id")
    raise_if_any(
        and_column_errors(
            validate_favourites_list(changes, creating=False), FavouritesList, changes
        )
    )
    name, is_shared = given(changes.name), given(changes.is_shared)
    if name is not None:
        favourites.name = name.strip()
    if is_shared is not None:
        favourites.is_shared = is_shared
    favourites.updated_at = context.now
    return favourites


async def delete_favourites_list(context: Context, list_id: int | None) -> int:
    favourites = await _editable_list(context, list_id, field="id")
    assert favourites.id is not None
    await context.session.delete(favourites)
    return favourites.id


async def _products_by_sku(context: Context, skus: Sequence[str]) -> list[Product]:
    """The products named by `skus`, in order; every unknown SKU is a refusal."""
    wanted = [sku.strip().upper() for sku in skus]
    found = {
        p.sku.upper(): p
        for p in await context.db.scalars(select(Product).where(col(Product.sku).in_(set(wanted))))
    }
    raise_if_any(
        [
            DomainError(ErrorCode.NOT_FOUND, f"No product with SKU {sku}", field=["skus", str(i)])
            for i, sku in enumerate(wanted)
            if sku not in found
        ]
    )
    return [found[sku] for sku in wanted]


async def add_favourites(
    context: Context, list_id: int | None, skus: Sequence[str]
) -> FavouritesList:
    """Adding a product already on the list changes nothing."""
    favourites = await _editable_list(context, list_id, field="listId")
    products = await _products_by_sku(context, skus)
    present = set(
        await context.db.scalars(
            select(col(FavouritesItem.product_id)).where(
                col(FavouritesItem.list_id) == favourites.id
            )
        )
    )
    assert favourites.id is not None
    for product in products:
        if product.id not in present and product.id is not None:
            present.add(product.id)
            context.session.add(
                FavouritesItem(list_id=favourites.id, product_id=product.id, added_at=context.now)
            )
    favourites.updated_at = context.now
    return favourites


async def remove_favourites(
    context: Context, list_id: int | None, skus: Sequence[str]
) -> FavouritesList:
    favourites = await _editable_list(context, list_id, field="listId")
    products = await _products_by_sku(context, skus)
    await context.db.execute(
        delete(FavouritesItem).where(
            col(FavouritesItem.list_id) == favourites.id,
            col(FavouritesItem.product_id).in_([p.id for p in products]),
        )
    )
    favourites.updated_at = context.now
    return favourites


# Saved searches --------------------------------------------------------------------------------


async def _reads_searches_of(context: Context, contact_id: int) -> bool:
    """Seed 002 "The Saved Searches section allows the worker to view the searches contacts have
    created": the contact's own, and anyone who may read the contact's accounts as a worker."""
    viewer = context.viewer
    if viewer.contact_id == contact_id:
        return True
    return viewer.worker_id is not None and await readable_contact(context, contact_id) is not None


async def contact_saved_searches(context: Context, contact_id: int) -> list[SavedSearch] | None:
    if not await _reads_searches_of(context, contact_id):
        return None
    rows: list[SavedSearch] = await context.loader(SavedSearchesByContactIdLoader).load(contact_id)
    return rows


async def readable_saved_search(context: Context, search_id: int) -> SavedSearch | None:
    """A saved search where its owner's list would show it: a contact's (to the contact and the
    workers who read it), or a worker's own."""
    search: SavedSearch | None = await context.loader(SavedSearchByIdLoader).load(search_id)
    if search is None:
        return None
    if search.contact_id is None:
        return search if context.viewer.worker_id == search.worker_id else None
    return search if await _reads_searches_of(context, search.contact_id) else None


async def worker_saved_searches(context: Context, worker_id: int) -> list[SavedSearch] | None:
    """A worker's own saved searches, for that worker only."""
    if context.viewer.worker_id != worker_id:
        return None
    rows: list[SavedSearch] = await context.loader(SavedSearchesByWorkerIdLoader).load(worker_id)
    return rows


async def _search_owner(context: Context, contact_id: int | None) -> tuple[int | None, int | None]:
    """(contact, worker) owning a new saved search: the contact's own; a worker's own, or one it
    makes for a contact of an account it looks after (seed 002: "the worker ... view[s] the
    searches contacts have created")."""
    viewer = context.viewer
    if viewer.worker_id is None:
        if contact_id not in (None, viewer.contact_id):
            raise DomainError(
                ErrorCode.NOT_PERMITTED, "A contact saves its own searches", field=["contactId"]
            )
        return viewer.contact_id, None
    if contact_id is None:
        return None, viewer.worker_id
    if await readable_contact(context, contact_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such contact", field=["contactId"])
    if not await _looks_after(context, contact_id):
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "You may not save searches for this contact",
            field=["contactId"],
        )
    return contact_id, None


async def _looks_after(context: Context, contact_id: int) -> bool:
    """The viewer manages one of the contact's accounts."""
    memberships = await context.loader(MembershipsByContactIdLoader).load(contact_id)
    for membership in memberships:
        account = await readable_account(context, membership.account_id)
        if account is not None and may_manage(context.viewer, account):
            return True
    return False


async def create_saved_search(
    context: Context,
    grid: SavedSearchGrid,
    name: str,
    filters: dict[str, Any],
    *,
    contact_id: int | None = None,
) -> SavedSearch:
    """`filters` has been checked against the grid's filter input by the caller."""
    owner_contact_id, owner_worker_id = await _search_owner(context, contact_id)
    raise_if_any(and_column_errors(validate_saved_search(name=name), SavedSearch, {"name": name}))
    search = SavedSearch(
        contact_id=owner_contact_id,
        worker_id=owner_worker_id,
        grid=grid,
        name=name.strip(),
        filters=filters,
        created_at=context.now,
    )
    context.session.add(search)
    await context.session.flush()
    return search


async def delete_saved_search(context: Context, search_id: int | None) -> int:
    """Its owner deletes it; so does a worker who looks after the contact that owns it."""
    viewer = context.viewer
    search = await context.session.get(SavedSearch, search_id) if search_id else None
    owns = search is not None and (
        (search.contact_id is not None and search.contact_id == viewer.contact_id)
        or (search.worker_id is not None and search.worker_id == viewer.worker_id)
        or (
            viewer.worker_id is not None
            and search.contact_id is not None
            and await _looks_after(context, search.contact_id)
        )
    )
    if search is None or search.id is None or not owns:
        raise DomainError(ErrorCode.NOT_FOUND, "No such saved search", field=["id"])
    await context.session.delete(search)
    return search.id


# Shipping accounts -----------------------------------------------------------------------------


def _trimmed(changes: ShippingAccountChanges) -> dict[str, Any]:
    """The columns `changes` sets, their text trimmed."""
    return {name: value.strip() for name, value in set_fields(changes).items()}


async def create_shipping_account(
    context: Context, account_id: int | None, changes: ShippingAccountChanges
) -> ShippingAccount:
    account = await _wallet_account(context, account_id, field="accountId")
    assert account.id is not None
    raise_if_any(
        and_column_errors(
            validate_shipping_account(changes, creating=True), ShippingAccount, changes
        )
    )
    shipping = ShippingAccount(
        account_id=account.id,
        created_by_contact_id=context.viewer.contact_id,
        **_trimmed(changes),
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(shipping)
    await context.session.flush()
    return shipping


async def readable_shipping_account(
    context: Context, shipping_id: int | None
) -> ShippingAccount | None:
    """Every reader of the account sees its shipping accounts (`Account.shippingAccounts`)."""
    shipping: ShippingAccount | None = (
        await context.loader(ShippingAccountByIdLoader).load(shipping_id) if shipping_id else None
    )
    if shipping is None or await readable_account(context, shipping.account_id) is None:
        return None
    return shipping


async def _changeable_shipping_account(
    context: Context, shipping_id: int | None
) -> ShippingAccount:
    shipping = await readable_shipping_account(context, shipping_id)
    if shipping is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such shipping account", field=["id"])
    account = await _wallet_account(context, shipping.account_id, field="id")
    if not may_change_shipping_account(
        context.viewer,
        created_by_contact_id=shipping.created_by_contact_id,
        manages_account=may_manage(context.viewer, account),
    ):
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "Only the contact who added a shipping account, or who manages the account, changes it",
            field=["id"],
        )
    return shipping


async def update_shipping_account(
    context: Context, shipping_id: int | None, changes: ShippingAccountChanges
) -> ShippingAccount:
    shipping = await _changeable_shipping_account(context, shipping_id)
    raise_if_any(
        and_column_errors(
            validate_shipping_account(changes, creating=False), ShippingAccount, changes
        )
    )
    for name, value in _trimmed(changes).items():
        setattr(shipping, name, value)
    shipping.updated_at = context.now
    return shipping


async def delete_shipping_account(context: Context, shipping_id: int | None) -> int:
    shipping = await _changeable_shipping_account(context, shipping_id)
    assert shipping.id is not None
    await context.session.delete(shipping)
    return shipping.id


# Credit cards ----------------------------------------------------------------------------------


def _holds(context: Context, account: Account, card: CreditCard) -> bool:
    assert account.id is not None
    return may_hold_card(
        context.viewer,
        account_id=account.id,
        card_contact_id=card.contact_id,
        manages_account=may_manage(context.viewer, account),
    )


async def readable_credit_card(context: Context, card_id: int | None) -> CreditCard | None:
    """A saved card the viewer may see, use and delete (`domain.wallet.may_hold_card`); any
    other is None, like one that does not exist."""
    card: CreditCard | None = (
        await context.loader(CreditCardByIdLoader).load(card_id) if card_id else None
    )
    if card is None:
        return None
    account = await readable_account(context, card.account_id)
    return card if account is not None and _holds(context, account, card) else None


async def account_credit_cards(context: Context, account: Account) -> list[CreditCard]:
    """`Account.creditCards` of an account the viewer reads: the cards it holds."""
    cards = await context.loader(CreditCardsByAccountIdLoader).load(account.id)
    return [card for card in cards if _holds(context, account, card)]


async def save_credit_card(
    context: Context, account_id: int | None, card_details: CardDetails
) -> CreditCard:
    """Seed 002 "Credit Cards": a vaulted reference only, and only while saving is enabled."""
    if not (await wallet_settings(context)).credit_card_saving_enabled:
        raise DomainError(ErrorCode.NOT_PERMITTED, "Saving credit cards is switched off")
    account = await _wallet_account(context, account_id, field="accountId")
    assert account.id is not None
    raise_if_any(
        and_column_errors(
            validate_card(card_details, today=context.now.date()),
            CreditCard,
            asdict(card_details),
        )
    )
    token = card_details.token.strip()
    # Among the cards of the same owner only (the unique indexes say the same): a token saved
    # by someone else, here or at another account, is not the caller's business.
    owner = context.viewer.contact_id
    saved = await context.db.scalar(
        select(col(CreditCard.id)).where(
            col(CreditCard.account_id) == account.id,
            col(CreditCard.contact_id).is_(None)
            if owner is None
            else col(CreditCard.contact_id) == owner,
            col(CreditCard.token) == token,
        )
    )
    if saved is not None:
        raise DomainError(ErrorCode.DUPLICATE, "This card is already saved", field=["token"])
    card = CreditCard(
        account_id=account.id,
        contact_id=context.viewer.contact_id,
        token=token,
        brand=card_details.brand.strip(),
        last4=card_details.last4,
        expiry_month=card_details.expiry_month,
        expiry_year=card_details.expiry_year,
        holder_name=card_details.holder_name.strip(),
        created_at=context.now,
    )
    context.session.add(card)
    await context.session.flush()
    return card


async def delete_credit_card(context: Context, card_id: int | None) -> int:
    card = await readable_credit_card(context, card_id)
    if card is None or card.id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such credit card", field=["id"])
    await context.session.delete(card)
    return card.id
