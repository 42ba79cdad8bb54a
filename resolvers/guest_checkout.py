"""B2C guest checkout (seed 000: "For B2C (websites supporting anonymous customers) the
customer enters account information during the checkout process"): an anonymous visitor's
cart, held by a token only its client knows and priced as the guest account (seed 003
"{GUEST}"), checked out with an e-mail address and addresses into a new web account, its
contact and the order, in the one transaction of the mutation.

Whether the e-mail address already belongs to a login is never looked at: the checkout answers
the same either way (nothing tells a visitor that an address has an account), and the order
goes to a new web account, as Shopify's guest checkout does not merge an order into a customer
account without a sign-in. Staff can move the contact later (`moveContact`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select
from sqlmodel import col

from core.context import Context
from core.tokens import new_token, token_hash
from domain.checkout import Notice
from domain.customers import AddressChanges, same_postal_address, validate_address
from domain.enums import CartEventKind, PaymentType
from domain.errors import DomainError, ErrorCode, raise_if_any
from domain.validation import check_email, check_length, check_required, under
from loaders.carts import OrderByIdLoader
from loaders.offers import guest_account
from models import Account, AccountLocation, Address, Cart, CheckoutAttempt, Order
from models.column_limits import and_column_errors
from resolvers.carts import (
    DEFAULT_CART_NAME,
    LineChange,
    cart_lines,
    record_event,
    set_line_quantities,
)
from resolvers.checkout import CheckoutResult, bank_details_for, decide, place_order
from resolvers.platform_settings import load_section, save_section
from resolvers.registration import create_guest_customer
from resolvers.row_locks import for_update

GUEST_CHECKOUT_SECTION = "guest_checkout"
GUEST_CART_PREFIX = "tpg_"
NO_SUCH_CART = "No such guest cart (it may have been checked out)"


class GuestCheckoutSettings(BaseModel):
    """Settings section `guest_checkout`: whether anonymous visitors may buy, and how a new
    guest account may pay (it has no credit, so never ON_ACCOUNT; it has no login to answer a
    quote, so never RUNNING_QUOTE)."""

    enabled: bool = True
    payment_types: list[PaymentType] = Field(
        default_factory=lambda: [
            PaymentType.CREDIT_CARD,
            PaymentType.PAYPAL,
            PaymentType.DIRECT_DEPOSIT,
        ],
        min_length=1,
    )

    @field_validator("payment_types")
    @classmethod
    def _no_credit(cls, value: list[PaymentType]) -> list[PaymentType]:
        if PaymentType.ON_ACCOUNT in value:
            raise ValueError("A new guest account has no credit: it cannot pay ON_ACCOUNT")
        if PaymentType.RUNNING_QUOTE in value:
            raise ValueError("A guest has no login to answer a quote: it cannot ask RUNNING_QUOTE")
        return list(dict.fromkeys(value))


async def guest_checkout_settings(context: Context) -> GuestCheckoutSettings:
    return await load_section(context, GUEST_CHECKOUT_SECTION, GuestCheckoutSettings)


async def update_guest_checkout_settings(
    context: Context, changes: Mapping[str, Any]
) -> GuestCheckoutSettings:
    return await save_section(context, GUEST_CHECKOUT_SECTION, GuestCheckoutSettings, changes)


def _hash(context: Context, token: str) -> str:
    return token_hash(context.settings.secret_key, token.strip())


async def _guest_account(context: Context) -> Account:
    settings = await guest_checkout_settings(context)
    account = await guest_account(context) if settings.enabled else None
    if account is None or account.id is None:
        raise DomainError(ErrorCode.NOT_PERMITTED, "Guest checkout is not available on this site")
    return account


async def create_guest_cart(context: Context, name: str | None) -> tuple[Cart, str]:
    """A cart priced as the guest account of the visitor's region, and its token: a random
    secret (only its hash is stored), which the client keeps and sends back."""
    account = await _guest_account(context)
    assert account.id is not None
    name = (name or DEFAULT_CART_NAME).strip()
    raise_if_any(check_required("name", name) + check_length("name", name, 100))
    token = new_token(GUEST_CART_PREFIX)
    cart = Cart(
        account_id=account.id,
        guest_token_hash=_hash(context, token),
        name=name,
        created_at=context.now,
        updated_at=context.now,
    )
    context.session.add(cart)
    await context.session.flush()
    record_event(context, cart, CartEventKind.CREATED)
    return cart, token


async def guest_cart(context: Context, token: str, *, lock: bool = False) -> Cart | None:
    """The open guest cart the token holds; None for a wrong, spent or empty token."""
    if not token.strip():
        return None
    statement = select(Cart).where(col(Cart.guest_token_hash) == _hash(context, token))
    if lock:
        statement = for_update(statement)
    cart: Cart | None = await context.db.scalar(statement)
    return cart


async def set_guest_cart_lines(context: Context, token: str, changes: list[LineChange]) -> Cart:
    """Locked, so two changes of one guest cart at once take turns (and a checkout that got
    there first leaves the token spent)."""
    cart = await guest_cart(context, token, lock=True)
    if cart is None:
        raise DomainError(ErrorCode.NOT_FOUND, NO_SUCH_CART, field=["guestCartToken"])
    return await set_line_quantities(context, cart, changes)


@dataclass(frozen=True)
class GuestBuyer:
    """What the visitor types in at checkout."""

    email: str
    name: str
    phone: str | None
    company_name: str | None
    billing_address: Mapping[str, Any]
    shipping_address: Mapping[str, Any] | None


def _address(values: Mapping[str, Any]) -> dict[str, Any]:
    address = {name: value for name, value in values.items() if value is not None}
    address["country"] = str(address.get("country", "AU")).strip().upper()
    return address


def _buyer_errors(buyer: GuestBuyer) -> list[DomainError]:
    errors = check_required("email", buyer.email) + check_email("email", buyer.email)
    errors += check_required("name", buyer.name) + check_length("name", buyer.name, 200)
    errors += check_length("phone", buyer.phone, 40)
    errors += check_length("companyName", buyer.company_name, 200)
    addresses = {"billingAddress": buyer.billing_address, "shippingAddress": buyer.shipping_address}
    for field, given in addresses.items():
        if given is not None:
            address = AddressChanges(**{"name": buyer.name, **given})
            errors += under(
                [field],
                and_column_errors(validate_address(address, creating=True), Address, address),
            )
    return errors


def _principal(context: Context, token: str) -> str:
    """Idempotency keys are the cart token's own (a guest has no other identity)."""
    return "guest:" + _hash(context, token)[:32]


