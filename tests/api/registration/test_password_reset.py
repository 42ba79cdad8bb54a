"""requestPasswordReset, resetPassword and requestUsernameReminder."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.registration.operations import LOGIN
from tests.factories import PASSWORD, make_account, make_contact
from tests.graphql_client import GraphQLClient
from tests.smtp import ReceivedMail

REQUEST_RESET = """
mutation Forgot($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { errors { field code message } }
}
"""
RESET = """
mutation Reset($input: ResetPasswordInput!) {
  resetPassword(input: $input) { errors { field code message } }
}
"""
REMIND = """
mutation Remind($input: RequestUsernameReminderInput!) {
  requestUsernameReminder(input: $input) { errors { field code message } }
}
"""
VIEWER = "query { viewer { kind } }"


async def test_the_answer_is_the_same_whether_or_not_the_user_exists(
    client: GraphQLClient,
    session: AsyncSession,
    send_mail: Callable[[], Awaitable[list[ReceivedMail]]],
) -> None:
    # given one login
    account = await make_account(session)
    await make_contact(session, account=account, username="mary", email="mary@abc.example")

    # when a reset is asked for it, and for a name nobody has
    known = await client.raw(REQUEST_RESET, {"input": {"usernameOrEmail": "Mary"}})
    unknown = await client.raw(REQUEST_RESET, {"input": {"usernameOrEmail": "nobody"}})

    # then both answers are identical, and only the real user got an e-mail
    assert known.json() == unknown.json()
    assert known.json()["data"] == {"requestPasswordReset": {"errors": []}}
    mails = await send_mail()
    assert [(m.recipients, m.subject) for m in mails] == [
        (["mary@abc.example"], "Reset your password")
    ]


async def test_a_reset_code_works_once_and_ends_every_session(
    client: GraphQLClient,
    session: AsyncSession,
    send_mail: Callable[[], Awaitable[list[ReceivedMail]]],
) -> None:
    # given a logged-in user who asked for a reset by e-mail address
    account = await make_account(session)
    await make_contact(session, account=account, username="mary", email="mary@abc.example")
    old_session = await client.login("mary", PASSWORD)
    await client.execute(REQUEST_RESET, {"input": {"usernameOrEmail": "MARY@abc.example"}})
    (mail,) = await send_mail()
    match = re.search(r"tpr_\S+", mail.body)
    assert match is not None
    code = match.group(0)

    # when the code sets a weak password, then a good one, then is used again
    weak = await client.execute(RESET, {"input": {"token": code, "newPassword": "mary"}})
    good = await client.execute(
        RESET, {"input": {"token": code, "newPassword": "a-brand-new-secret"}}
    )
    reused = await client.execute(
        RESET, {"input": {"token": code, "newPassword": "another-new-secret"}}
    )

    # then only the good one took effect, the old session is gone and the new password works
    assert weak["resetPassword"]["errors"] == [
        {
            "field": ["newPassword"],
            "code": "INVALID",
            "message": "Password must be at least 12 characters",
        }
    ]
    assert good["resetPassword"]["errors"] == []
    assert reused["resetPassword"]["errors"] == [
        {
            "field": ["token"],
            "code": "INVALID",
            "message": "This code is invalid, already used or expired",
        }
    ]
    stale = await client.raw(VIEWER, token=old_session)
    assert stale.status_code == 401
    assert await client.login("mary", "a-brand-new-secret")
    old_password = await client.execute(
        LOGIN, {"input": {"username": "mary", "password": PASSWORD}}
    )
    assert old_password["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_a_username_reminder_names_every_login_of_the_address(
    client: GraphQLClient,
    session: AsyncSession,
    send_mail: Callable[[], Awaitable[list[ReceivedMail]]],
) -> None:
    # given two logins sharing an e-mail address
    account = await make_account(session)
    await make_contact(session, account=account, username="mary", email="shared@abc.example")
    await make_contact(session, account=account, username="mary2", email="Shared@abc.example")

    # when a reminder is asked for that address and for an unknown one
    known = await client.execute(REMIND, {"input": {"email": "shared@abc.example"}})
    unknown = await client.execute(REMIND, {"input": {"email": "nobody@abc.example"}})

    # then both answers are the same and each login got its own reminder
    assert known == unknown == {"requestUsernameReminder": {"errors": []}}
    mails = await send_mail()
    assert sorted(m.body.split("Your username is ")[1].strip() for m in mails) == [
        "mary.",
        "mary2.",
    ]


async def test_repeated_reset_requests_are_limited_like_failures(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given a login
    account = await make_account(session)
    await make_contact(session, account=account, username="mary", email="mary@abc.example")

    # when resets are asked for it six times in a row
    answers = [
        await client.execute(REQUEST_RESET, {"input": {"usernameOrEmail": "mary"}})
        for _ in range(6)
    ]

    # then the sixth is refused: mail bombing stops, for known and unknown names alike
    assert [a["requestPasswordReset"]["errors"] for a in answers[:5]] == [[]] * 5
    assert answers[5]["requestPasswordReset"]["errors"] == [
        {"field": None, "code": "RATE_LIMITED", "message": "Too many attempts; try again later"}
    ]
