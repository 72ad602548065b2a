"""Feeds: RSS 0.9x/1.0/2.0 and Atom (feedparser, on bytes our client fetched) and JSON Feed.

`parse_feed` returns the feed's title and its items (link, title, summary, date, authors), or
raises `FeedError` with a diagnosis. Entity declarations are refused before any parser sees the
document, so an entity bomb never expands; markup in titles and summaries is reduced to text.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from crankcall.ingest.markup import tamed
from crankcall.ingest.normalise import (
    clean_line,
    clean_text,
    parse_published,
    without_lone_surrogates,
)

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(
    r"(?i)</?(br|p|div|li|ul|ol|tr|td|h[1-6]|blockquote|section|article)\b[^>]*>"
)
_BLOCK = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>")


class FeedError(Exception):
    """A feed that cannot be read: `diagnosis` names the kind of problem."""

    def __init__(self, diagnosis: str, detail: str) -> None:
        super().__init__(detail)
        self.diagnosis = diagnosis
        self.detail = detail


@dataclass(frozen=True, kw_only=True, slots=True)
class FeedItem:
    """One entry of a feed."""

    url: str
    title: str
    summary: str
    published: datetime | None
    authors: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Feed:
    """A parsed feed."""

    title: str
    items: tuple[FeedItem, ...]
    format: str


def parse_feed(body: bytes, *, base_url: str, now: datetime, content_type: str = "") -> Feed:
    """Parse a feed document fetched from `base_url`."""
    if not body.strip():
        raise FeedError("parse_error", "empty document")
    head = body.lstrip()[:1]
    if "json" in content_type.lower() or head == b"{":
        return _json_feed(body, base_url=base_url, now=now)
    if _ENTITY_DECLARATION.search(body[:65536]):
        raise FeedError("parse_error", "refused: the document declares XML entities")
    parsed = feedparser.parse(tamed(body), response_headers={"content-location": base_url})
    entries = parsed.get("entries") or []
    items = tuple(
        item for item in (_xml_item(e, base_url=base_url, now=now) for e in entries) if item
    )
    if parsed.get("bozo") and not items:
        # Broken XML is forgiven only when the lenient parser still finds linked items in it.
        problem = parsed.get("bozo_exception")
        raise FeedError("parse_error", f"not a feed: {str(problem)[:200] or 'unreadable XML'}")
    if not entries and not parsed.get("version"):
        raise FeedError("parse_error", "not a feed: no channel and no entries")
    return Feed(
        title=clean_line(_text(parsed.get("feed", {}).get("title", ""))),
        items=items,
        format=str(parsed.get("version") or "xml"),
    )


def _xml_item(entry: Any, *, base_url: str, now: datetime) -> FeedItem | None:
    link = entry.get("link") or ""
    if not link:
        links = [ln.get("href") for ln in entry.get("links", []) if ln.get("href")]
        link = links[0] if links else ""
    url = urljoin(base_url, link.strip())
    if urlsplit(url).scheme not in ("http", "https") or url == base_url:
        return None  # no web address of its own (an urn: id, or the feed's own address)
    if not entry.get("title") and not entry.get("summary"):
        return None
    published = None
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            published = _date(raw, now)
            if published is not None:
                break
    authors = tuple(
        a for a in (clean_line(_text(x.get("name", ""))) for x in entry.get("authors", [])) if a
    ) or ((clean_line(_text(entry["author"])),) if entry.get("author") else ())
    return FeedItem(
        url=url,
        title=clean_line(_text(entry.get("title", ""))),
        summary=clean_text(_text(entry.get("summary", ""))),
        published=published,
        authors=authors,
    )


def _json_feed(body: bytes, *, base_url: str, now: datetime) -> Feed:
    try:
        data = json.loads(body)
        if isinstance(data, dict):
            # Walked whole: a feed may be UTF-16, where no text search of its bytes would do.
            data = without_lone_surrogates(data)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise FeedError("parse_error", f"not JSON: {e}") from e
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FeedError("parse_error", "JSON but not a JSON Feed (no jsonfeed.org version)")
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise FeedError("parse_error", "JSON Feed without an items list")
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        link = raw.get("url") or raw.get("external_url")
        if not isinstance(link, str) or not link:
            continue
        summary = raw.get("summary") or raw.get("content_text") or raw.get("content_html") or ""
        authors = raw.get("authors") or (
            [raw["author"]] if isinstance(raw.get("author"), dict) else []
        )
        names = tuple(
            clean_line(str(a.get("name", "")))
            for a in authors
            if isinstance(a, dict) and a.get("name")
        )
        items.append(
            FeedItem(
                url=urljoin(base_url, link.strip()),
                title=clean_line(_text(str(raw.get("title") or ""))),
                summary=clean_text(_text(str(summary))),
                published=_date(str(raw.get("date_published") or ""), now),
                authors=names,
            )
        )
    return Feed(
        title=clean_line(_text(str(data.get("title") or ""))), items=tuple(items), format="json1"
    )


def _date(raw: str, now: datetime) -> datetime | None:
    try:
        return parse_published(raw, now=now)
    except ValueError:
        return None  # a bad date in a feed costs the date, not the item


def _text(value: str) -> str:
    """Markup reduced to text: scripts and styles dropped, tags removed, entities decoded."""
    without_blocks = _BLOCK.sub(" ", value)
    spaced = _BLOCK_TAG.sub(" ", without_blocks)
    return html.unescape(_TAG.sub("", spaced))
