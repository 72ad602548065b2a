"""Live ingestion jobs: sources and their polls, pages fetched and extracted, saved pages
(contract 7), GDELT files, and single pages added by URL.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crankcall.errors import InputError
from crankcall.ingest import gdelt
from crankcall.ingest.feeds import Feed, FeedError, parse_feed
from crankcall.ingest.files import Record
from crankcall.ingest.http import FetchResult, HttpClient
from crankcall.ingest.normalise import canonical_url
from crankcall.ingest.opml import Subscription
from crankcall.ingest.pages import extract_page
from crankcall.ingest.robots import RobotsRules
from crankcall.jobs import Progress
from crankcall.jobs.coding import run
from crankcall.jobs.files import ArticleWriter, FileReport, IngestReport
from crankcall.models import RawItem
from crankcall.settings import Settings
from crankcall.store import Store


@dataclass(kw_only=True)
class SourcesReport:
    """What adding or importing sources did."""

    added: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def add_sources(
    store: Store, subscriptions: Sequence[Subscription], settings: Settings, *, now: datetime
) -> SourcesReport:
    """Add feeds to poll; a URL already known (in canonical form) is left as it is."""
    report = SourcesReport()
    for sub in subscriptions:
        try:
            key = canonical_url(sub.url, tracking_params=settings.ingest_tracking_params)
        except ValueError as e:
            report.refused.append((sub.url, str(e)))
            continue
        added = store.add_source(
            url=sub.url.strip(),
            canonical_url=key,
            title=sub.title,
            kind="feed",
            interval=settings.sources_interval,
            now=now,
        )
        (report.added if added else report.known).append(sub.url.strip())
    return report


@dataclass(kw_only=True)
class PollReport:
    """The closing summary of `crankcall fetch`."""

    polled: int = 0
    unchanged: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    new_items: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "polled": self.polled,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "new_items": self.new_items,
        }


def poll_sources(
    store: Store,
    client: HttpClient,
    settings: Settings,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> PollReport:
    """Poll every due source once.

    1. Fetch the feed with the validators of the last success (304: nothing new).
    2. Parse it; a fetch or parse failure is recorded on the source with its diagnosis, and the
       next poll backs off (a feed that is gone is switched off).
    3. Store the poll's state and the items not seen before in one transaction per source, so a
       kill at any moment loses nothing stored and the next run adds no duplicates.
    """
    report = PollReport()
    for source in store.sources(due_by=now):
        report.polled += 1
        fetched = client.fetch(  # 1.
            source["url"], etag=source["etag"], last_modified=source["last_modified"]
        )
        state, items = _poll_outcome(source, fetched, settings, now=now)  # 2.
        if state.get("last_diagnosis"):
            key = str(state["last_diagnosis"])
            report.failed[key] = report.failed.get(key, 0) + 1
        elif fetched.not_modified:
            report.unchanged += 1
        report.new_items += store.record_poll(source["id"], state=state, items=items)  # 3.
        if progress is not None:
            progress(1)
    return report


def _poll_outcome(
    source: dict[str, Any], fetched: FetchResult, settings: Settings, *, now: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    interval = timedelta(minutes=source["interval_minutes"])
    state: dict[str, Any] = {"last_checked": now, "last_status": fetched.status}
    diagnosis, detail, items = fetched.diagnosis, fetched.detail, []
    feed = None
    if fetched.ok and not fetched.not_modified:
        try:
            feed = parse_feed(
                fetched.body,
                base_url=fetched.final_url,
                now=now,
                content_type=fetched.content_type or "",
            )
        except FeedError as e:
            diagnosis, detail = e.diagnosis, e.detail
    if diagnosis:
        failures = source["failures"] + 1
        backoff = min(interval * 2 ** min(failures, 6), timedelta(hours=24))
        state.update(
            failures=failures,
            last_diagnosis=diagnosis,
            last_detail=detail[:500],
            next_due=now + backoff,
            enabled=diagnosis != "gone",
        )
        return state, []
    state.update(
        failures=0,
        last_diagnosis=None,
        last_detail=None,
        last_success=now,
        next_due=now + interval,
        etag=fetched.etag or source["etag"],
        last_modified=fetched.last_modified or source["last_modified"],
    )
    if feed is not None:
        if feed.title and not source["title"]:
            state["title"] = feed.title[:300]
        items = _item_rows(source["id"], feed, settings, now=now)
    return state, items


def _item_rows(
    source_id: int, feed: Feed, settings: Settings, *, now: datetime
) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for item in feed.items:
        try:
            key = canonical_url(item.url, tracking_params=settings.ingest_tracking_params)
        except ValueError:
            continue  # an item whose link is not a web address cannot be fetched
        rows.setdefault(
            key,
            {
                "source_id": source_id,
                "url": item.url,
                "canonical_url": key,
                "title": item.title,
                "summary": item.summary[:20_000],
                "published": item.published,
                "authors": list(item.authors),
                "discovered_at": now,
                "status": "pending",
                "attempts": 0,
            },
        )
    return list(rows.values())


def extract_file(path: Path, *, now: datetime, max_bytes: int = 20_000_000) -> dict[str, Any]:
    """Contract 7 for one saved page: the extracted article, or {"file", "error"}."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
        if raw[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unpacked:
                raw = unpacked.read(max_bytes + 1)
    except FileNotFoundError:
        return {"file": name, "error": "no such file"}
    except IsADirectoryError:
        return {"file": name, "error": "is a folder"}
    except (OSError, EOFError) as e:
        return {"file": name, "error": f"cannot be read: {e}"}
    if len(raw) > max_bytes:
        return {"file": name, "error": f"over {max_bytes} bytes"}
    page = extract_page(raw, now=now)
    return {
        "file": name,
        "title": page.title,
        "text": page.text,
        "published": page.published.isoformat() if page.published else None,
        "date_source": page.date_source,
        "authors": list(page.authors),
        "language": page.language,
        "encoding": page.encoding,
        "flags": list(page.flags),
    }


@dataclass(kw_only=True)
class PagesReport:
    """What fetching the queued pages did."""

    stored: int = 0
    duplicate: int = 0
    flagged: int = 0
    blocked: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    retry_later: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "duplicate": self.duplicate,
            "flagged": self.flagged,
            "blocked_by_robots": self.blocked,
            "failed": self.failed,
            "retry_later": self.retry_later,
        }


