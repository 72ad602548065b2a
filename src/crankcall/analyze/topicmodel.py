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

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crankcall.data import read_data
from crankcall.errors import DataFileError
from crankcall.models import TOPICS


@dataclass(frozen=True, slots=True)
class TopicModel:
    """The fitted model: per topic an intercept, weights for the rules' topic and scores, and
    per word its idf and one weight per topic."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    rule_weight: float
    score_weight: float
    rule_coef: tuple[tuple[float, ...], ...]
    """Per rules' topic (in `classes` order), its weight for each class."""
    score_coef: tuple[tuple[float, ...], ...]
    """Per topic scored by the rules (in `classes` order), its weight for each class."""
    terms: dict[str, tuple[float, tuple[float, ...]]]
    title_repeat: int
    lead_chars: int
    token: re.Pattern[str]
    version: str

    weighted: dict[str, tuple[float, ...]]
    """Per word, its weights times its idf: what one occurrence adds before normalising."""

    def document(self, title: str, text: str) -> str:
        """What the model reads: the headline `title_repeat` times, then the lead."""
        return (title + " ") * self.title_repeat + text[: self.lead_chars]

    def counts(self, title: str, text: str) -> Counter[str]:
        """The words of `document`, counted: the headline's once, times `title_repeat`."""
        findall = self.token.findall
        counts = Counter(findall(title.lower()))
        if self.title_repeat != 1:
            for word in counts:
                counts[word] *= self.title_repeat
        counts.update(findall(text[: self.lead_chars].lower()))
        return counts

    def vector(self, title: str, text: str) -> dict[str, float]:
        """The unit-length TF-IDF vector of the headline and lead over the model's words."""
        terms = self.terms
        weights = {
            t: (1.0 + math.log(c)) * terms[t][0]
            for t, c in self.counts(title, text).items()
            if t in terms
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}

    def scores(
        self, title: str, text: str, rule_topic: str, rule_scores: dict[str, float]
    ) -> list[float]:
        """One score per class (`classes` order); the highest is the model's topic. The words'
        part is `vector` times the weights, summed per class a column at a time (most words
        occur once: their row is their `weighted` row as it is)."""
        terms, weighted, log = self.terms, self.weighted, math.log
        rows: list[tuple[float, ...] | list[float]] = []
        squares = 0.0
        for term, count in self.counts(title, text).items():
            row = weighted.get(term)
            if row is None:
                continue
            idf = terms[term][0]
            if count == 1:
                rows.append(row)
                squares += idf * idf
            else:
                tf = 1.0 + log(count)
                rows.append([tf * w for w in row])
                squares += (tf * idf) ** 2
        out = list(self.intercept)
        n = len(out)
        if squares:
            norm = math.sqrt(squares)
            columns = zip(*rows, strict=True)
            out = [a + sum(column) / norm for a, column in zip(out, columns, strict=True)]
        if rule_topic in self.classes:
            coef = self.rule_coef[self.classes.index(rule_topic)]
            for k in range(n):
                out[k] += self.rule_weight * coef[k]
        top = max(rule_scores.values(), default=0.0) or 1.0
        for topic, value in rule_scores.items():
            if topic in self.classes and value:
                coef = self.score_coef[self.classes.index(topic)]
                share = self.score_weight * value / top
                for k in range(n):
                    out[k] += share * coef[k]
        return out

    def choose(self, title: str, text: str, rule_topic: str, rule_scores: dict[str, float]) -> str:
        """The model's topic: the class of the highest score, the first on a tie."""
        scores = self.scores(title, text, rule_topic, rule_scores)
        return self.classes[scores.index(max(scores))]


def load_topic_model(path: Path | None = None) -> TopicModel:
    """The shipped model (`data/topic-model.json`) or the file given, checked: a file that is
    not such a model is a `DataFileError` naming the file and the part that is wrong."""
    raw, where = read_data("topic-model.json", path)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataFileError(f"{where}: cannot be read as JSON ({e})") from e
    if not isinstance(data, dict):
        raise DataFileError(f"{where}: must be a JSON object")
    classes = data.get("classes")
    if (
        not isinstance(classes, list)
        or not classes
        or any(c not in TOPICS for c in classes)
        or len(set(classes)) != len(classes)
    ):
        raise DataFileError(f"{where}, classes: must list distinct topics of {', '.join(TOPICS)}")
    n = len(classes)

    def row(value: Any, entry: str) -> tuple[float, ...]:
        if (
            not isinstance(value, list)
            or len(value) != n
            or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in value)
        ):
            raise DataFileError(f"{where}, {entry}: must be {n} finite numbers")
        return tuple(float(v) for v in value)

    def table(value: Any, entry: str) -> tuple[tuple[float, ...], ...]:
        if not isinstance(value, list) or len(value) != n:
            raise DataFileError(f"{where}, {entry}: must be {n} rows, one per class")
        return tuple(row(r, f"{entry} row {i + 1}") for i, r in enumerate(value))

    def number(entry: str, kind: type = float) -> Any:
        value = data.get(entry)
        if kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, (int, float)) and math.isfinite(value)
        if not ok:
            raise DataFileError(
                f"{where}, {entry}: must be a {'count' if kind is int else 'number'}"
            )
        return kind(value)

    terms_data = data.get("terms")
    if not isinstance(terms_data, dict) or not terms_data:
        raise DataFileError(f"{where}, terms: must map words to [idf, weights...]")
    terms: dict[str, tuple[float, tuple[float, ...]]] = {}
    for word, value in terms_data.items():
        if not isinstance(value, list) or len(value) != n + 1:
            raise DataFileError(f"{where}, terms {word!r}: must be an idf and {n} weights")
        numbers = row(value[1:], f"terms {word!r}")
        idf = value[0]
        if not isinstance(idf, (int, float)) or not math.isfinite(idf) or idf <= 0:
            raise DataFileError(f"{where}, terms {word!r}: the idf must be a positive number")
        terms[word] = (float(idf), numbers)
    pattern = data.get("token_pattern")
    try:
        token = re.compile(pattern) if isinstance(pattern, str) and pattern else None
    except re.error:
        token = None
    if token is None:
        raise DataFileError(f"{where}, token_pattern: must be a regular expression")
    return TopicModel(
        classes=tuple(classes),
        intercept=row(data.get("intercept"), "intercept"),
        rule_weight=number("rule_weight"),
        score_weight=number("score_weight"),
        rule_coef=table(data.get("rule_coef"), "rule_coef"),
        score_coef=table(data.get("score_coef"), "score_coef"),
        terms=terms,
        weighted={t: tuple(idf * w for w in coef) for t, (idf, coef) in terms.items()},
        title_repeat=number("title_repeat", int),
        lead_chars=number("lead_chars", int),
        token=token,
        version=str(data.get("version", "")),
    )
