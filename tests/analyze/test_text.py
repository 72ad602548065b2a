"""Sentence splitting: the boundary pattern written for speed splits as the plain one did."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from crankcall.analyze.text import _BOUNDARY, sentences

# The boundary pattern as first written: one lookahead, then the branches.
PLAIN = re.compile(
    r"""(?=[.!?。！？\n])(?:[.!?]+['"’”)\]]*\s+(?=[A-Z0-9'"‘“(\[«А-ЯЁ\u0600-\u06ff])"""
    r"""|[。！？]+|\n\s*\n|\n(?=\S))"""
)
PIECES = [
    "Mr",
    ".",
    "!",
    "?",
    "...",
    "?!",
    " ",
    "\n",
    "\n\n",
    "”",
    ")",
    "U.S",
    "said",
    "Russia",
    "a",
    "Б",
    "ایران",
    "。",
    "！",
    "？",
    "中国",
    "'",
    "\u00a0",
    "9",
]


@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_boundaries_are_those_of_the_plain_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in PLAIN.finditer(text)]


def test_abbreviations_and_long_words_before_a_stop() -> None:
    text = "Gen. Smith met officials. Negotiations continued. The U.S. Navy watched. Done."
    assert [s.text for s in sentences(text)] == [
        "Gen. Smith met officials.",
        "Negotiations continued.",
        "The U.S. Navy watched.",
        "Done.",
    ]
