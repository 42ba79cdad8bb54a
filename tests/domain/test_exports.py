"""domain.exports.account_travels_with_order (seed 000)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.enums import RecordSource
from domain.exports import account_travels_with_order

MON, TUE, WED = (datetime(2026, 11, day, tzinfo=UTC) for day in (23, 24, 25))


@pytest.mark.parametrize(
    ("source", "created", "updated", "synced", "exported", "travels"),
    [
        (RecordSource.WEB, MON, MON, None, None, True),
        (RecordSource.WEB, MON, TUE, None, TUE, False),
        (RecordSource.WEB, MON, WED, None, TUE, True),
        (RecordSource.ERP, MON, MON, None, None, False),
        (RecordSource.ERP, MON, TUE, None, None, True),
        (RecordSource.ERP, MON, TUE, WED, None, False),
    ],
    ids=[
        "web account, first order",
        "web account, unchanged since its export",
        "web account, edited since its export",
        "ERP account, never edited",
        "ERP account, edited on the web",
        "ERP account, imported again since",
    ],
)
def test_account_travels_with_order(
    source: RecordSource,
    created: datetime,
    updated: datetime,
    synced: datetime | None,
    exported: datetime | None,
    travels: bool,
) -> None:
    assert (
        account_travels_with_order(
            source=source,
            created_at=created,
            updated_at=updated,
            last_synced_at=synced,
            last_exported_at=exported,
        )
        is travels
    )
