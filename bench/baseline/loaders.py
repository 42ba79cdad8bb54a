"""One aiodataloader per relation, made per request: a relation costs one statement per level."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Coroutine, Hashable, Iterable, Sequence
from functools import partial
from typing import Any

from aiodataloader import DataLoader
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bench.baseline.tables import (
    Address,
    Cart,
    CartLine,
    Contact,
    Contract,
    ContractAccount,
    ContractProduct,
    Membership,
    Product,
)

# A page of a relation: (parent id, first).
Page = tuple[int, int]


def _loader(batch: partial[Coroutine[Any, Any, list[Any]]]) -> DataLoader[Any, Any]:
    return DataLoader(batch_load_fn=batch)


def _grouped(rows: Iterable[tuple[Hashable, Any]], keys: Sequence[Hashable]) -> list[list[Any]]:
    groups: dict[Hashable, list[Any]] = defaultdict(list)
    for parent, row in rows:
        groups[parent].append(row)
    return [groups.get(key, []) for key in keys]


async def _by_id(session: AsyncSession, entity: Any, ids: list[int]) -> list[Any]:
    found = {row.id: row for row in await session.scalars(select(entity).where(entity.id.in_(ids)))}
    return [found.get(key) for key in ids]


async def _children(
    session: AsyncSession, entity: Any, parent: Any, order: Any, parents: list[int]
) -> list[list[Any]]:
    rows = await session.scalars(select(entity).where(parent.in_(parents)).order_by(order))
    return _grouped(((getattr(row, parent.key), row) for row in rows), parents)


async def _pages(
    session: AsyncSession,
    query: Select[Any],
    entity: Any,
    parent: Any,
    order: Sequence[Any],
    pages: list[Page],
) -> list[list[Any]]:
    """The first N children of each parent in one statement (ROW_NUMBER per parent)."""
    first = max(n for _, n in pages)
    position = func.row_number().over(partition_by=parent, order_by=order).label("position")
    ranked = (
        query.add_columns(parent.label("parent"), position)
        .where(parent.in_({p for p, _ in pages}))
        .subquery()
    )
    row = aliased(entity, ranked)
    statement = (
        select(row, ranked.c.parent)
        .where(ranked.c.position <= first)
        .order_by(ranked.c.parent, ranked.c.position)
    )
    by_parent = _grouped(
        ((p, r) for r, p in await session.execute(statement)), [p for p, _ in pages]
    )
    return [rows[:n] for rows, (_, n) in zip(by_parent, pages, strict=True)]


class Loaders:
    """The request's dataloaders over its session."""

    def __init__(self, session: AsyncSession) -> None:
        self.contact = _loader(partial(_by_id, session, Contact))
        self.product = _loader(partial(_by_id, session, Product))
        self.addresses = _loader(
            partial(_children, session, Address, Address.account_id, Address.id)
        )
        self.memberships = _loader(
            partial(_children, session, Membership, Membership.account_id, Membership.id)
        )
        self.cart_lines = _loader(
            partial(_children, session, CartLine, CartLine.cart_id, CartLine.id)
        )
        self.contracts = _loader(partial(_contracts, session))
        self.contacts = _loader(
            partial(
                _pages,
                session,
                select(Contact).join(Membership, Membership.contact_id == Contact.id),
                Contact,
                Membership.account_id,
                [Contact.name, Contact.id],
            )
        )
        self.contract_products = _loader(
            partial(
                _pages,
                session,
                select(ContractProduct),
                ContractProduct,
                ContractProduct.contract_id,
                [ContractProduct.id],
            )
        )
        self.carts = _loader(
            partial(
                _pages,
                session,
                select(Cart),
                Cart,
                Cart.account_id,
                [Cart.updated_at.desc(), Cart.id.desc()],
            )
        )


async def _contracts(session: AsyncSession, accounts: list[int]) -> list[list[Contract]]:
    statement = (
        select(ContractAccount.account_id, Contract)
        .join(Contract, Contract.id == ContractAccount.contract_id)
        .where(ContractAccount.account_id.in_(accounts))
        .order_by(ContractAccount.account_id, ContractAccount.contract_id)
    )
    return _grouped(((a, c) for a, c in await session.execute(statement)), accounts)
