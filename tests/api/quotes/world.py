"""The quotes tests' world: Mary, a shopper of ABC1234 (sales rep REP01, rep1), with an open cart
of 3 x PIPE at 10.00 and 2 x VALVE at 4.00; and the operations they send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enums import PaymentType, WorkerRole
from models import Account, Cart, Contact, Product, ProductLevelPrice, Worker
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_cart,
    make_contact,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

QUOTE_FIELDS = """
  id number status isExpired discountPercent expiresOn requestNote sellerNote
  lines { id sku quantity requestedUnitPrice listUnitPrice quotedUnitPrice lineTotal
          todaysUnitPrice saving }
  totals { subtotal discount total todaysTotal saving }
  order { number total lines { sku unitPrice lineTotal } }
"""
REQUEST = f"""
mutation Request($input: RequestQuoteInput!) {{
  requestQuote(input: $input) {{ quote {{ {QUOTE_FIELDS} }} errors {{ field code message }} }}
}}
"""
PRICE = f"""
mutation Price($input: PriceQuoteInput!) {{
  priceQuote(input: $input) {{ quote {{ {QUOTE_FIELDS} }} errors {{ field code message }} }}
}}
"""
ANSWERS = {
    name: f"""
mutation {name.title()}($input: {name.title()}QuoteInput!) {{
  {name}Quote(input: $input) {{ quote {{ status }} errors {{ field code message }} }}
}}
"""
    for name in ("accept", "reject", "renegotiate", "withdraw")
}
ORDER = """
mutation Order($input: OrderQuoteInput!) {
  orderQuote(input: $input) {
    quote { status order { number } }
    cart { status }
    order { number total status lines { sku quantity unitPrice lineTotal } }
    warnings { code }
    errors { field code message }
  }
}
"""
READ = f"""
query Read($id: ID!) {{
  node(id: $id) {{
    ... on Quote {{
      {QUOTE_FIELDS}
      history {{ nodes {{ action actor reason fromStatus toStatus at }} }}
    }}
  }}
}}
"""


@dataclass
class World:
    account: Account
    mary: Contact
    rep: Worker
    pipe: Product
    valve: Product
    cart: Cart
    mary_token: str
    rep_token: str


async def arrange(
    client: GraphQLClient,
    session: AsyncSession,
    *,
    membership: dict[str, Any] | None = None,
    **account_values: Any,
) -> World:
    account = await make_account(
        session,
        code="ABC1234",
        company_name="ABC Plumbing",
        sales_rep_code="REP01",
        payment_types=[PaymentType.ON_ACCOUNT.value, PaymentType.RUNNING_QUOTE.value],
        **account_values,
    )
    await make_address(session, account=account, is_primary=True)
    mary = await make_contact(
        session,
        account=account,
        username="mary",
        name="Mary",
        email="mary@example.com",
        membership=membership,
    )
    rep = await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    rep.email = "rep1@example.com"
    pipe = await make_product(session, sku="PIPE", name="Pipe", level_prices={"A": "10.00"})
    valve = await make_product(session, sku="VALVE", name="Valve", level_prices={"A": "4.00"})
    cart = await make_cart(
        session, account=account, contact=mary, lines=[(pipe, 3, "10.00"), (valve, 2, "4.00")]
    )
    await session.commit()
    return World(
        account=account,
        mary=mary,
        rep=rep,
        pipe=pipe,
        valve=valve,
        cart=cart,
        mary_token=await client.login("mary", PASSWORD),
        rep_token=await client.login("rep1", PASSWORD),
    )


TOMORROW = (date.today() + timedelta(days=1)).isoformat()


async def requested(client: GraphQLClient, world: World, note: str = "Site job") -> dict[str, Any]:
    data = await client.execute(
        REQUEST,
        {"input": {"cartId": gid("Cart", world.cart.id), "note": note}},
        token=world.mary_token,
    )
    assert data["requestQuote"]["errors"] == []
    quote: dict[str, Any] = data["requestQuote"]["quote"]
    return quote


async def sent(
    client: GraphQLClient, world: World, *, pipe_price: str = "9.00", discount: str = "0"
) -> dict[str, Any]:
    """Requested by Mary, then priced by the rep: PIPE at `pipe_price`, VALVE as requested."""
    quote = await requested(client, world)
    data = await client.execute(
        PRICE,
        {
            "input": {
                "id": quote["id"],
                "lines": [{"lineId": quote["lines"][0]["id"], "unitPrice": pipe_price}],
                "discountPercent": discount,
                "expiresOn": TOMORROW,
                "note": "Price held for the site job",
            }
        },
        token=world.rep_token,
    )
    assert data["priceQuote"]["errors"] == []
    priced: dict[str, Any] = data["priceQuote"]["quote"]
    return priced


async def answer(
    client: GraphQLClient, token: str, name: str, quote_id: str, **values: Any
) -> dict[str, Any]:
    data = await client.execute(ANSWERS[name], {"input": {"id": quote_id, **values}}, token=token)
    payload: dict[str, Any] = data[f"{name}Quote"]
    return payload


async def set_level_price(session: AsyncSession, product: Product, price: str) -> None:
    """Today's price changes after the quote was priced."""
    await session.execute(
        update(ProductLevelPrice)
        .where(col(ProductLevelPrice.product_id) == product.id)
        .values(price=price)
    )
    await session.commit()
