"""Transport: the Starlette app, per-request context, authentication, settings and the CLI."""
