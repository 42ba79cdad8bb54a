"""The deterministic demo world of the README, and `--accounts N` generated accounts.

The named people come from the seed documents: PointForce's ABC1234 with Joe and Jane Smith
approving for Mary, Kathy, Bill and Frank.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from rich.progress import Progress
from sqlalchemy import func, insert, select
from sqlmodel import col

from core.context import Context
from core.passwords import hash_password
from core.settings import Settings
from domain.access import Viewer, ViewerKind
from domain.customers import AccountChanges, AddressChanges, ContactChanges, MembershipChanges
from domain.enums import (
    AddressKind,
    CreditAction,
    MembershipRole,
    PaymentType,
    RecordSource,
    WorkerRole,
)
from domain.system_email import SystemEmail
from models import Account, Address, Invoice, Product, Worker
from models.types import utcnow
from resolvers import accounts, addresses, carts, checkout, contacts, mail, quotes, registration
from resolvers.auth import create_worker
from resolvers.checkout import DIRECT_DEPOSIT_SECTION, DirectDepositSettings
from resolvers.platform_settings import save_section
from resolvers.system_context import system_context
from seed.catalogue import NamedProduct, seed_catalogue, sync_named_products
from seed.reset import empty_every_table
from seed.wallet_demo import seed_wallet_and_enquiry

DEMO_PASSWORD = "tradepost-demo"
REP_CODES = ("REP01", "REP02", "REP03")
PRICE_LEVELS = ("A", "B", "C", "D")
_PREFIXES = ("Acme", "Harbour", "Summit", "Blue Gum", "Coastal", "Outback", "Metro", "Southern")
_TRADES = ("Plumbing", "Electrical", "Hardware", "Builders", "Supplies", "Joinery", "Roofing")
_CITIES = (
    ("Sydney", "NSW", "2000"),
    ("Melbourne", "VIC", "3000"),
    ("Brisbane", "QLD", "4000"),
    ("Perth", "WA", "6000"),
    ("Adelaide", "SA", "5000"),
    ("Hobart", "TAS", "7000"),
)
BATCH = 1000


@cache
def demo_password_hash() -> str:
    """One argon2id hash of the demo password for every demo contact: hashing it for each of
    them (by design slow, ~0.1 s) was a fifth of the seed's time."""
    return hash_password(DEMO_PASSWORD)


# The demo world's steps, in order, as its progress bar names them.
DEMO_STEPS = (
    "staff and ABC1234's people",
    "30 generated accounts",
    "catalogue, contracts and stock",
    "carts awaiting approval",
    "self-service settings and invoices",
    "enquiry and wallet",
)


async def run_seed(
    settings: Settings, *, extra_accounts: int, if_empty: bool, reset: bool = False
) -> None:
    async with system_context(settings) as context:
        if reset:
            await empty_every_table(context)
        existing = await context.db.scalar(select(func.count()).select_from(Account))
        if existing and if_empty:
            print(f"Database already has {existing} accounts; not seeding.")
            return
        if not existing:
            started = time.perf_counter()
            with Progress(transient=True) as progress:
                task = progress.add_task("demo world", total=len(DEMO_STEPS))

                def step(number: int) -> None:
                    progress.update(task, completed=number, description=DEMO_STEPS[number])

                await seed_demo_world(context, step)
                progress.update(task, completed=len(DEMO_STEPS))
            print(
                f"Loaded the demo world in {time.perf_counter() - started:.1f} s "
                "(README: demo logins; password tradepost-demo)."
            )
        if extra_accounts:
            started = time.perf_counter()
            await seed_generated_accounts(context, extra_accounts)
            print(f"Generated {extra_accounts} accounts in {time.perf_counter() - started:.1f} s")


