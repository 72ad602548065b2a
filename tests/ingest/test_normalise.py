"""Normalisers: canonical URLs, publication dates, text, content hashes (property tests included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crankcall.ingest.normalise import (
    _CONTROL,
    canonical_url,
    clean_line,
    clean_text,
    content_hash,
    host_of,
    parse_published,
    without_controls,
)
from crankcall.settings import SETTINGS

TRACKING = next(s.default for s in SETTINGS if s.name == "ingest_tracking_params")
NOW = datetime(2026, 11, 27, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        (
            "HTTP://WWW.Reuters.COM:80/world/a?utm_source=x&b=2&a=1#top",
            "https://reuters.com/world/a?a=1&b=2",
        ),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x/../y/./z", "https://example.com:8443/y/z"),
        ("https://user:secret@example.com/p?fbclid=abc", "https://example.com/p"),
        ("https://example.com/%7euser/a%20b", "https://example.com/~user/a%20b"),
        ("https://example.com/path/", "https://example.com/path/"),
        ("https://例え.jp/記事", "https://xn--r8jz45g.jp/%E8%A8%98%E4%BA%8B"),
        ("https://[::1]:8080/x", "https://[::1]:8080/x"),
    ],
)
def test_canonical_url_examples(given_url: str, expected: str) -> None:
    assert canonical_url(given_url, tracking_params=TRACKING) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "ftp://example.com/a",
        "https://",
        "",
        "https://exa mple.com/",
        "https://x.com:99999/",
    ],
)
def test_canonical_url_refuses_what_is_not_a_web_address(bad: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(bad, tracking_params=TRACKING)


hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,6}){1,2}", fullmatch=True)
segments = st.lists(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs")), max_size=8),
    max_size=4,
)
params = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "id", "utm_source", "utm_campaign", "fbclid", "page"]),
        st.text(max_size=6),
    ),
    max_size=5,
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    host = draw(hosts)
    if draw(st.booleans()):
        host = "www." + host.upper()
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/" + "/".join(draw(segments))
    query = "&".join(f"{k}={v}" for k, v in draw(params))
    fragment = draw(st.sampled_from(["", "#x", "#section-2"]))
    return f"{scheme}://{host}{port}{path}" + (f"?{query}" if query else "") + fragment


@given(urls())
def test_canonical_url_is_idempotent_and_clean(url: str) -> None:
    try:
        once = canonical_url(url, tracking_params=TRACKING)
    except ValueError:
        return
    assert canonical_url(once, tracking_params=TRACKING) == once
    assert once.startswith("https://")
    assert "#" not in once
    keys = [key for key, _ in parse_qsl(urlsplit(once).query, keep_blank_values=True)]
    assert not [key for key in keys if key.lower().startswith("utm_") or key.lower() == "fbclid"]
    host = once.split("/")[2]
    assert host == host.lower()
    assert not host.startswith("www.")


@given(urls(), st.permutations(range(3)))
def test_canonical_url_ignores_parameter_order(url: str, order: list[int]) -> None:
    extra = [("p", "1"), ("q", "2"), ("r", "3")]
    base = url.split("#")[0]
    sep = "&" if "?" in base else "?"
    forward = base + sep + "&".join(f"{k}={v}" for k, v in extra)
    shuffled = base + sep + "&".join(f"{extra[i][0]}={extra[i][1]}" for i in order)
    try:
        assert canonical_url(forward, tracking_params=TRACKING) == canonical_url(
            shuffled, tracking_params=TRACKING
        )
    except ValueError:
        pass


def test_host_of() -> None:
    assert host_of("https://WWW.Example.com./a") == "example.com"
    assert host_of("not a url") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-19", datetime(2024, 6, 19, tzinfo=UTC)),
        ("2024-06-19T08:30:00Z", datetime(2024, 6, 19, 8, 30, tzinfo=UTC)),
        ("2024-06-19T17:30:00+09:00", datetime(2024, 6, 19, 8, 30, tzinfo=UTC)),
        ("2024-06-19 08:30", datetime(2024, 6, 19, 8, 30, tzinfo=UTC)),
        ("Wed, 19 Jun 2024 08:30:00 GMT", datetime(2024, 6, 19, 8, 30, tzinfo=UTC)),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_published_accepts_dates_and_datetimes(
    value: str | None, expected: datetime | None
) -> None:
    assert parse_published(value, now=NOW) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2024-02-30", "impossible date"),
        ("2024-13-01T00:00:00", "impossible"),
        ("yesterday", "not a date"),
        ("1850-01-01", "before 1900"),
        ("2031-01-01", "in the future"),
    ],
)
def test_parse_published_refuses_bad_dates(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_published(value, now=NOW)


@given(
    st.datetimes(
        min_value=datetime(1901, 1, 2),
        max_value=datetime(2026, 11, 1),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5, minutes=-30))]
        ),
    )
)
def test_parse_published_round_trips_iso_datetimes(moment: datetime) -> None:
    parsed = parse_published(moment.isoformat(), now=NOW)
    assert parsed == moment
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


@given(st.text(max_size=40))
def test_parse_published_never_raises_anything_but_value_error(value: str) -> None:
    try:
        result = parse_published(value, now=NOW)
    except ValueError:
        return
    assert result is None or result.tzinfo is not None


def test_clean_text_keeps_paragraphs_and_drops_control_characters() -> None:
    raw = "  First\u200b line\r\n\r\n\r\n\r\nSecond\x07 paragraph\u00a0 here  "
    assert clean_text(raw) == "First line\n\nSecond paragraph here"
    assert clean_line("a\nb\t c") == "a b c"


CONTROLLED_TEXT = (
    st.text(
        st.sampled_from(["a", " ", "\n", "\t", "\r", "\x00", "\x07", "\x1f", "\x7f", "\x80", "é"])
        | st.sampled_from(["\u200b", "\u2028", "\ufeff", "\ud800", "中", "\U0001f600"])
    )
    | st.text()
)


@given(CONTROLLED_TEXT)
@example("Iran\x07 and\ud800 Russia")  # a lone surrogate goes through as it came
@example("zero\u200bwidth\x0b")
def test_without_controls_drops_what_the_control_pattern_matches(text: str) -> None:
    assert without_controls(text) == _CONTROL.sub("", text)


def test_clean_text_composes_unicode() -> None:
    assert clean_text("Pe\u0301zeshkian") == "Pézeshkian"


def test_content_hash_ignores_case_spacing_and_normal_form() -> None:
    assert content_hash("Kim meets Putin", "Text  here") == content_hash(
        "kim MEETS putin ", "text here"
    )
    assert content_hash("Pe\u0301zeshkian", "") == content_hash("Pézeshkian", "")
    assert content_hash("a", "b") != content_hash("a", "c")
