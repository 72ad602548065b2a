"""The issue as templates see it: contract-4 JSON checked once and turned into typed records.

Templates should not have to guard every field, and the renderers should not trust what reaches
them: an issue may have been edited by hand. `read_issue` checks the shape, cleans every string to
one tidy line (no control characters, no stray newlines that would break Markdown or text layout)
and keeps only http(s) URLs as link targets. A malformed issue is a `RenderError` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crankcall.errors import CrankcallError
from crankcall.ingest.normalise import clean_line

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_EMAIL = re.compile(r"^[^@\s<>\"'()\[\]\\,;:]+@[^@\s<>\"'()\[\]\\,;:]+\.[A-Za-z]{2,}$")
_URL_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")


class RenderError(CrankcallError):
    """An issue cannot be rendered: unknown format, malformed issue, or a broken template."""


def safe_url(url: str) -> str:
    """`url` when it is an absolute http(s) address a reader can safely click, else ''.

    Anything else (javascript:, data:, relative paths, addresses with spaces or quotes) is dropped
    so that no template can turn it into a link.
    """
    if not url or _URL_BAD_CHARS.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return ""
    return url


@dataclass(frozen=True, kw_only=True, slots=True)
class Sentence:
    """One sentence of a highlight and the ids of the articles it rests on."""

    text: str
    articles: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Paragraph:
    """A paragraph of a highlight."""

    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        """The sentences joined by a space, as printed in text and Markdown."""
        return " ".join(s.text for s in self.sentences if s.text)


@dataclass(frozen=True, kw_only=True, slots=True)
class Highlight:
    """A story of the Highlights section."""

    headline: str
    paragraphs: tuple[Paragraph, ...]
    story: str
    articles: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Link:
    """A one-line development of the Links section."""

    text: str
    outlets: tuple[str, ...]
    articles: tuple[str, ...]

    @property
    def outlet_list(self) -> str:
        """The outlets as printed in parentheses: `Outlet A, Outlet B`."""
        return ", ".join(self.outlets)


@dataclass(frozen=True, kw_only=True, slots=True)
class Piece:
    """An entry of Recent Analysis or CRANK Perspectives."""

    title: str
    authors: tuple[str, ...]
    venue: str
    url: str
    articles: tuple[str, ...]

    @property
    def href(self) -> str:
        """The URL when it is safe to link (http or https), else ''."""
        return safe_url(self.url)

    @property
    def credit(self) -> str:
        """What goes in the parentheses: `Authors, Venue`, either part left out when empty."""
        return ", ".join(part for part in (_names(self.authors), self.venue) if part)


@dataclass(frozen=True, kw_only=True, slots=True)
class Masthead:
    """Who makes the newsletter; any field may be empty and is then left out."""

    name: str
    editor_in_chief: str
    editor: str
    contact: str
    image_credit: str

    @property
    def contact_href(self) -> str:
        """A `mailto:` or http(s) link for the contact address, or '' when it is neither."""
        if _EMAIL.match(self.contact):
            return f"mailto:{self.contact}"
        return safe_url(self.contact)

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to print."""
        return not any(
            (self.name, self.editor_in_chief, self.editor, self.contact, self.image_credit)
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class IssueView:
    """A checked issue, ready for the templates; `source` is the object as given (for JSON)."""

    title: str
    month: str
    month_label: str
    since: str
    until: str
    intro: str
    status: str
    highlights: tuple[Highlight, ...]
    links: tuple[Link, ...]
    analysis: tuple[Piece, ...]
    perspectives: tuple[Piece, ...]
    masthead: Masthead
    source: Mapping[str, Any]


def read_issue(issue: Mapping[str, Any]) -> IssueView:
    """Check a contract-4 issue object and turn it into an `IssueView`."""
    if not isinstance(issue, Mapping):
        raise RenderError(f"an issue must be a JSON object, got {_json_type(issue)}")
    month = _text(issue, "month", "issue")
    window = _mapping(issue.get("window"), "window")
    return IssueView(
        title=_text(issue, "title", "issue"),
        month=month,
        month_label=month_label(month),
        since=_text(window, "since", "window"),
        until=_text(window, "until", "window"),
        intro=_text(issue, "intro", "issue"),
        status=_text(issue, "status", "issue"),
        highlights=tuple(
            _highlight(obj, f"highlights[{i}]") for i, obj in _items(issue, "highlights")
        ),
        links=tuple(_link(obj, f"links[{i}]") for i, obj in _items(issue, "links")),
        analysis=tuple(_piece(obj, f"analysis[{i}]") for i, obj in _items(issue, "analysis")),
        perspectives=tuple(
            _piece(obj, f"perspectives[{i}]") for i, obj in _items(issue, "perspectives")
        ),
        masthead=_masthead(_mapping(issue.get("masthead"), "masthead")),
        source=issue,
    )


def month_label(month: str) -> str:
    """`2024-08` as printed in headings: `August 2024`."""
    match = _MONTH.match(month)
    if not match or not 1 <= int(match[2]) <= 12:
        raise RenderError(f"issue field 'month' must be YYYY-MM, got {month!r}")
    return f"{MONTH_NAMES[int(match[2]) - 1]} {match[1]}"


def _highlight(obj: Mapping[str, Any], where: str) -> Highlight:
    paragraphs = []
    for i, paragraph in _items(obj, "paragraphs", where):
        here = f"{where}.paragraphs[{i}]"
        sentences = tuple(
            Sentence(
                text=_text(sentence, "text", f"{here}.sentences[{j}]"),
                articles=_ids(sentence, f"{here}.sentences[{j}]"),
            )
            for j, sentence in _items(paragraph, "sentences", here)
        )
        paragraphs.append(Paragraph(sentences=sentences))
    return Highlight(
        headline=_text(obj, "headline", where),
        paragraphs=tuple(paragraphs),
        story=_text(obj, "story", where),
        articles=_ids(obj, where),
    )


def _link(obj: Mapping[str, Any], where: str) -> Link:
    return Link(
        text=_text(obj, "text", where),
        outlets=_texts(obj, "outlets", where),
        articles=_ids(obj, where),
    )


def _piece(obj: Mapping[str, Any], where: str) -> Piece:
    return Piece(
        title=_text(obj, "title", where),
        authors=_texts(obj, "authors", where),
        venue=_text(obj, "venue", where),
        url=_text(obj, "url", where),
        articles=_ids(obj, where),
    )


def _masthead(obj: Mapping[str, Any]) -> Masthead:
    return Masthead(
        name=_text(obj, "name", "masthead"),
        editor_in_chief=_text(obj, "editor_in_chief", "masthead"),
        editor=_text(obj, "editor", "masthead"),
        contact=_text(obj, "contact", "masthead"),
        image_credit=_text(obj, "image_credit", "masthead"),
    )


def _names(names: Sequence[str]) -> str:
    """`A`, `A and B`, `A, B and C`: authors as a reader expects them."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RenderError(f"issue field '{where}' must be an object, got {_json_type(value)}")
    return value


def _items(
    obj: Mapping[str, Any], key: str, where: str = ""
) -> list[tuple[int, Mapping[str, Any]]]:
    name = f"{where}.{key}" if where else key
    value = obj.get(key)
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise RenderError(f"issue field '{name}' must be a list, got {_json_type(value)}")
    return [(i, _mapping(item, f"{name}[{i}]")) for i, item in enumerate(value)]


def _text(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RenderError(f"issue field '{where}.{key}' must be text, got {_json_type(value)}")
    return clean_line(value)


def _texts(obj: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise RenderError(f"issue field '{where}.{key}' must be a list of text")
    return tuple(cleaned for v in value if (cleaned := clean_line(v)))


def _ids(obj: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = obj.get("articles")
    if value is None:
        return ()
    ok = isinstance(value, Sequence) and not isinstance(value, str)
    if not ok or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
        raise RenderError(f"issue field '{where}.articles' must be a list of article ids")
    return tuple(clean_line(str(v)) for v in value)


def _json_type(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__
