"""Queries and mutations of carts, checkout, approvals and cost centres."""

from __future__ import annotations

import strawberry

from core.context import Context
from domain.carts import CartDetailsChanges
from domain.customers import AddressChanges
from models import Cart as CartRow
from resolvers import carts, checkout
from resolvers.carts import LineChange
from schema.cart_inputs import (
    AddCartLinesInput,
    AddFavouritesToCartInput,
    ApproveCartInput,
    CheckoutCartInput,
    CreateCartInput,
    RejectCartInput,
    RemoveCartLinesInput,
    SetCartDetailsInput,
    SetCartShipToInput,
    SetCostCentresInput,
    UpdateCartLinesInput,
)
from schema.cart_types import Cart
from schema.checkout_payload import checkout_answer, checkout_choices
from schema.customer_types import Account
from schema.info import Info
from schema.input_values import key_of, maybe_key, set_values
from schema.order_types import BankDetails, Order
from schema.payloads import Payload, PayloadWithWarnings, mutation
from schema.permissions import require_authenticated, require_people
from schema.prefetch import prefetch_object
from schema.quote_types import Quote
from schema.relay import Connection, PageRequest, connection, decode_id_of, paginate


async def cart_row(context: Context, id: str) -> CartRow | None:
    """`cart(id:)`'s row, on both read paths (`schema.plans`)."""
    require_authenticated(context.viewer)
    return await carts.readable_cart(context, decode_id_of(id, "Cart"))


@strawberry.type
class CartQuery:
    @strawberry.field(description="A cart the viewer may see; null otherwise.")
    async def cart(self, info: Info, id: strawberry.ID) -> Cart | None:
        row = await cart_row(info.context, id)
        await prefetch_object(info, "Cart", row)
        return Cart.from_optional_row(row)

    @connection(
        description="Carts waiting for the viewer's approval (CM10 'Approve Carts'), oldest first."
    )
    async def carts_to_approve(
        self,
        info: Info,
        page: PageRequest,
    ) -> Connection[Cart]:
        require_people(info.context.viewer)
        return await paginate(
            info,
            await carts.carts_to_approve(info.context),
            page,
            Cart.from_row,
        )


@strawberry.type
class CartPayload(Payload):
    cart: Cart | None = None


@strawberry.type
class CreateCartPayload(CartPayload):
    pass


@strawberry.type
class AddCartLinesPayload(CartPayload):
    pass


@strawberry.type
class AddFavouritesToCartPayload(CartPayload):
    pass


@strawberry.type
class UpdateCartLinesPayload(CartPayload):
    pass


@strawberry.type
class RemoveCartLinesPayload(CartPayload):
    pass


@strawberry.type
class SetCartShipToPayload(CartPayload):
    pass


@strawberry.type
class SetCartDetailsPayload(CartPayload):
    pass


@strawberry.type
class CheckoutCartPayload(PayloadWithWarnings):
    cart: Cart | None = None
    order: Order | None = strawberry.field(
        default=None, description="Null when the cart went to an approver."
    )
    bank_details: BankDetails | None = strawberry.field(
        default=None, description="DIRECT_DEPOSIT: where to send the money."
    )
    quote: Quote | None = strawberry.field(
        default=None,
        description="RUNNING_QUOTE: the quote requested instead of an order (the cart stays open).",
    )


@strawberry.type
class ApproveCartPayload(CartPayload):
    order: Order | None = None


@strawberry.type
class RejectCartPayload(CartPayload):
    pass


@strawberry.type
class SetCostCentresPayload(Payload):
    account: Account | None = None


def _cart_key(global_id: str) -> int | None:
    return key_of(global_id, "Cart", field="cartId")


