"""Find actor mentions in text, with spans, and resolve the ones that need context.

1. Match every surface form of the gazetteer at word boundaries (CJK forms anywhere), longest
   first, with plurals of demonyms ("Iranians") and possessives ("Russia's") included; an
   all-capitals headline is matched in title case.
2. Resolve ambiguous forms ("Korea", "Korean") from the unambiguous mentions around them: the
   nearest same-sentence mention of North or South Korea, else the only one the article names.
3. Give each mention its sentence index so later stages can weigh co-occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crankcall.analyze.gazetteer import Form, Gazetteer
from crankcall.analyze.patterns import trie_regex
from crankcall.analyze.text import Span

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_PREFIXES = {"Sino": "CN", "Russo": "RU", "Irano": "IR"}
# Which states an ambiguous form may stand for, in order of preference when nothing else decides.
_AMBIGUOUS_STATES = {"KP": ("KP", "KR")}


@dataclass(frozen=True, kw_only=True, slots=True)
class Found:
    """A mention found in text: actor, state, surface text, span, sentence, form kind."""

    actor: str
    country: str | None
    text: str
    start: int
    end: int
    sentence: int
    kind: str


class ActorFinder:
    """Compiled matchers for one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.forms: dict[str, Form] = {}
        for form in gazetteer.forms.values():
            self.forms[form.text] = form
        for form in gazetteer.forms.values():  # demonyms as nouns: "Iranians", "North Koreans"
            if form.kind == "adjectives" and form.text.endswith("n"):
                plural = form.text + "s"
                self.forms.setdefault(plural, Form(text=plural, actor=form.actor, kind=form.kind))
        for prefix, actor in _PREFIXES.items():  # "Sino-Russian", "Russo-Iranian"
            if actor in gazetteer.actors:
                self.forms.setdefault(prefix, Form(text=prefix, actor=actor, kind="adjectives"))
        spaced = [t for t in self.forms if not _CJK.search(t)]
        dense = [t for t in self.forms if _CJK.search(t)]
        self._spaced = re.compile(r"(?<!\w)(?:" + trie_regex(spaced) + r")(?!\w)")
        self._dense = re.compile(trie_regex(dense)) if dense else None

    def find(self, text: str, spans: list[Span]) -> list[Found]:
        """Mentions in `text` (already split into `spans`), in order of position."""
        raw = self._match(text)
        starts = [s.start for s in spans]
        found: list[Found] = []
        for start, end, surface in raw:
            form = self.forms[surface]
            actor = self.gazetteer.actors[form.actor]
            found.append(
                Found(
                    actor=actor.id,
                    country=actor.country,
                    text=text[start:end],
                    start=start,
                    end=end,
                    sentence=_sentence_of(start, starts),
                    kind=form.kind,
                )
            )
        return _resolve_ambiguous(found)

    def _match(self, text: str) -> list[tuple[int, int, str]]:
        newline = text.find("\n")
        headline = text if newline < 0 else text[:newline]
        haystack = _title_case_if_shouting(headline) + text[len(headline) :]
        hits = [(m.start(), m.end(), m.group()) for m in self._spaced.finditer(haystack)]
        if self._dense is not None and _CJK.search(text):
            taken = [(s, e) for s, e, _ in hits]
            for m in self._dense.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    hits.append((m.start(), m.end(), m.group()))
            hits.sort()
        return hits


def _title_case_if_shouting(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 8 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return text
    cased = text.title()
    return cased if len(cased) == len(text) else text


def _sentence_of(position: int, starts: list[int]) -> int:
    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle] <= position:
            low = middle + 1
        else:
            high = middle
    return max(0, low - 1)


def _resolve_ambiguous(found: list[Found]) -> list[Found]:
    if not any(f.kind == "ambiguous" for f in found):
        return found
    firm = [f for f in found if f.kind != "ambiguous"]
    resolved: list[Found] = []
    for mention in found:
        if mention.kind != "ambiguous":
            resolved.append(mention)
            continue
        country = _context_state(mention, firm)
        if country is None and mention.actor != mention.country:
            # A person's short name ("Kim"): theirs unless the article is about the other Korea.
            others = {f.country for f in firm} & set(
                _AMBIGUOUS_STATES.get(mention.country or "", ())
            )
            country = mention.country if others <= {mention.country} else None
        if country is None:
            continue
        resolved.append(
            Found(
                actor=mention.actor if country == mention.country else country,
                country=country,
                text=mention.text,
                start=mention.start,
                end=mention.end,
                sentence=mention.sentence,
                kind=mention.kind,
            )
        )
    return resolved


def _context_state(mention: Found, firm: list[Found]) -> str | None:
    """The state an ambiguous form stands for, judged from the firm mentions around it."""
    candidates = _AMBIGUOUS_STATES.get(mention.country or "", (mention.country or "",))
    same_sentence = [
        f.country for f in firm if f.sentence == mention.sentence and f.country in candidates
    ]
    if same_sentence:
        return same_sentence[0]
    in_article = {f.country for f in firm if f.country in candidates}
    if len(in_article) == 1:
        return in_article.pop()
    if not in_article:
        return None  # "Korean" with no Korea named firmly: too weak to count
    nearest = min(
        (f for f in firm if f.country in candidates),
        key=lambda f: abs(f.start - mention.start),
    )
    return nearest.country
