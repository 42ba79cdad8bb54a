"""With introspection off, staff still get the schema: `GET /graphql/schema.graphql` (and the
repository's schema/schema.graphql, which it matches)."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.conftest import ClientWith
from tests.factories import PASSWORD, make_account, make_contact, make_worker

SNAPSHOT = Path(__file__).resolve().parents[3] / "schema" / "schema.graphql"


async def test_staff_download_the_sdl_with_introspection_off(
    client_with: ClientWith, session: AsyncSession
) -> None:
    # given a server with introspection off, a staff worker and a shopper
    await make_worker(session, username="sdl-admin", role=WorkerRole.CUSTOMER_SERVICE)
    account = await make_account(session, code="SDL1")
    await make_contact(session, account=account, username="sdl-shopper")

    async with client_with(introspection=False) as client:
        staff = await client.login("sdl-admin", PASSWORD)
        shopper = await client.login("sdl-shopper", PASSWORD)
        introspection = await client.raw("{ __schema { types { name } } }", token=staff)

        # when each asks for the schema file
        async def download(token: str | None) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return await client.http.get("/graphql/schema.graphql", headers=headers)

        as_staff = await download(staff)
        as_shopper = await download(shopper)
        anonymous = await download(None)
        bad_token = await download("tps_not-a-session")

    # then introspection is refused, staff get the SDL the repository ships, others do not
    assert introspection.json()["errors"]
    assert as_staff.status_code == 200
    assert as_staff.text == SNAPSHOT.read_text()
    assert as_staff.headers["cache-control"] == "no-store"
    assert (as_shopper.status_code, anonymous.status_code, bad_token.status_code) == (403, 401, 401)
