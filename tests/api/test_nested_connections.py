"""Connections on objects (`Account.contacts`, `Account.productPrices`, `Contract.products`,
`Contract.accounts`, `FavouritesList.items`): paged like every connection, counted, and one
statement a level whatever the number of parents."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from models import Account, Product
from schema.relay import encode_cursor
from tests.conftest import StatementCounter
from tests.factories import (
    PASSWORD,
    make_account,
    make_account_price,
    make_contact,
    make_contract,
    make_favourites_list,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient

PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
ACCOUNTS = f"""
query($first: Int) {{
  accounts(first: $first, sortBy: {{field: CODE}}) {{
    nodes {{
      code
      contacts(first: 2) {{ {PAGE} nodes {{ name }} }}
      productPrices(first: 2) {{ {PAGE} nodes {{ price minQuantity }} }}
      favouritesLists(first: 3) {{
        nodes {{ items(first: 2) {{ {PAGE} nodes {{ sku productName }} }} }}
      }}
      contracts(first: 1) {{
        nodes {{
          products(first: 2) {{ {PAGE} nodes {{ price product {{ sku }} }} }}
          accounts(first: 2) {{ {PAGE} nodes {{ code }} }}
        }}
      }}
    }}
  }}
}}
"""


async def accounts_with_lists(
    session: AsyncSession, products: list[Product], count: int, *, first: int = 0
) -> None:
    """Accounts N<first>.., account n with n + 3 contacts and prices, and 3 favourites, all on
    one contract of the 4 products."""
    accounts: list[Account] = []
    for n in range(first, first + count):
        account = await make_account(session, code=f"N{n}")
        accounts.append(account)
        owner = None
        for c in range(n + 3):
            owner = await make_contact(session, account=account, name=f"N{n} contact {c}")
        assert owner is not None
        for quantity in range(1, n + 4):
            await make_account_price(
                session, account=account, product=products[0], price=f"{quantity}.00",
                min_quantity=quantity,
            )  # fmt: skip
        await make_favourites_list(session, account=account, owner=owner, products=products[:3])
    await make_contract(
        session,
        starts_on=date(2020, 1, 1),
        expires_on=date(2099, 12, 31),
        products=[(p, f"{9 - i}.00", False) for i, p in enumerate(products)],
        accounts=accounts,
    )


async def test_a_page_of_accounts_with_their_connections_costs_the_same_sql_for_any_size(
    client: GraphQLClient, session: AsyncSession, sql_counter: StatementCounter
) -> None:
    # given 2 accounts, then 6, each with its lists, and an administrator
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    products = [await make_product(session, sku=f"P{n}", name=f"Product {n}") for n in range(4)]
    await accounts_with_lists(session, products, 2)
    token = await client.login("admin", PASSWORD)
    sql_counter.reset()
    small = await client.execute(ACCOUNTS, {"first": 100}, token=token)
    few = sql_counter.count
    await accounts_with_lists(session, products, 4, first=2)
    sql_counter.reset()
    large = await client.execute(ACCOUNTS, {"first": 100}, token=token)

    # then six accounts cost as many statements as two
    assert len(small["accounts"]["nodes"]) == 2
    assert len(large["accounts"]["nodes"]) == 6
    assert sql_counter.count == few
    # and every account got its own first page and count
    first_page = {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": encode_cursor(0),
        "endCursor": encode_cursor(1),
    }
    for n, account in enumerate(large["accounts"]["nodes"]):
        assert account["code"] == f"N{n}"
        assert account["contacts"] == {
            "totalCount": n + 3,
            "pageInfo": first_page,
            "nodes": [{"name": f"N{n} contact 0"}, {"name": f"N{n} contact 1"}],
        }
        assert account["productPrices"]["totalCount"] == n + 3
        assert account["productPrices"]["nodes"] == [
            {"price": "1.00", "minQuantity": 1},
            {"price": "2.00", "minQuantity": 2},
        ]
        [favourites] = account["favouritesLists"]["nodes"]
        assert favourites["items"]["totalCount"] == 3
        assert favourites["items"]["nodes"] == [
            {"sku": "P0", "productName": "Product 0"},
            {"sku": "P1", "productName": "Product 1"},
        ]
        [contract] = account["contracts"]["nodes"]
        assert contract["products"]["totalCount"] == 4
        assert contract["products"]["nodes"] == [
            {"price": "9.00", "product": {"sku": "P0"}},
            {"price": "8.00", "product": {"sku": "P1"}},
        ]
        assert contract["accounts"]["totalCount"] == (2 if n < 2 else 4)
        assert contract["accounts"]["pageInfo"] == first_page | {"hasNextPage": n >= 2}


CONTACTS = f"""
query($first: Int, $after: String, $last: Int, $before: String) {{
  account(code: "N0") {{
    contacts(first: $first, after: $after, last: $last, before: $before) {{
      {PAGE} nodes {{ name }}
    }}
  }}
}}
"""


@pytest.mark.parametrize(
    ("page", "names", "has_next", "has_previous"),
    [
        ({"first": 2}, [0, 1], True, False),
        ({"first": 2, "after": 1}, [2, 3], True, True),
        ({"first": 2, "after": 3}, [4], False, True),
        ({"first": 2, "after": 4}, [], False, True),
        ({"first": 0}, [], True, False),
        ({"last": 2}, [3, 4], False, True),
        ({"last": 2, "before": 3}, [1, 2], True, True),
        ({"last": 10, "before": 2}, [0, 1], True, False),
        ({"last": 0}, [], False, True),
        ({"first": 3, "before": 2}, [0, 1], True, False),
        ({"first": 1, "after": 0, "before": 3}, [1], True, True),
        ({}, [0, 1, 2, 3, 4], False, False),
    ],
)
async def test_a_connection_on_an_object_pages_as_every_connection_does(
    client: GraphQLClient,
    session: AsyncSession,
    page: dict[str, Any],
    names: list[int],
    has_next: bool,
    has_previous: bool,
) -> None:
    # given an account with five contacts (0 to 4, by name)
    account = await make_account(session, code="N0")
    for c in range(5):
        await make_contact(session, account=account, name=f"contact {c}")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    variables = {
        name: encode_cursor(value) if name in ("after", "before") else value
        for name, value in page.items()
    }

    # when
    data = await client.execute(CONTACTS, variables, token=token)

    # then the page holds the contacts asked for, with their positions as cursors
    contacts = data["account"]["contacts"]
    assert contacts["nodes"] == [{"name": f"contact {c}"} for c in names]
    assert contacts["totalCount"] == 5
    assert contacts["pageInfo"] == {
        "hasNextPage": has_next,
        "hasPreviousPage": has_previous,
        "startCursor": encode_cursor(names[0]) if names else None,
        "endCursor": encode_cursor(names[-1]) if names else None,
    }


async def test_a_page_of_a_root_connection_agrees_with_one_on_an_object(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given five accounts on one contract, listed by code at the root and on the contract
    accounts = [await make_account(session, code=f"N{n}") for n in range(5)]
    await make_contract(
        session, code="ALL", starts_on=date(2020, 1, 1), expires_on=date(2099, 1, 1),
        accounts=accounts,
    )  # fmt: skip
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    query = f"""
    query($first: Int, $after: String, $last: Int, $before: String) {{
      accounts(first: $first, after: $after, last: $last, before: $before, sortBy: {{field: CODE}})
        {{ {PAGE} nodes {{ code }} }}
      contract(code: "ALL") {{
        accounts(first: $first, after: $after, last: $last, before: $before)
          {{ {PAGE} nodes {{ code }} }}
      }}
    }}
    """
    pages: list[dict[str, Any]] = [
        {"first": 2, "after": encode_cursor(0)},
        {"last": 3},
        {"last": 2, "before": encode_cursor(4)},
        {"first": 4, "before": encode_cursor(2)},
        {"last": 2, "before": encode_cursor(9)},
    ]
    for page in pages:
        data = await client.execute(query, page, token=token)
        assert data["contract"]["accounts"] == data["accounts"], page


async def test_a_contracts_accounts_are_those_the_viewer_may_read(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contract of three accounts, two of them rep 7's
    accounts = [
        await make_account(session, code=code, sales_rep_code=rep)
        for code, rep in (("A1", "7"), ("A2", "8"), ("A3", "7"))
    ]
    await make_contract(
        session, code="REPS", starts_on=date(2020, 1, 1), expires_on=date(2099, 1, 1),
        accounts=accounts,
    )  # fmt: skip
    await make_worker(session, username="rep7", role=WorkerRole.SALES_REP, rep_code="7")
    token = await client.login("rep7", PASSWORD)

    # when
    data = await client.execute(
        'query { contract(code: "REPS") { accounts { totalCount nodes { code } } } }',
        token=token,
    )

    # then the rep sees and counts its own two
    assert data["contract"]["accounts"] == {
        "totalCount": 2,
        "nodes": [{"code": "A1"}, {"code": "A3"}],
    }


async def test_the_query_cost_counts_connections_on_objects(client: GraphQLClient) -> None:
    # when a page of 5 accounts asks for 10 contacts and the default page of prices of each
    response = await client.raw(
        "{ accounts(first: 5) { nodes { contacts(first: 10) { totalCount } "
        "productPrices { totalCount } } } }"
    )

    # then the cost is 1 + 5 + 5 * 10 + 5 * 20
    assert response.json()["extensions"]["cost"]["requestedQueryCost"] == 156
