"""The story stage on its own: terms, clustering, description, ranking, headlines, B-cubed."""

from __future__ import annotations

import gc
import os
import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crankcall.errors import DataFileError
from crankcall.stories.cluster import (
    MAX_CANDIDATES,
    ONE_SIDED_DYADS,
    SETTLED,
    Cluster,
    Postings,
    Seed,
    _merge_pass,
    _shared,
    agreement,
    cluster,
    collector_paused,
    idf_of,
    specific_terms,
    story_id,
    vector,
)
from crankcall.stories.evaluation import bcubed, pick_ranks
from crankcall.stories.features import (
    CONCEPT,
    ArticleFacts,
    argues,
    concepts_in,
    facts_from_row,
    is_opinion,
    is_specific,
    leaders_named,
    load_concepts,
    load_projects,
    projects_in,
    script_of,
    terms_of,
)
from crankcall.stories.headline import clean_headline, is_protocol
from crankcall.stories.rank import (
    CONSEQUENTIAL,
    CONSEQUENTIAL_WORDS,
    Featured,
    StoryDraft,
    announces,
    describe,
    rank,
    word_starts,
)

DAY = datetime(2024, 8, 20, 9, tzinfo=UTC)


def facts(
    ident: str,
    title: str,
    text: str = "",
    *,
    day: int = 0,
    outlet: str = "Reuters",
    kind: str = "wire",
    country: str | None = "GB",
    dyads: tuple[str, ...] = ("CN-RU",),
    relation: str = "cooperation",
    event: str | None = "CONSULT",
    relevant: bool = True,
    actors: tuple[str, ...] = (),
    original: str | None = None,
    states: tuple[str, ...] = (),
) -> ArticleFacts:
    crank = {code for dyad in dyads for code in dyad.split("-")} | set(states)
    return ArticleFacts(
        opinion=is_opinion(title),
        id=ident,
        url=f"https://example.org/{ident}",
        outlet=outlet,
        outlet_kind=kind,
        outlet_country=country,
        published=DAY + timedelta(days=day),
        title=title,
        relevant=relevant,
        score=0.9 if relevant else 0.1,
        dyads=frozenset(dyads),
        crank=frozenset(crank),
        relation=relation,
        topic="diplomacy",
        event_type=event,
        intensity=4.0,
        terms=terms_of(title, text, actors),
        script=script_of(title + " " + text),
        original=original,
        leaders=leaders_named(actors, (DAY + timedelta(days=day)).date()),
        title_concepts=concepts_in(title),
    )


LI_QIANG = [
    facts(
        "li-1",
        "Chinese Premier Li Qiang arrives in Moscow for talks with Mishustin",
        "Li Qiang landed in Moscow for the 29th regular meeting of heads of government.",
        actors=("CN.li_qiang", "RU.mishustin"),
    ),
    facts(
        "li-2",
        "Li Qiang and Mishustin sign trade and energy deals in Moscow",
        "The premiers signed agreements on trade, energy and agriculture at the 29th meeting.",
        day=1,
        outlet="Associated Press",
        event="AGREE",
        actors=("CN.li_qiang", "RU.mishustin"),
    ),
    facts(
        "li-3",
        "Ли Цян и Мишустин провели переговоры",
        "Премьер Госсовета КНР Ли Цян прибыл в Москву на 29-ю встречу глав правительств.",
        day=1,
        outlet="ТАСС",
        kind="state_media",
        country="RU",
        actors=("CN.li_qiang", "RU.mishustin"),
    ),
]
FATH = [
    facts(
        "fath-1",
        "Iran sends Fath-360 ballistic missiles to Russia, officials say",
        "Iran has shipped Fath-360 close-range ballistic missiles to Russia, officials said.",
        day=2,
        dyads=("IR-RU",),
        event="AID",
        actors=("IR", "RU"),
    ),
    facts(
        "fath-2",
        "Russia receives Iranian Fath-360 missiles, Western officials say",
        "Western officials said Russia had received Fath-360 missiles from Iran for use in Ukraine.",
        day=3,
        outlet="Financial Times",
        kind="news",
        dyads=("IR-RU",),
        event="AID",
        actors=("IR", "RU"),
    ),
]


def test_terms_count_the_title_twice_and_keep_figures_and_actors() -> None:
    terms = terms_of("Fath-360 missiles reach Russia", "Some 200 missiles, in 2024.", ["IR"])
    assert terms["fath-360"] == 2 and terms["missile"] == 3 and terms["russia"] == 2
    assert terms["#200"] == 1 and "#2024" not in terms  # a year says little
    assert terms["actor:IR"] == 2 and "the" not in terms


def test_terms_come_in_the_same_order_in_every_process() -> None:
    """Terms of equal weight keep the order they were counted in, and that order decides which
    of them a story's vectors keep: it must not follow the hashes of strings, which change from
    one process to the next (the same month once clustered into other stories on a re-run)."""
    import subprocess
    import sys

    script = (
        "from crankcall.stories.features import terms_of;"
        "print(list(terms_of('Treaty ratified as troops, tankers and sanctions loom on the"
        " Power of Siberia 2 and the Tumen bridge', 'A treaty, a parade, a port, a pipeline,"
        " a ceasefire, drones and missiles.', ['RU', 'KP'])))"
    )
    orders = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(orders) == 1
    assert orders.pop().count("concept:") >= 5


def test_chinese_text_gives_character_bigrams() -> None:
    assert terms_of("李强抵达莫斯科", "")["莫斯"] == 2


def test_two_articles_share_one_string_per_term() -> None:
    # Built apart (as every article's terms are), the same term is the same object in both.
    one = terms_of("Lavrov lands in Pyongyang", "", ["RU"])
    two = terms_of("Shoigu lands in Pyongyang", "", ["RU"])
    shared = [term for term in one if term in two]
    assert len(shared) >= 2
    assert all(any(term is other for other in two) for term in shared)


def test_specific_terms_are_people_places_institutions_and_figures_not_states() -> None:
    assert is_specific("actor:CN.li_qiang") and is_specific("#240")
    assert not is_specific("actor:RU") and not is_specific("pipeline")


def test_specific_terms_of_a_window_are_those_is_specific_accepts() -> None:
    terms = ["actor:CN.li_qiang", "#240", "actor:RU", "pipeline", "actor:IR"]
    assert specific_terms(terms) == {"actor:CN.li_qiang", "#240"}


def test_shared_counts_each_story_once_per_term_in_the_order_met() -> None:
    s1, s2, s3, s4 = (Cluster(id=f"s{i}") for i in range(1, 5))
    index = {
        "fath": Postings([s1, s2, s1]),
        "missile": Postings([s2, s3]),
        "rare": Postings([s4]),
    }
    shared = _shared(index, ["fath", "missile", "unknown"])
    assert shared == {s1: 1, s2: 2, s3: 1}
    assert list(shared) == [s1, s2, s3]


def test_collector_paused_restores_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("title", "announced"),
    [
        ("Iran SHIPS drones to Russia", True),
        ("Russia-Iran partnership deepens", False),  # "ship" inside a word
        ("Putin, Kim sign treaty", True),
        ("Lavrov meets Wang Yi", False),
    ],
)
def test_consequential_titles(title: str, announced: bool) -> None:
    assert bool(CONSEQUENTIAL.search(title)) is announced


@pytest.mark.parametrize(
    ("title", "announced"),
    [
        # A treaty entering into force, a regime's fall, troops, sanctions: in any language.
        ("Договор о всеобъемлющем стратегическом партнерстве вступил в силу", True),
        ("Assad ousted as rebels take Damascus", True),
        ("朝鲜向俄罗斯派遣部队", True),
        ("تحریم‌های تازه آمریکا علیه شرکت‌های چینی", True),
        ("북러 조약 발효", True),
        # Words alone, in any language.
        ("Лавров провёл переговоры с Ван И", False),
        ("王毅会见拉夫罗夫", False),
        ("Lavrov meets Wang Yi", False),
    ],
)
def test_titles_announce_consequences_in_every_language(title: str, announced: bool) -> None:
    assert announces(facts("t", title)) is announced


