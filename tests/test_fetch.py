"""Polling sources against a real server on 127.0.0.1, on both backends: counts, 304s, 429s,
diagnoses, backoff, and no duplicates across runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
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
    # The fixture feeds link to pages on hosts that are not this machine: poll only.
    result = runner.invoke(cli, ["fetch", "--db", db_url, "--output-format", "json", "--no-pages"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "polled": 5,
        "unchanged": 0,
        "failed": {},
        "new_items": 8,
        "pages": None,
    }
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


PAGES = Path(__file__).parent / "fixtures" / "pages"


def _page_feed(base: str) -> bytes:
    items = [
        ("Treaty signed", "/news/2024/06/19/treaty.html", "Short summary."),
        ("Shoigu in Pyongyang", "/news/shoigu.html", "Short summary."),
        (
            "Behind the paywall",
            "/news/paywall.html",
            "Chinese banks have been turning away payments from Russian importers for months, and "
            "traders describe netting schemes, intermediaries in third countries and weeks of delays.",
        ),
        ("Rendered by scripts", "/news/app.html", "Short summary."),
        ("Private page", "/private/memo.html", "Short summary."),
        ("Not there yet", "/news/missing.html", "Short summary."),
        ("Same treaty again", "/news/2024/06/19/treaty.html?utm_source=feed", "Short summary."),
    ]
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><description>{d}</description>"
        f"<pubDate>Thu, 20 Jun 2024 08:00:00 GMT</pubDate></item>"
        for t, path, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{entries}</channel></rss>'.encode()


@pytest.fixture
def page_server(web_server: webserver.FixtureServer) -> Iterator[webserver.FixtureServer]:
    web_server.routes.clear()
    web_server.requests.clear()
    html = "text/html"
    web_server.routes["/feed.xml"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml"},
        _page_feed(web_server.base),
    )
    web_server.routes["/robots.txt"] = lambda h: (
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /private/\n",
    )
    web_server.routes["/news/2024/06/19/treaty.html"] = lambda h: (
        200,
        {"Content-Type": f"{html}; charset=utf-8"},
        (PAGES / "en_utf8.html").read_bytes(),
    )
    web_server.routes["/news/shoigu.html"] = lambda h: (
        200,
        {"Content-Type": f"{html}; charset=utf-8"},
        (PAGES / "ru_cp1251.html").read_bytes(),
    )
    web_server.routes["/news/paywall.html"] = lambda h: (
        200,
        {"Content-Type": html},
        (PAGES / "paywall.html").read_bytes(),
    )
    web_server.routes["/news/app.html"] = lambda h: (
        200,
        {"Content-Type": html},
        (PAGES / "script_rendered.html").read_bytes(),
    )
    web_server.routes["/private/memo.html"] = lambda h: (
        200,
        {"Content-Type": html},
        (PAGES / "en_utf8.html").read_bytes(),
    )
    yield web_server


def test_fetch_stores_pages_flags_paywalls_respects_robots_and_retries(
    store: Store, fetch_settings: Settings, page_server: webserver.FixtureServer, now: datetime
) -> None:
    from crankcall.ingest.opml import Subscription
    from crankcall.pipeline import fetch_pages

    add_sources(
        store, [Subscription(url=page_server.base + "/feed.xml", title="")], fetch_settings, now=now
    )
    polled = _poll(store, fetch_settings, now)
    assert polled.new_items == 6  # the tracking-parameter copy of the treaty link is the same item
    with HttpClient(fetch_settings, sleep=lambda s: None) as client:
        pages = fetch_pages(store, client, fetch_settings, now=now)
    assert pages.as_dict() == {
        "stored": 2,
        "duplicate": 0,
        "flagged": 2,
        "blocked_by_robots": 1,
        "failed": {},
        "retry_later": 1,
    }
    assert not [p for p, _ in page_server.requests if p.startswith("/private/")]
    articles = {a.title: a for a in store.iter_articles()}
    treaty = articles["Russia and North Korea sign a mutual defence treaty"]
    assert treaty.published == datetime(2024, 6, 19, 9, 30, tzinfo=UTC)
    assert treaty.extra["date_source"] == "page" and treaty.authors == ("Jane Roe",)
    # A lying "utf-8" header on a Windows-1251 page: detection decides.
    shoigu = articles["Шойгу прибыл в Пхеньян с визитом"]
    assert shoigu.language == "ru" and shoigu.extra["encoding"] == "cp1251"
    assert store.feed_item_counts() == {"stored": 2, "flagged": 2, "blocked": 1, "pending": 1}
    # Later runs: the missing page is tried twice more, then given up; nothing is stored twice.
    for _ in range(2):
        with HttpClient(fetch_settings, sleep=lambda s: None) as client:
            fetch_pages(store, client, fetch_settings, now=now)
    assert store.feed_item_counts() == {"stored": 2, "flagged": 2, "blocked": 1, "failed": 1}
    assert store.stats()["articles"] == 2


def test_kill_9_during_fetch_loses_nothing_and_duplicates_nothing(
    db_url: str, web_server: webserver.FixtureServer, tmp_path: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time as clock

    from crankcall.store import open_store

    web_server.routes.clear()
    count = 12
    entries = "".join(
        f"<item><title>Story {n}</title><link>{web_server.base}/slow/{n}.html</link></item>"
        for n in range(count)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>{entries}</channel></rss>'
    web_server.routes["/slow-feed.xml"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml"},
        feed.encode(),
    )
    web_server.routes["/robots.txt"] = lambda h: (404, {}, b"")
    page = (PAGES / "en_utf8.html").read_text("utf-8")
    for n in range(count):
        body = page.replace(
            "Russia and North Korea sign a mutual defence treaty",
            f"Story number {n} of the slow desk",
        )
        web_server.routes[f"/slow/{n}.html"] = lambda h, body=body: (
            200,
            {"Content-Type": "text/html; charset=utf-8"},
            webserver.drip(1, 0.3, body.encode()),
        )
    env = {
        **os.environ,
        "CRANKCALL_HTTP_ALLOW_LOOPBACK": "true",
        "CRANKCALL_HTTP_MIN_INTERVAL": "0",
        "CRANKCALL_DB": db_url,
    }
    command = [sys.executable, "-m", "crankcall"]
    subprocess.run(
        [*command, "sources", "add", web_server.base + "/slow-feed.xml"],
        env=env,
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    child = subprocess.Popen(
        [*command, "fetch"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open_store(db_url) as store:
        deadline = clock.monotonic() + 30
        while store.stats()["articles"] < 3 and clock.monotonic() < deadline:
            clock.sleep(0.1)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        stored_before = store.stats()["articles"]
        assert 3 <= stored_before < count
    subprocess.run([*command, "fetch"], env=env, check=True, capture_output=True, cwd=tmp_path)
    with open_store(db_url) as store:
        articles = list(store.iter_articles())
        assert len(articles) == count
        assert len({a.canonical_url for a in articles}) == count
        assert store.feed_item_counts() == {"stored": count}


def test_watch_runs_rounds_and_stops_cleanly_on_sigterm(
    db_url: str, feed_server: webserver.FixtureServer, tmp_path: Path
) -> None:
    import os
    import signal
    import subprocess
    import sys

    env = {
        **os.environ,
        "CRANKCALL_HTTP_ALLOW_LOOPBACK": "true",
        "CRANKCALL_HTTP_MIN_INTERVAL": "0",
        "CRANKCALL_DB": db_url,
    }
    command = [sys.executable, "-m", "crankcall"]
    # A feed without items: watch then touches nothing but this server (no page on other hosts).
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet desk</title></channel></rss>'
    feed_server.routes["/quiet.xml"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml"},
        empty,
    )
    subprocess.run(
        [*command, "sources", "add", feed_server.base + "/quiet.xml"],
        env=env,
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    done = subprocess.run(
        [*command, "watch", "--every", "0", "--rounds", "2"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.count("polled") == 2 and "watch stopped after 2 round(s)" in done.stdout
    assert "polled 1 sources" in done.stdout  # the first round; the second finds nothing due
    child = subprocess.Popen(
        [*command, "watch", "--every", "60"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    # Signal only once the first round is done: before that the process may still be starting
    # (imports take seconds on a loaded machine) and has no handler yet.
    assert child.stdout is not None
    first = child.stdout.readline()
    assert "polled" in first, first
    child.send_signal(signal.SIGTERM)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 0 and "watch stopped after 1 round(s)" in first + out


def test_sources_import_defaults(db_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["sources", "import", "--db", db_url, "--defaults"])
    assert result.exit_code == 0 and "0 already known, 0 refused" in result.stdout
    neither = runner.invoke(cli, ["sources", "import", "--db", db_url])
    assert neither.exit_code == 2 and "either an OPML file or --defaults" in neither.stderr
