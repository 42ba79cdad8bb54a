"""Products, level prices and account prices: finding products, and the ERP feeds and staff
edits that keep them.

ERP feeds are idempotent upserts keyed by SKU (and account code, price level, quantity break);
account prices carry their source so a full ERP export never deletes a price entered on the
platform (seed 000).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlmodel import col

from core.context import Context
from domain.catalogue import validate_min_quantity, validate_price, validate_product
from domain.enums import RecordSource
from domain.erp import MAX_SYNC_BATCH, SyncOutcome
from domain.errors import DomainError, ErrorCode, nested, raise_if_any
from domain.validation import check_code, check_required
from loaders.pricing import LevelPricesByProductIdLoader, ProductByIdLoader, ProductBySkuLoader
from models import (
    Account,
    AccountProductPrice,
    Product,
    ProductLevelPrice,
    ProductRestriction,
)
from models.column_limits import and_column_errors, value_errors
from resolvers.access import managed_account
from resolvers.row_locks import for_update, lock_row
from resolvers.sync import RecordResult, apply_batch, changed


async def product_by_sku(context: Context, sku: str) -> Product | None:
    product: Product | None = await context.loader(ProductBySkuLoader).load(sku.strip().upper())
    return product


async def products_by_sku(context: Context, skus: Sequence[str]) -> list[Product | None]:
    """In `skus` order, in one query; None for an unknown SKU."""
    rows: list[Product | None] = await context.loader(ProductBySkuLoader).load_many(
        [sku.strip().upper() for sku in skus]
    )
    return rows


async def _product_or_refusal(context: Context, sku: str, *, field: str = "sku") -> Product:
    product = await product_by_sku(context, sku)
    if product is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No product with SKU {sku}", field=[field])
    return product


@dataclass(frozen=True)
class ProductRecord:
    sku: str
    name: str
    description: str | None = None
    unit: str = "EA"
    is_active: bool = True
    commodity: str | None = None
    erp_key: str | None = None
    # price level -> price; levels not named keep their price.
    level_prices: dict[str, Decimal] | None = None


def _level_price_errors(level: str, price: Decimal) -> list[DomainError]:
    values = {"price_level": level}
    errors = and_column_errors(check_code("priceLevel", level), ProductLevelPrice, values)
    return errors + validate_price(field="price", price=price)


async def upsert_product(context: Context, record: ProductRecord) -> SyncOutcome:
    sku = record.sku.strip().upper()
    product_values = {"sku": sku, "name": record.name, "unit": record.unit}
    errors = and_column_errors(validate_product(**product_values), Product, product_values)
    for index, (level, price) in enumerate((record.level_prices or {}).items()):
        errors += nested(["levelPrices", str(index)], _level_price_errors(level, price))
    raise_if_any(errors)
    product = await product_by_sku(context, sku)
    created = product is None
    if product is None:
        product = Product(sku=sku, name=record.name, created_at=context.now)
        context.session.add(product)
    values = {
        "name": record.name,
        "description": record.description,
        "unit": record.unit,
        "is_active": record.is_active,
        "commodity": record.commodity.strip().upper() if record.commodity else None,
        "erp_key": record.erp_key,
    }
    dirty = created or any(getattr(product, k) != v for k, v in values.items())
    for name, value in values.items():
        setattr(product, name, value)
    if dirty:
        product.updated_at = context.now
    await context.session.flush()
    assert product.id is not None
    if record.level_prices:
        levels = {level.strip().upper(): price for level, price in record.level_prices.items()}
        if any(await _put_level_prices(context, product.id, levels)):
            dirty = True
    return changed(created) if dirty else SyncOutcome.UNCHANGED


async def _put_level_prices(
    context: Context, product_id: int, prices: dict[str, Decimal]
) -> tuple[int, int]:
    """Set a product's price at each level named; (levels created, levels changed)."""
    rows = await context.loader(LevelPricesByProductIdLoader).load(product_id)
    existing = {row.price_level: row for row in rows}
    created = updated = 0
    for level, price in prices.items():
        row = existing.get(level)
        if row is None:
            context.session.add(
                ProductLevelPrice(product_id=product_id, price_level=level, price=price)
            )
            created += 1
        elif row.price != price:
            row.price = price
            updated += 1
    return created, updated


async def sync_products(
    context: Context, records: Sequence[ProductRecord], *, atomic: bool
) -> list[RecordResult]:
    return await apply_batch(
        context,
        records,
        lambda r: upsert_product(context, r),
        key=lambda r: r.sku.strip().upper(),
        atomic=atomic,
    )


@dataclass(frozen=True)
class LevelPriceRecord:
    sku: str
    price_level: str
    price: Decimal


