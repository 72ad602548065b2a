"""Markup made safe to hand to the parsing libraries: what they read in time growing with the
square of its size is cut first."""

from __future__ import annotations

import re
from typing import AnyStr

LONG_TAG = 8000
"""Characters in one tag past which its attributes go (`tamed`)."""

_LONG = rf"<[A-Za-z][^<]{{{LONG_TAG}}}"
"""What a long tag starts with, looked for first: a tag's name and `LONG_TAG` characters with no
"<" (a long paragraph without inline tags matches too, and is then only looked at again)."""
_TAG = r"""<([A-Za-z][\w:.-]*)((?:[^<>"']|"[^"<]*"|'[^'<]*')*)(/?)>"""
"""A start tag: its name, its attributes (quoted values may hold ">", none holds "<", so a stray
quote never carries a match past the next tag) and a closing slash."""
_PATTERNS: dict[type, tuple[re.Pattern, re.Pattern]] = {  # type: ignore[type-arg]
    str: (re.compile(_LONG), re.compile(_TAG)),
    bytes: (re.compile(_LONG.encode()), re.compile(_TAG.encode())),
}


def tamed(markup: AnyStr) -> AnyStr:
    """`markup` (HTML or XML, text or bytes in an ASCII-compatible encoding) with the attributes
    of every tag longer than `LONG_TAG` characters dropped: `<p a0="x" ... a99999="x">` becomes
    `<p>`. The extraction library reads a page's tag attributes, and Python's XML reader under
    the feed parser an element's, in time growing with the square of their number: one
    paragraph tag holding 100,000 attributes (a megabyte) took page extraction a minute and a
    half, and a feed item with 50,000 the feed parser 25 s. No real page's or feed's tags come
    near the limit; the text between tags is kept whole. Markup without a long tag is returned
    as it is."""
    long, tag = _PATTERNS[type(markup)]
    if long.search(markup) is None:
        return markup

    def shorten(found: re.Match[AnyStr]) -> AnyStr:
        if len(found[2]) < LONG_TAG:
            return found[0]
        return found[0][:0].join((found[0][:1], found[1], found[3], found[0][-1:]))

    return tag.sub(shorten, markup)
