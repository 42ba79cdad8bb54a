"""Alembic migrations: the only way a real database gets its schema."""
