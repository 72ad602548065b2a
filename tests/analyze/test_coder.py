"""The coder's decisions on the cases that matter to editors, with the evidence behind them."""

from __future__ import annotations

import pytest

from crankcall.analyze.coder import contract_json, default_coder
from crankcall.models import CodedArticle


def _code(title: str, text: str = "") -> CodedArticle:
    return default_coder().code(id="t", title=title, text=text)


@pytest.mark.parametrize(
    ("title", "text", "dyads", "relation"),
    [
        (
            "Russia and North Korea sign mutual defence treaty in Pyongyang",
            "",
            ["KP-RU"],
            "cooperation",
        ),
        ("Putin in Pyongyang", "", ["KP-RU"], "cooperation"),
        (
            "Iran summons China's ambassador over Gulf islands statement",
            "",
            ["CN-IR"],
            "contention",
        ),
        ("Chinese banks turn away payments from Russian importers", "", ["CN-RU"], "contention"),
        (
            "Iranian official says China 'has not delivered' on 25-year pact",
            "",
            ["CN-IR"],
            "contention",
        ),
        ("China, Russia, Iran and North Korea voted against the resolution", "", [], "none"),
        ("Iran beat North Korea 3-0 in World Cup qualifier", "", [], "none"),
        (
            "Moscow and Beijing hold joint naval drills",
            "Russian and Chinese warships began joint exercises in the Sea of Japan on Monday.",
            ["CN-RU"],
            "cooperation",
        ),
    ],
)
def test_dyads_and_relation(title: str, text: str, dyads: list[str], relation: str) -> None:
    coded = _code(title, text)
    assert list(coded.dyads) == dyads
    assert coded.relation == relation


def test_a_crank_state_alone_is_not_relevant() -> None:
    coded = _code(
        "North Korea fires ballistic missile into the sea",
        "Japan said the missile fell outside its waters.",
    )
    assert not coded.relevant and coded.dyads == () and coded.score < 0.5


def test_outside_sanctions_on_a_network_are_relevant_without_a_dyad() -> None:
    coded = _code(
        "US sanctions Chinese and Iranian suppliers of Russia's drone programme",
        "The Treasury said the firms shipped components used in Russian drones.",
    )
    assert coded.relevant and coded.dyads == () and coded.relation == "none"
    assert coded.topic == "sanctions"


def test_evidence_and_actor_spans_index_title_and_text_joined() -> None:
    title = "Shoigu meets Kim in Pyongyang"
    text = "Russia's Security Council secretary Sergei Shoigu met North Korean leader Kim Jong Un on Friday."
    coded = _code(title, text)
    document = f"{title}\n\n{text}"
    assert coded.dyads == ("KP-RU",)
    for mention in coded.actors:
        assert document[mention.start : mention.end] == mention.text
    for evidence in coded.evidence:
        assert document[evidence.start : evidence.end] == evidence.text
    assert coded.interactions[0].dyad == "KP-RU" and coded.interactions[0].evidence


def test_contract_json_has_exactly_the_contract_fields() -> None:
    data = contract_json(_code("Lavrov and Araghchi discuss ties in Moscow"))
    assert list(data) == [
        "id",
        "relevant",
        "score",
        "crank",
        "dyads",
        "relation",
        "topic",
        "event_type",
        "intensity",
        "actors",
        "evidence",
        "coder",
    ]
    assert set(data["actors"][0]) == {"id", "country", "text", "start", "end"}  # type: ignore[index]
    assert 0.0 <= data["score"] <= 1.0  # type: ignore[operator]
    assert -10 <= data["intensity"] <= 10  # type: ignore[operator]


def test_rules_explain_the_decision() -> None:
    coded = _code("China, Russia, Iran and North Korea voted against the resolution")
    assert any("list" in rule for rule in coded.rules)
