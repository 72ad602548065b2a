"""The coder's lexicons as data: relation cues (`data/cues.toml`) and topic keywords
(`data/topics.toml`), loaded, validated and compiled at start.

A bad entry (unknown relation or event type, intensity out of range, a pattern that does not
compile) is a `DataFileError` naming the file, the entry and the problem.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from crankcall.analyze.regexcache import PatternCache
from crankcall.data import read_toml
from crankcall.errors import DataFileError
from crankcall.models import EVENT_TYPES, TOPICS


@dataclass(frozen=True, kw_only=True, slots=True)
class Cue:
    """A way of saying that two states cooperate or contend."""

    id: str
    relation: str
    event: str
    intensity: float
    weight: float
    scope: str
    outsider: float  # how much a hit counts when an outside state is named in the sentence
    exchange: bool
    """An exchange between the states of its sentence's subject (a meeting, a call, a message):
    told after every state, it is the subject's ("Putin, Xi congratulate Iran's Pezeshkian"
    greets the state named after). By default a CONSULT cue's."""
    events: tuple[tuple[str, re.Pattern[str]], ...]
    """The event type a hit of the cue tells when its sentence holds one of these words, the
    first that matches (a native cue's signing is AGREE, its sending AID); `event` otherwise.
    The cue weighs the same whichever it tells."""
    patterns: tuple[re.Pattern[str], ...]
    combined: re.Pattern[str]  # all patterns in one, so a sentence costs one search per cue


@dataclass(frozen=True, kw_only=True, slots=True)
class TopicTerm:
    """One keyword or phrase of a topic: its words, and whether the last word is a prefix."""

    topic: str
    weight: float
    words: tuple[str, ...]
    prefix: bool
    key: int  # position in the lexicon, so repeats can be capped per sentence
    form: bool = False
    """A word of the form of an exchange (imports, tariffs, prices), not its subject: beside an
    energy commodity in a headline it yields the topic to it (`Topics.rule`)."""


class TopicIndex:
    """Topic keywords indexed for matching on a document's lower-cased words."""

    def __init__(self, terms: list[TopicTerm], native: list[TopicTerm] | None = None) -> None:
        self.terms = terms
        # Keywords in other scripts, matched where a word starts (anywhere in Chinese, which
        # leaves no space between words): `native_hits` looks only where a character starts one,
        # and tries the longest first.
        self.native = {term.words[0]: term for term in native or []}
        self._native_by_first: dict[str, list[str]] = {}
        for word in sorted(self.native, key=len, reverse=True):
            self._native_by_first.setdefault(word[0], []).append(word)
        # Where a keyword may start: a first letter of one where a word starts, or anywhere for
        # a Chinese or Korean one (`_JOINED`); no keyword is tried elsewhere (in Russian copy,
        # almost every letter).
        firsts = sorted(self._native_by_first)
        joined = "".join(re.escape(c) for c in firsts if _JOINED.match(c))
        other = "".join(re.escape(c) for c in firsts if not _JOINED.match(c))
        starts = ([f"(?<!\\w)[{other}]"] if other else []) + ([f"[{joined}]"] if joined else [])
        self._native_starts = re.compile("|".join(starts)) if starts else None
        self._exact: dict[str, list[TopicTerm]] = {}
        self._prefixes: list[TopicTerm] = []
        self.phrases: dict[str, list[TopicTerm]] = {}
        for term in terms:
            if len(term.words) > 1:
                self.phrases.setdefault(term.words[0], []).append(term)
            elif term.prefix:
                self._prefixes.append(term)
            else:
                self._exact.setdefault(term.words[0], []).append(term)
        self._cache: dict[str, tuple[TopicTerm, ...]] = {}

    def native_hits(self, lowered: str, start: int, end: int) -> list[tuple[TopicTerm, int]]:
        """Keywords in other scripts in `lowered[start:end]`, with their positions."""
        if self._native_starts is None:
            return []
        found: list[tuple[TopicTerm, int]] = []
        taken = start  # matches do not overlap
        for candidate in self._native_starts.finditer(lowered, start, end):
            at = candidate.start()
            if at < taken:
                continue
            for word in self._native_by_first[candidate.group()]:
                if at + len(word) > end or not lowered.startswith(word, at):
                    continue
                if not _JOINED.match(word) and at > 0 and _WORD_CHAR.match(lowered, at - 1):
                    continue  # not where a word starts
                found.append((self.native[word], at))
                taken = at + len(word)
                break
        return found

    def single(self, word: str) -> tuple[TopicTerm, ...]:
        """Single-word terms matching `word` (exact or by prefix), cached per word."""
        found = self._cache.get(word)
        if found is None:
            found = tuple(self._exact.get(word, ())) + tuple(
                t for t in self._prefixes if word.startswith(t.words[0])
            )
            if len(self._cache) < 500_000:
                self._cache[word] = found
        return found


