"""The Schema: every domain's queries and mutations merged into one root of each."""

from __future__ import annotations

import re

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection
from strawberry.schema.config import BatchingConfig, StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from core.settings import Settings
from schema import enums  # noqa: F401 - registers the domain enums
from schema.active_account_api import ActiveAccountMutation
from schema.auth_api import AuthMutation, AuthQuery
from schema.budget_api import BudgetMutation
from schema.cart_api import CartMutation, CartQuery
from schema.catalogue_api import CatalogueMutation, CatalogueQuery
from schema.catalogue_types import AccountProductPrice, Location, Product
from schema.contract_api import ContractMutation, ContractQuery
from schema.contract_types import Contract
from schema.credential_requests_api import CredentialRequestsMutation, CredentialRequestsQuery
from schema.credential_requests_types import CredentialRequest
from schema.customer_api import CustomerMutation, CustomerQuery
from schema.customer_types import Account, AccountMembership, Address, Contact, Worker
from schema.error_codes import give_codes
from schema.error_masking import record_errors
from schema.guest_checkout_api import GuestCheckoutMutation, GuestCheckoutQuery
from schema.invoice_payment_api import InvoicePaymentMutation
from schema.limits import limit_rules
from schema.live_api import Subscription
from schema.mail_api import MailMutation, MailQuery
from schema.node import NodeQuery
from schema.operation_steps import OperationSteps
from schema.order_api import OrderMutation, OrderQuery
from schema.plans.plan import PlanCache
from schema.quote_api import QuoteMutation
from schema.registration_api import RegistrationMutation
from schema.scalars import SCALAR_OVERRIDES
from schema.settings_api import SettingsQuery
from schema.sync_customer_api import SyncCustomerMutation
from schema.sync_run_api import SyncRunMutation, SyncRunQuery
from schema.wallet_api import WalletMutation, WalletQuery
from schema.webhook_api import WebhookMutation, WebhookQuery
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
        GuestCheckoutQuery,
        WalletQuery,
        SyncRunQuery,
        WebhookQuery,
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
        BudgetMutation,
        OrderMutation,
        InvoicePaymentMutation,
        QuoteMutation,
        GuestCheckoutMutation,
        ActiveAccountMutation,
        WalletMutation,
        SyncCustomerMutation,
        SyncRunMutation,
        WorkerMutation,
        WebhookMutation,
    ),
)


# graphql-core's hint for every misspelt name (field, argument, enum value, input field, type):
# "Did you mean 'a', 'b', or 'c'?", at the end of a message or before "Found: …".
_SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")


class TradepostSchema(strawberry.Schema):
    # The planned read path's plans (`schema.plans`); None where it is switched off.
    plans: PlanCache | None = None

    @staticmethod
    def remove_field_suggestion(error: GraphQLError) -> None:
        """With `field_suggestions` off, Strawberry hides the hint for fields only; hide them
        all, or arguments, enum values, input fields and type names still map the schema."""
        error.message = _SUGGESTION.sub("", error.message)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        give_codes(errors)
        record_errors(errors, execution_context)


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema as `settings` configure it; without settings, the bare schema (for its SDL)."""
    extensions: list[object] = []
    config = StrawberryConfig()
    plans: PlanCache | None = None
    if settings is not None:
        rules = limit_rules(settings)
        plans = PlanCache() if settings.planned_reads else None
        extensions.append(
            lambda: OperationSteps(
                max_tokens=settings.max_tokens,
                max_cost=settings.max_query_cost,
                max_text_length=settings.max_text_length,
                rules=rules,
                plans=plans,
            )
        )
        if not settings.introspection:
            extensions.append(DisableIntrospection)
        config.disable_field_suggestions = not settings.field_suggestions
        if settings.batching:
            config.batching_config = BatchingConfig(max_operations=settings.max_batch_operations)
    built = TradepostSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
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
    built.plans = plans
    return built


schema = build_schema()
