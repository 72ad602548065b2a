"""Live ingestion commands: sources, fetch, watch, extract (contract 7), gdelt import."""

from __future__ import annotations

import json
import signal
import sys
import time as clock
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crankcall.cli.base import (
    cli,
    common_options,
    current_time,
    echo_json,
    output_option,
    output_to,
    progress_bar,
    settings_for,
)
from crankcall.data import read_data
from crankcall.errors import InputError
from crankcall.ingest.http import HttpClient
from crankcall.ingest.opml import Subscription, read_opml, write_opml
from crankcall.pipeline import (
    add_sources,
    extract_file,
    fetch_pages,
    import_gdelt,
    init_store,
    poll_sources,
)
from crankcall.settings import Settings
from crankcall.store import Store, open_store


@cli.group()
def sources() -> None:
    """Manage the feeds crankcall polls: add, import and export OPML, list, status."""


@sources.command("add")
@common_options
@click.argument("urls", nargs=-1, required=True)
@click.option("--title", default="", help="A name for the feed (default: the feed's own).")
def sources_add(
    db: str | None, config_file: Path | None, urls: tuple[str, ...], title: str
) -> None:
    """Add feeds by URL (RSS, Atom or JSON Feed); known ones are left as they are."""
    settings = settings_for(db, config_file)
    subs = [Subscription(url=url, title=title) for url in urls]
    with open_store(settings.db, create=True) as store:
        init_store(store, settings)
        _print_sources_report(add_sources(store, subs, settings, now=current_time()))


@sources.command("import")
@common_options
@click.argument("opml_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--defaults", is_flag=True, help="Import crankcall's suggested public feeds.")
def sources_import(
    db: str | None, config_file: Path | None, opml_file: Path | None, defaults: bool
) -> None:
    """Add every feed listed in an OPML file (or, with --defaults, the suggested feeds)."""
    settings = settings_for(db, config_file)
    if defaults == (opml_file is not None):
        raise InputError("give either an OPML file or --defaults")
    if opml_file is None:
        data, name = read_data("default_sources.opml")
    else:
        try:
            data = opml_file.read_bytes()
        except OSError as e:
            raise InputError(f"{opml_file}: cannot be read ({e.strerror})") from e
        name = str(opml_file)
    try:
        subs = read_opml(data, name=name)
    except ValueError as e:
        raise InputError(str(e)) from e
    with open_store(settings.db, create=True) as store:
        init_store(store, settings)
        _print_sources_report(add_sources(store, subs, settings, now=current_time()))


def _print_sources_report(report: Any) -> None:
    click.echo(
        f"{len(report.added)} added, {len(report.known)} already known, "
        f"{len(report.refused)} refused"
    )
    for url, reason in report.refused:
        click.echo(f"  refused {url[:120]}: {reason}")


@sources.command("export")
@common_options
@output_option
def sources_export(db: str | None, config_file: Path | None, output: Path | None) -> None:
    """Write every source as OPML (stdout unless --output)."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        rows = store.sources()
    data = write_opml([Subscription(url=r["url"], title=r["title"] or "") for r in rows])
    if output is None:
        sys.stdout.write(data.decode("utf-8") + "\n")
        return
    try:
        output.write_bytes(data)
    except OSError as e:
        raise InputError(f"cannot write {output}: {e.strerror}") from e


@sources.command("list")
@common_options
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def sources_list(db: str | None, config_file: Path | None, output_format: str) -> None:
    """List the sources with their titles, intervals and whether they are on."""
    _show_sources(db, config_file, output_format, status=False)


@sources.command("status")
@common_options
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def sources_status(db: str | None, config_file: Path | None, output_format: str) -> None:
    """Per-source state: last success, last error with its diagnosis, next due time."""
    _show_sources(db, config_file, output_format, status=True)


def _show_sources(
    db: str | None, config_file: Path | None, output_format: str, *, status: bool
) -> None:
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        rows = store.sources()
    if output_format == "json":
        echo_json(
            [
                {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items()}
                for r in rows
            ],
            sys.stdout,
        )
        return
    if status:
        table = Table(
            "id",
            "source",
            "last success",
            "last error",
            "failures",
            "next due",
            title=f"{len(rows)} sources",
        )
        for r in rows:
            error = (
                f"{r['last_diagnosis']}: {r['last_detail'] or ''}" if r["last_diagnosis"] else ""
            )
            table.add_row(
                str(r["id"]),
                escape(r["title"] or r["url"]),
                _when(r["last_success"]),
                escape(error[:60]),
                str(r["failures"]),
                _when(r["next_due"]) if r["enabled"] else "off",
            )
    else:
        table = Table("id", "title", "url", "every", "on", "items", title=f"{len(rows)} sources")
        for r in rows:
            table.add_row(
                str(r["id"]),
                escape(r["title"] or ""),
                escape(r["url"]),
                f"{r['interval_minutes']} min",
                "yes" if r["enabled"] else "no",
                str(r["items_seen"]),
            )
    Console().print(table)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


@cli.command()
@common_options
@click.option(
    "--output-format", "report_format", type=click.Choice(["text", "json"]), default="text"
)
@click.option("--no-pages", is_flag=True, help="Only poll the feeds; leave the pages queued.")
@click.option(
    "--limit", type=click.IntRange(1), default=1000, help="Most pages fetched in this run."
)
def fetch(
    db: str | None, config_file: Path | None, report_format: str, no_pages: bool, limit: int
) -> None:
    """Poll every due source once, then fetch, extract and store the pages of new items."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store, HttpClient(settings) as client:
        summary = _fetch_round(store, client, settings, pages=not no_pages, limit=limit)
    if report_format == "json":
        echo_json(summary, sys.stdout)
    else:
        _print_fetch(summary)


