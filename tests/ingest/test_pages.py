"""Page extraction (contract 7): encodings real sites use, lying charsets, hostile markup,
paywalls and script-rendered pages, and where the date came from."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from crankcall.cli import cli
from crankcall.ingest.markup import LONG_TAG, tamed
from crankcall.ingest.pages import decode_html, extract_page

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _extract(name: str, **kwargs):  # type: ignore[no-untyped-def]
    return extract_page((PAGES / name).read_bytes(), now=NOW, **kwargs)


@pytest.mark.parametrize(
    ("name", "encoding", "language", "title", "fragment"),
    [
        (
            "en_utf8.html",
            "utf-8",
            "en",
            "Russia and North Korea sign a mutual defence treaty",
            "without delay",
        ),
        ("zh_gb18030.html", "gb18030", "zh", "中俄两国总理举行第二十九次定期会晤", "米舒斯京"),
        ("zh_big5.html", "big5", "zh", "台北觀察：北京與平壤關係降溫", "北韓與俄羅斯"),
        ("ru_cp1251.html", "cp1251", "ru", "Шойгу прибыл в Пхеньян с визитом", "Ким Чен Ыном"),
        (
            "ru_koi8r.html",
            "koi8-r",
            "ru",
            "Торговля России и Китая снизилась в августе",
            "взаимозачета",
        ),
        (
            "fa_cp1256.html",
            "cp1256",
            "fa",
            "ديدار شويگو با رئيس\u200cجمهور ايران در تهران",
            "شورای".replace("ی", "ي"),
        ),
        ("ko_euckr.html", "euc_kr", "ko", "러시아 안보회의 서기 평양 도착", "조선중앙통신"),
        ("lying_latin1.html", "cp1251", "ru", "Россия и Иран обсудили поставки пшеницы", "пшеницы"),
    ],
)
def test_pages_in_every_encoding_come_out_as_written(
    name: str, encoding: str, language: str, title: str, fragment: str
) -> None:
    page = _extract(name)
    assert page.encoding == encoding
    assert page.language == language
    assert page.title == title
    assert fragment in page.text
    assert page.flags == ()
    assert "Home | World" not in page.text and "All rights reserved" not in page.text


def test_persian_keeps_its_zero_width_non_joiners() -> None:
    page = _extract("fa_cp1256.html")
    assert "\u200c" in page.title and "\u200c" in page.text


def test_scripts_styles_and_event_handlers_never_reach_the_text() -> None:
    page = _extract("hostile.html")
    assert "A further round is planned" in page.text
    for bad in ("script", "cookie", "onmouseover", "onerror", "evil.example", "color:red", "<"):
        assert bad not in page.text


def test_a_tag_with_a_flood_of_attributes_loses_them_and_keeps_its_text() -> None:
    # The extraction library reads a tag's attributes in time growing with the square of their
    # number (a minute and a half for 100,000 in one tag): a tag longer than LONG_TAG characters
    # is cut to its name before extraction. Its text, and the tags around it, stay.
    flood = " ".join(f'a{i}="x>y"' for i in range(LONG_TAG // 8))
    html = (
        "<html><head><title>Russia and Iran sign a grain deal</title></head><body><article>"
        f"<p {flood}>Russia and Iran signed a deal on wheat deliveries in Moscow on Monday, "
        'officials said.</p><p class="lead">The deal runs for three years.</p></article>'
        "</body></html>"
    )
    cut = tamed(html)
    assert "a0=" not in cut and "x>y" not in cut
    assert "<p>Russia and Iran signed" in cut and '<p class="lead">The deal' in cut
    page = extract_page(html.encode(), now=NOW)
    assert page.title == "Russia and Iran sign a grain deal"
    assert "wheat deliveries" in page.text and "three years" in page.text
    assert "a0" not in page.text and "x>y" not in page.text


def test_pages_without_a_long_tag_reach_the_extractor_as_they_are() -> None:
    for name in ("en_utf8.html", "hostile.html", "paywall.html"):
        html = (PAGES / name).read_text("utf-8", errors="replace")
        assert tamed(html) is html


def test_paywall_and_script_rendered_pages_are_flagged() -> None:
    summary = (
        "Chinese banks have been turning away payments from Russian importers for months, and "
        "traders describe netting schemes, intermediaries in third countries and weeks of delays "
        "as they try to keep goods moving across the border despite the threat of sanctions."
    )
    assert _extract("paywall.html", feed_summary=summary).flags == ("short_text",)
    rendered = _extract("script_rendered.html")
    assert rendered.flags == ("no_text",) and rendered.text == ""


def test_date_from_page_then_feed_then_url() -> None:
    assert _extract("en_utf8.html").published == datetime(2024, 6, 19, 9, 30, tzinfo=UTC)
    assert _extract("en_utf8.html").date_source == "page"
    feed_time = datetime(2024, 8, 1, 12, tzinfo=UTC)
    from_feed = _extract("ko_euckr.html", feed_published=feed_time)
    assert (from_feed.published, from_feed.date_source) == (feed_time, "feed")
    from_url = _extract("ko_euckr.html", url="https://news.example.kr/2024/09/13/visit.html")
    assert (from_url.published, from_url.date_source) == (datetime(2024, 9, 13, tzinfo=UTC), "url")
    neither = _extract("ko_euckr.html", url="https://news.example.kr/2024/13/45/odd.html")
    assert (neither.published, neither.date_source) == (None, None)


def test_declared_utf8_that_is_not_falls_back_to_detection() -> None:
    body = (PAGES / "ru_cp1251.html").read_bytes()
    text, encoding = decode_html(body, "utf-8")
    assert encoding == "cp1251" and "Шойгу" in text


SCRIPTS = {
    "cp1251": st.text(
        alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГД ,.", min_size=40, max_size=200
    ),
    "koi8_r": st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыьэюя ,.", min_size=40, max_size=200),
    "gb18030": st.text(
        alphabet="中俄关系合作会晤总理莫斯科北京经济贸易能源，。", min_size=20, max_size=200
    ),
    "big5": st.text(alphabet="北京平壤關係降溫經濟往來，。", min_size=20, max_size=200),
    "euc_kr": st.text(alphabet="러시아평양도착회담조약협력 ,.", min_size=20, max_size=200),
    "cp1256": st.text(alphabet="دبيرشورايامنتروسهپچژگک ,.", min_size=40, max_size=200),
}


@given(st.sampled_from(sorted(SCRIPTS)), st.data())
def test_declared_encodings_round_trip(encoding: str, data: st.DataObject) -> None:
    text = data.draw(SCRIPTS[encoding])
    html = f'<html><head><meta charset="{encoding.replace("_", "-")}"></head><body><p>{text}</p></body></html>'
    decoded, _ = decode_html(html.encode(encoding))
    assert text in decoded


@given(st.binary(max_size=3000), st.sampled_from([None, "utf-8", "latin-1", "nonsense", "gbk"]))
def test_any_bytes_decode_without_raising(body: bytes, declared: str | None) -> None:
    text, encoding = decode_html(body, declared)
    assert isinstance(text, str) and encoding


def test_extract_command_follows_contract_7(tmp_path: Path) -> None:
    files = [PAGES / "en_utf8_copy.html.gz", PAGES / "zh_big5.html", tmp_path / "missing.html"]
    result = CliRunner().invoke(cli, ["extract", *map(str, files), "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in rows] == [str(f) for f in files]
    assert list(rows[0]) == [
        "file",
        "title",
        "text",
        "published",
        "date_source",
        "authors",
        "language",
        "encoding",
        "flags",
    ]
    assert (
        rows[0]["authors"] == ["Jane Roe"] and rows[0]["published"] == "2024-06-19T09:30:00+00:00"
    )
    assert rows[1]["language"] == "zh" and rows[1]["encoding"] == "big5"
    assert rows[2] == {"file": str(files[2]), "error": "no such file"}


def test_extract_of_an_empty_page_prints_its_flag_not_the_librarys_log(tmp_path: Path) -> None:
    """An empty page is flagged "no_text"; the extraction library's own ERROR lines about it
    ("lxml parsing failed: Document is empty") used to reach the terminal as well."""
    page = tmp_path / "empty.html"
    page.write_bytes(b"")
    executable = Path(sys.executable).with_name("crankcall")
    result = subprocess.run(
        [str(executable), "extract", str(page), "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["flags"] == ["no_text"]
    assert "trafilatura" not in result.stderr and "ERROR" not in result.stderr
