"""Queries and mutations of the customer model: accounts, contacts, memberships, addresses."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import Select

from core.context import Context
from domain.customers import AccountChanges, AddressChanges, ContactChanges, MembershipChanges
from loaders.accounts import ContactByIdLoader
from models import Account as AccountRow
from resolvers import accounts, addresses, contacts
from resolvers.contacts import ContactQuery
from schema.customer_inputs import (
    AccountFilter,
    AccountSortBy,
    ContactFilter,
    CreateAccountInput,
    CreateAddressInput,
    CreateContactInput,
    CreateMembershipInput,
    DeleteAddressInput,
    DeleteMembershipInput,
    SetAccountActiveInput,
    UpdateAccountInput,
    UpdateAddressInput,
    UpdateContactInput,
    UpdateMembershipInput,
    account_query,
)
from schema.customer_types import Account, AccountMembership, Address, Contact
from schema.info import Info
from schema.input_values import ROW_ID, key_of, search_text, set_values, with_keys
from schema.payloads import Payload, mutation
from schema.permissions import require_authenticated, require_staff
from schema.prefetch import prefetch_object
from schema.relay import Connection, PageRequest, connection, decode_id_of, paginate

MEMBERSHIP_REFERENCES = {
    "cart_approver_id": "Contact",
    "default_ship_to_id": "Address",
    "restricted_favourites_list_id": "FavouritesList",
}


async def account_row(context: Context, code: str) -> AccountRow | None:
    """`account(code:)`'s row, on both read paths (`schema.plans`)."""
    require_authenticated(context.viewer)
    return await accounts.account_by_code(context, code.strip().upper())


async def visible_accounts(
    context: Context, filter: AccountFilter | None, sort_by: AccountSortBy | None
) -> Select[Any]:
    """`accounts(filter:, sortBy:)`'s statement, on both read paths."""
    require_authenticated(context.viewer)
    return accounts.accounts_statement(context, account_query(filter, sort_by))


@strawberry.type
class CustomerQuery:
    @strawberry.field(description="An account by its account number; null if not visible.")
    async def account(self, info: Info, code: str) -> Account | None:
        row = await account_row(info.context, code)
        await prefetch_object(info, "Account", row)
        return Account.from_optional_row(row)

    @connection(description="Accounts the viewer may see.")
    async def accounts(
        self,
        info: Info,
        page: PageRequest,
        filter: AccountFilter | None = None,
        sort_by: AccountSortBy | None = None,
    ) -> Connection[Account]:
        return await paginate(
            info,
            await visible_accounts(info.context, filter, sort_by),
            page,
            Account.from_row,
        )

    @strawberry.field
    async def contact(self, info: Info, id: strawberry.ID) -> Contact | None:
        require_authenticated(info.context.viewer)
        row = await contacts.readable_contact(info.context, decode_id_of(id, "Contact"))
        return Contact.from_optional_row(row)

    @connection(description="Contacts of the accounts the viewer may see.")
    async def contacts(
        self,
        info: Info,
        page: PageRequest,
        filter: ContactFilter | None = None,
    ) -> Connection[Contact]:
        require_authenticated(info.context.viewer)
        filter = filter or ContactFilter()
        query = ContactQuery(
            search=search_text(filter.search),
            is_enabled=filter.is_enabled,
            account_id=decode_id_of(filter.account_id, "Account") if filter.account_id else None,
        )
        return await paginate(
            info,
            contacts.contacts_statement(info.context, query),
            page,
            Contact.from_row,
        )


@strawberry.type
class AccountPayload(Payload):
    account: Account | None = None


@strawberry.type
class CreateAccountPayload(AccountPayload):
    pass


@strawberry.type
class UpdateAccountPayload(AccountPayload):
    pass


@strawberry.type
class SetAccountActivePayload(AccountPayload):
    pass


@strawberry.type
class ContactPayload(Payload):
    contact: Contact | None = None


@strawberry.type
class CreateContactPayload(ContactPayload):
    membership: AccountMembership | None = None


@strawberry.type
class UpdateContactPayload(ContactPayload):
    pass


@strawberry.type
class MembershipPayload(Payload):
    membership: AccountMembership | None = None


@strawberry.type
class CreateMembershipPayload(MembershipPayload):
    pass


@strawberry.type
class UpdateMembershipPayload(MembershipPayload):
    pass


@strawberry.type
class DeleteMembershipPayload(Payload):
    deleted_membership_id: strawberry.ID | None = None
    contact: Contact | None = strawberry.field(
        default=None, description="The contact, with the memberships it has left."
    )


@strawberry.type
class AddressPayload(Payload):
    address: Address | None = None


@strawberry.type
class CreateAddressPayload(AddressPayload):
    pass


@strawberry.type
class UpdateAddressPayload(AddressPayload):
    pass


@strawberry.type
class DeleteAddressPayload(Payload):
    deleted_address_id: strawberry.ID | None = None


