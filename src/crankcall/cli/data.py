"""Commands over the store's contents: init, ingest, search, stats, export, settings, outlets."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crankcall.cli.base import (
    cli,
    common_options,
    current_time,
    day,
    echo_json,
    output_option,
    output_to,
    progress_bar,
    settings_for,
    table_console,
)
from crankcall.errors import CrankcallError, InputError
from crankcall.pipeline import (
    ingest_files,
    init_store,
)
from crankcall.settings import describe, load_settings
from crankcall.store import open_store

EXPORT_FIELDS = ("id", "url", "outlet", "published", "title", "text", "authors", "language", "kind")


@cli.command()
@common_options
def init(db: str | None, config_file: Path | None) -> None:
    """Create the database (or migrate it to the newest schema) and load the outlets table."""
    settings = settings_for(db, config_file)
    with open_store(settings.db, create=True) as store:
        changed = init_store(store, settings)
        click.echo(
            f"database {store.name} ready ({store.backend}, schema {store.schema_version()}); "
            f"{changed} outlets added or updated"
        )


@cli.command()
@common_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "input_format",
    type=click.Choice(["jsonl", "csv"]),
    default=None,
    help="Input format (default: from the file name: .jsonl/.ndjson or .csv, optionally .gz).",
)
@click.option(
    "--rejects-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for <file>.rejects.jsonl (default: setting ingest_rejects_dir).",
)
@click.option(
    "--output-format",
    "report_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="How to print the closing summary.",
)
@click.option("--strict", is_flag=True, help="Exit with status 2 when any line was rejected.")
def ingest(
    db: str | None,
    config_file: Path | None,
    files: tuple[Path, ...],
    input_format: str | None,
    rejects_dir: str | None,
    report_format: str,
    strict: bool,
) -> None:
    """Store the articles in JSONL or CSV FILES (contract 1). Re-ingesting changes nothing; bad
    lines are reported with their line number and written to a rejects file."""
    settings = settings_for(db, config_file, ingest_rejects_dir=rejects_dir)
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    console = Console(stderr=True)
    with open_store(settings.db, create=True) as store:
        init_store(store, settings)
        started = current_time()
        run = store.start_run("ingest", args={"files": [str(p) for p in files]}, now=started)
        total = sum(_count_lines(p) for p in files)
        with progress_bar(console) as progress:
            task = progress.add_task("ingesting", total=total or None)
            try:
                report = ingest_files(
                    store,
                    list(files),
                    settings,
                    now=started,
                    input_format=input_format,
                    progress=lambda n: progress.advance(task, n),
                )
            except CrankcallError as e:
                store.finish_run(run, status="failed", stats={"error": str(e)}, now=current_time())
                raise
        store.finish_run(run, status="done", stats=report.as_dict(), now=current_time())
    _print_ingest_report(report.as_dict(), report_format, store.name)
    if strict and report.rejected:
        sys.exit(2)


def _count_lines(path: Path) -> int:
    if path.suffix.lower() == ".gz":
        return 0
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def _print_ingest_report(report: dict[str, Any], report_format: str, name: str) -> None:
    if report_format == "json":
        echo_json(report, sys.stdout)
        return
    for entry in report["files"]:
        click.echo(
            f"{entry['path']}: {entry['stored']} stored, {entry['duplicate']} duplicate, "
            f"{entry['rejected']} rejected"
        )
        if entry["near_duplicates"]:
            click.echo(
                f"  {entry['near_duplicates']} stored articles nearly repeat an earlier one "
                "(syndicated copies); each is linked to its original"
            )
        if entry["conflicting"]:
            click.echo(
                f"  {entry['conflicting']} duplicates carry an id already stored with other "
                "content; the stored version was kept"
            )
        if entry["rejects_file"]:
            click.echo(f"  rejected lines written to {entry['rejects_file']}")
    if report["new_outlets"]:
        shown = ", ".join(report["new_outlets"][:20])
        more = len(report["new_outlets"]) - 20
        click.echo(
            f"new outlets added as kind 'unknown' ({len(report['new_outlets'])}): {shown}"
            + (f" and {more} more" if more > 0 else "")
        )
    click.echo(
        f"total: {report['stored']} stored, {report['duplicate']} duplicate, "
        f"{report['rejected']} rejected, in {name}"
    )


@cli.command()
@common_options
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 10_000), default=None, help="Most results shown.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def search(
    db: str | None, config_file: Path | None, query: str, limit: int | None, output_format: str
) -> None:
    """Full-text search over titles and texts. QUERY takes words, "phrases", OR and -exclusions."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        hits = store.search(query, limit=limit or settings.search_limit)
    if output_format == "json":
        echo_json(
            [
                {
                    "id": h.id,
                    "title": h.title,
                    "outlet": h.outlet,
                    "published": h.published.isoformat() if h.published else None,
                    "url": h.url,
                    "snippet": h.snippet,
                    "rank": round(h.rank, 6),
                }
                for h in hits
            ],
            sys.stdout,
        )
        return
    table = Table(
        "id", "published", "outlet", "title", title=escape(f"{len(hits)} results for {query!r}")
    )
    for h in hits:
        day = h.published.date().isoformat() if h.published else ""
        table.add_row(escape(h.id), day, escape(h.outlet), escape(h.title))
    table_console().print(table)


