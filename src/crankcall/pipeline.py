"""The jobs crankcall runs over the store, each a sequence of stages.

`ingest_files` is the first: read article files, normalise, resolve outlets, store new articles
and report what happened to every record. Later jobs (`run`: code, cluster, rank; `draft`) join
here. Only this module, `cli.py` and `web/` open the store.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TextIO

from sqlalchemy import Connection

from crankcall.analyze.coder import Coder, contract_json, default_coder
from crankcall.analyze.evaluation import GoldItem, Report, gold_items, score
from crankcall.compose import draft_issue
from crankcall.errors import InputError
from crankcall.ingest import dedup, gdelt
from crankcall.ingest.feeds import Feed, FeedError, parse_feed
from crankcall.ingest.files import ReadOptions, Record, Reject, format_of, readers
from crankcall.ingest.http import FetchResult, HttpClient
from crankcall.ingest.normalise import canonical_url, content_hash
from crankcall.ingest.opml import Subscription
from crankcall.ingest.outlets import OutletIndex, load_outlets, new_outlet
from crankcall.ingest.pages import extract_page
from crankcall.ingest.robots import RobotsRules
from crankcall.models import Outlet, RawItem, Story, StoryBundle
from crankcall.settings import Settings, load_settings
from crankcall.store import Store
from crankcall.stories.cluster import Seed, cluster, story_id
from crankcall.stories.evaluation import BCubed, PickRanks, bcubed, pick_ranks
from crankcall.stories.features import ArticleFacts, facts_from_row
from crankcall.stories.rank import Featured, StoryDraft, describe, event_type, is_relevant, rank

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


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
    writer = _ArticleWriter(store, settings, now=now, report=report)
    for path in paths:
        file_report = FileReport(path=str(path))
        report.files.append(file_report)
        records = readers.get(formats[path])(path, options)  # 2.
        for batch in _batches(_guarded(records, path), settings.ingest_batch_size):
            writer.write(batch, file_report)  # 3.
            if progress is not None:
                progress(len(batch))
        file_report.rejects_file = _write_rejects(path, file_report.rejects, settings)  # 4.
    return report


def _guarded(records: Iterator[Record | Reject], path: Path) -> Iterator[Record | Reject]:
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


class _ArticleWriter:
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


def load_gold(paths: Sequence[Path]) -> list[GoldItem]:
    """Gold items from gold files: coding sets (`*.jsonl` with labels inline) and the demo
    corpus (`articles-*.jsonl` beside `labels-*.jsonl`). The demo corpus's June and July are its
    development part, August and September its held-back part."""
    items: list[GoldItem] = []
    for path in paths:
        try:
            rows = [
                json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()
            ]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise InputError(f"{path}: cannot read gold file ({e})") from e
        if path.name.startswith("articles-"):
            labels_path = path.with_name(path.name.replace("articles-", "labels-", 1))
            try:
                labels = {
                    row["id"]: row
                    for row in map(json.loads, labels_path.read_text("utf-8").splitlines())
                }
            except (OSError, json.JSONDecodeError, KeyError) as e:
                raise InputError(f"{labels_path}: cannot read labels ({e})") from e
            month = path.stem.removeprefix("articles-")
            split = "dev" if month in {"2024-06", "2024-07"} else "test"
            rows = [{**row, **labels[row["id"]], "split": split} for row in rows]
        items += gold_items(rows, source=path.name)
    return items


def evaluate(items: Sequence[GoldItem], coder: Coder) -> Report:
    """Code every gold item and score the codings."""
    coded = [
        coder.code(id=item.id, title=item.title, text=item.text, published=_day_of(item.published))
        for item in items
    ]
    return score(items, coded)


def _day_of(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


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
    errors = 0
    records = _guarded(readers.get("jsonl")(path, options), path)
    processes = workers or os.cpu_count() or 1
    if processes == 1:
        results: Iterator[dict[str, Any]] = map(_code_entry, records)
        for result in results:
            errors += "error" in result
            handle.write(json.dumps(result, ensure_ascii=False) + "\n")
        return errors
    default_coder()  # built once here; forked workers inherit it
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for result in pool.imap(_code_entry, records, chunksize=64):
            errors += "error" in result
            handle.write(json.dumps(result, ensure_ascii=False) + "\n")
    return errors


def _code_entry(entry: Record | Reject) -> dict[str, Any]:
    if isinstance(entry, Reject):
        return {"line": entry.line, "error": entry.reason}
    item = entry.item
    ident = item.id if item.id is not None else f"line-{entry.line}"
    published = item.published.date() if item.published else None
    coded = default_coder().code(id=ident, title=item.title, text=item.text, published=published)
    return contract_json(coded)


@dataclass(kw_only=True)
class RunReport:
    """What `crankcall run` did, stage by stage."""

    coded: int = 0
    relevant: int = 0
    coder_version: str = ""
    placed: int = 0
    stories_new: int = 0
    stories_updated: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "coded": self.coded,
            "relevant": self.relevant,
            "coder": self.coder_version,
            "placed": self.placed,
            "stories_new": self.stories_new,
            "stories_updated": self.stories_updated,
        }


def run(
    store: Store,
    *,
    now: datetime,
    settings: Settings | None = None,
    coder: Coder | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Every stage over what is stored, incrementally (contract 5).

    1. Code the articles never coded, or coded by another coder version; store codings,
       mentions and interactions, batch by batch, each batch in one transaction.
    2. Place every coded article that no story holds into a story (`build_stories`).
    """
    coder = coder or default_coder()
    report = RunReport(coder_version=coder.version)
    run_id = store.start_run("run", args={}, now=now)
    try:
        for batch in store.articles_to_code(coder.version):  # 1.
            codings = [
                coder.code(
                    id=a.id,
                    title=a.title,
                    text=a.text,
                    published=a.published.date() if a.published else None,
                )
                for a in batch
            ]
            store.save_codings(codings, now=now)
            report.coded += len(codings)
            report.relevant += sum(c.relevant for c in codings)
            if progress is not None:
                progress(len(batch))
        build_stories(store, settings or load_settings(), now=now, report=report)  # 2.
    except Exception:
        store.finish_run(run_id, status="failed", stats=report.as_dict(), now=now)
        raise
    store.finish_run(run_id, status="done", stats=report.as_dict(), now=now)
    return report


