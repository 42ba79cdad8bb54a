"""Loaders of the customer model: accounts, contacts, memberships, addresses."""

from __future__ import annotations

from loaders.base import RowByKeyLoader, RowsByKeyLoader
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
