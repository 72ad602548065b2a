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
    may = scan.may_match(0, len(text))
    return [
        f"{cue.id} in {text!r}"
        for n, cue in enumerate(SEARCH.cues)
        if _span(SEARCH.first(n, text, may)) != _span(cue.combined.search(text))
    ]


def test_cue_patterns_are_scanned_each_on_its_own() -> None:
    scanned = (
        set(range(SEARCH.offset, SEARCH.offset + len(SEARCH.patterns))) - CODER.patterns.unsure
    )
    assert len(scanned) > 0.8 * len(SEARCH.patterns)


def test_first_matches_equal_re_in_the_gold_sets() -> None:
    checked = 0
    for path in sorted((ROOT / "tests" / "gold").glob("coding-*.jsonl")):
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            for span in sentences(f"{row['title']}\n\n{row['text']}"):
                assert not _differences(span.text)
                checked += 1
    assert checked > 1000


def test_the_earlier_pattern_of_a_cue_wins_a_tie() -> None:
    # Two of aid.transfer's patterns match from "supplied" on, to different ends; the combined
    # pattern takes the first one's match.
    text = "Chinese companies supplied most of the machine tools Russia imported last year."
    cue = next(c for c in SEARCH.cues if c.id == "aid.transfer")
    ends = {m.end() for p in cue.patterns if (m := p.search(text)) and m.start() == 18}
    assert len(ends) == 2
    assert not _differences(text)


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
