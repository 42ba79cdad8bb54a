"""A small GraphQL client over httpx for the tests."""

from __future__ import annotations

from typing import Any

import httpx

from schema.relay import encode_global_id


def gid(type_name: str, key: int | None) -> str:
    """The global ID the API shows for a row."""
    assert key is not None
    return encode_global_id(type_name, key)


class GraphQLError(AssertionError):
    pass


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The response's `data`; fails the test on any top-level error."""
        response = await self.raw(query, variables, token=token, headers=headers)
        body = response.json()
        if body.get("errors"):
            raise GraphQLError(f"unexpected errors: {body['errors']}")
        data: dict[str, Any] = body["data"]
        return data

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> list[dict[str, Any]]:
        """The response's top-level errors (the test expects some)."""
        body = (await self.raw(query, variables, token=token)).json()
        errors: list[dict[str, Any]] = body.get("errors") or []
        return errors

    async def login(self, username: str, password: str) -> str:
        data = await self.execute(
            """mutation Login($input: LoginInput!) {
                login(input: $input) { token errors { code message } }
            }""",
            {"input": {"username": username, "password": password}},
        )
        payload = data["login"]
        if payload["errors"]:
            raise GraphQLError(f"login failed: {payload['errors']}")
        token: str = payload["token"]
        return token
