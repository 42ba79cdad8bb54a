"""Loaders of credentials: integrators' API keys."""

from __future__ import annotations

from loaders.base import RowByKeyLoader
from models import ApiKey


class ApiKeyByIdLoader(RowByKeyLoader[ApiKey]):
    model = ApiKey
