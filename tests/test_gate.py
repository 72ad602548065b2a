"""The coder's quality gate: scores on the held-back gold part must not fall below pinned floors."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from crankcall.analyze.coder import Coder, default_coder
from crankcall.analyze.evaluation import GoldItem, Report, score
from crankcall.models import DYADS, EVENT_TYPES, RELATIONS, TOPICS, CodedArticle
from crankcall.pipeline import default_gold_paths, evaluate, load_gold

ROOT = Path(__file__).parent.parent
_PINNED = tomllib.loads((ROOT / "tests" / "gold" / "floors.toml").read_text("utf-8"))
FLOORS = _PINNED["coder"]
RULES_FLOORS = _PINNED["rules"]


@pytest.fixture(scope="module")
def held_back() -> list[GoldItem]:
    items = [item for item in load_gold(default_gold_paths(ROOT)) if item.split == "test"]
    assert len(items) >= 400
    return items


@pytest.fixture(scope="module")
def report(held_back: list[GoldItem]) -> Report:
    return evaluate(held_back, default_coder())


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_score_stays_above_its_floor(report: Report, measure: str) -> None:
    assert report.figures()[measure] >= FLOORS[measure], (
        f"{measure} fell to {report.figures()[measure]:.3f}, below the floor {FLOORS[measure]}"
    )


@pytest.mark.parametrize("measure", sorted(RULES_FLOORS))
def test_the_rules_own_reading_stays_above_its_floor(
    held_back: list[GoldItem], measure: str
) -> None:
    """Without the models: the reading each interaction of a crowded article and the story stage
    take their event type from."""
    coder = default_coder()
    figure = evaluate(held_back, Coder(coder.gazetteer, coder.lexicon)).figures()[measure]
    assert figure >= RULES_FLOORS[measure], (
        f"the rules' {measure} fell to {figure:.3f}, below the floor {RULES_FLOORS[measure]}"
    )


def test_gold_sets_are_large_balanced_and_split() -> None:
    items = load_gold(sorted((ROOT / "tests" / "gold").glob("coding-*.jsonl")))
    assert len(items) >= 500
    assert {item.split for item in items} == {"dev", "test"}
    dyads = {dyad for item in items for dyad in item.dyads}
    assert dyads == {"CN-IR", "CN-KP", "CN-RU", "IR-KP", "IR-RU", "KP-RU"}
    assert {item.relation for item in items} == {"cooperation", "contention", "mixed", "none"}
    assert sum(not item.relevant for item in items) >= 100
    assert sum(not item.text for item in items) >= 100  # headlines alone


def test_a_higher_score_threshold_trades_recall_for_precision(report: Report) -> None:
    """`crankcall eval` shows relevance at each score threshold, so a reader can choose one: the
    curve falls in recall as the threshold rises, and every point is counted on the same items."""
    curve = report.relevance_by_score
    assert list(curve) == sorted(curve) and len(curve) >= 5
    recalls = [f.recall for f in curve.values()]
    assert recalls == sorted(recalls, reverse=True) and recalls[0] > recalls[-1]
    totals = {f.true_positive + f.false_negative for f in curve.values()}
    assert totals == {report.relevance.true_positive + report.relevance.false_negative}
    assert curve[0.9].precision >= curve[0.3].precision


def test_the_second_readers_labels_are_of_held_back_items_and_the_vocabulary() -> None:
    # bench/agreement.py scores them against the gold labels: every item must be one of the
    # held-back part, read once, labelled in the fixed vocabulary.
    split = {item.id: item.split for item in load_gold(default_gold_paths(ROOT))}
    lines = (ROOT / "tests" / "gold" / "second-reader.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == len({row["id"] for row in rows}) >= 200
    for row in rows:
        assert split[row["id"]] == "test", row["id"]
        assert set(row["dyads"]) <= set(DYADS) and row["relation"] in RELATIONS, row["id"]
        assert row["topic"] in TOPICS, row["id"]
        assert (row["relation"] == "none") == (not row["dyads"]), row["id"]


def test_the_event_readers_types_are_of_the_second_readers_items() -> None:
    # bench/agreement.py scores the third reader's event types beside the second reader's
    # labels: the same items, each once, each a PLOVER type with the reader's reason.
    second = (ROOT / "tests" / "gold" / "second-reader.jsonl").read_text("utf-8").splitlines()
    events = (ROOT / "tests" / "gold" / "event-reader.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in events]
    assert [row["id"] for row in rows] == [json.loads(line)["id"] for line in second]
    for row in rows:
        assert row["event_type"] in EVENT_TYPES and row["why"].strip(), row["id"]


def test_the_topic_confusion_says_where_topics_go_wrong(report: Report) -> None:
    """`crankcall eval` shows which topic the coder gives each gold topic: the table counts the
    items in scope, its diagonal is what topic accuracy counts, and every topic has a row."""
    confusion = report.topic_confusion
    assert set(TOPICS) <= set(confusion)
    assert all(set(row) == set(confusion) for row in confusion.values())
    total = sum(sum(row.values()) for row in confusion.values())
    hits = sum(confusion[t][t] for t in confusion)
    assert total == report.relevance.true_positive + report.relevance.false_negative
    assert hits / total == pytest.approx(report.topic_accuracy)


def test_the_topic_confusion_counts_each_item_in_scope_once() -> None:
    gold = [
        GoldItem(
            id=str(n),
            title="t",
            text="",
            published=None,
            relevant=relevant,
            dyads=(),
            relation="none",
            topic=topic,
            event_type=None,
            split="test",
            source="s",
        )
        for n, (relevant, topic) in enumerate(
            [(True, "energy"), (True, "energy"), (True, "military"), (False, "other")]
        )
    ]
    coded = [
        CodedArticle(
            id=str(n),
            relevant=True,
            score=1.0,
            crank=(),
            dyads=(),
            relation="none",
            topic=topic,
            event_type=None,
            intensity=0.0,
            actors=(),
            evidence=(),
            interactions=(),
            rules=(),
            coder="test",
        )
        for n, topic in enumerate(["energy", "trade_finance", "space", "other"])
    ]
    confusion = score(gold, coded).topic_confusion
    assert confusion["energy"]["energy"] == 1 and confusion["energy"]["trade_finance"] == 1
    # A topic outside the fixed list gets a column (and an empty row) of its own.
    assert confusion["military"]["space"] == 1 and sum(confusion["space"].values()) == 0
    assert sum(confusion["other"].values()) == 0  # out of scope: not counted