async def upsert_level_price(context: Context, record: LevelPriceRecord) -> SyncOutcome:
    level = record.price_level.strip().upper()
    raise_if_any(_level_price_errors(level, record.price))
    product = await _product_or_refusal(context, record.sku)
    assert product.id is not None
    created, updated = await _put_level_prices(context, product.id, {level: record.price})
    if not (created or updated):
        return SyncOutcome.UNCHANGED
    return changed(created > 0)


def level_price_key(record: LevelPriceRecord) -> str:
    return f"{record.sku.strip().upper()}/{record.price_level.strip().upper()}"


def level_price_product(record: LevelPriceRecord) -> str:
    return record.sku.strip().upper()


async def sync_price_levels(
    context: Context, records: Sequence[LevelPriceRecord], *, atomic: bool, replace: bool = False
) -> list[RecordResult]:
    """ERP level prices. With `replace` the batch is the full price list of the products in it:
    their levels missing from it are deleted; other products' prices are not touched."""
    results = await apply_batch(
        context,
        records,
        lambda r: upsert_level_price(context, r),
        key=level_price_key,
        atomic=atomic,
    )
    if replace:
        results.extend(
            await delete_level_prices_missing(
                context,
                {level_price_key(r) for r in records},
                {level_price_product(r) for r in records},
            )
        )
    return results


async def delete_level_prices_missing(
    context: Context, kept: Collection[str], products: Collection[str] | None
) -> list[RecordResult]:
    """Delete the level prices of `products` (every product: None) whose key is not in `kept`."""
    statement = select(
        col(ProductLevelPrice.id), col(Product.sku), col(ProductLevelPrice.price_level)
    ).join(Product, col(Product.id) == col(ProductLevelPrice.product_id))
    if products is not None and len(products) <= MAX_SYNC_BATCH:
        statement = statement.where(col(Product.sku).in_(list(products)))
    rows = [
        (row.id, f"{row.sku}/{row.price_level}")
        for row in await context.db.execute(statement)
        if products is None or row.sku in products
    ]
    return await _delete_missing(context, ProductLevelPrice, rows, kept)


async def _delete_missing(
    context: Context,
    model: type[ProductLevelPrice] | type[AccountProductPrice],
    rows: Sequence[tuple[int, str]],
    kept: Collection[str],
) -> list[RecordResult]:
    """Delete the rows (id, key) whose key the ERP did not send; one DELETED result each."""
    missing = [(row_id, key) for row_id, key in rows if key not in kept]
    ids = [row_id for row_id, _ in missing]
    for start in range(0, len(ids), MAX_SYNC_BATCH):
        await context.db.execute(
            delete(model).where(col(model.id).in_(ids[start : start + MAX_SYNC_BATCH]))
        )
    context.clear_loaders()
    return [RecordResult(-1, key, SyncOutcome.DELETED) for _, key in missing]


@dataclass(frozen=True)
class AccountPriceRecord:
    account_code: str
    sku: str
    price: Decimal
    min_quantity: int = 1
    is_forced: bool = False


def account_price_key(record: AccountPriceRecord) -> str:
    return f"{account_price_account(record)}/{record.sku.strip().upper()}/{record.min_quantity}"


def account_price_account(record: AccountPriceRecord) -> str:
    return record.account_code.strip().upper()


async def put_account_price(
    context: Context, account: Account, record: AccountPriceRecord, *, source: RecordSource
) -> tuple[AccountProductPrice, SyncOutcome]:
    """Set one quantity tier of an account's price. An ERP record never overwrites a WEB price
    (the platform's override wins until staff remove it); a WEB price takes over an ERP one."""
    raise_if_any(
        [
            *validate_min_quantity(min_quantity=record.min_quantity),
            *validate_price(field="price", price=record.price),
        ]
    )
    product = await _product_or_refusal(context, record.sku)
    # Locked: the stored tier's source decides whether this record may overwrite it, so a
    # WEB price set meanwhile must not be overwritten by an ERP record that read it as ERP.
    row = await context.db.scalar(
        for_update(
            select(AccountProductPrice).where(
                col(AccountProductPrice.account_id) == account.id,
                col(AccountProductPrice.product_id) == product.id,
                col(AccountProductPrice.min_quantity) == record.min_quantity,
            )
        )
    )
    if row is not None and row.source is RecordSource.WEB and source is RecordSource.ERP:
        # Not a refusal: the ERP is told its price changed nothing, and a full export goes on.
        return row, SyncOutcome.UNCHANGED
    if row is not None and (row.price, row.is_forced, row.source) == (
        record.price,
        record.is_forced,
        source,
    ):
        return row, SyncOutcome.UNCHANGED
    created = row is None
    if row is None:
        assert account.id is not None and product.id is not None
        row = AccountProductPrice(
            account_id=account.id,
            product_id=product.id,
            min_quantity=record.min_quantity,
            price=record.price,
        )
        context.session.add(row)
    row.price = record.price
    row.is_forced = record.is_forced
    row.source = source
    row.updated_at = context.now
    return row, changed(created)


