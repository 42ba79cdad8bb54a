"""`node` and `nodes` fetch every type that implements Node, for whoever may read the object, and
answer null for whoever may not (API.md "Identity and lists")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from domain.enquiry import EnquiryKind
from domain.enums import ApiKeyScope, MembershipRole, WorkerRole
from domain.wallet import SavedSearchGrid
from models import ApiKey, SavedSearch
from schema.node import FETCHERS
from tests.factories import (
    PASSWORD,
    make_account,
    make_account_price,
    make_api_key,
    make_contact,
    make_credit_card,
    make_enquiry_record,
    make_favourites_list,
    make_invoice,
    make_membership,
    make_product,
    make_shipping_account,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

NODE_TYPES = '{ __type(name: "Node") { possibleTypes { name } } }'
NODE = "query Node($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


async def test_every_type_implementing_node_has_a_fetcher(client: GraphQLClient) -> None:
    # when the schema is asked which object types implement Node
    data = await client.execute(NODE_TYPES)
    implementing = {t["name"] for t in data["__type"]["possibleTypes"]}

    # then `node` can fetch each of them, and fetches nothing else
    assert implementing - set(FETCHERS) == set()
    assert set(FETCHERS) - implementing == set()


@dataclass(frozen=True)
class Case:
    id: str
    reader: str  # a login that may read the object
    stranger: str  # one that may not


async def arrange(session: AsyncSession, type_name: str) -> Case:
    """One object of `type_name` with a login that may read it and one that may not: a
    colleague at the same account where the object is personal, else a contact of another
    account."""
    account = await make_account(session)
    owner = await make_contact(session, account=account, username="owner")
    await make_contact(session, account=account, username="colleague")
    await make_contact(session, account=await make_account(session), username="outsider")
    product = await make_product(session)
    assert owner.id is not None
    if type_name == "ApiKey":
        await make_worker(session, username="admin", role=WorkerRole.ADMIN)
        await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
        await make_api_key(session, scopes=[ApiKeyScope.READ])
        key_id = await session.scalar(select(col(ApiKey.id)))
        return Case(gid("ApiKey", key_id), "admin", "service")
    if type_name == "SavedSearch":
        search = SavedSearch(contact_id=owner.id, grid=SavedSearchGrid.ACCOUNTS, name="Mine")
        session.add(search)
        await session.commit()
        return Case(gid("SavedSearch", search.id), "owner", "colleague")
    if type_name == "CreditCard":
        card = await make_credit_card(session, account=account, owner=owner)
        return Case(gid("CreditCard", card.id), "owner", "colleague")
    if type_name == "FavouritesList":
        private = await make_favourites_list(session, account=account, owner=owner)
        return Case(gid("FavouritesList", private.id), "owner", "colleague")
    # The account's own records: any of its contacts reads them, another account's does not.
    row: Any
    if type_name == "Invoice":
        row = await make_invoice(session, account=account)
    elif type_name == "EnquiryRecord":
        row = await make_enquiry_record(session, account=account, kind=EnquiryKind.SALES_ORDER)
    elif type_name == "AccountProductPrice":
        row = await make_account_price(session, account=account, product=product, price="1.00")
    else:
        row = await make_shipping_account(session, account=account)
    return Case(gid(type_name, row.id), "colleague", "outsider")


NEWLY_FETCHED = [
    "Invoice",
    "FavouritesList",
    "CreditCard",
    "ShippingAccount",
    "SavedSearch",
    "EnquiryRecord",
    "AccountProductPrice",
    "ApiKey",
]


@pytest.mark.parametrize("type_name", NEWLY_FETCHED)
async def test_a_reader_fetches_the_object_and_a_stranger_gets_null(
    client: GraphQLClient, session: AsyncSession, type_name: str
) -> None:
    # given an object, a login that may read it and one that may not
    case = await arrange(session, type_name)
    reader = await client.login(case.reader, PASSWORD)
    stranger = await client.login(case.stranger, PASSWORD)

    # when each fetches it by its global ID, alone and in a list
    answers = [
        (
            (await client.execute(NODE, {"id": case.id}, token=token))["node"],
            (await client.execute(NODES, {"ids": [case.id]}, token=token))["nodes"],
        )
        for token in (reader, stranger)
    ]

    # then the reader gets it, and for the stranger it does not exist
    found = {"__typename": type_name, "id": case.id}
    assert answers == [(found, [found]), (None, [None])]


async def test_enquiry_records_are_fetched_for_the_active_account_only(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contact of two accounts, acting for the first, and an invoice of the second
    first, second = await make_account(session), await make_account(session)
    contact = await make_contact(session, account=first, username="both")
    await make_membership(
        session, contact=contact, account=second, role=MembershipRole.SHOPPER, is_default=False
    )
    invoice = await make_invoice(session, account=second)
    token = await client.login("both", PASSWORD)

    # when it fetches the invoice by ID
    data = await client.execute(NODE, {"id": gid("Invoice", invoice.id)}, token=token)

    # then it is null, as `Account.invoices` of a contact's other account is
    assert data == {"node": None}
