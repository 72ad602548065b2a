"""The Hyperscan prefilter never hides a cue that plain `re` would find."""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crankcall.analyze import relation
from crankcall.analyze.lexicon import load_lexicon
from crankcall.analyze.scanner import (
    _UNSURE,
    CueScanner,
    PatternScanner,
    _holds_unsure,
    _rewrite,
    ascii_stand_in,
    stand_in_bytes,
)
from crankcall.analyze.text import sentences

ROOT = Path(__file__).parent.parent.parent
LEXICON = load_lexicon()
SCANNER = CueScanner(LEXICON.cues)


def _found_by_re(text: str) -> set[str]:
    return {cue.id for cue in LEXICON.cues if cue.combined.search(text)}


def test_scanner_is_accelerated_here() -> None:
    assert SCANNER.accelerated  # hyperscan is a dependency; the fallback is tested below


def test_a_cue_with_a_latin_letter_beyond_ascii_is_a_candidate_where_re_finds_it() -> None:
    # "chargé" is "chargx" in the stand-in: the pattern `charg[eé]` is scanned as rewritten for
    # it (it was scanned as UTF-8 bytes, and the summons missed).
    text = "Tehran summons the Chinese chargé d'affaires over the islands statement"
    assert "protest.summon" in _found_by_re(text)
    assert "protest.summon" in {c.id for c in SCANNER.candidates(text)}


def test_candidates_cover_every_cue_re_finds_in_the_gold_sets() -> None:
    texts = []
    for path in sorted((ROOT / "tests" / "gold").glob("coding-*.jsonl")):
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            texts += [s.text for s in sentences(f"{row['title']}\n\n{row['text']}")]
    assert len(texts) > 1000
    for text in texts:
        assert _found_by_re(text) <= {c.id for c in SCANNER.candidates(text)}, text


@given(
    st.lists(
        st.sampled_from(
            [
                "Russia",
                "signed",
                "a",
                "treaty",
                "with",
                "Иран",
                "“talks”",
                "北京",
                "é",
                "—",
                "refused",
                "payments",
                "joint",
                "drills",
                "sanctions",
                "banks",
                "x" * 50,
                "\u00a0",
                "deliver",
                "missiles",
            ]
        ),
        max_size=25,
    )
)
def test_candidates_cover_re_on_mixed_scripts(words: list[str]) -> None:
    text = " ".join(words)
    assert _found_by_re(text) <= {c.id for c in SCANNER.candidates(text)}


def test_without_hyperscan_every_cue_is_a_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def refuse(name: str, *args: object, **kwargs: object) -> object:
        if name == "hyperscan":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", refuse)
    plain = CueScanner(LEXICON.cues)
    assert not plain.accelerated
    assert plain.candidates("anything") == list(LEXICON.cues)


def _gold_documents() -> list[str]:
    documents = []
    for path in sorted((ROOT / "tests" / "gold").glob("coding-*.jsonl")):
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            documents.append(f"{row['title']}\n\n{row['text']}" if row["text"] else row["title"])
    for path in sorted((ROOT / "data" / "sample").glob("articles-*.jsonl")):
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            documents.append(f"{row['title']}\n\n{row['text']}")
    return documents


def test_hyperscan_finds_the_same_name_forms_as_the_trie_regex() -> None:
    from crankcall.analyze.actors import ActorFinder
    from crankcall.analyze.gazetteer import load_gazetteer

    finder = ActorFinder(load_gazetteer())
    assert finder._literals is not None
    for document in [*_gold_documents(), "RUSSIA, CHINA SIGN PACT", "Türkiye and Россия, Iran"]:
        expected = [(m.start(), m.end(), m.group()) for m in finder._spaced.finditer(document)]
        assert finder._literals.words(document) == expected, document[:80]


