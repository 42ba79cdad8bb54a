"""Keyed and page loaders build each statement once and share it between requests
(`loaders.base.KeyedLoader`, `loaders.pages.PageLoader`). A loader whose statement reads the
request (the viewer's visibility, kept by its `for_request`) must not: it says `per_request`."""

from __future__ import annotations

from collections.abc import Iterator

import api.app  # noqa: F401  (every loader module, imported by the app)
from loaders.base import KeyedLoader, RowLoader
from loaders.pages import PageLoader


def loader_classes(root: type[RowLoader] = RowLoader) -> Iterator[type[RowLoader]]:
    for subclass in root.__subclasses__():
        yield subclass
        yield from loader_classes(subclass)


def keeps_the_request(loader: type[RowLoader]) -> bool:
    """Whether a class between the loader and `RowLoader` overrides `for_request`."""
    return any("for_request" in vars(cls) for cls in loader.__mro__ if cls is not RowLoader)


def test_a_loader_that_keeps_the_request_builds_its_statements_per_request() -> None:
    shared = [
        loader
        for loader in set(loader_classes())
        if issubclass(loader, (KeyedLoader, PageLoader)) and keeps_the_request(loader)
    ]
    assert shared, "no such loader: the check checks nothing"
    assert [loader.__name__ for loader in shared if not loader.per_request] == []
