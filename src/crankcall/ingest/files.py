"""Readers for article files (contract 1): JSONL and CSV, plain or gzipped.

A reader yields, for every record of a file, either a checked `RawItem` or a `Reject` naming the
line and the reason. Readers never stop at a bad record; they stop only when the file itself cannot
be read (missing, binary, not UTF-8 from the start), with an `InputError`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from crankcall.errors import InputError
from crankcall.ingest.normalise import (
    clean_line,
    clean_text,
    parse_published,
    without_lone_surrogates,
)
from crankcall.models import OUTLET_KINDS, RawItem
from crankcall.registry import Registry

KNOWN_FIELDS = ("id", "url", "outlet", "published", "title", "text", "authors", "language", "kind")
_LANGUAGE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
_SNIFF_BYTES = 65_536


@dataclass(frozen=True, kw_only=True, slots=True)
class Reject:
    """A record refused by a reader: where it stands, why, and (the start of) what it held."""

    file: str
    line: int
    reason: str
    raw: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Record:
    """A checked record and the line it started on."""

    line: int
    item: RawItem


@dataclass(frozen=True, kw_only=True, slots=True)
class ReadOptions:
    """Limits and context a reader needs."""

    max_record_bytes: int
    max_title_chars: int
    now: datetime


Reader = Callable[[Path, ReadOptions], Iterator[Record | Reject]]
readers: Registry[Reader] = Registry("input format")


def format_of(path: Path) -> str:
    """The input format a file name implies: `jsonl` or `csv` (a `.gz` ending is looked through)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ending = suffixes[-1] if suffixes else ""
    if ending in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if ending in {".csv", ".tsv"}:
        return "csv"
    raise InputError(
        f"{path}: cannot tell the format from the name (use .jsonl or .csv, or --format)"
    )


def open_binary(path: Path) -> io.BufferedReader:
    """Open a file for reading bytes through gzip; refuse missing, binary or non-UTF-8 files."""
    try:
        raw: IO[bytes] = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot be opened ({e.strerror})") from e
    handle: IO[bytes] = raw
    try:
        magic = raw.peek(2)[:2] if isinstance(raw, io.BufferedReader) else b""
        if magic == b"\x1f\x8b":
            handle = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
        head = handle.read(_SNIFF_BYTES)
    except (OSError, EOFError) as e:
        raw.close()
        raise InputError(f"{path}: compressed data is corrupt ({e})") from e
    _check_head(path, head)
    return io.BufferedReader(_Rewound(head, handle))


