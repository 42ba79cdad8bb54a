"""Test data factories: keyword arguments in, committed rows out."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.passwords import hash_password
from domain.enquiry import EnquiryKind, EnquiryStatus
from domain.enums import AddressKind, ApiKeyScope, MembershipRole, PaymentType, WorkerRole
from models import (
    Account,
    AccountMembership,
    Address,
    Contact,
    EnquiryRecord,
    FavouritesItem,
    FavouritesList,
    Invoice,
    Product,
    Worker,
)
from models.types import utcnow
from resolvers.auth import issue_api_key

PASSWORD = "correct-horse-battery"
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
    session: AsyncSession, *, username: str, role: WorkerRole, rep_code: str | None = None
) -> Worker:
    worker = Worker(
        username=username,
        name=username.title(),
        password_hash=_hashed(),
        role=role,
        rep_code=rep_code,
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


async def make_api_key(session: AsyncSession, *, scopes: list[ApiKeyScope], secret_key: str) -> str:
    """An integrator's key; returns the secret to send as the bearer token."""
    secret, _ = await issue_api_key(session, secret_key, "test key", scopes, utcnow())
    await session.commit()
    return secret


async def make_product(session: AsyncSession, **values: Any) -> Product:
    n = next(_numbers)
    product = Product(**{"sku": f"SKU{n:05d}", "name": f"Product {n}", **values})
    session.add(product)
    await session.commit()
    return product


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
