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

import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crankcall.analyze.lexicon import Cue, TopicTerm

log = logging.getLogger(__name__)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def ascii_stand_in(text: str) -> str:
    """`text` with every non-ASCII character replaced by one ASCII character of the same kind
    (a letter or digit by "x", anything else by a space): same length, same word boundaries."""
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

    def candidates(self, text: str, stand_in: bytes | None = None) -> list[Cue]:
        """Cues that may match `text` (all of them without Hyperscan); `stand_in`: the ASCII
        stand-in of `text` when the caller has it."""
        if self._database is None:
            return list(self.cues)
        found: set[int] = set()

        def on_match(ident: int, _start: int, _end: int, _flags: int, _context: object) -> None:
            found.add(ident)

        if stand_in is None:
            stand_in = ascii_stand_in(text).encode("ascii")
        self._database.scan(stand_in, match_event_handler=on_match)
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
    # Prefilter mode: Hyperscan may report a cue that `re` then rejects (it approximates
    # lookarounds), never miss one; every candidate is confirmed with `re`.
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_PREFILTER
    try:
        return compile_database(expressions, ids, [flags] * len(ids))
    except hyperscan.error as e:
        log.warning("hyperscan cannot compile the cue patterns (%s); using re only", e)
        return None


def compile_database(expressions: list[bytes], ids: list[int], flags: list[int]) -> Any:
    """A Hyperscan block-mode database of `expressions`, loaded from the cache when an earlier
    run compiled the same ones (compiling the cue patterns takes seconds, loading them less than
    a millisecond). The cache lives in `$XDG_CACHE_HOME/crankcall` (default `~/.cache`); when it
    cannot be read or written, the database is compiled as if there were none. Raises
    `hyperscan.error` when the expressions do not compile."""
    import hyperscan

    version = getattr(hyperscan, "__version__", "")
    digest = hashlib.sha256(repr((version, expressions, ids, flags)).encode())
    path = _cache_dir() / f"hs-{digest.hexdigest()[:24]}.db"
    try:
        database = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
        return database
    except (OSError, hyperscan.error):
        pass
    database = hyperscan.Database()
    database.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(hyperscan.dumpb(database))
        Path(handle.name).replace(path)  # atomic: a parallel run never reads half a file
    except (OSError, hyperscan.error) as e:
        log.info("cannot cache the compiled patterns in %s (%s)", path.parent, e)
    return database


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crankcall"


class TopicScanner:
    """Topic keywords found in one Hyperscan pass over a stretch of text.

    Gives what matching the lexicon on the text's lower-cased words gives: a keyword matches a
    whole word (or a word's start, for "missile*"), a phrase the same words in a row with any
    non-word characters between them.
    """

    def __init__(self, terms: Sequence[TopicTerm], database: Any) -> None:
        self.terms = tuple(terms)
        self._database = database
        # How far back from the end of a match its first word starts (None: reported by Hyperscan).
        self._back = tuple(len(t.words[0]) if len(t.words) == 1 else None for t in self.terms)

    @classmethod
    def build(cls, terms: Sequence[TopicTerm]) -> TopicScanner | None:
        """A scanner over `terms`, or None without a working Hyperscan."""
        try:
            import hyperscan
        except ImportError:
            return None
        expressions, flags = [], []
        for term in terms:
            body = r"\W+".join(re.escape(word) for word in term.words)
            expressions.append((r"\b" + body + ("" if term.prefix else r"\b")).encode("ascii"))
            flags.append(
                hyperscan.HS_FLAG_CASELESS
                | (hyperscan.HS_FLAG_SOM_LEFTMOST if len(term.words) > 1 else 0)
            )
        try:
            database = compile_database(expressions, list(range(len(expressions))), flags)
        except (hyperscan.error, UnicodeEncodeError) as e:
            log.warning("hyperscan cannot compile the topic keywords (%s); using re only", e)
            return None
        return cls(terms, database)

    def hits(self, stand_in: bytes, start: int, end: int) -> list[tuple[TopicTerm, int]]:
        """(term, position of its first word) for every keyword in `stand_in[start:end]`, the
        ASCII stand-in of a text (see `ascii_stand_in`)."""
        found: list[tuple[TopicTerm, int]] = []
        terms, back = self.terms, self._back

        def on_match(ident: int, first: int, last: int, _flags: int, _context: object) -> None:
            length = back[ident]
            found.append((terms[ident], start + (first if length is None else last - length)))

        self._database.scan(stand_in[start:end], match_event_handler=on_match)
        return found
