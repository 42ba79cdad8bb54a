"""Dataloaders, one set per request (see `api.context.Context.loader`).

Each loader is named for what it returns and what it keys on, and answers in key order.
"""
