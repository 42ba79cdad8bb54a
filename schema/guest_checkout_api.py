"""B2C guest checkout (seed 000): anonymous carts held by a token, checked out into a new web
account, contact and order."""

from __future__ import annotations

import strawberry

from domain.enums import PaymentType
from resolvers import guest_checkout
from resolvers.carts import LineChange
from resolvers.guest_checkout import GuestBuyer
from schema.cart_inputs import CartLineInput
from schema.cart_types import Cart
from schema.info import Info
from schema.input_values import maybe_key, set_values
from schema.order_types import BankDetails, Order
from schema.payloads import Payload, mutation
from schema.permissions import require_admin


@strawberry.type(description="Settings section 'guest_checkout' (seed 000 B2C).")
class GuestCheckoutSettings:
    enabled: bool = strawberry.field(
        description="Anonymous visitors may buy (needs a guest pricing account)."
    )
    payment_types: list[PaymentType] = strawberry.field(
        description="How a new guest account may pay (never ON_ACCOUNT)."
    )

    @classmethod
    def from_model(cls, model: guest_checkout.GuestCheckoutSettings) -> GuestCheckoutSettings:
        return cls(enabled=model.enabled, payment_types=list(model.payment_types))


@strawberry.input(description="An address typed in at checkout; `name` defaults to the buyer's.")
class GuestAddressInput:
    name: str | None = None
    line1: str
    line2: str | None = None
    city: str
    region: str | None = None
    postcode: str
    country: str = "AU"


@strawberry.input
class CreateGuestCartInput:
    name: str | None = None


@strawberry.input(
    description="Set each product's quantity in the guest cart (0 takes it out), priced at "
    "guest prices."
)
class SetGuestCartLinesInput:
    guest_cart_token: str
    lines: list[CartLineInput]


@strawberry.input(
    description="Seed 000: buy without an account; the order creates the web account."
)
class CheckoutGuestCartInput:
    guest_cart_token: str
    email: str
    name: str
    phone: str | None = None
    company_name: str | None = strawberry.field(
        default=None, description="The account's name; the buyer's name when left out."
    )
    billing_address: GuestAddressInput
    shipping_address: GuestAddressInput | None = strawberry.field(
        default=None, description="Where to ship, when not to the billing address."
    )
    payment_type: PaymentType
    payment_reference: str | None = strawberry.field(
        default=None, description="CREDIT_CARD and PAYPAL: the gateway's authorisation."
    )
    idempotency_key: str | None = None


@strawberry.input
class UpdateGuestCheckoutSettingsInput:
    enabled: bool | None = strawberry.UNSET
    payment_types: list[PaymentType] | None = strawberry.UNSET


@strawberry.type
class CreateGuestCartPayload(Payload):
    cart: Cart | None = None
    guest_cart_token: str | None = strawberry.field(
        default=None,
        description="The cart's secret: keep it (it is shown once) and send it with every "
        "guest cart operation.",
    )


@strawberry.type
class SetGuestCartLinesPayload(Payload):
    cart: Cart | None = None


@strawberry.type
class CheckoutGuestCartPayload(Payload):
    order: Order | None = None
    bank_details: BankDetails | None = strawberry.field(
        default=None, description="DIRECT_DEPOSIT: where to send the money."
    )


@strawberry.type
class UpdateGuestCheckoutSettingsPayload(Payload):
    guest_checkout: GuestCheckoutSettings | None = None


@strawberry.type
class GuestCheckoutQuery:
    @strawberry.field(description="The open guest cart a token holds; null otherwise.")
    async def guest_cart(self, info: Info, token: str) -> Cart | None:
        return Cart.from_optional_row(await guest_checkout.guest_cart(info.context, token))


def _address(value: GuestAddressInput | None) -> dict[str, object] | None:
    return set_values(value) if value is not None else None


@strawberry.type
class GuestCheckoutMutation:
    @mutation(
        CreateGuestCartPayload,
        gate=None,
        description="A cart for an anonymous visitor, at guest prices.",
    )
    async def create_guest_cart(self, info: Info, input: CreateGuestCartInput) -> dict[str, object]:
        cart, token = await guest_checkout.create_guest_cart(info.context, input.name)
        return {"cart": Cart.from_row(cart), "guest_cart_token": token}

    @mutation(
        SetGuestCartLinesPayload,
        gate=None,
        description="Set the guest cart's quantities (0 removes a product).",
    )
    async def set_guest_cart_lines(
        self, info: Info, input: SetGuestCartLinesInput
    ) -> dict[str, object]:
        changes = [
            LineChange(
                index=index,
                product_id=maybe_key(line.product_id, "Product"),
                quantity=line.quantity,
            )
            for index, line in enumerate(input.lines)
        ]
        cart = await guest_checkout.set_guest_cart_lines(
            info.context, input.guest_cart_token, changes
        )
        return {"cart": Cart.from_row(cart)}

    @mutation(
        CheckoutGuestCartPayload,
        gate=None,
        description="Order the guest cart: a new web account, its contact and the order, in "
        "one transaction; the order goes to the ERP with the account.",
    )
    async def checkout_guest_cart(
        self, info: Info, input: CheckoutGuestCartInput
    ) -> dict[str, object]:
        billing = _address(input.billing_address) or {}
        buyer = GuestBuyer(
            email=input.email,
            name=input.name,
            phone=input.phone,
            company_name=input.company_name,
            billing_address=billing,
            shipping_address=_address(input.shipping_address),
        )
        result = await guest_checkout.checkout_guest_cart(
            info.context,
            input.guest_cart_token,
            buyer,
            payment_type=input.payment_type,
            payment_reference=input.payment_reference,
            idempotency_key=input.idempotency_key,
        )
        return {
            "order": Order.from_optional_row(result.order),
            "bank_details": BankDetails.from_settings(result.bank_details),
        }

    @mutation(
        UpdateGuestCheckoutSettingsPayload,
        gate=require_admin,
        description="Settings section 'guest_checkout' (ADMIN workers).",
    )
    async def update_guest_checkout_settings(
        self, info: Info, input: UpdateGuestCheckoutSettingsInput
    ) -> dict[str, object]:
        updated = await guest_checkout.update_guest_checkout_settings(
            info.context, set_values(input)
        )
        return {"guest_checkout": GuestCheckoutSettings.from_model(updated)}