def phrase_matches(term: TopicTerm, words: list[str], start: int) -> bool:
    """True when `term` (a phrase) matches `words` from index `start`."""
    end = start + len(term.words)
    if end > len(words):
        return False
    head, last = term.words[:-1], term.words[-1]
    if tuple(words[start : end - 1]) != head:
        return False
    return words[end - 1].startswith(last) if term.prefix else words[end - 1] == last


@dataclass(frozen=True, kw_only=True, slots=True)
class Context:
    """The context patterns of `data/context.toml`, one field per entry."""

    negation: re.Pattern[str]
    denial: re.Pattern[str]
    hedge: re.Pattern[str]
    past: re.Pattern[str]
    comparison: re.Pattern[str]
    apart: re.Pattern[str]
    away: re.Pattern[str]
    two_sides: re.Pattern[str]
    group: re.Pattern[str]
    response: re.Pattern[str]
    outside_act: re.Pattern[str]
    crank_clause: re.Pattern[str]
    outside_measure: re.Pattern[str]
    crank_reply: re.Pattern[str]
    sports: re.Pattern[str]
    agree: re.Pattern[str]
    clause: re.Pattern[str]
    venue: re.Pattern[str]
    host: re.Pattern[str]
    group_name: re.Pattern[str]
    collective: re.Pattern[str]
    measure_target: re.Pattern[str]
    list_separators: re.Pattern[str]
    noun_list: re.Pattern[str]
    joint: re.Pattern[str]
    together: re.Pattern[str]
    contrast: re.Pattern[str]
    turn_open: re.Pattern[str]
    stopped: re.Pattern[str]
    unstopped: re.Pattern[str]
    friction_over: re.Pattern[str]
    aimed_outside: re.Pattern[str]
    outside_before: re.Pattern[str]
    outsider_source: re.Pattern[str]
    outsider_says: re.Pattern[str]
    outsider_route: re.Pattern[str]
    outsider_lead: re.Pattern[str]
    subjectless: re.Pattern[str]
    background: re.Pattern[str]
    ongoing: re.Pattern[str]
    stalled_after: re.Pattern[str]
    pair_friction: re.Pattern[str]
    elliptic: re.Pattern[str]
    helps_another: re.Pattern[str]
    native_turn: re.Pattern[str]
    headline_halves: re.Pattern[str]
    half_subjectless: re.Pattern[str]
    sanctions_breach: re.Pattern[str]


@dataclass(frozen=True, kw_only=True, slots=True)
class Lexicon:
    """Everything the coder reads from data files, with a version for the coder's stamp."""

    cues: tuple[Cue, ...]
    topics: TopicIndex
    context: Context
    version: str
    offices: dict[str, str] = field(default_factory=dict)  # role title -> topic
    bodies: dict[str, str] = field(default_factory=dict)  # institution id -> topic


def _compile(
    pattern: Any, where: str, entry: str, compiled: PatternCache, *, case: bool = False
) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise DataFileError(f"{where}, {entry}: every pattern must be non-empty text")
    try:
        return compiled.compile(pattern, 0 if case else re.IGNORECASE)
    except re.error as e:
        raise DataFileError(
            f"{where}, {entry}: pattern {pattern[:40]!r} does not compile ({e})"
        ) from e


