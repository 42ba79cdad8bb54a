"""The domain's enums, exposed to GraphQL under the same names."""

from __future__ import annotations

import strawberry

from domain.access import ViewerKind, WorkerPermission
from domain.enums import (
    AddressKind,
    ApiKeyScope,
    CreditAction,
    MembershipRole,
    PaymentTermsKind,
    PaymentType,
    RecordSource,
    WorkerRole,
)

for _enum in (
    AddressKind,
    CreditAction,
    MembershipRole,
    PaymentTermsKind,
    PaymentType,
    RecordSource,
    ViewerKind,
    WorkerPermission,
    WorkerRole,
):
    strawberry.enum(_enum)

strawberry.enum(ApiKeyScope, name="ApiKeyScope")

__all__ = [
    "AddressKind",
    "ApiKeyScope",
    "CreditAction",
    "MembershipRole",
    "PaymentTermsKind",
    "PaymentType",
    "RecordSource",
    "ViewerKind",
    "WorkerPermission",
    "WorkerRole",
]