def build_stories(
    store: Store, settings: Settings, *, now: datetime, report: RunReport | None = None
) -> RunReport:
    """Place new coded articles into stories: open stories (last article within the story window
    of the earliest newcomer) are the seeds; placed articles never move; the stories that changed
    are described again and saved with the new memberships in one transaction."""
    report = report or RunReport()
    new_ids = store.articles_without_story()
    if not new_ids:
        return report
    fresh = [facts_from_row(row) for row in store.story_inputs(new_ids)]
    window = timedelta(days=settings.stories_window_days)
    seeds = [
        Seed(id=sid, members=tuple(members), locked=frozenset(locked))
        for sid, members, locked in store.story_seeds(
            active_since=min(f.published for f in fresh) - window
        )
    ]
    held = [m for seed in seeds for m in seed.members]
    facts = fresh + [facts_from_row(row) for row in store.story_inputs(held)]
    clusters = cluster(
        facts,
        seeds=seeds,
        threshold=settings.stories_threshold,
        window_days=settings.stories_window_days,
    )
    by_id = {f.id: f for f in facts}
    fresh_ids = {f.id for f in fresh}
    known = {seed.id for seed in seeds}
    rows, memberships = [], []
    for c in clusters:
        added = [m for m in c.members if m in fresh_ids]
        if not added:
            continue
        rows.append(_story_row([by_id[m] for m in c.members], c.id))
        memberships += [(c.id, m) for m in added]
        report.placed += len(added)
        if c.id in known:
            report.stories_updated += 1
        else:
            report.stories_new += 1
    store.save_stories(rows, memberships, now=now)
    return report


def _story_row(members: Sequence[ArticleFacts], story_id: str) -> dict[str, Any]:
    """The stored row of a story over its whole life (ranking for a window happens on reading)."""
    first, last = min(m.published for m in members), max(m.published for m in members)
    draft = StoryDraft(id=story_id, members=list(members))
    ranked = rank([draft], since=first, until=last + timedelta(seconds=1), highlights=0)
    story = ranked[0] if ranked else describe(draft)
    return {
        "id": story_id,
        "representative_id": story.representative_id,
        "headline": story.headline,
        "dyads": list(story.dyads),
        "relation": story.relation,
        "topic": story.topic,
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
        "score": story.score,
        "components": story.components,
        "section": story.section if story.section != "links" else "news",
        "relevant": is_relevant(members),
        "event_type": event_type(members),
    }


