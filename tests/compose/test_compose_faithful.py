"""The faithfulness check accepts exactly the allowed rewrites and catches everything else."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from compose_records import DemoMonth, make_article

from crankcall.compose import check_faithful
from crankcall.models import Article

DEMO_MONTH = "2024-08"

SOURCE = (
    "BEIJING, Aug. 21 (Xinhua) -- Chinese Premier Li Qiang and Russian Prime Minister Mikhail "
    "Mishustin co-chaired the 29th regular meeting of the heads of government in Moscow on "
    "Wednesday.\n\n"
    "Vladimir Putin noted that the mechanism of regular meetings plays a key role in "
    "implementing agreements. He pointed to the positive dynamics of trade and economic ties.\n\n"
    "Russia has started delivering radars to Iran, two senior Iranian officials said.\n\n"
    "The sides signed a joint communique in Moscow on Wednesday, which covers trade, energy "
    "and agriculture."
)


@pytest.fixture
def store() -> dict[str, Article]:
    """Two stored articles: one we quote, one about something else."""
    return {
        "a-1": make_article("a-1", SOURCE, url="https://example.org/a-1"),
        "a-2": make_article(
            "a-2",
            "Iran's parliament approved all of the cabinet nominees on Wednesday in Tehran.",
            url="https://example.org/a-2",
            outlet="Al-Monitor",
        ),
    }


def _link(
    text: str, articles: list[str] | None = None, outlets: list[str] | None = None
) -> dict[str, Any]:
    return {
        "links": [
            {
                "text": text,
                "articles": ["a-1"] if articles is None else articles,
                "outlets": ["Reuters"] if outlets is None else outlets,
            }
        ]
    }


@pytest.mark.parametrize(
    "text",
    [
        # The sentence as it stands, dateline and all.
        "BEIJING, Aug. 21 (Xinhua) -- Chinese Premier Li Qiang and Russian Prime Minister Mikhail "
        "Mishustin co-chaired the 29th regular meeting of the heads of government in Moscow on "
        "Wednesday.",
        # 1. Dateline stripped.
        "Chinese Premier Li Qiang and Russian Prime Minister Mikhail Mishustin co-chaired the 29th "
        "regular meeting of the heads of government in Moscow on Wednesday.",
        # 2. "He" resolved to the name that opens the previous sentence.
        "Vladimir Putin pointed to the positive dynamics of trade and economic ties.",
        # 3. A trailing subordinate clause dropped.
        "The sides signed a joint communique in Moscow on Wednesday.",
        # Typography and spacing do not count.
        "Russia has started  delivering radars to Iran, two senior Iranian officials said.",
    ],
)
def test_allowed_rewrites_trace(store: dict[str, Article], text: str) -> None:
    assert check_faithful(_link(text), store) == []


@pytest.mark.parametrize(
    "text",
    [
        # A changed word.
        "The sides signed a joint communique in Beijing on Wednesday, which covers trade, energy "
        "and agriculture.",
        # A dropped attribution: the claim would read as fact.
        "Russia has started delivering radars to Iran.",
        # A pronoun resolved to someone else.
        "Li Qiang pointed to the positive dynamics of trade and economic ties.",
        # The start of a sentence dropped.
        "Mishustin co-chaired the 29th regular meeting of the heads of government in Moscow on "
        "Wednesday.",
        # Two sentences merged.
        "Vladimir Putin noted that the mechanism of regular meetings plays a key role in "
        "implementing agreements and pointed to the positive dynamics of trade and economic ties.",
        # A list cut short is not a subordinate clause.
        "The sides signed a joint communique in Moscow on Wednesday, which covers trade.",
    ],
)
def test_anything_else_does_not_trace(store: dict[str, Article], text: str) -> None:
    (problem,) = check_faithful(_link(text), store)
    assert "does not trace" in problem


def test_uncited_sentence_is_caught(store: dict[str, Article]) -> None:
    text = "Russia has started delivering radars to Iran, two senior Iranian officials said."
    problems = check_faithful(_link(text, articles=[]), store)
    assert problems[0] == "links[0]: cites no article"


def test_unknown_article_id_is_caught(store: dict[str, Article]) -> None:
    text = "Russia has started delivering radars to Iran, two senior Iranian officials said."
    problems = check_faithful(_link(text, articles=["a-1", "nope"]), store)
    assert problems == ["links[0]: cites unknown article 'nope'"]


def test_citing_an_article_that_does_not_carry_the_sentence_is_caught(
    store: dict[str, Article],
) -> None:
    text = "Russia has started delivering radars to Iran, two senior Iranian officials said."
    (problem,) = check_faithful(_link(text, articles=["a-1", "a-2"], outlets=["Reuters"]), store)
    assert "a-2 cited but does not carry" in problem


def test_link_outlet_must_be_an_outlet_of_a_cited_article(store: dict[str, Article]) -> None:
    text = "Russia has started delivering radars to Iran, two senior Iranian officials said."
    (problem,) = check_faithful(_link(text, outlets=["Al-Monitor"]), store)
    assert "outlet 'Al-Monitor'" in problem
    assert check_faithful(_link(text, outlets=[]), store) == ["links[0]: names no outlet"]


def _demo_issue(issues: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return copy.deepcopy(issues[DEMO_MONTH])


def test_demo_issue_with_a_changed_word_fails(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    issue = _demo_issue(issues)
    sentence = issue["highlights"][1]["paragraphs"][0]["sentences"][0]
    assert "Iran" in sentence["text"]
    sentence["text"] = sentence["text"].replace("Iran", "Iraq", 1)
    (problem,) = check_faithful(issue, demo[DEMO_MONTH].articles)
    assert problem.startswith("highlights[1].paragraphs[0].sentences[0]: does not trace")


def test_demo_issue_with_an_uncited_sentence_fails(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    issue = _demo_issue(issues)
    issue["highlights"][0]["paragraphs"][-1]["sentences"][-1]["articles"] = []
    problems = check_faithful(issue, demo[DEMO_MONTH].articles)
    assert len(problems) == 1 and problems[0].endswith("cites no article")


def test_demo_issue_with_an_unknown_id_fails(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    issue = _demo_issue(issues)
    issue["links"][2]["articles"].append("2099-01-001")
    assert check_faithful(issue, demo[DEMO_MONTH].articles) == [
        "links[2]: cites unknown article '2099-01-001'"
    ]


def test_demo_issue_with_a_foreign_url_fails(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    issue = _demo_issue(issues)
    issue["analysis"][0]["url"] = "https://evil.example/iranian-missiles"
    assert check_faithful(issue, demo[DEMO_MONTH].articles) == [
        "analysis[0]: url 'https://evil.example/iranian-missiles' is not the address of any "
        "stored article"
    ]


def test_demo_issue_pointing_at_another_articles_url_fails(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    issue = _demo_issue(issues)
    issue["perspectives"][0]["url"] = issue["analysis"][0]["url"]
    (problem,) = check_faithful(issue, demo[DEMO_MONTH].articles)
    assert "is not the address of the article it cites" in problem


def test_demo_issue_with_a_made_up_title_fails(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    issue = _demo_issue(issues)
    issue["analysis"][1]["title"] = "Why Chinese banks will rescue Russia"
    (problem,) = check_faithful(issue, demo[DEMO_MONTH].articles)
    assert "is not the title of the cited article" in problem


def test_sentence_cited_outside_its_highlight_list_fails(
    issues: dict[str, dict[str, Any]], demo: dict[str, DemoMonth]
) -> None:
    issue = _demo_issue(issues)
    issue["highlights"][0]["articles"] = issue["highlights"][0]["articles"][:1]
    problems = check_faithful(issue, demo[DEMO_MONTH].articles)
    assert problems and all("not in the item's articles" in p for p in problems)


def test_malformed_issue_is_reported_not_raised(store: dict[str, Article]) -> None:
    issue: dict[str, Any] = {
        "highlights": "none",
        "links": [{"text": "", "articles": ["a-1"]}, 7],
        "analysis": [{"title": "x", "articles": [3]}],
    }
    problems = check_faithful(issue, store)
    assert "highlights: not a list" in problems
    assert "links: holds entries that are not objects" in problems
    assert "links[0]: has no text" in problems
    assert "analysis[0]: article ids must be text" in problems
    assert "analysis[0]: has no url" in problems
