"""The outlets data file and resolving an article's outlet by domain and name."""

from __future__ import annotations

from collections import Counter

import pytest

from crankcall.errors import DataFileError
from crankcall.ingest.outlets import COLUMNS, OutletIndex, load_outlets, new_outlet, parse_outlets
from crankcall.models import CRANK_STATES

HEADER = ",".join(COLUMNS)


def test_shipped_outlets_cover_every_kind_and_the_crank_states() -> None:
    outlets = load_outlets()
    assert len(outlets) >= 120
    kinds = Counter(o.kind for o in outlets)
    assert {"wire", "news", "analysis", "state_media", "official"} <= set(kinds)
    for country in CRANK_STATES:
        own = [o for o in outlets if o.country == country]
        assert any(o.kind == "state_media" and o.language == "en" for o in own), country
        assert any(o.kind == "state_media" and o.language != "en" for o in own), country
        assert any(o.kind == "official" for o in own), country
        assert all(o.state_affiliated for o in own if o.kind in {"state_media", "official"})


def test_resolution_prefers_the_longest_domain_then_names() -> None:
    index = OutletIndex(load_outlets())
    resolved = index.resolve(url="https://en.yna.co.kr/view/AEN2024", name=None)
    assert resolved is not None and resolved.name == "Yonhap News Agency"
    resolved = index.resolve(url="https://www.tass.ru/politika/1", name="TASS")
    assert resolved is not None and resolved.language == "ru"
    resolved = index.resolve(url=None, name="  associated press ")
    assert resolved is not None and resolved.domain == "apnews.com"
    resolved = index.resolve(url="https://unknown.example/a", name="AP")
    assert resolved is not None and resolved.name == "Associated Press"
    assert index.resolve(url="https://unknown.example/a", name="Nobody") is None


def test_new_outlet_is_unknown_kind_named_from_input_or_host() -> None:
    assert new_outlet(url="https://www.blog.example/a", name=None).name == "blog.example"
    outlet = new_outlet(url=None, name="Village Gazette")
    assert outlet.kind == "unknown" and outlet.domain is None


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("X,x.com,blog,US,en,false,", "kind 'blog'"),
        ("X,x.com,news,USA,en,false,", "two-letter"),
        ("X,x.com,news,US,english,false,", "language"),
        ("X,x.com,news,US,en,maybe,", "true or false"),
        ("X,not a domain,news,US,en,false,", "not a domain"),
        ("X,x.com,news,US,en,false", "wrong number of fields"),
    ],
)
def test_bad_rows_name_file_line_and_problem(row: str, problem: str) -> None:
    with pytest.raises(DataFileError, match=rf"outlets.csv, line 2 \(X\): .*{problem}"):
        parse_outlets(f"{HEADER}\n{row}\n", name="outlets.csv")


def test_duplicate_names_and_domains_are_refused() -> None:
    text = f"{HEADER}\nA,a.com,news,US,en,false,\nB,a.com,news,US,en,false,\n"
    with pytest.raises(DataFileError, match="line 3: domain 'a.com' is already used on line 2"):
        parse_outlets(text, name="o.csv")


def test_wrong_header_is_refused() -> None:
    with pytest.raises(DataFileError, match="header must be"):
        parse_outlets("name,domain\nA,a.com\n", name="o.csv")
