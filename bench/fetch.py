"""Benchmark live ingestion against a local server: feeds parsed per second, and pages fetched,
extracted and stored per second.

    .venv/bin/python bench/fetch.py [--pages 500] [--feeds 200]

A real HTTP server on 127.0.0.1 (the tests' fixture server) serves a feed of N items linking to N
pages (the fixture pages, each made distinct). Feeds: the time to parse the fixture feeds of every
dialect, repeated. Pages: `crankcall.pipeline.fetch_pages` over the queued items into a SQLite
database in a temporary folder, politeness interval 0 (one host). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import webserver  # noqa: E402
from crankcall.ingest.feeds import parse_feed  # noqa: E402
from crankcall.ingest.http import HttpClient  # noqa: E402
from crankcall.ingest.opml import Subscription  # noqa: E402
from crankcall.pipeline import add_sources, fetch_pages, init_store, poll_sources  # noqa: E402
from crankcall.settings import load_settings  # noqa: E402
from crankcall.store import open_store  # noqa: E402

FEEDS = ROOT / "tests" / "fixtures" / "feeds"
PAGES = ROOT / "tests" / "fixtures" / "pages"


def bench_feeds(rounds: int) -> float:
    """Feeds parsed per second over the fixture feeds of every dialect."""
    names = ["rss091.xml", "rss10.rdf", "rss20_cp1251.xml", "atom.xml", "feed.json"]
    bodies = [(FEEDS / n).read_bytes() for n in names]
    now = datetime.now(UTC)
    started = time.perf_counter()
    for _ in range(rounds):
        for body in bodies:
            parse_feed(body, base_url="https://feeds.example/", now=now)
    return rounds * len(bodies) / (time.perf_counter() - started)


def serve_pages(server: webserver.FixtureServer, count: int) -> None:
    templates = [
        (PAGES / n).read_bytes() for n in ("en_utf8.html", "ru_cp1251.html", "zh_gb18030.html")
    ]
    items = []
    for n in range(count):
        body = templates[n % len(templates)].replace(
            b"</article>", f"<p>Edition {n}.</p></article>".encode()
        )
        server.routes[f"/p/{n}.html"] = lambda h, body=body: (
            200,
            {"Content-Type": "text/html"},
            body,
        )
        items.append(f"<item><title>Item {n}</title><link>{server.base}/p/{n}.html</link></item>")
    channel = f"<channel><title>Bench</title>{''.join(items)}</channel>"
    feed = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
    server.routes["/feed.xml"] = lambda h: (
        200,
        {"Content-Type": "application/rss+xml"},
        feed.encode(),
    )
    server.routes["/robots.txt"] = lambda h: (404, {}, b"")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--feeds", type=int, default=200, help="rounds over the five fixture feeds")
    args = parser.parse_args()
    print(f"feeds parsed: {bench_feeds(args.feeds):7.0f} feeds/s (5 dialects, {args.feeds} rounds)")
    server = webserver.FixtureServer()
    server.start()
    serve_pages(server, args.pages)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            environ={},
            overrides={
                "db": str(Path(folder) / "bench.db"),
                "http_allow_loopback": True,
                "http_min_interval": 0.0,
            },
        )
        now = datetime.now(UTC)
        with open_store(settings.db, create=True) as store, HttpClient(settings) as client:
            init_store(store, settings)
            add_sources(
                store, [Subscription(url=server.base + "/feed.xml", title="")], settings, now=now
            )
            poll_sources(store, client, settings, now=now)
            started = time.perf_counter()
            report = fetch_pages(store, client, settings, now=now, limit=args.pages)
            seconds = time.perf_counter() - started
    server.shutdown()
    print(
        f"pages fetched, extracted and stored: {report.stored / seconds:7.0f} pages/s "
        f"({report.stored} of {args.pages} in {seconds:.1f} s, from 127.0.0.1, one host)"
    )


if __name__ == "__main__":
    main()