async def seed_demo_world(context: Context, step: Callable[[int], None] = lambda _: None) -> None:
    """The README's world; `step(n)` is called as DEMO_STEPS[n] begins."""
    step(0)
    for worker_name, worker_role, rep_code in (
        ("admin", WorkerRole.ADMIN, None),
        ("service", WorkerRole.CUSTOMER_SERVICE, None),
        ("rep1", WorkerRole.SALES_REP, "REP01"),
        ("rep2", WorkerRole.SALES_REP, "REP02"),
    ):
        await create_worker(
            context.session,
            username=worker_name,
            password=DEMO_PASSWORD,
            role=worker_role,
            rep_code=rep_code,
        )

    abc = await _account(
        context,
        code="ABC1234",
        company_name="ABC Industrial Supplies",
        rep="REP01",
        level="C",
        payment_types=[
            PaymentType.ON_ACCOUNT,
            PaymentType.CREDIT_CARD,
            PaymentType.DIRECT_DEPOSIT,
            PaymentType.RUNNING_QUOTE,
        ],
        balance_limit=Decimal("50000.00"),
    )
    await _addresses(context, abc, "Sydney", "NSW", "2000")
    people: dict[str, int] = {}
    for name, role in (
        ("Joe Smith", MembershipRole.APPROVER),
        ("Jane Smith", MembershipRole.APPROVER),
        ("Mary Jones", MembershipRole.SHOPPER),
        ("Kathy Brown", MembershipRole.SHOPPER),
        ("Bill Green", MembershipRole.SHOPPER),
        ("Frank White", MembershipRole.SHOPPER),
        ("Alice Admin", MembershipRole.ADMINISTRATOR),
    ):
        username = name.split()[0].lower()
        contact, membership = await contacts.create_contact(
            context,
            abc.id,
            role,
            ContactChanges(
                name=name,
                email=f"{username}@abc-industrial.example",
                username=username,
            ),
        )
        contact.password_hash = demo_password_hash()
        assert contact.id is not None and membership.id is not None
        people[username] = membership.id
        people[f"{username}.contact"] = contact.id
    # CM10's example: Joe approves assigned shoppers (Mary, Kathy, Bill); Jane approves all,
    # and is Frank's own approver.
    await contacts.update_membership(
        context, people["joe"], MembershipChanges(approve_assigned=True, email_approver=True)
    )
    await contacts.update_membership(context, people["jane"], MembershipChanges(approve_all=True))
    for shopper, approver in (
        ("mary", "joe"),
        ("kathy", "joe"),
        ("bill", "joe"),
        ("frank", "jane"),
    ):
        await contacts.update_membership(
            context,
            people[shopper],
            MembershipChanges(
                cart_approver_id=people[f"{approver}.contact"],
                no_approval_below_value=Decimal("100.00"),
                maximum_approval_value=Decimal("5000.00"),
                email_approver=True,
            ),
        )

    step(1)
    rng = random.Random(1234)
    generated = []
    for index in range(1, 31):
        city, region, postcode = _CITIES[index % len(_CITIES)]
        on_hold = index % 7 == 0
        account = await _account(
            context,
            code=f"C{1000 + index}",
            company_name=f"{rng.choice(_PREFIXES)} {rng.choice(_TRADES)} {index}",
            rep=REP_CODES[index % len(REP_CODES)],
            level=PRICE_LEVELS[index % len(PRICE_LEVELS)],
            payment_types=[PaymentType.ON_ACCOUNT]
            + ([PaymentType.CREDIT_CARD] if index % 2 else [PaymentType.PAYPAL]),
            balance_limit=Decimal(rng.randrange(5, 100) * 1000),
            extra={
                "is_on_hold": on_hold,
                "on_hold_action": [
                    CreditAction.BLOCK,
                    CreditAction.WARN,
                    CreditAction.WARN_CREDIT_CARD_ONLY,
                ][index % 3],
                "balance": Decimal(rng.randrange(0, 20000)) + Decimal("0.50"),
                "discount_percent": Decimal(index % 4 * 5),
            },
        )
        await _addresses(context, account, city, region, postcode)
        first = rng.choice(("Sam", "Alex", "Chris", "Pat", "Jo", "Lee"))
        username = f"{first.lower()}{index}"
        contact, _ = await contacts.create_contact(
            context,
            account.id,
            MembershipRole.ADMINISTRATOR if index % 3 == 0 else MembershipRole.SHOPPER,
            ContactChanges(
                name=f"{first} {account.company_name.split()[0]}",
                email=f"{username}@example.com",
                username=username,
            ),
        )
        contact.password_hash = demo_password_hash()
        generated.append(account)
    # One contact who belongs to two accounts: Mary also buys for C1001.
    await contacts.create_membership(
        context,
        people["mary.contact"],
        generated[0].id,
        MembershipChanges(role=MembershipRole.SHOPPER),
    )
    # Seed 004 SU23: Bill may not buy the products restricted for ABC1234.
    await contacts.update_membership(
        context, people["bill"], MembershipChanges(restricted_products_apply=True)
    )
    # Seed 003 Recommendations: the accounts whose prices anonymous visitors see.
    for code, name, level in (
        ("WEB_RETAIL", "Web retail (guests)", "D"),
        ("WEB_WA", "Web retail WA (guests)", "B"),
    ):
        await _account(
            context,
            code=code,
            company_name=name,
            rep=REP_CODES[0],
            level=level,
            payment_types=[PaymentType.CREDIT_CARD],
            balance_limit=Decimal("0"),
        )
    step(2)
    await seed_catalogue(context)
    step(3)
    await _seed_buying(context, abc, people)
    step(4)
    await _seed_self_service(context, [abc, *generated])
    step(5)
    await seed_wallet_and_enquiry(context, abc, people)


