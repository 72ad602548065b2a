"""The Hyperscan prefilter never hides a cue that plain `re` would find."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crankcall.analyze.lexicon import load_lexicon
from crankcall.analyze.scanner import CueScanner
from crankcall.analyze.text import sentences

ROOT = Path(__file__).parent.parent.parent
LEXICON = load_lexicon()
SCANNER = CueScanner(LEXICON.cues)


def _found_by_re(text: str) -> set[str]:
    return {cue.id for cue in LEXICON.cues if cue.combined.search(text)}


def test_scanner_is_accelerated_here() -> None:
    assert SCANNER.accelerated  # hyperscan is a dependency; the fallback is tested below


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
