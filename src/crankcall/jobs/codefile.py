"""`code_file` (contract 2, no database): code every line of a JSONL file, in order.

1. The parent reads the file's raw lines (checking the file as `ingest` does) and hands them to
   the workers in chunks of about `_CHUNK_BYTES`.
2. A worker reads each line into a record, codes it and writes its JSON line; it hands back one
   string per chunk, so what crosses between processes is raw lines one way and finished text
   the other, never objects.
3. The parent writes the chunks in input order.

Workers are forked after the coder is built, so they share it instead of building their own.
This module imports only the coder and the reader: `crankcall code` starts without the store.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from crankcall.analyze.coder import default_coder
from crankcall.analyze.contract import contract_line
from crankcall.errors import InputError
from crankcall.ingest.files import ReadOptions, Record, Reject, jsonl_lines, jsonl_record
from crankcall.models import CodedArticle
from crankcall.settings import Settings

_CHUNK_BYTES = 256_000  # per chunk of lines sent to a worker: big enough that handing over is cheap
_CHUNK_LINES = 64  # ... and small enough that the last chunks keep every worker busy

Line = tuple[int, bytes | None, int]  # line number, raw bytes (None: over the limit), size


def code_file(
    path: Path, handle: IO[str], settings: Settings, *, now: datetime, workers: int | None = None
) -> int:
    """Code every line of a JSONL file into `handle` (contract 2), in order; returns the number of
    lines that could not be read (each written as {"line": N, "error": REASON})."""
    options = ReadOptions(
        max_record_bytes=settings.ingest_max_line_bytes,
        max_title_chars=settings.ingest_max_title_chars,
        now=now,
    )
    chunks = ((str(path), options, chunk) for chunk in _chunks(path, options))
    processes = workers or os.cpu_count() or 1
    default_coder()  # built once here; forked workers inherit it
    errors = 0
    if processes == 1:
        for text, failed in map(_code_chunk, chunks):
            handle.write(text)
            errors += failed
        return errors
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for text, failed in pool.imap(_code_chunk, chunks):
            handle.write(text)
            errors += failed
    return errors


def _chunks(path: Path, options: ReadOptions) -> Iterator[list[Line]]:
    """The file's raw lines in chunks; a file that breaks off mid-way (a corrupt gzip stream)
    is an input error."""
    chunk: list[Line] = []
    size = 0
    try:
        for line in jsonl_lines(path, options):
            chunk.append(line)
            size += line[2]
            if size >= _CHUNK_BYTES or len(chunk) >= _CHUNK_LINES:
                yield chunk
                chunk, size = [], 0
    except (OSError, EOFError) as e:
        raise InputError(f"{path}: stopped reading, the file is damaged ({e})") from e
    if chunk:
        yield chunk


def _code_chunk(task: tuple[str, ReadOptions, list[Line]]) -> tuple[str, int]:
    """The JSON lines of a chunk of raw lines, and how many could not be read."""
    name, options, lines = task
    out: list[str] = []
    errors = 0
    for number, data, size in lines:
        entry = jsonl_record(name, number, data, size, options)
        if entry is None:
            continue
        if isinstance(entry, Reject):
            errors += 1
            error = {"line": entry.line, "error": entry.reason}
            out.append(json.dumps(error, ensure_ascii=False) + "\n")
            continue
        out.append(contract_line(_code_record(entry)) + "\n")
    return "".join(out), errors


def _code_record(entry: Record) -> CodedArticle:
    item = entry.item
    ident = item.id if item.id is not None else f"line-{entry.line}"
    published = item.published.date() if item.published else None
    return default_coder().code(id=ident, title=item.title, text=item.text, published=published)
