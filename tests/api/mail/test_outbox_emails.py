"""outboxEmails: staff read the system e-mail outbox through the API (not only the CLI)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import WorkerRole
from models import OutboxEmail
from models.outbox import OutboxStatus
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient

OUTBOX = """
query Outbox($filter: OutboxEmailFilter) {
  outboxEmails(filter: $filter, first: 10) {
    totalCount
    nodes { template status to cc subject body attempts lastError sentAt }
  }
}
"""
REQUEST_RESET = """
mutation Forgot($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { errors { field code message } }
}
"""


async def _outbox(session: AsyncSession) -> None:
    """A password reset queued through the API, and two older mails: one sent, one failed."""
    session.add_all(
        [
            OutboxEmail(
                template="new_account_welcome",
                sender="shop@tradepost.example",
                to=["Linh@Nguyen.example"],
                subject="Welcome to our store",
                body="Hello Linh",
                status=OutboxStatus.SENT,
                attempts=1,
            ),
            OutboxEmail(
                template="new_account_request",
                sender="shop@tradepost.example",
                to=["tom@builders.example"],
                cc=["sales@tradepost.example"],
                subject="We received your request for an account",
                body="Hello Tom",
                status=OutboxStatus.FAILED,
                attempts=5,
                last_error="550 mailbox unavailable",
            ),
        ]
    )
    await session.commit()


async def test_staff_read_the_outbox_filtered_with_secrets_redacted(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given two older mails and a password reset requested just now
    await _outbox(session)
    account = await make_account(session)
    await make_contact(session, account=account, username="mary", email="mary@abc.example")
    await client.execute(REQUEST_RESET, {"input": {"usernameOrEmail": "mary"}})
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    service = await client.login("service", PASSWORD)

    # when customer service reads all of it, then by status, template and recipient
    everything = await client.execute(OUTBOX, token=service)
    failed = await client.execute(OUTBOX, {"filter": {"status": ["FAILED"]}}, token=service)
    resets = await client.execute(
        OUTBOX, {"filter": {"template": ["PASSWORD_RESET"]}}, token=service
    )
    to_linh = await client.execute(
        OUTBOX, {"filter": {"recipient": "linh@nguyen.EXAMPLE"}}, token=service
    )
    copied_to_sales = await client.execute(
        OUTBOX, {"filter": {"recipient": "sales@tradepost.example"}}, token=service
    )
    pending_to_sales = await client.execute(
        OUTBOX,
        {"filter": {"recipient": "sales@tradepost.example", "status": ["PENDING"]}},
        token=service,
    )

    # then newest first, each filter holds, and the reset code is not readable
    listed = everything["outboxEmails"]
    assert listed["totalCount"] == 3
    assert [(n["template"], n["status"]) for n in listed["nodes"]] == [
        ("PASSWORD_RESET", "PENDING"),
        ("NEW_ACCOUNT_REQUEST", "FAILED"),
        ("NEW_ACCOUNT_WELCOME", "SENT"),
    ]
    assert [n["lastError"] for n in failed["outboxEmails"]["nodes"]] == ["550 mailbox unavailable"]
    (reset,) = resets["outboxEmails"]["nodes"]
    assert reset["to"] == ["mary@abc.example"]
    assert "tpr_[redacted]" in reset["body"]
    assert "tpr_" not in reset["body"].replace("tpr_[redacted]", "")
    assert [n["to"] for n in to_linh["outboxEmails"]["nodes"]] == [["Linh@Nguyen.example"]]
    assert [n["cc"] for n in copied_to_sales["outboxEmails"]["nodes"]] == [
        ["sales@tradepost.example"]
    ]
    assert pending_to_sales["outboxEmails"] == {"totalCount": 0, "nodes": []}


async def test_only_staff_read_the_outbox_and_a_bad_recipient_is_refused(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given the outbox, a rep and a contact
    await _outbox(session)
    await make_worker(session, username="rep1", role=WorkerRole.SALES_REP, rep_code="REP01")
    await make_worker(session, username="admin", role=WorkerRole.ADMIN)
    account = await make_account(session)
    await make_contact(session, account=account, username="mary")
    rep = await client.login("rep1", PASSWORD)
    mary = await client.login("mary", PASSWORD)
    admin = await client.login("admin", PASSWORD)

    # when
    anonymous = await client.errors(OUTBOX)
    by_rep = await client.errors(OUTBOX, token=rep)
    by_contact = await client.errors(OUTBOX, token=mary)
    bad = await client.errors(OUTBOX, {"filter": {"recipient": "not an address"}}, token=admin)

    # then
    assert [e["extensions"]["code"] for e in anonymous] == ["UNAUTHENTICATED"]
    assert [e["extensions"]["code"] for e in by_rep + by_contact] == ["FORBIDDEN", "FORBIDDEN"]
    assert [(e["message"], e["extensions"]) for e in bad] == [
        (
            "'not an address' is not an e-mail address",
            {"code": "INVALID", "field": ["filter", "recipient"]},
        )
    ]