async def _account_by_code(context: Context, code: str, *, field: str) -> Account:
    account = await context.db.scalar(
        select(Account).where(col(Account.code) == code.strip().upper())
    )
    if account is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No account {code}", field=[field])
    found: Account = account
    return found


async def sync_account_prices(
    context: Context, records: Sequence[AccountPriceRecord], *, atomic: bool, replace: bool
) -> list[RecordResult]:
    """ERP account prices. With `replace` the batch is the full price list of the accounts in
    it: their ERP prices missing from it are deleted; other accounts' prices, and prices
    entered on the platform (WEB), are never touched (seed 000)."""

    async def apply(record: AccountPriceRecord) -> SyncOutcome:
        account = await _account_by_code(context, record.account_code, field="accountCode")
        _, outcome = await put_account_price(context, account, record, source=RecordSource.ERP)
        return outcome

    results = await apply_batch(context, records, apply, key=account_price_key, atomic=atomic)
    if replace:
        # A refused record still names a price the ERP has: it keeps its old value.
        results.extend(
            await delete_account_prices_missing(
                context,
                {account_price_key(r) for r in records},
                {account_price_account(r) for r in records},
            )
        )
    return results


async def delete_account_prices_missing(
    context: Context, kept: Collection[str], accounts: Collection[str] | None
) -> list[RecordResult]:
    """Delete the ERP prices of `accounts` (every account: None) whose key is not in `kept`."""
    statement = (
        select(
            col(AccountProductPrice.id),
            col(Account.code),
            col(Product.sku),
            col(AccountProductPrice.min_quantity),
        )
        .join(Account, col(Account.id) == col(AccountProductPrice.account_id))
        .join(Product, col(Product.id) == col(AccountProductPrice.product_id))
        .where(col(AccountProductPrice.source) == RecordSource.ERP)
    )
    if accounts is not None and len(accounts) <= MAX_SYNC_BATCH:
        statement = statement.where(col(Account.code).in_(list(accounts)))
    rows = [
        (row.id, f"{row.code}/{row.sku}/{row.min_quantity}")
        for row in await context.db.execute(statement)
        if accounts is None or row.code in accounts
    ]
    return await _delete_missing(context, AccountProductPrice, rows, kept)


async def set_account_price(
    context: Context,
    account_id: int | None,
    *,
    sku: str,
    price: Decimal,
    min_quantity: int,
    is_forced: bool,
) -> AccountProductPrice:
    """Staff enter a price on the platform (WEB): it survives every ERP feed."""
    account = await managed_account(context, account_id, field="accountId")
    record = AccountPriceRecord(
        account_code=account.code,
        sku=sku,
        price=price,
        min_quantity=min_quantity,
        is_forced=is_forced,
    )
    row, _ = await put_account_price(context, account, record, source=RecordSource.WEB)
    await context.session.flush()
    return row


async def products_by_id(context: Context, product_ids: Sequence[int]) -> list[Product]:
    rows = await context.loader(ProductByIdLoader).load_many(list(product_ids))
    return [row for row in rows if row is not None]


async def set_product_restrictions(
    context: Context,
    account_id: int | None,
    skus: Sequence[str],
    *,
    commodities: Sequence[str] = (),
) -> tuple[Account, list[ProductRestriction]]:
    """Seed 004 SU23: the account's restriction list becomes exactly `skus` and `commodities`
    ("products/commodities that are restricted for certain customers")."""
    account = await managed_account(context, account_id, field="accountId")
    errors: list[DomainError] = []
    codes: list[str] = []
    for index, commodity in enumerate(commodities):
        code = commodity.strip().upper()
        errors += [
            DomainError(e.code, e.message, field=["commodities", str(index)])
            for e in check_required("commodity", code) + check_code("commodity", code)
        ]
        errors += value_errors(
            ProductRestriction.commodity, code, field=["commodities", str(index)]
        )
        if code and code not in codes:
            codes.append(code)
    product_ids: list[int] = []
    for index, (sku, product) in enumerate(
        zip(skus, await products_by_sku(context, skus), strict=True)
    ):
        if product is None or product.id is None:
            errors.append(
                DomainError(
                    ErrorCode.NOT_FOUND, f"No product with SKU {sku}", field=["skus", str(index)]
                )
            )
        elif product.id not in product_ids:
            product_ids.append(product.id)
    raise_if_any(errors)
    assert account.id is not None
    # Two replacements at once would both delete the old list and leave the union (or a clash)
    # of theirs: they take turns on the account.
    await lock_row(context, Account, account.id)
    await context.db.execute(
        delete(ProductRestriction).where(col(ProductRestriction.account_id) == account.id)
    )
    rows = [ProductRestriction(account_id=account.id, product_id=pid) for pid in product_ids]
    rows += [ProductRestriction(account_id=account.id, commodity=code) for code in codes]
    context.session.add_all(rows)
    return account, rows
