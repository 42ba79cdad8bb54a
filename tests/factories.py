"""Test data factories: keyword arguments in, committed rows out."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.passwords import hash_password
from domain.access import RolePermissions, WorkerPermission
from domain.budgets import BudgetPeriod, BudgetScope, OverBudgetAction
from domain.credential_requests import CredentialRequestKind, CredentialRequestOutcome
from domain.enquiry import EnquiryKind, EnquiryStatus
from domain.enums import (
    AddressKind,
    ApiKeyScope,
    CartStatus,
    MembershipRole,
    OrderStatus,
    PaymentType,
    QuoteStatus,
    RecordSource,
    WorkerRole,
)
from models import (
    Account,
    AccountLocation,
    AccountMembership,
    AccountProductPrice,
    Address,
    Budget,
    Cart,
    CartLine,
    Contact,
    Contract,
    ContractAccount,
    ContractProduct,
    CredentialRequest,
    CreditCard,
    EnquiryRecord,
    FavouritesItem,
    FavouritesList,
    Invoice,
    Location,
    Order,
    PlatformSetting,
    Product,
    ProductLevelPrice,
    ProductRestriction,
    ProductStock,
    Quote,
    QuoteLine,
    ShippingAccount,
    Worker,
)
from models.types import utcnow
from resolvers.auth import issue_api_key

PASSWORD = "correct-horse-battery"
# The secret key of the test settings (conftest), for credentials made outside a request: 32
# bytes at least, as every key outside DEBUG must be.
TEST_SECRET_KEY = "test-secret-key-of-at-least-32-bytes"
_numbers = itertools.count(1)
_password_hash: str | None = None


def _hashed() -> str:
    """One argon2 hash reused by every factory login: hashing is deliberately slow."""
    global _password_hash
    if _password_hash is None:
        _password_hash = hash_password(PASSWORD)
    return _password_hash


async def make_account(session: AsyncSession, **values: Any) -> Account:
    n = next(_numbers)
    defaults: dict[str, Any] = {
        "code": f"T{n:05d}",
        "company_name": f"Test Company {n}",
        "payment_types": [PaymentType.ON_ACCOUNT.value],
        "price_level": "A",
        "balance": Decimal("0"),
    }
    account = Account(**{**defaults, **values})
    session.add(account)
    await session.commit()
    return account


async def make_contact(
    session: AsyncSession,
    *,
    account: Account | None = None,
    role: MembershipRole = MembershipRole.SHOPPER,
    username: str | None = None,
    membership: dict[str, Any] | None = None,
    **values: Any,
) -> Contact:
    """A contact with a login (when `username` is given) and, with `account`, its default
    membership of that account."""
    n = next(_numbers)
    contact = Contact(
        name=values.pop("name", f"Contact {n}"),
        email=values.pop("email", f"contact{n}@example.com"),
        username=username,
        password_hash=_hashed() if username else None,
        **values,
    )
    session.add(contact)
    await session.flush()
    if account is not None:
        assert contact.id is not None and account.id is not None
        session.add(
            AccountMembership(
                contact_id=contact.id,
                account_id=account.id,
                role=role,
                is_default=True,
                **(membership or {}),
            )
        )
    await session.commit()
    return contact


async def make_membership(
    session: AsyncSession, *, contact: Contact, account: Account, **values: Any
) -> AccountMembership:
    assert contact.id is not None and account.id is not None
    membership = AccountMembership(contact_id=contact.id, account_id=account.id, **values)
    session.add(membership)
    await session.commit()
    return membership


async def make_worker(
    session: AsyncSession,
    *,
    username: str,
    role: WorkerRole,
    rep_code: str | None = None,
    can_manage_contracts: bool = False,
    permissions: Collection[WorkerPermission] | None = None,
) -> Worker:
    """`permissions`: the worker's own set (None: its role's defaults); `can_manage_contracts`
    adds the contract permission to its role's defaults."""
    if can_manage_contracts:
        defaults = RolePermissions().for_role(role)
        permissions = {*(defaults if permissions is None else permissions)}
        permissions.add(WorkerPermission.MANAGE_CONTRACTS)
    worker = Worker(
        username=username,
        name=username.title(),
        password_hash=_hashed(),
        role=role,
        rep_code=rep_code,
        permissions=None if permissions is None else sorted(p.value for p in permissions),
    )
    session.add(worker)
    await session.commit()
    return worker


