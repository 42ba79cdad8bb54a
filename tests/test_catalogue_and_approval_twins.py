"""Two more rules that exist twice, as a pure function and as its SQL copy, held to the same
answers on the test database (SQLite, or PostgreSQL in CI), table-driven like
tests/test_access_twins.py:

- the products a buyer may buy: `domain.pricing.availability` (a cart's offers, a product's
  price) and `resolvers.pricing.available_products` (`products(filter: {availableOnly: true})`);
- the carts an approver sees: `domain.approvals.sees_cart` (`approver_sees`, a cart read by id)
  and `resolvers.carts.carts_to_approve` (the `cartsToApprove` queue).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.context import Context
from core.settings import Settings
from domain.access import Viewer, ViewerKind
from domain.approvals import sees_cart
from domain.enums import CartStatus, MembershipRole
from domain.pricing import availability, is_restricted_for_buyer
from models import AccountMembership, Cart, Product
from resolvers.carts import approver_rights, carts_to_approve
from resolvers.pricing import available_products
from tests.factories import (
    make_account,
    make_cart,
    make_contact,
    make_contract,
    make_membership,
    make_product,
    make_restriction,
)

TODAY = date(2026, 12, 3)


async def test_the_availability_rule_and_its_sql_keep_the_same_products(
    session: AsyncSession,
) -> None:
    # given products of every kind: active or not, on the buyer's list by SKU or commodity, on a
    # current or an expired contract of the buyer
    buyer = await make_account(session, code="BUYER")
    other = await make_account(session, code="OTHER")
    products: dict[str, Product] = {}
    kinds: dict[str, dict[str, Any]] = {
        "plain": {},
        "retired": {"is_active": False},
        "listed": {},
        "listed commodity": {"commodity": "CHEM"},
        "other's commodity": {"commodity": "PAINT"},
        "listed, on contract": {},
        "retired, on contract": {"is_active": False},
        "listed, on expired contract": {},
    }
    for name, values in kinds.items():
        products[name] = await make_product(session, sku=name.upper()[:20], **values)
    for name in ("listed", "listed, on contract", "listed, on expired contract"):
        await make_restriction(session, account=buyer, product=products[name])
    await make_restriction(session, account=buyer, commodity="CHEM")
    await make_restriction(session, account=other, commodity="PAINT")
    current = [products["listed, on contract"], products["retired, on contract"]]
    await make_contract(
        session,
        starts_on=TODAY - timedelta(days=1),
        expires_on=TODAY,
        products=[(p, "1.00", False) for p in current],
        accounts=[buyer],
    )
    await make_contract(
        session,
        starts_on=TODAY - timedelta(days=30),
        expires_on=TODAY - timedelta(days=1),
        products=[(products["listed, on expired contract"], "1.00", False)],
        accounts=[buyer],
    )
    listed = {"listed", "listed, on contract", "listed, on expired contract"}
    on_contract = {"listed, on contract", "retired, on contract"}

    picks = []
    for account_id, restrictions_apply in ((buyer.id, True), (buyer.id, False), (None, False)):
        # when the SQL condition and the pure rule each pick the products the buyer may buy
        condition = available_products(
            account_id=account_id, restrictions_apply=restrictions_apply, today=TODAY
        )
        by_sql = set((await session.scalars(select(col(Product.sku)).where(condition))).all())
        by_rule = {
            product.sku
            for name, product in products.items()
            if availability(
                is_active=product.is_active,
                is_restricted_for_buyer=account_id is not None
                and is_restricted_for_buyer(
                    restrictions_apply=restrictions_apply,
                    product_on_list=name in listed,
                    commodity_on_list=product.commodity == "CHEM",
                ),
                on_current_contract=account_id is not None and name in on_contract,
            ).available
        }

        # then they agree
        assert by_sql == by_rule, (account_id, restrictions_apply)
        picks.append(by_rule)
    # The table is worth something only if the buyers are offered different products.
    assert len({frozenset(picked) for picked in picks}) == 3


async def test_the_approval_rule_and_its_sql_queue_the_same_carts(
    session: AsyncSession, settings: Settings
) -> None:
    # given an account where ann approves all and abe his assigned shoppers; sam is assigned to
    # abe, sue to nobody; and a second account where abe approves all but is no longer a member
    home = await make_account(session, code="HOME")
    away = await make_account(session, code="AWAY")
    people = {
        name: await make_contact(session, username=name) for name in ("ann", "abe", "sam", "sue")
    }
    ids = {name: contact.id or 0 for name, contact in people.items()}
    memberships: dict[tuple[str, str], dict[str, Any]] = {
        ("ann", "HOME"): {"approve_all": True},
        ("abe", "HOME"): {"approve_assigned": True},
        ("sam", "HOME"): {"cart_approver_id": ids["abe"]},
        ("sue", "HOME"): {},
        ("abe", "AWAY"): {"approve_all": True, "is_active": False},
        ("sue", "AWAY"): {"cart_approver_id": ids["abe"]},
    }
    accounts = {"HOME": home, "AWAY": away}
    rows: dict[tuple[int, int], AccountMembership] = {}
    for (name, code), values in memberships.items():
        row = await make_membership(session, contact=people[name], account=accounts[code], **values)
        assert row.contact_id is not None and row.account_id is not None
        rows[row.contact_id, row.account_id] = row
    carts = [
        await make_cart(session, account=accounts[code], contact=people[name], status=status)
        for name, code, status in (
            ("sam", "HOME", CartStatus.PENDING_APPROVAL),
            ("sue", "HOME", CartStatus.PENDING_APPROVAL),
            ("ann", "HOME", CartStatus.PENDING_APPROVAL),
            ("sam", "HOME", CartStatus.OPEN),
            ("sue", "AWAY", CartStatus.PENDING_APPROVAL),
        )
    ]
    await session.commit()

    picks = []
    for name in ("ann", "abe", "sam"):
        viewer_id = ids[name]
        usable = {
            account_id: MembershipRole.SHOPPER
            for (contact_id, account_id), row in rows.items()
            if contact_id == viewer_id and row.is_active
        }
        context = Context(request=None, settings=settings, session=session)
        context.viewer = Viewer(kind=ViewerKind.CONTACT, contact_id=viewer_id, memberships=usable)

        # when the queue's SQL and the pure rule each pick the carts the approver sees
        statement = (await carts_to_approve(context)).with_only_columns(col(Cart.id))
        by_sql = set((await session.scalars(statement)).all())
        by_rule = set()
        for cart in carts:
            own = rows.get((viewer_id, cart.account_id))
            shopper = rows.get((cart.contact_id or 0, cart.account_id))
            if (
                cart.status is CartStatus.PENDING_APPROVAL
                and cart.account_id in usable
                and own is not None
                and shopper is not None
                and cart.contact_id is not None
                and sees_cart(
                    approver=approver_rights(own),
                    shopper_id=cart.contact_id,
                    shopper_approver_id=shopper.cart_approver_id,
                )
            ):
                by_rule.add(cart.id)

        # then they agree
        assert by_sql == by_rule, name
        picks.append(by_rule)
    # Worth something only if the approvers see different, non-empty queues.
    assert len({frozenset(picked) for picked in picks}) == 3 and any(picks)
