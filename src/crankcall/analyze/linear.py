"""What the coder's two second readings share (`topicmodel.py`, `relationmodel.py`): the words
of a headline and lead as a fitted TF-IDF reads them, their part of a linear model's scores,
and the checks on a model file when it is loaded.

Both models are logistic regressions fitted with a common library (`tools/train_*.py`) and
applied here in pure Python: TF-IDF with sublinear term frequency, smoothed idf and unit
length, as the library computes it, times one weight per class, plus what each model reads
from the rules."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crankcall.data import read_data
from crankcall.errors import DataFileError


@dataclass(frozen=True, slots=True)
class Words:
    """The words part of a fitted model: per word its idf and one weight per class."""

    terms: dict[str, tuple[float, tuple[float, ...]]]
    title_repeat: int
    lead_chars: int
    token: re.Pattern[str]
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

    @property
    def reading(self) -> tuple[str, int, int]:
        """How the words are read: two models with the same reading share `counts`."""
        return (self.token.pattern, self.title_repeat, self.lead_chars)

    def start(
        self, intercept: tuple[float, ...], title: str, text: str, counts: Counter[str] | None
    ) -> list[float]:
        """A model's scores before what it reads from the rules: its intercept plus the words'
        part, from `counts` (the headline's and lead's words as `counts` gives them) when they
        were counted already."""
        return self.add(list(intercept), self.counts(title, text) if counts is None else counts)

    def add(self, out: list[float], counts: Counter[str]) -> list[float]:
        """`out` plus the words' part of the scores, from the words `counts` gives: `vector`
        times the weights, summed per class a column at a time (most words occur once: their
        row is their `weighted` row as it is)."""
        terms, weighted, log = self.terms, self.weighted, math.log
        rows: list[tuple[float, ...] | list[float]] = []
        squares = 0.0
        for term, count in counts.items():
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
        if not squares:
            return out
        norm = math.sqrt(squares)
        columns = zip(*rows, strict=True)
        return [a + sum(column) / norm for a, column in zip(out, columns, strict=True)]


def add_choice(
    out: list[float],
    table: tuple[tuple[float, ...], ...],
    names: tuple[str, ...],
    chosen: str | None,
    times: float,
) -> None:
    """Add `times` the row of `table` that belongs to `chosen` among `names` (one row per name,
    in order), nothing when `chosen` is none of them: a choice of the rules read as one-hot."""
    if chosen in names:
        add_row(out, table[names.index(chosen)], times)


def add_row(out: list[float], row: tuple[float, ...], times: float) -> None:
    """Add `times` a row of weights to the scores, in place."""
    for k, w in enumerate(row):
        out[k] += times * w


_NUMBER_TYPES = frozenset({int, float})


def _numbers(values: list[Any]) -> bool:
    """Whether every value is a finite number (not a bool): checked in C, as a model file holds
    some 200,000 of them and the check ran at every start. The sum of finite numbers of a
    model's size is finite; NaN or an infinity anywhere makes it not."""
    return set(map(type, values)) <= _NUMBER_TYPES and math.isfinite(sum(values))


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class ModelFile:
    """A model file read as JSON and checked part by part: every problem is a `DataFileError`
    naming the file and the part."""

    def __init__(self, name: str, path: Path | None, classes: Iterable[str]) -> None:
        """`name`: the shipped file in `data/` (read when `path` is None); `classes`: the
        values the model may choose among."""
        raw, self.where = read_data(name, path)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise DataFileError(f"{self.where}: cannot be read as JSON ({e})") from e
        if not isinstance(data, dict):
            raise DataFileError(f"{self.where}: must be a JSON object")
        self.data: dict[str, Any] = data
        allowed = tuple(classes)
        found = data.get("classes")
        if (
            not isinstance(found, list)
            or not found
            or any(c not in allowed for c in found)
            or len(set(found)) != len(found)
        ):
            raise DataFileError(
                f"{self.where}, classes: must list distinct values of {', '.join(allowed)}"
            )
        self.classes: tuple[str, ...] = tuple(found)
        self.version = str(data.get("version", ""))

    def fail(self, entry: str, problem: str) -> DataFileError:
        return DataFileError(f"{self.where}, {entry}: {problem}")

    def row(self, value: Any, entry: str) -> tuple[float, ...]:
        """One finite number per class."""
        n = len(self.classes)
        if not isinstance(value, list) or len(value) != n or not _numbers(value):
            raise self.fail(entry, f"must be {n} finite numbers")
        return tuple(map(float, value))

    def table(
        self, entry: str, names: Iterable[str] | None = None
    ) -> tuple[tuple[float, ...], ...]:
        """Rows of weights, one per class (or one per name of `names`)."""
        value = self.data.get(entry)
        n = len(self.classes) if names is None else len(tuple(names))
        per = "class" if names is None else "name"
        if not isinstance(value, list) or len(value) != n:
            raise self.fail(entry, f"must be {n} rows, one per {per}")
        return tuple(self.row(r, f"{entry} row {i + 1}") for i, r in enumerate(value))

    def number(self, entry: str) -> float:
        value = self.data.get(entry)
        if (
            not isinstance(value, (int, float))
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            raise self.fail(entry, "must be a number")
        return float(value)

    def count(self, entry: str) -> int:
        value = self.data.get(entry)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(entry, "must be a count")
        return value

    def names(self, entry: str) -> tuple[str, ...]:
        """A list of distinct names (of features, of reasons)."""
        value = self.data.get(entry)
        if (
            not isinstance(value, list)
            or not all(isinstance(v, str) and v for v in value)
            or len(set(value)) != len(value)
        ):
            raise self.fail(entry, "must be a list of distinct names")
        return tuple(value)

    def words(self) -> Words:
        """The words part: `terms` (word -> [idf, weight per class]), `token_pattern`,
        `title_repeat` and `lead_chars`."""
        n = len(self.classes)
        terms_data = self.data.get("terms")
        if not isinstance(terms_data, dict) or not terms_data:
            raise self.fail("terms", "must map words to [idf, weights...]")
        terms: dict[str, tuple[float, tuple[float, ...]]] = {}
        for word, value in terms_data.items():
            if not isinstance(value, list) or len(value) != n + 1:
                raise self.fail(f"terms {word!r}", f"must be an idf and {n} weights")
            numbers = self.row(value[1:], f"terms {word!r}")
            idf = value[0]
            if not _finite(idf) or idf <= 0:
                raise self.fail(f"terms {word!r}", "the idf must be a positive number")
            terms[word] = (float(idf), numbers)
        pattern = self.data.get("token_pattern")
        try:
            token = re.compile(pattern) if isinstance(pattern, str) and pattern else None
        except re.error:
            token = None
        if token is None:
            raise self.fail("token_pattern", "must be a regular expression")
        return Words(
            terms=terms,
            title_repeat=self.count("title_repeat"),
            lead_chars=self.count("lead_chars"),
            token=token,
            weighted={t: tuple(map(idf.__mul__, coef)) for t, (idf, coef) in terms.items()},
        )
