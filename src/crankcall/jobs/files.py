"""File ingest: read JSONL and CSV articles, normalise, resolve outlets, store, report.

`ingest_files` (contract 1) checks every file first, reads records (a bad one becomes a reject
with its line and reason), and stores each batch in one transaction with near-duplicate links.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection

from crankcall.errors import InputError
from crankcall.ingest import dedup
from crankcall.ingest.files import ReadOptions, Record, Reject, format_of, readers
from crankcall.ingest.normalise import canonical_url, content_hash
from crankcall.ingest.outlets import OutletIndex, load_outlets, new_outlet
from crankcall.jobs import Progress
from crankcall.models import Outlet
from crankcall.settings import Settings
from crankcall.store import Store


@dataclass(kw_only=True)
class FileReport:
    """What happened to the records of one input file."""

    path: str
    stored: int = 0
    duplicate: int = 0
    conflicting: int = 0
    copies: int = 0  # stored, and linked to an earlier article they nearly repeat
    rejected: int = 0
    rejects_file: str | None = None
    rejects: list[Reject] = field(default_factory=list)


@dataclass(kw_only=True)
class IngestReport:
    """The closing summary of an ingest run."""

    files: list[FileReport] = field(default_factory=list)
    new_outlets: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(f.stored for f in self.files)

    @property
    def duplicate(self) -> int:
        return sum(f.duplicate for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "stored": self.stored,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "new_outlets": self.new_outlets,
            "files": [
                {
                    "path": f.path,
                    "stored": f.stored,
                    "duplicate": f.duplicate,
                    "conflicting": f.conflicting,
                    "near_duplicates": f.copies,
                    "rejected": f.rejected,
                    "rejects_file": f.rejects_file,
                }
                for f in self.files
            ],
        }


def init_store(store: Store, settings: Settings) -> int:
    """Create or migrate the schema and load the outlets data file; returns outlets changed."""
    store.migrate()
    outlets_file = Path(settings.outlets_file) if settings.outlets_file else None
    return store.sync_outlets(load_outlets(outlets_file))


def ingest_files(
    store: Store,
    paths: Sequence[Path],
    settings: Settings,
    *,
    now: datetime,
    input_format: str | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Store the articles of JSONL or CSV files (contract 1).

    1. Check every file can be opened before storing anything.
    2. Read records; a bad one becomes a reject with its line number and reason.
    3. Per batch, in one transaction: resolve outlets (adding unknown ones), drop records already
       stored (same id or canonical URL), insert the rest.
    4. Write each file's rejects to `<rejects_dir>/<file name>.rejects.jsonl`.
    """
    formats = {path: input_format or format_of(path) for path in paths}
    for path in paths:  # 1.
        readers.get(formats[path])
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    options = ReadOptions(
        max_record_bytes=settings.ingest_max_line_bytes,
        max_title_chars=settings.ingest_max_title_chars,
        now=now,
    )
    report = IngestReport()
    writer = ArticleWriter(store, settings, now=now, report=report)
    for path in paths:
        file_report = FileReport(path=str(path))
        report.files.append(file_report)
        records = readers.get(formats[path])(path, options)  # 2.
        for batch in _batches(guarded(records, path), settings.ingest_batch_size):
            writer.write(batch, file_report)  # 3.
            if progress is not None:
                progress(len(batch))
        file_report.rejects_file = _write_rejects(path, file_report.rejects, settings)  # 4.
    return report


def guarded(records: Iterator[Record | Reject], path: Path) -> Iterator[Record | Reject]:
    """Turn a file that breaks off mid-way (a corrupt gzip stream) into an input error."""
    try:
        yield from records
    except (OSError, EOFError) as e:
        raise InputError(f"{path}: stopped reading, the file is damaged ({e})") from e


def _batches(items: Iterator[Record | Reject], size: int) -> Iterator[list[Record | Reject]]:
    batch: list[Record | Reject] = []
    for item in items:
        batch.append(item)
        if len(batch) >= max(1, size):
            yield batch
            batch = []
    if batch:
        yield batch


