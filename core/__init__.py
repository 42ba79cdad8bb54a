"""The bottom floor: settings, the database and its driver, the request context, the unit of
work, passwords and tokens. Everything above may import it; it imports only domain, loaders and
models."""
