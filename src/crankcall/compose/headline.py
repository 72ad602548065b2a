"""Headlines: one plain declarative line in sentence case, 6 to 14 words, naming the actors.

Candidates are the story's headline, the titles of its articles (representative first) and, last,
the highlight's lead sentence. Each is cleaned (labels such as "(LEAD)" or "Exclusive:" and
trailing outlet names dropped, "N. Korea" spelled out), put in sentence case when it is in Title
Case (a word keeps its capital when it is on the always-capitalised list, an acronym, or written
with a capital inside sentences of the story's articles more often than without), trimmed at a
clause boundary when over 14 words, and scored: right length, actors named, no question, no
colon-then-quote fragment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from crankcall.analyze.text import sentences
from crankcall.compose.rewrite import tokens
from crankcall.compose.vocabulary import (
    ACTOR_WORDS,
    ALWAYS_CAPITALISED,
    ATTRIBUTION_CUES,
    HEADLINE_EXPANSIONS,
    TITLE_LABELS,
    TITLE_SMALL_WORDS,
)
from crankcall.models import Article

MIN_WORDS = 6
MAX_WORDS = 14
_CORE = re.compile(r"[A-Za-z][A-Za-z.’']*")
_CUTS = re.compile(r", | as | after | amid | while | but | with | despite | in talks with ")
_TAIL_CUTS = re.compile(r" (?:in|at|for|over|on|to|from|near|during|after|amid) ")


def clean_title(title: str, outlet_names: Iterable[str] = (), *, labels: bool = True) -> str:
    """`title` without a trailing outlet name and, with `labels`, without kind labels such as
    "(LEAD)" or "Exclusive:" at its start."""
    text = " ".join(title.split())
    while labels:
        found = TITLE_LABELS.match(text)
        if found is None or found.end() == len(text):
            break
        text = text[found.end() :]
    names = {n.casefold() for n in outlet_names if n}
    for separator in (" | ", " - ", " – ", " — ", " :: "):
        head, sep, tail = text.rpartition(separator)
        if sep and head and tail.strip().casefold() in names:
            text = head
    return text.strip()


def proper_words(articles: Iterable[Article]) -> dict[str, bool]:
    """For each word of the articles' texts (lower-cased): whether it is written with a capital
    inside sentences more often than without."""
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for article in articles:
        for span in sentences(article.text):
            for word in span.text.split()[1:]:
                for core in _cores(word):
                    (capital if core[0].isupper() else lower)[core.lower()] += 1
    return {w: capital[w] > lower[w] for w in capital.keys() | lower.keys()}


def _cores(word: str) -> list[str]:
    return [m.group().removesuffix("'s").removesuffix("’s") for m in _CORE.finditer(word)]


def is_title_case(text: str) -> bool:
    """Whether `text` is Title Case: most words after the first (small ones aside) capitalised."""
    words = [w for w in text.split()[1:] if w[:1].isalpha() and w.lower() not in TITLE_SMALL_WORDS]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.75


def sentence_case(text: str, proper: Mapping[str, bool]) -> str:
    """`text` in sentence case when it is in Title Case; proper nouns keep their capitals."""
    if not is_title_case(text):
        return text
    words = text.split()
    return " ".join([words[0], *(_lower_word(w, proper) for w in words[1:])])


def _lower_word(word: str, proper: Mapping[str, bool]) -> str:
    parts = re.split(r"(-)", word)
    return "".join(_lower_part(p, proper) for p in parts)


def _lower_part(part: str, proper: Mapping[str, bool]) -> str:
    cores = _cores(part)
    if not cores:
        return part
    core = cores[0]
    bare = core.rstrip(".")
    keep = (
        (len(bare) >= 2 and bare.replace(".", "").isupper())  # an acronym: U.S., NATO
        or any(ch.isupper() for ch in bare[1:])  # mixed case: McDonald, DPRK-style names
        or bare.lower() in ALWAYS_CAPITALISED
        or proper.get(bare.lower(), False)
    )
    if keep or not bare[:1].isupper():
        return part
    start = part.index(core)
    return part[:start] + core[0].lower() + part[start + 1 :]


def trim_headline(text: str) -> str:
    """`text` cut to at most 14 words at a clause boundary (never dropping attribution), else
    before a trailing phrase; "" when neither is possible."""
    words = text.split()
    if len(words) <= MAX_WORDS:
        return text
    for pattern in (_CUTS, _TAIL_CUTS):
        heads = [
            text[: m.start()]
            for m in pattern.finditer(text)
            if MIN_WORDS <= len(text[: m.start()].split()) <= MAX_WORDS
            and not ({w.strip(",.").lower() for w in text[m.end() :].split()} & ATTRIBUTION_CUES)
        ]
        if heads:
            return max(heads, key=len).rstrip(",;: ")
    return ""


def actors_named(text: str) -> int:
    """How many CRANK states `text` names."""
    lowered = f" {text.lower()} "
    return sum(
        any(re.search(rf"\b{re.escape(w)}", lowered) for w in words)
        for words in ACTOR_WORDS.values()
    )


def make_headline(
    candidates: Sequence[str],
    *,
    proper: Mapping[str, bool],
    outlet_names: Iterable[str],
    lead: str = "",
) -> str:
    """The best headline from `candidates` (titles, best source first), cleaned, cased and
    trimmed; one that shares words with `lead` (the highlight's first sentence) tells the same
    news. When no title is 6 to 14 words long, the lead's main clause serves."""
    names = list(outlet_names)
    lead_words = tokens(lead)
    best: tuple[float, str] | None = None
    for index, raw in enumerate(candidates):
        text = clean_title(raw, names).rstrip(". ")
        for pattern, replacement in HEADLINE_EXPANSIONS:
            text = re.sub(pattern, replacement, text)
        text = trim_headline(sentence_case(text, proper))
        if not text:
            continue
        words = tokens(text)
        overlap = len(words & lead_words) / len(words) if words and lead_words else 0.0
        score = _score(text) + overlap - 0.2 * index
        if best is None or score > best[0]:
            best = (score, text)
    fits = best is not None and MIN_WORDS <= len(best[1].split()) <= MAX_WORDS
    if not fits and lead:
        from_lead = lead_headline(lead)
        if MIN_WORDS <= len(from_lead.split()) <= MAX_WORDS:
            return from_lead
    return best[1] if best else lead_headline(lead)


def _score(text: str) -> float:
    words = len(text.split())
    score = 3.0 if MIN_WORDS <= words <= MAX_WORDS else -abs(words - 10) * 0.5
    score += min(actors_named(text), 2)
    if "?" in text:
        score -= 4
    if re.search(r":\s*['\"‘“]", text):
        score -= 3
    elif ":" in text:
        score -= 1.5
    if re.match(r"['\"‘“]", text):
        score -= 1.0
    return score


def lead_headline(sentence: str) -> str:
    """A headline made from a lead sentence: its main clause, without the final full stop."""
    text = sentence.rstrip(".")
    return trim_headline(text)
