"""The Schema: every domain's queries and mutations merged into one root of each."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection
from strawberry.schema.config import BatchingConfig, StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from api.errors import log_errors
from api.settings import Settings
from schema import enums  # noqa: F401 - registers the domain enums
from schema.active_account_api import ActiveAccountMutation
from schema.auth_api import AuthMutation, AuthQuery
from schema.cart_api import CartMutation, CartQuery
from schema.catalogue_api import CatalogueMutation, CatalogueQuery
from schema.catalogue_types import AccountProductPrice, Location, Product
from schema.contract_api import ContractMutation, ContractQuery
from schema.contract_types import Contract
from schema.credential_requests_api import CredentialRequestsMutation, CredentialRequestsQuery
from schema.credential_requests_types import CredentialRequest
from schema.customer_api import CustomerMutation, CustomerQuery
from schema.customer_types import Account, AccountMembership, Address, Contact, Worker
from schema.limits import limit_rules
from schema.mail_api import MailMutation, MailQuery
from schema.node import NodeQuery
from schema.operation_steps import OperationSteps
from schema.order_api import OrderMutation, OrderQuery
from schema.registration_api import RegistrationMutation
from schema.scalars import SCALAR_OVERRIDES
from schema.settings_api import SettingsQuery
from schema.sync_customer_api import SyncCustomerMutation
from schema.wallet_api import WalletMutation, WalletQuery
from schema.worker_api import WorkerMutation

Query = merge_types(
    "Query",
    (
        AuthQuery,
        NodeQuery,
        CustomerQuery,
        SettingsQuery,
        MailQuery,
        CredentialRequestsQuery,
        CatalogueQuery,
        ContractQuery,
        CartQuery,
        OrderQuery,
        WalletQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AuthMutation,
        CustomerMutation,
        RegistrationMutation,
        MailMutation,
        CredentialRequestsMutation,
        CatalogueMutation,
        ContractMutation,
        CartMutation,
        OrderMutation,
        ActiveAccountMutation,
        WalletMutation,
        SyncCustomerMutation,
        WorkerMutation,
    ),
)


class TradepostSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_errors(errors, execution_context)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema as `settings` configure it; without settings, the bare schema (for its SDL)."""
    extensions: list[object] = []
    config = StrawberryConfig()
    if settings is not None:
        rules = limit_rules(settings)
        extensions.append(
            lambda: OperationSteps(
                max_tokens=settings.max_tokens, max_cost=settings.max_query_cost, rules=rules
            )
        )
        if not settings.introspection:
            extensions.append(DisableIntrospection)
        config.disable_field_suggestions = not settings.field_suggestions
        if settings.batching:
            config.batching_config = BatchingConfig(max_operations=settings.max_batch_operations)
    return TradepostSchema(
        query=Query,
        mutation=Mutation,
        types=[
            Account,
            AccountMembership,
            Address,
            Contact,
            Worker,
            CredentialRequest,
            Product,
            AccountProductPrice,
            Location,
            Contract,
        ],
        extensions=extensions,  # type: ignore[arg-type]
        scalar_overrides=SCALAR_OVERRIDES,
        config=config,
    )


schema = build_schema()
