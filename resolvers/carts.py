"""Carts: create, change lines (re-priced on every change), ship-to and checkout details, and
who may see them. Cost centres of an account."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, delete, false, or_, select, true
from sqlmodel import col

from core.context import Context
from domain.access import ViewerKind, can_place_orders
from domain.approvals import ApproverRights, sees_cart
from domain.carts import (
    WORKER_SHIP_TO_RIGHTS,
    CartDetailsChanges,
    ShipToRights,
    check_cost_centre,
    check_date_required,
    check_line_count,
    check_quantity,
    check_ship_to,
    owns_cart,
)
from domain.changes import UNSET, given, set_fields
from domain.customers import AddressChanges, validate_address
from domain.enums import AddressKind, ApiKeyScope, CartEventKind, CartStatus
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import MAX_NOTE_LENGTH, check_length, check_required, under
from domain.wallet import allowed_by_restricted_list
from loaders.accounts import (
    AddressByIdLoader,
    AddressesByAccountIdLoader,
    MembershipsByContactIdLoader,
)
from loaders.carts import CartByIdLoader, CostCentresByAccountIdLoader
from loaders.pricing import ProductByIdLoader
from loaders.wallet import FavouritesItemsByListIdLoader
from models import Account, AccountMembership, Address, Cart, CartEvent, CartLine, CostCentre
from models.column_limits import and_column_errors, column_errors
from resolvers.access import may_manage, readable_account
from resolvers.live_events import cart_changed
from resolvers.pricing import offers_for
from resolvers.row_locks import lock_row
from resolvers.search import contains, search_term
from resolvers.wallet import readable_favourites_list

DEFAULT_CART_NAME = "My cart"

# Every change of a cart and every checkout reads its lines: built once, the cart bound per call
# (building a statement and its cache key cost about as much as the read).
_CART_LINES = (
    select(CartLine).where(col(CartLine.cart_id) == bindparam("cart_id")).order_by(col(CartLine.id))
)


async def membership_of(
    context: Context, contact_id: int | None, account_id: int
) -> AccountMembership | None:
    if contact_id is None:
        return None
    rows = await context.loader(MembershipsByContactIdLoader).load(contact_id)
    return next((m for m in rows if m.account_id == account_id), None)


def ship_to_rights(membership: AccountMembership | None) -> ShipToRights:
    if membership is None:
        return WORKER_SHIP_TO_RIGHTS
    return ShipToRights(
        may_select_ship_to=membership.may_select_ship_to,
        may_enter_manual_ship_to=membership.may_enter_manual_ship_to,
        allow_future_orders=membership.allow_future_orders,
    )


def approver_rights(membership: AccountMembership) -> ApproverRights:
    return ApproverRights(
        contact_id=membership.contact_id,
        approve_assigned=membership.approve_assigned,
        approve_all=membership.approve_all,
        maximum_approval_value=membership.maximum_approval_value,
    )


async def approver_sees(context: Context, cart: Cart) -> ApproverRights | None:
    """The viewer's approver rights at the cart's account when they let it see the cart."""
    if context.viewer.contact_id is None or cart.contact_id is None:
        return None
    mine, shopper = await context.loader(MembershipsByContactIdLoader).load_many(
        [context.viewer.contact_id, cart.contact_id]
    )
    own = next((m for m in mine if m.account_id == cart.account_id), None)
    theirs = next((m for m in shopper if m.account_id == cart.account_id), None)
    if own is None or theirs is None:
        return None
    rights = approver_rights(own)
    visible = sees_cart(
        approver=rights, shopper_id=cart.contact_id, shopper_approver_id=theirs.cart_approver_id
    )
    return rights if visible else None


async def readable_cart(context: Context, cart_id: int | None) -> Cart | None:
    """Its owner, those who manage the account (administrators, staff, its sales rep) and the
    approvers who see it may read a cart; for anyone else it does not exist."""
    if cart_id is None:
        return None
    cart: Cart | None = await context.loader(CartByIdLoader).load(cart_id)
    if cart is None:
        return None
    account = await readable_account(context, cart.account_id)
    if account is None:
        return None
    viewer = context.viewer
    if owns_cart(viewer, contact_id=cart.contact_id, worker_id=cart.worker_id):
        return cart
    if may_manage(viewer, account) or await approver_sees(context, cart) is not None:
        return cart
    return None


async def owned_cart(
    context: Context, cart_id: int | None, *, lock: bool = False, field: str = "cartId"
) -> Cart:
    """The viewer's own cart, to change or check out. With `lock`, the row is locked (and
    re-read) so that concurrent changes and checkouts of one cart take turns."""
    cart = await readable_cart(context, cart_id)
    if cart is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such cart", field=[field])
    if not owns_cart(context.viewer, contact_id=cart.contact_id, worker_id=cart.worker_id):
        raise DomainError(ErrorCode.NOT_PERMITTED, "Only its owner changes a cart", field=[field])
    if lock:
        await locked(context, cart)
    return cart


async def locked(context: Context, cart: Cart) -> None:
    """Lock the cart's row until the transaction ends and refresh it: a change or checkout that
    waited for another sees that one's result."""
    await lock_row(context, Cart, cart.id)


