"""Normalisers for untrusted input: URLs, dates, text and content hashes.

Each function takes what an outside source handed us and returns a clean value or raises
`ValueError` with a reason worded for the user (the caller adds where it happened).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff]")
# The ASCII ones of `_CONTROL`, as bytes (UTF-8 uses bytes under 0x80 for ASCII alone), and the
# others.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_OTHERS = "\u200b\u2028\u2029\ufeff"
# Runs of spacing other than a lone plain space (matching every single space would be slow).
_SPACES = re.compile(r"[\t\u00a0\u3000][ \t\u00a0\u3000]*| [ \t\u00a0\u3000]+")
_BAD_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f\u200b\ufeff]")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Characters that never need percent-encoding in a path; everything else is re-encoded uniformly.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def canonical_url(url: str, *, tracking_params: Sequence[str] = ()) -> str:
    """The canonical form of an http(s) URL, used to recognise the same article twice.

    Lower-cases scheme and host, upgrades http to https, drops "www.", default ports,
    credentials, fragments and tracking parameters (`utm_*` and the like), normalises
    percent-encoding and dot segments, and sorts the remaining query parameters.
    """
    raw = url.strip()
    if not raw:
        raise ValueError("url is empty")
    if _BAD_URL_CHARS.search(raw):
        raise ValueError("url contains spaces or control characters")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"url scheme must be http or https, got {scheme or 'none'!r}")
    host = _canonical_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("url has an invalid port") from None
    # The canonical scheme is https, so either default port says nothing about the article.
    netloc = host if port in (None, *_DEFAULT_PORTS.values()) else f"{host}:{port}"
    path = _canonical_path(parts.path)
    query = _canonical_query(parts.query, tracking_params)
    return urlunsplit(("https", netloc, path, query, ""))


@lru_cache(maxsize=4096)
def _canonical_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        raise ValueError("url has no host")
    if ":" in host:  # an IPv6 literal
        return f"[{host}]"
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"url host {host!r} is not a valid domain name") from None
    if host.startswith("www."):
        host = host[4:]
    return host


def _canonical_path(path: str) -> str:
    decoded = unquote(path)
    if not decoded:
        return "/"
    normalised = posixpath.normpath(decoded)
    if decoded.endswith("/") and not normalised.endswith("/"):
        normalised += "/"
    if normalised.startswith("//"):
        normalised = "/" + normalised.lstrip("/")
    return quote(normalised, safe=_PATH_SAFE)


def _canonical_query(query: str, tracking_params: Sequence[str]) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    patterns = [p.lower() for p in tracking_params]
    kept = [
        (key, value)
        for key, value in pairs
        if not any(fnmatchcase(key.lower(), pattern) for pattern in patterns)
    ]
    kept.sort(key=lambda pair: pair[0])
    return urlencode(kept, quote_via=quote)


def host_of(url: str) -> str | None:
    """The lower-cased host of a URL without "www.", or None when there is none."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def parse_published(value: str | None, *, now: datetime) -> datetime | None:
    """A publication time in UTC from a date, an ISO 8601 datetime or an RFC 2822 date.

    A date alone means midnight UTC; a datetime without offset is taken as UTC. Impossible dates
    ("2024-02-30") and dates more than two days after `now` or before 1900 are refused.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    parsed = _parse_iso(text) or _parse_rfc2822(text)
    if parsed is None:
        raise ValueError(f"published {value[:40]!r} is not a date (use YYYY-MM-DD or ISO 8601)")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    if parsed.year < 1900:
        raise ValueError(f"published {text[:40]!r} is before 1900")
    if parsed > now + timedelta(days=2):
        raise ValueError(f"published {text[:40]!r} is in the future")
    return parsed


def _parse_iso(text: str) -> datetime | None:
    if _DATE_ONLY.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"published {text!r} is an impossible date") from None
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    candidate = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
            raise ValueError(f"published {text[:40]!r} is an impossible date or time") from None
        return None


def _parse_rfc2822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def clean_text(value: str) -> str:
    """Text as we store it: NFC, no control or zero-width characters, tidy spaces and paragraphs."""
    text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = without_controls(text)
    # `_SPACES` can only match where one of these stands; looking for them is much quicker.
    if "  " in text or "\t" in text or "\u00a0" in text or "\u3000" in text:
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A JSON escape of a UTF-16 surrogate: how a lone one gets into decoded text."""


def without_lone_surrogates(value: Any, raw: str | None = None) -> Any:
    """`value` as decoded from JSON, each lone UTF-16 surrogate in its strings (an escape such
    as "\\ud800" with no partner, which UTF-8 cannot hold: writing the text out would fail)
    replaced by U+FFFD; a pair of escapes was joined into one character by the decoder and
    stays. Given the JSON text `raw`, only JSON that escapes a surrogate is walked (a record
    line: most have none); without it, all of `value` is."""
    if raw is not None and not _SURROGATE_ESCAPE.search(raw):
        return value
    return _replace_surrogates(value)


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        if not _has_surrogate(value):
            return value
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def without_controls(text: str) -> str:
    """`_CONTROL.sub("", text)`, quicker: `re` tried its class at every character, where
    deleting bytes from the text's UTF-8 is one pass in C (and most texts hold none)."""
    if any(c in text for c in _CONTROL_OTHERS):
        return _CONTROL.sub("", text)
    data = text.encode("utf-8", "surrogatepass")
    kept = data.translate(None, _CONTROL_BYTES)
    return text if len(kept) == len(data) else kept.decode("utf-8", "surrogatepass")


def clean_line(value: str) -> str:
    """A single-line field (title, author, outlet name): cleaned text with newlines folded."""
    return " ".join(clean_text(value).split())


def content_hash(title: str, text: str) -> str:
    """A hash of what an article says, blind to case, spacing and Unicode normal form."""
    folded = " ".join(f"{title}\n{text}".casefold().split())
    return hashlib.sha256(unicodedata.normalize("NFKC", folded).encode("utf-8")).hexdigest()