def load_lexicon(
    *,
    cues_path: Path | None = None,
    topics_path: Path | None = None,
    context_path: Path | None = None,
) -> Lexicon:
    """The shipped lexicons, or the files given, validated and compiled."""
    compiled = PatternCache.open()  # what `re` compiled them to in an earlier run
    data, where, cues_raw = read_toml("cues.toml", cues_path)
    cues = tuple(_cue(entry, where, compiled) for entry in data.get("cue", []))
    if not cues:
        raise DataFileError(f"{where}: no [[cue]] entries")
    topic_data, topic_where, topics_raw = read_toml("topics.toml", topics_path)
    terms: list[TopicTerm] = []
    for entry in topic_data.get("topic", []):
        terms += _topic_terms(entry, topic_where, start=len(terms))
    native: list[TopicTerm] = []
    for entry in topic_data.get("native", []):
        native += _native_terms(entry, topic_where, start=len(terms) + len(native))
    topics = TopicIndex(terms, native)
    offices, bodies = _offices(topic_data.get("office", []), topic_where)
    context_data, context_where, context_raw = read_toml("context.toml", context_path)
    context = _context(context_data.get("context", {}), context_where, compiled)
    compiled.save()
    # The coder's stamp changes whenever a lexicon file does, so `crankcall run` recodes.
    version = hashlib.sha256(cues_raw + topics_raw + context_raw).hexdigest()[:10]
    return Lexicon(
        cues=cues, topics=topics, context=context, version=version, offices=offices, bodies=bodies
    )


def _offices(entries: list[Any], where: str) -> tuple[dict[str, str], dict[str, str]]:
    """Role titles whose holder, and institutions (actor ids) that, named first in a headline
    with no topic keyword, give the topic."""
    offices: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for entry in entries:
        topic = entry.get("topic") if isinstance(entry, dict) else None
        if topic not in TOPICS:
            raise DataFileError(f"{where}, office {topic!r}: not one of {', '.join(TOPICS)}")
        titles = entry.get("titles", [])
        actors = entry.get("actors", [])
        for name, values in (("titles", titles), ("actors", actors)):
            if not isinstance(values, list) or not all(isinstance(t, str) and t for t in values):
                raise DataFileError(f"{where}, office {topic}: {name} must be a list of names")
        if not titles and not actors:
            raise DataFileError(f"{where}, office {topic}: give titles or actors")
        offices.update(dict.fromkeys(titles, topic))
        bodies.update(dict.fromkeys(actors, topic))
    return offices, bodies


def _context(entries: dict[str, Any], where: str, patterns: PatternCache) -> Context:
    wanted = [f.name for f in fields(Context)]
    missing = sorted(set(wanted) - set(entries))
    unknown = sorted(set(entries) - set(wanted))
    if missing or unknown:
        raise DataFileError(
            f"{where}: context entries missing: {', '.join(missing) or 'none'}; "
            f"unknown: {', '.join(unknown) or 'none'}"
        )
    compiled = {}
    for name in wanted:
        entry = entries[name]
        if not isinstance(entry, dict):
            raise DataFileError(f"{where}, context {name}: must be a table with a pattern")
        compiled[name] = _compile(
            entry.get("pattern"),
            where,
            f"context {name}",
            patterns,
            case=bool(entry.get("case", False)),
        )
    return Context(**compiled)


