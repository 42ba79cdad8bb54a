"""Demo data of issue 7 for the README walkthrough (docs/wallet.md): ABC1234's ERP invoices and
records, Mary's favourites (one list of the catalogue's priced products) and saved search,
through the same functions the API uses."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from core.context import Context
from domain.access import Viewer, ViewerKind
from domain.customers import AccountChanges, MembershipChanges
from domain.enums import MembershipRole, PaymentTermsKind
from domain.payment_cards import CardDetails
from domain.wallet import FavouritesListChanges, SavedSearchGrid, ShippingAccountChanges
from models import Account
from resolvers import accounts, contacts, customer_sync, wallet
from seed.catalogue import NamedProduct, sync_named_products

# The favourites demo's fasteners (Frank's restricted list): SKU, name, price per level A to D.
# Priced at every level, like the rest of the catalogue, so every demo buyer sees a price.
DEMO_PRODUCTS: tuple[NamedProduct, ...] = (
    ("DEMO-BOLT-M10", "Hex bolt M10 x 50, zinc", ("0.80", "0.75", "0.70", "0.95")),
    ("DEMO-NUT-M10", "Hex nut M10, zinc", ("0.30", "0.28", "0.25", "0.35")),
    ("DEMO-WASHER-M10", "Flat washer M10", ("0.12", "0.11", "0.10", "0.15")),
)


async def seed_wallet_and_enquiry(context: Context, abc: Account, people: dict[str, int]) -> None:
    """`people` maps usernames to membership ids and `<username>.contact` to contact ids."""
    assert abc.id is not None and abc.erp_key is not None
    await accounts.update_account(
        context,
        abc.id,
        AccountChanges(
            payment_terms_kind=PaymentTermsKind.GIVEN_NUMBER_OF_DAYS,
            payment_terms_value=30,
            # What the open invoices below add up to.
            balance=Decimal("3635.50"),
        ),
    )
    today = context.now.date()
    invoices: list[dict[str, Any]] = [
        {
            "erp_key": f"ERP-INV-{n}",
            "account_erp_key": abc.erp_key,
            "number": f"INV-{n}",
            "invoice_date": today - timedelta(days=days),
            "amount": Decimal(amount),
            "balance": Decimal(balance),
        }
        for n, days, amount, balance in (
            (1001, 130, "880.00", "880.00"),
            (1002, 80, "1250.00", "400.00"),
            (1003, 50, "310.50", "310.50"),
            (1004, 40, "99.95", "0.00"),
            (1005, 12, "2045.00", "2045.00"),
        )
    ]
    records: list[dict[str, Any]] = [
        {
            "erp_key": f"ERP-{kind}-{n}",
            "account_erp_key": abc.erp_key,
            "kind": kind,
            "number": f"{prefix}-{n}",
            "document_date": today - timedelta(days=days),
            "status": status,
            "amount": Decimal(amount),
            "outstanding": Decimal(outstanding),
        }
        for kind, prefix, n, days, status, amount, outstanding in (
            ("SALES_ORDER", "SO", 501, 3, "OPEN", "640.00", "640.00"),
            ("SALES_ORDER", "SO", 498, 20, "CLOSED", "310.50", "0.00"),
            ("BACK_ORDER", "BO", 77, 3, "OPEN", "120.00", "120.00"),
            ("PAYMENT", "PAY", 9001, 35, "CLOSED", "850.00", "0.00"),
            ("CREDIT", "CR", 31, 25, "OPEN", "45.00", "45.00"),
            ("TRANSACTION", "TX", 7001, 35, "CLOSED", "-850.00", "0.00"),
        )
    ]
    await customer_sync.sync_records(context, customer_sync.INVOICES, invoices, atomic=True)
    await customer_sync.sync_records(context, customer_sync.ENQUIRY_RECORDS, records, atomic=True)

    await sync_named_products(context, DEMO_PRODUCTS)

    system = context.viewer
    context.viewer = Viewer(
        kind=ViewerKind.CONTACT,
        contact_id=people["mary.contact"],
        active_account_id=abc.id,
        memberships={abc.id: MembershipRole.SHOPPER},
    )
    weekly = await wallet.create_favourites_list(
        context, FavouritesListChanges(name="Weekly restock", is_shared=True)
    )
    await wallet.add_favourites(context, weekly.id, [sku for sku, _, _ in DEMO_PRODUCTS])
    # Priced catalogue products, for `addFavouritesToCart` (docs/carts.md).
    plumbing = await wallet.create_favourites_list(
        context, FavouritesListChanges(name="Plumbing basics")
    )
    await wallet.add_favourites(context, plumbing.id, ["PIPE-20", "ELBOW-20", "TAPE-PTFE"])
    await wallet.create_saved_search(
        context,
        SavedSearchGrid.ACCOUNTS,
        "On hold in my territory",
        {"isOnHold": True, "search": "2000", "searchField": "POSTCODE"},
    )
    await wallet.create_shipping_account(
        context,
        abc.id,
        ShippingAccountChanges(carrier="FedEx", account_number="FX-445566", name="ABC FedEx"),
    )
    await wallet.save_credit_card(
        context,
        abc.id,
        CardDetails(
            token="tok_demo_visa_4242",
            brand="Visa",
            last4="4242",
            expiry_month=12,
            expiry_year=today.year + 2,
            holder_name="Mary Jones",
        ),
    )
    context.viewer = system
    # CM10: Frank may only read (and buy from) the shared weekly list.
    await contacts.update_membership(
        context, people["frank"], MembershipChanges(restricted_favourites_list_id=weekly.id)
    )
