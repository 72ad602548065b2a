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

import codecs
import hashlib
import json
import logging
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crankcall.analyze.cache import cache_file, write_cache
from crankcall.analyze.lexicon import Cue, TopicTerm

log = logging.getLogger(__name__)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Letters of the other scripts of the sources (Cyrillic, Arabic and Persian, Chinese, Korean).
OTHER_SCRIPTS = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u3040-\u9fff\uac00-\ud7af]")


def ascii_stand_in(text: str) -> str:
    """`text` with every non-ASCII character replaced by one ASCII character of the same kind
    (a letter or digit by "x", anything else by a space): same length, same word boundaries."""
    if text.isascii():
        # Python's \s takes the ASCII separators \x1c-\x1f for spaces; Hyperscan's does not.
        return text.translate(_SEPARATORS) if _SEPARATOR.search(text) else text
    return _NON_ASCII.sub(lambda m: "x" if m.group().isalnum() else " ", text).translate(
        _SEPARATORS
    )


_SEPARATOR = re.compile("[\x1c-\x1f]")
_SEPARATORS = dict.fromkeys(range(28, 32), " ")
_SEPARATOR_BYTES = bytes.maketrans(bytes(range(28, 32)), b"    ")
_STAND_IN_ERRORS = "crankcall-stand-in"


def stand_in_bytes(text: str) -> bytes:
    """`ascii_stand_in(text).encode("ascii")`, in one pass: the ASCII codec copies the text and
    hands each run of non-ASCII characters to `_stand_in_run`. `re` looking for them took a
    scan of the whole text, and another one looking for the separators (of every text)."""
    if not _STAND_IN_HANDLER:
        codecs.register_error(_STAND_IN_ERRORS, _stand_in_run)
        _STAND_IN_HANDLER.append(_stand_in_run)
    return text.encode("ascii", _STAND_IN_ERRORS).translate(_SEPARATOR_BYTES)


_STAND_IN_HANDLER: list[object] = []  # registered with `codecs` on first use


def _stand_in_run(error: UnicodeError) -> tuple[str, int]:
    """What the ASCII stand-in puts in place of a run of non-ASCII characters."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    run = error.object[error.start : error.end]
    return "".join(["x" if c.isalnum() else " " for c in run]), error.end


class CueScanner:
    """Candidate cues per sentence: a Hyperscan prefilter when available, else every cue."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = tuple(cues)
        self._database = _compile(self.cues)
        # Patterns in other scripts cannot be seen on the ASCII stand-in: their cues are
        # candidates in every text with letters of those scripts, and in no other.
        self._native = frozenset(
            i
            for i, cue in enumerate(self.cues)
            if any(OTHER_SCRIPTS.search(p.pattern) for p in cue.patterns)
        )

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
            stand_in = stand_in_bytes(text)
        self._database.scan(stand_in, match_event_handler=on_match)
        if self._native and not text.isascii() and OTHER_SCRIPTS.search(text):
            found |= self._native
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
            if OTHER_SCRIPTS.search(pattern.pattern):  # these cannot match the stand-in
                continue
            # A Latin letter beyond ASCII ("chargé") is "x" in the stand-in: such a pattern is
            # scanned as rewritten for it, or, when no rewriting is sure, matches anything.
            expression = (
                pattern.pattern if pattern.pattern.isascii() else _rewrite(pattern) or "[\\s\\S]"
            )
            expressions.append(expression.encode("ascii"))
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
    path = cache_file(f"hs-{digest.hexdigest()[:24]}.db")
    try:
        database = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
        return database
    except (OSError, hyperscan.error):
        pass
    database = hyperscan.Database()
    database.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=flags)
    try:
        data = hyperscan.dumpb(database)
    except hyperscan.error as e:
        log.info("cannot serialise the compiled patterns (%s)", e)
        return database
    write_cache(path, data)
    return database


