"""The lexicon's patterns, compiled once and loaded from the cache after, are what `re.compile`
makes of them."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from crankcall.analyze.lexicon import load_lexicon
from crankcall.analyze.regexcache import PatternCache, _entry


def _patterns(lexicon: object) -> list[re.Pattern[str]]:
    context = lexicon.context  # type: ignore[attr-defined]
    found = [getattr(context, f.name) for f in dataclasses.fields(context)]
    for cue in lexicon.cues:  # type: ignore[attr-defined]
        found += [*cue.patterns, cue.combined]
    return found


def test_lexicon_loaded_from_the_cache_equals_one_compiled_by_re(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = _patterns(load_lexicon())
    (cached,) = (tmp_path / "crankcall").glob("re-*.json")
    loaded = _patterns(load_lexicon())
    assert loaded == fresh  # a pattern's equality compares its source, flags and code
    for pattern in loaded:
        assert pattern == re.compile(pattern.pattern, pattern.flags & ~re.UNICODE)
        assert pattern.groupindex == re.compile(pattern.pattern, pattern.flags).groupindex
    cached.write_text('{"2:x": [1, 2')  # damaged: compiled afresh
    assert _patterns(load_lexicon()) == fresh


def test_a_cached_pattern_matches_as_re_compiles_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = r"(?P<verb>sign(?:ed|s)?)\s+(?:an?\s+)?(deal|pact)"
    first = PatternCache.open()
    first.compile(source, re.IGNORECASE)
    first.save()
    again = PatternCache.open().compile(source, re.IGNORECASE)
    match = again.search("They SIGNED a pact")
    assert match is not None
    assert match.group("verb", 2) == ("SIGNED", "pact")
    assert again == re.compile(source, re.IGNORECASE)


def test_a_bad_entry_or_pattern_is_left_to_re(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = PatternCache.open()
    cache._entries["2:pact"] = [2, [1, 2, 3], 0, {}, [None]]  # code the engine refuses
    assert cache.compile("pact", re.IGNORECASE) == re.compile("pact", re.IGNORECASE)
    with pytest.raises(re.error):
        cache.compile("(unclosed", 0)


def test_a_file_changed_since_it_was_written_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry altered on disk (valid JSON, other engine code) would match something else:
    the file's checksum no longer agrees, so every pattern is compiled afresh."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = r"sign(?:ed|s)? (deal|pact)"
    first = PatternCache.open()
    first.compile(source, 0)
    first.save()
    (path,) = (tmp_path / "crankcall").glob("re-*.json")
    digest, _, body = path.read_text().partition("\n")
    entries = json.loads(body)
    entries[f"0:{source}"] = _entry("treaty", 0)  # another pattern's code
    path.write_text(digest + "\n" + json.dumps(entries))
    again = PatternCache.open().compile(source, 0)
    assert again.search("signed pact") and not again.search("treaty")


def test_two_lexicons_on_one_machine_share_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release and a working copy with other cue files both start from the cache: saving one
    lexicon's patterns keeps the other's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for source in (r"\bsign(ed)?\b", r"\bsanction\w*"):
        cache = PatternCache.open()
        cache.compile(source, re.IGNORECASE)
        cache.save()
    again = PatternCache.open()
    for source in (r"\bsign(ed)?\b", r"\bsanction\w*"):
        again.compile(source, re.IGNORECASE)
    assert not again._missed  # both loaded, none compiled afresh