def _request_hash(buyer: GuestBuyer, payment_type: PaymentType, reference: str | None) -> str:
    body = json.dumps(
        [
            buyer.email.strip().lower(),
            buyer.name,
            buyer.phone,
            buyer.company_name,
            sorted(buyer.billing_address.items()),
            sorted(buyer.shipping_address.items()) if buyer.shipping_address else None,
            payment_type.value,
            reference,
        ],
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


async def checkout_guest_cart(
    context: Context,
    token: str,
    buyer: GuestBuyer,
    *,
    payment_type: PaymentType,
    payment_reference: str | None,
    idempotency_key: str | None,
) -> CheckoutResult:
    """Seed 000: the order creates the web account (numbered, sourced WEB, awaiting export), its
    billing address, a contact without a login and the order, which goes to the ERP with the
    account. A shipping address other than the billing one is the order's ship-to and joins
    the account's addresses. Any refusal leaves nothing behind (the mutation's savepoint)."""
    raise_if_any(
        check_length("paymentReference", payment_reference, 200)
        + check_length("idempotencyKey", idempotency_key, 100)
    )
    # Locked before the key is looked up, so a repeat waiting for the first sees its key.
    cart = await guest_cart(context, token, lock=True)
    request_hash = _request_hash(buyer, payment_type, payment_reference)
    if idempotency_key:
        attempt = await context.db.scalar(
            select(CheckoutAttempt).where(
                col(CheckoutAttempt.principal) == _principal(context, token),
                col(CheckoutAttempt.idempotency_key) == idempotency_key,
            )
        )
        if attempt is not None:
            if attempt.request_hash != request_hash:
                raise DomainError(
                    ErrorCode.INVALID,
                    "This idempotency key was used for a different checkout",
                    field=["idempotencyKey"],
                )
            done = await context.session.get(Cart, attempt.cart_id)
            order = await context.loader(OrderByIdLoader).load(attempt.order_id)
            assert done is not None and order is not None
            return await _result(context, done, order, ())
    if cart is None:
        raise DomainError(ErrorCode.NOT_FOUND, NO_SUCH_CART, field=["guestCartToken"])
    settings = await guest_checkout_settings(context)
    if not settings.enabled:
        raise DomainError(ErrorCode.NOT_PERMITTED, "Guest checkout is not available on this site")
    if not await cart_lines(context, cart):
        raise DomainError(ErrorCode.INVALID, "The cart is empty", field=["guestCartToken"])
    buyer = GuestBuyer(
        email=buyer.email.strip(),
        name=buyer.name.strip(),
        phone=buyer.phone,
        company_name=buyer.company_name,
        billing_address=_address(buyer.billing_address),
        shipping_address=_address(buyer.shipping_address) if buyer.shipping_address else None,
    )
    errors = _buyer_errors(buyer)
    if payment_type not in settings.payment_types:
        allowed = ", ".join(t.value for t in settings.payment_types)
        errors.append(
            DomainError(ErrorCode.INVALID, f"Guests pay by {allowed}", field=["paymentType"])
        )
    raise_if_any(errors)
    like = await context.session.get(Account, cart.account_id)
    assert like is not None and like.id is not None
    account, contact = await create_guest_customer(
        context,
        {
            "email": buyer.email,
            "name": buyer.name,
            "phone": buyer.phone,
            "company_name": buyer.company_name,
            "billing_address": buyer.billing_address,
        },
        like=like,
        payment_types=list(settings.payment_types),
    )
    assert account.id is not None and contact.id is not None
    await _ship_from_like(context, account_id=account.id, like_id=like.id)
    cart.account_id = account.id
    cart.contact_id = contact.id
    cart.guest_token_hash = None
    shipping = buyer.shipping_address
    if shipping is not None and not same_postal_address(
        {"name": buyer.name, **shipping}, {"name": buyer.name, **buyer.billing_address}
    ):
        cart.manual_ship_to = {"name": buyer.name, **shipping}
    await context.session.flush()
    decision = await decide(
        context, cart, payment_type=payment_type, payment_reference=payment_reference
    )
    raise_if_any(list(decision.errors))
    cart.payment_type = payment_type
    cart.payment_reference = payment_reference
    order = await place_order(context, cart, decision, kind=CartEventKind.CHECKED_OUT)
    if idempotency_key:
        assert cart.id is not None
        context.session.add(
            CheckoutAttempt(
                principal=_principal(context, token),
                idempotency_key=idempotency_key,
                request_hash=request_hash,
                cart_id=cart.id,
                order_id=order.id,
                created_at=context.now,
            )
        )
    return await _result(context, cart, order, decision.warnings)


async def _result(
    context: Context, cart: Cart, order: Order, warnings: tuple[Notice, ...]
) -> CheckoutResult:
    return CheckoutResult(
        cart=cart,
        order=order,
        warnings=warnings,
        bank_details=await bank_details_for(context, order.payment_type),
    )


async def _ship_from_like(context: Context, *, account_id: int, like_id: int) -> None:
    """The new account is served from the guest account's locations (its primary one ships
    the order and sets its surcharge, as the visitor was shown)."""
    rows = await context.db.scalars(
        select(AccountLocation).where(col(AccountLocation.account_id) == like_id)
    )
    context.session.add_all(
        AccountLocation(
            account_id=account_id, location_id=row.location_id, is_primary=row.is_primary
        )
        for row in rows
    )
