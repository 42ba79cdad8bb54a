"""A sales-rep app's round trips, with the `gql` client: sign in, find an account carrying the
rep's code, switch to it in one mutation that returns the new account's data, and read what a rep
looks at before a call (balance, overdue invoices, prices).

    python examples/sales_rep.py http://127.0.0.1:8000/graphql rep1 tradepost-demo
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from gql import Client, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token errors { code message } }
}
"""

MY_ACCOUNTS = """
query MyAccounts($search: String) {
  viewer {
    worker { username repCode }
    switchableAccounts(filter: {search: $search}, first: 5) {
      totalCount
      nodes { id code companyName isOnHold }
    }
  }
}
"""

SWITCH = """
mutation Switch($input: SwitchAccountInput!) {
  switchAccount(input: $input) {
    errors { field code message }
    account {
      code companyName priceLevel paymentTypes
      balanceSummary { balance balanceLimit overdue }
      invoices(first: 3) { nodes { number invoiceDate dueDate balance } }
      carts(first: 5) { totalCount nodes { name status total } }
    }
  }
}
"""

PRICES = """
query Prices($search: String!) {
  products(first: 3, filter: {search: $search}) {
    nodes { sku name price priceBreakdown { rule } }
  }
}
"""


async def run(url: str, username: str, password: str) -> dict[str, Any]:
    async with Client(transport=HTTPXAsyncTransport(url=url)) as anonymous:
        login = await anonymous.execute(
            GraphQLRequest(
                LOGIN, variable_values={"input": {"username": username, "password": password}}
            )
        )
    if login["login"]["errors"]:
        raise SystemExit(f"login refused: {login['login']['errors']}")
    headers = {"Authorization": f"Bearer {login['login']['token']}"}
    async with Client(transport=HTTPXAsyncTransport(url=url, headers=headers)) as rep:
        accounts = await rep.execute(GraphQLRequest(MY_ACCOUNTS, variable_values={"search": "C10"}))
        first = accounts["viewer"]["switchableAccounts"]["nodes"][0]
        switched = await rep.execute(
            GraphQLRequest(SWITCH, variable_values={"input": {"accountId": first["id"]}})
        )
        if switched["switchAccount"]["errors"]:
            raise SystemExit(f"switch refused: {switched['switchAccount']['errors']}")
        prices = await rep.execute(GraphQLRequest(PRICES, variable_values={"search": "TP-0000"}))
    return {
        "rep": accounts["viewer"]["worker"],
        "accounts": accounts["viewer"]["switchableAccounts"]["totalCount"],
        "active": switched["switchAccount"]["account"],
        "prices": prices["products"]["nodes"],
    }


DEFAULTS = ("http://127.0.0.1:8000/graphql", "rep1", "tradepost-demo")

if __name__ == "__main__":
    given = sys.argv[1:4]
    url, username, password = (*given, *DEFAULTS[len(given) :])
    print(json.dumps(asyncio.run(run(url, username, password)), indent=2))
