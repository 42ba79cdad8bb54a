"""Seed 003 "Facility Role permissions": each role's defaults (a settings section), a worker's
own set given by an administrator, and what each permission lets a worker do."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.access import WorkerPermission
from domain.enums import WorkerRole
from tests.factories import (
    PASSWORD,
    make_account,
    make_contact,
    make_invoice,
    make_location,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid

SET_PERMISSIONS = """
mutation Set($input: SetWorkerPermissionsInput!) {
  setWorkerPermissions(input: $input) {
    worker { username permissions ownPermissions canManageContracts }
    errors { field code message }
  }
}
"""
UPDATE_ROLE = """
mutation Role($input: UpdateRolePermissionsInput!) {
  updateRolePermissions(input: $input) {
    workerPermissions { salesRep customerService }
    errors { field code message }
  }
}
"""
SWITCH = """
mutation Switch($input: SwitchAccountInput!) {
  switchAccount(input: $input) { errors { code } }
}
"""
WHAT_THE_REP_DOES = """
mutation Act($contact: CreateContactInput!) {
  createCart(input: {}) { cart { id } errors { code message } }
  createContact(input: $contact) { contact { name } errors { field code message } }
}
"""
WHAT_THE_REP_SEES = """
query See($code: String!) {
  viewer { worker { permissions } }
  account(code: $code) { code invoices(first: 5) { totalCount } }
  product(sku: "PIPE") { stock { quantity location { code } } }
}
"""
EVERYDAY = ["PLACE_ORDERS", "VIEW_ENQUIRY", "EDIT_CONTACTS", "SEE_ALL_STOCK"]


async def _rep_world(session: AsyncSession) -> dict[str, Any]:
    """rep1 and rep2 (REP01), an admin, one REP01 account with an invoice, stock at its own
    location and at another."""
    rep1 = await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    await make_worker(session, username="rep2", role=WorkerRole.SALES_REP, rep_code="REP01")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    account = await make_account(session, code="C1", sales_rep_code="REP01")
    await make_invoice(session, account=account)
    pipe = await make_product(session, sku="PIPE")
    await make_location(session, code="SYD", accounts=[(account, True)], stock=[(pipe, 5)])
    await make_location(session, code="MEL", stock=[(pipe, 7)])
    return {"rep1": rep1, "account": account}


async def _acting_rep(client: GraphQLClient, username: str, account: Any) -> str:
    token = await client.login(username, PASSWORD)
    switched = await client.execute(
        SWITCH, {"input": {"accountId": gid("Account", account.id)}}, token=token
    )
    assert switched["switchAccount"]["errors"] == []
    return token


async def test_a_worker_given_its_own_set_may_do_only_that(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two reps on the role defaults; the admin gives rep1 only the enquiry permission
    world = await _rep_world(session)
    admin = await client.login("admin", PASSWORD)
    given = await client.execute(
        SET_PERMISSIONS,
        {"input": {"workerId": gid("Worker", world["rep1"].id), "permissions": ["VIEW_ENQUIRY"]}},
        token=admin,
    )
    contact = {"accountId": gid("Account", world["account"].id), "name": "New Buyer"}

    # when each rep, acting for the account, tries to order, add a contact, and looks around
    seen, done = {}, {}
    for username in ("rep1", "rep2"):
        token = await _acting_rep(client, username, world["account"])
        done[username] = await client.execute(WHAT_THE_REP_DOES, {"contact": contact}, token=token)
        seen[username] = await client.execute(WHAT_THE_REP_SEES, {"code": "C1"}, token=token)

    # then rep1 holds its own set: enquiry yes; ordering, contacts and other locations' stock no
    assert given["setWorkerPermissions"] == {
        "worker": {
            "username": "rep1",
            "permissions": ["VIEW_ENQUIRY"],
            "ownPermissions": ["VIEW_ENQUIRY"],
            "canManageContracts": False,
        },
        "errors": [],
    }
    refused = "You may not place orders for customer accounts"
    assert done["rep1"] == {
        "createCart": {"cart": None, "errors": [{"code": "NOT_PERMITTED", "message": refused}]},
        "createContact": {
            "contact": None,
            "errors": [
                {
                    "field": ["accountId"],
                    "code": "NOT_PERMITTED",
                    "message": "You may not manage this account",
                }
            ],
        },
    }
    assert seen["rep1"] == {
        "viewer": {"worker": {"permissions": ["VIEW_ENQUIRY"]}},
        "account": {"code": "C1", "invoices": {"totalCount": 1}},
        "product": {"stock": [{"quantity": 5, "location": {"code": "SYD"}}]},
    }
    # and rep2, on the role defaults, does all of it
    assert done["rep2"]["createCart"]["errors"] == []
    assert done["rep2"]["createContact"] == {"contact": {"name": "New Buyer"}, "errors": []}
    assert seen["rep2"]["viewer"] == {"worker": {"permissions": EVERYDAY}}
    assert sorted(s["location"]["code"] for s in seen["rep2"]["product"]["stock"]) == [
        "MEL",
        "SYD",
    ]


async def test_role_defaults_apply_to_every_worker_without_its_own_set(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given reps on the role defaults
    world = await _rep_world(session)
    admin = await client.login("admin", PASSWORD)

    # when the admin takes enquiry and stock visibility from the SALES_REP role
    updated = await client.execute(
        UPDATE_ROLE,
        {"input": {"role": "SALES_REP", "permissions": ["EDIT_CONTACTS", "PLACE_ORDERS"]}},
        token=admin,
    )
    token = await _acting_rep(client, "rep2", world["account"])
    seen = await client.execute(WHAT_THE_REP_SEES, {"code": "C1"}, token=token)
    settings = await client.execute(
        "query { settings { workerPermissions { salesRep customerService } } }", token=admin
    )
    public = await client.execute("query { settings { workerPermissions { salesRep } } }")

    # then every rep without a set of its own has the new defaults, at once
    assert updated["updateRolePermissions"] == {
        "workerPermissions": {
            "salesRep": ["PLACE_ORDERS", "EDIT_CONTACTS"],
            "customerService": EVERYDAY,
        },
        "errors": [],
    }
    assert seen == {
        "viewer": {"worker": {"permissions": ["PLACE_ORDERS", "EDIT_CONTACTS"]}},
        "account": {"code": "C1", "invoices": None},
        "product": {"stock": [{"quantity": 5, "location": {"code": "SYD"}}]},
    }
    assert (
        settings["settings"]["workerPermissions"]
        == updated["updateRolePermissions"]["workerPermissions"]
    )
    assert public == {"settings": {"workerPermissions": None}}


async def test_a_worker_set_back_to_null_follows_its_role_again(
    client: GraphQLClient, session: AsyncSession
) -> None:
    world = await _rep_world(session)
    admin = await client.login("admin", PASSWORD)
    worker_id = gid("Worker", world["rep1"].id)
    await client.execute(
        SET_PERMISSIONS, {"input": {"workerId": worker_id, "permissions": []}}, token=admin
    )

    reset = await client.execute(SET_PERMISSIONS, {"input": {"workerId": worker_id}}, token=admin)

    assert reset["setWorkerPermissions"]["worker"] == {
        "username": "rep1",
        "permissions": EVERYDAY,
        "ownPermissions": None,
        "canManageContracts": False,
    }


async def test_bad_permission_input_is_refused_and_changes_nothing(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an admin, a rep and a contact
    world = await _rep_world(session)
    admin_row = await make_worker(session, username="boss", role=WorkerRole.ADMIN)
    contact = await make_contact(session, account=world["account"], username="mary")
    admin = await client.login("admin", PASSWORD)

    # when the admin names the ADMIN role, an admin worker, a contact's ID and an unknown enum
    role = await client.execute(
        UPDATE_ROLE, {"input": {"role": "ADMIN", "permissions": []}}, token=admin
    )
    of_admin = await client.execute(
        SET_PERMISSIONS,
        {"input": {"workerId": gid("Worker", admin_row.id), "permissions": []}},
        token=admin,
    )
    not_worker = await client.execute(
        SET_PERMISSIONS,
        {"input": {"workerId": gid("Contact", contact.id), "permissions": []}},
        token=admin,
    )
    unknown = await client.errors(
        SET_PERMISSIONS,
        {"input": {"workerId": gid("Worker", world["rep1"].id), "permissions": ["FLY"]}},
        token=admin,
    )
    by_rep = await client.errors(
        SET_PERMISSIONS,
        {"input": {"workerId": gid("Worker", world["rep1"].id), "permissions": []}},
        token=await client.login("rep2", PASSWORD),
    )
    after = await client.execute(
        "query { settings { workerPermissions { salesRep } } }", token=admin
    )
    rep_token = await client.login("rep1", PASSWORD)
    rep_now = await client.execute("query { viewer { worker { permissions } } }", token=rep_token)

    # then each is a clear refusal and nothing changed
    admin_holds_all = "ADMIN workers always hold every permission"
    assert role["updateRolePermissions"] == {
        "workerPermissions": None,
        "errors": [{"field": ["role"], "code": "INVALID", "message": admin_holds_all}],
    }
    assert of_admin["setWorkerPermissions"] == {
        "worker": None,
        "errors": [{"field": ["workerId"], "code": "INVALID", "message": admin_holds_all}],
    }
    assert not_worker["setWorkerPermissions"]["errors"][0]["field"] == ["workerId"]
    assert not_worker["setWorkerPermissions"]["worker"] is None
    assert "FLY" in unknown[0]["message"]
    assert [e["extensions"]["code"] for e in by_rep] == ["FORBIDDEN"]
    assert after == {"settings": {"workerPermissions": {"salesRep": EVERYDAY}}}
    assert rep_now == {"viewer": {"worker": {"permissions": EVERYDAY}}}


async def test_customer_service_without_edit_contacts_may_not_edit_a_contact(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a customer-service worker whose role no longer edits contacts
    account = await make_account(session, code="C1")
    contact = await make_contact(session, account=account, username="mary")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    await make_worker(
        session,
        username="service",
        role=WorkerRole.CUSTOMER_SERVICE,
        permissions=[WorkerPermission.VIEW_ENQUIRY],
    )
    token = await client.login("service", PASSWORD)

    # when it renames the contact
    data = await client.execute(
        "mutation($input: UpdateContactInput!) { updateContact(input: $input) "
        "{ contact { name } errors { field code message } } }",
        {"input": {"id": gid("Contact", contact.id), "name": "Someone Else"}},
        token=token,
    )
    name = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Contact { name } } }",
        {"id": gid("Contact", contact.id)},
        token=await client.login("admin", PASSWORD),
    )

    # then it is refused, and the contact keeps its name
    assert data["updateContact"] == {
        "contact": None,
        "errors": [
            {"field": ["id"], "code": "NOT_PERMITTED", "message": "You may not edit this contact"}
        ],
    }
    assert name == {"node": {"name": contact.name}}