PLAIN = re.compile(r"\b(?:" + "|".join(CONSEQUENTIAL_WORDS) + ")", re.IGNORECASE)


@given(
    st.lists(
        st.sampled_from([*CONSEQUENTIAL_WORDS, "Ship", "SANC", "ſhip", "\u212aremlin", "x"])
        | st.text(alphabet="abcdepsthi-'’ ,.1ſ\u212aéДл", max_size=8),
        max_size=6,
    ).map("".join)
)
def test_word_starts_finds_what_the_plain_alternation_finds(title: str) -> None:
    assert bool(CONSEQUENTIAL.search(title)) is bool(PLAIN.search(title))


def test_word_starts_groups_beginnings_by_first_letter() -> None:
    pattern = word_starts(["ship", "Sanction", "veto", "a.b"])
    assert pattern.pattern == r"\b(?:s(?:hip|anction)|v(?:eto)|a(?:\.b))"
    assert pattern.search("UN SANCTIONS") and not pattern.search("axb")


def test_latin_accents_fold_and_other_scripts_keep_theirs() -> None:
    assert terms_of("Orbán in Moscow", "").keys() == terms_of("Orban in Moscow", "").keys()
    assert "шойг" in terms_of("Шойгу", "")  # й is a letter of its own in Russian


def test_russian_word_forms_meet_and_function_words_drop() -> None:
    """Two Russian reports of one patrol use other forms of the same words."""
    one = terms_of("Ракетоносцы провели совместное патрулирование у Аляски", "Об этом сообщили.")
    two = terms_of("Совместное патрулирование ракетоносцев вблизи Аляски", "Что известно.")
    assert {"ракетоносц", "патрулирован", "аляск", "совместн"} <= one.keys() & two.keys()
    assert not {"что", "этом", "сообщили"} & (one.keys() | two.keys())
    assert terms_of("Мира", "")["мира"] == 2  # a stem keeps four letters at least


def test_reports_of_one_development_join_and_different_ones_do_not() -> None:
    stories = cluster([*LI_QIANG, *FATH], threshold=0.3, window_days=21)
    groups = sorted(sorted(c.members) for c in stories)
    assert ["fath-1", "fath-2"] in groups
    assert ["li-1", "li-2", "li-3"] in groups  # the Russian report meets by its actors


def test_a_copy_joins_its_original_and_analysis_stands_alone() -> None:
    copy = facts("li-copy", "Unrelated words entirely", day=2, original="li-1")
    essay = facts(
        "essay",
        "What Li Qiang's Moscow visit tells us about China-Russia trade",
        "Li Qiang and Mishustin met in Moscow for the 29th meeting of heads of government.",
        day=2,
        outlet="Carnegie",
        kind="analysis",
        actors=("CN.li_qiang", "RU.mishustin"),
    )
    stories = cluster([*LI_QIANG, copy, essay], threshold=0.3, window_days=21)
    home = {m: c.id for c in stories for m in c.members}
    assert home["li-copy"] == home["li-1"]
    assert [m for c in stories if c.id == home["essay"] for m in c.members] == ["essay"]


def test_a_story_closes_after_its_window() -> None:
    late = facts(
        "li-late",
        "Chinese Premier Li Qiang arrives in Moscow for talks with Mishustin",
        "Li Qiang landed in Moscow for the 29th regular meeting of heads of government.",
        day=30,
        actors=("CN.li_qiang", "RU.mishustin"),
    )
    stories = cluster([*LI_QIANG, late], threshold=0.3, window_days=21)
    home = {m: c.id for c in stories for m in c.members}
    assert home["li-late"] != home["li-1"]
    wide = cluster([*LI_QIANG, late], threshold=0.3, window_days=60)
    assert len({c.id for c in wide for m in c.members if m.startswith("li")}) == 1


def test_seeds_keep_their_members_and_newcomers_join_them() -> None:
    seed = Seed(id="s-old", members=("li-1", "li-2"), locked=frozenset({"li-2"}))
    stories = cluster([*LI_QIANG, *FATH], seeds=[seed], threshold=0.3, window_days=21)
    old = next(c for c in stories if c.id == "s-old")
    assert old.members[:2] == ["li-1", "li-2"] and "li-3" in old.members
    assert old.locked == {"li-2"}
    assert story_id("li-1") == story_id("li-1") != story_id("li-2")


def test_describe_picks_a_wire_representative_and_cleans_its_title() -> None:
    members = [
        facts("a", "Li Qiang visits Moscow - Reuters", kind="wire", day=1),
        facts("b", "China and Russia: a partnership", kind="state_media", country="CN"),
        facts("c", "Li Qiang in Moscow", kind="wire", relation="contention", day=2),
    ]
    story = describe(StoryDraft(id="s1", members=members))
    assert story.representative_id == "a"
    assert story.headline == "Li Qiang visits Moscow"
    assert story.dyads == ("CN-RU",) and story.relation == "mixed"
    assert story.first_seen == DAY and story.section == "news"


def test_describe_heads_a_story_with_a_title_in_latin_letters_that_says_what_happened() -> None:
    """The issue is written in English: an English title heads the story when one of its
    reports has one, and an official text's form ("Russian-Chinese talks") goes last."""
    kremlin = facts("k", "Russian-Chinese talks", outlet="Kremlin", kind="official", country="RU")
    members = [
        kremlin,
        facts(
            "x", "习近平同俄罗斯总统普京举行会谈", outlet="Xinhua", kind="state_media", country="CN"
        ),
        facts(
            "e",
            "Xi, Putin hold talks, pledge to deepen partnership",
            outlet="Xinhua English",
            kind="state_media",
            country="CN",
            day=1,
        ),
    ]
    story = describe(StoryDraft(id="s1", members=members))
    assert story.representative_id == "e"
    assert story.headline == "Xi, Putin hold talks, pledge to deepen partnership"
    # With no other title, the form is the headline; with no Latin title, the native one.
    assert describe(StoryDraft(id="s2", members=[kremlin])).representative_id == "k"
    assert describe(StoryDraft(id="s3", members=members[1:2])).representative_id == "x"


@pytest.mark.parametrize(
    ("title", "protocol"),
    [
        ("Russian-Chinese talks", True),
        ("Telephone conversation with President of China Xi Jinping", True),
        ("Foreign Ministry Spokesperson's Regular Press Conference on May 6, 2025", True),
        ("2025年4月9日外交部发言人林剑主持例行记者会（摘录）", True),
        ("Телефонный разговор с Председателем КНР Си Цзиньпином", True),
        ("Xi, Putin hold talks in Moscow", False),
        ("Russia and China sign pact at talks", False),
        ("Meeting of minds? Moscow and Beijing on the Arctic", False),
    ],
)
def test_is_protocol_knows_an_official_texts_form(title: str, protocol: bool) -> None:
    assert is_protocol(title) is protocol


def _voices(*titles: str, event: str) -> StoryDraft:
    return StoryDraft(
        id="s",
        members=[
            facts(f"v{i}", title, outlet=f"V{i}", kind="state_media", country="CN", event=event)
            for i, title in enumerate(titles)
        ],
    )


def test_the_state_media_of_both_capitals_telling_one_story_are_news() -> None:
    """TASS and IRNA on one call are a report of it, whatever the event type the coder gave."""
    members = [
        facts("t", "Putin, Pezeshkian discuss Syria", kind="state_media", country="RU"),
        facts("i", "Pezeshkian and Putin talk by phone", kind="state_media", country="IR"),
    ]
    members = [replace(m, event_type="SUPPORT", outlet=m.id) for m in members]
    assert describe(StoryDraft(id="s", members=members)).section == "news"
    alone = [replace(m, outlet_country="RU") for m in members]
    assert describe(StoryDraft(id="s", members=alone)).section == "perspectives"


