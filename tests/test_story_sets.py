"""Every story month written blind (`tests/gold/stories*`) holds what docs/demo-corpus.md
promises of its files: the quality gates score the system against these labels, so a label out
of the vocabulary, an event key without its event or an outlet the system does not know would
make the figures wrong without failing anything."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crankcall.ingest.outlets import OutletIndex, load_outlets
from crankcall.models import CRANK_STATES, DYADS, EVENT_TYPES, RELATIONS, TOPICS

GOLD = Path(__file__).parent / "gold"
MONTHS = sorted(GOLD.glob("stories*/articles-*.jsonl"))
PICKS = {"highlight", "link", "analysis", "perspective", None}
LANGUAGES = {"en", "zh", "ru", "fa", "ko"}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def outlets() -> OutletIndex:
    return OutletIndex(load_outlets())


def test_there_are_blind_story_months() -> None:
    assert len(MONTHS) >= 12


@pytest.mark.parametrize("path", MONTHS, ids=lambda p: p.stem.removeprefix("articles-"))
def test_a_blind_story_month_is_well_formed(path: Path, outlets: OutletIndex) -> None:
    month = path.stem.removeprefix("articles-")
    articles = _rows(path)
    labels = _rows(path.with_name(f"labels-{month}.jsonl"))
    events = _rows(path.with_name(f"events-{month}.jsonl"))
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids) and all(i.startswith(month) for i in ids)
    assert [label["id"] for label in labels] == ids
    for article in articles:
        outlet = outlets.by_name(article["outlet"])
        assert outlet is not None, (article["id"], article["outlet"])
        assert outlet.kind == article["kind"], article["id"]
        assert article["language"] in LANGUAGES, article["id"]
        assert datetime.fromisoformat(article["published"]).strftime("%Y-%m") == month
        assert article["title"].strip() and article["text"].strip(), article["id"]
    keys = [e["event_key"] for e in events]
    assert len(set(keys)) == len(keys), month
    assert set(keys) == {label["event_key"] for label in labels}, month
    assert all(e["pick"] in PICKS and e["month"] == month for e in events), month
    position = {i: n for n, i in enumerate(ids)}
    for label in labels:
        where = label["id"]
        assert isinstance(label["relevant"], bool), where
        assert label["crank"] == sorted(set(label["crank"])), where
        assert set(label["crank"]) <= set(CRANK_STATES), where
        assert label["dyads"] == sorted(set(label["dyads"])), where
        assert set(label["dyads"]) <= set(DYADS), where
        assert all(set(d.split("-")) <= set(label["crank"]) for d in label["dyads"]), where
        assert label["relation"] in RELATIONS, where
        assert (label["relation"] == "none") == (not label["dyads"]), where
        assert not label["dyads"] or label["relevant"], where
        assert label["topic"] in TOPICS and label["event_type"] in EVENT_TYPES, where
        original = label["duplicate_of"]
        if original is not None:
            assert position[original] < position[where], where  # a copy follows its original
    picks = Counter(e["pick"] for e in events)
    assert picks["highlight"] >= 3 and picks["link"] >= 6, month
