"""An article's coding in the JSON form of contract 2 (`crankcall code`)."""

from __future__ import annotations

import math
from json.encoder import encode_basestring as _json_text  # what json.dumps uses for strings

from crankcall.models import CodedArticle


def contract_json(coded: CodedArticle) -> dict[str, object]:
    """An article's coding in the form of contract 2 (`crankcall code`)."""
    return {
        "id": coded.id,
        "relevant": coded.relevant,
        "score": coded.score,
        "crank": list(coded.crank),
        "dyads": list(coded.dyads),
        "relation": coded.relation,
        "topic": coded.topic,
        "event_type": coded.event_type,
        "intensity": coded.intensity,
        "actors": [
            {"id": m.actor_id, "country": m.country, "text": m.text, "start": m.start, "end": m.end}
            for m in coded.actors
        ],
        "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in coded.evidence],
        "coder": coded.coder,
    }


def contract_line(coded: CodedArticle) -> str:
    """`json.dumps(contract_json(coded), ensure_ascii=False)`, built directly: the same text in a
    fraction of the time, for `crankcall code` over big files."""
    text = _json_text
    heads = _ACTOR_HEADS
    parts = []
    for m in coded.actors:
        key = (m.actor_id, m.country, m.text)
        head = heads.get(key)
        if head is None:
            head = (
                f'{{"id": {text(m.actor_id)}, "country": {_json_optional(m.country)}, '
                f'"text": {text(m.text)}, "start": '
            )
            if len(heads) < 100_000:
                heads[key] = head
        parts.append(f'{head}{m.start:d}, "end": {m.end:d}}}')
    actors = ", ".join(parts)
    evidence = ", ".join(
        [
            f'{{"text": {text(e.text)}, "start": {e.start:d}, "end": {e.end:d}}}'
            for e in coded.evidence
        ]
    )
    return (
        f'{{"id": {text(coded.id)}, "relevant": {"true" if coded.relevant else "false"}, '
        f'"score": {_json_float(coded.score)}, "crank": [{", ".join(map(text, coded.crank))}], '
        f'"dyads": [{", ".join(map(text, coded.dyads))}], "relation": {text(coded.relation)}, '
        f'"topic": {text(coded.topic)}, "event_type": {_json_optional(coded.event_type)}, '
        f'"intensity": {_json_float(coded.intensity)}, "actors": [{actors}], '
        f'"evidence": [{evidence}], "coder": {text(coded.coder)}}}'
    )


# The JSON of an actor up to its offsets, per actor, state and surface text: names recur.
_ACTOR_HEADS: dict[tuple[str, str | None, str], str] = {}


def _json_optional(value: str | None) -> str:
    return "null" if value is None else _json_text(value)


def _json_float(value: float) -> str:
    """A float as `json.dumps` writes it."""
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