def rewritten_patterns(
    patterns: Sequence[re.Pattern[str]], *, anchors: bool = False
) -> list[tuple[str | None, int | None]]:
    """Per pattern, its Hyperscan rewriting (`_rewrite`, with `anchors` kept or not) and its
    longest match (`_max_width`).

    Working them out parses every pattern twice, a good part of the coder's start-up; so the
    answers are cached beside the compiled databases, keyed by the patterns, the Python version
    (whose parser they read) and this module's source (whose rules they follow)."""
    key = hashlib.sha256(
        repr((sys.version, anchors, [(p.pattern, p.flags) for p in patterns])).encode()
        + Path(__file__).read_bytes()
    )
    path = cache_file(f"rw-{key.hexdigest()[:24]}.json")
    try:
        cached = json.loads(path.read_bytes())
        if isinstance(cached, list) and len(cached) == len(patterns):
            return [(source, width) for source, width in cached]
    except (OSError, ValueError, TypeError):
        pass
    analysed = [(_rewrite(p, anchors=anchors), _max_width(p)) for p in patterns]
    write_cache(path, json.dumps(analysed).encode())
    return analysed


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


# Characters on which the ASCII stand-in and Hyperscan may see less than `re` does: letters that
# `re` matches to ASCII ones when ignoring case (the Kelvin sign, the dotted and dotless i, the
# long s), and ASCII controls that `re` counts as spaces and Hyperscan does not.
_UNSURE = re.compile("[\x0b\x1c-\x1f\u0130\u0131\u017f\u212a]")
_UNSURE_CHARACTERS = "\x0b\x1c\x1d\x1e\x1f\u0130\u0131\u017f\u212a"


def _holds_unsure(text: str) -> bool:
    """`bool(_UNSURE.search(text))`: nine quick `in` tests instead of `re` over the text."""
    return any(c in text for c in _UNSURE_CHARACTERS)


class PatternScanner:
    """Which of a set of `re` patterns may match in a stretch of a document, from one Hyperscan
    pass over that stretch.

    Each pattern is rewritten from its parsed form into one that Hyperscan matches wherever `re`
    would, on the text's ASCII stand-in (lookarounds dropped, lazy and atomic repeats made plain):
    a pattern the scan does not report cannot match, and one it reports is then searched with
    `re`, so results are exactly those of `re`. A pattern that cannot be rewritten surely
    (anchors; classes that non-ASCII characters would slip past in the stand-in; back-references)
    is always searched.
    """

    def __init__(
        self, patterns: Sequence[re.Pattern[str]], *, whole: bool = False, anchored: bool = False
    ) -> None:
        """`whole`: scan whole documents at once and keep where matches end (for
        `Scan.starts_within`), instead of stretch by stretch. `anchored`: the patterns are
        searched in exactly the stretches scanned (a few words before a cue, not a sentence they
        stand in), so that anchors (`^`, `$`) mean the same to both and are kept."""
        self.patterns = tuple(patterns)
        self.whole = whole
        self._database: Any = None
        self._scanned: frozenset[int] = frozenset()
        self.everything = frozenset(range(len(self.patterns)))
        self.unsure = self.everything
        try:
            import hyperscan
        except ImportError:
            self.widths = tuple(_max_width(p) for p in self.patterns)
            return
        analysed = rewritten_patterns(self.patterns, anchors=anchored)
        self.widths = tuple(width for _, width in analysed)
        rewritten = {i: source for i, (source, _) in enumerate(analysed)}
        ids = [i for i, source in rewritten.items() if source is not None]
        base = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_ALLOWEMPTY
        if not whole:
            base |= hyperscan.HS_FLAG_SINGLEMATCH
        flags = [
            base | (hyperscan.HS_FLAG_CASELESS if self.patterns[i].flags & re.IGNORECASE else 0)
            for i in ids
        ]
        expressions = [str(rewritten[i]).encode("ascii") for i in ids]
        try:
            self._database = compile_database(expressions, ids, flags) if ids else None
        except hyperscan.error as e:
            log.warning("hyperscan cannot compile the context patterns (%s); using re only", e)
            return
        self._scanned = frozenset(ids) if self._database is not None else frozenset()
        self.unsure = self.everything - self._scanned

    def scan(self, document: str, stand_in: bytes) -> Scan:
        """The scanner's view of `document` (whose ASCII stand-in is `stand_in`); stretches are
        scanned when first asked about."""
        if self._database is None or (not document.isascii() and _holds_unsure(document)):
            return Scan(self, stand_in, sure=False)
        return Scan(self, stand_in, sure=True)


