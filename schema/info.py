"""The `info` every resolver receives, typed with Tradepost's request context."""

from __future__ import annotations

import strawberry

from core.context import Context

Info = strawberry.Info[Context, None]