# SKU, name, price per level (A to D).
DEMO_PRODUCTS: tuple[NamedProduct, ...] = (
    ("PIPE-20", "Copper pipe 20 mm x 3 m", ("24.00", "22.50", "21.00", "19.90")),
    ("ELBOW-20", "Copper elbow 20 mm", ("3.20", "3.00", "2.80", "2.60")),
    ("VALVE-BALL", "Brass ball valve 20 mm", ("18.50", "17.00", "16.00", "15.00")),
    ("TAPE-PTFE", "PTFE thread tape", ("1.90", "1.80", "1.70", "1.60")),
)


async def _seed_buying(context: Context, abc: Account, people: dict[str, int]) -> None:
    """A few named products (through the ERP product feed), ABC1234's cost centres, the direct
    deposit bank details, and carts made through the cart API: Mary's and Frank's wait for
    approval (Joe sees Mary's, Jane both), and Mary has an open one, quoted by rep1."""
    assert abc.id is not None
    await sync_named_products(context, DEMO_PRODUCTS)
    product_ids = {
        row.sku: row.id
        for row in await context.db.scalars(
            select(Product).where(col(Product.sku).in_([sku for sku, _, _ in DEMO_PRODUCTS]))
        )
    }
    await save_section(
        context,
        DIRECT_DEPOSIT_SECTION,
        DirectDepositSettings,
        {
            "account_name": "Tradepost Demo Pty Ltd",
            "bank_name": "Demo Bank",
            "bsb": "062-000",
            "account_number": "1234 5678",
        },
    )
    await carts.set_cost_centres(
        context, abc.id, [("MAINT", "Maintenance"), ("PROJ", "Projects"), ("FLEET", "Fleet")]
    )
    for username, name, lines, submit in (
        ("mary", "Workshop restock", {"PIPE-20": 10, "ELBOW-20": 20}, True),
        ("frank", "Site 4 valves", {"VALVE-BALL": 12}, True),
        ("mary", "Next week", {"TAPE-PTFE": 5}, False),
    ):
        shopper = replace(
            context,
            viewer=Viewer(
                kind=ViewerKind.CONTACT,
                contact_id=people[f"{username}.contact"],
                active_account_id=abc.id,
                memberships={abc.id: MembershipRole.SHOPPER},
            ),
        )
        cart = await carts.create_cart(shopper, name)
        changes = [
            carts.LineChange(index=index, product_id=product_ids[sku], quantity=quantity)
            for index, (sku, quantity) in enumerate(lines.items())
        ]
        await carts.add_cart_lines(shopper, cart.id, changes)
        if submit:
            await checkout.checkout_cart(
                shopper,
                cart.id,
                checkout.CheckoutChoices(payment_type=PaymentType.ON_ACCOUNT),
                idempotency_key=None,
            )
        else:
            await _seed_quote(context, shopper, cart.id)


async def _seed_quote(context: Context, buyer: Context, cart_id: int | None) -> None:
    """Issue #16: Mary asks for a quote of her open cart and rep1 prices and sends it (5 % off,
    valid for 30 days), so the demo has a quote to read, accept and order (docs/quotes.md)."""
    quote = await quotes.request_quote(buyer, cart_id, "Price for a standing monthly order?")
    rep = await context.db.scalar(select(Worker).where(col(Worker.username) == "rep1"))
    assert rep is not None
    seller = replace(
        context,
        viewer=Viewer(
            kind=ViewerKind.WORKER,
            worker_id=rep.id,
            worker_role=WorkerRole.SALES_REP,
            rep_code=rep.rep_code,
        ),
    )
    await quotes.price_quote(
        seller,
        quote.id,
        [],
        discount_percent=Decimal("5"),
        expires_on=context.now.date() + timedelta(days=30),
        note="5 % off while you order monthly",
    )