class ArticleWriter:
    """Turns checked records into article rows and stores them batch by batch."""

    def __init__(self, store: Store, settings: Settings, *, now: datetime, report: IngestReport):
        self.store = store
        self.settings = settings
        self.now = now
        self.report = report
        self.index = OutletIndex(store.outlets())
        self._ids: dict[str, int] = {}
        self.source = ""

    def write(self, batch: list[Record | Reject], file_report: FileReport) -> None:
        """Store the new articles of one batch in one transaction; note rejects and duplicates."""
        self.source = file_report.path
        prepared: list[tuple[Record, dict[str, Any]]] = []
        for entry in batch:
            if isinstance(entry, Reject):
                file_report.rejects.append(entry)
                continue
            try:
                prepared.append((entry, self._row(entry)))
            except ValueError as e:
                file_report.rejects.append(
                    Reject(file=file_report.path, line=entry.line, reason=str(e), raw=_raw(entry))
                )
        file_report.rejected = len(file_report.rejects)
        added: list[Outlet] = []
        try:
            with self.store.transaction() as connection:
                fresh = self._drop_known(connection, prepared, file_report)
                rows = [self._with_outlet(connection, entry, row, added) for entry, row in fresh]
                inserted = self.store.insert_articles(connection, rows)
                copies = self.store.link_near_duplicates(connection, _signatures(rows))
        except Exception:
            self.index = OutletIndex(self.store.outlets())  # forget outlets rolled back
            self._ids = {}
            raise
        file_report.stored += inserted
        file_report.copies += copies
        file_report.duplicate += len(rows) - inserted  # stored meanwhile by another process
        self.report.new_outlets.extend(o.name for o in added)

    def _row(self, record: Record) -> dict[str, Any]:
        item = record.item
        url_key = (
            canonical_url(item.url, tracking_params=self.settings.ingest_tracking_params)
            if item.url
            else None
        )
        digest = content_hash(item.title, item.text)
        ident = item.id or "h-" + hashlib.sha1((url_key or digest).encode()).hexdigest()[:16]
        if len(ident) > 200:
            raise ValueError(f"id is {len(ident)} characters, over the limit of 200")
        extra = dict(item.extra)
        if item.kind:
            extra["kind"] = item.kind
        return {
            "id": ident,
            "url": item.url,
            "canonical_url": url_key,
            "title": item.title,
            "text": item.text,
            "authors": list(item.authors),
            "published": item.published,
            "fetched": self.now,
            "language": item.language,
            "content_hash": digest,
            "extra": extra,
            "source": None,
        }

    def _drop_known(
        self,
        connection: Connection,
        prepared: list[tuple[Record, dict[str, Any]]],
        file_report: FileReport,
    ) -> list[tuple[Record, dict[str, Any]]]:
        ids = [row["id"] for _, row in prepared]
        urls = [row["canonical_url"] for _, row in prepared if row["canonical_url"]]
        known_ids, known_urls = self.store.known_articles(connection, ids, urls)
        fresh: list[tuple[Record, dict[str, Any]]] = []
        for entry, row in prepared:
            if row["id"] in known_ids or row["canonical_url"] in known_urls:
                file_report.duplicate += 1
                stored_hash = known_ids.get(row["id"])
                if stored_hash is not None and stored_hash != row["content_hash"]:
                    file_report.conflicting += 1
                continue
            known_ids[row["id"]] = row["content_hash"]
            if row["canonical_url"]:
                known_urls.add(row["canonical_url"])
            fresh.append((entry, row))
        return fresh

    def _with_outlet(
        self,
        connection: Connection,
        record: Record,
        row: dict[str, Any],
        added: list[Outlet],
    ) -> dict[str, Any]:
        item = record.item
        outlet = self.index.resolve(url=item.url, name=item.outlet)
        if outlet is None:
            candidate = new_outlet(url=item.url, name=item.outlet)
            # Added by an earlier run under the name we would give it now ("unknown", a host).
            outlet = self.index.by_name(candidate.name)
        if outlet is None:
            outlet = candidate
            self.store.add_outlet(connection, outlet, origin="ingest")
            self.index.add(outlet)
            added.append(outlet)
        row["source"] = self.source
        row["outlet_id"] = self._outlet_id(connection, outlet)
        return row

    def _outlet_id(self, connection: Connection, outlet: Outlet) -> int:
        if outlet.name not in self._ids:
            self._ids = self.store.outlet_ids(connection)
        return self._ids[outlet.name]


def _signatures(rows: Sequence[dict[str, Any]]) -> list[tuple[str, Any, int, datetime | None]]:
    """MinHash signatures of new article rows long enough to compare."""
    found = []
    for row in rows:
        computed = dedup.signature(f"{row['title']}\n{row['text']}")
        if computed is not None:
            found.append((row["id"], computed[0], computed[1], row["published"]))
    return found


def _raw(record: Record) -> str:
    item = record.item
    return json.dumps({"id": item.id, "url": item.url, "title": item.title}, ensure_ascii=False)


def _write_rejects(path: Path, rejects: list[Reject], settings: Settings) -> str | None:
    """Write one JSON line per rejected record; remove a stale rejects file when there are none."""
    target = Path(settings.ingest_rejects_dir) / f"{path.name}.rejects.jsonl"
    if not rejects:
        if target.is_file():
            target.unlink()
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as handle:
            _dump_rejects(handle, rejects)
    except OSError as e:
        raise InputError(f"cannot write rejects file {target}: {e.strerror}") from e
    return str(target)


def _dump_rejects(handle: TextIO, rejects: list[Reject]) -> None:
    for reject in rejects:
        record = {"file": reject.file, "line": reject.line, "reason": reject.reason}
        raw = reject.raw
        record["raw"] = raw[:4000]
        if len(raw) > 4000:
            record["raw_truncated"] = True
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
