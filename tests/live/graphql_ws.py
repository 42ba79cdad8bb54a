"""A graphql-transport-ws client for the live tests (and the subscription benchmark): one
websocket connection, its subscriptions' messages kept apart by operation id."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")
WAIT_SECONDS = 20


class LiveConnection:
    def __init__(self, websocket: ClientConnection) -> None:
        self.websocket = websocket
        self._messages: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.websocket.send(
            json.dumps({"id": operation_id, "type": "subscribe", "payload": payload})
        )

    async def message(self, operation_id: str) -> dict[str, Any]:
        """The next message for `operation_id` (`next`, `error` or `complete`)."""
        async with asyncio.timeout(WAIT_SECONDS):
            while not self._messages[operation_id]:
                message = json.loads(await self.websocket.recv())
                self._messages[message.get("id", "")].append(message)
        return self._messages[operation_id].pop(0)

    async def data(self, operation_id: str) -> dict[str, Any]:
        """The next result's `data`; fails on any other message."""
        message = await self.message(operation_id)
        assert message["type"] == "next" and "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data


def websocket_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1) + "/graphql"


async def open_connection(url: str, init_payload: dict[str, Any]) -> ClientConnection:
    """A websocket to `url`'s /graphql, `connection_init` sent (the answer not read yet)."""
    websocket = await connect(websocket_url(url), subprotocols=[PROTOCOL])
    await websocket.send(json.dumps({"type": "connection_init", "payload": init_payload}))
    return websocket


@asynccontextmanager
async def live_connection(url: str, token: str) -> AsyncIterator[LiveConnection]:
    """A connection as `token`'s viewer, acknowledged."""
    websocket = await open_connection(url, {"Authorization": f"Bearer {token}"})
    try:
        async with asyncio.timeout(WAIT_SECONDS):
            ack = json.loads(await websocket.recv())
        assert ack["type"] == "connection_ack", ack
        yield LiveConnection(websocket)
    finally:
        await websocket.close()