@pytest.mark.parametrize(
    ("titles", "event", "section"),
    [
        # Several state-media reports of a meeting: news an editor links, whoever told it.
        (("Wang Yi meets Lavrov", "Wang Yi, Lavrov hold talks"), "CONSULT", "news"),
        # A lone state-media piece is a view of the relationship, whatever it reports.
        (("Wang Yi meets Lavrov",), "CONSULT", "perspectives"),
        # Statements and commentaries present the relationship: CRANK Perspectives.
        (("China rejects NATO label", "Beijing slams NATO"), "REJECT", "perspectives"),
        (("Commentary: a new page", "Wang Yi, Lavrov hold talks"), "CONSULT", "perspectives"),
    ],
)
def test_crank_voices_reporting_an_act_are_news(
    titles: tuple[str, ...], event: str, section: str
) -> None:
    assert describe(_voices(*titles, event=event)).section == section


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "UPDATE 2-Russia, North Korea sign defence pact - Reuters",
            "Russia, North Korea sign defence pact",
        ),
        ("EXCLUSIVE: Iran sends missiles to Russia | AP News", "Iran sends missiles to Russia"),
        ("(LEAD) Putin arrives in Pyongyang", "Putin arrives in Pyongyang"),
        ("China and Russia hold drills: here's why it matters", "China and Russia hold drills"),
        ("Xi meets Putin in Astana - Xinhua", "Xi meets Putin in Astana"),
        ("Russia - China trade falls", "Russia - China trade falls"),
        ("", ""),
    ],
)
def test_clean_headline(title: str, expected: str) -> None:
    assert clean_headline(title, ["Reuters", "AP News", "Xinhua"]) == expected


def test_rank_puts_consequence_and_breadth_first_and_contention_level_with_cooperation() -> None:
    treaty = StoryDraft(
        id="treaty",
        members=[
            facts(
                f"t{i}",
                "Russia and North Korea sign defence treaty",
                outlet=f"O{i}",
                dyads=("KP-RU",),
                event="AGREE",
            )
            for i in range(6)
        ],
    )
    rift = StoryDraft(
        id="rift",
        members=[
            facts(
                f"r{i}",
                "Iran protests Russian stance on corridor",
                outlet=f"O{i}",
                dyads=("IR-RU",),
                relation="contention",
                event="AGREE",
            )
            for i in range(6)
        ],
    )
    talk = StoryDraft(id="talk", members=[facts("k", "China and Russia hold talks")])
    ranked = rank([talk, treaty, rift], since=DAY, until=DAY + timedelta(days=5), highlights=1)
    assert [s.id for s in ranked][2] == "talk"
    assert ranked[0].score == ranked[1].score  # contention weighs what cooperation weighs
    assert [s.section for s in ranked] == ["highlights", "links", "links"]
    assert set(ranked[0].components) >= {"consequence", "breadth", "novelty", "pinned"}


def test_rank_honours_pins_exclusions_scope_and_window() -> None:
    a = StoryDraft(id="a", members=[facts("a1", "Russia and China sign a treaty", event="AGREE")])
    b = StoryDraft(id="b", members=[facts("b1", "Russia and China talk")], pinned=True)
    c = StoryDraft(id="c", members=[facts("c1", "Iran and Russia talk")], excluded=True)
    d = StoryDraft(id="d", members=[facts("d1", "Weather in Moscow", relevant=False)])
    e = StoryDraft(id="e", members=[facts("e1", "Russia and China talk", day=30)])
    ranked = rank([a, b, c, d, e], since=DAY, until=DAY + timedelta(days=5))
    assert [s.id for s in ranked] == ["b", "a"]


def test_novelty_falls_for_a_story_featured_before() -> None:
    draft = StoryDraft(
        id="treaty",
        members=[facts("t1", "Treaty signed", day=0), facts("t2", "Treaty ratified", day=20)],
    )
    old = Featured(story_id="treaty", members=(draft.members[0],), until=DAY + timedelta(days=1))
    fresh = rank([draft], since=DAY, until=DAY + timedelta(days=30))[0]
    seen = rank([draft], since=DAY, until=DAY + timedelta(days=30), featured=[old])[0]
    assert fresh.components["novelty"] == 1.0 and seen.components["novelty"] == 0.5
    assert seen.score < fresh.score


def test_bcubed_and_pick_ranks() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert bcubed({"a": "1", "b": "1", "c": "2", "d": "2"}, gold).f1 == 1.0
    lumped = bcubed(dict.fromkeys(gold, "1"), gold)
    assert lumped.recall == 1.0 and lumped.precision == 0.5
    split = bcubed({}, gold)  # nothing clustered: every article alone
    assert split.precision == 1.0 and split.recall == 0.5
    ranks = pick_ranks(
        "m", [("s1", "highlights", ["c", "d"]), ("s2", "links", ["a"])], gold, {"x": "highlight"}
    )
    assert ranks.ranks == {"x": 2} and ranks.share_within(1) == 0.0
    assert ranks.share_within(2, ["highlight"]) == 1.0
    assert Counter(ranks.kinds.values()) == {"highlight": 1}


def test_pick_ranks_within_the_picks_own_section() -> None:
    """An analysis pick counts among the analysis stories, a news pick among Highlights and
    Links together; a pick whose story landed in another section has no rank there."""
    gold = {"a": "x", "b": "y", "c": "z", "d": "w"}
    ranked = [
        ("s1", "highlights", ["a"]),
        ("s2", "analysis", ["b"]),
        ("s3", "links", ["c"]),
        ("s4", "news", ["d"]),
    ]
    picks = {"x": "highlight", "y": "analysis", "z": "link", "w": "perspective"}
    ranks = pick_ranks("m", ranked, gold, picks)
    assert ranks.ranks == {"x": 1, "y": 2, "z": 3, "w": 4}
    assert ranks.section_ranks == {"x": 1, "y": 1, "z": 2, "w": None}
    assert ranks.share_within(2, in_section=True) == 0.75
    assert ranks.share_within(2) == 0.5


def test_news_never_joins_an_analysis_piece_that_came_first() -> None:
    essay = facts(
        "essay",
        "Fath-360 missiles in Russia: what Iran's ballistic missiles change",
        "Iran has shipped Fath-360 close-range ballistic missiles to Russia, officials said.",
        outlet="Carnegie",
        kind="analysis",
        dyads=("IR-RU",),
        event="AID",
    )
    news = replace(FATH[0], published=DAY + timedelta(days=1))
    for seeds in ((), (Seed(id="s-essay", members=("essay",)),)):
        stories = cluster([essay, news], seeds=seeds, threshold=0.3, window_days=21)
        assert sorted(c.members for c in stories) == [["essay"], ["fath-1"]]


def _f(*codes: str) -> frozenset[str]:
    return frozenset(codes)


def test_agreement_falls_back_on_the_states_when_a_side_has_no_dyad() -> None:
    # Dyads on both sides: their overlap.
    assert agreement(_f("CN-RU"), _f("CN", "RU"), _f("CN-RU", "KP-RU"), _f("CN", "KP", "RU")) == 0.5
    # No dyad on either side: the states they name.
    assert agreement(_f(), _f("CN", "RU"), _f(), _f("CN", "RU")) == 1.0
    # A dyad on one side only (an outside response beside an interaction): the states, at part
    # credit, when both name two CRANK states or more; a report on one state alone gets none.
    one_sided = agreement(_f(), _f("CN", "RU"), _f("CN-RU"), _f("CN", "RU"))
    assert one_sided == ONE_SIDED_DYADS
    assert agreement(_f(), _f("IR"), _f("IR-RU"), _f("IR", "RU")) == 0.0
    assert agreement(_f(), _f("CN", "RU"), _f("CN-RU"), _f("CN", "RU"), one_sided=0.0) == 0.0


