"""Every query field and mutation, called by every kind of caller, is let through or refused at
the door exactly as its gate says. The operations are generated from the schema, so a new field
without an entry in GATES fails this test until someone decides who may call it.

Object-level rules (which account a caller may see or change) are tested per domain; here the
same field is also checked not to leak another account's data to `other_contact` and
`other_rep`, whose objects the generated arguments never point at, and every mutation sent by
them at account A's objects is checked to be refused and to change no row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
    is_composite_type,
)
from graphql.pyutils import Undefined
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from domain.enums import ApiKeyScope, MembershipRole, WorkerRole
from models import AccountMembership
from schema.schema import schema
from tests.factories import (
    PASSWORD,
    make_account,
    make_address,
    make_cart,
    make_contact,
    make_contract,
    make_favourites_list,
    make_product,
    make_quote,
    make_worker,
)
from tests.graphql_client import GraphQLClient, gid


class Gate(Enum):
    PUBLIC = "anyone, signed in or not"
    SIGNED_IN = "any authenticated caller (contacts, workers, API keys)"
    PEOPLE = "contacts and workers, not API keys"
    STAFF = "ADMIN and CUSTOMER_SERVICE workers"
    ADMIN = "ADMIN workers"
    SYNC = "API keys with the sync scope, and staff"
    CONTRACTS = "ADMIN workers and sales reps with the contract permission"
    WORKERS = "workers of every role"


GATES: dict[str, Gate] = {
    # queries
    "Query.viewer": Gate.PUBLIC,
    "Query.node": Gate.PUBLIC,
    "Query.nodes": Gate.PUBLIC,
    "Query.account": Gate.SIGNED_IN,
    "Query.accounts": Gate.SIGNED_IN,
    "Query.contact": Gate.SIGNED_IN,
    "Query.contacts": Gate.SIGNED_IN,
    "Query.apiKeys": Gate.ADMIN,
    "Query.cart": Gate.SIGNED_IN,
    "Query.cartsToApprove": Gate.PEOPLE,
    "Query.order": Gate.SIGNED_IN,
    "Query.pendingExports": Gate.SYNC,
    "Query.settings": Gate.PUBLIC,
    "Query.emailSettings": Gate.ADMIN,
    "Query.credentialRequests": Gate.STAFF,
    "Query.blocks": Gate.STAFF,
    "Query.outboxEmails": Gate.STAFF,
    "Query.syncRun": Gate.SYNC,
    "Query.product": Gate.PUBLIC,
    "Query.products": Gate.PUBLIC,
    "Query.guestPricing": Gate.STAFF,
    "Query.contract": Gate.PUBLIC,
    "Query.favouritesList": Gate.SIGNED_IN,
    "Query.guestCart": Gate.PUBLIC,
    "Query.webhookEndpoints": Gate.SYNC,
    # mutations
    "Mutation.login": Gate.PUBLIC,
    "Mutation.logout": Gate.SIGNED_IN,
    "Mutation.changePassword": Gate.PEOPLE,
    "Mutation.createAccount": Gate.STAFF,
    "Mutation.updateAccount": Gate.SIGNED_IN,
    "Mutation.setAccountActive": Gate.STAFF,
    "Mutation.createContact": Gate.SIGNED_IN,
    "Mutation.updateContact": Gate.SIGNED_IN,
    "Mutation.createMembership": Gate.SIGNED_IN,
    "Mutation.updateMembership": Gate.SIGNED_IN,
    "Mutation.createAddress": Gate.SIGNED_IN,
    "Mutation.updateAddress": Gate.SIGNED_IN,
    "Mutation.deleteAddress": Gate.SIGNED_IN,
    "Mutation.deleteMembership": Gate.SIGNED_IN,
    "Mutation.releaseOrder": Gate.WORKERS,
    "Mutation.payInvoices": Gate.PEOPLE,
    "Mutation.createGuestCart": Gate.PUBLIC,
    "Mutation.setGuestCartLines": Gate.PUBLIC,
    "Mutation.checkoutGuestCart": Gate.PUBLIC,
    "Mutation.updateGuestCheckoutSettings": Gate.ADMIN,
    "Mutation.createApiKey": Gate.ADMIN,
    "Mutation.revokeApiKey": Gate.ADMIN,
    "Mutation.createCart": Gate.PEOPLE,
    "Mutation.addCartLines": Gate.PEOPLE,
    "Mutation.addFavouritesToCart": Gate.PEOPLE,
    "Mutation.updateCartLines": Gate.PEOPLE,
    "Mutation.removeCartLines": Gate.PEOPLE,
    "Mutation.setCartShipTo": Gate.PEOPLE,
    "Mutation.setCartDetails": Gate.PEOPLE,
    "Mutation.checkoutCart": Gate.PEOPLE,
    "Mutation.approveCart": Gate.PEOPLE,
    "Mutation.rejectCart": Gate.PEOPLE,
    "Mutation.requestQuote": Gate.PEOPLE,
    "Mutation.priceQuote": Gate.PEOPLE,
    "Mutation.acceptQuote": Gate.PEOPLE,
    "Mutation.rejectQuote": Gate.PEOPLE,
    "Mutation.renegotiateQuote": Gate.PEOPLE,
    "Mutation.withdrawQuote": Gate.PEOPLE,
    "Mutation.orderQuote": Gate.PEOPLE,
    "Mutation.setCostCentres": Gate.SIGNED_IN,
    "Mutation.createBudget": Gate.PEOPLE,
    "Mutation.updateBudget": Gate.PEOPLE,
    "Mutation.deleteBudget": Gate.PEOPLE,
    "Mutation.acknowledgeExports": Gate.SYNC,
    "Mutation.registerAccount": Gate.PUBLIC,
    "Mutation.verifyAccount": Gate.PUBLIC,
    "Mutation.registerContact": Gate.PUBLIC,
    "Mutation.requestPasswordReset": Gate.PUBLIC,
    "Mutation.resetPassword": Gate.PUBLIC,
    "Mutation.requestUsernameReminder": Gate.PUBLIC,
    "Mutation.moveContact": Gate.STAFF,
    "Mutation.unblock": Gate.STAFF,
    "Mutation.updateCustomerDataSettings": Gate.ADMIN,
    "Mutation.updateEmailSetting": Gate.ADMIN,
    "Mutation.syncProducts": Gate.SYNC,
    "Mutation.syncPriceLevels": Gate.SYNC,
    "Mutation.syncAccountPrices": Gate.SYNC,
    "Mutation.openSyncRun": Gate.SYNC,
    "Mutation.commitSyncRun": Gate.SYNC,
    "Mutation.abandonSyncRun": Gate.SYNC,
    "Mutation.syncLocations": Gate.SYNC,
    "Mutation.syncStock": Gate.SYNC,
    "Mutation.syncContracts": Gate.SYNC,
    "Mutation.setAccountPrice": Gate.STAFF,
    "Mutation.setAccountLocations": Gate.STAFF,
    "Mutation.setProductRestrictions": Gate.STAFF,
    "Mutation.updateGuestPricing": Gate.ADMIN,
    "Mutation.createContract": Gate.CONTRACTS,
    "Mutation.updateContract": Gate.CONTRACTS,
    "Mutation.assignContractAccounts": Gate.CONTRACTS,
    "Mutation.setContractProducts": Gate.CONTRACTS,
    "Mutation.setWorkerContractPermission": Gate.ADMIN,
    "Mutation.setWorkerPermissions": Gate.ADMIN,
    "Mutation.updateRolePermissions": Gate.ADMIN,
    "Mutation.switchAccount": Gate.PEOPLE,
    "Mutation.createFavouritesList": Gate.PEOPLE,
    "Mutation.updateFavouritesList": Gate.PEOPLE,
    "Mutation.deleteFavouritesList": Gate.PEOPLE,
    "Mutation.addFavourites": Gate.PEOPLE,
    "Mutation.removeFavourites": Gate.PEOPLE,
    "Mutation.createSavedSearch": Gate.PEOPLE,
    "Mutation.deleteSavedSearch": Gate.PEOPLE,
    "Mutation.createShippingAccount": Gate.PEOPLE,
    "Mutation.updateShippingAccount": Gate.PEOPLE,
    "Mutation.deleteShippingAccount": Gate.PEOPLE,
    "Mutation.saveCreditCard": Gate.PEOPLE,
    "Mutation.deleteCreditCard": Gate.PEOPLE,
    "Mutation.updateWalletSettings": Gate.ADMIN,
    "Mutation.updateErpSettings": Gate.ADMIN,
    "Mutation.syncAccounts": Gate.SYNC,
    "Mutation.syncAddresses": Gate.SYNC,
    "Mutation.syncContacts": Gate.SYNC,
    "Mutation.syncInvoices": Gate.SYNC,
    "Mutation.syncEnquiryRecords": Gate.SYNC,
    "Mutation.createWebhookEndpoint": Gate.SYNC,
    "Mutation.updateWebhookEndpoint": Gate.SYNC,
    "Mutation.deleteWebhookEndpoint": Gate.SYNC,
    "Mutation.rotateWebhookSecret": Gate.SYNC,
    "Mutation.resendWebhookDelivery": Gate.SYNC,
    "Mutation.sendTestWebhook": Gate.SYNC,
}

# Bookkeeping that any request may write: sessions' and keys' last use, and the log of
# credential requests (seed 002 "UN/PW requests"), which records refused attempts too.
BOOKKEEPING_TABLES = frozenset({"session", "api_key", "login_attempt", "credential_request"})

# Mutations that act on the caller's own world (sign-in, registration, its own carts and
# lists) or on no account at all, so an outsider's call may rightly succeed.
NOT_ABOUT_ACCOUNT_A = frozenset(
    {
        "Mutation.login",
        "Mutation.logout",  # would end the matrix's sessions (tested apart)
        "Mutation.requestPasswordReset",
        "Mutation.resetPassword",
        "Mutation.requestUsernameReminder",
        "Mutation.createContract",  # a new, empty contract
        "Mutation.createCart",
        "Mutation.createFavouritesList",
        "Mutation.createSavedSearch",
        "Mutation.changePassword",  # the caller's own password (tests/api/authentication)
    }
)

ROLES = (
    "anonymous",
    "shopper",
    "approver",
    "administrator",
    "other_contact",
    "own_rep",
    "other_rep",
    "staff",
    "admin",
    "read_key",
    "sync_key",
)

LET_THROUGH: dict[Gate, set[str]] = {
    Gate.PUBLIC: set(ROLES),
    Gate.SIGNED_IN: set(ROLES) - {"anonymous"},
    Gate.PEOPLE: set(ROLES) - {"anonymous", "read_key", "sync_key"},
    Gate.STAFF: {"staff", "admin"},
    Gate.ADMIN: {"admin"},
    Gate.SYNC: {"staff", "admin", "sync_key"},
    Gate.CONTRACTS: {"admin", "own_rep", "other_rep"},  # both reps hold the contract permission
    Gate.WORKERS: {"own_rep", "other_rep", "staff", "admin"},
}


def root_fields() -> Iterator[tuple[str, GraphQLField]]:
    graphql_schema = schema._schema
    for root in (graphql_schema.query_type, graphql_schema.mutation_type):
        assert root is not None
        for name, graphql_field in root.fields.items():
            yield f"{root.name}.{name}", graphql_field


def test_every_root_field_has_a_gate() -> None:
    missing = sorted(name for name, _ in root_fields() if name not in GATES)
    stale = sorted(set(GATES) - {name for name, _ in root_fields()})
    assert missing == [], "decide who may call these, then add them to GATES"
    assert stale == []


@dataclass
class World:
    ids: dict[str, str]
    tokens: dict[str, str | None]
    codes: dict[str, str] = field(default_factory=dict)  # business keys by argument name
    root_field: str = ""  # the root field whose arguments are being made


def sample_value(type_: GraphQLInputType, name: str, world: World) -> Any:
    """A well-typed value; IDs point at account A's objects (the shopper's own)."""
    if isinstance(type_, GraphQLNonNull):
        return sample_value(type_.of_type, name, world)
    if isinstance(type_, GraphQLList):
        return [sample_value(type_.of_type, name, world)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            field_name: sample_value(field.type, field_name, world)
            for field_name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
    assert isinstance(type_, GraphQLScalarType)
    if type_.name == "ID":
        return id_for(name, world)
    if name in world.codes:
        return world.codes[name] if world.root_field != "contract" else world.codes["contract"]
    return {"String": "sample", "Int": 1, "Boolean": False, "Decimal": "1.00", "Float": 1.0}.get(
        type_.name, "2026-01-01"
    )


def id_for(name: str, world: World) -> str:
    """`accountId` -> account A; a bare `id` -> the object the field is about (`updateContact`
    -> the shopper), else account A."""
    words = (name if name not in ("id", "ids") else world.root_field).lower()
    for key in sorted(world.ids, key=len, reverse=True):
        if key in words:
            return world.ids[key]
    return world.ids["account"]


def operation_for(
    path: str, graphql_field: GraphQLField, world: World
) -> tuple[str, dict[str, Any]]:
    root, name = path.split(".")
    world.root_field = name
    keyword = "mutation" if root == "Mutation" else "query"
    declarations, arguments, variables = [], [], {}
    for arg_name, arg in graphql_field.args.items():
        if not isinstance(arg.type, GraphQLNonNull):
            continue
        declarations.append(f"${arg_name}: {arg.type}")
        arguments.append(f"{arg_name}: ${arg_name}")
        variables[arg_name] = sample_value(arg.type, arg_name, world)
    selection = selection_for(get_named_type(graphql_field.type))
    head = f"{keyword} Op({', '.join(declarations)})" if declarations else keyword
    call = f"{name}({', '.join(arguments)})" if arguments else name
    return f"{head} {{ {call} {selection} }}", variables


def selection_for(type_: Any) -> str:
    return "{ __typename }" if is_composite_type(type_) else ""


@pytest.fixture
async def world(client: GraphQLClient, session: AsyncSession) -> World:
    account = await make_account(session, code="A1", sales_rep_code="REP01")
    other = await make_account(session, code="B1", sales_rep_code="REP01")
    address = await make_address(session, account=account)
    shopper = await make_contact(session, account=account, username="shopper")
    await make_contact(session, account=account, username="approver", role=MembershipRole.APPROVER)
    await make_contact(
        session, account=account, username="administrator", role=MembershipRole.ADMINISTRATOR
    )
    await make_contact(session, account=other, username="other_contact")
    for username, rep_code in (("own_rep", "REP01"), ("other_rep", "REP02")):
        await make_worker(
            session,
            username=username,
            role=WorkerRole.SALES_REP,
            rep_code=rep_code,
            can_manage_contracts=True,
        )
    await make_worker(session, username="staff", role=WorkerRole.CUSTOMER_SERVICE)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    tokens: dict[str, str | None] = {"anonymous": None}
    for role in ROLES:
        if role not in tokens and not role.endswith("_key"):
            tokens[role] = await client.login(role, PASSWORD)
    for role, scope in (("read_key", ApiKeyScope.READ), ("sync_key", ApiKeyScope.SYNC)):
        created = await client.execute(
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }",
            {"i": {"name": role, "scopes": [scope.name]}},
            token=tokens["admin"],
        )
        tokens[role] = created["createApiKey"]["secret"]
    product = await make_product(session, level_prices={"A": "10.00"})
    today = date.today()
    contract = await make_contract(
        session,
        code="CTR-A1",
        starts_on=today - timedelta(days=1),
        expires_on=today + timedelta(days=30),
        products=[(product, "9.00", False)],
        accounts=[account],
    )
    ordered = await make_cart(
        session, account=account, contact=shopper, lines=[(product, 2, "10.00")]
    )
    open_cart = await make_cart(session, account=account, contact=shopper, name="Open")
    quote = await make_quote(
        session, account=account, contact=shopper, lines=[(product, 1, "9.00")]
    )
    await session.commit()
    checkout = await client.execute(
        "mutation($i: CheckoutCartInput!) { checkoutCart(input: $i) "
        "{ order { id } errors { message } } }",
        {"i": {"cartId": gid("Cart", ordered.id), "paymentType": "ON_ACCOUNT"}},
        token=tokens["shopper"],
    )
    assert checkout["checkoutCart"]["errors"] == []
    favourites = await make_favourites_list(
        session, account=account, owner=shopper, products=[product], is_shared=True
    )
    membership = await session.scalar(
        select(AccountMembership).where(col(AccountMembership.contact_id) == shopper.id)
    )
    assert membership is not None
    ids = {
        "account": gid("Account", account.id),
        "contact": gid("Contact", shopper.id),
        "address": gid("Address", address.id),
        "membership": gid("AccountMembership", membership.id),
        "cart": gid("Cart", open_cart.id),
        # Before "order", so that `orderQuote`'s id is the quote's.
        "quote": gid("Quote", quote.id),
        "order": checkout["checkoutCart"]["order"]["id"],
        "favourites": gid("FavouritesList", favourites.id),
        "contract": gid("Contract", contract.id),
    }
    codes = {"code": "A1", "contract": "CTR-A1", "sku": product.sku}
    return World(ids=ids, tokens=tokens, codes=codes)


async def test_each_field_lets_through_exactly_its_gate(
    client: GraphQLClient, world: World
) -> None:
    outcomes: dict[str, dict[str, str]] = {}
    for path, graphql_field in root_fields():
        if path in (
            "Mutation.logout",
            "Mutation.revokeApiKey",
            "Mutation.setAccountActive",
            "Mutation.deleteMembership",
        ):
            continue  # would end the very sessions and keys the matrix runs with (tested apart)
        query, variables = operation_for(path, graphql_field, world)
        for role in ROLES:
            response = await client.raw(query, variables, token=world.tokens[role])
            errors = response.json().get("errors") or []
            codes = {(e.get("extensions") or {}).get("code") for e in errors}
            if codes & {"UNAUTHENTICATED", "FORBIDDEN"}:
                outcome = "refused"
            elif errors and response.json().get("data") is None:
                outcome = f"broken operation: {errors[0]['message']}"  # a bug in this test
            else:
                outcome = "through"
            outcomes.setdefault(path, {})[role] = outcome
    expected = {
        path: {role: "through" if role in LET_THROUGH[GATES[path]] else "refused" for role in ROLES}
        for path in outcomes
    }
    assert outcomes == expected


def is_lookup(path: str, graphql_field: GraphQLField) -> bool:
    """A query field that fetches account A's objects by the ID or code it is given."""
    return path.startswith("Query.") and any(
        isinstance(arg.type, GraphQLNonNull) for arg in graphql_field.args.values()
    )


