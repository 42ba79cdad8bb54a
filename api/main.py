"""The ASGI application for uvicorn (`uvicorn api.main:app`)."""

from __future__ import annotations

from api.app import create_app
from api.logs import configure_logging
from core.settings import get_settings

configure_logging(get_settings())
app = create_app(get_settings())
