"""Loaders of spending budgets."""

from __future__ import annotations

from loaders.base import RowByKeyLoader, RowsByKeyLoader
from models import Budget


class BudgetByIdLoader(RowByKeyLoader[Budget]):
    model = Budget


class BudgetsByAccountIdLoader(RowsByKeyLoader[Budget]):
    model = Budget
    key_column = "account_id"
    order_by = ("account_id", "id")
