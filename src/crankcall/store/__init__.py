"""The store: one schema on SQLite (embedded default) or PostgreSQL (a team's shared server)."""

from crankcall.store.repository import Store, open_store

__all__ = ["Store", "open_store"]