@cli.command()
@common_options
@click.option(
    "--every",
    type=click.FloatRange(0.0),
    default=300.0,
    show_default=True,
    help="Seconds between two rounds.",
)
@click.option("--rounds", type=click.IntRange(1), default=None, help="Stop after this many rounds.")
@click.option("--limit", type=click.IntRange(1), default=1000, help="Most pages fetched per round.")
def watch(
    db: str | None, config_file: Path | None, every: float, rounds: int | None, limit: int
) -> None:
    """Run `fetch` again and again until stopped (Ctrl-C, SIGTERM) or after --rounds. Stopping,
    even with kill -9, loses nothing already stored; the next start carries on."""
    settings = settings_for(db, config_file)
    stop = _StopFlag()
    done = 0
    with open_store(settings.db) as store, HttpClient(settings) as client:
        while not stop.requested:
            _print_fetch(_fetch_round(store, client, settings, pages=True, limit=limit))
            done += 1
            if rounds is not None and done >= rounds:
                break
            stop.wait(every)
    click.echo(f"watch stopped after {done} round(s)")


class _StopFlag:
    """Set by SIGINT or SIGTERM, so a round in progress finishes its current transaction."""

    def __init__(self) -> None:
        self.requested = False
        signal.signal(signal.SIGTERM, self._set)
        signal.signal(signal.SIGINT, self._set)

    def _set(self, *_args: object) -> None:
        self.requested = True

    def wait(self, seconds: float) -> None:
        deadline = clock.monotonic() + seconds
        while not self.requested and clock.monotonic() < deadline:
            clock.sleep(min(0.2, max(0.0, deadline - clock.monotonic())))


def _fetch_round(
    store: Store, client: HttpClient, settings: Settings, *, pages: bool, limit: int
) -> dict[str, Any]:
    console = Console(stderr=True)
    now = current_time()
    run_id = store.start_run("fetch", args={"pages": pages}, now=now)
    due = len(store.sources(due_by=now))
    with progress_bar(console) as progress:
        task = progress.add_task("polling feeds", total=due or None)
        polled = poll_sources(
            store, client, settings, now=now, progress=lambda n: progress.advance(task, n)
        )
    fetched = None
    if pages:
        queued = store.feed_item_counts().get("pending", 0)
        with progress_bar(console) as progress:
            task = progress.add_task("fetching pages", total=min(queued, limit) or None)
            fetched = fetch_pages(
                store,
                client,
                settings,
                now=now,
                limit=limit,
                progress=lambda n: progress.advance(task, n),
            )
    summary = {**polled.as_dict(), "pages": fetched.as_dict() if fetched else None}
    store.finish_run(run_id, status="done", stats=summary, now=current_time())
    return summary


def _print_fetch(summary: dict[str, Any]) -> None:
    failed = ", ".join(f"{n} {k}" for k, n in sorted(summary["failed"].items())) or "none"
    click.echo(
        f"polled {summary['polled']} sources: {summary['unchanged']} unchanged, failed: {failed}; "
        f"{summary['new_items']} new items queued"
    )
    pages = summary["pages"]
    if pages is not None:
        failed_pages = ", ".join(f"{n} {k}" for k, n in sorted(pages["failed"].items())) or "none"
        click.echo(
            f"pages: {pages['stored']} stored, {pages['duplicate']} duplicate, "
            f"{pages['flagged']} flagged (paywall or script-rendered), "
            f"{pages['blocked_by_robots']} refused by robots.txt, {pages['retry_later']} to retry, "
            f"failed: {failed_pages}"
        )


@cli.command()
@common_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["jsonl"]), default="jsonl")
@output_option
def extract(
    db: str | None,
    config_file: Path | None,
    files: tuple[Path, ...],
    output_format: str,
    output: Path | None,
) -> None:
    """Extract articles from saved pages (.html or .html.gz, any encoding), no database (contract
    7): one JSON object per file, in order. A file that cannot be read gets {"file", "error"}."""
    settings_for(db, config_file)
    now = current_time()
    errors = 0
    with output_to(output) as handle:
        for path in files:
            row = extract_file(path, now=now)
            errors += "error" in row
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if errors:
        click.echo(
            f"crankcall: {errors} file(s) could not be read; see their 'error' field", err=True
        )


@cli.group("gdelt")
def gdelt_group() -> None:
    """GDELT 2.0 event files: import the events of the CRANK states and queue their articles."""


@gdelt_group.command("import")
@common_options
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--master",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A GDELT master file list: every file it names is checked for size and MD5.",
)
@click.option(
    "--output-format", "report_format", type=click.Choice(["text", "json"]), default="text"
)
def gdelt_import(
    db: str | None,
    config_file: Path | None,
    paths: tuple[Path, ...],
    master: Path | None,
    report_format: str,
) -> None:
    """Import Events (*.export.CSV.zip) and Mentions (*.mentions.CSV.zip) files or folders. Files
    that are missing, truncated, corrupt or differ from the master list are named; exit 2 then."""
    settings = settings_for(db, config_file)
    with open_store(settings.db, create=True) as store:
        init_store(store, settings)
        reports = import_gdelt(store, list(paths), settings, now=current_time(), master=master)
    if report_format == "json":
        echo_json([r.__dict__ for r in reports], sys.stdout)
    else:
        for r in reports:
            if r.problem:
                click.echo(f"{r.name}: not imported: {r.problem}")
            else:
                click.echo(
                    f"{r.name}: {r.kept} kept ({r.new} new), {r.urls} URLs queued, "
                    f"{len(r.bad_rows)} malformed rows"
                )
    bad = [r.name for r in reports if r.problem]
    if bad:
        raise InputError(f"{len(bad)} GDELT file(s) could not be imported: {', '.join(bad)}")
