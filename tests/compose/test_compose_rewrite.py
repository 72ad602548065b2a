"""The light rewrites and the text tests behind them: datelines, names, clauses, headlines."""

from __future__ import annotations

import pytest
from compose_records import make_article
from hypothesis import given
from hypothesis import strategies as st

from crankcall.compose import check_faithful
from crankcall.compose.headline import clean_title, sentence_case, trim_headline
from crankcall.compose.rewrite import (
    compound_subject,
    named_in,
    normalise,
    resolve_pronoun,
    strip_dateline,
    subject_name,
    trim_clause,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MOSCOW, Aug 20 (Reuters) - Russia said it would.", "Russia said it would."),
        ("ANKARA, Turkey (AP) — Russia freed the reporter.", "Russia freed the reporter."),
        ("BEIJING, Aug. 21 (Xinhua) -- China and Russia met.", "China and Russia met."),
        ("Pyongyang, August 4 (KCNA) -- Kim Jong Un sent thanks.", "Kim Jong Un sent thanks."),
        ("TEHRAN (Tasnim) - Iranian officials dismissed it.", "Iranian officials dismissed it."),
        ("Tehran, IRNA - President Pezeshkian said so.", "President Pezeshkian said so."),
        ("WASHINGTON - Today, the Treasury acted.", "Today, the Treasury acted."),
        ("YIWU, China -- Traders say demand is strong.", "Traders say demand is strong."),
        ("DUBAI/LONDON, June 2 (Reuters) - OPEC+ agreed.", "OPEC+ agreed."),
        ("TOKYO, June 20 Kyodo - Japan expressed concern.", "Japan expressed concern."),
        ("SEOUL, South Korea (AP) — North Korea fired.", "North Korea fired."),
    ],
)
def test_datelines_are_stripped(text: str, expected: str) -> None:
    assert strip_dateline(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Russia's central bank - which sets rates - held them.",
        "Putin said - on Monday - that talks would go on.",
        "The US - China talks ended without a deal.",
        "NATO leaders met in Washington on Wednesday.",
        "MOSCOW, Aug 20 (Reuters) - lower-case start is not stripped",
    ],
)
def test_text_without_a_dateline_is_unchanged(text: str) -> None:
    assert strip_dateline(text) == text


PLACES = st.sampled_from(
    ["MOSCOW", "TEHRAN", "WASHINGTON", "NEW YORK", "ST. PETERSBURG", "Pyongyang", "Beijing"]
)
DATES = st.sampled_from(["", ", Aug 20", ", Aug. 21", ", August 4", ", Sept 3", ", Russia"])
AGENCIES = st.sampled_from(["(Reuters)", "(AP)", "(AFP)", "(Xinhua)", "(Yonhap)", "(KCNA)"])
DASHES = st.sampled_from(["-", "--", "—", "–"])
WORDS = st.lists(st.from_regex(r"[a-z]{1,9}", fullmatch=True), min_size=5, max_size=25)
FIRST = st.sampled_from(["Russia", "China", "Iran", "Officials", "The", "North", "Kim"])


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """A one-sentence body: a capitalised word, lower-case words, a full stop."""
    return f"{draw(FIRST)} {' '.join(draw(WORDS))}."


@st.composite
def datelines(draw: st.DrawFn) -> str:
    """A wire dateline as agencies write them."""
    return f"{draw(PLACES)}{draw(DATES)} {draw(AGENCIES)} {draw(DASHES)} "


@given(st.text(alphabet=st.characters(blacklist_characters="-—–(/"), max_size=200))
def test_stripping_never_changes_text_without_a_dateline(text: str) -> None:
    assert strip_dateline(text) == text


@given(st.text(max_size=200))
def test_stripping_only_ever_removes_a_prefix(text: str) -> None:
    assert text.endswith(strip_dateline(text))


@given(datelines(), bodies())
def test_dateline_is_stripped_to_the_body(dateline: str, body: str) -> None:
    assert strip_dateline(dateline + body) == body


@given(datelines(), bodies(), bodies())
def test_stripped_sentence_always_traces(dateline: str, body: str, more: str) -> None:
    article = make_article("p-1", f"{dateline}{body}\n\n{more}")
    text = strip_dateline(f"{dateline}{body}")
    issue = {"links": [{"text": text, "articles": ["p-1"], "outlets": ["Reuters"]}]}
    assert check_faithful(issue, {"p-1": article}) == []


