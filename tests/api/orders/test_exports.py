"""pendingExports and acknowledgeExports: orders, and web accounts with their first order."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from domain.enums import ApiKeyScope, RecordSource
from models.types import utcnow
from resolvers.auth import issue_api_key
from tests.api.orders.test_orders import place_orders
from tests.factories import make_account, make_contact
from tests.graphql_client import GraphQLClient, gid

PENDING = """
query { pendingExports { totalCount nodes { id kind account { code } order { total } } } }
"""
ACKNOWLEDGE = """
mutation Ack($input: AcknowledgeExportsInput!) {
  acknowledgeExports(input: $input) {
    exports { kind erpKey acknowledgedAt account { code erpKey } order { erpKey } }
    errors { field code message }
  }
}
"""


async def api_key(session: AsyncSession, settings: Settings, *scopes: ApiKeyScope) -> str:
    secret, _ = await issue_api_key(session, settings.secret_key, "erp", list(scopes), utcnow())
    await session.commit()
    return secret


async def test_a_web_account_travels_with_its_first_order_only(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a web-registered account with two orders
    account = await make_account(session, code="WEB1", source=RecordSource.WEB)
    shopper = await make_contact(session, account=account, username="shopper")
    await place_orders(client, session, account, shopper, 2)
    token = await api_key(session, settings, ApiKeyScope.SYNC)

    # when the ERP asks what to import
    data = await client.execute(PENDING, token=token)

    # then the account comes first, with the first order, and the second order alone
    nodes = data["pendingExports"]["nodes"]
    assert [(n["kind"], n["account"]["code"], n["order"]["total"]) for n in nodes] == [
        ("ACCOUNT", "WEB1", "5.00"),
        ("ORDER", "WEB1", "5.00"),
        ("ORDER", "WEB1", "5.00"),
    ]


async def test_acknowledged_exports_are_no_longer_pending_and_keep_the_erp_keys(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a web account's first order waiting for the ERP
    account = await make_account(session, code="WEB2", source=RecordSource.WEB)
    shopper = await make_contact(session, account=account, username="shopper")
    await place_orders(client, session, account, shopper, 1)
    token = await api_key(session, settings, ApiKeyScope.SYNC)
    ids = [n["id"] for n in (await client.execute(PENDING, token=token))["pendingExports"]["nodes"]]

    # when the ERP acknowledges both with its keys, and an unknown id
    unknown = await client.execute(
        ACKNOWLEDGE, {"input": {"ids": [ids[0], gid("ErpExport", 999)]}}, token=token
    )
    data = await client.execute(
        ACKNOWLEDGE, {"input": {"ids": ids, "erpKeys": ["C-77", "SO-1001"]}}, token=token
    )
    pending = await client.execute(PENDING, token=token)

    # then the keys are kept on the account and the order, and nothing is pending
    assert unknown["acknowledgeExports"]["errors"] == [
        {"field": ["ids", "1"], "code": "NOT_FOUND", "message": "No such export"}
    ]
    exports = data["acknowledgeExports"]["exports"]
    assert [
        (e["kind"], e["erpKey"], e["account"]["erpKey"], e["order"]["erpKey"]) for e in exports
    ] == [("ACCOUNT", "C-77", "C-77", "SO-1001"), ("ORDER", "SO-1001", "C-77", "SO-1001")]
    assert all(e["acknowledgedAt"] for e in exports)
    assert pending["pendingExports"] == {"totalCount": 0, "nodes": []}


async def test_only_integrators_with_the_sync_scope_read_the_queue(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    token = await api_key(session, settings, ApiKeyScope.READ)

    errors = await client.errors(PENDING, token=token)

    assert [(e["message"], e["extensions"]["code"]) for e in errors] == [
        ("An API key with the `sync` scope is needed", "FORBIDDEN")
    ]


ACCOUNT = "query Account($code: String!) { account(code: $code) { erpKey awaitingErpExport } }"


async def _pending_ids(client: GraphQLClient, token: str) -> list[str]:
    nodes = (await client.execute(PENDING, token=token))["pendingExports"]["nodes"]
    return [node["id"] for node in nodes]


async def test_acknowledging_a_web_account_clears_awaiting_erp_export(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given a web account awaiting export with its first order
    account = await make_account(
        session, code="WEB3", source=RecordSource.WEB, awaiting_erp_export=True
    )
    shopper = await make_contact(session, account=account, username="shopper")
    await place_orders(client, session, account, shopper, 1)
    token = await api_key(session, settings, ApiKeyScope.SYNC, ApiKeyScope.READ)

    # when the ERP acknowledges both exports, without keys
    data = await client.execute(
        ACKNOWLEDGE, {"input": {"ids": await _pending_ids(client, token)}}, token=token
    )

    # then the account no longer awaits its export
    assert data["acknowledgeExports"]["errors"] == []
    after = await client.execute(ACCOUNT, {"code": "WEB3"}, token=token)
    assert after["account"] == {"erpKey": None, "awaitingErpExport": False}


async def test_an_account_keeps_its_erp_key_when_an_export_is_acknowledged(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an ERP account edited on the web, so its first order since takes it along
    account = await make_account(
        session, code="ABC1234", erp_key="ERP-ABC1234", source=RecordSource.ERP
    )
    account.company_name = "Edited on the web"
    account.updated_at = utcnow()
    await session.commit()
    shopper = await make_contact(session, account=account, username="shopper")
    await place_orders(client, session, account, shopper, 1)
    token = await api_key(session, settings, ApiKeyScope.SYNC, ApiKeyScope.READ)
    ids = await _pending_ids(client, token)

    # when the ERP acknowledges the account with another key (the order's, shifted by one)
    refused = await client.execute(
        ACKNOWLEDGE, {"input": {"ids": ids, "erpKeys": ["SO-1001", "SO-1001"]}}, token=token
    )

    # then the acknowledgement is refused with the clash, and nothing changed
    assert refused["acknowledgeExports"]["errors"] == [
        {
            "field": ["erpKeys", "0"],
            "code": "ERP_KEY_CONFLICT",
            "message": "Account ABC1234 already has ERP key ERP-ABC1234; an ERP key changes "
            "only through the ERP's account sync",
        }
    ]
    assert len(await _pending_ids(client, token)) == 2
    still = await client.execute(ACCOUNT, {"code": "ABC1234"}, token=token)
    assert still["account"]["erpKey"] == "ERP-ABC1234"

    # and acknowledging with the account's own key goes through
    data = await client.execute(
        ACKNOWLEDGE, {"input": {"ids": ids, "erpKeys": ["ERP-ABC1234", "SO-1001"]}}, token=token
    )
    assert data["acknowledgeExports"]["errors"] == []
    assert [e["account"]["erpKey"] for e in data["acknowledgeExports"]["exports"]] == [
        "ERP-ABC1234",
        "ERP-ABC1234",
    ]


async def test_a_web_account_cannot_take_the_erp_key_of_another_account(
    client: GraphQLClient, session: AsyncSession, settings: Settings
) -> None:
    # given an ERP account holding C-1001, and a web account's first order
    await make_account(session, code="C1001", erp_key="C-1001", source=RecordSource.ERP)
    account = await make_account(session, code="WEB4", source=RecordSource.WEB)
    shopper = await make_contact(session, account=account, username="shopper")
    await place_orders(client, session, account, shopper, 1)
    token = await api_key(session, settings, ApiKeyScope.SYNC, ApiKeyScope.READ)
    ids = await _pending_ids(client, token)

    # when the ERP acknowledges the web account with C-1001
    data = await client.execute(
        ACKNOWLEDGE, {"input": {"ids": ids, "erpKeys": ["C-1001", "SO-7"]}}, token=token
    )

    # then it is the specific clash, not a generic DUPLICATE, and nothing was acknowledged
    assert data["acknowledgeExports"]["errors"] == [
        {
            "field": ["erpKeys", "0"],
            "code": "ERP_KEY_CONFLICT",
            "message": "ERP key C-1001 belongs to account C1001",
        }
    ]
    assert len(await _pending_ids(client, token)) == 2
