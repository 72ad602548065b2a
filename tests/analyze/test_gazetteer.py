"""The gazetteer: loaded and validated at start, with roles bounded by dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crankcall.analyze.gazetteer import load_gazetteer
from crankcall.errors import DataFileError


@pytest.fixture(scope="module")
def gazetteer():  # type: ignore[no-untyped-def]
    return load_gazetteer()


@pytest.mark.parametrize(
    ("title", "country", "day", "who"),
    [
        ("President", "IR", date(2024, 5, 1), "IR.raisi"),
        ("President", "IR", date(2024, 6, 15), "IR.mokhber"),
        ("President", "IR", date(2024, 8, 15), "IR.pezeshkian"),
        ("Defence Minister", "RU", date(2024, 4, 1), "RU.shoigu"),
        ("Defence Minister", "RU", date(2024, 6, 1), "RU.belousov"),
        ("Foreign Minister", "IR", date(2024, 7, 1), "IR.bagheri_kani"),
        ("Foreign Minister", "IR", date(2024, 9, 1), "IR.araghchi"),
    ],
)
def test_who_held_a_post_on_a_given_day(
    gazetteer, title: str, country: str, day: date, who: str
) -> None:  # type: ignore[no-untyped-def]
    assert [a.id for a in gazetteer.holders(title, country, day)] == [who]


def test_every_crank_state_has_names_adjectives_and_capitals(gazetteer) -> None:  # type: ignore[no-untyped-def]
    for code, capital in {
        "CN": "Beijing",
        "RU": "Moscow",
        "IR": "Tehran",
        "KP": "Pyongyang",
    }.items():
        actor = gazetteer.actors[code]
        assert actor.forms["names"] and actor.forms["adjectives"]
        assert capital in actor.forms["metonyms"]
    assert gazetteer.forms["the Kremlin"].actor == "RU"
    assert gazetteer.forms["DPRK"].actor == "KP"
    assert gazetteer.forms["South Korea"].actor == "KR"
    assert gazetteer.forms["Republic of China"].actor == "TW"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "actors.toml"
    path.write_text(body, "utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[actor]]\nid = "RU"\ntype = "state"\ncountry = "RU"\n', "RU: has no name forms"),
        ('[[actor]]\nid = "RU"\ntype = "planet"\nnames = ["Russia"]\n', "RU: type must be one of"),
        (
            '[[actor]]\nid = "RU.x"\ntype = "person"\ncountry = "RU"\nnames = ["X"]\n'
            'roles = [{ title = "President", from = "2024-02-30" }]\n',
            "RU.x: role 'President'",
        ),
        (
            '[[actor]]\nid = "RU"\ntype = "state"\nnames = ["Russia"]\n'
            '[[actor]]\nid = "RU.y"\ntype = "person"\nnames = ["Russia"]\n',
            "form 'Russia' already belongs to RU",
        ),
        (
            '[[actor]]\nid = "RU"\ntype = "state"\nnames = ["Russia"]\ncolour = "red"\n',
            "unknown field(s) colour",
        ),
        ("not toml [", "not valid TOML"),
        (
            '[[actor]]\nid = "RU"\ntype = "state"\nnames = ["Russia"]\n[compounds]\n"中俄" = ["CN", "RU"]\n',
            "compounds, '中俄': must list two or more state ids",
        ),
        (
            '[[actor]]\nid = "RU"\ntype = "state"\nnames = ["Russia"]\n'
            '[[actor]]\nid = "CN"\ntype = "state"\nnames = ["China"]\n'
            '[compounds]\n"中俄罗斯" = ["CN", "RU"]\n',
            "compounds, '中俄罗斯': needs one letter per state",
        ),
        (
            '[[actor]]\nid = "KP"\ntype = "state"\nnames = ["North Korea"]\nnative = ["평양"]\n'
            '[not_names]\nforms = ["평양"]\n',
            "not_names: '평양' is also a name",
        ),
        (
            '[[actor]]\nid = "KP"\ntype = "state"\nnames = ["North Korea"]\n'
            '[not_names]\nforms = ["Pacific"]\n',
            "not_names: 'Pacific' must be written in Chinese or Korean letters",
        ),
        (
            '[[actor]]\nid = "KP"\ntype = "state"\nnames = ["North Korea"]\n'
            '[not_names]\nforms = "태평양"\n',
            "not_names: forms must be a list of words",
        ),
    ],
)
def test_bad_entries_name_file_entry_and_problem(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(DataFileError) as info:
        load_gazetteer(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_every_lower_case_russian_form_has_its_capitalised_twin(gazetteer) -> None:  # type: ignore[no-untyped-def]
    # A Russian sentence may open with any of them ("Российская полиция передала ...").
    missing = [
        (actor.id, form)
        for actor in gazetteer.actors.values()
        for form in actor.forms.get("native", ())
        if "а" <= form[:1] <= "я" and form[:1].upper() + form[1:] not in actor.forms["native"]
    ]
    assert missing == []