@strawberry.type
class CartMutation:
    @mutation(
        CreateCartPayload,
        gate=require_people,
        description="A new cart for the viewer's active account.",
    )
    async def create_cart(self, info: Info, input: CreateCartInput) -> dict[str, object]:
        row = await carts.create_cart(info.context, input.name)
        return {"cart": Cart.from_row(row)}

    @mutation(
        AddCartLinesPayload,
        gate=require_people,
        description="Add products, priced for the account now.",
    )
    async def add_cart_lines(self, info: Info, input: AddCartLinesInput) -> dict[str, object]:
        changes = [
            LineChange(
                index=index,
                product_id=maybe_key(line.product_id, "Product"),
                quantity=line.quantity,
            )
            for index, line in enumerate(input.lines)
        ]
        row = await carts.add_cart_lines(info.context, _cart_key(input.cart_id), changes)
        return {"cart": Cart.from_row(row)}

    @mutation(
        AddFavouritesToCartPayload,
        gate=require_people,
        description="Add every product of a favourites list the viewer may read, as "
        "`addCartLines` would; a refused item is reported on `items.<i>.productId`, `i` its "
        "position in `FavouritesList.items`.",
    )
    async def add_favourites_to_cart(
        self, info: Info, input: AddFavouritesToCartInput
    ) -> dict[str, object]:
        row = await carts.add_favourites_to_cart(
            info.context,
            _cart_key(input.cart_id),
            key_of(input.favourites_list_id, "FavouritesList", field="favouritesListId"),
            [(entry.sku, entry.quantity) for entry in input.quantities],
        )
        return {"cart": Cart.from_row(row)}

    @mutation(
        UpdateCartLinesPayload,
        gate=require_people,
        description="Change quantities; the lines are priced again.",
    )
    async def update_cart_lines(self, info: Info, input: UpdateCartLinesInput) -> dict[str, object]:
        changes = [
            LineChange(
                index=index,
                line_id=maybe_key(line.line_id, "CartLine"),
                quantity=line.quantity,
            )
            for index, line in enumerate(input.lines)
        ]
        row = await carts.update_cart_lines(info.context, _cart_key(input.cart_id), changes)
        return {"cart": Cart.from_row(row)}

    @mutation(RemoveCartLinesPayload, gate=require_people)
    async def remove_cart_lines(self, info: Info, input: RemoveCartLinesInput) -> dict[str, object]:
        line_ids = [maybe_key(line_id, "CartLine") for line_id in input.line_ids]
        row = await carts.remove_cart_lines(info.context, _cart_key(input.cart_id), line_ids)
        return {"cart": Cart.from_row(row)}

    @mutation(SetCartShipToPayload, gate=require_people)
    async def set_cart_ship_to(self, info: Info, input: SetCartShipToInput) -> dict[str, object]:
        row = await carts.set_cart_ship_to(
            info.context,
            _cart_key(input.cart_id),
            address_id=key_of(input.address_id, "Address", field="addressId"),
            address=AddressChanges(**set_values(input.address))
            if input.address is not None
            else None,
        )
        return {"cart": Cart.from_row(row)}

    @mutation(
        SetCartDetailsPayload,
        gate=require_people,
        description="PO number, cost centre, notes and date required.",
    )
    async def set_cart_details(self, info: Info, input: SetCartDetailsInput) -> dict[str, object]:
        row = await carts.set_cart_details(
            info.context,
            _cart_key(input.cart_id),
            CartDetailsChanges(**set_values(input, exclude=frozenset({"cart_id"}))),
        )
        return {"cart": Cart.from_row(row)}

    @mutation(
        CheckoutCartPayload,
        gate=require_people,
        description="Order the cart, or submit it to the shopper's approver. Account credit "
        "states may add warnings or refuse; see `Cart.checkoutPreview`.",
    )
    async def checkout_cart(self, info: Info, input: CheckoutCartInput) -> dict[str, object]:
        result = await checkout.checkout_cart(
            info.context,
            _cart_key(input.cart_id),
            checkout_choices(input),
            idempotency_key=input.idempotency_key,
        )
        return checkout_answer(result)

    @mutation(
        ApproveCartPayload,
        gate=require_people,
        description="Approve a pending cart: the order is created now.",
    )
    async def approve_cart(self, info: Info, input: ApproveCartInput) -> dict[str, object]:
        cart, order = await checkout.approve_cart(
            info.context, _cart_key(input.cart_id), input.comment
        )
        return {"cart": Cart.from_row(cart), "order": Order.from_row(order)}

    @mutation(
        RejectCartPayload,
        gate=require_people,
        description="Return a pending cart to its shopper with a reason.",
    )
    async def reject_cart(self, info: Info, input: RejectCartInput) -> dict[str, object]:
        row = await checkout.reject_cart(info.context, _cart_key(input.cart_id), input.reason)
        return {"cart": Cart.from_row(row)}

    @mutation(
        SetCostCentresPayload,
        gate=require_authenticated,
        description="Replace an account's cost centres (its workers, or an integrator's sync).",
    )
    async def set_cost_centres(self, info: Info, input: SetCostCentresInput) -> dict[str, object]:
        row = await carts.set_cost_centres(
            info.context,
            key_of(input.account_id, "Account", field="accountId"),
            [(entry.code, entry.name) for entry in input.cost_centres],
        )
        return {"account": Account.from_row(row)}
