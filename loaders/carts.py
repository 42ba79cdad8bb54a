"""Loaders of carts, orders and what they refer to."""

from __future__ import annotations

from loaders.base import RowByKeyLoader, RowsByKeyLoader
from loaders.pages import PageLoader
from models import Cart, CartEvent, CartLine, CostCentre, ErpExport, Order, OrderLine


class CartByIdLoader(RowByKeyLoader[Cart]):
    model = Cart


class CartLineByIdLoader(RowByKeyLoader[CartLine]):
    model = CartLine


class CartLinesByCartIdLoader(RowsByKeyLoader[CartLine]):
    model = CartLine
    key_column = "cart_id"


class CartEventPagesLoader(PageLoader):
    model = CartEvent
    key_column = "cart_id"


class CostCentresByAccountIdLoader(RowsByKeyLoader[CostCentre]):
    model = CostCentre
    key_column = "account_id"
    order_by = ("account_id", "code")


class OrderByIdLoader(RowByKeyLoader[Order]):
    model = Order


class OrderByCartIdLoader(RowByKeyLoader[Order]):
    model = Order
    key_column = "cart_id"


class OrderLineByIdLoader(RowByKeyLoader[OrderLine]):
    model = OrderLine


class OrderLinesByOrderIdLoader(RowsByKeyLoader[OrderLine]):
    model = OrderLine
    key_column = "order_id"


class ErpExportByIdLoader(RowByKeyLoader[ErpExport]):
    model = ErpExport


class CostCentreByIdLoader(RowByKeyLoader[CostCentre]):
    model = CostCentre
