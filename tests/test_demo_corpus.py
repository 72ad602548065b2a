"""The demo corpus and its labels hold what docs/demo-corpus.md promises, and ingest cleanly."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crankcall.ingest.outlets import OutletIndex, load_outlets
from crankcall.models import CRANK_STATES, DYADS, EVENT_TYPES, RELATIONS, TOPICS
from crankcall.pipeline import ingest_files
from crankcall.settings import Settings
from crankcall.store import Store

SAMPLE = Path(__file__).parent.parent / "data" / "sample"
KINDS = {"wire", "news", "analysis", "state_media", "official"}
PICKS = {"highlight", "link", "analysis", "perspective", None}
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _lines(pattern: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(SAMPLE.glob(pattern)):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return rows


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return _lines("articles-*.jsonl")


@pytest.fixture(scope="module")
def labels() -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in _lines("labels-*.jsonl")}


@pytest.fixture(scope="module")
def events() -> dict[str, dict[str, Any]]:
    return {row["event_key"]: row for row in _lines("events-*.jsonl")}


def _length(article: dict[str, Any]) -> int:
    """Words, or for Chinese and Japanese text (no spaces) characters divided by two."""
    text = article["text"]
    if article.get("language") in {"zh", "ja"}:
        return len(CJK.findall(text)) // 2
    return len(text.split())


def test_corpus_size_ids_and_lengths(articles: list[dict[str, Any]]) -> None:
    assert len(articles) >= 400
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids)
    short_or_long = [a["id"] for a in articles if not 80 <= _length(a) <= 400]
    assert short_or_long == []
    assert all(a["title"].strip() for a in articles)


def test_corpus_stays_in_june_to_september_2024(articles: list[dict[str, Any]]) -> None:
    for article in articles:
        moment = datetime.fromisoformat(article["published"]).astimezone(UTC)
        assert datetime(2024, 6, 1, tzinfo=UTC) <= moment < datetime(2024, 10, 1, tzinfo=UTC), (
            article["id"]
        )
        assert article["id"].startswith(moment.strftime("%Y-%m-"))


def test_corpus_outlets_are_known_with_matching_kinds(articles: list[dict[str, Any]]) -> None:
    index = OutletIndex(load_outlets())
    kinds_by_outlet: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        outlet = index.by_name(article["outlet"])
        assert outlet is not None, article["outlet"]
        assert outlet.kind == article["kind"], article["id"]
        assert index.resolve(url=article["url"], name=None) == outlet, article["id"]
        kinds_by_outlet[outlet.kind].add(outlet.name)
    assert set(kinds_by_outlet) == KINDS
    assert sum(len(names) for names in kinds_by_outlet.values()) >= 30


def test_labels_cover_every_article_with_valid_values(
    articles: list[dict[str, Any]],
    labels: dict[str, dict[str, Any]],
    events: dict[str, dict[str, Any]],
) -> None:
    assert set(labels) == {a["id"] for a in articles}
    for label in labels.values():
        assert isinstance(label["relevant"], bool)
        assert label["crank"] == sorted(set(label["crank"])) and set(label["crank"]) <= set(
            CRANK_STATES
        )
        assert label["dyads"] == sorted(set(label["dyads"])) and set(label["dyads"]) <= set(DYADS)
        for dyad in label["dyads"]:
            assert set(dyad.split("-")) <= set(label["crank"]), label["id"]
        assert label["relation"] in RELATIONS
        assert (label["relation"] == "none") == (not label["dyads"]), label["id"]
        if label["dyads"]:
            assert label["relevant"], label["id"]
        assert label["topic"] in TOPICS
        assert label["event_type"] in EVENT_TYPES
        assert label["event_key"] in events, label["event_key"]
        assert label["duplicate_of"] is None or label["duplicate_of"] in labels


def test_corpus_mix_distractors_coverage_and_picks(
    articles: list[dict[str, Any]],
    labels: dict[str, dict[str, Any]],
    events: dict[str, dict[str, Any]],
) -> None:
    distractors = sum(1 for label in labels.values() if not label["relevant"])
    assert distractors / len(labels) >= 0.35
    outlets_per_event: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        outlets_per_event[labels[article["id"]]["event_key"]].add(article["outlet"])
    widely_covered = [key for key, names in outlets_per_event.items() if len(names) >= 3]
    assert len(widely_covered) >= 12
    assert sum(1 for label in labels.values() if label["duplicate_of"]) >= 20
    relations = Counter(label["relation"] for label in labels.values())
    assert relations["contention"] >= 10 and relations["mixed"] >= 3
    assert {a["language"] for a in articles} >= {"en", "zh", "ru", "fa", "ko"}
    for event in events.values():
        assert event["pick"] in PICKS
    for month in ("2024-06", "2024-07", "2024-08", "2024-09"):
        picks = Counter(e["pick"] for e in events.values() if e["month"] == month)
        assert picks["highlight"] >= 3, month
        assert picks["link"] >= 6, month


def test_analysis_pieces_have_event_keys_of_their_own(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    """A think-tank or journal piece is an item of its own (Recent Analysis), as the page says:
    it shares its key only with its syndicated copies, never with the news it analyses."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        label = labels[article["id"]]
        if label["duplicate_of"] is None:
            kinds[label["event_key"]].add(article["kind"])
    mixed = sorted(key for key, found in kinds.items() if "analysis" in found and len(found) > 1)
    assert mixed == []


def test_near_duplicates_share_most_of_their_text(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    by_id = {a["id"]: a for a in articles}
    for label in labels.values():
        original = label["duplicate_of"]
        if original:
            copy_words = set(by_id[label["id"]]["text"].split())
            original_words = set(by_id[original]["text"].split())
            overlap = len(copy_words & original_words) / max(1, len(copy_words))
            assert overlap >= 0.6, label["id"]


def test_texts_are_not_templates(
    articles: list[dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> None:
    originals = [a for a in articles if not labels[a["id"]]["duplicate_of"]]
    openings = Counter(" ".join(a["text"].split()[:8]) for a in originals)
    assert openings.most_common(1)[0][1] <= 2


def test_corpus_ingests_without_rejects(store: Store, settings: Settings, now: datetime) -> None:
    paths = sorted(SAMPLE.glob("articles-*.jsonl"))
    report = ingest_files(store, paths, settings, now=now)
    total = sum(1 for p in paths for line in p.read_text("utf-8").splitlines() if line.strip())
    assert report.rejected == 0
    assert report.new_outlets == []
    assert report.stored + report.duplicate == total
    assert report.stored >= 400


def test_syndicated_copies_are_linked_to_their_originals(
    store: Store, settings: Settings, now: datetime, labels: dict[str, dict[str, Any]]
) -> None:
    from sqlalchemy import select

    from crankcall.store import schema

    report = ingest_files(store, sorted(SAMPLE.glob("articles-*.jsonl")), settings, now=now)
    gold = {i: label["duplicate_of"] for i, label in labels.items() if label["duplicate_of"]}
    with store.engine.connect() as connection:
        linked = {
            row.article_id: row.original_id for row in connection.execute(select(schema.duplicates))
        }
    assert linked == gold
    assert sum(f.copies for f in report.files) == len(gold)
    some_copy, its_original = next(iter(gold.items()))
    assert some_copy in store.copies_of(its_original)
