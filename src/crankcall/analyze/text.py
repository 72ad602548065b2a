"""Sentences with their character spans, by rules that suit news copy.

Splits at `.`, `!`, `?` (and the CJK full stops) followed by space and a capital, digit or quote,
and at paragraph breaks; never after common abbreviations and initials ("Mr.", "U.S.", "Gen.",
"Jan.", "J."). Spans index the original text, so evidence points at what the article says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "adm",
        "cmdr",
        "gov",
        "sen",
        "rep",
        "st",
        "jr",
        "sr",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "approx",
        "est",
        "fig",
        "vol",
    }
)
# A stop, quotes and brackets, space and what may start a sentence; CJK stops; a paragraph break
# or a line break before text. Every branch starts with one character, so that `re` skips the
# positions where none stands in one quick pass (`[.!?]+` is written as three branches for that).
_AFTER_STOP = r"""[.!?]*['"’”)\]]*\s+(?=[A-Z0-9'"‘“(\[«А-ЯЁ\u0600-\u06ff])"""
_BOUNDARY = re.compile(
    rf"\.{_AFTER_STOP}|!{_AFTER_STOP}|\?{_AFTER_STOP}"
    r"|。[。！？]*|！[。！？]*|？[。！？]*|\n\s*\n|\n(?=\S)"
)


@dataclass(frozen=True, slots=True)
class Span:
    """A sentence: its text and where it stands in the article."""

    start: int
    end: int
    text: str


_SET_SPAN = tuple(getattr(Span, name).__set__ for name in ("start", "end", "text"))


def _span(start: int, end: int, text: str) -> Span:
    """`Span(start=..., end=..., text=...)` with its fields set directly: a frozen dataclass's
    `__init__` sets each through `object.__setattr__`, twice as slow, and a long article has
    dozens of sentences."""
    span = object.__new__(Span)
    set_start, set_end, set_text = _SET_SPAN
    set_start(span, start)
    set_end(span, end)
    set_text(span, text)
    return span


def sentences(text: str) -> list[Span]:
    """Split `text` into sentences with spans; whitespace around each is trimmed."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        mark, end = match.span()
        # The last word (within 30 characters) is enough to tell an abbreviation; a stop after
        # a word of more than seven letters ends a sentence (no abbreviation is that long).
        if (
            text[mark] in ".!?"
            and not (mark - 8 >= start and text[mark - 8 : mark].isalpha())
            and "\n" not in match.group()
            and _ends_with_abbreviation(text, max(start, mark - 30), mark)
        ):
            continue
        piece = text[start:end]
        left = piece.lstrip()
        if left:
            stripped = left.rstrip()
            offset = end - len(left)
            spans.append(_span(offset, offset + len(stripped), stripped))
        start = end
    _add(spans, text, start, len(text))
    return spans


def _ends_with_abbreviation(text: str, low: int, mark: int) -> bool:
    """True when the word just before the stop at `mark` (looking no further back than `low`)
    is an abbreviation or an initial ("Gen.", "U.S.", "J.")."""
    first = mark
    while first > low and (text[first - 1].isalnum() or text[first - 1] in "._"):
        first -= 1
    word = text[first:mark].rstrip(".").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + (len(piece) - len(piece.lstrip()))
    spans.append(_span(offset, offset + len(stripped), stripped))


_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN = re.compile(r"[^\W\d_\u0000-\u024f]")


def mostly_latin(text: str) -> bool:
    """True when most letters are Latin, so the English cue lexicon applies."""
    sample = text[:2000]
    if sample.isascii():
        return True
    non_latin = len(_NON_LATIN.findall(sample))
    if not non_latin:  # letters of other scripts are rare in English copy: no need to count
        return True
    letters = len(_LETTER.findall(sample))
    return not letters or non_latin <= 0.4 * letters
