"""Contracts: "My Items" for shoppers, editing by ADMIN workers and permitted sales reps, and the
ERP feed."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import ApiKeyScope, WorkerRole
from schema.relay import encode_global_id
from tests.factories import (
    PASSWORD,
    make_account,
    make_api_key,
    make_contact,
    make_contract,
    make_product,
    make_worker,
)
from tests.graphql_client import GraphQLClient

MY_ITEMS = """
query {
  viewer {
    activeAccount {
      contracts { nodes {
        code isCurrent
        products { nodes { price isForced product { sku price } } }
      } }
    }
  }
}
"""

CREATE = """
mutation Create($input: CreateContractInput!) {
  createContract(input: $input) {
    contract { code name startsOn expiresOn source }
    errors { field code message }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateContractInput!) {
  updateContract(input: $input) {
    contract { code name expiresOn }
    errors { field code message }
  }
}
"""

ASSIGN = """
mutation Assign($input: AssignContractAccountsInput!) {
  assignContractAccounts(input: $input) {
    contract { code accounts { nodes { code } } }
    errors { field code message }
  }
}
"""

SET_PRODUCTS = """
mutation SetProducts($input: SetContractProductsInput!) {
  setContractProducts(input: $input) {
    contract { products { nodes { price isForced product { sku } } } }
    errors { field code message }
  }
}
"""

SYNC = """
mutation Sync($input: SyncContractsInput!) {
  syncContracts(input: $input) {
    results { index key outcome errors { field code message } }
    counts { created updated unchanged deleted failed }
    errors { field code message }
  }
}
"""


async def test_my_items_lists_the_accounts_contracts_and_their_prices(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given an account on two contracts, one expired, and another account's contract
    account = await make_account(session, price_level="A")
    other = await make_account(session)
    await make_contact(session, account=account, username="mary")
    glue = await make_product(session, sku="GLUE", level_prices={"A": "3.00"})
    tape = await make_product(session, sku="TAPE", is_active=False, level_prices={"A": "2.00"})
    await make_contract(
        session,
        code="OLD",
        starts_on=date(2020, 1, 1),
        expires_on=date(2020, 12, 31),
        products=[(glue, "1.00", False)],
        accounts=[account],
    )
    await make_contract(
        session,
        code="NOW",
        starts_on=date(2021, 1, 1),
        expires_on=date(2999, 12, 31),
        products=[(glue, "3.50", True), (tape, "1.50", False)],
        accounts=[account],
    )
    await make_contract(
        session,
        code="THEIRS",
        starts_on=date(2021, 1, 1),
        expires_on=date(2999, 12, 31),
        accounts=[other],
    )
    token = await client.login("mary", PASSWORD)

    # when Mary opens "My Items", and asks for another account's contract by code
    data = await client.execute(MY_ITEMS, token=token)
    theirs = await client.execute('query { contract(code: "theirs") { code } }', token=token)

    # then she sees her account's contracts; the current forced price and the contract's
    # otherwise inactive product apply
    assert data["viewer"]["activeAccount"]["contracts"]["nodes"] == [
        {
            "code": "OLD",
            "isCurrent": False,
            "products": {
                "nodes": [
                    {
                        "price": "1.00",
                        "isForced": False,
                        "product": {"sku": "GLUE", "price": "3.50"},
                    }
                ]
            },
        },
        {
            "code": "NOW",
            "isCurrent": True,
            "products": {
                "nodes": [
                    {
                        "price": "3.50",
                        "isForced": True,
                        "product": {"sku": "GLUE", "price": "3.50"},
                    },
                    {
                        "price": "1.50",
                        "isForced": False,
                        "product": {"sku": "TAPE", "price": "1.50"},
                    },
                ]
            },
        },
    ]
    assert theirs == {"contract": None}


async def test_a_sales_rep_with_the_permission_builds_a_contract_for_its_account(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a rep with the contract permission, one of its accounts and another rep's account
    await make_worker(
        session,
        username="rep1",
        role=WorkerRole.SALES_REP,
        rep_code="REP01",
        can_manage_contracts=True,
    )
    mine = await make_account(session, code="MINE", sales_rep_code="REP01")
    theirs = await make_account(session, code="THEIRS", sales_rep_code="REP02")
    await make_product(session, sku="GLUE")
    token = await client.login("rep1", PASSWORD)
    assert mine.id is not None and theirs.id is not None

    # when it creates a contract, renames it, assigns accounts and sets products
    created = await client.execute(
        CREATE,
        {
            "input": {
                "code": "k-2027",
                "name": "2027 prices",
                "startsOn": "2027-01-01",
                "expiresOn": "2027-12-31",
            }
        },
        token=token,
    )
    contract_id = encode_global_id("Contract", 1)
    updated = await client.execute(
        UPDATE, {"input": {"id": contract_id, "name": "2027 agreed prices"}}, token=token
    )
    assigned = await client.execute(
        ASSIGN,
        {
            "input": {
                "contractId": contract_id,
                "accountIds": [
                    encode_global_id("Account", mine.id),
                    encode_global_id("Account", theirs.id),
                ],
            }
        },
        token=token,
    )
    assigned_mine = await client.execute(
        ASSIGN,
        {
            "input": {
                "contractId": contract_id,
                "accountIds": [encode_global_id("Account", mine.id)],
            }
        },
        token=token,
    )
    products = await client.execute(
        SET_PRODUCTS,
        {
            "input": {
                "contractId": contract_id,
                "products": [
                    {"sku": "glue", "price": "2.00", "isForced": True},
                ],
            }
        },
        token=token,
    )

    # then each step applies, except assigning an account that is not the rep's
    assert created["createContract"] == {
        "contract": {
            "code": "K-2027",
            "name": "2027 prices",
            "startsOn": "2027-01-01",
            "expiresOn": "2027-12-31",
            "source": "WEB",
        },
        "errors": [],
    }
    assert updated["updateContract"] == {
        "contract": {"code": "K-2027", "name": "2027 agreed prices", "expiresOn": "2027-12-31"},
        "errors": [],
    }
    assert assigned["assignContractAccounts"] == {
        "contract": None,
        "errors": [
            {"field": ["accountIds", "1"], "code": "NOT_FOUND", "message": "No such account"}
        ],
    }
    assert assigned_mine["assignContractAccounts"] == {
        "contract": {"code": "K-2027", "accounts": {"nodes": [{"code": "MINE"}]}},
        "errors": [],
    }
    assert products["setContractProducts"] == {
        "contract": {
            "products": {"nodes": [{"price": "2.00", "isForced": True, "product": {"sku": "GLUE"}}]}
        },
        "errors": [],
    }


async def test_contract_input_is_checked(client: GraphQLClient, session: AsyncSession) -> None:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    await make_contract(
        session, code="TAKEN", starts_on=date(2027, 1, 1), expires_on=date(2027, 1, 1)
    )

    duplicate = await client.execute(
        CREATE,
        {
            "input": {
                "code": "taken",
                "name": "x",
                "startsOn": "2027-01-01",
                "expiresOn": "2027-01-31",
            }
        },
        token=token,
    )
    backwards = await client.execute(
        CREATE,
        {"input": {"code": "NEW", "name": "", "startsOn": "2027-02-01", "expiresOn": "2027-01-31"}},
        token=token,
    )
    products = await client.execute(
        SET_PRODUCTS,
        {
            "input": {
                "contractId": encode_global_id("Contract", 1),
                "products": [
                    {"sku": "NOPE", "price": "1.005"},
                ],
            }
        },
        token=token,
    )

    assert duplicate["createContract"]["errors"] == [
        {"field": ["code"], "code": "DUPLICATE", "message": "Contract TAKEN already exists"}
    ]
    assert backwards["createContract"]["errors"] == [
        {"field": ["name"], "code": "REQUIRED", "message": "name is required"}
    ]
    assert products["setContractProducts"]["errors"] == [
        {
            "field": ["products", "0", "price"],
            "code": "INVALID",
            "message": "price must have at most two decimal places",
        },
        {
            "field": ["products", "0", "sku"],
            "code": "NOT_FOUND",
            "message": "No product with SKU NOPE",
        },
    ]


async def test_only_admins_and_permitted_reps_may_edit_contracts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    account = await make_account(session, sales_rep_code="REP02")
    await make_contact(session, account=account, username="mary")
    await make_worker(session, username="rep2", role=WorkerRole.SALES_REP, rep_code="REP02")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    variables = {
        "input": {"code": "K1", "name": "K", "startsOn": "2027-01-01", "expiresOn": "2027-12-31"}
    }

    refusals = [
        [
            (e["message"], e["extensions"]["code"])
            for e in await client.errors(CREATE, variables, token=token)
        ]
        for token in [
            None,
            await client.login("mary", PASSWORD),
            await client.login("rep2", PASSWORD),
            await client.login("service", PASSWORD),
        ]
    ]

    forbidden = ("Only ADMIN workers and sales reps with the contract permission may", "FORBIDDEN")
    assert refusals == [
        [("Sign in to do this", "UNAUTHENTICATED")],
        [forbidden],
        [forbidden],
        [forbidden],
    ]


async def test_an_admin_grants_a_rep_the_contract_permission(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    rep = await make_worker(session, username="rep2", role=WorkerRole.SALES_REP, rep_code="R2")
    admin = await client.login("admin", PASSWORD)
    assert rep.id is not None

    data = await client.execute(
        """mutation($input: SetWorkerContractPermissionInput!) {
          setWorkerContractPermission(input: $input) {
            worker { username canManageContracts } errors { code }
          }
        }""",
        {"input": {"workerId": encode_global_id("Worker", rep.id), "canManageContracts": True}},
        token=admin,
    )
    rep_token = await client.login("rep2", PASSWORD)
    created = await client.execute(
        CREATE,
        {"input": {"code": "K1", "name": "K", "startsOn": "2027-01-01", "expiresOn": "2027-12-31"}},
        token=rep_token,
    )

    assert data["setWorkerContractPermission"] == {
        "worker": {"username": "rep2", "canManageContracts": True},
        "errors": [],
    }
    assert created["createContract"]["errors"] == []


async def test_the_erp_syncs_contracts_with_products_and_accounts(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two accounts, a product and an integrator
    await make_account(session, code="ACME")
    await make_account(session, code="BOLT")
    await make_product(session, sku="GLUE")
    key = await make_api_key(session, scopes=[ApiKeyScope.SYNC])
    record = {
        "code": "ERP-1",
        "name": "Annual",
        "startsOn": "2026-01-01",
        "expiresOn": "2026-12-31",
        "products": [{"sku": "GLUE", "price": "2.00"}],
        "accountCodes": ["ACME", "BOLT"],
    }

    # when the contract arrives, then again with one account fewer, then with a bad account
    first = await client.execute(SYNC, {"input": {"records": [record]}}, token=key)
    second = await client.execute(
        SYNC, {"input": {"records": [record | {"accountCodes": ["BOLT"]}]}}, token=key
    )
    resent = await client.execute(
        SYNC, {"input": {"records": [record | {"accountCodes": ["BOLT"]}]}}, token=key
    )
    bad = await client.execute(
        SYNC, {"input": {"records": [record | {"accountCodes": ["GHOST"]}]}}, token=key
    )
    contract = await client.execute(
        'query { contract(code: "ERP-1") { source accounts { nodes { code } } '
        "products { nodes { price product { sku } } } } }",
        token=key,
    )

    # then the contract follows the ERP, and the bad record changed nothing
    assert first["syncContracts"] == {
        "results": [{"index": 0, "key": "ERP-1", "outcome": "CREATED", "errors": []}],
        "counts": {"created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0},
        "errors": [],
    }
    assert second["syncContracts"]["results"] == [
        {"index": 0, "key": "ERP-1", "outcome": "UPDATED", "errors": []}
    ]
    # resending the same record changes nothing (every sync feed is idempotent)
    assert resent["syncContracts"]["results"] == [
        {"index": 0, "key": "ERP-1", "outcome": "UNCHANGED", "errors": []}
    ]
    assert bad["syncContracts"] == {
        "results": [
            {
                "index": 0,
                "key": "ERP-1",
                "outcome": "FAILED",
                "errors": [
                    {
                        "field": ["records", "0", "accountCodes", "0"],
                        "code": "NOT_FOUND",
                        "message": "No account GHOST",
                    }
                ],
            }
        ],
        "counts": {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 1},
        "errors": [],
    }
    assert contract == {
        "contract": {
            "source": "ERP",
            "accounts": {"nodes": [{"code": "BOLT"}]},
            "products": {"nodes": [{"price": "2.00", "product": {"sku": "GLUE"}}]},
        }
    }


async def test_a_permitted_rep_may_not_change_another_reps_contract(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given rep1 with the contract permission, and a contract of REP02's account only
    # (issue 12: rep1 forced a price of 0.01 on it, renamed it and attached his own account)
    await make_worker(
        session,
        username="rep1",
        role=WorkerRole.SALES_REP,
        rep_code="REP01",
        can_manage_contracts=True,
    )
    mine = await make_account(session, code="MINE", sales_rep_code="REP01")
    theirs = await make_account(session, code="THEIRS", sales_rep_code="REP02")
    glue = await make_product(session, sku="GLUE")
    contract = await make_contract(
        session,
        code="REP2-DEAL",
        name="Rep 2's deal",
        starts_on=date(2026, 1, 1),
        expires_on=date(2999, 12, 31),
        products=[(glue, "5.00", False)],
        accounts=[theirs],
    )
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("rep1", PASSWORD)
    assert mine.id is not None and contract.id is not None
    contract_id = encode_global_id("Contract", contract.id)

    # when rep1 tries each of the three changes
    priced = await client.execute(
        SET_PRODUCTS,
        {
            "input": {
                "contractId": contract_id,
                "products": [{"sku": "GLUE", "price": "0.01", "isForced": True}],
            }
        },
        token=token,
    )
    renamed = await client.execute(
        UPDATE, {"input": {"id": contract_id, "name": "Mine now"}}, token=token
    )
    attached = await client.execute(
        ASSIGN,
        {
            "input": {
                "contractId": contract_id,
                "accountIds": [encode_global_id("Account", mine.id)],
            }
        },
        token=token,
    )
    after = await client.execute(
        'query { contract(code: "REP2-DEAL") { name accounts { nodes { code } } '
        "products { nodes { price isForced } } } }",
        token=await client.login("admin", PASSWORD),
    )

    # then each is refused (rep1 may read the contract, so NOT_PERMITTED), and it is unchanged
    refusal = {
        "code": "NOT_PERMITTED",
        "message": "You may change only contracts whose every account is yours",
    }
    assert priced["setContractProducts"] == {
        "contract": None,
        "errors": [{"field": ["contractId"], **refusal}],
    }
    assert renamed["updateContract"] == {"contract": None, "errors": [{"field": ["id"], **refusal}]}
    assert attached["assignContractAccounts"] == {
        "contract": None,
        "errors": [{"field": ["contractId"], **refusal}],
    }
    assert after["contract"] == {
        "name": "Rep 2's deal",
        "accounts": {"nodes": [{"code": "THEIRS"}]},
        "products": {"nodes": [{"price": "5.00", "isForced": False}]},
    }


async def test_staff_sync_keeps_every_contract(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a customer-service worker (no contract permission) and a rep's contract
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    account = await make_account(session, code="ACME", sales_rep_code="REP02")
    await make_contract(
        session,
        code="ERP-9",
        starts_on=date(2026, 1, 1),
        expires_on=date(2026, 12, 31),
        accounts=[account],
    )
    token = await client.login("service", PASSWORD)
    record = {
        "code": "ERP-9",
        "name": "Renewed",
        "startsOn": "2026-01-01",
        "expiresOn": "2027-12-31",
        "products": [],
        "accountCodes": ["ACME"],
    }

    # when staff push the ERP's record through the sync feed
    data = await client.execute(SYNC, {"input": {"records": [record]}}, token=token)

    # then the feed applies it: the contract rule is about people editing, not the ERP
    assert data["syncContracts"]["results"] == [
        {"index": 0, "key": "ERP-9", "outcome": "UPDATED", "errors": []}
    ]


async def test_each_viewer_sees_the_contracts_accounts_it_may_see_one_after_another(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a contract of two reps' accounts, and the two reps and an admin
    mine = await make_account(session, code="MINE", sales_rep_code="REP01")
    theirs = await make_account(session, code="THEIRS", sales_rep_code="REP02")
    await make_contract(
        session,
        code="SHARED",
        starts_on=date(2026, 1, 1),
        expires_on=date(2999, 12, 31),
        accounts=[mine, theirs],
    )
    for username, rep_code in (("rep1", "REP01"), ("rep2", "REP02")):
        await make_worker(session, username=username, role=WorkerRole.SALES_REP, rep_code=rep_code)
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    query = 'query { contract(code: "SHARED") { accounts { nodes { code } } } }'

    # when each reads the contract's accounts, in turn, twice (page statements are built once
    # and shared between requests: one holding a viewer's visibility must not be)
    seen: dict[str, list[str]] = {}
    for username in ("rep1", "admin", "rep2", "rep1", "admin"):
        token = await client.login(username, PASSWORD)
        data = await client.execute(query, token=token)
        codes = [node["code"] for node in data["contract"]["accounts"]["nodes"]]
        assert seen.setdefault(username, codes) == codes

    # then each saw its own accounts of it, every time
    assert seen == {"rep1": ["MINE"], "rep2": ["THEIRS"], "admin": ["MINE", "THEIRS"]}