async def _seed_self_service(context: Context, accounts_with_invoices: list[Account]) -> None:
    """docs/registration.md: both sign-in links on, sales copied on account requests, and a
    recent invoice per account (INV-<account>-1) so an existing account can be verified."""
    await registration.update_customer_data_settings(
        context, {"allow_new_accounts": True, "allow_new_contacts": True, "immediate_access": True}
    )
    await mail.update_email_setting(
        context, SystemEmail.NEW_ACCOUNT_REQUEST, {"cc": ["sales@tradepost.example"]}
    )
    today = context.now.date()
    for age_days, account in enumerate(accounts_with_invoices):
        assert account.id is not None
        # Invoices arrive from the ERP; the sync API comes with the enquiry issue.
        context.session.add(
            Invoice(
                account_id=account.id,
                number=f"INV-{account.code}-1",
                erp_key=f"ERP-INV-{account.code}-1",
                invoice_date=today - timedelta(days=age_days * 3),
                due_date=today - timedelta(days=age_days * 3) + timedelta(days=30),
                amount=Decimal("1250.00") + age_days,
                balance=Decimal("0") if age_days % 2 else Decimal("1250.00") + age_days,
            )
        )
    await context.session.flush()


async def _account(
    context: Context,
    *,
    code: str,
    company_name: str,
    rep: str,
    level: str,
    payment_types: list[PaymentType],
    balance_limit: Decimal,
    extra: dict[str, Any] | None = None,
) -> Account:
    account = await accounts.create_account(
        context,
        AccountChanges(
            code=code,
            company_name=company_name,
            contact_name="Accounts Payable",
            email=f"accounts@{code.lower()}.example",
            sales_rep_code=rep,
            price_level=level,
            payment_types=payment_types,
            balance_limit=balance_limit,
            erp_key=f"ERP-{code}",
            **(extra or {}),
        ),
    )
    account.source = RecordSource.ERP
    return account


async def _addresses(
    context: Context, account: Account, city: str, region: str, postcode: str
) -> None:
    for kind, primary, street in (
        (AddressKind.BILLING, True, "1 Main Street"),
        (AddressKind.SHIPPING, False, "7 Dock Road"),
    ):
        await addresses.create_address(
            context,
            account.id,
            AddressChanges(
                kind=kind,
                name=account.company_name,
                line1=street,
                city=city,
                region=region,
                postcode=postcode,
                country="AU",
                is_primary=primary,
            ),
        )


async def seed_generated_accounts(context: Context, count: int) -> None:
    """Bulk accounts for load tests: batched multi-row inserts, not the per-row API path."""
    start = int(await context.db.scalar(select(func.coalesce(func.max(col(Account.id)), 0))) or 0)
    now = utcnow()
    with Progress() as progress:
        task = progress.add_task("accounts", total=count)
        for offset in range(0, count, BATCH):
            size = min(BATCH, count - offset)
            numbers = range(start + offset + 1, start + offset + size + 1)
            rows = [
                {
                    "code": f"G{n:07d}",
                    "company_name": _generated_name(n),
                    "is_active": True,
                    "email": f"accounts@g{n}.example",
                    "sales_rep_code": REP_CODES[n % len(REP_CODES)],
                    "price_level": PRICE_LEVELS[n % len(PRICE_LEVELS)],
                    "discount_percent": Decimal("0"),
                    "payment_types": [PaymentType.ON_ACCOUNT.value],
                    "balance": Decimal("0"),
                    "source": RecordSource.ERP,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in numbers
            ]
            result = await context.db.execute(
                insert(Account).returning(col(Account.id), col(Account.code)), rows
            )
            ids: list[tuple[int, str]] = [(row.id, row.code) for row in result]
            city_rows = [
                {
                    "account_id": account_id,
                    "kind": AddressKind.BILLING,
                    "name": code,
                    "line1": f"{n} Generated Way",
                    "city": _CITIES[n % len(_CITIES)][0],
                    "region": _CITIES[n % len(_CITIES)][1],
                    "postcode": _CITIES[n % len(_CITIES)][2],
                    "country": "AU",
                    "is_primary": True,
                    "source": RecordSource.ERP,
                    "created_at": now,
                    "updated_at": now,
                }
                for n, (account_id, code) in enumerate(ids, start=start + offset + 1)
            ]
            await context.db.execute(insert(Address), city_rows)
            progress.advance(task, size)


def _generated_name(number: int) -> str:
    return f"{_PREFIXES[number % len(_PREFIXES)]} {_TRADES[number % len(_TRADES)]} {number}"
