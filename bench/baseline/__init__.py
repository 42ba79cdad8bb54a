"""The plain Strawberry + SQLAlchemy baseline: the benchmark's grid and account-detail queries
answered the idiomatic way (ORM rows, one aiodataloader per relation, Strawberry resolving every
field), over Tradepost's own database and tables, so `make bench` shows what the stack costs
without Tradepost's code on top.

It is bench code, not product: it serves only those two documents' fields, and its only rule is
the one they need — the bearer token must be a live session of an active worker, for whom every
account is visible (as for Tradepost's workers)."""
