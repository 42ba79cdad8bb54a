"""Operation-level access: who may call a field at all. Object-level rules (which accounts) live
in `domain.access`; an object the viewer may not read resolves to null like a missing one."""

from __future__ import annotations

from graphql import GraphQLError

from domain.access import Viewer
from domain.enums import ApiKeyScope


def unauthenticated() -> GraphQLError:
    return GraphQLError("Sign in to do this", extensions={"code": "UNAUTHENTICATED"})


def forbidden(why: str = "You may not do this") -> GraphQLError:
    return GraphQLError(why, extensions={"code": "FORBIDDEN"})


def require_authenticated(viewer: Viewer) -> Viewer:
    if not viewer.is_authenticated:
        raise unauthenticated()
    return viewer


def require_staff(viewer: Viewer) -> Viewer:
    """ADMIN or CUSTOMER_SERVICE workers."""
    if not require_authenticated(viewer).is_staff:
        raise forbidden("Only ADMIN and CUSTOMER_SERVICE workers may do this")
    return viewer


def require_admin(viewer: Viewer) -> Viewer:
    if not require_authenticated(viewer).is_admin:
        raise forbidden("Only ADMIN workers may do this")
    return viewer


def require_worker(viewer: Viewer) -> Viewer:
    """Workers of any role (staff and sales reps); which accounts is the resolver's rule."""
    if require_authenticated(viewer).worker_id is None:
        raise forbidden("Only workers may do this")
    return viewer


def require_people(viewer: Viewer) -> Viewer:
    """Contacts and workers: operations for people, not integrators' API keys."""
    if require_authenticated(viewer).api_key_id is not None:
        raise forbidden("API keys may not do this")
    return viewer


def require_scope(viewer: Viewer, scope: ApiKeyScope) -> Viewer:
    """Integrator operations: an API key with `scope` (staff may run them too, e.g. from
    GraphiQL)."""
    if require_authenticated(viewer).has_scope(scope) or viewer.is_staff:
        return viewer
    raise forbidden(f"An API key with the `{scope.value}` scope is needed")


def require_sync(viewer: Viewer) -> Viewer:
    """The integrators' gate: `require_scope` with the `sync` scope."""
    return require_scope(viewer, ApiKeyScope.SYNC)