@strawberry.type
class CustomerMutation:
    @mutation(
        CreateAccountPayload,
        gate=require_staff,
        description="CRM workspace '+ Add Account' (staff).",
    )
    async def create_account(self, info: Info, input: CreateAccountInput) -> dict[str, object]:
        row = await accounts.create_account(info.context, AccountChanges(**set_values(input)))
        return {"account": Account.from_row(row)}

    @mutation(
        UpdateAccountPayload,
        gate=require_authenticated,
        description="Edit an account. Account administrators may change only its contact "
        "details; pricing, credit and terms belong to the ERP and staff.",
    )
    async def update_account(self, info: Info, input: UpdateAccountInput) -> dict[str, object]:
        account_id = key_of(input.id, "Account", field="id")
        row = await accounts.update_account(
            info.context, account_id, AccountChanges(**set_values(input, exclude=ROW_ID))
        )
        return {"account": Account.from_row(row)}

    @mutation(
        SetAccountActivePayload,
        gate=require_staff,
        description="Enable or disable an account (staff). Disabling logs its contacts out.",
    )
    async def set_account_active(
        self, info: Info, input: SetAccountActiveInput
    ) -> dict[str, object]:
        account_id = key_of(input.id, "Account", field="id")
        row = await accounts.set_account_active(info.context, account_id, input.is_active)
        return {"account": Account.from_row(row)}

    @mutation(
        CreateContactPayload,
        gate=require_authenticated,
        description="Add a contact to an account (staff or its administrators).",
    )
    async def create_contact(self, info: Info, input: CreateContactInput) -> dict[str, object]:
        account_id = key_of(input.account_id, "Account", field="accountId")
        contact, membership = await contacts.create_contact(
            info.context,
            account_id,
            input.role,
            ContactChanges(**set_values(input, exclude=frozenset({"account_id", "role"}))),
        )
        return {
            "contact": Contact.from_row(contact),
            "membership": AccountMembership.from_row(membership),
        }

    @mutation(UpdateContactPayload, gate=require_authenticated)
    async def update_contact(self, info: Info, input: UpdateContactInput) -> dict[str, object]:
        contact_id = key_of(input.id, "Contact", field="id")
        row = await contacts.update_contact(
            info.context, contact_id, ContactChanges(**set_values(input, exclude=ROW_ID))
        )
        return {"contact": Contact.from_row(row)}

    @mutation(
        CreateMembershipPayload,
        gate=require_authenticated,
        description="Give an existing contact access to another account.",
    )
    async def create_membership(
        self, info: Info, input: CreateMembershipInput
    ) -> dict[str, object]:
        values = MembershipChanges(
            **with_keys(
                set_values(input, exclude=frozenset({"contact_id", "account_id"})),
                MEMBERSHIP_REFERENCES,
            )
        )
        row = await contacts.create_membership(
            info.context,
            key_of(input.contact_id, "Contact", field="contactId"),
            key_of(input.account_id, "Account", field="accountId"),
            values,
        )
        return {"membership": AccountMembership.from_row(row)}

    @mutation(UpdateMembershipPayload, gate=require_authenticated)
    async def update_membership(
        self, info: Info, input: UpdateMembershipInput
    ) -> dict[str, object]:
        values = MembershipChanges(
            **with_keys(set_values(input, exclude=ROW_ID), MEMBERSHIP_REFERENCES)
        )
        row = await contacts.update_membership(
            info.context, key_of(input.id, "AccountMembership", field="id"), values
        )
        return {"membership": AccountMembership.from_row(row)}

    @mutation(
        DeleteMembershipPayload,
        gate=require_authenticated,
        description="Remove a contact's access to an account (CM10 'Delete'); its sessions "
        "there end at once.",
    )
    async def delete_membership(
        self, info: Info, input: DeleteMembershipInput
    ) -> dict[str, object]:
        row = await contacts.delete_membership(
            info.context, key_of(input.id, "AccountMembership", field="id")
        )
        contact = await info.context.loader(ContactByIdLoader).load(row.contact_id)
        return {
            "deleted_membership_id": strawberry.ID(input.id),
            "contact": Contact.from_row(contact),
        }

    @mutation(CreateAddressPayload, gate=require_authenticated)
    async def create_address(self, info: Info, input: CreateAddressInput) -> dict[str, object]:
        row = await addresses.create_address(
            info.context,
            key_of(input.account_id, "Account", field="accountId"),
            AddressChanges(**set_values(input, exclude=frozenset({"account_id"}))),
        )
        return {"address": Address.from_row(row)}

    @mutation(UpdateAddressPayload, gate=require_authenticated)
    async def update_address(self, info: Info, input: UpdateAddressInput) -> dict[str, object]:
        row = await addresses.update_address(
            info.context,
            key_of(input.id, "Address", field="id"),
            AddressChanges(**set_values(input, exclude=ROW_ID)),
        )
        return {"address": Address.from_row(row)}

    @mutation(DeleteAddressPayload, gate=require_authenticated)
    async def delete_address(self, info: Info, input: DeleteAddressInput) -> dict[str, object]:
        deleted = await addresses.delete_address(
            info.context, key_of(input.id, "Address", field="id")
        )
        return {"deleted_address_id": strawberry.ID(input.id) if deleted else None}
