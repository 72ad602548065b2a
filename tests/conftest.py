"""Shared fixtures: a real SQLite file and a real PostgreSQL server, and the suite run on both.

Every test that takes `db_url` (or a fixture built on it) runs once per backend. The PostgreSQL
server is started for the session unless CRANKCALL_TEST_POSTGRES_URL names one to use.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))

import pgserver
import webserver
from crankcall.settings import Settings, load_settings
from crankcall.store import Store, open_store

BACKENDS = ("sqlite", "postgresql")

# Property tests: no deadlines (machines vary), no "too slow" health check on a cold start. CI runs
# the "ci" profile, which is derandomised so that a landing never depends on a lucky draw.
hypothesis_settings.register_profile(
    "dev", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "ci", parent=hypothesis_settings.get_profile("dev"), derandomize=True, max_examples=200
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[str]:
    """The admin URL of a PostgreSQL server: the one named in the environment, or our own."""
    named = os.environ.get("CRANKCALL_TEST_POSTGRES_URL")
    if named:
        yield named
        return
    server = pgserver.start()
    try:
        yield server.admin_url
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file in a temp folder, or a new PostgreSQL
    database on the session's server."""
    if request.param == "sqlite":
        yield str(tmp_path / "crankcall.db")
        return
    admin = request.getfixturevalue("postgres_admin")
    url = pgserver.create_database(admin)
    try:
        yield url
    finally:
        pgserver.drop_database(admin, url)


@pytest.fixture
def settings(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for a test: its database, rejects in its temp folder, no user config."""
    monkeypatch.chdir(tmp_path)
    return load_settings(
        environ={},
        config_file=None,
        overrides={"db": db_url, "ingest_rejects_dir": str(tmp_path / "rejects")},
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """An initialised store (schema and outlets) on each backend."""
    from crankcall.pipeline import init_store

    with open_store(settings.db, create=True) as opened:
        init_store(opened, settings)
        yield opened


@pytest.fixture
def now() -> datetime:
    """A fixed 'now' so date checks do not depend on the day the tests run."""
    return NOW


@pytest.fixture(scope="session")
def web_server() -> Iterator[webserver.FixtureServer]:
    """A real HTTP server on 127.0.0.1 serving the routes a test registers."""
    server = webserver.FixtureServer()
    server.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; a missing Chromium fails the tests rather than skipping."""
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is not installed: run `make system-deps` (Debian package chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox"], headless=True
        )
        try:
            yield launched
        finally:
            launched.close()
