"""What travels to the ERP with an order (seed 000, "Account information and address")."""

from __future__ import annotations

from datetime import datetime

from domain.enums import RecordSource


def account_travels_with_order(
    *,
    source: RecordSource,
    created_at: datetime,
    updated_at: datetime,
    last_synced_at: datetime | None,
    last_exported_at: datetime | None,
) -> bool:
    """Seed 000: a web-created account goes to the ERP with its first order, and "changes will
    import to the ERP system on the first order following the data change" — an account edited
    on the web since the ERP last saw it (its creation there, its last import or its last
    export) goes along."""
    seen = [moment for moment in (last_synced_at, last_exported_at) if moment is not None]
    if source is RecordSource.ERP:
        seen.append(created_at)
    if not seen:
        return True
    return updated_at > max(seen)
