"""A second reading of the event type: a linear model over the rules' own reading and the words
of the headline and lead, fitted on our dev gold (`tools/train_event_model.py`, docs/coding.md
"The event model").

The rules name an event type from the cues they weigh most, and a cue's type is the type of its
commonest use: "talks" is CONSULT though talks that end in a deal are AGREE, "pressed" is DEMAND
though an editor calls a crackdown on smuggling COERCE. The model takes the type the rules chose,
the relation they read, and the headline's and lead's words, and learns from labelled stories
how far to trust each. Its choice keeps to the final relation: a cooperation is one of PLOVER's
cooperative types (AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID), a contention one of the
others; mixed news and outside responses may be either. It is read from `data/event-model.json`
and needs nothing but Python to apply."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crankcall.analyze.linear import ModelFile, Words, add_choice
from crankcall.models import EVENT_TYPES, RELATIONS

COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID"})
"""PLOVER's cooperative event types; the rest are of contention."""


def fits(event: str, relation: str) -> bool:
    """Whether an event type may go with a relation: a cooperative type with cooperation, the
    others with contention; either with a mixed relation or none (an outside response)."""
    if relation == "cooperation":
        return event in COOPERATIVE
    if relation == "contention":
        return event not in COOPERATIVE
    return True


@dataclass(frozen=True, slots=True)
class EventModel:
    """The fitted model: per event type an intercept, weights for the rules' event type and
    relation, and per word its idf and one weight per type (`words`)."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    rule_weight: float
    relation_weight: float
    rule_coef: tuple[tuple[float, ...], ...]
    """Per event type the rules chose (in `classes` order), its weight for each class."""
    relation_coef: tuple[tuple[float, ...], ...]
    """Per relation the rules read (in `RELATIONS` order), its weight for each class."""
    words: Words
    version: str

    def scores(
        self,
        title: str,
        text: str,
        rule_event: str | None,
        rule_relation: str,
        counts: Counter[str] | None = None,
    ) -> list[float]:
        """One score per class (`classes` order). `counts`: the headline's and lead's words as
        `words.counts` gives them, when already counted."""
        out = self.words.start(self.intercept, title, text, counts)
        add_choice(out, self.rule_coef, self.classes, rule_event, self.rule_weight)
        add_choice(out, self.relation_coef, RELATIONS, rule_relation, self.relation_weight)
        return out

    def choose(
        self,
        title: str,
        text: str,
        rule_event: str | None,
        rule_relation: str,
        relation: str,
        counts: Counter[str] | None = None,
    ) -> str | None:
        """The model's event type among those that go with `relation` (the final one, which the
        relation model may have changed): the class of the highest score, the first on a tie;
        None when no class goes with it."""
        scores = self.scores(title, text, rule_event, rule_relation, counts)
        allowed = [(s, -k) for k, s in enumerate(scores) if fits(self.classes[k], relation)]
        if not allowed:
            return None
        return self.classes[-max(allowed)[1]]


def load_event_model(path: Path | None = None) -> EventModel:
    """The shipped model (`data/event-model.json`) or the file given, checked: a file that is
    not such a model is a `DataFileError` naming the file and the part that is wrong."""
    model = ModelFile("event-model.json", path, EVENT_TYPES)
    return EventModel(
        classes=model.classes,
        intercept=model.row(model.data.get("intercept"), "intercept"),
        rule_weight=model.number("rule_weight"),
        relation_weight=model.number("relation_weight"),
        rule_coef=model.table("rule_coef"),
        relation_coef=model.table("relation_coef", RELATIONS),
        words=model.words(),
        version=model.version,
    )
