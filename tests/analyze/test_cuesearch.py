"""`CueSearch` finds each cue's first match exactly where `cue.combined.search` does."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from crankcall.analyze.coder import default_coder
from crankcall.analyze.scanner import ascii_stand_in
from crankcall.analyze.text import sentences

ROOT = Path(__file__).parent.parent.parent
CODER = default_coder()
SEARCH = CODER.cue_search


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return None if match is None else match.span()


def _differences(text: str) -> list[str]:
    """Cues whose first match in `text` differs from `cue.combined.search`."""
    scan = CODER.patterns.scan(text, ascii_stand_in(text).encode("ascii"))
    may, starts = scan.may_match(0, len(text)), scan.starts(0, len(text))
    return [
        f"{cue.id} in {text!r}"
        for n, cue in enumerate(SEARCH.cues)
        if _span(SEARCH.first(n, text, may, starts)) != _span(cue.combined.search(text))
    ]


def test_most_cue_patterns_are_searched_from_their_starts() -> None:
    assert len(CODER.patterns.starting) > 0.8 * len(SEARCH.patterns)


def test_first_matches_equal_re_in_the_gold_sets() -> None:
    checked = 0
    for path in sorted((ROOT / "tests" / "gold").glob("coding-*.jsonl")):
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            for span in sentences(f"{row['title']}\n\n{row['text']}"):
                assert not _differences(span.text)
                checked += 1
    assert checked > 1000


def test_the_earlier_pattern_of_a_cue_wins_a_tie() -> None:
    # Both of agree.treaty's first patterns can match from "signed"; the combined pattern takes
    # the first one's match.
    assert not _differences("Russia and Iran signed a treaty that was signed in Moscow.")


WORDS = [
    "Russia",
    "China",
    "signed",
    "a",
    "treaty",
    "deal",
    "agreed",
    "to",
    "not",
    "talks",
    "visit",
    "summoned",
    "envoy",
    "sanctions",
    "jointly",
    "drills",
    "refused",
    "é",
    "\u212aorea",
    "İran",
    "北京",
    "—",
    "-",
    ",",
    "x" * 30,
]


@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_first_matches_equal_re_on_word_salad(words: list[str]) -> None:
    assert not _differences(" ".join(words))
