"""addFavouritesToCart: a readable favourites list into the viewer's own open cart, through the
same line-adding path as addCartLines (pricing, restrictions, the restricted list)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models import Account, AccountMembership, Contact, FavouritesList, Product
from tests.factories import (
    PASSWORD,
    make_account,
    make_cart,
    make_contact,
    make_favourites_list,
    make_product,
    make_restriction,
)
from tests.graphql_client import GraphQLClient, gid

ADD_FAVOURITES = """
mutation Add($input: AddFavouritesToCartInput!) {
  addFavouritesToCart(input: $input) {
    cart { total lines { sku quantity unitPrice } }
    errors { field code message }
  }
}
"""
CREATE_CART = "mutation { createCart(input: {}) { cart { id } } }"
LINES = "query Cart($id: ID!) { cart(id: $id) { lines { sku quantity } } }"


class Shop:
    account: Account
    mary: Contact
    frank: Contact
    pipe: Product
    tape: Product
    usuals: FavouritesList  # Mary's private list: pipe and tape


async def shop(session: AsyncSession) -> Shop:
    world = Shop()
    world.account = await make_account(session, price_level="A")
    world.mary = await make_contact(
        session,
        account=world.account,
        username="mary",
        membership={"restricted_products_apply": True},
    )
    world.frank = await make_contact(session, account=world.account, username="frank")
    world.pipe = await make_product(session, sku="PIPE", level_prices={"A": "10.00"})
    world.tape = await make_product(session, sku="TAPE", level_prices={"A": "2.50"})
    world.usuals = await make_favourites_list(
        session, account=world.account, owner=world.mary, products=[world.pipe, world.tape]
    )
    return world


def favourites_input(cart_id: str, favourites: FavouritesList, **values: Any) -> dict[str, Any]:
    return {
        "input": {
            "cartId": cart_id,
            "favouritesListId": gid("FavouritesList", favourites.id),
            **values,
        }
    }


async def new_cart(client: GraphQLClient, username: str) -> tuple[str, str]:
    token = await client.login(username, PASSWORD)
    cart_id = (await client.execute(CREATE_CART, token=token))["createCart"]["cart"]["id"]
    return token, cart_id


async def test_every_item_is_added_one_each_unless_its_sku_has_a_quantity(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's new cart and her list of pipe and tape
    world = await shop(session)
    token, cart_id = await new_cart(client, "mary")

    # when she adds the list, with 4 of the tape (its SKU in lower case)
    data = await client.execute(
        ADD_FAVOURITES,
        favourites_input(cart_id, world.usuals, quantities=[{"sku": "tape", "quantity": 4}]),
        token=token,
    )

    # then one pipe and four tapes are priced for her account
    assert data["addFavouritesToCart"] == {
        "cart": {
            "total": "20.00",
            "lines": [
                {"sku": "PIPE", "quantity": 1, "unitPrice": "10.00"},
                {"sku": "TAPE", "quantity": 4, "unitPrice": "2.50"},
            ],
        },
        "errors": [],
    }


async def test_a_product_already_in_the_cart_gets_the_quantity_added(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's cart already holding 2 pipes
    world = await shop(session)
    cart = await make_cart(
        session, account=world.account, contact=world.mary, lines=[(world.pipe, 2, "10.00")]
    )
    token = await client.login("mary", PASSWORD)

    # when she adds her list
    data = await client.execute(
        ADD_FAVOURITES, favourites_input(gid("Cart", cart.id), world.usuals), token=token
    )

    # then the pipe line has 3 and the tape is new
    assert data["addFavouritesToCart"]["cart"]["lines"] == [
        {"sku": "PIPE", "quantity": 3, "unitPrice": "10.00"},
        {"sku": "TAPE", "quantity": 1, "unitPrice": "2.50"},
    ]


async def test_each_refused_item_is_reported_and_nothing_is_added(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's list, whose tape became restricted for her account, and an unpriced product
    world = await shop(session)
    await make_restriction(session, account=world.account, product=world.tape)
    unpriced = await make_product(session, sku="UNPRICED")
    listed = await make_favourites_list(
        session,
        account=world.account,
        owner=world.mary,
        products=[world.pipe, world.tape, unpriced],
        name="Mixed",
    )
    token, cart_id = await new_cart(client, "mary")

    # when she adds the list
    data = await client.execute(ADD_FAVOURITES, favourites_input(cart_id, listed), token=token)
    after = await client.execute(LINES, {"id": cart_id}, token=token)

    # then the tape and the unpriced product are refused, each at its place in the list
    assert data["addFavouritesToCart"] == {
        "cart": None,
        "errors": [
            {
                "field": ["items", "1", "productId"],
                "code": "NOT_PERMITTED",
                "message": "This product is restricted for your account",
            },
            {
                "field": ["items", "2", "productId"],
                "code": "NOT_PERMITTED",
                "message": "This product has no price for your account",
            },
        ],
    }
    assert after == {"cart": {"lines": []}}


async def test_a_restricted_shopper_is_held_to_the_restricted_list(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Frank, restricted to a shared list of the pipe, reading Mary's shared list of both
    world = await shop(session)
    pipes = await make_favourites_list(
        session,
        account=world.account,
        owner=world.mary,
        products=[world.pipe],
        name="Pipes",
        is_shared=True,
    )
    await session.execute(
        update(FavouritesList)
        .where(col(FavouritesList.id) == world.usuals.id)
        .values(is_shared=True)
    )
    await session.execute(
        update(AccountMembership)
        .where(col(AccountMembership.contact_id) == world.frank.id)
        .values(restricted_favourites_list_id=pipes.id)
    )
    await session.commit()
    token, cart_id = await new_cart(client, "frank")

    # when he adds Mary's list of pipe and tape
    data = await client.execute(
        ADD_FAVOURITES, favourites_input(cart_id, world.usuals), token=token
    )

    # then the tape is refused by his restricted list
    assert data["addFavouritesToCart"] == {
        "cart": None,
        "errors": [
            {
                "field": ["items", "1", "productId"],
                "code": "NOT_PERMITTED",
                "message": "You may only buy the products of your favourites list",
            }
        ],
    }


async def test_a_private_list_of_a_colleague_does_not_exist(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's private list and Frank's new cart
    world = await shop(session)
    token, cart_id = await new_cart(client, "frank")

    # when Frank adds Mary's list
    data = await client.execute(
        ADD_FAVOURITES, favourites_input(cart_id, world.usuals), token=token
    )

    # then it is not found
    assert data["addFavouritesToCart"] == {
        "cart": None,
        "errors": [
            {
                "field": ["favouritesListId"],
                "code": "NOT_FOUND",
                "message": "No such favourites list",
            }
        ],
    }


async def test_quantities_must_name_skus_of_the_list_and_be_valid(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's new cart
    world = await shop(session)
    token, cart_id = await new_cart(client, "mary")

    # when she gives a quantity for a SKU not on the list and a zero quantity for the pipe
    data = await client.execute(
        ADD_FAVOURITES,
        favourites_input(
            cart_id,
            world.usuals,
            quantities=[{"sku": "NOPE", "quantity": 1}, {"sku": "PIPE", "quantity": 0}],
        ),
        token=token,
    )

    # then both entries are refused
    assert data["addFavouritesToCart"] == {
        "cart": None,
        "errors": [
            {
                "field": ["quantities", "0", "sku"],
                "code": "NOT_FOUND",
                "message": "NOPE is not on the favourites list",
            },
            {
                "field": ["quantities", "1", "quantity"],
                "code": "INVALID",
                "message": "Quantity must be between 1 and 1000000",
            },
        ],
    }


async def test_only_the_viewers_own_cart_takes_the_list(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given Mary's cart, and Frank reading a shared list
    world = await shop(session)
    cart = await make_cart(session, account=world.account, contact=world.mary)
    shared = await make_favourites_list(
        session,
        account=world.account,
        owner=world.mary,
        products=[world.pipe],
        name="Shared",
        is_shared=True,
    )
    token = await client.login("frank", PASSWORD)

    # when Frank adds the shared list to Mary's cart
    data = await client.execute(
        ADD_FAVOURITES, favourites_input(gid("Cart", cart.id), shared), token=token
    )

    # then her cart does not exist for him
    assert data["addFavouritesToCart"] == {
        "cart": None,
        "errors": [{"field": ["cartId"], "code": "NOT_FOUND", "message": "No such cart"}],
    }
