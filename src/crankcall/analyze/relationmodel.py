"""A second reading of each dyad's relation: a linear model over what the relation rules weighed
for the pair and the words of the headline and lead, fitted on our dev gold and blind relation
phrasebooks (`tools/train_relation_model.py`, docs/coding.md "The relation model").

The rules decide cooperation, contention or mixed from cue weights with hand-set thresholds;
how reporters set a deal beside a quarrel is a long tail that thresholds fit badly. The model
reads the rules' relation and the rule that decided it, the numbers they weighed
(`relation.pair_features`), how many dyads the article has, and the headline's and lead's
words (and those of the dyad's evidence sentences, marked apart), and learns from labelled
stories where to overrule them. It is read from
`data/relation-model.json` and applied in pure Python (`linear.py`)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crankcall.analyze.linear import ModelFile, Words, add_row
from crankcall.analyze.relation import PAIR_FEATURES

RELATIONS = ("contention", "cooperation", "mixed")
"""What the model chooses among: a dyad's relation (never `none`)."""


@dataclass(frozen=True, slots=True)
class RelationModel:
    """The fitted model: per relation an intercept, weights for the pair's numbers (taken as
    `feature_scale * log(1 + x)`), for the number of dyads, for the rules' relation and rule
    (`rule_weight` when they hold), and per word its idf and weights (`words`)."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    feature_scale: float
    feature_coef: tuple[tuple[float, ...], ...]
    """Per name of `PAIR_FEATURES`, its weight for each class."""
    dyads_coef: tuple[float, ...]
    rule_weight: float
    rule_coef: dict[str, tuple[float, ...]]
    """Per relation the rules may read, its weight for each class."""
    reason_coef: dict[str, tuple[float, ...]]
    """Per kind of rule (`relation.reason_kind`), its weight for each class."""
    words: Words
    version: str
    evidence_mark: str = ""
    """When set, the words of the dyad's evidence sentences are read too, each as this mark
    followed by the word (a word of its own, apart from the same word in the headline or
    lead), in one TF-IDF with them."""

    def evidence_counts(self, evidence: str) -> Counter[str]:
        """The marked words of a dyad's evidence sentences (empty when the model reads none)."""
        if not self.evidence_mark or not evidence:
            return Counter()
        return Counter(marked_words(evidence, self.evidence_mark, self.words.token))

    def scores(
        self,
        title: str,
        text: str,
        features: tuple[float, ...],
        dyads: int,
        relation: str,
        reason: str,
        counts: Counter[str] | None = None,
        evidence: str = "",
    ) -> list[float]:
        """One score per class (`classes` order) for one dyad: `features` from
        `relation.pair_features`, `dyads` the article's number of dyads, `relation` and
        `reason` the rules' (`reason` as `relation.reason_kind` gives it); `counts` the
        headline's and lead's words as `words.counts` gives them, when already counted (left
        as they are); `evidence` the text of the dyad's evidence sentences."""
        if counts is None:
            counts = self.words.counts(title, text)
        marked = self.evidence_counts(evidence)
        if marked:
            counts = counts + marked
        out = self.words.add(list(self.intercept), counts)
        scale, log1p = self.feature_scale, math.log1p
        for value, row in zip(features, self.feature_coef, strict=True):
            if value:
                add_row(out, row, scale * log1p(value))
        add_row(out, self.dyads_coef, float(dyads))
        for table, key in ((self.rule_coef, relation), (self.reason_coef, reason)):
            weights = table.get(key)
            if weights is not None:
                add_row(out, weights, self.rule_weight)
        return out

    def choose(
        self,
        title: str,
        text: str,
        features: tuple[float, ...],
        dyads: int,
        relation: str,
        reason: str,
        counts: Counter[str] | None = None,
        evidence: str = "",
    ) -> str:
        """The model's relation for one dyad: the class of the highest score, the first on a
        tie."""
        scores = self.scores(title, text, features, dyads, relation, reason, counts, evidence)
        return self.classes[scores.index(max(scores))]


def load_relation_model(path: Path | None = None) -> RelationModel:
    """The shipped model (`data/relation-model.json`) or the file given, checked: a file that
    is not such a model is a `DataFileError` naming the file and the part that is wrong."""
    model = ModelFile("relation-model.json", path, RELATIONS)
    features = model.names("features")
    if features != PAIR_FEATURES:
        raise model.fail(
            "features", f"must name the coder's pair features: {', '.join(PAIR_FEATURES)}"
        )
    relations = model.names("relations")
    if any(r not in RELATIONS for r in relations):
        raise model.fail("relations", f"must be values of {', '.join(RELATIONS)}")
    reasons = model.names("reasons")
    return RelationModel(
        classes=model.classes,
        intercept=model.row(model.data.get("intercept"), "intercept"),
        feature_scale=model.number("feature_scale"),
        feature_coef=model.table("feature_coef", features),
        dyads_coef=model.row(model.data.get("dyads_coef"), "dyads_coef"),
        rule_weight=model.number("rule_weight"),
        rule_coef=dict(zip(relations, model.table("rule_coef", relations), strict=True)),
        reason_coef=dict(zip(reasons, model.table("reason_coef", reasons), strict=True)),
        words=model.words(),
        version=model.version,
        evidence_mark=_evidence_mark(model),
    )


def marked_words(evidence: str, mark: str, token: re.Pattern[str]) -> list[str]:
    """The words of evidence sentences as the model reads them: lower case, each behind `mark`
    (one letter, so that the mark and the word stay one word to `token`)."""
    return [mark + word for word in token.findall(evidence.lower())]


def _evidence_mark(model: ModelFile) -> str:
    """The file's `evidence_mark`: absent or empty (no evidence words), or one letter."""
    mark = model.data.get("evidence_mark", "")
    if not isinstance(mark, str) or len(mark) > 1 or (mark and not mark.isalpha()):
        raise model.fail("evidence_mark", "must be one letter, or empty")
    return mark