def found(value: Any) -> bool:
    if isinstance(value, list):
        return any(found(v) for v in value)
    return value is not None


async def test_lookups_find_account_a_for_its_members_and_nothing_for_outsiders(
    client: GraphQLClient, world: World
) -> None:
    seen: dict[str, dict[str, bool]] = {}
    for path, graphql_field in root_fields():
        if not is_lookup(path, graphql_field):
            continue
        query, variables = operation_for(path, graphql_field, world)
        name = path.split(".")[1]
        for role in ("shopper", "other_contact", "other_rep", "read_key"):
            data = (await client.raw(query, variables, token=world.tokens[role])).json()["data"]
            seen.setdefault(path, {})[role] = found(data[name])
    member_only = {"shopper": True, "other_contact": False, "other_rep": False, "read_key": True}
    expected = dict.fromkeys(seen, member_only)
    # Carts and favourites are shoppers' own working data; integrators take orders, not carts.
    expected["Query.cart"] = {**member_only, "read_key": False}
    expected["Query.favouritesList"] = {**member_only, "read_key": False}
    # Contract managers (other_rep holds the permission) read every contract; they change only
    # those of their own accounts (test_writes_to_account_a_are_refused_to_outsiders…).
    expected["Query.contract"] = {**member_only, "other_rep": True}
    # The catalogue is for everyone; what differs per buyer is the price.
    expected["Query.product"] = dict.fromkeys(member_only, True)
    # A guest cart is found by its secret token alone, which no caller here holds.
    expected["Query.guestCart"] = dict.fromkeys(member_only, False)
    # Sync runs belong to integrators with the `sync` scope (and staff), none of these callers.
    expected["Query.syncRun"] = dict.fromkeys(member_only, False)
    assert seen == expected