def test_hyperscan_finds_the_same_topic_keywords_as_word_matching() -> None:
    from crankcall.analyze.coder import default_coder
    from crankcall.analyze.scanner import ascii_stand_in

    coder = default_coder()
    topics = coder.topics
    assert topics.scanner is not None
    for document in _gold_documents():
        spans = sentences(document)
        end = len(document)
        hyper = topics.scanner.hits(ascii_stand_in(document).encode("ascii"), 0, end)
        words = topics.words(document, spans, [], end)
        assert sorted((t.key, p) for t, p in hyper) == sorted((t.key, p) for t, p in words)


def test_compiled_databases_are_cached_and_load_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crankcall.analyze.scanner import compile_database

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expressions, ids, flags = [rb"\bsanction", rb"\btreaty\b"], [0, 1], [0, 0]
    compile_database(expressions, ids, flags)
    cached = list((tmp_path / "crankcall").glob("hs-*.db"))
    assert len(cached) == 1
    found: list[int] = []
    loaded = compile_database(expressions, ids, flags)
    loaded.scan(b"a treaty and sanctions", match_event_handler=lambda i, *_: found.append(i))
    assert sorted(found) == [0, 1]


def test_pattern_rewritings_are_cached_and_a_damaged_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crankcall.analyze.scanner import _max_width, rewritten_patterns

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    patterns = [LEXICON.context.two_sides, LEXICON.context.negation, LEXICON.cues[0].combined]
    expected = [(_rewrite(p), _max_width(p)) for p in patterns]
    assert rewritten_patterns(patterns) == expected
    (cached,) = (tmp_path / "crankcall").glob("rw-*.json")
    assert rewritten_patterns(patterns) == expected  # read back
    cached.write_text("[1, 2")
    assert rewritten_patterns(patterns) == expected


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crankcall.analyze.scanner import compile_database

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    database = compile_database([rb"\bpact\b"], [0], [0])
    found: list[int] = []
    database.scan(b"a pact", match_event_handler=lambda i, *_: found.append(i))
    assert found == [0]


# The coder's document scans: every context pattern and cue, searched sentence by sentence.
CONTEXT = [getattr(LEXICON.context, f.name) for f in dataclasses.fields(LEXICON.context)]
PATTERNS = PatternScanner(CONTEXT + [cue.combined for cue in LEXICON.cues])
WORDS = [
    "Russia",
    "China",
    "and",
    "signed",
    "a",
    "treaty",
    "with",
    "Иран",
    "“talks”",
    "北京",
    "é",
    "—",
    "–",
    "refused",
    "the two sides",
    "bilateral",
    "not",
    "summoned",
    "chargé",
    "\u00a0",
    "Russia-China",
    "Kazan",
    "summit",
    "joint",
    "drills",
    "but",
    ";",
    ".",
    "K",
    "\u212aorea",
    "İran",
    "\x1c",
    "؛",
    "٣",
    "x" * 30,
]


def _misses(document: str) -> list[str]:
    """Patterns `re` finds in a sentence of `document` that the scan says cannot match there."""
    scan = PATTERNS.scan(document, ascii_stand_in(document).encode("ascii"))
    missed = []
    for span in sentences(document):
        may = scan.may_match(span.start, span.end)
        missed += [
            f"{p.pattern[:40]} in {span.text!r}"
            for i, p in enumerate(PATTERNS.patterns)
            if i not in may and p.search(span.text)
        ]
    return missed


def test_document_scans_cover_every_pattern_re_finds_in_the_gold_sets() -> None:
    assert len(PATTERNS.unsure) < len(PATTERNS.patterns) // 2  # most patterns are scanned
    for path in sorted((ROOT / "tests" / "gold").glob("coding-*.jsonl")):
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            assert not _misses(f"{row['title']}\n\n{row['text']}")


@given(st.lists(st.sampled_from(WORDS), max_size=30))
@example(["Russia", "Russia", "\x1c", "Russia"])  # Python's \s takes \x1c for a space
def test_document_scans_cover_re_on_mixed_scripts(words: list[str]) -> None:
    assert not _misses(" ".join(words))