class Scan:
    """Which patterns of a `PatternScanner` may match in stretches of one document."""

    __slots__ = ("_ends", "_found", "_scanner", "_sure", "stand_in")

    def __init__(self, scanner: PatternScanner, stand_in: bytes, *, sure: bool) -> None:
        self._scanner = scanner
        self.stand_in = stand_in
        self._sure = sure
        self._found: dict[tuple[int, int], frozenset[int]] = {}
        self._ends: dict[int, list[int]] | None = None

    def may_match(self, start: int, end: int) -> frozenset[int]:
        """The patterns that may match in `document[start:end]` searched alone (a superset of
        those that do)."""
        scanner = self._scanner
        if not self._sure:
            return scanner.everything
        found = self._found.get((start, end))
        if found is None:
            hits: set[int] = set()
            scanner._database.scan(
                self.stand_in[start:end], match_event_handler=lambda ident, *_: hits.add(ident)
            )
            found = self._found[(start, end)] = scanner.unsure | hits
        return found

    def within(self, index: int, start: int, end: int) -> bool:
        """False when pattern `index` cannot match in `document[start:end]` searched alone."""
        return index in self.may_match(start, end)

    def never(self, index: int) -> bool:
        """True when the scan is sure that pattern `index` matches nowhere in the document (for
        a scanner over whole documents): then `starts_in` is False for every stretch."""
        return self._sure and index not in self._scanner.unsure and not self._match_ends(index)

    def starts_in(self, index: int, document: str, start: int, end: int) -> bool:
        """True when a match of pattern `index` found by `finditer` over the whole document
        starts in `document[start:end]` (for a scanner over whole documents): exactly `re`'s
        answer, with `re` run only near the stretch.

        `finditer` takes matches left to right without overlap, so one match can hide another;
        but where no match can span a position (no match may end within the pattern's longest
        width after it), `finditer` from that position finds what it finds over the whole text.
        """
        pattern = self._scanner.patterns[index]
        width = self._scanner.widths[index]
        if not self._sure or index in self._scanner.unsure or width is None:
            return _starts_in(pattern, document, 0, start, end)
        ends = self._match_ends(index)
        at = bisect_left(ends, start)
        if at == len(ends) or ends[at] > end + width:
            return False  # a match starting in the stretch would end after it starts, at most
            # `width` after it
        cut = start
        while cut > 0:  # move left until no match can span `cut`
            at = bisect_right(ends, cut)
            if at == len(ends) or ends[at] >= cut + width:
                break
            cut = max(0, ends[at] - width)
        return _starts_in(pattern, document, cut, start, end)

    def _match_ends(self, index: int) -> list[int]:
        if self._ends is None:
            ends: dict[int, list[int]] = {}
            self._ends = ends

            def on_match(ident: int, _start: int, last: int, _flags: int, _c: object) -> None:
                ends.setdefault(ident, []).append(last)

            self._scanner._database.scan(self.stand_in, match_event_handler=on_match)
            for each in ends.values():
                each.sort()
        return self._ends.get(index, [])


def _starts_in(pattern: re.Pattern[str], document: str, cut: int, start: int, end: int) -> bool:
    """True when `pattern.finditer(document, cut)` finds a match starting in [start, end)."""
    for match in pattern.finditer(document, cut):
        if match.start() >= end:
            return False
        if match.start() >= start:
            return True
    return False


