"""Choosing sentences: what may be quoted, what leans on its predecessor, and what is cited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from compose_records import MONTHS, DemoMonth, make_article, make_bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from crankcall.compose.rewrite import compound_subject, similar, subject_name, tokens
from crankcall.compose.summarise import (
    MAX_SOURCES,
    Candidate,
    Selection,
    candidates,
    facts,
    goes_on,
    highlight_paragraphs,
    leans,
    link_sentence,
    sources,
    usable,
)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Russia and China signed an energy pact in Moscow on Tuesday.", True),
        ("Will Russia and China sign an energy pact in Moscow?", False),
        ("Russia and China signed.", False),  # under six words
        (" ".join(["word"] * 61) + ".", False),  # over sixty words
        ("Reporting by Jane Doe; editing by John Roe in London today.", False),
        ("Click here to subscribe to our daily newsletter on China and Russia.", False),
        ("Read the full statement at https://example.org/statement now please.", False),
        ("Question: What is China's comment on the new sanctions package?", False),
        ("Traders in this eastern Chinese wholesale hub say demand is strong.", False),
        ("Today, the Treasury imposed sanctions on nearly 400 entities.", False),
        ("A headline without a full stop at the end of it", False),
        ("lower-case start of a sentence cut in the middle of a line.", False),
    ],
)
def test_usable_sentences(text: str, ok: bool) -> None:
    assert usable(text) is ok


@pytest.mark.parametrize(
    ("text", "leaning"),
    [
        ("But trade growth slowed sharply this year after a record 2023.", True),
        ("This year marks the 75th anniversary of diplomatic relations.", True),
        ("They said any such transfer would be a dramatic escalation.", True),
        ("The squeeze reflects a broader retreat by Chinese banks.", True),
        ("Officials say the growth has forced planners to think again.", True),
        (
            "Washington says China is the main supplier of such goods, a charge Beijing rejects.",
            True,
        ),
        ("China and Russia cooperate in groups such as BRICS and the SCO.", False),
        ("Normal trade is not directed at any third party, he said.", True),
        ("I'd like to stress that China's position is consistent and clear.", True),
        ('"Now the money comes back, or it hangs for a month."', True),
        ('"The orders are there. The bank says no," said the owner of a small company.', False),
        ("Russia and China signed an energy pact in Moscow on Tuesday.", False),
        ("The coordinated measures announced on September 10 were a display of unity.", False),
    ],
)
def test_sentences_that_lean_on_their_predecessor(text: str, leaning: bool) -> None:
    assert leans(text) is leaning


def test_reported_speech_goes_on_without_a_speaker() -> None:
    said = "Putin said Russia-China relations are at their best level in history."
    assert goes_on("Russia supports China in assuming the SCO presidency.", said)
    assert not goes_on("Russia supports China, the Kremlin said.", said)
    assert not goes_on("Russia supports China in assuming the SCO presidency.", "Talks began.")


def test_he_is_resolved_from_the_previous_sentence_of_the_source() -> None:
    text = "Li Qiang conveyed greetings. He said China is ready to work with Russia."
    found = candidates([make_article("a-1", text)])
    (he,) = [c for c in found if c.text.startswith("He ")]
    assert he.resolved == "Li Qiang said China is ready to work with Russia."
    assert not he.leaning


def test_he_after_two_named_people_is_not_quoted() -> None:
    text = (
        "Premier Li Qiang and Prime Minister Mikhail Mishustin co-chaired the meeting in Moscow. "
        "He said that the two sides would expand trade in energy and farm goods."
    )
    found = candidates([make_article("a-1", text)])
    assert [c.text[:2] for c in found] == ["Pr"]


def test_a_sentence_repeating_another_in_the_singular_adds_little() -> None:
    first = make_article(
        "a-1",
        "Russia has started delivering advanced radars and electronic warfare systems to Iran, "
        "two senior Iranian officials said on Monday.",
    )
    second = make_article(
        "a-2",
        "Russia is supplying Iran with an advanced radar and electronic warfare system, "
        "officials said.",
        outlet="Bloomberg",
    )
    lead, other = facts(candidates([first, second]))
    # Word for word, "radar" and "system" would be new and the sentence over half new.
    assert Selection(lead, per_article=4).novelty(other) < 0.5


def _when(hours: int) -> datetime:
    return datetime(2024, 8, 20, tzinfo=UTC) + timedelta(hours=hours)


def test_sources_leave_out_copies_and_other_languages() -> None:
    original = make_article("o", "Russia and China signed a pact on Tuesday in Moscow.")
    copy = make_article("c", original.text, outlet="Al-Monitor")
    russian = make_article("r", "Россия и Китай подписали соглашение во вторник.", language="ru")
    unlabelled_latin = make_article(
        "u", "Iran and Russia held talks in Tehran on Monday.", language=None
    )
    unlabelled_cyrillic = make_article(
        "x", "Россия и Иран провели переговоры в Тегеране.", language=None
    )
    bundle = make_bundle(
        [original, copy, russian, unlabelled_latin, unlabelled_cyrillic],
        section="links",
        copies={"c": "o"},
    )
    assert [a.id for a in sources(bundle)] == ["o", "u"]


def test_copy_is_quoted_when_its_original_is_not_in_the_story() -> None:
    copy = make_article("c", "Russia and China signed a pact on Tuesday in Moscow.")
    bundle = make_bundle([copy], section="links", copies={"c": "not-here"})
    assert [a.id for a in sources(bundle)] == ["c"]


def test_huge_story_is_read_from_one_article_per_outlet_first() -> None:
    articles = [
        make_article(f"a-{i}", "Russia and China talked.", outlet=f"Outlet {i % 50}")
        for i in range(120)
    ]
    chosen = sources(make_bundle(articles, section="links"))
    assert len(chosen) == MAX_SOURCES
    assert len({a.outlet for a in chosen}) == MAX_SOURCES


LEAD = (
    "MOSCOW, Aug 21 (Reuters) - Russia and China signed agreements on energy, trade and "
    "agriculture in Moscow on Wednesday, as Premier Li Qiang met President Vladimir Putin at "
    "the end of a three-day visit that both sides called a success for their partnership."
)


def test_link_is_the_lead_sentence_in_range_citing_every_outlet_that_carries_it() -> None:
    first = make_article("a-1", LEAD + "\n\nThe talks ran for five hours in the Kremlin hall.")
    second = make_article(
        "a-2",
        LEAD.replace("MOSCOW, Aug 21 (Reuters) - ", "").replace("success", "big success")
        + "\n\nOther matters were discussed.",
        outlet="Bloomberg",
        published=_when(5),
    )
    sentence = link_sentence(make_bundle([first, second], section="links"))
    assert sentence is not None
    assert sentence.text.startswith("Russia and China signed agreements")
    assert 20 <= len(sentence.text.split()) <= 45
    assert sentence.articles == ("a-1", "a-2")


def test_overlong_link_loses_a_trailing_clause() -> None:
    long = (
        "Russia and China signed agreements on energy, trade, agriculture, customs, education "
        "and culture in Moscow on Wednesday after talks between their heads of government, "
        "which both sides described as the most productive in years and which were followed "
        "by a banquet in the Kremlin for hundreds of guests from both countries."
    )
    sentence = link_sentence(make_bundle([make_article("a-1", long)], section="links"))
    assert sentence is not None
    assert sentence.text == (
        "Russia and China signed agreements on energy, trade, agriculture, customs, education "
        "and culture in Moscow on Wednesday after talks between their heads of government."
    )


def _quoted(sentence: dict[str, Any], demo: DemoMonth) -> Candidate:
    article = demo.articles[sentence["articles"][0]]
    for candidate in candidates([article]):
        if sentence["text"] in (candidate.text, candidate.resolved):
            return candidate
    raise AssertionError(f"not a candidate of {article.id}: {sentence['text']}")


@pytest.mark.parametrize("month", MONTHS)
def test_leaning_sentences_follow_their_predecessor(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth], month: str
) -> None:
    for highlight in issues[month]["highlights"]:
        printed = [s for p in highlight["paragraphs"] for s in p["sentences"]]
        quoted = [_quoted(s, demo[month]) for s in printed]
        assert not quoted[0].leaning
        for before, after, sentence in zip(quoted, quoted[1:], printed[1:], strict=False):
            follows = (
                before.article.id == after.article.id and before.position == after.position - 1
            )
            if after.leaning:
                assert follows, sentence["text"]
            elif after.resolved is not None and sentence["text"] == after.text:
                # "He"/"She" kept: right after its predecessor or the same person's sentence,
                # when that sentence opens with no one else.
                assert follows or (
                    subject_name(before.text) == after.name and not compound_subject(before.text)
                ), sentence["text"]


@pytest.mark.parametrize("month", MONTHS)
def test_no_two_sentences_of_an_issue_say_the_same_thing(
    issues: dict[str, dict[str, Any]], month: str
) -> None:
    issue = issues[month]
    texts = [
        s["text"] for h in issue["highlights"] for p in h["paragraphs"] for s in p["sentences"]
    ]
    texts += [link["text"] for link in issue["links"]]
    words = [tokens(t) for t in texts]
    repeats = [
        (texts[i], texts[j])
        for i in range(len(words))
        for j in range(i + 1, len(words))
        if similar(words[i], words[j])
    ]
    assert repeats == []


SEOUL_FILLER = [
    "Officials in Seoul described convoys moving through the border crossing at Tumen.",
    "Satellite images published by researchers showed cargo ships calling at the port of Rajin.",
    "Lawmakers in the National Assembly asked the spy agency for more briefings before winter.",
    "Analysts at a Washington institute counted rail wagons near the Khasan station in July.",
    "Japanese officials said aircraft had flown between Vladivostok and Pyongyang since spring.",
]
KYIV_FILLER = [
    "Ukrainian commanders reported shells with Korean markings near Kharkiv every week.",
    "European diplomats raised the issue at meetings of the Security Council sanctions committee.",
    "Prosecutors in Kyiv opened cases over missile strikes they attributed to Korean weapons.",
    "Drone footage shared by a Ukrainian brigade appeared to show soldiers in Russian uniforms.",
    "The foreign ministry in Kyiv summoned diplomats from several Asian countries to discuss it.",
]
TEN = "South Korean intelligence officials put the deployment at about 10,000 troops."
TWELVE = "Ukraine's defence intelligence agency estimated that some 12,000 troops had arrived."


def test_different_figures_for_the_same_thing_both_stand_with_their_sources() -> None:
    seoul = make_article(
        "a-1",
        "\n\n".join(
            [
                "SEOUL, Nov 13 (Reuters) - North Korea has sent Russia troops for its war, South "
                "Korean intelligence officials told lawmakers on Wednesday, in the clearest sign "
                "yet of Pyongyang's direct role.",
                TEN,
                *SEOUL_FILLER,
            ]
        ),
    )
    kyiv = make_article(
        "a-2",
        "\n\n".join(
            [
                "Ukraine's defence intelligence agency said on Wednesday that North Korean "
                "soldiers were training in Russia's Far East before moving toward Kursk.",
                *KYIV_FILLER,
                TWELVE,
            ]
        ),
        outlet="Associated Press",
        published=_when(3),
    )
    paragraphs = highlight_paragraphs(make_bundle([seoul, kyiv], section="highlights"))
    assert paragraphs is not None
    cited = {s.text: s.articles for p in paragraphs for s in p}
    assert cited.get(TEN) == ("a-1",)
    assert cited.get(TWELVE) == ("a-2",)


def test_sentences_with_different_figures_are_not_near_duplicates() -> None:
    assert not similar(tokens(TEN), tokens(TEN.replace("10,000", "12,000")))
    assert similar(tokens(TEN), tokens(TEN.replace("about", "around")))


def _facts_by_comparing_all(found: list[Candidate]) -> list[list[str]]:
    """What `facts` groups, found the plain way: each candidate against every fact so far."""
    grouped: list[list[Candidate]] = []
    for candidate in found:
        for members in grouped:
            if candidate.article.id not in {m.article.id for m in members} and similar(
                candidate.words, members[0].words
            ):
                members.append(candidate)
                break
        else:
            grouped.append([candidate])
    return sorted(sorted(f"{m.article.id}:{m.position}" for m in g) for g in grouped)


_WORDS = [f"w{chr(97 + n)}{chr(97 + n % 7)}" for n in range(26)]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_WORDS), min_size=6, max_size=12, unique=True),
        min_size=1,
        max_size=6,
    ),
    st.lists(
        st.lists(
            st.tuples(st.integers(0, 5), st.integers(0, 3), st.sampled_from(_WORDS)), max_size=10
        ),
        min_size=2,
        max_size=4,
    ),
)
def test_facts_group_as_comparing_every_pair_would(
    pool: list[list[str]], articles: list[list[tuple[int, int, str]]]
) -> None:
    # A candidate is compared only with the facts whose lead shares one of its rarest words
    # (one long transcript took a minute when compared with every fact). The groups are those
    # of comparing with every fact. Each article tells sentences of one pool, a few words
    # changed, as outlets retell one another.
    texts = []
    for article in articles:
        told = []
        for which, changes, word in article:
            words = list(pool[which % len(pool)])
            for k in range(changes):
                words[(k * 5 + which) % len(words)] = word if k % 2 == 0 else "x" + word
            told.append("Said " + " ".join(words) + ".")
        texts.append(" ".join(told))
    found = candidates([make_article(f"a{n}", text) for n, text in enumerate(texts)])
    grouped = sorted(
        sorted(f"{m.article.id}:{m.position}" for m in f.members) for f in facts(found)
    )
    assert grouped == _facts_by_comparing_all(found)
