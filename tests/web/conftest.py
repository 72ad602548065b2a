"""Fixtures of the desk's tests: a demo database prepared once per backend and copied for each
test (August 2024 of the demo corpus, a few hostile articles, run and drafted, with an admin, an
editor, a viewer and an API token), the app built in-process, and logged-in clients."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from desk_client import PASSWORD, TOKEN, Login, log_in
from fastapi import FastAPI
from fastapi.testclient import TestClient

import pgserver
from crankcall.pipeline import draft, ingest_files, init_store, run
from crankcall.settings import Settings, load_settings
from crankcall.store import Store, open_store
from crankcall.web import create_app
from crankcall.web.auth import digest, hash_password

SAMPLE = Path(__file__).parents[2] / "data" / "sample"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
AUGUST = {
    "since": datetime(2024, 8, 1, tzinfo=UTC),
    "until": datetime(2024, 9, 1, tzinfo=UTC),
    "month": "2024-08",
}
ROLES = {"ada": "admin", "eve": "editor", "vic": "viewer"}
PAYLOAD = "<script>alert(1)</script>"
HOSTILE = [
    {
        "id": f"x-{n}",
        "url": f"https://news.example.org/x-{n}?q=<script>alert(5)</script>",
        "outlet": outlet,
        "published": f"2024-08-1{n}T10:00:00Z",
        "title": f'Russia and North Korea sign arms deal {PAYLOAD}<img src=x onerror="alert(2)">',
        "text": "Russia and North Korea signed an agreement on Tuesday to supply artillery shells "
        "to Moscow, officials in Seoul said. <script>alert(3)</script> The deal covers "
        '<a href="javascript:alert(4)">millions</a> of rounds, South Korean officials said, '
        "and North Korea will receive oil and food in return, according to the officials. "
        "Russian President Vladimir Putin and North Korean leader Kim Jong Un approved the "
        "agreement, the officials said, adding that deliveries would start in September.",
    }
    for n, outlet in enumerate(["Reuters", "Associated Press", "Yonhap News Agency"], start=1)
]


def _settings(db: str, folder: Path) -> Settings:
    return load_settings(
        environ={},
        config_file=None,
        overrides={
            "db": db,
            "ingest_rejects_dir": str(folder / "rejects"),
            "web_secure_cookies": False,
            "http_allow_loopback": True,
            "http_min_interval": 0.0,
            "web_archive_url": "https://crankcall.example.org",
            "web_page_size": 20,
        },
    )


def _prepare(db: str, folder: Path) -> None:
    """The demo month with hostile articles, run and drafted, with accounts and a token."""
    settings = _settings(db, folder)
    hostile = folder / "hostile.jsonl"
    hostile.write_text("\n".join(json.dumps(h) for h in HOSTILE) + "\n", "utf-8")
    with open_store(db, create=True) as store:
        init_store(store, settings)
        ingest_files(store, [SAMPLE / "articles-2024-08.jsonl", hostile], settings, now=NOW)
        run(store, now=NOW, settings=settings)
        draft(store, settings, **AUGUST)
        hashed = hash_password(PASSWORD)
        for name, role in ROLES.items():
            store.add_user(name, role=role, password_hash=hashed, now=NOW)
        store.add_token("researcher", token_hash=digest(TOKEN), now=NOW)


@pytest.fixture(scope="session")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sqlite-demo")
    path = folder / "demo.db"
    _prepare(str(path), folder)
    return path


@pytest.fixture(scope="session")
def postgres_demo(postgres_admin: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = pgserver.create_database(postgres_admin)
    _prepare(url, tmp_path_factory.mktemp("pg-demo"))
    yield url
    pgserver.drop_database(postgres_admin, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def desk_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the prepared demo database on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "desk.db"
        source = sqlite3.connect(request.getfixturevalue("sqlite_demo"))
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
        yield str(target)
        return
    template = request.getfixturevalue("postgres_demo")
    admin = request.getfixturevalue("postgres_admin")
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[1]}"')
    url = f"{template.rsplit('/', 1)[0]}/{name}"
    try:
        yield url
    finally:
        pgserver.drop_database(admin, url)


@pytest.fixture
def desk_settings(desk_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return _settings(desk_db, tmp_path)


@pytest.fixture
def desk_store(desk_settings: Settings) -> Iterator[Store]:
    with open_store(desk_settings.db) as store:
        yield store


@pytest.fixture
def app(desk_settings: Settings, desk_store: Store) -> FastAPI:
    return create_app(desk_settings, store=desk_store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as found:
        yield found


@pytest.fixture
def login(app: FastAPI) -> Iterator[Login]:
    """Log a named demo user in on a client of its own; returns the client."""
    opened: list[TestClient] = []

    def logged_in(name: str) -> TestClient:
        found = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)
        opened.append(found)
        answer = log_in(found, name, PASSWORD)
        assert answer.status_code == 303, answer.text
        return found

    yield logged_in
    for found in opened:
        found.close()