def _max_width(pattern: re.Pattern[str]) -> int | None:
    """The longest text `pattern` can match, or None when unbounded, unknown or when it can
    match the empty text."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        shortest, width = _parser.parse(pattern.pattern, pattern.flags).getwidth()
    except (ImportError, re.error, RecursionError, ValueError):
        return None
    # Empty matches make `finditer` step on by itself: not worth reasoning about.
    return int(width) if shortest > 0 and width < 10_000 else None


def _rewrite(pattern: re.Pattern[str], *, anchors: bool = False) -> str | None:
    """A Hyperscan expression matching, on the ASCII stand-in of any text, wherever `pattern`
    matches in the text (possibly more); None when no such rewriting is sure. `anchors`: keep
    the anchors of the start and end of the text (Hyperscan's `^`, `\\A`, `$` and `\\z` mean
    what `re`'s `^`, `\\A`, `$` and `\\Z` do without MULTILINE), for a scan of exactly the text
    that `re` searches."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - another Python's re
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    caseless = bool(pattern.flags & re.IGNORECASE)
    kept = (
        {
            c.AT_BEGINNING: "^",
            c.AT_BEGINNING_STRING: "\\A",
            c.AT_END: "$",
            c.AT_END_STRING: "\\z",
        }
        if anchors and not pattern.flags & re.MULTILINE
        else {}
    )

    def char(code: int) -> str | None:
        if _UNSURE.match(chr(code)):
            return None
        if code > 0x7F:  # what the stand-in holds in its place
            return "x" if chr(code).isalnum() else "\\x20"
        return chr(code) if chr(code).isalnum() else f"\\x{code:02x}"

    def slips(code: int) -> bool:  # a character the stand-in puts in place of non-ASCII ones
        return chr(code) == " " or chr(code) == "x" or (caseless and chr(code) == "X")

    categories = {
        # rendering, sure in a positive class, sure in a negated one
        c.CATEGORY_WORD: ("\\w", True, False),
        c.CATEGORY_NOT_WORD: ("\\W", True, False),
        c.CATEGORY_SPACE: ("\\s", True, False),
        c.CATEGORY_NOT_SPACE: ("\\S", False, False),
        c.CATEGORY_DIGIT: ("\\d", False, True),
        c.CATEGORY_NOT_DIGIT: ("\\D", True, False),
    }

    def klass(items: list[Any]) -> str | None:
        negated = bool(items) and items[0][0] is c.NEGATE
        parts = []
        for op, av in items[1:] if negated else items:
            if op is c.LITERAL:
                if negated and slips(av):
                    return None
                rendered = char(av)
                if rendered is None:
                    return None
                if not (negated and av > 0x7F):  # leaving one out of a negated class is safe
                    parts.append(rendered)
            elif op is c.RANGE:
                low, high = av
                if negated and any(low <= ord(s) <= high for s in " xX"):
                    return None
                if low <= 0x7F:
                    parts.append(f"\\x{low:02x}-\\x{min(high, 0x7F):02x}")
                if high > 0x7F and not negated:
                    parts.append("x\\x20")
            elif op is c.CATEGORY and av in categories:
                rendered, positive_ok, negated_ok = categories[av]
                if not (negated_ok if negated else positive_ok):
                    return None
                parts.append(rendered)
            else:
                return None
        if not parts:
            return "[\\s\\S]"
        return "[" + ("^" if negated else "") + "".join(parts) + "]"

    def render(items: Any) -> str | None:
        out = []
        for op, av in items:
            if op is c.LITERAL:
                piece = char(av)
            elif op is c.NOT_LITERAL:
                piece = "[\\s\\S]" if av > 0x7F else None if slips(av) else f"[^\\x{av:02x}]"
            elif op is c.ANY:
                piece = "."
            elif op is c.IN:
                piece = klass(av)
            elif op is c.CATEGORY:
                rendered, positive_ok, _ = categories.get(av, ("", False, False))
                piece = rendered if positive_ok else None
            elif op is c.AT:
                piece = "\\b" if av is c.AT_BOUNDARY else kept.get(av)
            elif op is c.BRANCH:
                branches = [render(b) for b in av[1]]
                piece = None if None in branches else "(?:" + "|".join(map(str, branches)) + ")"
            elif op is c.SUBPATTERN:
                _group, add, remove, inner = av
                body = render(inner) if not add and not remove else None
                piece = None if body is None else f"(?:{body})"
            elif op is c.ATOMIC_GROUP:
                body = render(av)
                piece = None if body is None else f"(?:{body})"
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, high, inner = av
                body = render(inner)
                upper = "" if high is c.MAXREPEAT else str(high)
                piece = None if body is None else f"(?:{body}){{{low},{upper}}}"
            elif op in (c.ASSERT, c.ASSERT_NOT):
                piece = ""  # dropped: the rewritten pattern matches more, never less
            else:
                piece = None
            if piece is None:
                return None
            out.append(piece)
        return "".join(out)

    return render(tree)
