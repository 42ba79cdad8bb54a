"""Every text field of every mutation, sent over-long, is refused with a field error on its own
path, and nothing changes. The paths come from the schema, so a new mutation or input field is
walked without anyone remembering to; a mutation whose sample input cannot reach its checks
needs an entry in BASES.

Column-backed fields are refused by their column's limit (`models.column_limits`); the others
by their own rule (a password's length, an unknown SKU). The value is longer than any column and
any rule's limit, but within the edge's generic cap (`MAX_TEXT_LENGTH`, tested apart).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

from graphql import (
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import SQLModel, col

from domain.enums import WorkerRole
from loaders.offers import GUEST_PRICING_SECTION
from models import Account, AccountMembership, Contact, Contract, CredentialRequest, Product
from tests.factories import PASSWORD, make_shipping_account, make_worker, save_settings
from tests.graphql_client import GraphQLClient, gid
from tests.test_authorization_matrix import (  # noqa: F401 - the `world` fixture
    GATES,
    Gate,
    World,
    root_fields,
    sample_value,
    world,
)

OVER_LONG = "x" * 2_001

# Who calls each gate's mutations (default: an ADMIN worker): the caller who reaches the checks.
CALLER = {Gate.PUBLIC: "anonymous", Gate.PEOPLE: "shopper"}
# Input fields (besides the required ones the matrix makes up) that let a mutation reach its
# checks; "$contract" and the like are ids the world does not name.
BASES: dict[str, dict[str, Any]] = {
    "createAccount": {"code": "NEW1"},
    **{
        name: {"email": "new@example.com", "username": "newbie", "password": PASSWORD}
        for name in ("registerAccount", "registerContact")
    },
    # The right current password, so the new one reaches its rules.
    "changePassword": {"currentPassword": PASSWORD},
    "createSavedSearch": {"filters": {}},
    "checkoutGuestCart": {
        "guestCartToken": "$guest_cart",
        "email": "pat@example.com",
        "paymentType": "DIRECT_DEPOSIT",
    },
    "addFavourites": {"listId": "$favourites"},
    "removeFavourites": {"listId": "$favourites"},
    "updateContract": {"id": "$contract"},
    "setContractProducts": {"contractId": "$contract"},
    "updateShippingAccount": {"id": "$shipping_account"},
    "syncAccounts": {"records.0.code": "NEW1"},
    "syncAccountPrices": {"records.0.accountCode": "A1"},
    "updateGuestPricing": {"regions.0.accountCode": "A1"},
    **{
        f"sync{kind}": {"records.0.accountErpKey": "ERP-A1"}
        for kind in ("Addresses", "Contacts", "Invoices", "EnquiryRecords")
    },
}
# Fields whose answer is deliberately the same for every failure, or whose limit is longer than
# OVER_LONG: each is still bounded by the edge's MAX_TEXT_LENGTH.
EXEMPT = {
    "login.input.username": "every failed login answers alike (no field, no oracle)",
    "login.input.password": "every failed login answers alike (no field, no oracle)",
    "updateEmailSetting.input.body": "up to 20,000 characters (EmailTemplate.body)",
    "syncProducts.input.records.0.description": "a product description is unbounded text",
    "unblock.input.usernameOrEmail": "compared as the request log keeps it: cut to its column",
    "unblock.input.accountNumber": "compared as the request log keeps it: cut to its column",
    "resetPassword.input.newPassword": "checked with the login its code names (a max length)",
}


def value_at(
    type_: GraphQLInputType,
    path: tuple[str, ...],
    value: Any,
    caller_world: World,
    into: Any = None,
) -> Any:
    """`into` (else the matrix's sample of `type_`) with `value` at `path`."""
    if isinstance(type_, GraphQLNonNull):
        return value_at(type_.of_type, path, value, caller_world, into)
    if not path:
        return value
    if isinstance(type_, GraphQLList):
        entry = into[0] if into else None
        return [value_at(type_.of_type, path[1:], value, caller_world, entry), *(into or [])[1:]]
    assert isinstance(type_, GraphQLInputObjectType)
    result = dict(into if into is not None else sample_value(type_, path[0], caller_world))
    field = type_.fields[path[0]]
    result[path[0]] = value_at(field.type, path[1:], value, caller_world, result.get(path[0]))
    return result


def text_paths(type_: GraphQLInputType, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Paths to every String in an input type, a list's entry as index 0."""
    if isinstance(type_, GraphQLNonNull):
        yield from text_paths(type_.of_type, path)
    elif isinstance(type_, GraphQLList):
        yield from text_paths(type_.of_type, (*path, "0"))
    elif isinstance(type_, GraphQLInputObjectType):
        for name, field in type_.fields.items():
            yield from text_paths(field.type, (*path, name))
    elif isinstance(type_, GraphQLScalarType) and type_.name == "String":
        yield path


async def snapshot(engine: AsyncEngine) -> dict[str, list[str]]:
    """Every row of every table but the request log's (a refused anonymous call is recorded)."""
    async with engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in await connection.execute(select(table)))
            for table in SQLModel.metadata.sorted_tables
            if table.name not in ("session", "credential_request")
        }


def refusals(payload: dict[str, Any]) -> list[list[str] | None]:
    """The `field` of every error of a payload and of its sync results."""
    errors = payload.get("errors", []) + [
        e for result in payload.get("results") or [] for e in result["errors"]
    ]
    return [e["field"] for e in errors]


