"""Alembic migrations for the crankcall store; they run on SQLite and PostgreSQL alike."""