def require_open(cart: Cart, *, field: str = "cartId") -> None:
    if cart.status is CartStatus.PENDING_APPROVAL:
        raise DomainError(ErrorCode.INVALID, "The cart is waiting for approval", field=[field])
    if cart.status is CartStatus.CHECKED_OUT:
        raise DomainError(ErrorCode.INVALID, "The cart has been checked out", field=[field])


async def open_cart(context: Context, cart_id: int | None) -> Cart:
    """The viewer's open cart, locked for the change: every change reads the cart's lines and
    writes them and the total back, so two changes at once must take turns or one is lost."""
    cart = await owned_cart(context, cart_id, lock=True)
    require_open(cart)
    return cart


def record_event(
    context: Context,
    cart: Cart,
    kind: CartEventKind,
    *,
    comment: str | None = None,
    order_id: int | None = None,
) -> None:
    assert cart.id is not None
    context.session.add(
        CartEvent(
            cart_id=cart.id,
            kind=kind,
            contact_id=context.viewer.contact_id,
            worker_id=context.viewer.worker_id,
            comment=comment,
            order_id=order_id,
            created_at=context.now,
        )
    )
    cart.updated_at = context.now
    cart_changed(context, cart, kind)


def check_places_orders(context: Context) -> None:
    if not can_place_orders(context.viewer):
        raise DomainError(ErrorCode.NOT_PERMITTED, "You may not place orders for customer accounts")


