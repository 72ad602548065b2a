"""A cue's first match in a sentence, as `cue.combined.search` finds it, searching only the cue's
patterns that may match there.

`re` tries a pattern at every position of a sentence, and the cue patterns (alternations of
dozens of words, ignoring case) are slow to try: searching them was the coder's biggest single
cost. The coder's one Hyperscan pass over a sentence (`scanner.PatternScanner`, with the context
patterns) says which of every cue's patterns may match there, each on its own, so `re` searches
only those, not every pattern of a cue of which one may match. A cue's combined pattern
(`(?:p1)|(?:p2)|...`) matches where the earliest of its patterns does, the first of them on a
tie, which is how its first match is put together here.

(Asking Hyperscan for where each pattern may start, so that `re` starts there, cut the
instructions further but cost more time than it saved on our machine: a database tracking starts
of match is three times the size and slower to scan.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crankcall.analyze.lexicon import Cue


class CueSearch:
    """First matches of cues in a sentence, given what one scan of it says."""

    def __init__(self, cues: Sequence[Cue], *, offset: int) -> None:
        """`offset`: the number of the cues' first pattern in the scanner, which holds every
        pattern of every cue in order from there (`patterns`)."""
        self.cues = tuple(cues)
        self.offset = offset
        self.patterns: list[re.Pattern[str]] = [p for cue in self.cues for p in cue.patterns]
        self.numbers: list[range] = []  # per cue, the scanner's numbers of its patterns
        self.cue_of: list[int] = []  # per pattern, its cue
        first = offset
        for index, cue in enumerate(self.cues):
            self.numbers.append(range(first, first + len(cue.patterns)))
            self.cue_of += [index] * len(cue.patterns)
            first += len(cue.patterns)

    def candidates(self, may: frozenset[int]) -> list[int]:
        """The cues (by index) of which a pattern may match, given the scanner's `may_match`."""
        offset, cue_of = self.offset, self.cue_of
        return sorted({cue_of[n - offset] for n in may if n >= offset})

    def first(self, index: int, text: str, may: frozenset[int]) -> re.Match[str] | None:
        """`cues[index].combined.search(text)`, given the patterns that may match in the
        sentence `text` (the scanner's `may_match`)."""
        best: re.Match[str] | None = None
        patterns, offset = self.patterns, self.offset
        for n in self.numbers[index]:
            if n not in may:
                continue
            match = patterns[n - offset].search(text)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        return best