async def make_address(session: AsyncSession, *, account: Account, **values: Any) -> Address:
    assert account.id is not None
    defaults: dict[str, Any] = {
        "kind": AddressKind.BILLING,
        "name": account.company_name,
        "line1": "1 Test Street",
        "city": "Sydney",
        "region": "NSW",
        "postcode": "2000",
        "country": "AU",
    }
    address = Address(account_id=account.id, **{**defaults, **values})
    session.add(address)
    await session.commit()
    return address


async def make_api_key(
    session: AsyncSession, *, scopes: list[ApiKeyScope], secret_key: str = TEST_SECRET_KEY
) -> str:
    """An integrator's key; returns the secret to send as the bearer token."""
    secret, _ = await issue_api_key(session, secret_key, "test key", scopes, utcnow())
    await session.commit()
    return secret


async def make_product(
    session: AsyncSession, *, level_prices: dict[str, str] | None = None, **values: Any
) -> Product:
    """A product with its price per level, e.g. `level_prices={"A": "1.00", "C": "3.00"}`."""
    n = next(_numbers)
    product = Product(**{"sku": f"SKU{n:05d}", "name": f"Product {n}", **values})
    session.add(product)
    await session.flush()
    assert product.id is not None
    for level, price in (level_prices or {}).items():
        session.add(
            ProductLevelPrice(product_id=product.id, price_level=level, price=Decimal(price))
        )
    await session.commit()
    return product


async def make_cart(
    session: AsyncSession,
    *,
    account: Account,
    contact: Contact,
    lines: Sequence[tuple[Product, int, str]] = (),
    status: CartStatus = CartStatus.OPEN,
    **values: Any,
) -> Cart:
    """A cart arranged directly, e.g. one already waiting for approval; `lines` are
    (product, quantity, unit price)."""
    assert account.id is not None and contact.id is not None
    total = sum((Decimal(price) * quantity for _, quantity, price in lines), Decimal("0"))
    cart = Cart(
        **{"name": "Cart", **values},
        account_id=account.id,
        contact_id=contact.id,
        status=status,
        total=total,
    )
    session.add(cart)
    await session.flush()
    assert cart.id is not None
    for product, quantity, price in lines:
        assert product.id is not None
        session.add(
            CartLine(
                cart_id=cart.id,
                product_id=product.id,
                quantity=quantity,
                unit_price=Decimal(price),
                line_total=Decimal(price) * quantity,
            )
        )
    await session.commit()
    return cart


async def make_quote(
    session: AsyncSession,
    *,
    account: Account,
    contact: Contact,
    lines: Sequence[tuple[Product, int, str]] = (),
    status: QuoteStatus = QuoteStatus.REQUESTED,
    **values: Any,
) -> Quote:
    """A quote arranged directly; `lines` are (product, quantity, price at request and quoted)."""
    assert account.id is not None and contact.id is not None
    quote = Quote(account_id=account.id, contact_id=contact.id, status=status, **values)
    session.add(quote)
    await session.flush()
    assert quote.id is not None
    session.add_all(
        QuoteLine(
            quote_id=quote.id,
            product_id=product.id,
            sku=product.sku,
            product_name=product.name,
            quantity=quantity,
            requested_unit_price=Decimal(price),
            quoted_unit_price=Decimal(price),
        )
        for product, quantity, price in lines
    )
    await session.commit()
    return quote


