"""A second reading of the topic: a linear model over the rules' own reading and the words of
the headline and lead, fitted on our dev gold and blind phrasebooks (`tools/train_topic_model.py`,
docs/coding.md "The topic model").

The rules weigh keywords and then decide by hand-set rules; reporters' words are a long tail
that one writer's phrasing teaches little of. The model takes what the rules found (the topic
they chose, their three best scores) and the headline's and lead's words, and learns from
labelled stories how far to trust each: where the rules' margin is thin or the words say more,
it may choose otherwise. It is read from `data/topic-model.json` and needs nothing but Python
to apply: TF-IDF (sublinear term frequency, smoothed idf, unit length) as the fitting library
computes it, then one score per topic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crankcall.analyze.linear import ModelFile, Words, add_choice, add_row
from crankcall.models import TOPICS


@dataclass(frozen=True, slots=True)
class TopicModel:
    """The fitted model: per topic an intercept, weights for the rules' topic and scores, and
    per word its idf and one weight per topic (`words`)."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    rule_weight: float
    score_weight: float
    rule_coef: tuple[tuple[float, ...], ...]
    """Per rules' topic (in `classes` order), its weight for each class."""
    score_coef: tuple[tuple[float, ...], ...]
    """Per topic scored by the rules (in `classes` order), its weight for each class."""
    words: Words
    version: str

    def scores(
        self,
        title: str,
        text: str,
        rule_topic: str,
        rule_scores: dict[str, float],
        counts: Counter[str] | None = None,
    ) -> list[float]:
        """One score per class (`classes` order); the highest is the model's topic. `counts`:
        the headline's and lead's words as `words.counts` gives them, when already counted."""
        out = self.words.start(self.intercept, title, text, counts)
        add_choice(out, self.rule_coef, self.classes, rule_topic, self.rule_weight)
        top = max(rule_scores.values(), default=0.0) or 1.0
        for topic, value in rule_scores.items():
            if topic in self.classes and value:
                add_row(
                    out,
                    self.score_coef[self.classes.index(topic)],
                    self.score_weight * value / top,
                )
        return out

    def choose(
        self,
        title: str,
        text: str,
        rule_topic: str,
        rule_scores: dict[str, float],
        counts: Counter[str] | None = None,
    ) -> str:
        """The model's topic: the class of the highest score, the first on a tie."""
        scores = self.scores(title, text, rule_topic, rule_scores, counts)
        return self.classes[scores.index(max(scores))]


def load_topic_model(path: Path | None = None) -> TopicModel:
    """The shipped model (`data/topic-model.json`) or the file given, checked: a file that is
    not such a model is a `DataFileError` naming the file and the part that is wrong."""
    model = ModelFile("topic-model.json", path, TOPICS)
    return TopicModel(
        classes=model.classes,
        intercept=model.row(model.data.get("intercept"), "intercept"),
        rule_weight=model.number("rule_weight"),
        score_weight=model.number("score_weight"),
        rule_coef=model.table("rule_coef"),
        score_coef=model.table("score_coef"),
        words=model.words(),
        version=model.version,
    )