async def create_cart(context: Context, name: str | None) -> Cart:
    """A new cart for the viewer's active account, shipping to the viewer's default ship-to."""
    check_places_orders(context)
    account = await readable_account(context, context.viewer.active_account_id)
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Choose the account to buy for first", field=None)
    assert account.id is not None
    name = (name or DEFAULT_CART_NAME).strip()
    raise_if_any(and_column_errors(check_required("name", name), Cart, {"name": name}))
    membership = await membership_of(context, context.viewer.contact_id, account.id)
    cart = Cart(
        account_id=account.id,
        contact_id=context.viewer.contact_id,
        worker_id=context.viewer.worker_id if context.viewer.contact_id is None else None,
        name=name,
        ship_to_address_id=membership.default_ship_to_id if membership else None,
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(cart)
    await context.session.flush()
    record_event(context, cart, CartEventKind.CREATED)
    return cart


@dataclass(frozen=True)
class LineChange:
    """One entry of a line mutation's `lines` (or of `addFavouritesToCart`'s list items): its
    position in the input and what it asks."""

    index: int
    product_id: int | None = None
    line_id: int | None = None
    quantity: int = 0
    # The input field the entry is reported under: `lines`, or `items` for a favourites list.
    field: str = "lines"


async def cart_lines(context: Context, cart: Cart) -> list[CartLine]:
    return list((await context.db.execute(_CART_LINES, {"cart_id": cart.id})).scalars())


async def _reprice(
    context: Context,
    cart: Cart,
    lines: Sequence[CartLine],
    paths: Mapping[int, list[str]],
    errors: list[DomainError],
) -> None:
    """Price the lines of the products in `paths` (product id -> its input path) through the
    pricing rule at their new quantities. Each refused product adds an error on its path; with
    any error (`errors` brings the input's own), or more lines than a cart holds, nothing is
    changed. Then the cart total."""
    membership = await membership_of(context, cart.contact_id, cart.account_id)
    changed = [line for line in lines if line.product_id in paths]
    offers = await offers_for(
        context,
        account_id=cart.account_id,
        membership_id=membership.id if membership else None,
        quantities={line.product_id: line.quantity for line in changed},
    )
    restricted_to = await restricted_list_products(context, membership)
    for product_id, path in paths.items():
        offer = offers.get(product_id)
        if offer is None:
            errors.append(DomainError(ErrorCode.NOT_FOUND, "No such product", field=path))
        elif not allowed_by_restricted_list(product_id=product_id, restricted_to=restricted_to):
            errors.append(
                DomainError(
                    ErrorCode.NOT_PERMITTED,
                    "You may only buy the products of your favourites list",
                    field=path,
                )
            )
        elif not offer.available or offer.unit_price is None:
            errors.append(
                DomainError(
                    ErrorCode.NOT_PERMITTED,
                    offer.reason or "This product has no price for your account",
                    field=path,
                )
            )
    input_list = next(iter(paths.values()), ["lines"])[:1]
    raise_if_any(sorted(errors, key=_line_index) + check_line_count(input_list, len(lines)))
    for line in changed:
        unit_price = offers[line.product_id].unit_price
        assert unit_price is not None
        line.unit_price = unit_price
        line.line_total = unit_price * line.quantity
    cart.total = sum((line.line_total for line in lines), Decimal("0"))
    cart.updated_at = context.now


async def restricted_list_products(
    context: Context, membership: AccountMembership | None
) -> frozenset[int] | None:
    """The products of the shopper's restricted favourites list (CM10), in one batch; None when
    the membership names no list (a worker's cart has no membership)."""
    if membership is None or membership.restricted_favourites_list_id is None:
        return None
    items = await context.loader(FavouritesItemsByListIdLoader).load(
        membership.restricted_favourites_list_id
    )
    return frozenset(item.product_id for item in items)


def _path(change: LineChange, name: str) -> list[str]:
    return [change.field, str(change.index), name]


def _line_index(error: DomainError) -> int:
    """Errors are reported in the order of the input's lines."""
    return int(error.field[1]) if error.field else -1


async def add_cart_lines(context: Context, cart_id: int | None, changes: list[LineChange]) -> Cart:
    """Add products; a product already in the cart gets the quantities added to its line."""
    cart = await open_cart(context, cart_id)
    assert cart.id is not None
    lines = await cart_lines(context, cart)
    by_product = {line.product_id: line for line in lines}
    errors: list[DomainError] = []
    paths: dict[int, list[str]] = {}
    for change in changes:
        if change.product_id is None:
            errors.append(
                DomainError(
                    ErrorCode.NOT_FOUND, "No such product", field=_path(change, "productId")
                )
            )
            continue
        line = by_product.get(change.product_id)
        if line is None:
            line = CartLine(
                cart_id=cart.id,
                product_id=change.product_id,
                quantity=0,
                unit_price=Decimal("0"),
                line_total=Decimal("0"),
            )
            by_product[change.product_id] = line
            lines.append(line)
        line.quantity += change.quantity
        path = _path(change, "quantity")
        # The quantity asked, then the line's new quantity once merged.
        errors += check_quantity(path, change.quantity) or check_quantity(path, line.quantity)
        paths.setdefault(change.product_id, _path(change, "productId"))
    await _reprice(context, cart, lines, paths, errors)
    context.session.add_all(line for line in lines if line.id is None)
    # New lines get their ids now, so the cart's lines can be read back in the same unit.
    await context.session.flush()
    return cart


async def add_favourites_to_cart(
    context: Context,
    cart_id: int | None,
    list_id: int | None,
    quantities: Sequence[tuple[str, int]],
) -> Cart:
    """Every product of a favourites list the viewer may read, into its own open cart: one unit
    each unless `quantities` gives one for its SKU. The items go through `add_cart_lines`, so
    pricing and restrictions apply; a refused item is reported on `["items", i, "productId"]`,
    `i` its position in `FavouritesList.items`."""
    favourites = await readable_favourites_list(context, list_id)
    if favourites is None or favourites.id is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, "No such favourites list", field=["favouritesListId"]
        )
    items = await context.loader(FavouritesItemsByListIdLoader).load(favourites.id)
    # Items go with their product (ON DELETE CASCADE), so every item has one.
    products = await context.loader(ProductByIdLoader).load_many([i.product_id for i in items])
    skus = [product.sku.upper() for product in products]
    errors: list[DomainError] = []
    asked: dict[str, int] = {}
    for index, (sku, quantity) in enumerate(quantities):
        path = ["quantities", str(index)]
        key = sku.strip().upper()
        if key not in skus:
            errors.append(
                DomainError(
                    ErrorCode.NOT_FOUND,
                    f"{sku} is not on the favourites list",
                    field=[*path, "sku"],
                )
            )
        errors += check_quantity([*path, "quantity"], quantity)
        asked[key] = quantity
    raise_if_any(errors)
    if not items:
        raise DomainError(
            ErrorCode.INVALID, "The favourites list is empty", field=["favouritesListId"]
        )
    changes = [
        LineChange(
            index=index, product_id=item.product_id, quantity=asked.get(sku, 1), field="items"
        )
        for index, (item, sku) in enumerate(zip(items, skus, strict=True))
    ]
    return await add_cart_lines(context, cart_id, changes)