async def make_invoice(session: AsyncSession, *, account: Account, **values: Any) -> Invoice:
    assert account.id is not None
    n = next(_numbers)
    defaults: dict[str, Any] = {
        "number": f"INV{n:05d}",
        "erp_key": f"ERP-INV{n:05d}",
        "invoice_date": date(2026, 11, 1),
        "amount": Decimal("100.00"),
        "balance": Decimal("100.00"),
    }
    invoice = Invoice(account_id=account.id, **{**defaults, **values})
    session.add(invoice)
    await session.commit()
    return invoice


async def save_settings(session: AsyncSession, section: str, **values: Any) -> None:
    """Store a settings section as an administrator's save would (JSON, defaults for the rest)."""
    row = await session.get(PlatformSetting, section)
    if row is None:
        row = PlatformSetting(section=section)
        session.add(row)
    row.value = {**row.value, **values}
    await session.commit()


async def make_credential_requests(session: AsyncSession, count: int, **values: Any) -> None:
    """`count` logged attempts, one second apart and ending now: failed logins unless told."""
    now = utcnow()
    defaults: dict[str, Any] = {
        "kind": CredentialRequestKind.LOGIN,
        "ip_address": "192.0.2.1",
        "outcome": CredentialRequestOutcome.FAILURE,
    }
    for n in range(count):
        session.add(
            CredentialRequest(
                occurred_at=now - timedelta(seconds=count - n), **{**defaults, **values}
            )
        )
    await session.commit()


async def make_account_price(
    session: AsyncSession,
    *,
    account: Account,
    product: Product,
    price: str,
    min_quantity: int = 1,
    is_forced: bool = False,
    source: RecordSource = RecordSource.ERP,
) -> AccountProductPrice:
    assert account.id is not None and product.id is not None
    row = AccountProductPrice(
        account_id=account.id,
        product_id=product.id,
        price=Decimal(price),
        min_quantity=min_quantity,
        is_forced=is_forced,
        source=source,
    )
    session.add(row)
    await session.commit()
    return row


async def make_contract(
    session: AsyncSession,
    *,
    starts_on: date,
    expires_on: date,
    products: Sequence[tuple[Product, str, bool]] = (),
    accounts: Sequence[Account] = (),
    **values: Any,
) -> Contract:
    """A contract with (product, price, forced) lines and its accounts."""
    n = next(_numbers)
    contract = Contract(
        **{"code": f"K{n:05d}", "name": f"Contract {n}", **values},
        starts_on=starts_on,
        expires_on=expires_on,
    )
    session.add(contract)
    await session.flush()
    assert contract.id is not None
    for product, price, forced in products:
        assert product.id is not None
        session.add(
            ContractProduct(
                contract_id=contract.id,
                product_id=product.id,
                price=Decimal(price),
                is_forced=forced,
            )
        )
    for account in accounts:
        assert account.id is not None
        session.add(ContractAccount(contract_id=contract.id, account_id=account.id))
    await session.commit()
    return contract


async def make_restriction(
    session: AsyncSession,
    *,
    account: Account,
    product: Product | None = None,
    commodity: str | None = None,
) -> ProductRestriction:
    """One entry of the account's SU23 list: a product or a commodity."""
    assert account.id is not None
    product_id = product.id if product is not None else None
    row = ProductRestriction(account_id=account.id, product_id=product_id, commodity=commodity)
    session.add(row)
    await session.commit()
    return row


async def make_location(
    session: AsyncSession,
    *,
    code: str,
    accounts: Sequence[tuple[Account, bool]] = (),
    stock: Sequence[tuple[Product, int]] = (),
    **values: Any,
) -> Location:
    """A location with (account, is_primary) links and (product, quantity) stock."""
    location = Location(code=code, **{"name": f"Location {code}", **values})
    session.add(location)
    await session.flush()
    assert location.id is not None
    for account, primary in accounts:
        assert account.id is not None
        session.add(
            AccountLocation(account_id=account.id, location_id=location.id, is_primary=primary)
        )
    for product, quantity in stock:
        assert product.id is not None
        session.add(ProductStock(product_id=product.id, location_id=location.id, quantity=quantity))
    await session.commit()
    return location