def _check_head(path: Path, head: bytes) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: file is UTF-16; convert it to UTF-8")
    lines = [line for line in head.split(b"\n") if line.strip()]
    if len(head) == _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut at the sniff boundary
    bad = [line for line in lines if b"\x00" in line or not _is_utf8(line)]
    # A stray bad line is that line's problem; a file that is mostly not UTF-8 is the file's.
    if bad and len(bad) * 2 >= len(lines):
        if any(b"\x00" in line for line in bad):
            raise InputError(f"{path}: file is binary, not UTF-8 text")
        raise InputError(f"{path}: not UTF-8 text; convert it to UTF-8")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _Rewound(io.RawIOBase):
    """A binary stream that replays the bytes already sniffed, then the rest of the file."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._rest.close()
        super().close()


def iter_lines(handle: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """Yield (line number, bytes or None when over `limit`, size in bytes) without holding a
    whole oversized line in memory."""
    number = 0
    while True:
        chunk = handle.readline(limit + 1)
        if not chunk:
            return
        number += 1
        if len(chunk) <= limit or (chunk.endswith(b"\n") and len(chunk) == limit + 1):
            yield number, chunk, len(chunk)
            continue
        size = len(chunk)
        while not chunk.endswith(b"\n"):
            chunk = handle.readline(limit + 1)
            if not chunk:
                break
            size += len(chunk)
        yield number, None, size


@readers.register("jsonl")
def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Record | Reject]:
    """Records of a JSON Lines file, one object per line; blank lines are skipped."""
    name = str(path)
    for number, data, size in jsonl_lines(path, options):
        entry = jsonl_record(name, number, data, size, options)
        if entry is not None:
            yield entry


def jsonl_lines(path: Path, options: ReadOptions) -> Iterator[tuple[int, bytes | None, int]]:
    """The raw lines of a JSON Lines file: (line number, bytes or None when over the limit,
    size); `jsonl_record` reads each. Apart so that workers can read lines a parent hands them."""
    with open_binary(path) as handle:
        yield from iter_lines(handle, options.max_record_bytes)


def jsonl_record(
    name: str, number: int, data: bytes | None, size: int, options: ReadOptions
) -> Record | Reject | None:
    """The record of one raw line of file `name` (see `jsonl_lines`); None for a blank line."""
    if data is None:
        return Reject(
            file=name,
            line=number,
            reason=f"line is {size} bytes, over the limit of {options.max_record_bytes}",
            raw="",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return Reject(file=name, line=number, reason=f"not UTF-8 (byte {e.start})", raw="")
    if not text.strip():
        return None
    return _record_from_json(name, number, text, options)


def _record_from_json(name: str, number: int, text: str, options: ReadOptions) -> Record | Reject:
    try:
        obj = without_lone_surrogates(json.loads(text), text)
    except (json.JSONDecodeError, RecursionError) as e:
        reason = e.msg if isinstance(e, json.JSONDecodeError) else "nesting too deep"
        return Reject(file=name, line=number, reason=f"not JSON: {reason}", raw=text)
    if not isinstance(obj, dict):
        return Reject(file=name, line=number, reason="not a JSON object", raw=text)
    try:
        return Record(line=number, item=check_record(obj, options))
    except ValueError as e:
        return Reject(file=name, line=number, reason=str(e), raw=text)


@readers.register("csv")
def read_csv(path: Path, options: ReadOptions) -> Iterator[Record | Reject]:
    """Records of a CSV (or, by its `.tsv` ending, tab-separated) file with a header row."""
    name = str(path)
    delimiter = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    csv.field_size_limit(options.max_record_bytes)
    with open_binary(path) as handle:
        stream = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            header = [clean_line(h).lower() for h in next(reader)]
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as e:
            raise InputError(f"{name}: header row cannot be read ({e})") from e
        if "title" not in header and "text" not in header:
            raise InputError(f"{name}: header has neither a 'title' nor a 'text' column")
        yield from _csv_rows(name, reader, header, options)


def _csv_rows(
    name: str, reader: Any, header: list[str], options: ReadOptions
) -> Iterator[Record | Reject]:
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield Reject(file=name, line=start, reason=f"bad CSV row: {e}", raw="")
            start = reader.line_num + 1
            continue
        except UnicodeDecodeError as e:
            yield Reject(file=name, line=start, reason=f"not UTF-8 (byte {e.start})", raw="")
            return
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Reject(
                file=name,
                line=line,
                reason=f"row has {len(row)} fields, the header has {len(header)}",
                raw=",".join(row)[:4000],
            )
            continue
        obj: dict[str, Any] = {
            k: (v if v != "" else None) for k, v in zip(header, row, strict=True)
        }
        authors = obj.get("authors")
        if isinstance(authors, str):
            obj["authors"] = _csv_authors(authors)
        try:
            yield Record(line=line, item=check_record(obj, options))
        except ValueError as e:
            yield Reject(file=name, line=line, reason=str(e), raw=",".join(row)[:4000])


def _csv_authors(cell: str) -> Any:
    if cell.lstrip().startswith("["):
        try:
            return without_lone_surrogates(json.loads(cell), cell)
        except (json.JSONDecodeError, RecursionError):
            return cell
    return [part.strip() for part in cell.split(";") if part.strip()]


def check_record(obj: dict[str, Any], options: ReadOptions) -> RawItem:
    """Check one contract-1 object for types and limits and clean its fields.

    Raises `ValueError` with the reason when a field has the wrong type, the date is impossible,
    the title is too long, or there is neither title nor text. Unknown fields are kept in `extra`.
    """
    ident = obj.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int | type(None)):
        raise ValueError(f"id must be text, got {type(ident).__name__}")
    ident = clean_line(str(ident)) if ident is not None else None
    url = _optional_text(obj, "url")
    outlet = _optional_text(obj, "outlet")
    title = clean_line(_optional_text(obj, "title") or "")
    text = clean_text(_optional_text(obj, "text") or "")
    if not title and not text:
        raise ValueError("has neither title nor text")
    if len(title) > options.max_title_chars:
        raise ValueError(
            f"title is {len(title)} characters, over the limit of {options.max_title_chars}"
        )
    published = parse_published(_optional_text(obj, "published"), now=options.now)
    language = _optional_text(obj, "language")
    if language is not None:
        language = language.strip().lower().replace("_", "-") or None
        if language is not None and not _LANGUAGE.match(language):
            raise ValueError(f"language {language[:20]!r} is not a language code such as 'en'")
    kind = _optional_text(obj, "kind")
    if kind is not None and kind not in OUTLET_KINDS:
        raise ValueError(f"kind {kind[:20]!r} is not one of {', '.join(OUTLET_KINDS)}")
    return RawItem(
        id=ident or None,
        url=url.strip() if url and url.strip() else None,
        outlet=clean_line(outlet) if outlet and clean_line(outlet) else None,
        published=published,
        title=title,
        text=text,
        authors=_authors(obj.get("authors")),
        language=language,
        kind=kind,
        extra={k: v for k, v in obj.items() if k not in KNOWN_FIELDS},
    )


def _optional_text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"{key} must be text or null, got {_json_type(value)}")


def _authors(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"authors must be a list of text, got {_json_type(value)}")
    names = (clean_line(v) for v in value)
    return tuple(dict.fromkeys(n for n in names if n))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