def test_an_outside_response_without_a_dyad_joins_the_reports_that_found_one() -> None:
    g7 = [
        facts(
            "g7-1",
            "G7 leaders warn China over support for Russia's war, flag action on banks",
            "Leaders meeting in Apulia said Chinese support sustains Russia's war machine and named"
            " banks.",
            dyads=(),
            states=("CN", "RU"),
            event="DISAPPROVE",
            actors=("INT.g7",),
        ),
        facts(
            "g7-2",
            "Beijing rejects G7 warning over its support for Russia",
            "A spokesman called trade with Moscow normal after leaders met in Apulia.",
            outlet="Associated Press",
            event="REJECT",
            actors=("INT.g7",),
        ),
    ]
    # The text alone is not enough (cosine 0.39, x 1.1 the same day): with no credit for the
    # structure the two stayed apart; the states they both name are enough to join them.
    stories = cluster(g7, threshold=0.3, window_days=21)
    assert len(stories) == 1


def test_figures_keep_their_thousands_and_meet_across_scripts() -> None:
    terms = terms_of("", "1,000 troops, 1.5 million, the 14th package, ۲۵ تیر ۱۴۰۳, ２５日")
    assert terms["#1000"] == 1 and terms["#1.5"] == 1 and terms["#14"] == 1
    assert "#000" not in terms and "#14th" not in terms
    assert terms["#25"] == 2 and terms["#1403"] == 1  # Persian and full-width digits
    # A designation spelt in each language's letters gives the same figure.
    assert terms_of("Tu-95s", "")["#95"] == terms_of("Ту-95МС", "")["#95"] == 2
    assert terms_of("Tu-95s", "")["tu-95"] == 2 and not terms_of("G7 and 2024", "")["#2024"]
    # Chinese and Korean write figures against the characters.
    chinese = terms_of("", "7月25日，两国签署了价值400亿美元的协议")
    assert chinese["#25"] == chinese["#400"] == 1 and chinese["协议"] == 1
    assert terms_of("", "7월 25일 회담")["#25"] == 1
    # A figure with a decimal point or a thousands separator against the characters is whole:
    # "增长7.2%" meets "7.2%" ("#7.2"), and "4천700명" holds 700.
    assert terms_of("", "2025年国防预算增长7.2%")["#7.2"] == terms_of("", "up 7.2%")["#7.2"] == 1
    assert terms_of("", "국방비 7.2% 증가")["#7.2"] == 1
    assert terms_of("", "사상자 4천700명")["#700"] == 1
    assert terms_of("", "贸易额2,400亿美元")["#2400"] == 1
    # One digit and letters is no figure ("2nd", "2-Xi"); a designation keeps its number.
    led = terms_of("", "the 2nd round of the 20-year pact; 9M729 and 9М729; UPDATE 2-Xi")
    assert {t for t in led if t.startswith("#")} == {"#20", "#729"} and led["#729"] == 2


def test_a_titles_kicker_and_outlet_are_no_terms() -> None:
    def row(title: str, outlet: str) -> dict[str, object]:
        return {
            "id": "a",
            "outlet": outlet,
            "published": DAY,
            "title": title,
            "text": "",
            "relevant": True,
        }

    wire = facts_from_row(row("UPDATE 2-Xi and Putin vow to deepen ties - Reuters", "Reuters"))
    lead = facts_from_row(row("(2nd LD) Kim vows to deepen ties with Putin", "Yonhap News Agency"))
    plain = terms_of("Xi and Putin vow to deepen ties", "")
    assert wire.terms == plain  # no "update", "#2-xi" or "reuters"
    assert "#2nd" not in lead.terms and "lead" not in lead.terms and "ld" not in lead.terms
    assert wire.title.startswith("UPDATE 2-")  # the title itself is kept as it came


def test_figures_written_the_russian_or_persian_way_meet_the_english_ones() -> None:
    def figures(text: str) -> set[str]:
        return {t for t in terms_of("", text) if t.startswith("#")}

    english = figures("Trade fell 6.5% to 1,234,567 tonnes; 3,000 troops; 1.5 million")
    assert english == {"#6.5", "#1234567", "#3000", "#1.5"}
    # A decimal comma, and thousands grouped by a space, a no-break or a narrow no-break space.
    assert figures("снизился на 6,5% до 1 234 567 тонн; 3\u00a0000 военных; 1,5 млн") == english
    assert figures("رشد ۶٫۵ درصدی؛ ۳٬۰۰۰ نیرو") == {"#6.5", "#3000"}  # Arabic separators
    # A year beside a figure stays two figures ("в 2024 году 300"): 2024 is a year, not 2024300.
    assert figures("в 2024 году 300 танков") == {"#300"}
    assert figures("в 2024 300 танков") == {"#300"}
    # A comma before three digits is a thousands separator in every language.
    assert figures("1,500 военных") == {"#1500"}


OTHER_NEWS = [
    facts(
        f"other-{n}",
        f"Iran and China discuss port project number {n}",
        f"Officials met on the {n + 10}th floor and spoke about harbour works.",
        day=-5,
        dyads=("CN-IR",),
        actors=("IR.mfa",),
    )
    for n in range(60)
]
"""A window's other reports, so that a figure two reports share is rare in it, as it would be."""


def story_holding(member: str, articles: list[ArticleFacts]) -> set[str]:
    """The members of the story that holds `member`, the articles clustered among other news."""
    stories = cluster([*OTHER_NEWS, *articles], threshold=0.3, window_days=21)
    return next(set(c.members) for c in stories if member in c.members)


def test_a_report_in_another_script_sharing_one_telling_term_is_a_candidate() -> None:
    english = [
        facts(
            "bomb-1",
            "Russian and Chinese bombers fly together near Alaska, NORAD says",
            "Two Russian Tu-95s and two Chinese bombers flew in the Alaska air defence zone.",
            actors=("RU.armed_forces",),
        ),
        facts(
            "bomb-2",
            "US jets intercept Russian and Chinese bombers off Alaska",
            "American and Canadian fighters intercepted the Tu-95s and Chinese bombers.",
            outlet="Associated Press",
            actors=("RU.armed_forces",),
        ),
    ]
    russian = facts(
        "bomb-3",
        "Ту-95МС и китайские ракетоносцы провели совместное патрулирование",
        "Стратегические ракетоносцы Ту-95МС выполнили совместное воздушное патрулирование.",
        outlet="ТАСС",
        kind="state_media",
        country="RU",
    )
    # Only "#95" is shared (the coder found no actor in the Russian report): one term, but one
    # that few of the window's reports carry.
    assert story_holding("bomb-3", [*english, russian]) == {"bomb-1", "bomb-2", "bomb-3"}


def test_a_second_report_in_a_minority_script_is_compared_on_people_places_and_figures() -> None:
    english = [
        facts(
            f"flight-{n}",
            title,
            "Two Russian Tu-95s and two Chinese bombers flew in the Alaska air defence zone.",
            outlet=outlet,
            actors=("RU.armed_forces",),
        )
        for n, (title, outlet) in enumerate(
            [
                ("Russian and Chinese bombers fly together near Alaska", "Reuters"),
                ("US jets intercept Russian and Chinese bombers off Alaska", "Associated Press"),
                ("Chinese bombers join Russian Tu-95s near Alaska for first time", "CNN"),
            ]
        )
    ]
    russian = [
        facts(
            "flight-ru-1",
            "Ту-95МС и китайские ракетоносцы провели совместное патрулирование",
            "Стратегические ракетоносцы Ту-95МС выполнили совместное воздушное патрулирование.",
            outlet="ТАСС",
            kind="state_media",
            country="RU",
            actors=("RU.armed_forces",),
        ),
        facts(
            "flight-ru-2",
            "Полет Ту-95МС над Беринговым морем продолжался пять часов",
            "Экипажи действовали в строгом соответствии с международным правом, сообщили военные.",
            outlet="РИА Новости",
            kind="state_media",
            country="RU",
            actors=("RU.armed_forces",),
        ),
    ]
    # The second Russian report shares hardly a word with the first; beside three English
    # reports, the story is mostly words it cannot share: people, places and figures decide.
    stories = cluster([*OTHER_NEWS, *english, *russian], threshold=0.3, window_days=21)
    assert len(next(c for c in stories if "flight-0" in c.members).members) == 5


