"""Web pages: the real encoding, then the article (trafilatura), its date and where it came from.

1. Decode: a byte-order mark, then the charset the server declared, then the page's own
   `<meta charset>`, then detection (charset-normalizer). A declared charset that cannot decode the
   bytes, or a Latin one that turns Cyrillic, Arabic or CJK text into accented gibberish, is
   treated as a lie and detection decides.
2. Extract title, main text, authors and the page's date with trafilatura. Scripts, styles and
   event handlers never reach the text: it is plain text.
3. The date comes from the page's metadata, else the feed, else the URL; `date_source` says which.
4. The language from the page's `lang` attribute, else from the script the text is written in.
5. Flags: `no_text` when nothing was extracted, `short_text` when the text is much shorter than the
   feed's summary (a paywall, or a page that builds itself with scripts). Flagged pages are never
   stored as if complete.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import trafilatura
from charset_normalizer import from_bytes

from crankcall.ingest.markup import tamed
from crankcall.ingest.normalise import clean_line, clean_text, parse_published

# The extraction library logs at ERROR what it cannot parse (an empty page, a tree lxml
# rejects). The extractor reports each such page itself, in its flags ("no_text") or its error
# field, so those lines were only noise on an editor's terminal.
for _library in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_library).setLevel(logging.CRITICAL)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(rb"""<html[^>]*\slang\s*=\s*["']?([a-zA-Z]{2,3})""", re.IGNORECASE)
_URL_DATE = re.compile(
    r"/(20\d\d|19\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/._-]|$)"
)
_LATIN_SINGLE_BYTE = {"iso8859-1", "cp1252", "iso8859-15", "ascii"}  # codecs.lookup() names
_MOJIBAKE = re.compile(r"[\u00c0-\u00ff]")
_SCRIPTS = (
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("fa", re.compile(r"[\u067e\u0686\u0698\u06af\u06cc\u06a9]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("uk", re.compile(r"[іїєґІЇЄҐ]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
SHORT_RATIO = 0.8
# The publication date (not the last update) with its time and offset where the page gives them.
# Metadata only: no guessing from the text or the URL (the URL is our own, later, fallback).
_DATE_PARAMS = {
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "original_date": True,
    "extensive_search": False,
}
_JOINERS = ("\u200c", "\u200d")
_STAND_INS = ("\u00a4", "\u00a6", "\u2042", "\u2051", "\u2e2e", "\u2e2c")


@dataclass(frozen=True, kw_only=True, slots=True)
class Extracted:
    """What a page yields (contract 7 without the file name)."""

    title: str
    text: str
    published: datetime | None
    date_source: str | None
    authors: tuple[str, ...]
    language: str | None
    encoding: str
    flags: tuple[str, ...] = field(default=())


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """The page as text and the encoding that decoded it."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff"), name
    candidates = [c for c in (declared, _meta_charset(body)) if c]
    for name in candidates:
        decoded = _try(body, name)
        if decoded is not None:
            return decoded
    guess = from_bytes(body[:200_000]).best()
    if guess is not None:
        name = _codec(guess.encoding) or "utf-8"
        return body.decode(name, errors="replace"), name
    return body.decode("utf-8", errors="replace"), "utf-8"


def _meta_charset(body: bytes) -> str | None:
    found = _META_CHARSET.search(body[:8192])
    return found.group(1).decode("ascii", "ignore") if found else None


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(body: bytes, name: str) -> tuple[str, str] | None:
    codec = _codec(name)
    if codec is None:
        return None
    if codec in ("gb2312", "gbk"):
        codec = "gb18030"  # its superset: pages labelled GB2312 often hold GBK characters
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if codec in _LATIN_SINGLE_BYTE and _looks_like_mojibake(text):
        return None
    return text, codec


def _looks_like_mojibake(text: str) -> bool:
    """Latin-1 accented letters where a wrongly decoded Cyrillic, Arabic or CJK page has text."""
    letters = sum(c.isalpha() for c in text[:20_000])
    accented = len(_MOJIBAKE.findall(text[:20_000]))
    return letters > 50 and accented > 0.3 * letters


def extract_page(
    body: bytes,
    *,
    url: str | None = None,
    declared_charset: str | None = None,
    feed_published: datetime | None = None,
    feed_summary: str = "",
    now: datetime,
) -> Extracted:
    """Extract an article from a page's bytes (see the module docstring for the steps)."""
    html, encoding = decode_html(body, declared_charset)  # 1.
    # trafilatura drops zero-width joiners, which Persian spelling needs ("رئیس‌جمهور"): they pass
    # through it as visible stand-ins that the page does not otherwise use.
    hide, show = _joiner_stand_ins(html)
    document = trafilatura.bare_extraction(  # 2.
        tamed(html).translate(hide),
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    if document is None:
        data: dict[str, object] = {}
    else:
        data = document if isinstance(document, dict) else document.as_dict()
    title = clean_line(str(data.get("title") or "").translate(show))
    text = _body_text(str(data.get("text") or "").translate(show), title)
    published, date_source = _date(data.get("date"), feed_published, url, now)  # 3.
    authors = tuple(
        a for a in (clean_line(x) for x in str(data.get("author") or "").split(";")) if a
    )
    language = _language(body, text or title)  # 4.
    flags: list[str] = []  # 5.
    if not text:
        flags.append("no_text")
    elif feed_summary and len(text) < SHORT_RATIO * len(clean_text(feed_summary)):
        flags.append("short_text")
    return Extracted(
        title=title,
        text=text,
        published=published,
        date_source=date_source,
        authors=authors,
        language=language,
        encoding=encoding,
        flags=tuple(flags),
    )


def _joiner_stand_ins(html: str) -> tuple[dict[int, int], dict[int, int]]:
    """Translation tables hiding the joiners behind characters absent from `html`, and back."""
    if not any(j in html for j in _JOINERS):
        return {}, {}
    free = [c for c in _STAND_INS if c not in html]
    hide = {ord(j): ord(c) for j, c in zip(_JOINERS, free, strict=False)}
    return hide, {v: k for k, v in hide.items()}


def _body_text(raw: str, title: str) -> str:
    text = clean_text(raw.replace("\n", "\n\n"))
    first, _, rest = text.partition("\n\n")
    if title and clean_line(first) == title:  # the headline repeated as the first line
        text = rest
    return text.strip()


def _date(
    page: object, feed: datetime | None, url: str | None, now: datetime
) -> tuple[datetime | None, str | None]:
    if isinstance(page, str) and page:
        try:
            found = parse_published(page, now=now)
        except ValueError:
            found = None
        if found is not None:
            return found, "page"
    if feed is not None:
        return feed, "feed"
    if url:
        match = _URL_DATE.search(url)
        if match:
            try:
                day = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
            except ValueError:
                return None, None
            if day <= now:
                return day, "url"
    return None, None


def _language(body: bytes, text: str) -> str | None:
    declared = _HTML_LANG.search(body[:8192])
    if declared:
        return declared.group(1).decode("ascii").lower()
    sample = text[:5000]
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) >= 20:
            return code
    letters = sum(c.isascii() and c.isalpha() for c in sample)
    return "en" if letters > 100 else None
