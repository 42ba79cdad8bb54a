"""The Starlette application: `/graphql` (GraphiQL in a browser, subscriptions over a websocket),
`/graphql/schema.graphql` (the SDL, for staff), `/healthz` and `/readyz`."""

from __future__ import annotations

import dataclasses
import gc
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.http.ides import get_graphql_ide_html
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api.errors import (
    GRAPHQL_RESPONSE_JSON,
    request_error_response,
    unexpected_error_response,
    wants_graphql_response_json,
)
from api.logs import request_logger
from api.readiness import readiness
from api.request_body import decode_json, limited_receive, refuse_long_query_string
from api.security_headers import SecurityHeaders
from core.authentication import AuthenticationFailed, authenticate, bearer_token
from core.broker import broker
from core.context import Context, LiveContext
from core.database import (
    count_statements,
    create_engine,
    create_sessionmaker,
    dispose,
    request_session,
)
from core.settings import Settings, get_settings
from domain.credential_requests import client_address
from models.types import utcnow
from schema.error_masking import mask_unexpected_errors
from schema.schema import build_schema

# `make graphiql-assets` installs GraphiQL's npm packages here (git-ignored).
GRAPHIQL_ASSETS = Path(__file__).resolve().parent.parent / "static" / "graphiql" / "node_modules"
GRAPHIQL_ASSETS_PATH = "/graphiql-assets"
_CDN_ASSET = re.compile(r"https://unpkg\.com/((?:@[^/@\s]+/)?[^/@\s]+)@([^/\s]+)/")


def graphiql_packages() -> list[str]:
    """The npm packages (name@version) GraphiQL's page loads, for `make graphiql-assets`."""
    html = get_graphql_ide_html(graphql_ide="graphiql")
    return sorted({match.group(1) + "@" + match.group(2) for match in _CDN_ASSET.finditer(html)})


def serves_graphiql_assets(settings: Settings) -> bool:
    """Whether GraphiQL's page loads its assets from this server; unset, it does when they are
    installed, and otherwise says once, at start-up, that the page needs the CDN."""
    if not settings.graphiql:
        return False
    if settings.graphiql_local_assets is not None:
        return settings.graphiql_local_assets
    if GRAPHIQL_ASSETS.is_dir():
        return True
    logging.getLogger("tradepost").warning(
        "GraphiQL's assets are not installed here (`make graphiql-assets`, which needs npm): "
        "GraphiQL loads them from unpkg.com and stays a blank page where that is unreachable"
    )
    return False


def local_graphiql_html(html: str) -> str:
    """GraphiQL's page with its CDN scripts and styles served by this server instead (the files
    are the npm packages' own, so the pages' integrity hashes still hold)."""
    if not GRAPHIQL_ASSETS.is_dir():
        raise RuntimeError(
            f"GRAPHIQL_LOCAL_ASSETS is on but {GRAPHIQL_ASSETS} is missing: "
            "run `make graphiql-assets`"
        )
    return _CDN_ASSET.sub(rf"{GRAPHIQL_ASSETS_PATH}/\1/", html)


