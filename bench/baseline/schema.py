"""Strawberry types for the grid and account-detail documents, field names as Tradepost's."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension
from strawberry.types import Info

from bench.baseline import tables
from bench.baseline.loaders import Loaders
from core.tokens import token_hash


@dataclass
class Context:
    session: AsyncSession
    loaders: Loaders
    secret_key: str
    authorization: str | None


T = TypeVar("T")


@strawberry.type
class Connection(Generic[T]):
    nodes: list[T]


def _loaders(info: Info[Context, None]) -> Loaders:
    return info.context.loaders


def global_id(kind: str, key: int) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{kind}:{key}".encode()).decode())


@strawberry.enum
class MembershipRole(Enum):
    SHOPPER = "SHOPPER"
    APPROVER = "APPROVER"
    ADMINISTRATOR = "ADMINISTRATOR"


@strawberry.enum
class AddressKind(Enum):
    BILLING = "BILLING"
    SHIPPING = "SHIPPING"


@strawberry.enum
class CartStatus(Enum):
    OPEN = "OPEN"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    CHECKED_OUT = "CHECKED_OUT"


@strawberry.type
class Contact:
    name: str
    email: str | None


@strawberry.type
class Membership:
    row: strawberry.Private[tables.Membership]

    @strawberry.field
    def role(self) -> MembershipRole:
        return MembershipRole(self.row.role)

    @strawberry.field
    async def contact(self, info: Info[Context, None]) -> Contact:
        row = await _loaders(info).contact.load(self.row.contact_id)
        return Contact(name=row.name, email=row.email)


@strawberry.type
class Address:
    kind: AddressKind
    city: str
    postcode: str


def _address(row: tables.Address) -> Address:
    return Address(kind=AddressKind(row.kind), city=row.city, postcode=row.postcode)


@strawberry.type
class Product:
    sku: str
    name: str


@strawberry.type
class ContractProduct:
    row: strawberry.Private[tables.ContractProduct]

    @strawberry.field
    def price(self) -> Decimal:
        return self.row.price

    @strawberry.field
    def is_forced(self) -> bool:
        return self.row.is_forced

    @strawberry.field
    async def product(self, info: Info[Context, None]) -> Product:
        row = await _loaders(info).product.load(self.row.product_id)
        return Product(sku=row.sku, name=row.name)


@strawberry.type
class CartLine:
    row: strawberry.Private[tables.CartLine]

    @strawberry.field
    async def sku(self, info: Info[Context, None]) -> str:
        product: tables.Product = await _loaders(info).product.load(self.row.product_id)
        return product.sku

    @strawberry.field
    def quantity(self) -> int:
        return self.row.quantity

    @strawberry.field
    def unit_price(self) -> Decimal:
        return self.row.unit_price


@strawberry.type
class Cart:
    row: strawberry.Private[tables.Cart]

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def status(self) -> CartStatus:
        return CartStatus(self.row.status)

    @strawberry.field
    def total(self) -> Decimal:
        return self.row.total

    @strawberry.field
    async def lines(self, info: Info[Context, None]) -> list[CartLine]:
        return [CartLine(row=r) for r in await _loaders(info).cart_lines.load(self.row.id)]


@strawberry.type
class Contract:
    row: strawberry.Private[tables.Contract]

    @strawberry.field
    def code(self) -> str:
        return self.row.code

    @strawberry.field
    def expires_on(self) -> date:
        return self.row.expires_on

    @strawberry.field
    async def products(
        self, info: Info[Context, None], first: int = 20
    ) -> Connection[ContractProduct]:
        rows = await _loaders(info).contract_products.load((self.row.id, first))
        return Connection(nodes=[ContractProduct(row=r) for r in rows])


@strawberry.type
class Account:
    row: strawberry.Private[tables.Account]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return global_id("Account", self.row.id)

    @strawberry.field
    def code(self) -> str:
        return self.row.code

    @strawberry.field
    def company_name(self) -> str:
        return self.row.company_name

    @strawberry.field
    def is_on_hold(self) -> bool:
        return self.row.is_on_hold

    @strawberry.field
    def balance(self) -> Decimal:
        return self.row.balance

    @strawberry.field
    async def primary_address(self, info: Info[Context, None]) -> Address | None:
        rows = await _loaders(info).addresses.load(self.row.id)
        return next((_address(r) for r in rows if r.is_primary), None)

    @strawberry.field
    async def addresses(self, info: Info[Context, None]) -> Connection[Address]:
        return Connection(
            nodes=[_address(r) for r in await _loaders(info).addresses.load(self.row.id)]
        )

    @strawberry.field
    async def memberships(self, info: Info[Context, None]) -> Connection[Membership]:
        rows = await _loaders(info).memberships.load(self.row.id)
        return Connection(nodes=[Membership(row=r) for r in rows])

    @strawberry.field
    async def contacts(self, info: Info[Context, None], first: int = 20) -> Connection[Contact]:
        rows = await _loaders(info).contacts.load((self.row.id, first))
        return Connection(nodes=[Contact(name=r.name, email=r.email) for r in rows])

    @strawberry.field
    async def contracts(self, info: Info[Context, None]) -> Connection[Contract]:
        rows = await _loaders(info).contracts.load(self.row.id)
        return Connection(nodes=[Contract(row=r) for r in rows])

    @strawberry.field
    async def carts(self, info: Info[Context, None], first: int = 20) -> Connection[Cart]:
        rows = await _loaders(info).carts.load((self.row.id, first))
        return Connection(nodes=[Cart(row=r) for r in rows])


async def require_worker(context: Context) -> None:
    """The documents' one rule: a live session of an active worker (who sees every account)."""
    scheme, _, token = (context.authorization or "").partition(" ")
    statement = (
        select(tables.Worker.id)
        .join(tables.Session, tables.Session.worker_id == tables.Worker.id)
        .where(
            tables.Session.token_hash == token_hash(context.secret_key, token),
            tables.Session.revoked_at.is_(None),
            tables.Session.expires_at > datetime.now(UTC),
            tables.Worker.is_active,
        )
    )
    if scheme.lower() != "bearer" or await context.session.scalar(statement) is None:
        raise GraphQLError("a worker's login is needed", extensions={"code": "FORBIDDEN"})


@strawberry.type
class Query:
    @strawberry.field
    async def accounts(self, info: Info[Context, None], first: int = 20) -> Connection[Account]:
        await require_worker(info.context)
        rows = await info.context.session.scalars(
            select(tables.Account).order_by(tables.Account.code, tables.Account.id).limit(first)
        )
        return Connection(nodes=[Account(row=r) for r in rows])

    @strawberry.field
    async def account(self, info: Info[Context, None], code: str) -> Account | None:
        await require_worker(info.context)
        row = await info.context.session.scalar(
            select(tables.Account).where(tables.Account.code == code)
        )
        return Account(row=row) if row else None


class CloseSession(SchemaExtension):
    """The request's session ends with its operation."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        await self.execution_context.context.session.close()


schema = strawberry.Schema(query=Query, extensions=[CloseSession])
