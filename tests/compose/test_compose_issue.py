"""Drafting the demo months: the issue has the shape FORMAT.md promises and rests on its sources."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from compose_records import MONTHS, DemoMonth, make_article, make_bundle

from crankcall.compose import check_faithful, draft_issue
from crankcall.compose.headline import is_title_case
from crankcall.compose.issue import window
from crankcall.errors import InputError
from crankcall.models import Outlet
from crankcall.settings import Settings

DEMO_MONTH = "2024-08"
CONTRACT_KEYS = {
    "title",
    "month",
    "window",
    "intro",
    "highlights",
    "links",
    "analysis",
    "perspectives",
    "masthead",
}


def _words(text: str) -> int:
    return len(text.split())


def _sentences(highlight: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for p in highlight["paragraphs"] for s in p["sentences"]]


def test_issue_has_the_contract_frame(issues: dict[str, dict[str, Any]]) -> None:
    issue = issues[DEMO_MONTH]
    assert set(issue) == CONTRACT_KEYS
    assert issue["title"] == "CRANK Call | August 2024"
    assert issue["month"] == "2024-08"
    assert issue["window"] == {"since": "2024-08-01", "until": "2024-08-31"}
    assert issue["intro"].startswith("CRANK Call is a monthly review")
    assert issue["masthead"] == {
        "name": "CRANK Call",
        "editor_in_chief": "Ada Editor",
        "editor": "Ben Editor",
        "contact": "editor@example.org",
        "image_credit": "Photo: the editors",
    }


def test_demo_month_has_three_to_six_highlights_and_six_to_fifteen_links(
    issues: dict[str, dict[str, Any]],
) -> None:
    issue = issues[DEMO_MONTH]
    assert 3 <= len(issue["highlights"]) <= 6
    assert 6 <= len(issue["links"]) <= 15
    assert 3 <= len(issue["analysis"]) <= 8
    assert 1 <= len(issue["perspectives"]) <= 4


@pytest.mark.parametrize("month", MONTHS)
def test_highlights_run_120_to_350_words_in_one_to_three_paragraphs(
    issues: dict[str, dict[str, Any]], month: str
) -> None:
    for highlight in issues[month]["highlights"]:
        total = sum(_words(s["text"]) for s in _sentences(highlight))
        assert 120 <= total <= 350, (highlight["headline"], total)
        assert 1 <= len(highlight["paragraphs"]) <= 3


@pytest.mark.parametrize("month", MONTHS)
def test_headlines_are_six_to_fourteen_words_in_sentence_case(
    issues: dict[str, dict[str, Any]], month: str
) -> None:
    for highlight in issues[month]["highlights"]:
        headline = highlight["headline"]
        assert 6 <= _words(headline) <= 14, headline
        assert not is_title_case(headline), headline
        assert headline[0].isupper() and not headline.endswith((".", "?")), headline


def test_title_case_headline_is_put_in_sentence_case_keeping_proper_nouns(
    issues: dict[str, dict[str, Any]],
) -> None:
    # The Wall Street Journal's title is Title Case: "Iran Readies Short-Range Ballistic
    # Missiles for Russia, U.S. Officials Say".
    headlines = [h["headline"] for h in issues[DEMO_MONTH]["highlights"]]
    assert "Iran readies short-range ballistic missiles for Russia, U.S. officials say" in headlines


@pytest.mark.parametrize("month", MONTHS)
def test_links_are_one_sentence_of_20_to_45_words_with_outlets(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth], month: str
) -> None:
    articles = demo[month].articles
    for link in issues[month]["links"]:
        assert 20 <= _words(link["text"]) <= 45, link["text"]
        assert link["outlets"], link
        assert link["outlets"] == list(dict.fromkeys(articles[a].outlet for a in link["articles"]))


@pytest.mark.parametrize("month", MONTHS)
def test_whole_issue_is_faithful_to_its_articles(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth], month: str
) -> None:
    assert check_faithful(issues[month], demo[month].articles) == []


@pytest.mark.parametrize("month", MONTHS)
def test_no_sentence_is_printed_twice_and_none_keeps_a_dateline(
    issues: dict[str, dict[str, Any]], month: str
) -> None:
    issue = issues[month]
    texts = [s["text"] for h in issue["highlights"] for s in _sentences(h)]
    texts += [link["text"] for link in issue["links"]]
    assert len(texts) == len(set(texts))
    dateline = re.compile(r"^[A-Z]{3,}[A-Z ,.]*(?:\(|--| - | — )|\((?:Reuters|AP|AFP|Xinhua)\)")
    assert not [t for t in texts if dateline.search(t)]


@pytest.mark.parametrize("month", MONTHS)
def test_copies_are_never_cited_when_their_original_is_in_the_story(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth], month: str
) -> None:
    copies = {c for b in demo[month].bundles for c in b.copies}
    cited = {a for h in issues[month]["highlights"] for a in h["articles"]}
    cited |= {a for link in issues[month]["links"] for a in link["articles"]}
    assert not cited & copies


def test_highlight_lists_every_article_it_cites_and_its_story(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    stories = {b.story.id: b for b in demo[DEMO_MONTH].bundles}
    for highlight in issues[DEMO_MONTH]["highlights"]:
        cited = {a for s in _sentences(highlight) for a in s["articles"]}
        assert set(highlight["articles"]) == cited
        members = {a.id for a in stories[highlight["story"]].articles}
        assert cited <= members
        assert len(cited) >= 2  # a highlight draws on more than one article


def test_highlights_follow_rank_and_section(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    picked = [b.story.id for b in demo[DEMO_MONTH].bundles if b.story.section == "highlights"]
    assert [h["story"] for h in issues[DEMO_MONTH]["highlights"]] == picked[:5]


def test_analysis_and_perspectives_carry_title_authors_venue_and_address(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    articles = demo[DEMO_MONTH].articles
    issue = issues[DEMO_MONTH]
    assert len(issue["analysis"]) == 6  # seven pieces, issue_analysis is 6
    for entry in issue["analysis"] + issue["perspectives"]:
        (ident,) = entry["articles"]
        article = articles[ident]
        assert entry["url"] == article.url
        assert entry["venue"] == article.outlet
        assert entry["authors"] == list(article.authors)
        assert entry["title"] == article.title
    first = issue["analysis"][0]
    assert first["title"] == "Iranian Missiles for Russia: Tactical Gain, Strategic Cost"
    assert first["authors"] == ["Eleanor Price"]
    assert first["venue"] == "Royal United Services Institute"


def test_settings_limit_the_sections(demo: dict[str, DemoMonth], issue_settings: Settings) -> None:
    data = demo[DEMO_MONTH]
    small = replace(
        issue_settings, issue_highlights=3, issue_links=6, issue_analysis=2, issue_perspectives=1
    )
    issue = draft_issue(
        month=DEMO_MONTH, since=data.since, until=data.until, bundles=data.bundles, settings=small
    )
    assert len(issue["highlights"]) == 3
    assert len(issue["links"]) == 6
    assert len(issue["analysis"]) == 2
    assert len(issue["perspectives"]) == 1
    # The two highlight stories left over lead the links, in rank order.
    leftover = [b.story.id for b in data.bundles if b.story.section == "highlights"][3:]
    first_links = {a for link in issue["links"][:2] for a in link["articles"]}
    story_of = {a.id: b.story.id for b in data.bundles for a in b.articles}
    assert {story_of[a] for a in first_links} == set(leftover)
    assert check_faithful(issue, data.articles) == []


def test_draft_is_the_same_every_time(
    demo: dict[str, DemoMonth], issue_settings: Settings, issues: dict[str, dict[str, Any]]
) -> None:
    data = demo[DEMO_MONTH]
    again = draft_issue(
        month=DEMO_MONTH,
        since=data.since,
        until=data.until,
        bundles=list(reversed(data.bundles)),  # rank, not input order, decides
        settings=issue_settings,
    )
    assert again == issues[DEMO_MONTH]


def test_link_stories_are_promoted_when_fewer_than_three_highlights(
    demo: dict[str, DemoMonth], issue_settings: Settings
) -> None:
    data = demo[DEMO_MONTH]
    only_one = [
        b
        for b in data.bundles
        if b.story.section != "highlights" or b.story.id == "2024-08-ir-ru-fath360-missiles"
    ]
    issue = draft_issue(
        month=DEMO_MONTH,
        since=data.since,
        until=data.until,
        bundles=only_one,
        settings=issue_settings,
    )
    assert len(issue["highlights"]) == 3
    assert check_faithful(issue, data.articles) == []


def test_empty_month_drafts_an_empty_issue(
    issue_settings: Settings, demo: dict[str, DemoMonth]
) -> None:
    data = demo[DEMO_MONTH]
    issue = draft_issue(
        month=DEMO_MONTH, since=data.since, until=data.until, bundles=[], settings=issue_settings
    )
    assert issue["highlights"] == issue["links"] == issue["analysis"] == issue["perspectives"] == []
    assert check_faithful(issue, {}) == []


def test_bad_month_is_an_input_error(issue_settings: Settings, demo: dict[str, DemoMonth]) -> None:
    data = demo[DEMO_MONTH]
    with pytest.raises(InputError, match="2024-13"):
        draft_issue(
            month="2024-13", since=data.since, until=data.until, bundles=[], settings=issue_settings
        )


HOSTILE_TEXT = (
    "MOSCOW, Aug 20 (Reuters) - Russia and China signed a <script>alert('x')</script> pact on "
    "energy cooperation in Moscow on Tuesday, officials from both governments said after talks "
    "that ran late into the night.\n\n"
    "The agreement covers oil, gas and coal deliveries through 2030 and sets up a joint working "
    "group on payments, according to a statement from the Russian government.\n\n"
    "Chinese officials said the pact would <b>deepen</b> trade between the two neighbours at a "
    "time when Western sanctions have squeezed Russia's access to other markets.\n\n"
    "The two sides also agreed to study a new pipeline route across Mongolia, an idea that has "
    "been discussed for more than a decade without a final contract.\n\n"
    "Analysts in Beijing said the deal showed how far energy ties between the two countries had "
    "grown since 2022, when Russia launched its full-scale invasion of Ukraine.\n\n"
    "Russian Deputy Prime Minister Alexander Novak told reporters that the first deliveries under "
    "the new terms could begin early next year.\n\n"
    "Trade between Russia and China reached a record of more than $240 billion last year, "
    "according to Chinese customs figures."
)


def test_hostile_markup_is_carried_as_plain_text_and_still_checks(
    issue_settings: Settings, demo: dict[str, DemoMonth]
) -> None:
    data = demo[DEMO_MONTH]
    story = make_article("h-1", HOSTILE_TEXT, title="Russia, China <i>sign</i> energy pact")
    piece = make_article(
        "h-2",
        "An analysis of the pact. " * 10,
        title='<img src=x onerror="alert(1)"> What the <em>pact</em> means',
        outlet="Carnegie Endowment for International Peace",
        authors=("<b>Jo Bloggs</b>",),
    )
    bundles = [
        make_bundle([story], section="highlights", story_id="s-1", rank=1),
        make_bundle([piece], section="analysis", story_id="s-2", rank=2),
    ]
    issue = draft_issue(
        month=DEMO_MONTH,
        since=data.since,
        until=data.until,
        bundles=bundles,
        settings=issue_settings,
    )
    (highlight,) = issue["highlights"]
    texts = [s["text"] for s in _sentences(highlight)]
    assert any("<script>alert('x')</script>" in t for t in texts)
    assert texts[0].startswith("Russia and China signed")  # the dateline is gone
    (entry,) = issue["analysis"]
    assert entry["title"] == '<img src=x onerror="alert(1)"> What the <em>pact</em> means'
    assert entry["authors"] == ["<b>Jo Bloggs</b>"]
    articles = {a.id: a for a in (story, piece)}
    assert check_faithful(issue, articles) == []
    highlight["paragraphs"][0]["sentences"][0]["text"] = texts[0].replace("<script>", "<scrip>")
    assert check_faithful(issue, articles)


def test_highlight_story_without_enough_text_becomes_a_link(
    issue_settings: Settings, demo: dict[str, DemoMonth]
) -> None:
    data = demo[DEMO_MONTH]
    short = make_article(
        "s-1",
        "Russia and China signed agreements on energy, trade and agriculture in Moscow on "
        "Wednesday, as Premier Li Qiang met President Vladimir Putin at the end of his visit.",
    )
    issue = draft_issue(
        month=DEMO_MONTH,
        since=data.since,
        until=data.until,
        bundles=[make_bundle([short], section="highlights")],
        settings=issue_settings,
    )
    assert issue["highlights"] == []
    assert [link["articles"] for link in issue["links"]] == [["s-1"]]
    assert issue["links"][0]["outlets"] == ["Reuters"]


def test_window_shows_the_last_day_included() -> None:
    start = datetime(2024, 8, 1, tzinfo=UTC)
    assert window(start, datetime(2024, 9, 1, tzinfo=UTC)) == {
        "since": "2024-08-01",
        "until": "2024-08-31",
    }
    assert window(start, datetime(2024, 8, 31, 23, 59, 59, tzinfo=UTC))["until"] == "2024-08-31"
    assert window(start, start)["until"] == "2024-08-01"


@pytest.mark.parametrize("month", MONTHS)
def test_analysis_comes_from_think_tanks_and_perspectives_from_crank_state_voices(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth], month: str
) -> None:
    outlets = {o.name: o for b in demo[month].bundles for o in b.outlets.values()}
    issue = issues[month]
    assert {outlets[e["venue"]].kind for e in issue["analysis"]} == {"analysis"}
    for entry in issue["perspectives"]:
        outlet = outlets[entry["venue"]]
        assert outlet.kind in {"state_media", "official"}, entry
        assert outlet.country in {"CN", "RU", "IR", "KP"}, entry


def test_a_perspectives_story_gives_one_piece_per_crank_state(
    issue_settings: Settings, demo: dict[str, DemoMonth]
) -> None:
    """Three Chinese reports of one meeting take one place, the one in English; Moscow's
    account of the same meeting keeps its own."""
    data = demo[DEMO_MONTH]
    day = datetime(2024, 8, 11, 9, tzinfo=UTC)
    text = "Wang Yi met Sergei Lavrov and the two sides discussed cooperation. " * 6
    pieces = [
        make_article(
            "p-1", text, title="王毅会见拉夫罗夫", outlet="人民网", language="zh", published=day
        ),
        make_article("p-2", text, title="Wang Yi meets Lavrov", outlet="Xinhua", published=day),
        make_article(
            "p-3", text, title="Wang, Lavrov hold talks", outlet="China Daily", published=day
        ),
        make_article(
            "p-4", text, title="Lavrov, Wang Yi discuss ties", outlet="TASS", published=day
        ),
    ]
    bundle = make_bundle(pieces, section="perspectives")
    countries = {"人民网": "CN", "Xinhua": "CN", "China Daily": "CN", "TASS": "RU"}
    outlets = {
        name: Outlet(name=name, domain=None, kind="state_media", country=country)
        for name, country in countries.items()
    }
    issue = draft_issue(
        month=DEMO_MONTH,
        since=data.since,
        until=data.until,
        bundles=[replace(bundle, outlets=outlets)],
        settings=issue_settings,
    )
    assert [e["venue"] for e in issue["perspectives"]] == ["Xinhua", "TASS"]