def test_a_report_is_compared_with_the_story_reports_in_its_own_script() -> None:
    """A story of Russian and Persian reports, joined by one English report, meets a second
    English report, which names none of their people or places, on what the English one says:
    against the whole centroid, mostly words it cannot share, it would open a story of its own."""
    named = ("RU.state_duma", "RU.volodin")
    reports = [
        facts(ident, title, text, day=day, outlet=outlet, dyads=("IR-RU",), actors=actors)
        for ident, title, text, outlet, day, actors in [
            (
                "duma-ru",
                "Госдума ратифицировала договор о стратегическом партнерстве с Ираном",
                "Депутаты Государственной думы единогласно одобрили договор с Тегераном.",
                "Интерфакс",
                0,
                named,
            ),
            (
                "duma-fa",
                "دومای روسیه معاهده مشارکت راهبردی با ایران را تصویب کرد",
                "نمایندگان دوما این معاهده را با اتفاق آرا تصویب کردند.",
                "IRNA",
                0,
                named,
            ),
            (
                "duma-ru-0",
                "Володин: договор с Ираном о стратегическом партнерстве ратифицирован",
                "Председатель Государственной думы назвал договор основой партнерства.",
                "ТАСС",
                0,
                named,
            ),
            (
                "duma-ru-1",
                "Госдума ратифицировала договор с Ираном без голосов против",
                "Договор о стратегическом партнерстве одобрили все депутаты Государственной думы.",
                "РИА Новости",
                0,
                named,
            ),
            (
                "duma-en-1",
                "Duma ratifies Iran partnership treaty in unanimous vote",
                "Russian lawmakers voted unanimously to ratify the partnership treaty with Iran.",
                "Tehran Times",
                1,
                named,
            ),
            (
                "duma-en-2",
                "Russian lawmakers ratify Iran treaty unanimously",
                "The Duma ratified the treaty with Tehran in a unanimous vote on Tuesday.",
                "TASS",
                1,
                (),
            ),
        ]
    ]
    stories = cluster([*OTHER_NEWS, *reports], threshold=0.3, window_days=21)
    home = next(c for c in stories if "duma-ru" in c.members)
    assert set(home.members) == {r.id for r in reports}
    assert home.by_script is not None and set(home.by_script) == {"cyrillic", "arabic", "latin"}


def test_a_report_meets_its_own_script_in_a_story_told_in_two() -> None:
    """Xinhua's and People's Daily's Chinese reports of the Kremlin talks beside two English
    ones: Reuters' report, in English, is compared with the English reports too, not only with
    a centroid half made of words it cannot share."""
    named = ("CN.xi_jinping", "RU.putin")
    rows = [
        (
            "xi-1-zh",
            "习近平同普京举行会谈",
            "国家主席习近平在克里姆林宫同俄罗斯总统普京举行会谈。两国元首就双边关系和共同关心的"
            "国际和地区问题深入交换意见，一致同意继续深化各领域务实合作，加强在联合国等多边框架内的"
            "协调。",
            "新华网",
        ),
        (
            "xi-2-zh",
            "习近平同普京共同签署联合声明",
            "两国元首签署关于深化新时代全面战略协作伙伴关系的联合声明，并见证签署能源、经贸、科技、"
            "人文等领域多项合作文件。双方表示将共同维护全球战略稳定。",
            "人民网",
        ),
        (
            "xi-3-en",
            "Xi, Putin hold talks in Moscow, pledge to deepen partnership",
            "Chinese President Xi Jinping held talks with Russian President Vladimir Putin in the "
            "Kremlin on Thursday.",
            "Xinhua",
        ),
        (
            "xi-4-en",
            "Xi and Putin sign joint statement after Kremlin talks",
            "The two presidents signed a joint statement on deepening their partnership after "
            "talks in the Kremlin.",
            "CGTN",
        ),
        (
            "xi-5-en",
            "China and Russia vow closer partnership, rebuke 'hegemonic bullying'",
            "Xi Jinping and Vladimir Putin denounced what they called hegemonism at a meeting in "
            "Moscow on Thursday.",
            "Reuters",
        ),
    ]
    reports = [
        facts(ident, title, text, outlet=outlet, dyads=("CN-RU",), actors=named)
        for ident, title, text, outlet in rows
    ]
    stories = cluster([*OTHER_NEWS, *reports], threshold=0.3, window_days=21)
    home = next(c for c in stories if "xi-1-zh" in c.members)
    assert set(home.members) == {r.id for r in reports}


def test_leaders_named_are_those_in_office_on_the_day() -> None:
    named = ("IR.raisi", "IR.pezeshkian", "RU.putin", "RU.lavrov", "KP.kim_jong_un", "US.biden")
    assert leaders_named(named, date(2024, 5, 1)) == {"IR", "RU", "KP"}  # Raisi, Putin, Kim
    assert leaders_named(("IR.raisi", "CN.wang_yi"), date(2024, 8, 1)) == set()
    assert leaders_named(("IR.pezeshkian", "IR.khamenei"), date(2024, 8, 1)) == {"IR"}
    assert leaders_named(("CN.xi_jinping", "RU.medvedev"), date(2024, 8, 1)) == {"CN"}


SUMMIT_TALKS = [
    (
        "Xi, Putin hold talks in the Kremlin, pledge to deepen partnership",
        "Chinese President Xi Jinping held talks with Russian President Vladimir Putin in the "
        "Kremlin on Thursday and signed a statement on their partnership.",
        "Xinhua",
    ),
    (
        "Putin and Xi vow closer partnership at Kremlin talks",
        "Vladimir Putin and Xi Jinping said talks in the Kremlin had deepened their partnership.",
        "Reuters",
    ),
]
SUMMIT_PARADE = (
    "Xi stands beside Putin as Russia stages huge Victory Day parade",
    "Chinese soldiers marched across Red Square on Friday as the guest of honour watched from "
    "the stand.",
)


@pytest.mark.parametrize(
    ("named", "day", "joins"),
    [
        (("CN.xi_jinping", "RU.putin"), 1, True),
        ((), 1, False),  # the same words without the two leaders found
        (("CN.xi_jinping", "RU.putin"), 3, False),  # more than two days after the talks
    ],
)
def test_a_summits_reports_naming_both_leaders_join_within_days(
    named: tuple[str, ...], day: int, joins: bool
) -> None:
    """The talks, the parade and the joint statement of a state visit are one development in
    different words; two days after, the same two leaders are another."""
    talks = [
        facts(f"talks-{n}", title, text, outlet=outlet, actors=named)
        for n, (title, text, outlet) in enumerate(SUMMIT_TALKS)
    ]
    parade = facts("parade", *SUMMIT_PARADE, day=day, outlet="Associated Press", actors=named)
    assert ("talks-0" in story_holding("parade", [*talks, parade])) is joins


RESCUE_ENGLISH = [
    ("Russian rescuers fly to Iran after deadly port explosion", "Reuters"),
    ("Russian rescue team lands in Iran to help fight port blaze", "Associated Press"),
]
RESCUE_TEXT = "Rescuers from Russia joined firefighters at the port after the explosion."
RESCUE_PERSIAN = (
    "اعزام تیم امداد و نجات روسیه به ایران پس از انفجار بندر",
    "هواپیمای وزارت شرایط اضطراری روسیه با نیروهای امدادی و تجهیزات آتش‌نشانی وارد ایران شد.",
)