BEFORE_CUE = PatternScanner(
    [getattr(LEXICON.context, name) for name in relation.BEFORE_CUE], anchored=True
)
BEFORE_WORDS = [
    *WORDS,
    "did not",
    "denied",
    "suspends",
    "rebuked Moscow over",
    "after being",
    "may",
    "shield Iran from",
    "jointly",
    "\n",
    " ",
]


def _window_misses(document: str) -> list[str]:
    """Patterns `re` finds in a stretch of `document` (every stretch of up to 40 characters
    ending at a word) that the anchored scan of that stretch says cannot match there."""
    scan = BEFORE_CUE.scan(document, ascii_stand_in(document).encode("ascii"))
    missed = []
    ends = [m.start() for m in re.finditer(r"\b", document)] + [len(document)]
    for end in ends:
        start = max(0, end - 40)
        window = document[start:end]
        may = scan.may_match(start, end)
        missed += [
            f"{p.pattern[:40]} in {window!r}"
            for i, p in enumerate(BEFORE_CUE.patterns)
            if i not in may and p.search(window)
        ]
    return missed


def test_anchored_scans_cover_the_words_before_cues_in_the_gold_sets() -> None:
    assert not BEFORE_CUE.unsure  # every pattern before a cue is scanned, anchors and all
    for path in sorted((ROOT / "tests" / "gold").glob("coding-*.jsonl"))[:2]:
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            assert not _window_misses(f"{row['title']}\n\n{row['text']}"[:600])


@given(st.lists(st.sampled_from(BEFORE_WORDS), max_size=20))
@example(["did not", "\n"])  # `$` matches before a final line break, in both
def test_anchored_scans_cover_re_on_any_words(words: list[str]) -> None:
    assert not _window_misses(" ".join(words))


@pytest.mark.parametrize(
    ("pattern", "flags", "sure"),
    [
        (r"\bnot\b[^.;:]{0,30}$", 0, True),
        (r"^and\Z", 0, True),
        (r"\Aand$", 0, True),
        (r"^and$", re.MULTILINE, False),  # anchors at every line: not kept
        (r"\Band", 0, False),
    ],
)
def test_anchored_rewriting_keeps_anchors_of_the_text(pattern: str, flags: int, sure: bool) -> None:
    assert (_rewrite(re.compile(pattern, flags), anchors=True) is not None) == sure
    assert _rewrite(re.compile(pattern, flags)) is None  # in a sentence they mean another thing


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"not$", "did not", True),
        (r"not$", "did not\n", True),  # `$` before a final line break
        (r"not$", "did not\n\n", False),
        (r"not\Z", "did not\n", False),
        (r"^did", "he did", False),
        (r"^did", "did not", True),
    ],
)
def test_anchored_scans_read_anchors_as_re_does(pattern: str, text: str, found: bool) -> None:
    scanner = PatternScanner([re.compile(pattern)], anchored=True)
    may = scanner.scan(text, text.encode("ascii")).may_match(0, len(text))
    assert (0 in may) == found == bool(re.search(pattern, text))


TWO_SIDES = PatternScanner([LEXICON.context.two_sides], whole=True)
SIDES_WORDS = [
    "the two",
    "sides",
    "countries",
    "the",
    "two",
    "both",
    "bilateral",
    "each other",
    "their ties",
    "Russia",
    "Iran",
    ".",
    "!",
    "\n\n",
    "\n",
    "é",
    "“",
    "x" * 20,
]


def _starts_agree(document: str) -> None:
    """`Scan.starts_in` says for every sentence what `finditer` over the whole text says, and
    `Scan.never` only when it finds nothing."""
    pattern = LEXICON.context.two_sides
    spans = sentences(document)
    starts = [span.start for span in spans]
    expected = {bisect.bisect_right(starts, m.start()) - 1 for m in pattern.finditer(document)}
    scan = TWO_SIDES.scan(document, ascii_stand_in(document).encode("ascii"))
    assert not (scan.never(0) and expected), document
    for index, span in enumerate(spans):
        end = spans[index + 1].start if index + 1 < len(spans) else len(document)
        assert scan.starts_in(0, document, span.start, end) == (index in expected), span.text


