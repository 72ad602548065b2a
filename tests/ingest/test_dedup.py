"""Near-duplicate signatures: copies with a trimmed paragraph match, other texts do not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crankcall.ingest.dedup import (
    THRESHOLD,
    bands,
    containment,
    from_bytes,
    signature,
    similarity,
    to_bytes,
)

ORIGINAL = (
    "Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a comprehensive "
    "strategic partnership treaty in Pyongyang on Wednesday that commits each side to provide "
    "military and other assistance without delay if the other is attacked. The agreement was the "
    "most significant between the two countries in decades, officials in both capitals said. "
    "South Korea said it would review its policy on supplying weapons to Ukraine in response, "
    "while the United States and Japan voiced concern about the deepening military ties. "
    "Putin also said Russia did not rule out military and technical cooperation with Pyongyang."
)


def _sig(text: str):  # type: ignore[no-untyped-def]
    found = signature(text)
    assert found is not None
    return found


def test_a_trimmed_copy_with_a_new_headline_is_contained_in_its_original() -> None:
    copy = "Putin, Kim ink defence pact. " + ORIGINAL.rsplit(" Putin also said", 1)[0]
    (a, na), (b, nb) = _sig(ORIGINAL), _sig(copy)
    assert containment(a, na, b, nb) >= THRESHOLD
    assert similarity(a, b) < 1.0


def test_different_articles_on_the_same_event_are_not_copies() -> None:
    other = (
        "North Korea and Russia agreed to come to each other's defence under a treaty signed during "
        "a visit by the Russian leader to the North Korean capital, state media reported on Thursday. "
        "Analysts in Seoul said the deal, which revives a Cold War era commitment, would worry Beijing "
        "as much as Washington, and that its real test would be whether Moscow shares technology."
    )
    (a, na), (b, nb) = _sig(ORIGINAL), _sig(other)
    assert containment(a, na, b, nb) < 0.3


def test_short_texts_are_not_compared_and_signatures_round_trip() -> None:
    assert signature("Putin meets Kim in Pyongyang") is None
    sig, _ = _sig(ORIGINAL)
    assert (from_bytes(to_bytes(sig)) == sig).all()
    assert len(bands(sig)) == 32 and bands(sig) == bands(from_bytes(to_bytes(sig)))


@settings(max_examples=30)
@given(
    st.lists(
        st.sampled_from(
            ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
        ),
        min_size=30,
        max_size=80,
    )
)
def test_a_text_is_always_a_copy_of_itself(words: list[str]) -> None:
    text = " ".join(words)
    found = signature(text)
    if found is not None:
        sig, size = found
        assert containment(sig, size, sig, size) == 1.0