class TradepostGraphQL(GraphQL[Context, Any]):
    """Strawberry's ASGI view with a database session and an authenticated viewer per request."""

    def __init__(
        self, *, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
    ) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.graphiql else None,
            # Never multipart: a form post is a request a browser sends cross-site unasked.
            multipart_uploads_enabled=False,
            # Subscriptions over graphql-transport-ws only (the older graphql-ws is unmaintained).
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        )
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.requests_served = 0
        self.ide_html = super().graphql_ide_html
        self.local_assets = serves_graphiql_assets(settings)
        if self.local_assets:
            self.ide_html = local_graphiql_html(self.ide_html)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self.ide_html)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            receive = limited_receive(scope, receive, self.settings.max_request_body_bytes)
        await super().__call__(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json(data)

    async def run(  # type: ignore[override]
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response | WebSocket:
        if not isinstance(request, Request):
            live = LiveContext(
                request=None,
                settings=self.settings,
                session=self.sessionmaker(),
                sessionmaker=self.sessionmaker,
            )
            return await super().run(request, live, root_value)
        started = time.perf_counter()
        response: Response | None = None
        async with request_session(self.sessionmaker, reading=True) as session:
            context = Context(
                request=request,
                settings=self.settings,
                session=session,
                client_ip=client_address(
                    peer=request.client.host if request.client else None,
                    forwarded_for=request.headers.get("x-forwarded-for"),
                    trusted_proxies=self.settings.trusted_proxies,
                ),
            )
            count_statements(session, context.statements)
            try:
                response = await self._respond(request, context, root_value)
            finally:
                # Fields cancelled by a failing sibling may leave statements running.
                await context.db.settle()
                context.clear_loaders()
                request_logger.info(
                    "request",
                    extra={
                        "request_id": context.request_id,
                        "operation_name": ",".join(context.operation_names) or None,
                        "status": response.status_code if response else 500,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "sql_statements": context.statements.count,
                        "read_path": context.read_path,
                    },
                )
        response.headers["X-Request-Id"] = context.request_id
        self.requests_served += 1
        if self.requests_served == WARM_UP_REQUESTS:
            freeze_long_lived_objects()
        return response

    async def _respond(self, request: Request, context: Context, root_value: Any) -> Response:
        """The response, however the request ends: a refusal of the request itself (Strawberry's
        and ours) and an unexpected exception are GraphQL-over-HTTP error bodies too."""
        try:
            # Within the size limits before anything else, so a refused body costs no database work.
            refuse_long_query_string(request.scope, self.settings.max_request_body_bytes)
            if request.method == "POST":
                await request.body()
            return await self._run_as_viewer(request, context, root_value)
        except HTTPException as refusal:
            return request_error_response(request, refusal.status_code, refusal.reason)
        except ClientDisconnect:
            # Nobody is left to answer; not a server error to log as one.
            return Response(status_code=400)
        except Exception as error:
            if self.settings.debug:
                raise  # Starlette's trace page
            return unexpected_error_response(request, error, context.request_id)

    async def _run_as_viewer(self, request: Request, context: Context, root_value: Any) -> Response:
        try:
            token = bearer_token(request.headers.get("authorization"))
            context.viewer = await authenticate(
                context.session, secret_key=self.settings.secret_key, token=token, now=utcnow()
            )
        except AuthenticationFailed as failure:
            return JSONResponse(
                {
                    "data": None,
                    "errors": [
                        {"message": str(failure), "extensions": {"code": "UNAUTHENTICATED"}}
                    ],
                },
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        # A query goes on reading in the transaction authentication began; a mutation ends it and
        # opens a writer's (`core.unit_of_work`).
        response = await super().run(request, context, root_value)
        assert isinstance(response, Response)
        if wants_graphql_response_json(request) and response.media_type == "application/json":
            # GraphQL over HTTP: with its own media type, an operation that never ran (a parse,
            # validation, variable or limit error) is a 400 without `data`.
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            if getattr(request.state, "operation_never_ran", False) and response.status_code == 200:
                response.status_code = 400
        return response

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """The connection's token, from `connection_init`'s payload (`{"Authorization": "Bearer
        …"}` as the header, or `{"token": …}`): a bad one closes the connection (4403)."""
        assert isinstance(context, LiveContext)
        params = context.connection_params
        authorization, token = params.get("Authorization"), params.get("token")
        try:
            if token is None:
                token = bearer_token(authorization if isinstance(authorization, str) else None)
            if token is not None and not isinstance(token, str):
                raise AuthenticationFailed("The token must be a string")
            context.token = token
            async with context.reading():
                pass
        except AuthenticationFailed as failure:
            raise ConnectionRejectionError({"message": str(failure)}) from failure
        return UnsetType()  # acknowledged without a payload

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        processed = await super().process_result(request, result)
        never_ran = result.data is None and all(e.path is None for e in result.errors or [])
        if never_ran and result.errors and wants_graphql_response_json(request):
            processed.pop("data", None)
            request.state.operation_never_ran = True
        return processed

    async def execute_single(
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Response,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Every operation's result, of a batch too, passes here: mask its unexpected errors."""
        result = await super().execute_single(
            request=request,
            request_adapter=request_adapter,
            sub_response=sub_response,
            context=context,
            root_value=root_value,
            request_data=request_data,
        )
        mask_unexpected_errors(result, context)
        if context.database_unavailable:
            sub_response.status_code = 503
        return result

    async def execute_operation(
        self,
        request: Request,
        request_adapter: Any,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: Any,
        sub_response: Any,
    ) -> Any:
        if not isinstance(request_data, list):
            return await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            )
        # A batch runs its operations one after another, each in its own unit of work (its own
        # session and loaders), never concurrently on one session; every aliased or batched
        # mutation runs, so rate limits count each one.
        results = []
        for data in request_data:
            async with request_session(self.sessionmaker, reading=True) as session:
                count_statements(session, context.statements)
                unit = dataclasses.replace(context, session=session)
                results.append(
                    await self.execute_single(
                        request=request,
                        request_adapter=request_adapter,
                        sub_response=sub_response,
                        context=unit,
                        root_value=root_value,
                        request_data=data,
                    )
                )
                await unit.db.settle()
                unit.clear_loaders()
        return results


# CPython's (700, 10, 10) collected the youngest generation two or three times a request, and
# after `gc.freeze()` its guard against full collections (a quarter more long-lived objects than
# the last one saw) sees none, so every tenth middle collection walked the whole heap: at 32
# concurrent grid requests 15 full collections in 640 requests, up to 74 ms each. A request's
# own objects are freed by reference counting (`Context.clear_loaders`), so fewer, larger young
# collections and a full one only after 100 middle ones.
GC_THRESHOLDS = (5_000, 20, 100)
# After this many requests, what they left for the life of the process (SQLAlchemy's compiled
# statements, GraphQL's parsed documents, the pools' connections) is frozen as well.
WARM_UP_REQUESTS = 1_000


def freeze_long_lived_objects() -> None:
    """Hide what start-up built (modules, the schema, the ORM's mappers: hundreds of thousands of
    objects that live as long as the process), and again what warm-up added, from the cyclic
    garbage collector. Its full collections walk every tracked object, and a request allocates
    enough to trigger them often: measured here, `{ __typename }` cost 1.0 ms of CPU with them
    and 0.3 ms without. The collection before the freeze is one pause, once."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    settings = settings or get_settings()
    engine = engine or create_engine(
        settings.database_url,
        echo=settings.sql_echo,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    sessionmaker = create_sessionmaker(engine)
    graphql = TradepostGraphQL(settings=settings, sessionmaker=sessionmaker)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def schema_sdl(request: Request) -> Response:
        """The SDL for staff, which works with introspection off (`INTROSPECTION=false`)."""
        async with request_session(sessionmaker, reading=True) as session:
            try:
                viewer = await authenticate(
                    session,
                    secret_key=settings.secret_key,
                    token=bearer_token(request.headers.get("authorization")),
                    now=utcnow(),
                )
            except AuthenticationFailed as failure:
                viewer, refusal = None, str(failure)
        if viewer is None or not viewer.is_authenticated:
            return PlainTextResponse(
                refusal if viewer is None else "Log in as a staff worker",
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not viewer.is_staff:
            return PlainTextResponse("Only ADMIN and CUSTOMER_SERVICE workers", status_code=403)
        return PlainTextResponse(
            graphql.schema.as_str() + "\n", headers={"Cache-Control": "no-store"}
        )

    async def readyz(_: Request) -> Response:
        status_code, status = await readiness(engine, sessionmaker)
        return JSONResponse({"status": status}, status_code=status_code)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        freeze_long_lived_objects()
        await broker.start(settings.database_url)
        yield
        await broker.stop()
        await dispose(engine)

    routes: list[BaseRoute] = [
        # Every method reaches the view, so even a 405 is logged and carries a request id.
        Route("/graphql", graphql),
        WebSocketRoute("/graphql", graphql),
        Route("/graphql/schema.graphql", schema_sdl),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    if graphql.local_assets:
        routes.append(Mount(GRAPHIQL_ASSETS_PATH, StaticFiles(directory=GRAPHIQL_ASSETS)))
    app = Starlette(
        debug=settings.debug,
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(SecurityHeaders)],
    )
    app.state.settings = settings
    app.state.engine = engine
    return app