def test_concepts_are_named_alike_in_every_language() -> None:
    def concepts(title: str, text: str = "") -> set[str]:
        return {t for t in terms_of(title, text) if t.startswith(CONCEPT)}

    english = concepts(RESCUE_ENGLISH[0][0])
    assert english == {"concept:disaster_relief", "concept:explosion_fire", "concept:port"}
    assert concepts(*RESCUE_PERSIAN) == english
    treaty = {"concept:treaty", "concept:ratification"}
    assert concepts("Duma ratifies treaty with Iran") >= treaty
    assert concepts("Госдума ратифицировала договор с Ираном") >= treaty  # an inflected stem
    assert concepts("国家杜马批准条约") >= {"concept:ratification"}  # one concept per span
    assert concepts("两国签署条约") >= {"concept:treaty", "concept:signing"}
    assert concepts("سپاه") == set()  # a name is no concept


def test_concepts_meet_across_scripts_and_not_within_one() -> None:
    english = [
        facts(
            f"rescue-{n}",
            title,
            RESCUE_TEXT,
            outlet=outlet,
            dyads=("IR-RU",),
            event="AID",
        )
        for n, (title, outlet) in enumerate(RESCUE_ENGLISH)
    ]
    persian = facts(
        "rescue-fa",
        *RESCUE_PERSIAN,
        outlet="ایرنا",
        kind="state_media",
        country="IR",
        dyads=("IR-RU",),
        event="AID",
    )
    # The Persian report shares no word, person or figure with the English ones: only the
    # concepts (a rescue, an explosion, a port) say it is the same development.
    assert story_holding("rescue-fa", [*english, persian]) == {"rescue-0", "rescue-1", "rescue-fa"}
    # Within one script the reports compare their own words: concepts are left out.
    idf = idf_of([*OTHER_NEWS, *english, persian])
    vec = vector(english[0], idf, specific_terms(idf))
    assert not any(t.startswith(CONCEPT) for t in vec.weights)
    assert "concept:port" in vec.neutral and "concept:port" not in vec.rare


def test_one_common_name_does_not_link_a_report_in_another_script() -> None:
    english = [
        facts(
            f"putin-{n}",
            title,
            "Vladimir Putin spoke at length.",
            day=n,
            outlet=outlet,
            dyads=("KP-RU",),
            actors=("RU.putin", "KP.kim_jong_un"),
        )
        for n, (title, outlet) in enumerate(
            [
                ("Putin and Kim sign mutual defence pact", "Reuters"),
                ("Putin and Kim pledge mutual help in new pact", "Associated Press"),
            ]
        )
    ]
    other = [
        replace(o, id=f"putin-other-{n}", terms=o.terms + Counter({"actor:RU.putin": 2}))
        for n, o in enumerate(OTHER_NEWS[:30])
    ]
    russian = facts(
        "bridge-ru",
        "Россия и КНДР договорились построить автомобильный мост",
        "Путин сообщил о договоренности построить мост через реку.",
        day=1,
        outlet="РИА Новости",
        kind="state_media",
        country="RU",
        dyads=("KP-RU",),
        actors=("RU.putin",),
    )
    # Putin is in a third of the window's reports: he alone does not make the bridge deal
    # the pact.
    stories = cluster([*OTHER_NEWS, *other, *english, russian], threshold=0.3, window_days=21)
    assert [m for c in stories if "bridge-ru" in c.members for m in c.members] == ["bridge-ru"]


def _merged(groups: list[list[ArticleFacts]]) -> list[list[str]]:
    """The merge pass alone over stories given as groups of reports (as the online pass left
    them), in a window of `OTHER_NEWS`: the members of each story after it."""
    everything = [*OTHER_NEWS, *(f for group in groups for f in group)]
    idf = idf_of(everything)
    specific = specific_terms(idf)
    by_id = {f.id: f for f in everything}
    vectors = {f.id: vector(f, idf, specific) for f in everything}
    clusters: dict[str, Cluster] = {}
    index: dict[str, Postings] = {}
    for group in [[f] for f in OTHER_NEWS] + groups:
        c = Cluster(id=story_id(group[0].id))
        clusters[c.id] = c
        for f in group:
            c.add(f, vectors[f.id])
            for term in vectors[f.id].telling:
                index.setdefault(term, Postings()).add(c)
    _merge_pass(clusters, index, by_id, vectors, set(), 21 * 86400.0, 0.3)
    return [c.members for c in clusters.values() if not c.members[0].startswith("other-")]


def _shoigu(ident: str, day: int, outlet: str) -> ArticleFacts:
    return facts(
        ident,
        "Russia's Shoigu meets Kim Jong Un in Pyongyang on troops for the Kursk front",
        "Sergei Shoigu met Kim Jong Un in Pyongyang and discussed North Korean troops in Kursk.",
        day=day,
        outlet=outlet,
        dyads=("KP-RU",),
        actors=("RU.shoigu", "KP.kim_jong_un"),
    )


def test_the_merge_pass_leaves_two_settled_stories_days_apart() -> None:
    """Two stories of `SETTLED` reports each, which the online pass kept apart, are two
    developments when days lie between them, however alike they read; a lone early report, or
    a story beside another at the same time, is folded in."""
    outlets = ["Reuters", "Yonhap", "TASS", "NK News"]
    first = [_shoigu(f"a-{k}", 0, outlets[k]) for k in range(SETTLED)]
    later = [_shoigu(f"b-{k}", 3, outlets[k]) for k in range(SETTLED)]
    assert sorted(map(sorted, _merged([first, later]))) == [
        ["a-0", "a-1", "a-2"],
        ["b-0", "b-1", "b-2"],
    ]
    # The same day, or a smaller story days before: one development.
    same_day = [replace(f, published=first[0].published) for f in later]
    assert sorted(map(sorted, _merged([first, same_day]))) == [
        ["a-0", "a-1", "a-2", "b-0", "b-1", "b-2"]
    ]
    assert sorted(map(sorted, _merged([first[:2], later]))) == [["a-0", "a-1", "b-0", "b-1", "b-2"]]


@pytest.mark.parametrize(
    ("title", "opinion"),
    [
        ("GT Editorial: G7 cannot shift blame onto China", True),
        ("KCNA Commentary on DPRK-Russia Treaty", True),
        ("Opinion | Why the pact matters", True),
        ("社评：七国集团无权指责中国", True),
        ("Мнение: зачем Москве Пхеньян", True),
        ("China slams G7 communique", False),
        ("The opinion poll shows a lead for Pezeshkian", False),
        ("Columnists say the treaty is hollow", False),
        ("یادداشت روز؛ شرکای شرقی و توهم مذاکره با آمریکا", True),  # Kayhan's daily column
        ("سرمقاله؛ پیمان با مسکو", True),  # a Persian semicolon after the label
        ("یادداشت تفاهم همکاری امضا شد", False),  # a memorandum of understanding
        # The label at the end, the outlet's name before it.
        ("Joint patrols are about sea lanes, not an 'axis': GT editorial", True),
        ("Why the pact matters | Opinion", True),
        ("Seoul and the new treaty — commentary", True),
        ("Troops seen moving in a long tank-column", False),  # inside a word
        ("Putin answers questions on the editorial", False),  # no colon, bar or dash before it
        ("Kim visits the newspaper's opinion desk: report", False),  # not at the end
    ],
)
def test_is_opinion_reads_the_title(title: str, opinion: bool) -> None:
    assert is_opinion(title) is opinion