async def update_cart_lines(
    context: Context, cart_id: int | None, changes: list[LineChange]
) -> Cart:
    """Set the quantities of existing lines, re-priced at the new quantities."""
    cart = await open_cart(context, cart_id)
    lines = await cart_lines(context, cart)
    by_id = {line.id: line for line in lines}
    errors: list[DomainError] = []
    paths: dict[int, list[str]] = {}
    for change in changes:
        errors += check_quantity(_path(change, "quantity"), change.quantity)
        line = by_id.get(change.line_id)
        if line is None:
            errors.append(
                DomainError(
                    ErrorCode.NOT_FOUND,
                    "No such line in this cart",
                    field=_path(change, "lineId"),
                )
            )
            continue
        line.quantity = change.quantity
        paths[line.product_id] = _path(change, "productId")
    await _reprice(context, cart, lines, paths, errors)
    return cart


async def remove_cart_lines(
    context: Context, cart_id: int | None, line_ids: list[int | None]
) -> Cart:
    cart = await open_cart(context, cart_id)
    lines = await cart_lines(context, cart)
    by_id = {line.id: line for line in lines}
    raise_if_any(
        [
            DomainError(
                ErrorCode.NOT_FOUND, "No such line in this cart", field=["lineIds", str(index)]
            )
            for index, line_id in enumerate(line_ids)
            if line_id not in by_id
        ]
    )
    removed = set(line_ids)
    await context.db.execute(delete(CartLine).where(col(CartLine.id).in_(removed)))
    remaining = [line for line in lines if line.id not in removed]
    cart.total = sum((line.line_total for line in remaining), Decimal("0"))
    cart.updated_at = context.now
    return cart


async def set_cart_ship_to(
    context: Context,
    cart_id: int | None,
    *,
    address_id: int | None,
    address: AddressChanges | None,
) -> Cart:
    """Ship to one of the account's shipping addresses, a manual address, or (neither) the
    shopper's default ship-to."""
    cart = await open_cart(context, cart_id)
    membership = await membership_of(context, cart.contact_id, cart.account_id)
    rights = ship_to_rights(membership)
    raise_if_any(
        check_ship_to(
            rights=rights,
            choosing_address=address_id is not None,
            entering_address=address is not None,
        )
    )
    if address_id is not None:
        row = await context.loader(AddressByIdLoader).load(address_id)
        if row is None or row.account_id != cart.account_id or row.kind is not AddressKind.SHIPPING:
            raise DomainError(
                ErrorCode.NOT_FOUND,
                "No such shipping address of the account",
                field=["addressId"],
            )
    manual: dict[str, Any] | None = None
    if address is not None:
        manual = {name: value for name, value in set_fields(address).items() if value is not None}
        manual["country"] = str(manual.get("country", "AU")).strip().upper()
        # A manual ship-to holds what an address of the account holds.
        ship_to = AddressChanges(**manual)
        errors = and_column_errors(validate_address(ship_to, creating=True), Address, ship_to)
        raise_if_any(under(["address"], errors))
    cart.ship_to_address_id = address_id
    cart.manual_ship_to = manual
    if address_id is None and address is None:
        cart.ship_to_address_id = membership.default_ship_to_id if membership else None
    cart.updated_at = context.now
    return cart


