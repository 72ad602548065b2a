"""Records for compose tests: the demo corpus as story bundles, and articles and stories we write.

The demo corpus is turned into story bundles as the story stage would hand them to compose.

Articles are read with the ingest reader (contract 1) and turned into `Article` records the way
ingest stores them; outlets come from the shipped outlets data. Each picked development of a month
(its `event_key` in the labels) becomes one story: its section from the editor's pick, its rank
the order of the events file, its copies from the labels' `duplicate_of`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crankcall.ingest.files import ReadOptions, Record, read_jsonl
from crankcall.ingest.normalise import canonical_url, content_hash
from crankcall.ingest.outlets import OutletIndex, new_outlet
from crankcall.models import Article, Outlet, Story, StoryBundle

SAMPLE = Path(__file__).parent.parent.parent / "data" / "sample"
MONTHS = ("2024-06", "2024-07", "2024-08", "2024-09")
FETCHED = datetime(2024, 10, 1, tzinfo=UTC)
SECTIONS = {
    "highlight": "highlights",
    "link": "links",
    "analysis": "analysis",
    "perspective": "perspectives",
}


@dataclass(frozen=True)
class DemoMonth:
    """One month of the demo corpus as compose sees it."""

    month: str
    since: datetime
    until: datetime
    bundles: list[StoryBundle]
    articles: dict[str, Article]


def _json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def read_articles(path: Path, index: OutletIndex) -> tuple[dict[str, Article], dict[str, Outlet]]:
    """The articles of a JSONL file as stored records, and the outlets they resolve to."""
    options = ReadOptions(max_record_bytes=1_000_000, max_title_chars=1000, now=FETCHED)
    articles: dict[str, Article] = {}
    outlets: dict[str, Outlet] = {}
    for entry in read_jsonl(path, options):
        assert isinstance(entry, Record), entry
        item = entry.item
        outlet = index.resolve(url=item.url, name=item.outlet) or new_outlet(
            url=item.url, name=item.outlet
        )
        outlets[outlet.name] = outlet
        assert item.id is not None
        articles[item.id] = Article(
            id=item.id,
            url=item.url,
            canonical_url=canonical_url(item.url) if item.url else None,
            outlet=outlet.name,
            title=item.title,
            text=item.text,
            authors=item.authors,
            published=item.published,
            fetched=FETCHED,
            language=item.language,
            content_hash=content_hash(item.title, item.text),
            extra=dict(item.extra),
        )
    return articles, outlets


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next."""
    year, number = (int(p) for p in month.split("-"))
    since = datetime(year, number, 1, tzinfo=UTC)
    until = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    return since, until


def demo_month(month: str, index: OutletIndex) -> DemoMonth:
    """The picked developments of a demo month as ranked story bundles."""
    articles, outlets = read_articles(SAMPLE / f"articles-{month}.jsonl", index)
    labels = _json_lines(SAMPLE / f"labels-{month}.jsonl")
    events = [e for e in _json_lines(SAMPLE / f"events-{month}.jsonl") if e["pick"]]
    bundles: list[StoryBundle] = []
    for rank, event in enumerate((e for e in events if e["relevant"]), start=1):
        rows = [r for r in labels if r["event_key"] == event["event_key"]]
        if rows:
            bundles.append(_bundle(rank, event, rows, articles, outlets))
    since, until = month_bounds(month)
    return DemoMonth(month=month, since=since, until=until, bundles=bundles, articles=articles)


def _bundle(
    rank: int,
    event: dict[str, Any],
    rows: list[dict[str, Any]],
    articles: dict[str, Article],
    outlets: dict[str, Outlet],
) -> StoryBundle:
    members = [articles[r["id"]] for r in rows]
    copies = {r["id"]: r["duplicate_of"] for r in rows if r["duplicate_of"]}
    by_time = sorted(members, key=lambda a: (a.published or FETCHED, a.id))
    representative = next(a for a in by_time if a.id not in copies)
    ordered = [representative, *(a for a in by_time if a is not representative)]
    times = [a.published or FETCHED for a in members]
    story = Story(
        id=event["event_key"],
        article_ids=tuple(a.id for a in ordered),
        representative_id=representative.id,
        headline=representative.title,
        dyads=tuple(rows[0]["dyads"]),
        relation=rows[0]["relation"],
        topic=rows[0]["topic"],
        first_seen=min(times),
        last_seen=max(times),
        score=1.0 / rank,
        components={"order": float(rank)},
        section=SECTIONS[event["pick"]],
    )
    return StoryBundle(
        rank=rank,
        story=story,
        articles=tuple(ordered),
        outlets={a.outlet: outlets[a.outlet] for a in ordered},
        copies=copies,
    )


def make_article(
    ident: str,
    text: str,
    *,
    title: str = "A story about Russia and China",
    outlet: str = "Reuters",
    url: str | None = None,
    published: datetime | None = None,
    authors: tuple[str, ...] = (),
    language: str | None = "en",
) -> Article:
    """An article record as ingest would store it, for tests that write their own text."""
    address = url or f"https://example.org/{ident}"
    return Article(
        id=ident,
        url=address,
        canonical_url=canonical_url(address),
        outlet=outlet,
        title=title,
        text=text,
        authors=authors,
        published=published or datetime(2024, 8, 20, 12, tzinfo=UTC),
        fetched=FETCHED,
        language=language,
        content_hash=content_hash(title, text),
    )


def make_bundle(
    articles: list[Article],
    *,
    section: str,
    rank: int = 1,
    story_id: str = "story-1",
    copies: dict[str, str] | None = None,
) -> StoryBundle:
    """A ranked story of the given articles (the first is its representative)."""
    times = [a.published or FETCHED for a in articles]
    story = Story(
        id=story_id,
        article_ids=tuple(a.id for a in articles),
        representative_id=articles[0].id,
        headline=articles[0].title,
        dyads=("CN-RU",),
        relation="cooperation",
        topic="diplomacy",
        first_seen=min(times),
        last_seen=max(times),
        score=1.0,
        components={},
        section=section,
    )
    outlets = {a.outlet: Outlet(name=a.outlet, domain=None, kind="news") for a in articles}
    return StoryBundle(
        rank=rank, story=story, articles=tuple(articles), outlets=outlets, copies=copies or {}
    )