@given(st.text(max_size=200))
def test_normalise_is_idempotent_and_ignores_spacing(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert normalise(f"  {text}\n ") == once


@given(bodies())
def test_curly_and_straight_quotes_compare_equal(body: str) -> None:
    curly = f"“{body}” it’s"
    assert normalise(curly) == normalise(f'"{body}" it\'s')


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Vladimir Putin noted that the mechanism works.", "Vladimir Putin"),
        ("President Masoud Pezeshkian has said that Russia is a partner.", "Masoud Pezeshkian"),
        ("North Korean leader Kim Jong-un has thanked Putin.", "Kim Jong-un"),
        ("Kim Jong Un, general secretary of the party, sent a message.", "Kim Jong Un"),
        ("The respected Comrade Kim Jong Un in the message thanked him.", None),
        ("Li said that relations are stable.", None),
        ("Russia and China signed a pact.", None),
    ],
)
def test_subject_name_is_found_only_when_plain(sentence: str, name: str | None) -> None:
    assert subject_name(sentence) == name


@pytest.mark.parametrize(
    ("sentence", "compound"),
    [
        ("Premier Li Qiang and Prime Minister Mikhail Mishustin co-chaired the meeting.", True),
        ("MOSCOW, Aug 21 (Reuters) - Putin and Kim signed a pact.", True),
        ("Iranian President Masoud Pezeshkian met Shoigu and Ahmadian.", False),
        ("The talks and the banquet ran late.", False),
        ("Li Qiang said that relations are stable.", False),
    ],
)
def test_compound_subject_is_two_names_before_the_verb(sentence: str, compound: bool) -> None:
    assert compound_subject(sentence) is compound


@pytest.mark.parametrize(
    ("sentence", "previous", "named"),
    [
        ("Kim told the envoy to stop.", "Vice Minister Kim Hong-kyun called in the envoy.", True),
        ("Putin said ties were strong.", "Vladimir Putin met Kim Jong Un.", True),
        ("Kim told the envoy to stop.", "The ministry called in the envoy.", False),
        ("Moscow said ties were strong.", "In Moscow, talks began on Monday.", False),
        ("The ministry said nothing more.", "Vladimir Putin met Kim Jong Un.", False),
    ],
)
def test_a_bare_surname_is_named_in_full_by_the_sentence_before(
    sentence: str, previous: str, named: bool
) -> None:
    assert named_in(sentence, previous) is named


def test_pronoun_is_resolved_only_from_a_named_subject() -> None:
    previous = "Wang Yi said that China firmly opposes the assassination."
    assert resolve_pronoun("He urged restraint.", previous) == "Wang Yi urged restraint."
    assert resolve_pronoun("He urged restraint.", "The minister spoke.") is None
    assert resolve_pronoun("They urged restraint.", previous) is None


@pytest.mark.parametrize(
    ("sentence", "shorter"),
    [
        (
            "Shoigu arrived in Tehran on Monday, days after Haniyeh was killed there.",
            ["Shoigu arrived in Tehran on Monday."],
        ),
        ("Russia is sending radars to Iran, two officials said.", []),
        ("Russia is sending radars to Iran, as Tehran's officials said.", []),
        ("The deal covers oil, gas and coal.", []),
        ('Putin met Kim, who called it "historic".', []),
    ],
)
def test_trim_drops_only_subordinate_clauses_without_attribution(
    sentence: str, shorter: list[str]
) -> None:
    assert trim_clause(sentence) == shorter


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Iran Readies Short-Range Ballistic Missiles for Russia, U.S. Officials Say",
            "Iran readies short-range ballistic missiles for Russia, U.S. officials say",
        ),
        (
            "Russia's China Payment Snarl Persists After Premier's Visit",
            "Russia's China payment snarl persists after Premier's visit",
        ),
        (
            "Iran's Pezeshkian calls Russia a strategic partner in talks with Putin envoy Shoigu",
            "Iran's Pezeshkian calls Russia a strategic partner in talks with Putin envoy Shoigu",
        ),
    ],
)
def test_sentence_case_keeps_proper_nouns(title: str, expected: str) -> None:
    proper = {"premier": True, "shoigu": True, "pezeshkian": True, "missiles": False}
    assert sentence_case(title, proper) == expected


def test_clean_title_drops_labels_and_outlet_suffix() -> None:
    assert clean_title("(LEAD) Signs of chill in ties - Yonhap", ["Yonhap"]) == (
        "Signs of chill in ties"
    )
    assert clean_title("EXCLUSIVE: Russia and China barter | Reuters", ["reuters"]) == (
        "Russia and China barter"
    )
    assert clean_title("Commentary: ties are mature", labels=False) == (
        "Commentary: ties are mature"
    )
    assert clean_title("A - B", ["B"]) == "A"


def test_long_headline_is_trimmed_at_a_clause_never_dropping_attribution() -> None:
    long = (
        "Yoon warns of North Korea-Russia military ties in Washington, calls for "
        "NATO-Indo-Pacific solidarity at the summit"
    )
    assert trim_headline(long) == "Yoon warns of North Korea-Russia military ties in Washington"
    said = "Russia has started delivering radars and jamming gear to Iran, two officials say"
    assert trim_headline(said) == said  # 14 words: nothing to trim
    no_cut = " ".join(["word"] * 20)
    assert trim_headline(no_cut) == ""