SHIP_TO_FIELDS = ("name", "line1", "line2", "city", "region", "postcode", "country")


async def ship_to_of(context: Context, cart: Cart) -> dict[str, Any] | None:
    """Where the cart ships: its manual address, its chosen address, or the account's primary
    address (CM10 "Same")."""
    if cart.manual_ship_to is not None:
        return cart.manual_ship_to
    if cart.ship_to_address_id is not None:
        address = await context.loader(AddressByIdLoader).load(cart.ship_to_address_id)
    else:
        rows = await context.loader(AddressesByAccountIdLoader).load(cart.account_id)
        address = next((row for row in rows if row.is_primary), None)
    if address is None:
        return None
    return {name: getattr(address, name) for name in SHIP_TO_FIELDS}


async def cost_centre_codes(context: Context, account_id: int) -> list[str]:
    rows = await context.loader(CostCentresByAccountIdLoader).load(account_id)
    return [row.code for row in rows]


def shipping_method_of(cart: Cart, account: Account | None) -> str | None:
    """Seed 003: the account's shipping method is the default of its orders; a cart may
    choose another."""
    return cart.shipping_method or (account.shipping_method if account else None)


async def set_cart_details(
    context: Context, cart_id: int | None, changes: CartDetailsChanges
) -> Cart:
    """PO number, cost centre, notes, shipping method (null: the account's) and (CM10 "Allow
    Future Orders") date required."""
    cart = await open_cart(context, cart_id)
    membership = await membership_of(context, cart.contact_id, cart.account_id)
    if isinstance(changes.shipping_method, str):
        changes = replace(changes, shipping_method=changes.shipping_method.strip() or None)
    errors = column_errors(Cart, changes)
    errors += check_length("notes", given(changes.notes), MAX_NOTE_LENGTH)
    if changes.cost_centre is not UNSET:
        known = await cost_centre_codes(context, cart.account_id)
        errors += check_cost_centre(cost_centre=changes.cost_centre, known=known)
    errors += check_date_required(
        rights=ship_to_rights(membership),
        date_required=given(changes.date_required),
        today=context.now.date(),
    )
    raise_if_any(errors)
    for name, value in set_fields(changes).items():
        setattr(cart, name, value)
    cart.updated_at = context.now
    return cart


def own_carts(context: Context, query: CartQuery) -> Select[Any]:
    """`Viewer.carts`: the viewer's carts at its active account, newest first."""
    viewer = context.viewer
    owner = (
        col(Cart.contact_id) == viewer.contact_id
        if viewer.contact_id is not None
        else col(Cart.worker_id) == viewer.worker_id
    )
    statement = select(Cart).where(owner, col(Cart.account_id) == viewer.active_account_id)
    return _by_status(statement, query)


def account_carts(context: Context, account: Account, query: CartQuery) -> Select[Any]:
    """`Account.carts`: every cart of the account, for those who manage it."""
    allowed = may_manage(context.viewer, account)
    statement = select(Cart).where(
        col(Cart.account_id) == account.id, true() if allowed else false()
    )
    return _by_status(statement, query)


@dataclass(frozen=True)
class CartQuery:
    """The carts grid's filter (a saved search's `CARTS` values)."""

    statuses: frozenset[CartStatus] = frozenset()
    search: str | None = None


def _by_status(statement: Select[Any], query: CartQuery) -> Select[Any]:
    if query.statuses:
        statement = statement.where(col(Cart.status).in_(query.statuses))
    term = search_term(query.search)
    if term:
        statement = statement.where(contains(term, Cart.name, Cart.po_number))
    return statement.order_by(col(Cart.updated_at).desc(), col(Cart.id).desc())