def test_whole_document_scan_finds_where_matches_start() -> None:
    _starts_agree("Xi met Putin. Later, the two sides signed deals. Iran watched. Both sides.")
    _starts_agree("the two the two sides. " * 5 + "the two countries the two sides each other")
    for path in sorted((ROOT / "tests" / "gold").glob("coding-*.jsonl")):
        for row in map(json.loads, path.read_text("utf-8").splitlines()):
            _starts_agree(f"{row['title']}\n\n{row['text']}")


@given(st.lists(st.sampled_from(SIDES_WORDS), max_size=40))
def test_whole_document_scan_agrees_with_finditer_on_any_text(words: list[str]) -> None:
    _starts_agree(" ".join(words))


def test_a_document_without_the_pattern_is_never_searched() -> None:
    plain = "Xi met Putin. Iran watched."
    assert TWO_SIDES.scan(plain, plain.encode("ascii")).never(0)
    both = "Xi met Putin. The two sides signed."
    assert not TWO_SIDES.scan(both, both.encode("ascii")).never(0)
    # A text the scan is not sure of (the Kelvin sign, which `re` takes for a "k") is searched.
    unsure = "Xi met Putin \u212a."
    assert not TWO_SIDES.scan(unsure, stand_in_bytes(unsure)).never(0)


STAND_IN_TEXT = (
    st.text(
        st.sampled_from(
            ["a", " ", "\x1c", "\x1f", "\x0b", "é", "—", "“", "中", "\u212a", "\ud800", "٣"]
        )
    )
    | st.text()
)


@given(STAND_IN_TEXT)
@example("Iran\x1c—Россия “2” \ud800")
def test_stand_in_bytes_are_the_stand_in_encoded(text: str) -> None:
    assert stand_in_bytes(text) == ascii_stand_in(text).encode("ascii")


def test_stand_in_bytes_keep_lengths_and_word_boundaries() -> None:
    assert stand_in_bytes("Iran’s “deal” 中俄\x1d") == b"Iran s  deal  xx "


@given(STAND_IN_TEXT)
def test_holds_unsure_is_the_unsure_pattern(text: str) -> None:
    assert _holds_unsure(text) == bool(_UNSURE.search(text))


@pytest.mark.parametrize(
    ("pattern", "sure"),
    [
        (r"\bsign(s|ed)?\b", True),
        (r"charg[eé] d.affaires", True),  # non-ASCII letters stand in as "x"
        (r"[^.;:]{0,30}", True),
        (r"[^x]+", False),  # the stand-in's "x" would slip past
        (r"\S+", False),
        (r"\d+", False),  # other scripts' digits are "x" in the stand-in
        (r"^and$", False),  # anchors mean something else in a sentence
        (r"(a)\1", False),
        ("\u212a", False),
    ],
)
def test_patterns_are_rewritten_only_when_sure(pattern: str, sure: bool) -> None:
    assert (_rewrite(re.compile(pattern, re.IGNORECASE)) is not None) == sure


OVERLAPPING = re.compile(r"ab?a")  # matches overlap: which finditer keeps depends on the left


@given(st.lists(st.sampled_from(["a", "ba", "aba", ". A", "\n\n", " "]), max_size=60))
def test_starts_in_follows_finditer_when_matches_overlap(pieces: list[str]) -> None:
    document = "".join(pieces)
    scanner = PatternScanner([OVERLAPPING], whole=True)
    scan = scanner.scan(document, document.encode("ascii"))
    found = {m.start() for m in OVERLAPPING.finditer(document)}
    for start in range(len(document)):
        for end in (start + 1, start + 3):
            expected = any(start <= s < end for s in found)
            assert scan.starts_in(0, document, start, end) == expected, (document, start, end)
