"""Alembic configuration built in code, so `tradepost migrate` works from any directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic.config import Config

from models.search_index import is_search_table
from models.types import ONLY_ON

HERE = Path(__file__).parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("path_separator", "os")
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("version_locations", str(HERE / "versions"))
    config.attributes["database_url"] = database_url
    return config


def include_object_for(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for a database of `dialect`: leaves out the models' objects
    made for another database only (PostgreSQL's trigram indexes), since Alembic's comparison
    does not read `ddl_if`; and SQLite's search tables, which are no model's
    (`models.search_index`)."""

    def include_object(obj: Any, name: Any, type_: str, reflected: bool, _to: Any) -> bool:
        if type_ == "table" and reflected and is_search_table(name):
            return False
        only_on = getattr(obj, "info", {}).get(ONLY_ON) if type_ == "index" else None
        return reflected or only_on in (None, dialect)

    return include_object
