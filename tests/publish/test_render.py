"""Every output form of an issue: the FORMAT.md shapes, hostile strings made inert, overrides."""

from __future__ import annotations

import copy
import json
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import webserver
from crankcall.errors import CrankcallError
from crankcall.ingest.normalise import clean_line
from crankcall.publish import FORMATS, RenderError, render, renderers
from crankcall.publish.filters import TEXT_WIDTH, display_width

STANDING_LINE = (
    "CRANK Call is a monthly review of developments involving cooperation, and at times "
    "contention, among China, Russia, Iran, and North Korea (the CRANKs)."
)
FIRST_LINK = (
    "—Vladimir Putin received Li Qiang at the Kremlin on 21 August and asked him to pass his "
    "greetings to Xi Jinping, according to the Kremlin's account of the meeting. (TASS, Xinhua)"
)
NAMES = ("李强", "Мишустин", "김정은", "پزشکیان")


class Document(HTMLParser):
    """What a browser-like parser sees in an HTML output: elements, attributes and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def shape(self) -> list[tuple[str, tuple[str, ...]]]:
        """Element names with their attribute names, in document order."""
        return [(tag, tuple(sorted(attrs))) for tag, attrs in self.elements]


def _text(issue: dict[str, Any], fmt: str, **options: Any) -> str:
    return render(issue, fmt, **options).decode("utf-8")


def _markdown_html(markdown: str) -> str:
    """Markdown as a CommonMark renderer (with raw HTML allowed) turns it into HTML."""
    return MarkdownIt("commonmark").enable(["strikethrough", "table"]).render(markdown)


def _blocks(text: str) -> list[str]:
    """Plain-text paragraphs with their wrapped lines joined again."""
    return [" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]


def assert_inert(html: str) -> Document:
    """No element or attribute in `html` can run script or load a page when the email is read."""
    document = Document(html)
    tags = {tag for tag, _ in document.elements}
    assert not tags & {"script", "img", "svg", "iframe", "style", "object", "embed", "b"}
    for tag, attrs in document.elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("https://", "http://", "mailto:")), href
    return document


# Every format, and the registry behind them


def test_formats_are_the_registered_renderers() -> None:
    assert set(FORMATS) == set(renderers.names()) == {"md", "html", "txt", "pdf", "json"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_the_issue(issue: dict[str, Any], fmt: str) -> None:
    output = render(issue, fmt)
    assert output
    if fmt == "pdf":
        assert output.startswith(b"%PDF-")
    else:
        assert "Li Qiang" in output.decode("utf-8")


def test_unknown_format_is_a_render_error_naming_it(issue: dict[str, Any]) -> None:
    with pytest.raises(RenderError, match=r"unknown output format 'docx'") as caught:
        render(issue, "docx")
    assert isinstance(caught.value, CrankcallError)
    assert "\n" not in str(caught.value)


def test_malformed_issue_is_a_render_error_naming_the_field(issue: dict[str, Any]) -> None:
    issue["month"] = "August 2024"
    with pytest.raises(RenderError, match=r"'month' must be YYYY-MM"):
        render(issue, "md")
    issue["month"] = "2024-08"
    issue["links"][2]["outlets"] = "Reuters, TASS"
    assert "(Reuters, TASS)" in _text(issue, "md")
    issue["links"][2]["outlets"] = [1, 2]
    with pytest.raises(RenderError, match=r"'links\[2\]\.outlets' must be a list of text"):
        render(issue, "md")


# The shapes of FORMAT.md


def test_markdown_has_the_format_md_shapes(issue: dict[str, Any]) -> None:
    lines = _text(issue, "md").splitlines()
    assert lines[0] == "# CRANK Call | August 2024"
    assert STANDING_LINE in lines
    assert "## August 2024 Highlights" in lines
    assert "### Chinese premier Li Qiang holds annual talks with Russian government in Moscow" in (
        lines
    )
    assert FIRST_LINK in lines
    assert sum(line.startswith("—") for line in lines) == 8
    assert lines.index("## Links") < lines.index("## Recent Analysis")
    assert lines.index("## Recent Analysis") < lines.index("## CRANK Perspectives")
    assert (
        "[What Li Qiang's Moscow visit says about the limits of Chinese finance for Russia]"
        "(https://example.org/analysis/li-qiang-moscow) (Anna Petrova and 김민준, Harbour Institute)"
    ) in lines
    assert (
        "[Beijing's quiet distance from Pyongyang](https://example.org/analysis/beijing-pyongyang)"
        " (Korea Peninsula Monitor)"
    ) in lines


def test_markdown_sentences_join_into_paragraphs(issue: dict[str, Any]) -> None:
    paragraph = issue["highlights"][0]["paragraphs"][0]
    expected = " ".join(s["text"] for s in paragraph["sentences"])
    assert expected in _text(issue, "md").splitlines()


def test_masthead_prints_only_fields_that_are_set(issue: dict[str, Any]) -> None:
    markdown = _text(issue, "md")
    assert "Editor-in-chief: Morgan Ellis\\\nEditor: Sam Okafor\\\n" in markdown
    assert "Image credit" not in markdown
    issue["masthead"] = dict.fromkeys(issue["masthead"], "")
    for fmt in ("md", "txt", "html"):
        assert "Editor" not in _text(issue, fmt)


def test_text_has_the_format_md_shapes(issue: dict[str, Any]) -> None:
    text = _text(issue, "txt")
    assert text.startswith("========================\nCRANK Call | August 2024\n====")
    assert "August 2024 Highlights\n======================\n" in text
    blocks = _blocks(text)
    assert STANDING_LINE in blocks
    assert FIRST_LINK in blocks
    assert (
        "Beijing's quiet distance from Pyongyang (Korea Peninsula Monitor) "
        "https://example.org/analysis/beijing-pyongyang"
    ) in blocks
    assert "CRANK Perspectives\n==================\n" in text


def test_text_is_wrapped_and_headings_underlined_to_their_width(issue: dict[str, Any]) -> None:
    issue["highlights"][1]["headline"] = "金正恩与普京交换贺电"
    lines = _text(issue, "txt").splitlines()
    assert max(display_width(line) for line in lines) <= TEXT_WIDTH
    heading = lines.index("金正恩与普京交换贺电")
    assert lines[heading + 1] == "-" * 20


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_empty_sections_are_left_out(issue: dict[str, Any], fmt: str) -> None:
    issue["links"] = []
    issue["perspectives"] = []
    del issue["analysis"]
    output = _text(issue, fmt)
    assert "Highlights" in output
    for heading in ("Links", "Recent Analysis", "CRANK Perspectives"):
        assert heading not in output


def test_json_round_trips_in_utf8(issue: dict[str, Any]) -> None:
    output = render(issue, "json")
    assert json.loads(output) == issue
    assert "李强".encode() in output
    assert list(json.loads(output)) == list(issue)


# HTML email


def test_html_email_is_one_inline_styled_table_document(issue: dict[str, Any]) -> None:
    html = _text(issue, "html")
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    document = assert_inert(html)
    tables = [attrs for tag, attrs in document.elements if tag == "table"]
    assert any(attrs.get("width") == "640" for attrs in tables)
    assert not [tag for tag, attrs in document.elements if "class" in attrs]
    assert not [tag for tag, _ in document.elements if tag == "link"]
    for tag, attrs in document.elements:
        if tag in {"p", "h1", "h2", "h3"}:
            assert "font-family" in (attrs.get("style") or ""), tag
    assert "CRANK Call | August 2024 " + STANDING_LINE in document.text
    assert FIRST_LINK in document.text


def test_html_keeps_each_sentences_article_ids(issue: dict[str, Any]) -> None:
    document = Document(_text(issue, "html"))
    cited = [attrs["data-articles"] for tag, attrs in document.elements if "data-articles" in attrs]
    assert cited[:3] == ["a101 a102", "a101 a103", "a102"]


def test_hostile_strings_are_inert_text_in_html(hostile_issue: dict[str, Any]) -> None:
    document = assert_inert(_text(hostile_issue, "html"))
    assert f"{'<script>alert(1)</script>'} Li Qiang in Moscow" in document.text
    assert "<img src=x onerror=alert(1)>" in document.text
    hrefs = [attrs["href"] for tag, attrs in document.elements if tag == "a"]
    assert hrefs == [
        "https://example.org/analysis/moscow-tehran",
        "https://example.org/perspectives/tehran-moscow",
    ]


def test_hostile_strings_are_inert_text_in_markdown(hostile_issue: dict[str, Any]) -> None:
    markdown = _text(hostile_issue, "md")
    html = _markdown_html(markdown)
    document = assert_inert(html)
    tags = [tag for tag, _ in document.elements]
    assert "em" not in tags and "code" not in tags and "s" not in tags
    assert tags.count("strong") == 1  # the newsletter's name in the masthead
    assert "*x* [y](javascript:alert(1))" in document.text
    assert "![img](https://example.org/track.png) `code` _em_ ~~del~~" in document.text
    assert "<script>alert(1)</script> Li Qiang in Moscow" in document.text


def test_only_http_urls_become_markdown_links(hostile_issue: dict[str, Any]) -> None:
    hostile_issue["analysis"][3]["url"] = "https://example.org/a (b) <c>"
    markdown = _text(hostile_issue, "md")
    links = re.findall(r"(?<!\\)\]\(([^)]*)\)", markdown)
    assert links == ["https://example.org/perspectives/tehran-moscow"]
    hostile_issue["analysis"][3]["url"] = "https://example.org/a_(b)"
    document = Document(_markdown_html(_text(hostile_issue, "md")))
    hrefs = [attrs["href"] for tag, attrs in document.elements if tag == "a"]
    assert hrefs[0] == "https://example.org/a_%28b%29"


@pytest.mark.parametrize(
    "start", ["# ", "- ", "+ ", "> ", "1. ", "2024) ", "---", "===", "    ", "<div>", "[x]: /u"]
)
def test_markdown_block_markers_at_the_start_stay_text(issue: dict[str, Any], start: str) -> None:
    sentence = f"{start}Moscow and Beijing agreed."
    issue["highlights"][0]["paragraphs"][0]["sentences"] = [{"text": sentence, "articles": []}]
    html = _markdown_html(_text(issue, "md"))
    assert f"<p>{_escape(clean_line(sentence))}</p>" in html


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Property tests: whatever an article says, it stays text

TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
URL = "https://example.org/analysis/li-qiang-moscow"


def _small_issue(headline: str, sentence: str, outlet: str, title: str) -> dict[str, Any]:
    return {
        "title": "CRANK Call | August 2024",
        "month": "2024-08",
        "window": {"since": "2024-08-01", "until": "2024-08-31"},
        "intro": STANDING_LINE,
        "highlights": [
            {
                "headline": headline,
                "paragraphs": [{"sentences": [{"text": sentence, "articles": ["a1"]}]}],
                "story": "s1",
                "articles": ["a1"],
            }
        ],
        "links": [{"text": sentence, "outlets": [outlet, "TASS"], "articles": ["a1"]}],
        "analysis": [
            {"title": title, "authors": [outlet], "venue": outlet, "url": URL, "articles": []}
        ],
        "perspectives": [],
        "masthead": {"name": "CRANK Call", "editor": outlet, "contact": "e@example.org"},
    }


@given(headline=TEXT, sentence=TEXT, outlet=TEXT, title=TEXT)
def test_html_structure_never_depends_on_article_text(
    headline: str, sentence: str, outlet: str, title: str
) -> None:
    values = [clean_line(v) for v in (headline, sentence, outlet, title)]
    assume(all(values))
    drawn = Document(_text(_small_issue(headline, sentence, outlet, title), "html"))
    plain = Document(_text(_small_issue("h", "s", "o", "t"), "html"))
    assert drawn.shape() == plain.shape()
    for value in values:
        assert " ".join(value.split()) in drawn.text


@given(sentence=TEXT, title=TEXT)
def test_markdown_shows_article_text_literally(sentence: str, title: str) -> None:
    values = [clean_line(v) for v in (sentence, title)]
    assume(all(values))
    markdown = _text(_small_issue("Headline", sentence, "Outlet", title), "md")
    drawn = Document(_markdown_html(markdown))
    plain = Document(_markdown_html(_text(_small_issue("Headline", "s", "Outlet", "t"), "md")))
    assert drawn.shape() == plain.shape()
    for value in values:
        assert " ".join(value.split()) in drawn.text


# Editors' templates


def test_override_folder_replaces_templates_file_by_file(
    issue: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "issue.txt.j2").write_text(
        "Our own: {{ issue.title }} ({{ issue.links | length }} links)\n", encoding="utf-8"
    )
    assert _text(issue, "txt", templates_dir=tmp_path) == (
        "Our own: CRANK Call | August 2024 (8 links)\n"
    )
    assert _text(issue, "md", templates_dir=tmp_path).startswith("# CRANK Call | August 2024\n")
    assert _text(issue, "txt", templates_dir=str(tmp_path)).startswith("Our own")


def test_override_html_template_is_still_autoescaped(
    hostile_issue: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "issue.html.j2").write_text(
        "<p>{{ issue.highlights[0].headline }}</p>", encoding="utf-8"
    )
    html = _text(hostile_issue, "html", templates_dir=tmp_path)
    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; Li Qiang in Moscow</p>"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{% for link in issue.links %}{{ link.text }}", r"line 1: Unexpected end of template"),
        ("{{ issue.no_such_field }}", r"no attribute 'no_such_field'"),
        ("{{ issue.__class__.__mro__ }}", r"__class__"),
        ("{{ issue.source.clear() }}", r"unsafe"),
        ("{{ 1 / 0 }}", r"division by zero"),
    ],
)
def test_broken_override_template_is_a_render_error_naming_the_file(
    issue: dict[str, Any], tmp_path: Path, source: str, reason: str
) -> None:
    (tmp_path / "issue.md.j2").write_text(source, encoding="utf-8")
    before = copy.deepcopy(issue)
    with pytest.raises(RenderError, match=reason) as caught:
        render(issue, "md", templates_dir=tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "issue.md.j2") in message
    assert "\n" not in message
    assert issue == before


def test_missing_templates_folder_is_a_render_error_naming_it(
    issue: dict[str, Any], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(RenderError, match=re.escape(str(missing))):
        render(issue, "html", templates_dir=missing)


# PDF


def _pdf_streams(pdf: bytes) -> list[bytes]:
    """The decompressed streams of a PDF (WeasyPrint compresses objects and fonts alike)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            streams.append(zlib.decompressobj().decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return streams


def _pdf_characters(streams: list[bytes]) -> set[str]:
    """Every character the PDF's embedded fonts map glyphs back to (their ToUnicode CMaps)."""
    characters: set[str] = set()
    for stream in streams:
        if b"begincmap" not in stream:
            continue
        for block in re.findall(rb"beginbf(?:char|range)(.*?)endbf(?:char|range)", stream, re.S):
            for line in block.splitlines():
                codes = re.findall(rb"<([0-9a-fA-F]+)>", line)
                if len(codes) == 2:  # bfchar: glyph, then UTF-16 text (a ligature has several)
                    characters.update(bytes.fromhex(codes[1].decode()).decode("utf-16-be"))
                elif len(codes) == 3:  # bfrange: first glyph, last glyph, first character
                    first, last, start = (int(c, 16) for c in codes)
                    characters.update(chr(start + k) for k in range(last - first + 1))
    return characters


def test_pdf_embeds_fonts_for_chinese_russian_korean_and_persian_names(
    issue: dict[str, Any],
) -> None:
    streams = _pdf_streams(render(issue, "pdf"))
    fonts = {m.split(b"+")[-1] for s in streams for m in re.findall(rb"/BaseFont\s*/(\S+)", s)}
    assert any(b"CJK" in font for font in fonts), fonts
    assert any(b"Naskh-Arabic" in font or b"NaskhArabic" in font for font in fonts), fonts
    characters = _pdf_characters(streams)
    for name in NAMES:
        assert set(name) <= characters, name


def test_pdf_fetches_nothing_a_template_points_at(
    issue: dict[str, Any], tmp_path: Path, web_server: webserver.FixtureServer
) -> None:
    asked: list[str] = []

    def route(handler: webserver.Handler) -> tuple[int, dict[str, str], bytes]:
        asked.append(handler.path)
        return 200, {"Content-Type": "text/css"}, b"p { color: red }"

    web_server.routes["/publish-pdf.css"] = route
    web_server.routes["/publish-pdf.png"] = route
    (tmp_path / "issue.pdf.html.j2").write_text(
        f'<link rel="stylesheet" href="{web_server.base}/publish-pdf.css">'
        f'<img src="{web_server.base}/publish-pdf.png"><img src="file:///etc/hostname">'
        "<p>{{ issue.title }}</p>",
        encoding="utf-8",
    )
    assert render(issue, "pdf", templates_dir=tmp_path).startswith(b"%PDF-")
    assert asked == []
