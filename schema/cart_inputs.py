"""Inputs of the cart, checkout and approval mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from domain.enums import CartStatus, PaymentType
from resolvers.carts import CartQuery
from schema.input_values import search_text

UNSET = strawberry.UNSET


@strawberry.input
class CreateCartInput:
    name: str | None = strawberry.field(default=None, description="Defaults to 'My cart'.")


@strawberry.input
class CartLineInput:
    product_id: strawberry.ID
    quantity: int


@strawberry.input(description="Add products; one already in the cart gets the quantity added.")
class AddCartLinesInput:
    cart_id: strawberry.ID
    lines: list[CartLineInput]


@strawberry.input
class CartLineQuantityInput:
    line_id: strawberry.ID
    quantity: int


@strawberry.input
class UpdateCartLinesInput:
    cart_id: strawberry.ID
    lines: list[CartLineQuantityInput]


@strawberry.input
class RemoveCartLinesInput:
    cart_id: strawberry.ID
    line_ids: list[strawberry.ID]


@strawberry.input(description="A ship-to address typed in by the shopper.")
class ShippingAddressInput:
    name: str
    line1: str
    line2: str | None = None
    city: str
    region: str | None = None
    postcode: str
    country: str = "AU"


@strawberry.input(
    description="One of the account's shipping addresses (`addressId`, with 'Select Ship To'), "
    "a manual `address` (with 'Allow Manual Ship To'), or neither: the default ship-to."
)
class SetCartShipToInput:
    cart_id: strawberry.ID
    address_id: strawberry.ID | None = None
    address: ShippingAddressInput | None = None


@strawberry.input(description="The carts grid's filter (`Account.carts`, `Viewer.carts`).")
class CartFilter:
    status: list[CartStatus] | None = strawberry.field(
        default=None, description="Any of these; null or empty for all."
    )
    search: str | None = strawberry.field(
        default=None, description="Matches the cart's name or PO number."
    )

    @staticmethod
    def query(filter: CartFilter | None) -> CartQuery:
        if filter is None:
            return CartQuery()
        return CartQuery(statuses=frozenset(filter.status or ()), search=search_text(filter.search))


@strawberry.input
class SetCartDetailsInput:
    cart_id: strawberry.ID
    po_number: str | None = UNSET
    cost_centre: str | None = strawberry.field(
        default=UNSET, description="A code from the account's cost centres, when it has some."
    )
    notes: str | None = UNSET
    shipping_method: str | None = strawberry.field(
        default=UNSET, description="Null (or blank) returns to the account's shipping method."
    )
    date_required: date | None = strawberry.field(
        default=UNSET, description="Only with 'Allow Future Orders'; not in the past."
    )


@strawberry.input
class CheckoutCartInput:
    cart_id: strawberry.ID
    payment_type: PaymentType
    payment_reference: str | None = strawberry.field(
        default=None, description="CREDIT_CARD and PAYPAL: the gateway authorisation id."
    )
    credit_card_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="CREDIT_CARD: a saved, unexpired card of the cart's account, instead of "
        "`paymentReference`; the order records the card's token.",
    )
    shipping_account_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="One of the account's shipping accounts, billed for shipping and carried "
        "to the ERP with the order.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeating the same checkout with the same key changes nothing."
    )


@strawberry.input
class FavouriteQuantityInput:
    sku: str
    quantity: int


@strawberry.input(
    description="Every product of a favourites list into a cart, one unit each unless "
    "`quantities` names its SKU."
)
class AddFavouritesToCartInput:
    cart_id: strawberry.ID
    favourites_list_id: strawberry.ID
    quantities: list[FavouriteQuantityInput] = strawberry.field(default_factory=list)


@strawberry.input
class ApproveCartInput:
    cart_id: strawberry.ID
    comment: str | None = None


@strawberry.input
class RejectCartInput:
    cart_id: strawberry.ID
    reason: str


@strawberry.input
class CostCentreInput:
    code: str
    name: str


@strawberry.input(description="Replace an account's cost centres.")
class SetCostCentresInput:
    account_id: strawberry.ID
    cost_centres: list[CostCentreInput]


@strawberry.input(description="The ERP imported these exports; `erpKeys` pairs with `ids`.")
class AcknowledgeExportsInput:
    ids: list[strawberry.ID]
    erp_keys: list[str | None] | None = None


@strawberry.input(description="CM10 'Hold Orders Created': release a held order to the ERP.")
class ReleaseOrderInput:
    order_id: strawberry.ID
