"""Decimal inputs: NaN, Infinity and exponents never reach a resolver; each field refuses what
makes no sense for it (negative limits, fractions of cents) as a payload error."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from tests.factories import PASSWORD, make_account, make_worker
from tests.graphql_client import GraphQLClient

UPDATE_ACCOUNT = """
mutation UpdateAccount($input: UpdateAccountInput!) {
  updateAccount(input: $input) {
    account { discountPercent balance balanceLimit }
    errors { field code message }
  }
}
"""


async def admin_and_account(client: GraphQLClient, session: AsyncSession) -> tuple[str, str]:
    account = await make_account(session, code="DEC1")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    token = await client.login("admin", PASSWORD)
    return token, base64.b64encode(f"Account:{account.id}".encode()).decode()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e3", "sNaN"])
async def test_a_non_number_in_a_variable_is_a_clear_error_not_a_500(
    client: GraphQLClient, session: AsyncSession, value: str
) -> None:
    # given an administrator and an account
    token, account_id = await admin_and_account(client, session)

    # when it sends a discount that is not a plain number
    response = await client.raw(
        UPDATE_ACCOUNT, {"input": {"id": account_id, "discountPercent": value}}, token=token
    )

    # then the request is refused before any resolver, naming the field and the rule
    assert response.status_code == 200
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Variable '$input' has invalid value at .discountPercent: "
                'Decimal must be a plain number like "12.50" '
                f"(no NaN, Infinity or exponent): {value!r}",
                "locations": [{"line": 2, "column": 24}],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
        "extensions": {"cost": {"requestedQueryCost": 1, "maximumQueryCost": 10_000}},
    }


async def test_an_exponent_literal_in_the_document_is_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, account_id = await admin_and_account(client, session)

    errors = await client.errors(
        f'mutation {{ updateAccount(input: {{id: "{account_id}", discountPercent: 1e1}}) '
        "{ errors { code } } }",
        token=token,
    )

    assert [e["message"] for e in errors] == [
        "Decimal must be a plain number like \"12.50\" (no NaN, Infinity or exponent): '1e1'"
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"balanceLimit": "1000000000000.00"},
            [
                {
                    "field": ["balanceLimit"],
                    "code": "LIMIT_EXCEEDED",
                    "message": "balanceLimit must be at most 999999999999.99",
                }
            ],
        ),
        (
            {"discountPercent": "12.345"},
            [
                {
                    "field": ["discountPercent"],
                    "code": "INVALID",
                    "message": "discountPercent must have at most two decimal places",
                }
            ],
        ),
        (
            {"discountPercent": "-5"},
            [
                {
                    "field": ["discountPercent"],
                    "code": "INVALID",
                    "message": "discountPercent must be at least 0",
                }
            ],
        ),
        (
            {"balance": "0.001", "discountPercent": "100.01"},
            [
                {
                    "field": ["discountPercent"],
                    "code": "LIMIT_EXCEEDED",
                    "message": "discountPercent must be at most 100",
                },
                {
                    "field": ["balance"],
                    "code": "INVALID",
                    "message": "balance must have at most two decimal places",
                },
            ],
        ),
    ],
)
async def test_senseless_amounts_are_payload_errors_and_change_nothing(
    client: GraphQLClient,
    session: AsyncSession,
    values: dict[str, str],
    expected: list[dict[str, Any]],
) -> None:
    # given an administrator and an account
    token, account_id = await admin_and_account(client, session)

    # when it sends an amount the field cannot hold
    data = await client.execute(
        UPDATE_ACCOUNT, {"input": {"id": account_id, **values}}, token=token
    )

    # then every bad field is reported and the account is unchanged
    assert data["updateAccount"] == {"account": None, "errors": expected}


async def test_a_balance_in_credit_is_accepted(
    client: GraphQLClient, session: AsyncSession
) -> None:
    token, account_id = await admin_and_account(client, session)

    data = await client.execute(
        UPDATE_ACCOUNT,
        {"input": {"id": account_id, "balance": "-120.50", "balanceLimit": "5000"}},
        token=token,
    )

    assert data["updateAccount"]["errors"] == []
    assert data["updateAccount"]["account"]["balance"] == "-120.50"
