"""The Schema: every domain's queries and mutations merged into one root of each."""

from __future__ import annotations

import strawberry
from strawberry.extensions import DisableIntrospection, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from api.errors import MaskUnexpectedErrors
from api.unit_of_work import UnitOfWork
from schema import enums  # noqa: F401 - registers the domain enums
from schema.auth_api import AuthMutation, AuthQuery
from schema.catalogue_api import CatalogueMutation, CatalogueQuery
from schema.catalogue_types import AccountProductPrice, Location, Product
from schema.contract_api import ContractMutation, ContractQuery
from schema.contract_types import Contract
from schema.customer_api import CustomerMutation, CustomerQuery
from schema.customer_types import Account, AccountMembership, Address, Contact, Worker
from schema.node import NodeQuery
from schema.scalars import SCALAR_OVERRIDES

Query = merge_types("Query", (AuthQuery, NodeQuery, CustomerQuery, CatalogueQuery, ContractQuery))
Mutation = merge_types(
    "Mutation", (AuthMutation, CustomerMutation, CatalogueMutation, ContractMutation)
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
        types=[
            Account,
            AccountMembership,
            Address,
            Contact,
            Worker,
            Product,
            AccountProductPrice,
            Location,
            Contract,
        ],
        extensions=extensions,  # type: ignore[arg-type]
        scalar_overrides=SCALAR_OVERRIDES,
        config=StrawberryConfig(),
    )


schema = build_schema()
