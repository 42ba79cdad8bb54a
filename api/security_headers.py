"""Security headers on every response, as the OWASP Secure Headers Project and REST Security
Cheat Sheet recommend for a JSON API: no MIME sniffing, no caching of anything a viewer was
shown, no referrer, never framed, and a content policy that lets a JSON response load nothing.

GraphiQL's page keeps the framing, plug-in and base-URL rules but not `default-src 'none'`, which
would stop its own scripts. HSTS is sent only on HTTPS (behind a proxy: when `TRUSTED_PROXIES`
lets uvicorn read X-Forwarded-Proto); browsers ignore it over plain HTTP. A pure ASGI
middleware: it only adds headers to the response's start message."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_NO_STORE = (b"cache-control", b"no-store")
_API_POLICY = (
    b"content-security-policy",
    b"default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
)
_PAGE_POLICY = (
    b"content-security-policy",
    b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
)
_HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_headers_for(message, https)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers_for(start: Message, https: bool) -> list[tuple[bytes, bytes]]:
    names = {name.lower(): value for name, value in start.get("headers", [])}
    added = list(_ALWAYS)
    # Every response may carry a viewer's data (prices are per account): caches keep none.
    if b"cache-control" not in names:
        added.append(_NO_STORE)
    if b"content-security-policy" not in names:
        is_page = names.get(b"content-type", b"").startswith(b"text/html")
        added.append(_PAGE_POLICY if is_page else _API_POLICY)
    if https:
        added.append(_HSTS)
    return added
