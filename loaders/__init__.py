"""Dataloaders, one set per request (see `core.context.Context.loader`).

Each loader is named for what it returns and what it keys on, and answers in key order.
"""
