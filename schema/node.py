"""`node(id:)` and `nodes(ids:)`: fetch any object by its global ID, with the same visibility as
everywhere else (an object the viewer may not read is null, like one that does not exist)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import strawberry
from graphql import GraphQLError

from core.context import Context
from domain.enums import ApiKeyScope
from loaders.accounts import MembershipByIdLoader, WorkerByIdLoader
from loaders.auth import ApiKeyByIdLoader
from loaders.carts import (
    CartLineByIdLoader,
    CostCentreByIdLoader,
    ErpExportByIdLoader,
    OrderLineByIdLoader,
)
from loaders.credential_requests import CredentialRequestByIdLoader
from loaders.mail import OutboxEmailByIdLoader
from loaders.pricing import AccountPriceByIdLoader, LocationByIdLoader
from loaders.quotes import QuoteLineByIdLoader
from loaders.webhooks import WebhookDeliveryByIdLoader, WebhookEndpointByIdLoader
from resolvers.access import readable_account
from resolvers.addresses import readable_address
from resolvers.budgets import readable_budget
from resolvers.carts import readable_cart
from resolvers.catalogue import products_by_id
from resolvers.contacts import readable_contact
from resolvers.contracts import readable_contract
from resolvers.enquiry import readable_enquiry_record, readable_invoice
from resolvers.invoice_payments import readable_payment
from resolvers.orders import readable_order
from resolvers.quotes import priced_lines, readable_quote
from resolvers.sync_runs import readable_run
from resolvers.wallet import (
    readable_credit_card,
    readable_favourites_list,
    readable_saved_search,
    readable_shipping_account,
)
from schema.auth_api import ApiKey
from schema.budget_types import Budget
from schema.cart_types import Cart, CartLine, CostCentre
from schema.catalogue_types import AccountProductPrice, Location, Product
from schema.contract_types import Contract
from schema.credential_requests_types import CredentialRequest
from schema.customer_types import Account, AccountMembership, Address, Contact, Worker
from schema.enquiry_types import EnquiryRecord, Invoice
from schema.info import Info
from schema.invoice_payment_types import InvoicePayment
from schema.mail_types import OutboxEmail
from schema.order_types import ErpExport, Order, OrderLine
from schema.quote_types import Quote, QuoteLine
from schema.relay import MAX_PAGE_SIZE, Node, decode_global_id, parse_key
from schema.sync_run_api import SyncRun
from schema.wallet_types import CreditCard, FavouritesList, SavedSearch, ShippingAccount
from schema.webhook_types import WebhookDelivery, WebhookEndpoint


async def _account(context: Context, key: int) -> Node | None:
    row = await readable_account(context, key)
    return Account.from_optional_row(row)


async def _contact(context: Context, key: int) -> Node | None:
    row = await readable_contact(context, key)
    return Contact.from_optional_row(row)


async def _address(context: Context, key: int) -> Node | None:
    row = await readable_address(context, key)
    return Address.from_optional_row(row)


async def _membership(context: Context, key: int) -> Node | None:
    row = await context.loader(MembershipByIdLoader).load(key)
    if row is None or await readable_account(context, row.account_id) is None:
        return None
    return AccountMembership.from_row(row)


async def _worker(context: Context, key: int) -> Node | None:
    viewer = context.viewer
    if not (viewer.is_staff or viewer.worker_id == key):
        return None
    row = await context.loader(WorkerByIdLoader).load(key)
    return Worker.from_optional_row(row)


async def _cart(context: Context, key: int) -> Node | None:
    row = await readable_cart(context, key)
    return Cart.from_optional_row(row)


async def _cart_line(context: Context, key: int) -> Node | None:
    row = await context.loader(CartLineByIdLoader).load(key)
    if row is None or await readable_cart(context, row.cart_id) is None:
        return None
    return CartLine.of(row)


async def _budget(context: Context, key: int) -> Node | None:
    return Budget.from_optional_row(await readable_budget(context, key))


async def _cost_centre(context: Context, key: int) -> Node | None:
    row = await context.loader(CostCentreByIdLoader).load(key)
    if row is None or await readable_account(context, row.account_id) is None:
        return None
    return CostCentre.from_row(row)


async def _order(context: Context, key: int) -> Node | None:
    row = await readable_order(context, key)
    return Order.from_optional_row(row)


async def _order_line(context: Context, key: int) -> Node | None:
    row = await context.loader(OrderLineByIdLoader).load(key)
    if row is None or await readable_order(context, row.order_id) is None:
        return None
    return OrderLine.of(row)


def _integrates(context: Context) -> bool:
    """What integrators read (`require_scope` SYNC): API keys with the sync scope, and staff."""
    return context.viewer.has_scope(ApiKeyScope.SYNC) or context.viewer.is_staff


async def _erp_export(context: Context, key: int) -> Node | None:
    if not _integrates(context):
        return None
    row = await context.loader(ErpExportByIdLoader).load(key)
    return ErpExport.from_optional_row(row)


async def _credential_request(context: Context, key: int) -> Node | None:
    if not context.viewer.is_staff:
        return None
    row = await context.loader(CredentialRequestByIdLoader).load(key)
    return CredentialRequest.from_optional_row(row)


async def _outbox_email(context: Context, key: int) -> Node | None:
    if not context.viewer.is_staff:
        return None
    row = await context.loader(OutboxEmailByIdLoader).load(key)
    return OutboxEmail.from_optional_row(row)


async def _sync_run(context: Context, key: int) -> Node | None:
    if not _integrates(context):
        return None
    return SyncRun.from_optional_row(await readable_run(context, key))


async def _product(context: Context, key: int) -> Node | None:
    rows = await products_by_id(context, [key])
    return Product.from_row(rows[0]) if rows else None


async def _location(context: Context, key: int) -> Node | None:
    row = await context.loader(LocationByIdLoader).load(key)
    return Location.from_optional_row(row)


async def _contract(context: Context, key: int) -> Node | None:
    row = await readable_contract(context, key)
    return Contract.from_optional_row(row)


async def _account_price(context: Context, key: int) -> Node | None:
    # `Account.productPrices`: whoever reads the account.
    row = await context.loader(AccountPriceByIdLoader).load(key)
    if row is None or await readable_account(context, row.account_id) is None:
        return None
    return AccountProductPrice.from_row(row)


async def _invoice(context: Context, key: int) -> Node | None:
    return Invoice.from_optional_row(await readable_invoice(context, key))


async def _invoice_payment(context: Context, key: int) -> Node | None:
    return InvoicePayment.from_optional_row(await readable_payment(context, key))


async def _enquiry_record(context: Context, key: int) -> Node | None:
    return EnquiryRecord.from_optional_row(await readable_enquiry_record(context, key))


async def _favourites_list(context: Context, key: int) -> Node | None:
    return FavouritesList.from_optional_row(await readable_favourites_list(context, key))


async def _saved_search(context: Context, key: int) -> Node | None:
    return SavedSearch.from_optional_row(await readable_saved_search(context, key))


async def _shipping_account(context: Context, key: int) -> Node | None:
    return ShippingAccount.from_optional_row(await readable_shipping_account(context, key))


async def _credit_card(context: Context, key: int) -> Node | None:
    return CreditCard.from_optional_row(await readable_credit_card(context, key))


async def _quote(context: Context, key: int) -> Node | None:
    return Quote.from_optional_row(await readable_quote(context, key))


async def _quote_line(context: Context, key: int) -> Node | None:
    row = await context.loader(QuoteLineByIdLoader).load(key)
    quote = await readable_quote(context, row.quote_id) if row is not None else None
    if quote is None:
        return None
    # The line with its breakdown, as `Quote.lines` gives it.
    lines = await priced_lines(context, quote)
    return next((QuoteLine.of(line) for line in lines if line.row.id == key), None)


async def _webhook_endpoint(context: Context, key: int) -> Node | None:
    if not _integrates(context):
        return None
    return WebhookEndpoint.from_optional_row(
        await context.loader(WebhookEndpointByIdLoader).load(key)
    )


async def _webhook_delivery(context: Context, key: int) -> Node | None:
    if not _integrates(context):
        return None
    return WebhookDelivery.from_optional_row(
        await context.loader(WebhookDeliveryByIdLoader).load(key)
    )


async def _api_key(context: Context, key: int) -> Node | None:
    # `apiKeys`: ADMIN workers.
    if not context.viewer.is_admin:
        return None
    return ApiKey.from_optional_row(await context.loader(ApiKeyByIdLoader).load(key))


# Every type implementing Node (tests/api/test_node.py walks the schema to check).
FETCHERS: dict[str, Callable[[Context, int], Awaitable[Node | None]]] = {
    "Account": _account,
    "Contact": _contact,
    "Address": _address,
    "AccountMembership": _membership,
    "Worker": _worker,
    "Cart": _cart,
    "CartLine": _cart_line,
    "CostCentre": _cost_centre,
    "Budget": _budget,
    "Order": _order,
    "Quote": _quote,
    "QuoteLine": _quote_line,
    "OrderLine": _order_line,
    "ErpExport": _erp_export,
    "CredentialRequest": _credential_request,
    "OutboxEmail": _outbox_email,
    "SyncRun": _sync_run,
    "Product": _product,
    "Location": _location,
    "Contract": _contract,
    "AccountProductPrice": _account_price,
    "Invoice": _invoice,
    "EnquiryRecord": _enquiry_record,
    "InvoicePayment": _invoice_payment,
    "FavouritesList": _favourites_list,
    "SavedSearch": _saved_search,
    "ShippingAccount": _shipping_account,
    "CreditCard": _credit_card,
    "ApiKey": _api_key,
    "WebhookEndpoint": _webhook_endpoint,
    "WebhookDelivery": _webhook_delivery,
}


async def fetch_node(context: Context, global_id: str) -> Node | None:
    type_name, key = decode_global_id(global_id)
    fetch = FETCHERS.get(type_name)
    db_id = parse_key(key)
    if fetch is None or db_id is None or not context.viewer.is_authenticated:
        return None
    return await fetch(context, db_id)


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await fetch_node(info.context, id)

    @strawberry.field(description=f"Objects by global ID, in order (at most {MAX_PAGE_SIZE}).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_PAGE_SIZE:
            raise GraphQLError(
                f"At most {MAX_PAGE_SIZE} ids at a time", extensions={"code": "PAGE_SIZE_EXCEEDED"}
            )
        return list(await asyncio.gather(*(fetch_node(info.context, i) for i in ids)))