def payload_selection(graphql_field: GraphQLField) -> str:
    type_ = get_named_type(graphql_field.type)
    fields = getattr(type_, "fields", {})
    return "{ __typename errors { code } }" if "errors" in fields else selection_for(type_)


async def table_rows(session: AsyncSession) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the matrix could change (not the sign-in bookkeeping)."""
    await session.rollback()  # a fresh snapshot, not the last one's
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in SQLModel.metadata.sorted_tables:
        if table.name in BOOKKEEPING_TABLES:
            continue
        result = await session.execute(select(table))
        rows[table.name] = sorted(tuple(map(repr, row)) for row in result)
    return rows


async def test_writes_to_account_a_are_refused_to_outsiders_and_change_nothing(
    client: GraphQLClient, session: AsyncSession, world: World
) -> None:
    """The write side of the lookup test: every mutation whose arguments point at account A's
    objects, sent by callers who may not change them (a contact of account B; a sales rep of
    another rep code who holds the contract permission), is refused at the door or answers
    NOT_FOUND / NOT_PERMITTED in its payload, and no row changes."""
    answers: dict[str, dict[str, str]] = {}
    for path, graphql_field in root_fields():
        if not path.startswith("Mutation.") or path in NOT_ABOUT_ACCOUNT_A:
            continue
        query, variables = operation_for(path, graphql_field, world)
        query = query.replace(selection_for(get_named_type(graphql_field.type)), "")
        query = query[: query.rindex("}")] + payload_selection(graphql_field) + " }"
        for role in ("other_contact", "other_rep"):
            before = await table_rows(session)
            body = (await client.raw(query, variables, token=world.tokens[role])).json()
            after = await table_rows(session)
            codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
            payload = (body.get("data") or {}).get(path.split(".")[1]) or {}
            refusals = {e["code"] for e in payload.get("errors") or []}
            at_the_door = bool(codes & {"UNAUTHENTICATED", "FORBIDDEN"})
            in_payload = bool(refusals) and refusals <= {"NOT_FOUND", "NOT_PERMITTED"}
            answer = "refused" if at_the_door or in_payload else f"answered {body}"
            if before != after:
                answer += f" and changed {[t for t in before if before[t] != after[t]]}"
            answers.setdefault(path, {})[role] = answer
    assert answers == {path: dict.fromkeys(roles, "refused") for path, roles in answers.items()}
