"""The Schema: every domain's queries and mutations merged into one root of each."""

from __future__ import annotations

import strawberry
from strawberry.extensions import DisableIntrospection, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from api.errors import MaskUnexpectedErrors
from api.unit_of_work import UnitOfWork
from schema import enums  # noqa: F401 - registers the domain enums
from schema.active_account_api import ActiveAccountMutation
from schema.auth_api import AuthMutation, AuthQuery
from schema.customer_api import CustomerMutation, CustomerQuery
from schema.customer_types import Account, AccountMembership, Address, Contact, Worker
from schema.node import NodeQuery
from schema.scalars import SCALAR_OVERRIDES
from schema.sync_customer_api import SyncCustomerMutation, SyncCustomerQuery
from schema.wallet_api import WalletMutation, WalletQuery

Query = merge_types("Query", (AuthQuery, NodeQuery, CustomerQuery, WalletQuery, SyncCustomerQuery))
Mutation = merge_types(
    "Mutation",
    (
        AuthMutation,
        CustomerMutation,
        ActiveAccountMutation,
        WalletMutation,
        SyncCustomerMutation,
    ),
)


def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    extensions: list[object] = [
        UnitOfWork,
        MaskUnexpectedErrors,
        ParserCache,
        ValidationCache,
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Account, AccountMembership, Address, Contact, Worker],
        extensions=extensions,  # type: ignore[arg-type]
        scalar_overrides=SCALAR_OVERRIDES,
        config=StrawberryConfig(),
    )


schema = build_schema()
