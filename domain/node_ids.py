"""Global IDs (API.md "Identity and lists"): base64 of `Type:key`. Defined below the schema so
the payloads the platform sends elsewhere (webhooks) name objects as the API does."""

from __future__ import annotations

import base64


def encode_global_id(type_name: str, key: int | str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()
