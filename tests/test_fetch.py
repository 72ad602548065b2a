"""Polling sources against a real server on 127.0.0.1, on both backends: counts, 304s, 429s,
diagnoses, backoff, and no duplicates across runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import webserver
from crankcall.cli import cli
from crankcall.ingest.http import HttpClient
from crankcall.ingest.opml import read_opml
from crankcall.pipeline import add_sources, poll_sources
from crankcall.settings import Settings, load_settings
from crankcall.store import Store

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


@pytest.fixture
def feed_server(web_server: webserver.FixtureServer) -> Iterator[webserver.FixtureServer]:
    """The fixture feeds, served with ETags so that a second poll gets 304."""
    web_server.routes.clear()
    web_server.requests.clear()
    for path in FEEDS.iterdir():
        body = path.read_bytes()
        etag = f'"{path.stem}-v1"'

        def route(
            handler: webserver.Handler, body: bytes = body, etag: str = etag
        ) -> tuple[int, dict[str, str], bytes]:
            if handler.headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            kind = "application/feed+json" if body.lstrip().startswith(b"{") else "application/xml"
            return 200, {"ETag": etag, "Content-Type": kind}, body

        web_server.routes["/" + path.name] = route
    yield web_server


@pytest.fixture
def fetch_settings(settings: Settings) -> Settings:
    return load_settings(
        environ={},
        config_file=None,
        overrides={
            **{s: getattr(settings, s) for s in ("db", "ingest_rejects_dir")},
            "http_allow_loopback": True,
            "http_min_interval": 0.0,
            "http_timeout": 3.0,
        },
    )


def _subscriptions(server: webserver.FixtureServer):  # type: ignore[no-untyped-def]
    text = (FEEDS / "sources.opml").read_text("utf-8").replace("{base}", server.base)
    return read_opml(text.encode(), name="sources.opml")


def _poll(store: Store, settings: Settings, now: datetime):  # type: ignore[no-untyped-def]
    with HttpClient(settings, sleep=lambda s: None) as client:
        return poll_sources(store, client, settings, now=now)


def test_fetch_ingests_every_fixture_source_with_the_right_counts(
    store: Store, fetch_settings: Settings, feed_server: webserver.FixtureServer, now: datetime
) -> None:
    added = add_sources(store, _subscriptions(feed_server), fetch_settings, now=now)
    assert len(added.added) == 5 and len(added.refused) == 1
    again = add_sources(store, _subscriptions(feed_server), fetch_settings, now=now)
    assert again.added == [] and len(again.known) == 5

    report = _poll(store, fetch_settings, now)
    assert report.polled == 5 and report.failed == {}
    # rss091: 2, rss20: 2, rss10: 1, atom: 1 (one entry has no address), json: 2
    assert report.new_items == 8
    assert store.feed_item_counts() == {"pending": 8}

    # Not due yet: nothing is polled.
    assert _poll(store, fetch_settings, now + timedelta(minutes=5)).polled == 0
    # Due again: every feed answers 304 and nothing is added twice.
    later = _poll(store, fetch_settings, now + timedelta(hours=2))
    assert (later.polled, later.unchanged, later.new_items) == (5, 5, 0)
    sent = [headers for path, headers in feed_server.requests if path == "/atom.xml"]
    assert sent[-1].get("If-None-Match") == '"atom-v1"'
    titles = {s["title"] for s in store.sources()}
    assert "Korea Desk" in titles and "Gulf Monitor" in titles


def test_failures_are_recorded_with_a_diagnosis_and_back_off(
    store: Store, fetch_settings: Settings, feed_server: webserver.FixtureServer, now: datetime
) -> None:
    feed_server.routes["/gone.xml"] = lambda h: (410, {}, b"")
    feed_server.routes["/blocked.xml"] = lambda h: (403, {}, b"<html>captcha</html>")
    feed_server.routes["/limited.xml"] = lambda h: (429, {"Retry-After": "1"}, b"")
    urls = [
        "/bomb.xml",
        "/malformed.xml",
        "/not_a_feed.html",
        "/gone.xml",
        "/blocked.xml",
        "/limited.xml",
        "/missing.xml",
    ]
    from crankcall.ingest.opml import Subscription

    add_sources(
        store,
        [Subscription(url=feed_server.base + u, title="") for u in urls],
        fetch_settings,
        now=now,
    )
    report = _poll(store, fetch_settings, now)
    assert report.failed == {"parse_error": 3, "gone": 1, "anti_bot": 2, "not_found": 1}
    assert report.new_items == 0
    by_url = {s["url"].rsplit("/", 1)[1]: s for s in store.sources()}
    assert by_url["bomb.xml"]["last_detail"] == "refused: the document declares XML entities"
    assert by_url["gone.xml"]["enabled"] is False
    assert by_url["missing.xml"]["failures"] == 1
    assert by_url["missing.xml"]["next_due"] > now + timedelta(minutes=60)


def test_cli_sources_import_status_export_and_fetch(
    db_url: str,
    tmp_path: Path,
    feed_server: webserver.FixtureServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRANKCALL_HTTP_ALLOW_LOOPBACK", "true")
    monkeypatch.setenv("CRANKCALL_HTTP_MIN_INTERVAL", "0")
    opml = tmp_path / "subs.opml"
    opml.write_text(
        (FEEDS / "sources.opml").read_text("utf-8").replace("{base}", feed_server.base), "utf-8"
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["sources", "import", "--db", db_url, str(opml)])
    assert result.exit_code == 0 and "5 added, 0 already known, 1 refused" in result.stdout
    result = runner.invoke(cli, ["fetch", "--db", db_url, "--output-format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"polled": 5, "unchanged": 0, "failed": {}, "new_items": 8}
    status = runner.invoke(cli, ["sources", "status", "--db", db_url, "--format", "json"])
    rows = json.loads(status.stdout)
    assert all(r["last_success"] and r["last_diagnosis"] is None for r in rows)
    exported = runner.invoke(cli, ["sources", "export", "--db", db_url])
    assert exported.exit_code == 0
    assert [s.url for s in read_opml(exported.stdout.encode(), name="out")] == [
        r["url"] for r in rows
    ]
    bad = runner.invoke(cli, ["sources", "import", "--db", db_url, str(FEEDS / "bomb.xml")])
    assert bad.exit_code == 2 and "not a readable OPML" in bad.stderr
