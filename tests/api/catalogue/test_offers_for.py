"""resolvers.pricing.offers_for: the function carts call, with the API's pricing and rules."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import Context
from core.settings import Settings
from loaders.offers import GUEST_PRICING_SECTION, Offer
from models import PlatformSetting
from resolvers.pricing import offers_for
from tests.conftest import StatementCounter
from tests.factories import (
    make_account,
    make_account_price,
    make_contact,
    make_membership,
    make_product,
    make_restriction,
)


async def test_offers_price_and_refuse_per_buyer(session: AsyncSession, settings: Settings) -> None:
    # given a restricted product, an inactive one and a normal one with a quantity break
    account = await make_account(session, price_level="B", code="BUYER")
    guest = await make_account(session, price_level="D", code="GUEST")
    contact = await make_contact(session)
    membership = await make_membership(
        session, contact=contact, account=account, restricted_products_apply=True
    )
    normal = await make_product(session, level_prices={"B": "10.00", "D": "12.00"})
    restricted = await make_product(session, level_prices={"B": "10.00"})
    retired = await make_product(session, is_active=False, level_prices={"B": "10.00"})
    await make_account_price(session, account=account, product=normal, price="9.00", min_quantity=6)
    await make_restriction(session, account=account, product=restricted)
    session.add(
        PlatformSetting(section=GUEST_PRICING_SECTION, value={"default_account_code": "GUEST"})
    )
    await session.commit()
    assert normal.id and restricted.id and retired.id and guest.id
    context = Context(request=None, settings=settings, session=session)

    # when a cart asks for the member's offers, and for a guest's
    member = await offers_for(
        context,
        account_id=account.id,
        membership_id=membership.id,
        quantities={normal.id: 6, restricted.id: 1, retired.id: 1},
    )
    anonymous = await offers_for(
        context, account_id=None, membership_id=None, quantities={normal.id: 1}
    )

    # then each product has its price or the reason it cannot be bought
    assert member == {
        normal.id: Offer(normal.id, Decimal("9.00"), True, None),
        restricted.id: Offer(
            restricted.id, None, False, "This product is restricted for your account"
        ),
        retired.id: Offer(retired.id, None, False, "This product is no longer sold"),
    }
    assert anonymous == {normal.id: Offer(normal.id, Decimal("12.00"), True, None)}


async def test_offers_cost_a_constant_number_of_statements(
    session: AsyncSession, settings: Settings, sql_counter: StatementCounter
) -> None:
    account = await make_account(session, price_level="A")
    products = [await make_product(session, level_prices={"A": "1.00"}) for _ in range(40)]
    ids = [p.id for p in products if p.id is not None]

    counts = []
    for size in (2, 40):
        context = Context(request=None, settings=settings, session=session)
        sql_counter.reset()
        offers = await offers_for(
            context,
            account_id=account.id,
            membership_id=None,
            quantities=dict.fromkeys(ids[:size], 1),
        )
        assert len(offers) == size
        # The first call also opens the test session's transaction.
        counts.append(len([s for s in sql_counter.statements if s != "BEGIN"]))

    assert counts[0] == counts[1]