MAX_PAGE_ATTEMPTS = 3


def fetch_pages(
    store: Store,
    client: HttpClient,
    settings: Settings,
    *,
    now: datetime,
    limit: int = 1000,
    progress: Progress | None = None,
) -> PagesReport:
    """Fetch the page of every queued item, extract it and store the article.

    1. robots.txt decides first; a refused page is marked `blocked`.
    2. A failed fetch is tried again on later runs, up to three times, then marked `failed`.
    3. A page whose text is missing or much shorter than the feed's summary is marked `flagged`
       and not stored: a paywall or a script-rendered page is not an article.
    4. Otherwise the article is stored like any ingested one (outlet by domain, duplicates by id
       and canonical URL), and the item is marked `stored` with the article's id.
    """
    report = PagesReport()
    robots = RobotsRules(client, agent=settings.http_user_agent)
    writer = ArticleWriter(store, settings, now=now, report=IngestReport())
    for item in store.pending_items(limit=limit, max_attempts=MAX_PAGE_ATTEMPTS):
        outcome = _fetch_page(item, client, robots, writer, settings, now=now)
        store.update_item(item["id"], outcome)
        _count_page(report, outcome)
        if progress is not None:
            progress(1)
    return report


def _fetch_page(
    item: dict[str, Any],
    client: HttpClient,
    robots: RobotsRules,
    writer: ArticleWriter,
    settings: Settings,
    *,
    now: datetime,
) -> dict[str, Any]:
    if not robots.allowed(item["url"]):  # 1.
        return {"status": "blocked", "last_diagnosis": "robots"}
    fetched = client.fetch(item["url"])
    attempts = item["attempts"] + 1
    if not fetched.ok:  # 2.
        status = (
            "failed" if attempts >= MAX_PAGE_ATTEMPTS or fetched.diagnosis == "gone" else "pending"
        )
        return {"status": status, "attempts": attempts, "last_diagnosis": fetched.diagnosis}
    page = extract_page(
        fetched.body,
        url=fetched.final_url,
        declared_charset=_charset_of(fetched.content_type),
        feed_published=item["published"],
        feed_summary=item["summary"],
        now=now,
    )
    if page.flags:  # 3.
        return {"status": "flagged", "attempts": attempts, "last_diagnosis": page.flags[0]}
    ident = "h-" + hashlib.sha1(item["canonical_url"].encode()).hexdigest()[:16]
    raw = RawItem(
        id=ident,
        url=item["url"],
        outlet=None,
        published=page.published,
        title=page.title or item["title"],
        text=page.text,
        authors=page.authors or tuple(item["authors"]),
        language=page.language,
        extra={"date_source": page.date_source, "encoding": page.encoding, "feed_item": item["id"]},
    )
    file_report = FileReport(path=f"feed item {item['id']}")
    writer.write([Record(line=item["id"], item=raw)], file_report)  # 4.
    if file_report.rejects:
        return {"status": "failed", "attempts": attempts, "last_diagnosis": "rejected"}
    # Already stored under this item's own id: an earlier run stored it and was stopped before
    # it could mark the item.
    ours = file_report.stored or writer.store.get_article(ident) is not None
    if not ours:
        return {"status": "duplicate", "attempts": attempts, "last_diagnosis": None}
    return {"status": "stored", "attempts": attempts, "last_diagnosis": None, "article_id": ident}


