"""Template filters for the plain formats: Markdown escaping and text wrapping.

HTML gets Jinja2's autoescape. Markdown has no such thing, so every article-derived string goes
through `md`, which backslash-escapes the characters that could start a link, an emphasis, inline
HTML, code or a block (heading, list, quote) — a hostile title then prints as the text it is.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

TEXT_WIDTH = 78

# Characters that can open inline Markdown anywhere in a line (links, images, emphasis, code,
# HTML, strikethrough, headings' closing hashes), the escape itself, and `&` where it would start
# an entity such as `&lt;`.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#~]|&(?=#?\w+;))")
# Block markers that matter only at the start of a line: lists, quotes, setext lines, numbering.
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d{1,9}(?=[.)]))")
# Characters that would end or confuse a Markdown link destination.
_MD_URL_UNSAFE = " ()<>\"'`\\[]"
# A word cut into runs of narrow characters and single wide ones (CJK ideographs, kana, fullwidth
# forms), the points where a line of Chinese may break. Hangul is left whole: Korean uses spaces.
_WIDE = r"\u2e80-\u303f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_WIDE_SPLIT = re.compile(rf"[{_WIDE}]|[^{_WIDE}]+")


def md(text: str) -> str:
    """`text` escaped so that Markdown shows it literally."""
    escaped = _MD_INLINE.sub(r"\\\1", text)
    match = _MD_LINE_START.match(escaped)
    if match is None:
        return escaped
    start, marker = match.group(1), match.group(2)
    if marker.isdigit():
        # "2024. A year..." must not become an ordered list: escape the dot or parenthesis.
        end = match.end()
        return f"{escaped[:end]}\\{escaped[end:]}"
    return f"{start}\\{escaped[len(start) :]}"


def md_url(url: str) -> str:
    """A (already vetted) URL percent-encoded where Markdown would misread it."""
    return "".join(quote(c, safe="") if c in _MD_URL_UNSAFE else c for c in url)


def wrap(text: str, first: str = "", rest: str = "") -> str:
    """`text` filled to `TEXT_WIDTH` columns as they look on screen, `first` before the first line
    and `rest` before the others. Words and URLs are never broken, so they stay clickable; Chinese
    and Japanese may break between characters, as they are written without spaces."""
    lines: list[str] = []
    line, width = first, display_width(first)
    empty = True
    for unit, spaced in _units(text):
        size = display_width(unit) + (1 if spaced and not empty else 0)
        if not empty and width + size > TEXT_WIDTH:
            lines.append(line)
            line, width, empty = rest, display_width(rest), True
            size = display_width(unit)
        line += (" " if spaced and not empty else "") + unit
        width += size
        empty = False
    lines.append(line)
    return "\n".join(lines)


def _units(text: str) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether a space comes before it: words,
    and single wide characters (closing punctuation stays with the character before it)."""
    units: list[tuple[str, bool]] = []
    for word in text.split():
        spaced = True
        for piece in _WIDE_SPLIT.findall(word):
            if units and not spaced and unicodedata.category(piece[0]) in {"Po", "Pe", "Pf"}:
                units[-1] = (units[-1][0] + piece, units[-1][1])
                continue
            units.append((piece, spaced))
            spaced = False
    return units


def underline(text: str, char: str = "-", *, over: bool = False) -> str:
    """`text` over a line of `char` as wide as its longest line looks (Chinese and Korean count
    double), and under one too when `over` is set (for the title)."""
    rule = char * max((display_width(line) for line in text.splitlines()), default=0)
    return f"{rule}\n{text}\n{rule}" if over else f"{text}\n{rule}"


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide East Asian characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