async def carts_to_approve(context: Context) -> Select[Any]:
    """CM10 "Approve Carts": the pending carts `domain.approvals.sees_cart` lets the viewer see,
    as one query, oldest first."""
    contact_id = context.viewer.contact_id
    if contact_id is None:
        # Approvers are contacts; workers approve nothing.
        return select(Cart).where(false())
    memberships = await context.loader(MembershipsByContactIdLoader).load(contact_id)
    usable = [m for m in memberships if m.account_id in context.viewer.memberships]
    every = [m.account_id for m in usable if m.approve_all]
    assigned = [m.account_id for m in usable if m.approve_assigned and not m.approve_all]
    shopper = AccountMembership
    conditions: list[ColumnElement[bool]] = [false()]
    if every:
        conditions.append(col(Cart.account_id).in_(every))
    if assigned:
        conditions.append(
            and_(col(Cart.account_id).in_(assigned), col(shopper.cart_approver_id) == contact_id)
        )
    return (
        select(Cart)
        .join(
            shopper,
            and_(
                col(shopper.contact_id) == col(Cart.contact_id),
                col(shopper.account_id) == col(Cart.account_id),
            ),
        )
        .where(
            col(Cart.status) == CartStatus.PENDING_APPROVAL,
            col(Cart.contact_id) != contact_id,
            or_(*conditions),
        )
        .order_by(col(Cart.updated_at), col(Cart.id))
    )


async def set_cost_centres(
    context: Context, account_id: int | None, entries: list[tuple[str, str]]
) -> Account:
    """Replace the account's cost centres: kept by workers who manage the account, or synced by
    integrators (an API key with the `sync` scope)."""
    account = await readable_account(context, account_id)
    viewer = context.viewer
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such account", field=["accountId"])
    keeper = viewer.kind is ViewerKind.WORKER and may_manage(viewer, account)
    if not (keeper or viewer.has_scope(ApiKeyScope.SYNC)):
        raise DomainError(
            ErrorCode.NOT_PERMITTED,
            "Cost centres are kept by staff and the account's sales rep",
            field=["accountId"],
        )
    errors: list[DomainError] = []
    seen: set[str] = set()
    for index, (code, name) in enumerate(entries):
        path = ["costCentres", str(index)]
        errors += under(path, check_required("code", code) + check_required("name", name))
        errors = and_column_errors(errors, CostCentre, {"code": code, "name": name}, path=path)
        if code in seen:
            errors.append(
                DomainError(ErrorCode.DUPLICATE, f"{code} is listed twice", field=[*path, "code"])
            )
        seen.add(code)
    raise_if_any(errors)
    # Replacing the set reads nothing back, but two replacements at once would both delete the
    # old set and leave the union (or a clash) of theirs: they take turns on the account.
    await lock_row(context, Account, account.id)
    await context.db.execute(delete(CostCentre).where(col(CostCentre.account_id) == account.id))
    assert account.id is not None
    context.session.add_all(
        CostCentre(account_id=account.id, code=code.strip(), name=name.strip())
        for code, name in entries
    )
    return account


async def set_line_quantities(context: Context, cart: Cart, changes: list[LineChange]) -> Cart:
    """Set each named product's quantity in an open cart (0 takes it out), priced by the
    pricing rule like `add_cart_lines`: the one line mutation of a guest's cart (seed 000), whose
    client keeps the whole cart and sends what it wants. With any error nothing changes."""
    require_open(cart, field="guestCartToken")
    assert cart.id is not None
    by_product = {line.product_id: line for line in await cart_lines(context, cart)}
    errors: list[DomainError] = []
    paths: dict[int, list[str]] = {}
    removed: list[CartLine] = []
    for change in changes:
        if change.product_id is None:
            errors.append(
                DomainError(
                    ErrorCode.NOT_FOUND, "No such product", field=_path(change, "productId")
                )
            )
            continue
        if change.quantity == 0:
            line = by_product.pop(change.product_id, None)
            removed += [line] if line is not None else []
            paths.pop(change.product_id, None)
            continue
        errors += check_quantity(_path(change, "quantity"), change.quantity)
        line = by_product.setdefault(
            change.product_id,
            CartLine(
                cart_id=cart.id,
                product_id=change.product_id,
                quantity=0,
                unit_price=Decimal("0"),
                line_total=Decimal("0"),
            ),
        )
        line.quantity = change.quantity
        paths[change.product_id] = _path(change, "productId")
    kept = list(by_product.values())
    await _reprice(context, cart, kept, paths, errors)
    for line in removed:
        await context.session.delete(line)
    context.session.add_all(line for line in kept if line.id is None)
    await context.session.flush()
    return cart
