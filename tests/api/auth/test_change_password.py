"""changePassword, and every other way a password is set: the current password is asked for,
and sessions that the old password opened end."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from domain.enums import MembershipRole, WorkerRole
from tests.factories import PASSWORD, make_account, make_contact, make_worker
from tests.graphql_client import GraphQLClient, gid

CHANGE = """
mutation Change($input: ChangePasswordInput!) {
  changePassword(input: $input) { endedSessions errors { field code message } }
}
"""
UPDATE_CONTACT = """
mutation Update($input: UpdateContactInput!) {
  updateContact(input: $input) { contact { name } errors { field code message } }
}
"""
LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token errors { code } }
}
"""
VIEWER = "query { viewer { kind } }"
LOG = """
query { credentialRequests(filter: {kind: PASSWORD_CHANGE}) { nodes { usernameOrEmail outcome } } }
"""
NEW = "a-brand-new-secret"


def _change(current: str, new: str = NEW) -> dict[str, Any]:
    return {"input": {"currentPassword": current, "newPassword": new}}


async def _status(client: GraphQLClient, token: str) -> int:
    return (await client.raw(VIEWER, token=token)).status_code


@pytest.mark.parametrize("person", ["contact", "worker"])
async def test_a_signed_in_person_changes_their_password_and_their_other_sessions_end(
    client: GraphQLClient, session: AsyncSession, person: str
) -> None:
    # given mary, signed in on a laptop and a phone
    if person == "contact":
        await make_contact(session, account=await make_account(session), username="mary")
    else:
        await make_worker(session, username="mary", role=WorkerRole.CUSTOMER_SERVICE)
    laptop = await client.login("mary", PASSWORD)
    phone = await client.login("mary", PASSWORD)

    # when she changes her password on the laptop
    data = await client.execute(CHANGE, _change(PASSWORD), token=laptop)

    # then the phone's session ended, the laptop's goes on, and only the new password works
    assert data == {"changePassword": {"endedSessions": 1, "errors": []}}
    assert (await _status(client, phone), await _status(client, laptop)) == (401, 200)
    old = await client.execute(LOGIN, {"input": {"username": "mary", "password": PASSWORD}})
    assert old["login"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    assert await client.login("mary", NEW)


async def test_a_wrong_current_password_changes_nothing_and_counts_like_a_failed_login(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given mary signed in twice, and a worker to read the log
    await make_contact(session, account=await make_account(session), username="mary")
    await make_worker(session, username="service", role=WorkerRole.CUSTOMER_SERVICE)
    token = await client.login("mary", PASSWORD)
    other = await client.login("mary", PASSWORD)

    # when someone with her session guesses the current password five times, then gets it
    guesses = [
        await client.execute(CHANGE, _change(f"guess-{n}-of-many"), token=token) for n in range(5)
    ]
    right = await client.execute(CHANGE, _change(PASSWORD), token=token)

    # then each guess was refused, the right one too once five had failed, nothing changed,
    # and a login with her name from the same address is refused as well
    assert guesses[0]["changePassword"] == {
        "endedSessions": None,
        "errors": [
            {
                "field": ["currentPassword"],
                "code": "INVALID_CREDENTIALS",
                "message": "The current password is not right",
            }
        ],
    }
    assert right["changePassword"]["errors"] == [
        {"field": None, "code": "RATE_LIMITED", "message": "Too many attempts; try again later"}
    ]
    assert await _status(client, other) == 200
    login = await client.execute(LOGIN, {"input": {"username": "mary", "password": PASSWORD}})
    assert login["login"]["errors"] == [{"code": "RATE_LIMITED"}]
    worker = await client.login("service", PASSWORD)
    log = await client.execute(LOG, token=worker)
    assert [n["outcome"] for n in log["credentialRequests"]["nodes"]] == ["RATE_LIMITED"] + [
        "FAILURE"
    ] * 5


async def test_the_new_password_follows_the_rules_and_a_rule_broken_is_no_failed_check(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given mary signed in
    await make_contact(session, account=await make_account(session), username="mary.quinn.buyer")
    token = await client.login("mary.quinn.buyer", PASSWORD)

    # when she tries a short password, her username, and her current one, twice each
    tries = [
        (await client.execute(CHANGE, _change(PASSWORD, new), token=token))["changePassword"]
        for new in ("short", "MARY.Quinn.Buyer", PASSWORD) * 2
    ]

    # then each is refused on newPassword, none counted as a failed check, and her password
    # is unchanged
    assert [t["errors"] for t in tries[:3]] == [
        [
            {
                "field": ["newPassword"],
                "code": "INVALID",
                "message": "Password must be at least 12 characters",
            }
        ],
        [
            {
                "field": ["newPassword"],
                "code": "INVALID",
                "message": "Password must not be the username",
            }
        ],
        [
            {
                "field": ["newPassword"],
                "code": "INVALID",
                "message": "The new password must differ from the current one",
            }
        ],
    ]
    assert tries[3:] == tries[:3]
    assert await client.login("mary.quinn.buyer", PASSWORD)


async def test_a_contact_cannot_set_their_own_password_through_update_contact(
    client: GraphQLClient, session: AsyncSession
) -> None:
    # given mary, administrator of her account, signed in
    account = await make_account(session)
    mary = await make_contact(
        session, account=account, username="mary", role=MembershipRole.ADMINISTRATOR
    )
    token = await client.login("mary", PASSWORD)

    # when she sets her own password through updateContact
    data = await client.execute(
        UPDATE_CONTACT,
        {"input": {"id": gid("Contact", mary.id), "name": "Mary Q", "password": NEW}},
        token=token,
    )

    # then it is refused and points at changePassword; nothing changed
    assert data["updateContact"] == {
        "contact": None,
        "errors": [
            {
                "field": ["password"],
                "code": "NOT_PERMITTED",
                "message": "Change your own password with changePassword, which asks for the "
                "current one",
            }
        ],
    }
    assert await client.login("mary", PASSWORD)


@pytest.mark.parametrize("setter", ["account administrator", "staff"])
async def test_a_password_someone_else_sets_ends_every_session_of_the_login(
    client: GraphQLClient, session: AsyncSession, setter: str
) -> None:
    # given a shopper signed in twice, and someone allowed to set her password
    account = await make_account(session)
    shopper = await make_contact(session, account=account, username="shopper")
    if setter == "staff":
        await make_worker(session, username="boss", role=WorkerRole.CUSTOMER_SERVICE)
    else:
        await make_contact(
            session, account=account, username="boss", role=MembershipRole.ADMINISTRATOR
        )
    sessions = [await client.login("shopper", PASSWORD) for _ in range(2)]
    boss = await client.login("boss", PASSWORD)

    # when the boss sets the shopper's password
    data = await client.execute(
        UPDATE_CONTACT,
        {"input": {"id": gid("Contact", shopper.id), "password": NEW}},
        token=boss,
    )

    # then both of her sessions ended (the boss's goes on), and the new password works
    assert data["updateContact"]["errors"] == []
    assert [await _status(client, token) for token in sessions] == [401, 401]
    assert await _status(client, boss) == 200
    assert await client.login("shopper", NEW)