def _count_page(report: PagesReport, outcome: dict[str, Any]) -> None:
    status = outcome["status"]
    if status == "stored":
        report.stored += 1
    elif status == "duplicate":
        report.duplicate += 1
    elif status == "flagged":
        report.flagged += 1
    elif status == "blocked":
        report.blocked += 1
    elif status == "pending":
        report.retry_later += 1
    else:
        key = str(outcome.get("last_diagnosis"))
        report.failed[key] = report.failed.get(key, 0) + 1


def _charset_of(content_type: str | None) -> str | None:
    if not content_type or "charset=" not in content_type.lower():
        return None
    return content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None


@dataclass(kw_only=True)
class GdeltFileReport:
    """What one GDELT file gave, or why it could not be used."""

    name: str
    kept: int = 0
    new: int = 0
    urls: int = 0
    bad_rows: list[str] = field(default_factory=list)
    problem: str | None = None


def import_gdelt(
    store: Store,
    paths: Sequence[Path],
    settings: Settings,
    *,
    now: datetime,
    master: Path | None = None,
) -> list[GdeltFileReport]:
    """Import GDELT 2.0 Events and Mentions files (zipped) from files or folders.

    1. List the files: those given, the `*.export.CSV.zip` and `*.mentions.CSV.zip` files of the
       folders given, and, with a master list, every file it names (checked for size and MD5).
    2. Events first: keep those with a CRANK actor; store them; queue their source URLs.
    3. Then Mentions of the kept events: queue the URLs of the web documents that mention them.
    A file that is missing, truncated, corrupt or differs from the master list gets a `problem`.
    """
    files, reports = _gdelt_files(paths, master)  # 1.
    source = store.gdelt_source(now=now)
    kept: set[int] = set()
    for path in sorted(files, key=lambda p: ("mentions" in p.name.lower(), p.name)):
        report = GdeltFileReport(name=path.name)
        reports.append(report)
        try:
            if "mentions" in path.name.lower():
                _gdelt_mentions(store, path, kept, source, settings, report, now=now)  # 3.
            else:
                kept |= _gdelt_events(store, path, source, settings, report, now=now)  # 2.
        except gdelt.GdeltFileError as e:
            report.problem = str(e)
    return reports


def _gdelt_files(
    paths: Sequence[Path], master: Path | None
) -> tuple[list[Path], list[GdeltFileReport]]:
    files: list[Path] = []
    problems: list[GdeltFileReport] = []
    folders = [p for p in paths if p.is_dir()]
    for path in paths:
        if path.is_dir():
            files += [
                f
                for f in path.iterdir()
                if f.name.lower().endswith((".export.csv.zip", ".mentions.csv.zip"))
            ]
        else:
            files.append(path)
    if master is not None:
        try:
            entries = gdelt.read_master(master.read_text("utf-8"), name=master.name)
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{master}: cannot read the master file list ({e})") from e
        except gdelt.GdeltFileError as e:
            raise InputError(str(e)) from e
        base = folders[0] if folders else master.parent
        listed = {f.name: f for f in files}
        for entry in entries:
            if not entry.name.lower().endswith((".export.csv.zip", ".mentions.csv.zip")):
                continue
            path = listed.get(entry.name, base / entry.name)
            try:
                gdelt.check_against_master(path, entry)
            except gdelt.GdeltFileError as e:
                problems.append(GdeltFileReport(name=entry.name, problem=str(e)))
                files = [f for f in files if f.name != entry.name]
                continue
            if path not in files:
                files.append(path)
    return files, problems