async def make_enquiry_record(
    session: AsyncSession, *, account: Account, kind: EnquiryKind, **values: Any
) -> EnquiryRecord:
    assert account.id is not None
    n = next(_numbers)
    defaults: dict[str, Any] = {
        "number": f"DOC{n:05d}",
        "erp_key": f"ERP-DOC{n:05d}",
        "document_date": date(2026, 11, 1),
        "status": EnquiryStatus.OPEN,
        "amount": Decimal("100.00"),
    }
    record = EnquiryRecord(account_id=account.id, kind=kind, **{**defaults, **values})
    session.add(record)
    await session.commit()
    return record


async def make_favourites_list(
    session: AsyncSession,
    *,
    account: Account,
    owner: Contact,
    products: list[Product] | None = None,
    **values: Any,
) -> FavouritesList:
    assert account.id is not None and owner.id is not None
    favourites = FavouritesList(
        account_id=account.id, owner_contact_id=owner.id, **{"name": "Usuals", **values}
    )
    session.add(favourites)
    await session.flush()
    assert favourites.id is not None
    for product in products or []:
        assert product.id is not None
        session.add(FavouritesItem(list_id=favourites.id, product_id=product.id))
    await session.commit()
    return favourites


async def make_shipping_account(
    session: AsyncSession, *, account: Account, **values: Any
) -> ShippingAccount:
    assert account.id is not None
    defaults = {"carrier": "FedEx", "account_number": f"FX-{next(_numbers)}", "name": "FedEx"}
    shipping = ShippingAccount(account_id=account.id, **{**defaults, **values})
    session.add(shipping)
    await session.commit()
    return shipping


async def make_credit_card(
    session: AsyncSession, *, account: Account, owner: Contact | None, **values: Any
) -> CreditCard:
    """A vaulted card good until December of next year unless `values` say otherwise, saved by
    `owner` (None: by a worker, for the account's workers)."""
    assert account.id is not None
    defaults = {
        "token": f"tok_test_{next(_numbers)}",
        "brand": "Visa",
        "last4": "4242",
        "expiry_month": 12,
        "expiry_year": date.today().year + 1,
        "holder_name": "Card Holder",
    }
    card = CreditCard(
        account_id=account.id, contact_id=owner.id if owner else None, **{**defaults, **values}
    )
    session.add(card)
    await session.commit()
    return card


async def make_order(
    session: AsyncSession,
    *,
    account: Account,
    contact: Contact,
    subtotal: str,
    created_at: datetime | None = None,
    cost_centre: str | None = None,
) -> Order:
    """An order placed earlier (its cart checked out), e.g. in a budget's previous period."""
    assert account.id is not None and contact.id is not None
    cart = await make_cart(session, account=account, contact=contact, status=CartStatus.CHECKED_OUT)
    assert cart.id is not None
    order = Order(
        account_id=account.id,
        cart_id=cart.id,
        created_by_contact_id=contact.id,
        status=OrderStatus.PLACED,
        payment_type=PaymentType.ON_ACCOUNT,
        cost_centre=cost_centre,
        subtotal=Decimal(subtotal),
        total=Decimal(subtotal),
        created_at=created_at or utcnow(),
    )
    session.add(order)
    await session.commit()
    return order


async def make_budget(
    session: AsyncSession,
    *,
    account: Account,
    amount: str,
    scope: BudgetScope = BudgetScope.ACCOUNT,
    period: BudgetPeriod = BudgetPeriod.MONTH,
    over_budget_action: OverBudgetAction = OverBudgetAction.BLOCK,
    **values: Any,
) -> Budget:
    assert account.id is not None
    budget = Budget(
        account_id=account.id,
        scope=scope,
        period=period,
        amount=Decimal(amount),
        over_budget_action=over_budget_action,
        **values,
    )
    session.add(budget)
    await session.commit()
    return budget
