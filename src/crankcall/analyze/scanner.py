"""Which relation cues can match a sentence, fast.

Python's regex engine tries every cue pattern at every position, which made cue matching the
slowest part of coding. When the `hyperscan` package is installed (it is a dependency; a missing or
broken build falls back to plain `re`), all cue patterns are compiled into one Hyperscan database
that says in one pass over a sentence which cues may match; only those are then searched with
`re`, so the result is exactly what `re` alone would give. Hyperscan runs on bytes, so the
sentence it sees has every non-ASCII character replaced by one ASCII character of the same kind
(a letter or digit by "x", anything else by a space): lengths and word boundaries stay as `re`
sees them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from crankcall.analyze.lexicon import Cue

log = logging.getLogger(__name__)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _ascii_stand_in(text: str) -> str:
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: "x" if m.group().isalnum() else " ", text)


class CueScanner:
    """Candidate cues per sentence: a Hyperscan prefilter when available, else every cue."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = tuple(cues)
        self._database = _compile(self.cues)

    @property
    def accelerated(self) -> bool:
        """True when Hyperscan prefilters sentences."""
        return self._database is not None

    def candidates(self, text: str) -> list[Cue]:
        """Cues that may match `text` (all of them without Hyperscan)."""
        if self._database is None:
            return list(self.cues)
        found: set[int] = set()

        def on_match(ident: int, _start: int, _end: int, _flags: int, _context: object) -> None:
            found.add(ident)

        self._database.scan(_ascii_stand_in(text).encode("ascii"), match_event_handler=on_match)
        return [self.cues[i] for i in sorted(found)]


def _compile(cues: Sequence[Cue]) -> Any:
    try:
        import hyperscan
    except ImportError:
        log.info("hyperscan is not installed; cue matching uses re only")
        return None
    expressions, ids = [], []
    for index, cue in enumerate(cues):
        for pattern in cue.patterns:
            expressions.append(pattern.pattern.encode("utf-8"))
            ids.append(index)
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
    database = hyperscan.Database()
    try:
        database.compile(
            expressions=expressions, ids=ids, elements=len(expressions), flags=[flags] * len(ids)
        )
    except hyperscan.error as e:
        log.warning("hyperscan cannot compile the cue patterns (%s); using re only", e)
        return None
    return database