def move_articles(
    store: Store, article_ids: Sequence[str], story: str | None, *, now: datetime
) -> str:
    """An editor's placement: move articles into `story`, or into a new story when `story` is
    None (a split). The placement is kept through later runs. Returns the receiving story's id."""
    if not article_ids:
        raise InputError("name at least one article")
    new = None
    if story is None:
        story = story_id("editor:" + ",".join(sorted(article_ids)) + now.isoformat())
        facts = [facts_from_row(row) for row in store.story_inputs(article_ids)]
        if len(facts) != len(set(article_ids)):
            known = {f.id for f in facts}
            missing = next(i for i in article_ids if i not in known)
            raise InputError(f"no coded article {missing!r}; run `crankcall run` first")
        new = _story_row(facts, story)
    left = store.place_articles(article_ids, story, now=now, new=new)
    _refresh_stories(store, [story, *left], now=now)
    return story


def merge_stories(store: Store, source: str, target: str, *, now: datetime) -> str:
    """An editor's merge: every article of `source` moves into `target` (kept through runs)."""
    if source == target:
        raise InputError("a story cannot be merged into itself")
    memberships = {sid: members for sid, members, _ in store.story_memberships([source])}
    if not memberships[source]:
        raise InputError(f"no story {source!r}")
    if store.story_row(target) is None:
        raise InputError(f"no story {target!r}")
    held = [m for _, members, _ in store.story_memberships([target]) for m in members]
    store.place_articles([*memberships[source], *held], target, now=now, new=None)
    _refresh_stories(store, [target], now=now)
    return target


def _refresh_stories(store: Store, ids: Sequence[str], *, now: datetime) -> None:
    """Describe these stories again from their current members."""
    memberships = [(sid, members) for sid, members, _ in store.story_memberships(ids) if members]
    wanted = [m for _, members in memberships for m in members]
    facts = {row["id"]: facts_from_row(row) for row in store.story_inputs(wanted)}
    rows = [
        _story_row([facts[m] for m in members if m in facts], sid)
        for sid, members in memberships
        if any(m in facts for m in members)
    ]
    store.save_stories(rows, [], now=now)


def ranked_stories(
    store: Store, settings: Settings, *, since: datetime, until: datetime, month: str
) -> list[tuple[Story, list[ArticleFacts]]]:
    """The window's stories in scope, ranked best first, each with its members in the window by
    date.
    Stories featured in the issues before `month` lower the novelty of what repeats them."""
    rows = {row["id"]: row for row in store.stories_in_window(since, until)}
    memberships = store.story_memberships(list(rows))
    featured_rows = store.featured_stories(before_month=month)
    featured_members = store.story_memberships([sid for sid, _ in featured_rows])
    wanted = {m for _, members, _ in memberships + featured_members for m in members}
    facts = {row["id"]: facts_from_row(row) for row in store.story_inputs(sorted(wanted))}
    drafts = [
        StoryDraft(
            id=sid,
            members=[facts[m] for m in members if m in facts],
            pinned=bool(rows[sid]["pinned"]),
            excluded=bool(rows[sid]["excluded"]),
        )
        for sid, members, _ in memberships
    ]
    featured = [
        Featured(
            story_id=sid,
            members=tuple(facts[m] for m in members if m in facts),
            until=until_featured,
        )
        for (sid, until_featured), (_, members, _) in zip(
            featured_rows, featured_members, strict=True
        )
    ]
    drafts = [d for d in drafts if d.members]
    ranked = rank(
        drafts,
        since=since,
        until=until,
        featured=[f for f in featured if f.members],
        highlights=settings.issue_highlights,
    )
    return [(story, [facts[m] for m in story.article_ids]) for story in ranked]


