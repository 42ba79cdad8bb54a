"""Loaders of the system e-mail outbox."""

from __future__ import annotations

from loaders.base import RowByKeyLoader
from models import OutboxEmail


class OutboxEmailByIdLoader(RowByKeyLoader[OutboxEmail]):
    model = OutboxEmail
