"""Feed parsing: every dialect we accept, hostile markup and entity bombs, OPML both ways."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crankcall.ingest.feeds import FeedError, parse_feed
from crankcall.ingest.markup import LONG_TAG, tamed
from crankcall.ingest.opml import Subscription, read_opml, write_opml

FEEDS = Path(__file__).parent.parent / "fixtures" / "feeds"
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _parse(name: str, base: str = "https://feeds.example/"):  # type: ignore[no-untyped-def]
    return parse_feed((FEEDS / name).read_bytes(), base_url=base, now=NOW)


def test_rss_091_in_latin1() -> None:
    feed = _parse("rss091.xml")
    assert feed.title == "Old Wire Desk"
    assert [i.title for i in feed.items] == [
        "Envoys meet in Vladivostok",
        "Café owners protest rents",
    ]


def test_rss_10_with_dublin_core_date_and_creator() -> None:
    (item,) = _parse("rss10.rdf").items
    assert item.published == datetime(2024, 8, 21, 9, tzinfo=UTC)
    assert item.authors == ("Ada Brennan",)
    assert item.url.endswith("axis-limits?utm_source=rss")


def test_rss_20_in_windows_1251_with_relative_link_scripts_and_a_bad_date() -> None:
    feed = _parse("rss20_cp1251.xml", base="https://news.example.ru/rss")
    assert feed.title == "Новости дня"
    first, second = feed.items
    assert first.title == "Россия и КНДР подписали договор"
    assert first.url == "https://news.example.ru/2024/06/19/dogovor.html"
    assert first.published == datetime(2024, 6, 19, 7, 15, tzinfo=UTC)
    assert "Текст заметки" in first.summary
    assert (
        "alert" not in first.summary and "onclick" not in first.summary and "<" not in first.summary
    )
    assert second.published is None  # the date is lost, the item is kept


def test_atom_with_html_title_skips_an_entry_without_link() -> None:
    feed = _parse("atom.xml")
    assert feed.title == "Korea Desk Daily"
    (item,) = feed.items
    assert item.authors == ("Min Seo-yeon",)
    assert item.published == datetime(2024, 9, 13, 21, tzinfo=UTC)
    assert "onerror" not in item.summary and "<" not in item.summary


def test_an_item_with_a_flood_of_attributes_keeps_its_title_and_link() -> None:
    # Python's XML reader under the feed parser looks each attribute up in a list of them all:
    # an element with 50,000 attributes took 25 s. A tag longer than LONG_TAG characters loses
    # its attributes first (markup.tamed), in the feed's bytes, whatever their encoding.
    flood = " ".join(f'a{i}="x"' for i in range(LONG_TAG // 6)).encode()
    body = (
        b'<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel>'
        b"<title>Desk</title><item "
        + flood
        + b"><title>"
        + "Россия и Иран подписали соглашение".encode("cp1251")
        + b"</title><link>https://news.example.ru/1</link></item></channel></rss>"
    )
    assert b"a0=" not in tamed(body) and tamed(body).count(b"<item>") == 1
    (item,) = parse_feed(body, base_url="https://news.example.ru/rss", now=NOW).items
    assert item.title == "Россия и Иран подписали соглашение"
    assert item.url == "https://news.example.ru/1"


def test_json_feed() -> None:
    feed = _parse("feed.json")
    assert feed.format == "json1" and feed.title == "Gulf Monitor"
    first, second = feed.items
    assert first.published == datetime(2024, 9, 10, 14, 30, tzinfo=UTC)
    assert first.authors == ("R. Karimi",)
    assert second.url.endswith("/oil-exports") and second.published is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_json_feed_with_a_lone_surrogate_escape_reads_as_replacement(encoding: str) -> None:
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "T \\ud800", "items": '
        '[{"url": "https://x.example/a", "title": "Tehran \\udc00 Moscow"}]}'
    ).encode(encoding)
    feed = parse_feed(
        body, base_url="https://x.example/", now=NOW, content_type="application/feed+json"
    )
    assert feed.title == "T \ufffd"
    assert feed.items[0].title == "Tehran \ufffd Moscow"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xml", "not a feed"),
        ("bomb.xml", "declares XML entities"),
        ("not_a_feed.html", "not a feed"),
    ],
)
def test_unreadable_feeds_are_diagnosed(name: str, message: str) -> None:
    with pytest.raises(FeedError) as info:
        _parse(name)
    assert info.value.diagnosis == "parse_error" and message in info.value.detail


@pytest.mark.parametrize(
    "body", [b"", b"   ", b"{}", b'{"version": "https://jsonfeed.org/version/1"}', b"[1,2]"]
)
def test_empty_or_wrong_json_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, base_url="https://x.example/", now=NOW)


def test_opml_round_trip_and_nested_outlines() -> None:
    subs = read_opml((FEEDS / "sources.opml").read_bytes(), name="sources.opml")
    assert [s.title for s in subs][:3] == ["Old Wire Desk", "Russian desk", "Strategy Notes"]
    assert len(subs) == 6
    again = read_opml(write_opml(subs), name="again")
    assert again == subs


def test_opml_with_entities_or_not_opml_is_refused() -> None:
    with pytest.raises(ValueError, match="not a readable OPML"):
        read_opml((FEEDS / "bomb.xml").read_bytes(), name="bomb.xml")
    with pytest.raises(ValueError, match="not an OPML file"):
        read_opml(b"<rss/>", name="x")
    assert (
        write_opml([Subscription(url="https://a.example/?x=1&y=2", title="<A&B>")]).count(b"&amp;")
        >= 2
    )


def test_default_sources_are_web_feeds_of_known_outlets() -> None:
    from importlib import resources

    from crankcall.ingest.outlets import OutletIndex, load_outlets

    data = resources.files("crankcall.data").joinpath("default_sources.opml").read_bytes()
    subs = read_opml(data, name="default_sources.opml")
    assert len(subs) >= 20
    index = OutletIndex(load_outlets())
    kinds = set()
    for sub in subs:
        assert sub.url.startswith("https://")
        outlet = index.resolve(url=sub.url, name=None)
        assert outlet is not None, sub.url
        kinds.add(outlet.kind)
    assert {"news", "analysis", "state_media"} <= kinds