def draft(
    store: Store,
    settings: Settings,
    *,
    since: datetime,
    until: datetime,
    month: str,
    save: bool = True,
) -> dict[str, Any]:
    """Contract 4: draft the issue of `month` from the window's ranked stories and, with `save`,
    keep it as the month's draft (an approved or published issue is never replaced)."""
    ranked = ranked_stories(store, settings, since=since, until=until, month=month)
    articles = store.articles_by_id([m.id for _, members in ranked for m in members])
    outlets = {o.name: o for o in store.outlets()}
    bundles = []
    for n, (story, members) in enumerate(ranked, start=1):
        ordered = sorted(
            (articles[m.id] for m in members if m.id in articles),
            key=lambda a: (a.id != story.representative_id, a.published or a.fetched, a.id),
        )
        bundles.append(
            StoryBundle(
                rank=n,
                story=story,
                articles=tuple(ordered),
                outlets={a.outlet: outlets[a.outlet] for a in ordered if a.outlet in outlets},
                copies={m.id: m.original for m in members if m.original},
            )
        )
    issue = draft_issue(month=month, since=since, until=until, bundles=bundles, settings=settings)
    if save:
        home = {m.id: story.id for story, members in ranked for m in members}
        stories = {
            (section, position): sid
            for section in ("highlights", "links")
            for position, entry in enumerate(issue[section])
            if (sid := entry.get("story") or _first_home(entry.get("articles", []), home))
        }
        store.save_draft(issue, since=since, until=until, stories=stories, now=datetime.now(UTC))
    return issue


def _first_home(ids: Sequence[str], home: dict[str, str]) -> str | None:
    return next((home[i] for i in ids if i in home), None)


def candidates(
    store: Store,
    settings: Settings,
    *,
    since: datetime,
    until: datetime,
    month: str,
    limit: int | None = None,
) -> dict[str, Any]:
    """Contract 3: the window's ranked stories with their components, sections and articles."""
    ranked = ranked_stories(store, settings, since=since, until=until, month=month)
    if limit is not None:
        ranked = ranked[:limit]
    return {
        "window": {"since": since.date().isoformat(), "until": until.date().isoformat()},
        "stories": [
            {
                "rank": n,
                "id": story.id,
                "headline": story.headline,
                "score": story.score,
                "components": story.components,
                "section": story.section,
                "dyads": list(story.dyads),
                "relation": story.relation,
                "topic": story.topic,
                "articles": [
                    {
                        "id": m.id,
                        "url": m.url,
                        "outlet": m.outlet,
                        "published": m.published.isoformat(),
                    }
                    for m in members
                ],
            }
            for n, (story, members) in enumerate(ranked, start=1)
        ],
    }


@dataclass(kw_only=True)
class StoriesEval:
    """Story quality on labelled months: B-cubed and where the editor's picks ranked."""

    months: dict[str, BCubed] = field(default_factory=dict)
    picks: dict[str, PickRanks] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            month: {
                "bcubed": asdict(self.months[month]),
                "highlights_in_top_10": self.picks[month].share_within(10, ["highlight"]),
                "picks_in_top_25": self.picks[month].share_within(25),
                "ranks": self.picks[month].ranks,
            }
            for month in self.months
        }


def evaluate_stories(store: Store, settings: Settings, articles: Sequence[Path]) -> StoriesEval:
    """Score the stored stories against the labels beside each `articles-YYYY-MM.jsonl` (its
    `labels-` and `events-` files): B-cubed per month over the labelled articles, and the rank
    of every pick in that month's candidates."""
    result = StoriesEval()
    for path in articles:
        month = path.stem.removeprefix("articles-")
        labels = _read_jsonl(path.with_name(f"labels-{month}.jsonl"))
        events = _read_jsonl(path.with_name(f"events-{month}.jsonl"))
        gold = {row["id"]: row["event_key"] for row in labels}
        predicted = {i: sid for i in gold if (sid := store.story_of(i)) is not None}
        result.months[month] = bcubed(predicted, gold)
        first = datetime.fromisoformat(month + "-01T00:00:00+00:00")
        until = (first + timedelta(days=32)).replace(day=1)
        ranked = ranked_stories(store, settings, since=first, until=until, month=month)
        picks = {e["event_key"]: e["pick"] for e in events if e.get("pick")}
        result.picks[month] = pick_ranks(
            month, [(story.id, [m.id for m in members]) for story, members in ranked], gold, picks
        )
    return result


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: cannot read ({e})") from e


