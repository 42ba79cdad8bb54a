"""The `info` every resolver receives, typed with Tradepost's request context; a subscription's
with the connection's (`LiveContext`, a `Context` that outlives one request)."""

from __future__ import annotations

import strawberry

from core.context import Context, LiveContext

Info = strawberry.Info[Context, None]
LiveInfo = strawberry.Info[LiveContext, None]