_KO_COMMENTARY = (
    "조로 두 나라 사이의 조약이 체결된것은 오랜 친선의 력사에서 새로운 장을 연 사변이다. "
    "두 나라 인민은 제국주의자들의 압력과 제재에 맞서 언제나 서로 지지하여왔다. "
    "오늘 우리 인민은 로씨야 인민과 함께 다극화된 세계를 위한 투쟁에 나서고있다. "
    "조약은 평화와 안정의 튼튼한 담보로 되며 그 누구도 이 관계를 흔들수 없다. "
    "우리는 앞으로도 두 나라 친선을 더욱 강화발전시켜나갈것이다. "
    "미국과 그 추종세력들은 두 나라의 협력을 그 무슨 위협으로 헐뜯고있지만 그것은 자주적인 "
    "나라들의 정당한 권리에 대한 란폭한 침해이다. 두 나라는 정치, 경제, 문화 등 모든 분야에서 "
    "협력을 확대하여 지역과 세계의 평화를 수호하는데 이바지하게 될것이다. "
    "조로친선은 새로운 높은 단계에서 영원히 빛을 뿌릴것이다."
)
_KO_REPORT = (
    "경애하는 김정은동지께서 5월 9일 로씨야련방 대사관을 방문하시였다. "
    "김정은동지께서는 위대한 승리의 80돐에 즈음하여 로씨야 인민에게 축하를 보내시였다. "
    "김정은동지께서는 우리 군대와 로씨야군대의 전투적우의는 영원할것이라고 말씀하시였다. "
    "김정은동지께서는 로씨야정부의 정의의 투쟁을 우리 정부는 언제나 지지할것이라고 "
    "강조하시였다. 대사와 대사관 성원들은 깊은 사의를 표하였다. "
    "방문은 동지적인 분위기속에서 진행되였다. 김정은동지께서는 대사관 성원들과 함께 "
    "쏘련인민의 위훈을 기리는 사진문헌들을 돌아보시였다. 김정은동지께서는 두 나라 인민들의 "
    "친선이 대를 이어 계승되여야 한다고 지적하시였다. 대사는 조선인민의 변함없는 지지에 "
    "사의를 표하고 로씨야 인민도 언제나 조선과 함께 있을것이라고 말하였다."
)


@pytest.mark.parametrize(
    ("text", "commentary"),
    [
        (_KO_COMMENTARY, True),  # speaks for "us", says what will be, quotes no one
        (_KO_REPORT, False),  # Pyongyang's honorific report: "말씀하시였다", "강조하시였다"
        (_KO_COMMENTARY[:250], False),  # too short to tell
        (
            "Российско-китайские отношения находятся на самом высоком уровне в истории. Их "
            "основа не сиюминутный расчет, а долгосрочное совпадение интересов двух соседних "
            "держав. Западные столицы пытаются вбить клин между Москвой и Пекином, но у них "
            "ничего не выйдет. Нам и нашим партнерам нужна предсказуемость, и мы будем строить "
            "ее вместе, какие бы санкции ни вводились против нас.",
            True,
        ),
        (
            "Министр иностранных дел России Сергей Лавров провел в Москве переговоры с "
            "иранским коллегой. По словам Лаврова, стороны обсудили выполнение договора о "
            "всеобъемлющем стратегическом партнерстве и проект железной дороги Решт - Астара. "
            "Мы будем и дальше развивать сотрудничество, заявил министр. Наши страны должны "
            "противостоять односторонним санкциям, добавил он.",
            False,  # a report of what the ministers said, however it argues
        ),
        (
            "八十年前，中苏两国人民在反法西斯战争中并肩作战，结下了深厚友谊。今天，中俄全面战略协作"
            "伙伴关系处于历史最好时期，两国坚持不结盟、不对抗、不针对第三方。无论国际风云如何变幻，"
            "中俄关系都不会受到干扰。我们应当共同维护二战胜利成果和以联合国为核心的国际体系，"
            "推动建设更加公正合理的多极化世界。中俄携手，必将为世界和平与发展注入更多稳定性。"
            "两国边境口岸通关更加便利，同江铁路桥和黑河公路桥车流不断，远东地区与东北地区的合作"
            "日益紧密。青年交流、旅游往来和地方合作不断扩大，两国人民相知相亲的基础更加牢固。"
            "单边主义和保护主义抬头，更需要两国坚定站在一起，守护公平正义。中俄两国还将继续深化"
            "经贸、能源、人文等各领域务实合作，让两国人民从合作中得到更多实惠。",
            True,
        ),
        (
            "问：欧盟通过新一轮对俄制裁措施，将部分中国企业列入清单。请问商务部对此有何评论？"
            "答：我们注意到有关情况。中国企业同俄罗斯开展的正常经贸往来，不针对任何第三方，"
            "也不应受到第三方的干扰。我们敦促欧方立即停止错误做法，中方将采取必要措施，坚决"
            "维护中国企业的正当权益。中方在乌克兰危机问题上始终秉持客观公正立场，积极劝和促谈，"
            "从未向冲突任何一方提供致命性武器，并严格管控两用物项出口。这一做法没有国际法依据，"
            "也严重损害中欧经贸关系的健康稳定发展。问：有报道称美方也在考虑对更多中国企业实施"
            "制裁，商务部如何回应？答：我们已多次表明立场。中方坚决反对没有国际法依据、未经联合国"
            "安理会授权的单边制裁和长臂管辖。我们将继续密切关注事态发展，依法维护中国企业的合法权益。",
            False,  # a spokesman's questions and answers: a statement reported
        ),
        (
            "پیمان مشارکت راهبردی با روسیه نشان داد که ایران در برابر فشارهای غرب تنها نیست. "
            "ما باید از این فرصت برای گسترش همکاری اقتصادی و امنیتی با همسایگان شرقی استفاده "
            "کنیم. تحریم‌های یکجانبه راه به جایی نمی‌برد و کشورهای مستقل باید راه خود را بسازند. "
            "آینده منطقه را کشورهای منطقه رقم می‌زنند، نه قدرت‌های فرامنطقه‌ای که جز جنگ و "
            "ناامنی چیزی به ارمغان نیاورده‌اند.",
            True,
        ),
        (
            "به گزارش ایرنا، وزیر امور خارجه ایران در دیدار با همتای روس خود در مسکو گفت که "
            "ما باید همکاری در حوزه انرژی و حمل و نقل را گسترش دهیم. وی افزود که پیمان مشارکت "
            "راهبردی دو کشور باید هر چه زودتر اجرایی شود و دو طرف درباره کریدور شمال - جنوب "
            "و پروژه راه‌آهن رشت - آستارا گفت‌وگو کردند. دو وزیر همچنین درباره تحولات منطقه "
            "و مذاکرات هسته‌ای تبادل نظر کردند.",
            False,
        ),
        (
            "The G7 summit in Italy has once again turned into a stage for smearing China "
            "instead of helping to end the war in Ukraine. Normal "
            "trade between China and Russia is not directed at any third party and should not "
            "be subject to interference. If the G7 truly wants peace, it must stop adding fuel "
            "to the fire and support a political settlement rather than wielding the stick of "
            "sanctions against a country that has consistently promoted peace talks.",
            True,
        ),
        (
            "China and Russia should deepen cooperation on energy and payments, Foreign Minister "
            "Wang Yi said in Moscow on Tuesday after talks with Sergei Lavrov. The two ministers "
            "discussed the Ukraine crisis, the situation on the Korean peninsula and preparations "
            "for the Shanghai Cooperation Organisation summit, and agreed that unilateral "
            "sanctions must not disrupt normal trade between the two countries.",
            False,
        ),
    ],
)
def test_argues_reads_commentary_in_five_languages(text: str, commentary: bool) -> None:
    """An unsigned commentary speaks for "us" or says what must be, and quotes no one; a
    report of what officials said is not one, however much they argued."""
    assert len(text) >= 300 or text == _KO_COMMENTARY[:250]
    assert argues(text) is commentary


def test_a_crank_voices_commentary_stands_alone_and_other_opinion_does_not() -> None:
    commentary = facts(
        "li-comment",
        "Xinhua Commentary: Li Qiang's Moscow visit and the trade deals with Mishustin",
        "Li Qiang and Mishustin signed trade and energy deals at the 29th meeting in Moscow.",
        day=1,
        outlet="Xinhua",
        kind="state_media",
        country="CN",
        event="AGREE",
        actors=("CN.li_qiang", "RU.mishustin"),
    )
    column = replace(
        commentary, id="li-column", outlet="The Guardian", outlet_kind="news", outlet_country="GB"
    )
    stories = cluster([*LI_QIANG, commentary, column], threshold=0.3, window_days=21)
    home = {m: c.id for c in stories for m in c.members}
    assert [m for c in stories if c.id == home["li-comment"] for m in c.members] == ["li-comment"]
    assert home["li-column"] == home["li-2"]  # not a CRANK voice: coverage like any other


