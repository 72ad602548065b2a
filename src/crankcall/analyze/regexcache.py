"""The compiled form of the lexicon's regular expressions, kept between runs.

`re.compile` parses and compiles a pattern in Python, and the lexicon's 170 patterns (dozens of
alternatives each, ignoring case) took a quarter of a second at every start of `crankcall code`,
more than the Hyperscan databases take to load. What `re` compiles a pattern to (the code that
its C engine runs, with the pattern's flags and groups) depends only on the pattern, its flags
and the Python version; so it is kept in a file beside the Hyperscan databases, keyed by the
Python version, the engine's magic number and this module's source, and handed back to the
engine (`_sre.compile`, what `re.compile` itself ends with) at the next start. A pattern built
so compares equal to `re.compile`'s (`re.Pattern.__eq__` compares pattern, flags and code). A
file that cannot be read, an entry that does not load, or a Python whose `re` is built otherwise
means compiling with `re.compile`, as without the file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

from crankcall.analyze.cache import cache_file, write_cache

log = logging.getLogger(__name__)


class PatternCache:
    """Compiled patterns loaded from the cache file, and those compiled afresh to add to it."""

    def __init__(self, path: Path | None, entries: dict[str, Any]) -> None:
        self._path = path
        self._entries = entries
        self._used: dict[str, Any] = {}
        self._missed = False

    @classmethod
    def open(cls) -> PatternCache:
        """The cache of this Python; empty (compiling everything) when it cannot be read."""
        try:
            import _sre  # type: ignore[import-not-found]
            from re import _compiler  # type: ignore[attr-defined]  # noqa: F401
        except ImportError:  # pragma: no cover - another Python's re
            return cls(None, {})
        key = hashlib.sha256(
            repr((sys.version, _sre.MAGIC, _sre.CODESIZE)).encode() + Path(__file__).read_bytes()
        )
        path = cache_file(f"re-{key.hexdigest()[:24]}.json")
        try:
            digest, _, body = path.read_bytes().partition(b"\n")
            # Not as written (damaged, or changed since): it must not feed the engine.
            entries = json.loads(body) if digest == _digest(body) else {}
        except (OSError, ValueError):
            entries = {}
        return cls(path, entries if isinstance(entries, dict) else {})

    def compile(self, pattern: str, flags: int) -> re.Pattern[str]:
        """`re.compile(pattern, flags)`, from the cache when it holds the pattern. Raises
        `re.error` as `re.compile` does."""
        name = f"{flags}:{pattern}"
        entry = self._entries.get(name)
        if entry is not None:
            try:
                compiled = _from_entry(pattern, entry)
            except (TypeError, ValueError, RuntimeError):
                compiled = None
            if compiled is not None:
                self._used[name] = entry
                return compiled
        compiled = re.compile(pattern, flags)
        if self._path is not None:
            fresh = _entry(pattern, flags)
            if fresh is not None and _from_entry(pattern, fresh) == compiled:
                self._used[name] = fresh
                self._missed = True
        return compiled

    def save(self) -> None:
        """Write the patterns compiled since `open` (with those loaded and used), when any was
        compiled afresh. The file keeps what the current lexicon needs and, up to `KEPT`
        entries in all, what it held besides: two checkouts with different lexicons on one
        machine (a release and a working copy) then do not each recompile what the other wrote
        over at every start."""
        if self._path is not None and self._missed:
            kept = {**self._entries, **self._used}
            body = json.dumps(kept if len(kept) <= KEPT else self._used).encode()
            write_cache(self._path, _digest(body) + b"\n" + body)
            self._missed = False


KEPT = 600
"""Entries a cache file holds at most: the lexicon's patterns (about 200) two or three times."""


def _digest(body: bytes) -> bytes:
    """The checksum written on the file's first line: of the entries' JSON as written, so that
    checking it reads the bytes once and does not serialise the entries again."""
    return hashlib.sha256(body).hexdigest().encode("ascii")


def _entry(pattern: str, flags: int) -> list[Any] | None:
    """What `re.compile` hands to the engine for `pattern`, as JSON values."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for group, index in groupindex.items():
            indexgroup[index] = group
        return [flags | parsed.state.flags, list(code), parsed.state.groups - 1, groupindex,
                indexgroup]  # fmt: skip
    except (AttributeError, TypeError, ValueError, re.error, RecursionError):
        return None


def _from_entry(pattern: str, entry: list[Any]) -> re.Pattern[str]:
    import _sre

    flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))  # type: ignore[no-any-return]
