"""Every table, importable from one place so Alembic sees them all."""

from sqlalchemy import DDL, event
from sqlmodel import SQLModel

# Deterministic constraint names, so migrations can refer to them on every database. Set before
# any table module is imported (importing one of them imports this package first).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Every flush checks its rows against their columns' limits (see the module).
from models import column_limits  # noqa: E402, F401
from models.account import Account  # noqa: E402
from models.address import Address  # noqa: E402
from models.auth import ApiKey, Session  # noqa: E402
from models.budget import Budget  # noqa: E402
from models.cart import Cart, CartEvent, CartLine, CheckoutAttempt, CostCentre  # noqa: E402
from models.catalogue import (  # noqa: E402  # noqa: E402
    AccountProductPrice,
    Product,
    ProductLevelPrice,
    ProductRestriction,
)
from models.contact import Contact  # noqa: E402
from models.contract import Contract, ContractAccount, ContractProduct  # noqa: E402
from models.credential_request import CredentialRequest  # noqa: E402
from models.enquiry import EnquiryRecord  # noqa: E402
from models.invoice import Invoice  # noqa: E402
from models.location import AccountLocation, Location, ProductStock  # noqa: E402
from models.membership import AccountMembership  # noqa: E402
from models.order import ErpExport, Order, OrderLine  # noqa: E402
from models.outbox import OutboxEmail  # noqa: E402
from models.payment import InvoicePayment, InvoicePaymentLine  # noqa: E402
from models.quote import Quote, QuoteEvent, QuoteLine  # noqa: E402
from models.readiness import ReadinessHeartbeat  # noqa: E402
from models.registration import OneTimeToken, WebAccountCounter  # noqa: E402
from models.search_index import keep_search_tables  # noqa: E402
from models.setting import PlatformSetting  # noqa: E402
from models.sync_run import SyncRun, SyncRunRecord  # noqa: E402
from models.wallet import (  # noqa: E402
    CreditCard,
    FavouritesItem,
    FavouritesList,
    SavedSearch,
    ShippingAccount,
)
from models.webhook import (  # noqa: E402
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from models.worker import Worker  # noqa: E402

# The trigram indexes (`models.types.trigram_index`) need PostgreSQL's pg_trgm extension.
event.listen(
    SQLModel.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(  # type: ignore[no-untyped-call]
        dialect="postgresql"
    ),
)
# SQLite's counterpart: a trigram search table beside each searched table.
keep_search_tables(SQLModel.metadata)

__all__ = [
    "Account",
    "AccountLocation",
    "AccountMembership",
    "AccountProductPrice",
    "Address",
    "ApiKey",
    "Budget",
    "Cart",
    "CartEvent",
    "CartLine",
    "CheckoutAttempt",
    "Contact",
    "Contract",
    "ContractAccount",
    "ContractProduct",
    "CostCentre",
    "CredentialRequest",
    "CreditCard",
    "EnquiryRecord",
    "ErpExport",
    "FavouritesItem",
    "FavouritesList",
    "Invoice",
    "InvoicePayment",
    "InvoicePaymentLine",
    "Location",
    "OneTimeToken",
    "Order",
    "OrderLine",
    "OutboxEmail",
    "PlatformSetting",
    "Product",
    "ProductLevelPrice",
    "ProductRestriction",
    "ProductStock",
    "Quote",
    "QuoteEvent",
    "QuoteLine",
    "ReadinessHeartbeat",
    "SavedSearch",
    "Session",
    "ShippingAccount",
    "SyncRun",
    "SyncRunRecord",
    "WebAccountCounter",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "Worker",
]