@cli.command()
@common_options
@click.option("--format", "output_format", type=click.Choice(["json", "table"]), default="table")
def stats(db: str | None, config_file: Path | None, output_format: str) -> None:
    """Counts of what is stored (contract 6 with --format json)."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        figures = store.stats()
    if output_format == "json":
        echo_json(figures, sys.stdout)
        return
    table = Table("what", "count", title=f"crankcall database {settings.db}")
    for key, value in figures.items():
        table.add_row(
            key, json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
        )
    table_console().print(table)


@cli.command()
@common_options
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv"]), default="jsonl")
@click.option("--since", default=None, metavar="DATE", help="Published on or after DATE.")
@click.option("--until", default=None, metavar="DATE", help="Published before DATE.")
@output_option
def export(
    db: str | None,
    config_file: Path | None,
    output_format: str,
    since: str | None,
    until: str | None,
    output: Path | None,
) -> None:
    """Write stored articles as JSONL or CSV in contract 1's form (ready to ingest elsewhere)."""
    settings = settings_for(db, config_file)
    start, end = day(since, "--since"), day(until, "--until")
    console = Console(stderr=True)
    with open_store(settings.db) as store, output_to(output) as handle:
        kinds = {o.name: o.kind for o in store.outlets()}
        total = store.count_articles(since=start, until=end)
        writer = _export_writer(handle, output_format)
        with progress_bar(console) as progress:
            task = progress.add_task("exporting", total=total)
            for article in store.iter_articles(since=start, until=end):
                row = {
                    "id": article.id,
                    "url": article.url,
                    "outlet": article.outlet,
                    "published": article.published.isoformat() if article.published else None,
                    "title": article.title,
                    "text": article.text,
                    "authors": list(article.authors),
                    "language": article.language,
                    "kind": kinds.get(article.outlet),
                    **{k: v for k, v in article.extra.items() if k not in EXPORT_FIELDS},
                }
                writer(row)
                progress.advance(task)


def _export_writer(handle: IO[str], output_format: str) -> Callable[[dict[str, Any]], None]:
    if output_format == "jsonl":

        def write_json(row: dict[str, Any]) -> None:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")

        return write_json
    writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS, extrasaction="ignore")
    writer.writeheader()

    def write(row: dict[str, Any]) -> None:
        writer.writerow({**row, "authors": "; ".join(row["authors"])})

    return write


@cli.command("settings")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Settings file (default: ./crankcall.toml when present).",
)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def settings_command(config_file: Path | None, output_format: str) -> None:
    """Show every setting: value, type, where the value came from, and what it does."""
    rows = describe(load_settings(config_file=config_file))
    if output_format == "json":
        echo_json(rows, sys.stdout)
        return
    table = Table("name", "value", "type", "source", "help")
    for row in rows:
        table.add_row(row["name"], str(row["value"]), row["type"], row["source"], row["help"])
    table_console().print(table)


@cli.command()
@common_options
@click.option("--kind", default=None, help="Only outlets of this kind.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def outlets(db: str | None, config_file: Path | None, kind: str | None, output_format: str) -> None:
    """List the outlets in the database, with kind, country, language and state affiliation."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        rows = [o for o in store.outlets() if kind is None or o.kind == kind]
    if output_format == "json":
        echo_json(
            [
                {
                    "name": o.name,
                    "domain": o.domain,
                    "kind": o.kind,
                    "country": o.country,
                    "language": o.language,
                    "state_affiliated": o.state_affiliated,
                }
                for o in rows
            ],
            sys.stdout,
        )
        return
    table = Table(
        "name", "domain", "kind", "country", "language", "state", title=f"{len(rows)} outlets"
    )
    for o in rows:
        table.add_row(
            escape(o.name),
            o.domain or "",
            o.kind,
            o.country or "",
            o.language or "",
            "yes" if o.state_affiliated else "",
        )
    table_console().print(table)
