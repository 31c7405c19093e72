"""Persistence: SQLAlchemy models, Alembic migrations and the Store API."""