def _cue(entry: dict[str, Any], where: str, compiled: PatternCache) -> Cue:
    ident = entry.get("id", "?")
    label = f"cue {ident}"
    if entry.get("relation") not in {"cooperation", "contention"}:
        raise DataFileError(f"{where}, {label}: relation must be cooperation or contention")
    if entry.get("event") not in EVENT_TYPES:
        raise DataFileError(f"{where}, {label}: event {entry.get('event')!r} is not a PLOVER type")
    intensity = entry.get("intensity")
    if not isinstance(intensity, int | float) or not -10 <= intensity <= 10:
        raise DataFileError(f"{where}, {label}: intensity must be a number from -10 to 10")
    weight = entry.get("weight", 1.0)
    if not isinstance(weight, int | float) or not 0 < weight <= 5:
        raise DataFileError(f"{where}, {label}: weight must be a number above 0 and at most 5")
    if entry.get("scope", "pair") not in {"pair", "outside"}:
        raise DataFileError(f"{where}, {label}: scope must be pair or outside")
    # Friction voiced by an outside state is mostly the outsider's, not the pair's.
    pair_friction = entry["relation"] == "contention" and entry.get("scope", "pair") == "pair"
    default = 0.3 if pair_friction else 1.0
    outsider = entry.get("outsider", default)
    if not isinstance(outsider, int | float) or not 0 < outsider <= 1:
        raise DataFileError(f"{where}, {label}: outsider must be a number above 0 and at most 1")
    exchange = entry.get("exchange", entry["event"] == "CONSULT")
    if not isinstance(exchange, bool):
        raise DataFileError(f"{where}, {label}: exchange must be true or false")
    events = entry.get("events", {})
    if not isinstance(events, dict):
        raise DataFileError(f"{where}, {label}: events must be a table of event = pattern")
    for event in events:
        if event not in EVENT_TYPES:
            raise DataFileError(f"{where}, {label}: event {event!r} is not a PLOVER type")
    patterns = entry.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise DataFileError(f"{where}, {label}: patterns must be a non-empty list")
    return Cue(
        id=str(ident),
        relation=entry["relation"],
        event=entry["event"],
        intensity=float(intensity),
        weight=float(weight),
        scope=entry.get("scope", "pair"),
        outsider=float(outsider),
        exchange=exchange,
        events=tuple((e, _compile(p, where, label, compiled)) for e, p in events.items()),
        patterns=tuple(_compile(p, where, label, compiled) for p in patterns),
        combined=compiled.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE),
    )


_TERM_WORD = re.compile(r"\w+")


_JOINED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
"""Chinese and Korean, which join words into compounds ("정찰위성", "독자제재"): their keywords
are matched anywhere, not only where a word starts."""
_WORD_CHAR = re.compile(r"\w")


def _native_terms(entry: dict[str, Any], where: str, *, start: int) -> list[TopicTerm]:
    """A [[native]] entry of topics.toml: keywords in other scripts, each matched as the start
    of a word (Russian "санкци" matches "санкции" and "санкциям")."""
    terms = _topic_terms(entry, where, start=start, kind="native")
    native: list[TopicTerm] = []
    for term, raw in zip(terms, entry["words"], strict=True):
        word = raw.lower().strip()  # whole, spaces and joiners kept: "خط لوله", "غنی‌سازی"
        if word.isascii():
            raise DataFileError(
                f"{where}, native {term.topic}: {raw!r} belongs in a [[topic]] entry"
            )
        native.append(replace(term, words=(word,)))
    return native


def _topic_terms(
    entry: dict[str, Any], where: str, *, start: int, kind: str = "topic"
) -> list[TopicTerm]:
    ident = entry.get("id")
    if ident not in TOPICS:
        raise DataFileError(f"{where}, {kind} {ident!r}: not one of {', '.join(TOPICS)}")
    weight = entry.get("weight")
    if not isinstance(weight, int | float) or not 0 < weight <= 10:
        raise DataFileError(
            f"{where}, {kind} {ident}: weight must be a number above 0 and up to 10"
        )
    words = entry.get("words")
    if not isinstance(words, list) or not words:
        raise DataFileError(f"{where}, {kind} {ident}: words must be a non-empty list")
    form = entry.get("form", False)
    if not isinstance(form, bool):
        raise DataFileError(f"{where}, {kind} {ident}: form must be true or false")
    terms: list[TopicTerm] = []
    for raw in words:
        if not isinstance(raw, str) or not _TERM_WORD.search(raw):
            raise DataFileError(f"{where}, {kind} {ident}: {raw!r} is not a word or phrase")
        prefix = raw.rstrip().endswith("*")
        parts = tuple(_TERM_WORD.findall(raw.lower()))
        terms.append(
            TopicTerm(
                topic=ident,
                weight=float(weight),
                words=parts,
                prefix=prefix,
                key=start + len(terms),
                form=form,
            )
        )
    return terms