@dataclass(kw_only=True)
class SourcesReport:
    """What adding or importing sources did."""

    added: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def add_sources(
    store: Store, subscriptions: Sequence[Subscription], settings: Settings, *, now: datetime
) -> SourcesReport:
    """Add feeds to poll; a URL already known (in canonical form) is left as it is."""
    report = SourcesReport()
    for sub in subscriptions:
        try:
            key = canonical_url(sub.url, tracking_params=settings.ingest_tracking_params)
        except ValueError as e:
            report.refused.append((sub.url, str(e)))
            continue
        added = store.add_source(
            url=sub.url.strip(),
            canonical_url=key,
            title=sub.title,
            kind="feed",
            interval=settings.sources_interval,
            now=now,
        )
        (report.added if added else report.known).append(sub.url.strip())
    return report


@dataclass(kw_only=True)
class PollReport:
    """The closing summary of `crankcall fetch`."""

    polled: int = 0
    unchanged: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    new_items: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "polled": self.polled,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "new_items": self.new_items,
        }


def poll_sources(
    store: Store,
    client: HttpClient,
    settings: Settings,
    *,
    now: datetime,
    progress: Progress | None = None,
) -> PollReport:
    """Poll every due source once.

    1. Fetch the feed with the validators of the last success (304: nothing new).
    2. Parse it; a fetch or parse failure is recorded on the source with its diagnosis, and the
       next poll backs off (a feed that is gone is switched off).
    3. Store the poll's state and the items not seen before in one transaction per source, so a
       kill at any moment loses nothing stored and the next run adds no duplicates.
    """
    report = PollReport()
    for source in store.sources(due_by=now):
        report.polled += 1
        fetched = client.fetch(  # 1.
            source["url"], etag=source["etag"], last_modified=source["last_modified"]
        )
        state, items = _poll_outcome(source, fetched, settings, now=now)  # 2.
        if state.get("last_diagnosis"):
            key = str(state["last_diagnosis"])
            report.failed[key] = report.failed.get(key, 0) + 1
        elif fetched.not_modified:
            report.unchanged += 1
        report.new_items += store.record_poll(source["id"], state=state, items=items)  # 3.
        if progress is not None:
            progress(1)
    return report


