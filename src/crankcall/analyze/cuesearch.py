"""A cue's first match in a sentence, as `cue.combined.search` finds it, with `re` started where
a match may start.

`re` tries a pattern at every position of a sentence, and the cue patterns (alternations of
dozens of words, ignoring case) are slow to try: searching them was the coder's biggest single
cost. One Hyperscan pass over a sentence reports, for every pattern of every cue, the leftmost
position where its rewritten form (`scanner.rewritten_patterns`: it matches wherever the pattern
does, maybe more) matches; no match of the pattern starts before it, so `re` searches from
there, and a pattern the pass does not report is not searched at all. A cue's combined pattern
(`(?:p1)|(?:p2)|...`) matches where the earliest of its patterns does, the first of them on a
tie, which is how its first match is put together here. Patterns Hyperscan cannot compile with
starts of match are searched from the sentence's start, as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from crankcall.analyze.lexicon import Cue
from crankcall.analyze.scanner import (
    _cache_dir,
    _write_cache,
    compile_database,
    rewritten_patterns,
)

log = logging.getLogger(__name__)

Starts = dict[int, int]  # pattern number -> leftmost position where it may match


class CueSearch:
    """First matches of cues in sentences, from one Hyperscan pass per sentence."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = tuple(cues)
        self.patterns: list[re.Pattern[str]] = [p for cue in self.cues for p in cue.patterns]
        # Per cue, the numbers of its patterns, in order.
        self._numbers: list[range] = []
        first = 0
        for cue in self.cues:
            self._numbers.append(range(first, first + len(cue.patterns)))
            first += len(cue.patterns)
        self._database: Any = None
        self._always: frozenset[int] = frozenset(range(len(self.patterns)))
        try:
            import hyperscan
        except ImportError:
            return
        flags = hyperscan.HS_FLAG_ALLOWEMPTY | hyperscan.HS_FLAG_SOM_LEFTMOST
        expressions: dict[int, tuple[bytes, int]] = {}
        for n, (source, _width) in enumerate(rewritten_patterns(self.patterns)):
            if source is not None:
                caseless = self.patterns[n].flags & re.IGNORECASE
                expressions[n] = (
                    source.encode("ascii"),
                    flags | (hyperscan.HS_FLAG_CASELESS if caseless else 0),
                )
        compiled = _compilable(expressions)
        if not compiled:
            return
        try:
            self._database = compile_database(
                [expressions[n][0] for n in compiled],
                compiled,
                [expressions[n][1] for n in compiled],
            )
        except hyperscan.error as e:
            log.warning("hyperscan cannot compile the cue starts (%s); using re only", e)
            return
        self._always = frozenset(range(len(self.patterns))) - set(compiled)

    @property
    def accelerated(self) -> bool:
        """True when Hyperscan finds where cue patterns may start."""
        return self._database is not None

    def starts(self, stand_in: bytes) -> Starts:
        """Per pattern, the leftmost position in a sentence (given as its ASCII stand-in, see
        `scanner.ascii_stand_in`) where it may match; patterns missing cannot match there,
        unless Hyperscan does not scan them (`_always`)."""
        found: Starts = {}
        get = found.get

        def on_match(ident: int, start: int, _end: int, _flags: int, _context: object) -> None:
            earlier = get(ident)
            if earlier is None or start < earlier:
                found[ident] = start

        self._database.scan(stand_in, match_event_handler=on_match)
        return found

    def first(self, index: int, text: str, starts: Starts) -> re.Match[str] | None:
        """`cues[index].combined.search(text)`, given the `starts` of the sentence `text`."""
        best: re.Match[str] | None = None
        always = self._always
        patterns = self.patterns
        for n in self._numbers[index]:
            at = starts.get(n)
            if at is None:
                if n not in always:
                    continue
                at = 0
            if best is not None and at >= best.start():
                continue  # cannot start before the match in hand; on a tie the earlier wins
            match = patterns[n].search(text, at)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        return best


def _compilable(expressions: dict[int, tuple[bytes, int]]) -> list[int]:
    """The numbers of the expressions Hyperscan compiles with starts of match (it refuses some
    large ones as "too large"). Finding them compiles each alone, so the answer is cached."""
    import hyperscan

    numbers = sorted(expressions)
    key = hashlib.sha256(
        repr((getattr(hyperscan, "__version__", ""), [expressions[n] for n in numbers])).encode()
    )
    path = _cache_dir() / f"som-{key.hexdigest()[:24]}.json"
    try:
        cached = json.loads(path.read_bytes())
        if isinstance(cached, list) and set(cached) <= set(numbers):
            return [int(n) for n in cached]
    except (OSError, ValueError, TypeError):
        pass
    compiled = []
    for n in numbers:
        source, flags = expressions[n]
        try:
            hyperscan.Database().compile(expressions=[source], ids=[0], elements=1, flags=[flags])
        except hyperscan.error:
            continue
        compiled.append(n)
    _write_cache(path, json.dumps(compiled).encode())
    return compiled
