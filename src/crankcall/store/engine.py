"""Opening a database: URLs and paths, SQLite pragmas, and errors a user can act on."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from crankcall.errors import StoreError

log = logging.getLogger(__name__)


def database_url(target: str) -> URL:
    """A SQLAlchemy URL from a URL or a file path (a path means SQLite)."""
    text = target.strip()
    if not text:
        raise StoreError("no database given (use --db or CRANKCALL_DB)")
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    try:
        url = make_url(text)
    except ArgumentError as e:
        raise StoreError(f"database URL {text!r} is not valid: {e}") from e
    if url.get_backend_name() == "postgresql" and url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StoreError(
            f"database {url.get_backend_name()!r} is not supported (use SQLite or PostgreSQL)"
        )
    return url


def describe_url(url: URL) -> str:
    """The URL as shown to users: no password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def create_store_engine(url: URL, *, must_exist: bool) -> Engine:
    """An engine for `url`, with SQLite tuned (WAL, foreign keys, busy timeout), after checking
    that the database can be reached."""
    if url.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, must_exist=must_exist)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    try:
        with engine.connect():
            pass
    except OperationalError as e:
        engine.dispose()
        reason = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        raise StoreError(f"cannot open database {describe_url(url)}: {reason}") from e
    except SQLAlchemyError as e:
        engine.dispose()
        raise StoreError(f"cannot open database {describe_url(url)}: {e}") from e
    return engine


def _sqlite_engine(url: URL, *, must_exist: bool) -> Engine:
    path = Path(str(url.database))
    if url.database not in (None, "", ":memory:"):
        if must_exist and not path.exists():
            raise StoreError(f"no database at {path}; create it with `crankcall init`")
        if not path.parent.is_dir():
            raise StoreError(f"cannot create database {path}: folder {path.parent} does not exist")
        if path.exists() and path.is_dir():
            raise StoreError(f"cannot open database {path}: it is a folder")
    if not _has_fts5():
        raise StoreError("this Python's SQLite lacks FTS5, which crankcall needs for search")
    engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
    finally:
        cursor.close()


def _has_fts5() -> bool:
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()
