"""Loaders of the customer model: accounts, contacts, memberships, addresses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Select, select
from sqlmodel import col

from loaders.base import RowByKeyLoader, RowsByKeyLoader
from loaders.pages import PageLoader
from models import Account, AccountMembership, Address, Contact, Worker


class AccountByIdLoader(RowByKeyLoader[Account]):
    model = Account


class ContactByIdLoader(RowByKeyLoader[Contact]):
    model = Contact


class WorkerByIdLoader(RowByKeyLoader[Worker]):
    model = Worker


class AddressByIdLoader(RowByKeyLoader[Address]):
    model = Address


class MembershipsByAccountIdLoader(RowsByKeyLoader[AccountMembership]):
    model = AccountMembership
    key_column = "account_id"


class AccountContactPagesLoader(PageLoader):
    """The contacts with a membership of each account, by name."""

    model = Contact
    order_by = ("name", "id")

    def parent(self) -> Any:
        return col(AccountMembership.account_id)

    def source(self, parents: BindParameter[Any]) -> Select[Any]:
        return (
            select(Contact)
            .join(AccountMembership, col(AccountMembership.contact_id) == col(Contact.id))
            .where(self.parent().in_(parents))
        )


class MembershipsByContactIdLoader(RowsByKeyLoader[AccountMembership]):
    model = AccountMembership
    key_column = "contact_id"
    order_by = ("account_id",)


class AddressesByAccountIdLoader(RowsByKeyLoader[Address]):
    """All of an account's addresses, primary first; `primaryAddress` reads the same batch."""

    model = Address
    key_column = "account_id"
    order_by = ("account_id", "id")


class MembershipByIdLoader(RowByKeyLoader[AccountMembership]):
    model = AccountMembership