def _gdelt_events(
    store: Store,
    path: Path,
    source: dict[str, Any],
    settings: Settings,
    report: GdeltFileReport,
    *,
    now: datetime,
) -> set[int]:
    rows, urls = [], []
    for found in gdelt.read_events(path):
        if isinstance(found, str):
            report.bad_rows.append(found)
            continue
        rows.append({**_event_row(found), "file": path.name})
        urls.append(found.source_url)
    report.kept = len(rows)
    report.new = store.add_gdelt_events(rows)
    report.urls = _queue_urls(store, source, urls, settings, now=now)
    return {row["event_id"] for row in rows}


def _gdelt_mentions(
    store: Store,
    path: Path,
    kept: set[int],
    source: dict[str, Any],
    settings: Settings,
    report: GdeltFileReport,
    *,
    now: datetime,
) -> None:
    urls = []
    for found in gdelt.read_mentions(path, kept):
        if isinstance(found, str):
            report.bad_rows.append(found)
            continue
        report.kept += 1
        urls.append(found.url)
    report.urls = _queue_urls(store, source, urls, settings, now=now)


def _event_row(event: gdelt.GdeltEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "day": event.day,
        "actor1_code": event.actor1_code,
        "actor1_country": event.actor1_country,
        "actor2_code": event.actor2_code,
        "actor2_country": event.actor2_country,
        "dyad": event.dyad,
        "event_code": event.event_code,
        "root_code": event.root_code,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "num_mentions": event.num_mentions,
        "num_sources": event.num_sources,
        "num_articles": event.num_articles,
        "avg_tone": event.avg_tone,
        "source_url": event.source_url,
    }


def _queue_urls(
    store: Store, source: dict[str, Any], urls: list[str], settings: Settings, *, now: datetime
) -> int:
    """Queue article URLs to fetch (each canonical URL once, across runs and sources)."""
    items: dict[str, dict[str, Any]] = {}
    for url in urls:
        try:
            key = canonical_url(url, tracking_params=settings.ingest_tracking_params)
        except ValueError:
            continue
        items.setdefault(
            key,
            {
                "source_id": source["id"],
                "url": url,
                "canonical_url": key,
                "title": "",
                "summary": "",
                "published": None,
                "authors": [],
                "discovered_at": now,
                "status": "pending",
                "attempts": 0,
            },
        )
    return store.record_poll(source["id"], state={"last_checked": now}, items=list(items.values()))


def add_page(
    store: Store, client: HttpClient, settings: Settings, url: str, *, now: datetime
) -> str:
    """Fetch one page an editor names, store its article, code it and place it in a story, on
    the spot; returns the article's id (an article already stored under that URL is reused).

    1. Canonicalise the URL; robots.txt decides whether it may be fetched.
    2. Fetch and extract the page as `fetch_pages` does; a page without text is refused.
    3. Store it like any ingested article, then run the incremental stages (code, stories).
    """
    try:  # 1.
        key = canonical_url(url, tracking_params=settings.ingest_tracking_params)
    except ValueError as e:
        raise InputError(f"{url!r} is not a web address: {e}") from e
    if not RobotsRules(client, agent=settings.http_user_agent).allowed(url):
        raise InputError(f"robots.txt of {url} does not allow fetching it")
    fetched = client.fetch(url)  # 2.
    if not fetched.ok:
        raise InputError(f"cannot fetch {url}: {fetched.diagnosis} {fetched.detail}".strip())
    page = extract_page(
        fetched.body,
        url=fetched.final_url,
        declared_charset=_charset_of(fetched.content_type),
        now=now,
    )
    if not page.text.strip():
        raise InputError(f"found no article text at {url}")
    ident = "h-" + hashlib.sha1(key.encode()).hexdigest()[:16]
    raw = RawItem(
        id=ident,
        url=url,
        outlet=None,
        published=page.published,
        title=page.title or url,
        text=page.text,
        authors=page.authors,
        language=page.language,
        extra={"date_source": page.date_source, "encoding": page.encoding, "added_by": "desk"},
    )
    writer = ArticleWriter(store, settings, now=now, report=IngestReport())
    file_report = FileReport(path=url)
    writer.write([Record(line=1, item=raw)], file_report)  # 3.
    if file_report.rejects:
        raise InputError(f"{url}: {file_report.rejects[0].reason}")
    stored = store.get_article(ident) or store.article_by_url(key)
    if stored is None:
        raise InputError(f"{url} could not be stored")
    run(store, now=now, settings=settings)
    return stored.id