def _poll_outcome(
    source: dict[str, Any], fetched: FetchResult, settings: Settings, *, now: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    interval = timedelta(minutes=source["interval_minutes"])
    state: dict[str, Any] = {"last_checked": now, "last_status": fetched.status}
    diagnosis, detail, items = fetched.diagnosis, fetched.detail, []
    feed = None
    if fetched.ok and not fetched.not_modified:
        try:
            feed = parse_feed(
                fetched.body,
                base_url=fetched.final_url,
                now=now,
                content_type=fetched.content_type or "",
            )
        except FeedError as e:
            diagnosis, detail = e.diagnosis, e.detail
    if diagnosis:
        failures = source["failures"] + 1
        backoff = min(interval * 2 ** min(failures, 6), timedelta(hours=24))
        state.update(
            failures=failures,
            last_diagnosis=diagnosis,
            last_detail=detail[:500],
            next_due=now + backoff,
            enabled=diagnosis != "gone",
        )
        return state, []
    state.update(
        failures=0,
        last_diagnosis=None,
        last_detail=None,
        last_success=now,
        next_due=now + interval,
        etag=fetched.etag or source["etag"],
        last_modified=fetched.last_modified or source["last_modified"],
    )
    if feed is not None:
        if feed.title and not source["title"]:
            state["title"] = feed.title[:300]
        items = _item_rows(source["id"], feed, settings, now=now)
    return state, items


def _item_rows(
    source_id: int, feed: Feed, settings: Settings, *, now: datetime
) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for item in feed.items:
        try:
            key = canonical_url(item.url, tracking_params=settings.ingest_tracking_params)
        except ValueError:
            continue  # an item whose link is not a web address cannot be fetched
        rows.setdefault(
            key,
            {
                "source_id": source_id,
                "url": item.url,
                "canonical_url": key,
                "title": item.title,
                "summary": item.summary[:20_000],
                "published": item.published,
                "authors": list(item.authors),
                "discovered_at": now,
                "status": "pending",
                "attempts": 0,
            },
        )
    return list(rows.values())


def extract_file(path: Path, *, now: datetime, max_bytes: int = 20_000_000) -> dict[str, Any]:
    """Contract 7 for one saved page: the extracted article, or {"file", "error"}."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
        if raw[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unpacked:
                raw = unpacked.read(max_bytes + 1)
    except FileNotFoundError:
        return {"file": name, "error": "no such file"}
    except IsADirectoryError:
        return {"file": name, "error": "is a folder"}
    except (OSError, EOFError) as e:
        return {"file": name, "error": f"cannot be read: {e}"}
    if len(raw) > max_bytes:
        return {"file": name, "error": f"over {max_bytes} bytes"}
    page = extract_page(raw, now=now)
    return {
        "file": name,
        "title": page.title,
        "text": page.text,
        "published": page.published.isoformat() if page.published else None,
        "date_source": page.date_source,
        "authors": list(page.authors),
        "language": page.language,
        "encoding": page.encoding,
        "flags": list(page.flags),
    }


@dataclass(kw_only=True)
class PagesReport:
    """What fetching the queued pages did."""

    stored: int = 0
    duplicate: int = 0
    flagged: int = 0
    blocked: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    retry_later: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "duplicate": self.duplicate,
            "flagged": self.flagged,
            "blocked_by_robots": self.blocked,
            "failed": self.failed,
            "retry_later": self.retry_later,
        }


MAX_PAGE_ATTEMPTS = 3


def fetch_pages(
    store: Store,
    client: HttpClient,
    settings: Settings,
    *,
    now: datetime,
    limit: int = 1000,
    progress: Progress | None = None,
) -> PagesReport:
    """Fetch the page of every queued item, extract it and store the article.

    1. robots.txt decides first; a refused page is marked `blocked`.
    2. A failed fetch is tried again on later runs, up to three times, then marked `failed`.
    3. A page whose text is missing or much shorter than the feed's summary is marked `flagged`
       and not stored: a paywall or a script-rendered page is not an article.
    4. Otherwise the article is stored like any ingested one (outlet by domain, duplicates by id
       and canonical URL), and the item is marked `stored` with the article's id.
    """
    report = PagesReport()
    robots = RobotsRules(client, agent=settings.http_user_agent)
    writer = _ArticleWriter(store, settings, now=now, report=IngestReport())
    for item in store.pending_items(limit=limit, max_attempts=MAX_PAGE_ATTEMPTS):
        outcome = _fetch_page(item, client, robots, writer, settings, now=now)
        store.update_item(item["id"], outcome)
        _count_page(report, outcome)
        if progress is not None:
            progress(1)
    return report


def _fetch_page(
    item: dict[str, Any],
    client: HttpClient,
    robots: RobotsRules,
    writer: _ArticleWriter,
    settings: Settings,
    *,
    now: datetime,
) -> dict[str, Any]:
    if not robots.allowed(item["url"]):  # 1.
        return {"status": "blocked", "last_diagnosis": "robots"}
    fetched = client.fetch(item["url"])
    attempts = item["attempts"] + 1
    if not fetched.ok:  # 2.
        status = (
            "failed" if attempts >= MAX_PAGE_ATTEMPTS or fetched.diagnosis == "gone" else "pending"
        )
        return {"status": status, "attempts": attempts, "last_diagnosis": fetched.diagnosis}
    page = extract_page(
        fetched.body,
        url=fetched.final_url,
        declared_charset=_charset_of(fetched.content_type),
        feed_published=item["published"],
        feed_summary=item["summary"],
        now=now,
    )
    if page.flags:  # 3.
        return {"status": "flagged", "attempts": attempts, "last_diagnosis": page.flags[0]}
    ident = "h-" + hashlib.sha1(item["canonical_url"].encode()).hexdigest()[:16]
    raw = RawItem(
        id=ident,
        url=item["url"],
        outlet=None,
        published=page.published,
        title=page.title or item["title"],
        text=page.text,
        authors=page.authors or tuple(item["authors"]),
        language=page.language,
        extra={"date_source": page.date_source, "encoding": page.encoding, "feed_item": item["id"]},
    )
    file_report = FileReport(path=f"feed item {item['id']}")
    writer.write([Record(line=item["id"], item=raw)], file_report)  # 4.
    if file_report.rejects:
        return {"status": "failed", "attempts": attempts, "last_diagnosis": "rejected"}
    # Already stored under this item's own id: an earlier run stored it and was stopped before
    # it could mark the item.
    ours = file_report.stored or writer.store.get_article(ident) is not None
    if not ours:
        return {"status": "duplicate", "attempts": attempts, "last_diagnosis": None}
    return {"status": "stored", "attempts": attempts, "last_diagnosis": None, "article_id": ident}


def _count_page(report: PagesReport, outcome: dict[str, Any]) -> None:
    status = outcome["status"]
    if status == "stored":
        report.stored += 1
    elif status == "duplicate":
        report.duplicate += 1
    elif status == "flagged":
        report.flagged += 1
    elif status == "blocked":
        report.blocked += 1
    elif status == "pending":
        report.retry_later += 1
    else:
        key = str(outcome.get("last_diagnosis"))
        report.failed[key] = report.failed.get(key, 0) + 1


def _charset_of(content_type: str | None) -> str | None:
    if not content_type or "charset=" not in content_type.lower():
        return None
    return content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None


@dataclass(kw_only=True)
class GdeltFileReport:
    """What one GDELT file gave, or why it could not be used."""

    name: str
    kept: int = 0
    new: int = 0
    urls: int = 0
    bad_rows: list[str] = field(default_factory=list)
    problem: str | None = None


def import_gdelt(
    store: Store,
    paths: Sequence[Path],
    settings: Settings,
    *,
    now: datetime,
    master: Path | None = None,
) -> list[GdeltFileReport]:
    """Import GDELT 2.0 Events and Mentions files (zipped) from files or folders.

    1. List the files: those given, the `*.export.CSV.zip` and `*.mentions.CSV.zip` files of the
       folders given, and, with a master list, every file it names (checked for size and MD5).
    2. Events first: keep those with a CRANK actor; store them; queue their source URLs.
    3. Then Mentions of the kept events: queue the URLs of the web documents that mention them.
    A file that is missing, truncated, corrupt or differs from the master list gets a `problem`.
    """
    files, reports = _gdelt_files(paths, master)  # 1.
    source = store.gdelt_source(now=now)
    kept: set[int] = set()
    for path in sorted(files, key=lambda p: ("mentions" in p.name.lower(), p.name)):
        report = GdeltFileReport(name=path.name)
        reports.append(report)
        try:
            if "mentions" in path.name.lower():
                _gdelt_mentions(store, path, kept, source, settings, report, now=now)  # 3.
            else:
                kept |= _gdelt_events(store, path, source, settings, report, now=now)  # 2.
        except gdelt.GdeltFileError as e:
            report.problem = str(e)
    return reports


def _gdelt_files(
    paths: Sequence[Path], master: Path | None
) -> tuple[list[Path], list[GdeltFileReport]]:
    files: list[Path] = []
    problems: list[GdeltFileReport] = []
    folders = [p for p in paths if p.is_dir()]
    for path in paths:
        if path.is_dir():
            files += [
                f
                for f in path.iterdir()
                if f.name.lower().endswith((".export.csv.zip", ".mentions.csv.zip"))
            ]
        else:
            files.append(path)
    if master is not None:
        try:
            entries = gdelt.read_master(master.read_text("utf-8"), name=master.name)
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{master}: cannot read the master file list ({e})") from e
        except gdelt.GdeltFileError as e:
            raise InputError(str(e)) from e
        base = folders[0] if folders else master.parent
        listed = {f.name: f for f in files}
        for entry in entries:
            if not entry.name.lower().endswith((".export.csv.zip", ".mentions.csv.zip")):
                continue
            path = listed.get(entry.name, base / entry.name)
            try:
                gdelt.check_against_master(path, entry)
            except gdelt.GdeltFileError as e:
                problems.append(GdeltFileReport(name=entry.name, problem=str(e)))
                files = [f for f in files if f.name != entry.name]
                continue
            if path not in files:
                files.append(path)
    return files, problems


def _gdelt_events(
    store: Store,
    path: Path,
    source: dict[str, Any],
    settings: Settings,
    report: GdeltFileReport,
    *,
    now: datetime,
) -> set[int]:
    rows, urls = [], []
    for found in gdelt.read_events(path):
        if isinstance(found, str):
            report.bad_rows.append(found)
            continue
        rows.append({**_event_row(found), "file": path.name})
        urls.append(found.source_url)
    report.kept = len(rows)
    report.new = store.add_gdelt_events(rows)
    report.urls = _queue_urls(store, source, urls, settings, now=now)
    return {row["event_id"] for row in rows}


def _gdelt_mentions(
    store: Store,
    path: Path,
    kept: set[int],
    source: dict[str, Any],
    settings: Settings,
    report: GdeltFileReport,
    *,
    now: datetime,
) -> None:
    urls = []
    for found in gdelt.read_mentions(path, kept):
        if isinstance(found, str):
            report.bad_rows.append(found)
            continue
        report.kept += 1
        urls.append(found.url)
    report.urls = _queue_urls(store, source, urls, settings, now=now)


def _event_row(event: gdelt.GdeltEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "day": event.day,
        "actor1_code": event.actor1_code,
        "actor1_country": event.actor1_country,
        "actor2_code": event.actor2_code,
        "actor2_country": event.actor2_country,
        "dyad": event.dyad,
        "event_code": event.event_code,
        "root_code": event.root_code,
        "quad_class": event.quad_class,
        "goldstein": event.goldstein,
        "num_mentions": event.num_mentions,
        "num_sources": event.num_sources,
        "num_articles": event.num_articles,
        "avg_tone": event.avg_tone,
        "source_url": event.source_url,
    }


def _queue_urls(
    store: Store, source: dict[str, Any], urls: list[str], settings: Settings, *, now: datetime
) -> int:
    """Queue article URLs to fetch (each canonical URL once, across runs and sources)."""
    items: dict[str, dict[str, Any]] = {}
    for url in urls:
        try:
            key = canonical_url(url, tracking_params=settings.ingest_tracking_params)
        except ValueError:
            continue
        items.setdefault(
            key,
            {
                "source_id": source["id"],
                "url": url,
                "canonical_url": key,
                "title": "",
                "summary": "",
                "published": None,
                "authors": [],
                "discovered_at": now,
                "status": "pending",
                "attempts": 0,
            },
        )
    return store.record_poll(source["id"], state={"last_checked": now}, items=list(items.values()))


def add_page(
    store: Store, client: HttpClient, settings: Settings, url: str, *, now: datetime
) -> str:
    """Fetch one page an editor names, store its article, code it and place it in a story, on
    the spot; returns the article's id (an article already stored under that URL is reused).

    1. Canonicalise the URL; robots.txt decides whether it may be fetched.
    2. Fetch and extract the page as `fetch_pages` does; a page without text is refused.
    3. Store it like any ingested article, then run the incremental stages (code, stories).
    """
    try:  # 1.
        key = canonical_url(url, tracking_params=settings.ingest_tracking_params)
    except ValueError as e:
        raise InputError(f"{url!r} is not a web address: {e}") from e
    if not RobotsRules(client, agent=settings.http_user_agent).allowed(url):
        raise InputError(f"robots.txt of {url} does not allow fetching it")
    fetched = client.fetch(url)  # 2.
    if not fetched.ok:
        raise InputError(f"cannot fetch {url}: {fetched.diagnosis} {fetched.detail}".strip())
    page = extract_page(
        fetched.body,
        url=fetched.final_url,
        declared_charset=_charset_of(fetched.content_type),
        now=now,
    )
    if not page.text.strip():
        raise InputError(f"found no article text at {url}")
    ident = "h-" + hashlib.sha1(key.encode()).hexdigest()[:16]
    raw = RawItem(
        id=ident,
        url=url,
        outlet=None,
        published=page.published,
        title=page.title or url,
        text=page.text,
        authors=page.authors,
        language=page.language,
        extra={"date_source": page.date_source, "encoding": page.encoding, "added_by": "desk"},
    )
    writer = _ArticleWriter(store, settings, now=now, report=IngestReport())
    file_report = FileReport(path=url)
    writer.write([Record(line=1, item=raw)], file_report)  # 3.
    if file_report.rejects:
        raise InputError(f"{url}: {file_report.rejects[0].reason}")
    stored = store.get_article(ident) or store.article_by_url(key)
    if stored is None:
        raise InputError(f"{url} could not be stored")
    run(store, now=now, settings=settings)
    return stored.id
