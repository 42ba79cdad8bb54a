"""Loaders of quotes, their lines and their history."""

from __future__ import annotations

from loaders.base import RowByKeyLoader, RowsByKeyLoader
from models import Quote, QuoteEvent, QuoteLine


class QuoteByIdLoader(RowByKeyLoader[Quote]):
    model = Quote


class QuoteByOrderIdLoader(RowByKeyLoader[Quote]):
    model = Quote
    key_column = "order_id"


class QuoteByOrderCartIdLoader(RowByKeyLoader[Quote]):
    model = Quote
    key_column = "order_cart_id"


class QuoteLineByIdLoader(RowByKeyLoader[QuoteLine]):
    model = QuoteLine


class QuoteLinesByQuoteIdLoader(RowsByKeyLoader[QuoteLine]):
    model = QuoteLine
    key_column = "quote_id"


class QuoteEventsByQuoteIdLoader(RowsByKeyLoader[QuoteEvent]):
    model = QuoteEvent
    key_column = "quote_id"