async def test_every_over_long_text_is_a_field_error_and_changes_nothing(
    client: GraphQLClient,
    engine: AsyncEngine,
    session: AsyncSession,
    world: World,  # noqa: F811 - the matrix's fixture
) -> None:
    # given every kind of caller (the authorization matrix's world), a contract and a shipping
    # account to edit, and registration open
    account_id = int(base64.b64decode(world.ids["account"]).decode().split(":")[1])
    contract = await session.scalar(select(Contract))
    assert contract is not None
    account = await session.get(Account, account_id)
    assert account is not None
    shopper = await session.scalar(select(Contact).where(col(Contact.username) == "shopper"))
    assert shopper is not None
    # the shopper's own (who added a shipping account changes it)
    shipping = await make_shipping_account(
        session, account=account, created_by_contact_id=shopper.id
    )
    # a guest cart of one product, the account's prices serving guests
    product = await session.scalar(select(Product))
    assert product is not None
    await save_settings(session, GUEST_PRICING_SECTION, default_account_code=account.code)
    created = await client.execute("mutation { createGuestCart(input: {}) { guestCartToken } }")
    filled = await client.execute(
        "mutation($input: SetGuestCartLinesInput!) { setGuestCartLines(input: $input) {"
        " errors { message } } }",
        {
            "input": {
                "guestCartToken": created["createGuestCart"]["guestCartToken"],
                "lines": [{"productId": gid("Product", product.id), "quantity": 1}],
            }
        },
    )
    assert filled["setGuestCartLines"]["errors"] == []
    world.ids |= {
        "$contract": gid("Contract", contract.id),
        "$shipping_account": gid("ShippingAccount", shipping.id),
        "$favourites": world.ids["favourites"],
        "$guest_cart": created["createGuestCart"]["guestCartToken"],
    }
    await session.execute(
        update(Account).values(erp_key="ERP-A1").where(col(Account.id) == account_id)
    )
    await session.execute(update(AccountMembership).values(may_enter_manual_ship_to=True))
    await save_settings(session, "customer_data", allow_new_accounts=True, allow_new_contacts=True)
    await session.commit()
    wrong: dict[str, Any] = {}
    for root_path, graphql_field in root_fields():
        name = root_path.split(".")[1]
        if not root_path.startswith("Mutation.") or "input" not in graphql_field.args:
            continue
        input_type = graphql_field.args["input"].type
        payload = get_named_type(graphql_field.type)
        assert isinstance(payload, GraphQLObjectType)
        selection = "errors { field code }" + (
            " results { errors { field code } }" if "results" in payload.fields else ""
        )
        query = f"mutation($input: {input_type}) {{ {name}(input: $input) {{ {selection} }} }}"
        world.root_field = name
        base = {
            tuple(key.split(".")): world.ids.get(value, value) if isinstance(value, str) else value
            for key, value in BASES.get(name, {}).items()
        }
        token = world.tokens[CALLER.get(GATES[root_path], "admin")]
        for path in text_paths(input_type, ()):
            label = ".".join((name, "input", *path))
            if label in EXEMPT:
                continue
            variables = value_at(input_type, path, OVER_LONG, world)
            for base_path, value in base.items():
                if base_path != path:
                    variables = value_at(input_type, base_path, value, world, variables)
            # when it is sent with one text over-long (the request log emptied: no rate limit)
            await session.execute(delete(CredentialRequest))
            await session.commit()
            before = await snapshot(engine)
            body = (await client.raw(query, {"input": variables}, token=token)).json()
            # then that text is refused on its own path, and nothing changed
            fields = refusals((body.get("data") or {}).get(name) or {})
            on_path = [list(path), list(path[:-1]) if path[-1] == "0" else list(path)]
            if body.get("errors") or not any(field in on_path for field in fields):
                wrong[label] = body.get("errors") or fields
            elif await snapshot(engine) != before:
                wrong[label] = "changed"
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())


SYNC_ACCOUNTS = """
mutation($input: SyncAccountsInput!) {
  syncAccounts(input: $input) {
    errors { field code }
    results { key outcome errors { field code message } }
  }
}
"""
ACCOUNT_CODES = "{ accounts { nodes { code territory } } }"


async def test_an_over_long_erp_record_fails_alone(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an integrator's batch in which one account's territory is 65 characters (64 fit)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    records = [
        {"erpKey": "E1", "code": "T1", "companyName": "Too Long", "territory": "t" * 65},
        {"erpKey": "E2", "code": "T2", "companyName": "Fits", "territory": "t" * 64},
    ]

    # when it is synced
    data = await client.execute(SYNC_ACCOUNTS, {"input": {"records": records}}, token=token)

    # then that record failed on its field and the other was created
    assert data["syncAccounts"] == {
        "errors": [],
        "results": [
            {
                "key": "E1",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "0", "territory"],
                        "code": "TOO_LONG",
                        "message": "territory is longer than 64 characters",
                    }
                ],
            },
            {"key": "E2", "outcome": "CREATED", "errors": []},
        ],
    }
    accounts = await client.execute(ACCOUNT_CODES, token=token)
    assert accounts["accounts"]["nodes"] == [{"code": "T2", "territory": "t" * 64}]