def test_analysis_items_take_no_candidate_slot_from_the_news() -> None:
    """Essays that share more telling terms with a report than its own story does are never
    joined, so they must not crowd that story out of the `MAX_CANDIDATES` scored."""
    first = facts(
        "li-1",
        "Li Qiang arrives in Moscow for talks with Mishustin",
        "Li Qiang and Mishustin meet for the 29th regular meeting of heads of government.",
        actors=("CN.li_qiang", "RU.mishustin"),
    )
    text = (
        "Li Qiang and Mishustin signed pipeline, payment and grain agreements at the 29th "
        "regular meeting of heads of government in Moscow."
    )
    title = "Li Qiang and Mishustin sign pipeline and grain deals in Moscow"
    actors = ("CN.li_qiang", "RU.mishustin")
    essays = [
        replace(
            facts(
                f"essay-{i}", title, text, outlet=f"Think tank {i}", kind="analysis", actors=actors
            ),
            published=DAY + timedelta(hours=1 + i),
        )
        for i in range(MAX_CANDIDATES)
    ]
    report = facts("li-2", title, text, day=1, actors=actors)
    stories = cluster([first, *essays, report], threshold=0.3, window_days=21)
    home = {m: c.id for c in stories for m in c.members}
    assert home["li-2"] == home["li-1"]
    assert all(len(c.members) == 1 for c in stories if c.id in {home[e.id] for e in essays})


def test_closed_stories_take_no_candidate_slot_from_an_open_one() -> None:
    """Stories closed long ago that share more telling terms with a report than its own open
    story does cannot take it, so they must not crowd that story out of the candidates."""
    title = "Li Qiang and Mishustin sign pipeline and grain deals in Moscow"
    text = (
        "Li Qiang and Mishustin signed pipeline, payment and grain agreements at the 29th "
        "regular meeting of heads of government in Moscow."
    )
    actors = ("CN.li_qiang", "RU.mishustin")
    closed = [
        facts(f"old-{k}", title, text, day=-30 * k, outlet=f"Outlet {k}", actors=actors)
        for k in range(1, MAX_CANDIDATES + 1)
    ]
    first = facts(
        "li-1",
        "Li Qiang arrives in Moscow for talks with Mishustin",
        "Li Qiang and Mishustin meet for the 29th regular meeting of heads of government.",
        actors=actors,
    )
    report = facts("li-2", title, text, day=1, actors=actors)
    stories = cluster([*closed, first, report], threshold=0.3, window_days=21)
    home = {m: c.id for c in stories for m in c.members}
    assert len({home[f.id] for f in closed}) == len(closed)  # each closed before the next
    assert home["li-2"] == home["li-1"]


@pytest.mark.parametrize(
    ("text", "projects"),
    [
        ("Gazprom says Power of Siberia flows reach full capacity", {"power_of_siberia"}),
        ("中俄东线天然气管道实现满负荷输气", {"power_of_siberia"}),
        ("«Сила Сибири» досрочно вышла на проектную мощность", {"power_of_siberia"}),
        # The longer name is its own project, not also the shorter one it contains.
        ("Power of Siberia 2 talks stall over price", {"power_of_siberia_2"}),
        ("西伯利亚力量2号谈判仍未达成协议", {"power_of_siberia_2"}),
        # A Persian figure meets the form's ASCII one.
        ("مذاکرات قدرت سیبری ۲ ادامه دارد", {"power_of_siberia_2"}),
        ("Переговоры по «Силе Сибири 2» и «Сила Сибири 2» снова отложены", {"power_of_siberia_2"}),
        ("Россия и КНДР построят мост через Туманную", {"tumen"}),
        (
            "Rasht-Astara railway deal signed; Северный морской путь",
            {"rasht_astara", "northern_sea_route"},
        ),
        # Named exercises and patrols, in every language; a generic "joint naval drill" is none.
        ("China, Iran, Russia open Maritime Security Belt 2025 drills", {"maritime_security_belt"}),
        ("中伊俄“安全纽带-2025”海上联合演习开幕", {"maritime_security_belt"}),
        ("中俄两军组织第九次联合空中战略巡航", {"joint_air_patrol"}),
        ("中俄海上联合演习在日本海举行", set()),
        ("Kim skips Eastern Economic Forum in Vladivostok", {"eastern_economic_forum"}),
        ("朝鲜未派代表出席东方经济论坛", {"eastern_economic_forum"}),
        # Whole words only in Latin and Cyrillic script.
        ("Khasanov said the Alabugan report was wrong", set()),
    ],
)
def test_named_projects_are_found_in_every_language(text: str, projects: set[str]) -> None:
    assert projects_in(text) == projects


def test_a_named_project_is_a_term_the_languages_share() -> None:
    english = terms_of("Power of Siberia gas flows hit capacity", "")
    chinese = terms_of("中俄东线天然气管道实现满负荷输气", "")
    shared = {t for t in set(english) & set(chinese) if not t.startswith(CONCEPT)}
    assert shared == {"actor:PRJ.power_of_siberia"} and is_specific("actor:PRJ.power_of_siberia")


@pytest.mark.parametrize(
    ("table", "content", "problem"),
    [
        (
            "project",
            '[[project]]\nid = "Bad Id"\nforms = ["x"]\n',
            "project 'Bad Id': id must be new",
        ),
        (
            "project",
            '[[project]]\nid = "a"\nforms = []\n',
            "project a: forms must be a list of names",
        ),
        (
            "project",
            '[[project]]\nid = "a"\nforms = ["x", ""]\n',
            "project a: forms must be a list",
        ),
        ("project", "[[project]\n", "cannot be read as TOML"),
        ("concept", '[[concept]]\nid = "a"\nforms = ["x"]\n' * 2, "concept 'a': id must be new"),
        ("concept", '[[concept]]\nid = "a"\nforms = "treaty"\n', "concept a: forms must be a list"),
        ("concept", '[[concept]]\nid = "a"\nforms = ["...", "x"]\n', "concept a: forms must be"),
        ("concept", "[[concept]\n", "cannot be read as TOML"),
    ],
)
def test_a_bad_projects_or_concepts_file_names_the_entry(
    tmp_path: Path, table: str, content: str, problem: str
) -> None:
    path = tmp_path / f"{table}s.toml"
    path.write_text(content, "utf-8")
    load = load_projects if table == "project" else load_concepts
    with pytest.raises(DataFileError, match=re.escape(problem)) as info:
        load(path)
    assert str(path) in str(info.value)


EDITORIAL = (
    "The decision to place Chinese companies on the list is a political gesture that will do "
    "nothing to end the crisis and much to damage relations. Brussels offers no evidence. "
    "Normal trade between Chinese and Russian companies follows market rules and should not be "
    "held hostage to the geopolitics of others. Europe would do better to look at its own "
    "supplies of weapons to the battlefield before lecturing those who export none."
)


def test_an_unsigned_editorial_argues_and_quotes_no_one() -> None:
    assert argues(EDITORIAL) and is_opinion("EU listings serve neither peace nor Europe", EDITORIAL)
    # A report quotes someone; a short text is not judged; a text opening in another script is
    # read for that script's words of argument, which English has none of.
    assert not argues(EDITORIAL.replace("Brussels offers", "A spokesman said Brussels offers"))
    assert not argues(EDITORIAL[:300])
    assert not argues("Пекин " + EDITORIAL)
    assert not argues(EDITORIAL.replace("should not", "will not").replace("would do", "does"))
