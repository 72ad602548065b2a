"""Scoring the coder against gold sets: precision, recall, F1, macro-F1 and a confusion matrix.

Gold items are contract-1 articles with labels (`relevant`, `dyads`, `relation`, `topic`,
`event_type`, and optionally `split`). Pure: items and codings in, figures out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crankcall.models import RELATIONS, TOPICS, CodedArticle


@dataclass(frozen=True, kw_only=True, slots=True)
class GoldItem:
    """One labelled article."""

    id: str
    title: str
    text: str
    published: str | None
    relevant: bool
    dyads: tuple[str, ...]
    relation: str
    topic: str
    event_type: str | None
    split: str
    source: str


@dataclass(frozen=True, kw_only=True, slots=True)
class PRF:
    """Precision, recall and F1 with the counts behind them."""

    precision: float
    recall: float
    f1: float
    true_positive: int
    false_positive: int
    false_negative: int


@dataclass(kw_only=True)
class Report:
    """Every figure `crankcall eval` prints."""

    items: int
    relevance: PRF
    dyads: PRF
    relation_macro_f1: float
    relation_f1: dict[str, float]
    relation_confusion: dict[str, dict[str, int]]
    topic_accuracy: float
    event_accuracy: float
    topic_confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    """Gold topic -> coded topic -> items, over the items in scope (as topic accuracy): where
    the coder's topics go wrong, not only how often."""
    errors: list[dict[str, Any]] = field(default_factory=list)
    relevance_by_score: dict[float, PRF] = field(default_factory=dict)
    """Relevance if an article counted as in scope when its score reaches each threshold of
    `SCORE_THRESHOLDS`: how a reader trades precision against recall."""

    def figures(self) -> dict[str, float]:
        """The gated figures by name."""
        return {
            "relevance_f1": self.relevance.f1,
            "dyad_f1": self.dyads.f1,
            "relation_macro_f1": self.relation_macro_f1,
            "topic_accuracy": self.topic_accuracy,
            "event_accuracy": self.event_accuracy,
        }


def prf(tp: int, fp: int, fn: int) -> PRF:
    """Precision, recall and F1 from counts (1.0 where nothing was expected or predicted)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(
        precision=precision,
        recall=recall,
        f1=f1,
        true_positive=tp,
        false_positive=fp,
        false_negative=fn,
    )


SCORE_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
"""The relevance scores `crankcall eval` reports precision and recall at."""


def relevance_by_score(
    items: Sequence[GoldItem], coded: Sequence[CodedArticle], thresholds: Sequence[float]
) -> dict[float, PRF]:
    """Relevance precision, recall and F1 if in scope meant a score of at least each threshold
    (the coder's own decision is `Report.relevance`)."""
    curve: dict[float, PRF] = {}
    for threshold in thresholds:
        counts = Counter(
            _outcome(gold.relevant, got.score >= threshold)
            for gold, got in zip(items, coded, strict=True)
        )
        curve[threshold] = prf(counts["tp"], counts["fp"], counts["fn"])
    return curve


def score(items: Sequence[GoldItem], coded: Sequence[CodedArticle]) -> Report:
    """Compare codings with gold labels, item by item (same order)."""
    rel = Counter[str]()
    dy = Counter[str]()
    confusion: dict[str, Counter[str]] = {r: Counter() for r in RELATIONS}
    topic_hits = event_hits = in_scope = 0
    topics: dict[str, Counter[str]] = {t: Counter() for t in TOPICS}
    errors: list[dict[str, Any]] = []
    for gold, got in zip(items, coded, strict=True):
        rel[_outcome(gold.relevant, got.relevant)] += 1
        gold_dyads, got_dyads = set(gold.dyads), set(got.dyads)
        dy["tp"] += len(gold_dyads & got_dyads)
        dy["fp"] += len(got_dyads - gold_dyads)
        dy["fn"] += len(gold_dyads - got_dyads)
        confusion[gold.relation][got.relation] += 1
        if gold.relevant:
            in_scope += 1
            topic_hits += gold.topic == got.topic
            topics.setdefault(gold.topic, Counter())[got.topic] += 1
            event_hits += gold.event_type == got.event_type
        if (
            gold.relevant != got.relevant
            or gold_dyads != got_dyads
            or gold.relation != got.relation
        ):
            errors.append(
                {
                    "id": gold.id,
                    "title": gold.title,
                    "gold": {
                        "relevant": gold.relevant,
                        "dyads": sorted(gold_dyads),
                        "relation": gold.relation,
                    },
                    "got": {
                        "relevant": got.relevant,
                        "dyads": sorted(got_dyads),
                        "relation": got.relation,
                    },
                    "rules": list(got.rules),
                }
            )
    relation_f1 = _per_class_f1(confusion)
    present = [r for r in RELATIONS if sum(confusion[r].values()) > 0]
    return Report(
        items=len(items),
        relevance=prf(rel["tp"], rel["fp"], rel["fn"]),
        dyads=prf(dy["tp"], dy["fp"], dy["fn"]),
        relation_macro_f1=sum(relation_f1[r] for r in present) / len(present) if present else 1.0,
        relation_f1=relation_f1,
        relation_confusion={r: {c: confusion[r][c] for c in RELATIONS} for r in RELATIONS},
        topic_accuracy=topic_hits / in_scope if in_scope else 1.0,
        event_accuracy=event_hits / in_scope if in_scope else 1.0,
        topic_confusion=_square(topics),
        errors=errors,
        relevance_by_score=relevance_by_score(items, coded, SCORE_THRESHOLDS),
    )


def _square(confusion: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    """A confusion table with a column for every label that is a row or was coded (a topic
    outside the fixed list, in a gold file or from a coder, keeps its own row and column)."""
    labels = list(confusion)
    labels += sorted({c for row in confusion.values() for c in row} - set(labels))
    return {g: {c: confusion.get(g, Counter())[c] for c in labels} for g in labels}


def _outcome(gold: bool, got: bool) -> str:
    if gold and got:
        return "tp"
    if got:
        return "fp"
    return "fn" if gold else "tn"


def _per_class_f1(confusion: dict[str, Counter[str]]) -> dict[str, float]:
    result = {}
    for label in RELATIONS:
        tp = confusion[label][label]
        fp = sum(confusion[other][label] for other in RELATIONS if other != label)
        fn = sum(count for predicted, count in confusion[label].items() if predicted != label)
        result[label] = prf(tp, fp, fn).f1
    return result


def gold_items(rows: Iterable[dict[str, Any]], *, source: str) -> list[GoldItem]:
    """Gold items from labelled rows (title/text with labels in one object)."""
    return [
        GoldItem(
            id=str(row["id"]),
            title=row.get("title") or "",
            text=row.get("text") or "",
            published=row.get("published"),
            relevant=bool(row["relevant"]),
            dyads=tuple(row.get("dyads", ())),
            relation=row.get("relation", "none"),
            topic=row.get("topic", "other"),
            event_type=row.get("event_type"),
            split=row.get("split", "all"),
            source=source,
        )
        for row in rows
    ]
