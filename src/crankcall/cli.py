"""The command-line interface: a thin shell over the library.

Every command parses its input, opens the store, calls one library function and shows the result.
Any `CrankcallError` becomes one line on stderr and exit status 2 (contract: bad input exits 2).
"""

from __future__ import annotations

import csv
import json
import logging
import os
import signal
import sys
import tempfile
import time as clock
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from crankcall import __version__
from crankcall.analyze.coder import default_coder
from crankcall.data import read_data
from crankcall.errors import CrankcallError, InputError, NotFoundError
from crankcall.ingest.http import HttpClient
from crankcall.ingest.opml import Subscription, read_opml, write_opml
from crankcall.pipeline import (
    add_sources,
    candidates,
    code_file,
    draft,
    evaluate,
    evaluate_stories,
    extract_file,
    fetch_pages,
    import_gdelt,
    ingest_files,
    init_store,
    load_gold,
    merge_stories,
    move_articles,
    poll_sources,
    run,
)
from crankcall.publish import FORMATS, render
from crankcall.settings import Settings, describe, load_settings
from crankcall.store import Store, open_store

F = TypeVar("F", bound=Callable[..., Any])
EXPORT_FIELDS = ("id", "url", "outlet", "published", "title", "text", "authors", "language", "kind")


class CrankcallGroup(click.Group):
    """Turns crankcall's errors into one-line messages and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrankcallError as e:
            _fail(str(e), status=2)
        except KeyboardInterrupt:
            _fail("interrupted", status=130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as e:
            if os.environ.get("CRANKCALL_DEBUG"):
                raise
            _fail(f"internal error: {type(e).__name__}: {e} (set CRANKCALL_DEBUG=1 for details)", 1)


def _fail(message: str, status: int) -> None:
    click.echo(f"crankcall: error: {message}", err=True)
    sys.exit(status)


def common_options(function: F) -> F:
    """`--db` and `--config`, accepted by every command."""
    function = click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Settings file (default: ./crankcall.toml when present).",
    )(function)
    function = click.option(
        "--db",
        default=None,
        metavar="URL",
        help="Database URL or SQLite path (default: $CRANKCALL_DB, else ./crankcall.db).",
    )(function)
    return function


def _settings(db: str | None, config_file: Path | None, **flags: Any) -> Settings:
    settings = load_settings(config_file=config_file, overrides={"db": db, **flags})
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    return settings


def _now() -> datetime:
    return datetime.now(UTC)


def _day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date (use YYYY-MM-DD)") from None


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror}") from e
    with handle:
        yield handle


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def _echo_json(data: Any, handle: IO[str]) -> None:
    handle.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@click.group(cls=CrankcallGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crankcall")
def cli() -> None:
    """crankcall: drafts CRANK Call, a monthly sourced review of cooperation and contention among
    China, Russia, Iran and North Korea, and keeps the coded data behind it."""


@cli.command()
@common_options
def init(db: str | None, config_file: Path | None) -> None:
    """Create the database (or migrate it to the newest schema) and load the outlets table."""
    settings = _settings(db, config_file)
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
    settings = _settings(db, config_file, ingest_rejects_dir=rejects_dir)
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    console = Console(stderr=True)
    with open_store(settings.db, create=True) as store:
        init_store(store, settings)
        started = _now()
        run = store.start_run("ingest", args={"files": [str(p) for p in files]}, now=started)
        total = sum(_count_lines(p) for p in files)
        with _progress(console) as progress:
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
                store.finish_run(run, status="failed", stats={"error": str(e)}, now=_now())
                raise
        store.finish_run(run, status="done", stats=report.as_dict(), now=_now())
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
        _echo_json(report, sys.stdout)
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
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        hits = store.search(query, limit=limit or settings.search_limit)
    if output_format == "json":
        _echo_json(
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
    Console().print(table)


@cli.command()
@common_options
@click.option("--format", "output_format", type=click.Choice(["json", "table"]), default="table")
def stats(db: str | None, config_file: Path | None, output_format: str) -> None:
    """Counts of what is stored (contract 6 with --format json)."""
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        figures = store.stats()
    if output_format == "json":
        _echo_json(figures, sys.stdout)
        return
    table = Table("what", "count", title=f"crankcall database {settings.db}")
    for key, value in figures.items():
        table.add_row(
            key, json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
        )
    Console().print(table)


@cli.command()
@common_options
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv"]), default="jsonl")
@click.option("--since", default=None, metavar="DATE", help="Published on or after DATE.")
@click.option("--until", default=None, metavar="DATE", help="Published before DATE.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of stdout.",
)
def export(
    db: str | None,
    config_file: Path | None,
    output_format: str,
    since: str | None,
    until: str | None,
    output: Path | None,
) -> None:
    """Write stored articles as JSONL or CSV in contract 1's form (ready to ingest elsewhere)."""
    settings = _settings(db, config_file)
    start, end = _day(since, "--since"), _day(until, "--until")
    console = Console(stderr=True)
    with open_store(settings.db) as store, _output(output) as handle:
        kinds = {o.name: o.kind for o in store.outlets()}
        total = store.count_articles(since=start, until=end)
        writer = _export_writer(handle, output_format)
        with _progress(console) as progress:
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
        _echo_json(rows, sys.stdout)
        return
    table = Table("name", "value", "type", "source", "help")
    for row in rows:
        table.add_row(row["name"], str(row["value"]), row["type"], row["source"], row["help"])
    Console().print(table)


@cli.command()
@common_options
@click.option("--kind", default=None, help="Only outlets of this kind.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
def outlets(db: str | None, config_file: Path | None, kind: str | None, output_format: str) -> None:
    """List the outlets in the database, with kind, country, language and state affiliation."""
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        rows = [o for o in store.outlets() if kind is None or o.kind == kind]
    if output_format == "json":
        _echo_json(
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
    Console().print(table)


@cli.command("code")
@common_options
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Articles as JSONL (contract 1); title-only lines are fine.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of stdout.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to code with (default: one per CPU).",
)
def code_command(
    db: str | None,
    config_file: Path | None,
    input_path: Path,
    output: Path | None,
    workers: int | None,
) -> None:
    """Code articles without a database (contract 2): one JSON object per input line, in order.
    A line that cannot be read becomes {"line": N, "error": REASON}."""
    settings = _settings(db, config_file)
    with _output(output) as handle:
        errors = code_file(input_path, handle, settings, now=_now(), workers=workers)
    if errors:
        click.echo(
            f"crankcall: {errors} line(s) could not be coded; see their 'error' field", err=True
        )


@cli.command("run")
@common_options
@click.option(
    "--rebuild-stories",
    is_flag=True,
    help="Cluster every article again (after changing story settings); editors' merges, "
    "splits and moves are kept.",
)
def run_command(db: str | None, config_file: Path | None, rebuild_stories: bool) -> None:
    """Run every stage over what is stored (contract 5); only new articles, or articles coded
    by another coder version, are coded, and only articles no story holds are placed."""
    settings = _settings(db, config_file)
    console = Console(stderr=True)
    with open_store(settings.db) as store:
        if rebuild_stories:
            store.clear_machine_stories()
        coder = default_coder()
        total = store.count_to_code(coder.version)
        with _progress(console) as progress:
            task = progress.add_task("coding", total=total or None)
            report = run(
                store,
                now=_now(),
                settings=settings,
                coder=coder,
                progress=lambda n: progress.advance(task, n),
            )
    click.echo(
        f"coded {report.coded} articles ({report.relevant} relevant) with {report.coder_version}; "
        f"placed {report.placed} in stories ({report.stories_new} new, "
        f"{report.stories_updated} grown)"
    )


def window_options(function: F) -> F:
    """`--since`, `--until` (both days, inclusive) or `--month` for a calendar month."""
    function = click.option(
        "--month", metavar="YYYY-MM", help="The calendar month (instead of --since/--until)."
    )(function)
    function = click.option("--until", metavar="DATE", help="Last day of the window (inclusive).")(
        function
    )
    function = click.option("--since", metavar="DATE", help="First day of the window.")(function)
    return function


def _window(
    since: str | None, until: str | None, month: str | None
) -> tuple[datetime, datetime, str]:
    """(start, end exclusive, month label) of a coverage window from the command's options."""
    label = None
    if month is not None:
        try:
            first = date.fromisoformat(month + "-01")
        except ValueError:
            raise InputError(f"--month {month!r} is not a month (use YYYY-MM)") from None
        label = month
        if since is None and until is None:
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            start = datetime.combine(first, time(), tzinfo=UTC)
            return start, datetime.combine(following, time(), tzinfo=UTC), label
    begin, last = _day(since, "--since"), _day(until, "--until")
    if begin is None or last is None:
        raise InputError("give --month YYYY-MM, or both --since and --until")
    end = last + timedelta(days=1)
    if end <= begin:
        raise InputError(f"--until {until} is before --since {since}")
    return begin, end, label or f"{last:%Y-%m}"


@cli.command("draft")
@common_options
@window_options
@click.option(
    "--format",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help="Output form (json is contract 4; default md). Repeat it with --output-dir.",
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write crankcall-YYYY-MM.<format> here for every --format given.",
)
@click.option("--no-save", is_flag=True, help="Print the draft without storing it.")
def draft_command(
    db: str | None,
    config_file: Path | None,
    since: str | None,
    until: str | None,
    month: str | None,
    formats: tuple[str, ...],
    output: Path | None,
    output_dir: Path | None,
    no_save: bool,
) -> None:
    """Draft the month's issue from what is stored, every sentence cited (contract 4), and keep
    it as the month's draft. --month names the issue; its window is the calendar month unless
    --since and --until widen it."""
    formats = formats or ("md",)
    if len(formats) > 1 and output_dir is None:
        raise InputError("give --output-dir to write more than one format")
    if output is not None and output_dir is not None:
        raise InputError("give --output or --output-dir, not both")
    settings = _settings(db, config_file)
    start, end, label = _window(since, until, month)
    with open_store(settings.db) as store:
        issue = draft(store, settings, since=start, until=end, month=label, save=not no_save)
    issue["window"]["until"] = (end - timedelta(days=1)).date().isoformat()
    bodies = {
        fmt: render(issue, fmt, templates_dir=settings.templates_dir or None) for fmt in formats
    }
    if output_dir is not None:
        written = []
        for fmt, body in bodies.items():
            path = output_dir / f"crankcall-{issue['month']}.{fmt}"
            _write_bytes(path, body)
            written.append(path)
        click.echo(_draft_summary(issue, written), err=True)
        return
    body = bodies[formats[0]]
    if output is not None:
        _write_bytes(output, body)
        return
    if formats[0] == "pdf" and sys.stdout.isatty():
        raise InputError("a PDF is not for the terminal: give --output FILE.pdf")
    sys.stdout.buffer.write(body)
    sys.stdout.flush()


def _write_bytes(path: Path, body: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror}") from e


def _draft_summary(issue: dict[str, Any], paths: list[Path]) -> str:
    sentences = [s for h in issue["highlights"] for p in h["paragraphs"] for s in p["sentences"]]
    cited = {a for s in sentences for a in s["articles"]} | {
        a
        for section in ("links", "analysis", "perspectives")
        for e in issue[section]
        for a in e["articles"]
    }
    lines = [
        f"drafted {issue['title']} ({issue['window']['since']} to {issue['window']['until']}): "
        f"{len(issue['highlights'])} highlights ({len(sentences)} sentences), "
        f"{len(issue['links'])} links, {len(issue['analysis'])} analysis, "
        f"{len(issue['perspectives'])} perspectives, citing {len(cited)} articles",
        *(f"  {path}" for path in paths),
    ]
    return "\n".join(lines)


@cli.group("story")
def story_group() -> None:
    """An editor's decisions on stories: pin, exclude, move articles, merge, split. They are
    stored and survive every later run."""


def _story_flag(db: str | None, config_file: Path | None, story: str, flag: str, on: bool) -> None:
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        store.set_story_flag(story, flag=flag, value=on, now=_now())


@story_group.command("pin")
@common_options
@click.argument("story")
@click.option("--off", is_flag=True, help="Remove the pin.")
def story_pin(db: str | None, config_file: Path | None, story: str, off: bool) -> None:
    """Pin STORY to the top of the ranking (or unpin it with --off)."""
    _story_flag(db, config_file, story, "pinned", not off)
    click.echo(f"{'unpinned' if off else 'pinned'} {story}")


@story_group.command("exclude")
@common_options
@click.argument("story")
@click.option("--off", is_flag=True, help="Bring the story back.")
def story_exclude(db: str | None, config_file: Path | None, story: str, off: bool) -> None:
    """Leave STORY out of candidates and drafts (or bring it back with --off)."""
    _story_flag(db, config_file, story, "excluded", not off)
    click.echo(f"{'included' if off else 'excluded'} {story}")


@story_group.command("move")
@common_options
@click.argument("articles", nargs=-1, required=True)
@click.option("--to", "target", required=True, metavar="STORY", help="The receiving story.")
def story_move(
    db: str | None, config_file: Path | None, articles: tuple[str, ...], target: str
) -> None:
    """Move ARTICLES (ids) into another story."""
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        moved = move_articles(store, list(articles), target, now=_now())
    click.echo(f"moved {len(articles)} article(s) to {moved}")


@story_group.command("split")
@common_options
@click.argument("articles", nargs=-1, required=True)
def story_split(db: str | None, config_file: Path | None, articles: tuple[str, ...]) -> None:
    """Take ARTICLES (ids) out of their stories into a new story of their own."""
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        created = move_articles(store, list(articles), None, now=_now())
    click.echo(f"split {len(articles)} article(s) into {created}")


@story_group.command("merge")
@common_options
@click.argument("source")
@click.argument("target")
def story_merge(db: str | None, config_file: Path | None, source: str, target: str) -> None:
    """Merge story SOURCE into story TARGET."""
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        merge_stories(store, source, target, now=_now())
    click.echo(f"merged {source} into {target}")


@cli.command("candidates")
@common_options
@window_options
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the top N.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def candidates_command(
    db: str | None,
    config_file: Path | None,
    since: str | None,
    until: str | None,
    month: str | None,
    limit: int | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Ranked stories of a window with the components behind each score (contract 3)."""
    settings = _settings(db, config_file)
    start, end, label = _window(since, until, month)
    with open_store(settings.db) as store:
        found = candidates(store, settings, since=start, until=end, month=label, limit=limit)
    found["window"]["until"] = (end - timedelta(days=1)).date().isoformat()
    with _output(output) as handle:
        if fmt == "json":
            _echo_json(found, handle)
            return
        console = Console(file=handle, highlight=False, width=None if output is None else 160)
        table = Table("#", "score", "section", "dyads", "relation", "headline", "why")
        for story in found["stories"]:
            c = story["components"]
            why = (
                f"cons {c['consequence']:.2f} br {c['breadth']:.2f} ({c['outlets']:.0f} outlets) "
                f"nov {c['novelty']:.2f} rel {c['relevance']:.2f}"
                + (" PINNED" if c["pinned"] else "")
            )
            table.add_row(
                str(story["rank"]),
                f"{story['score']:.3f}",
                story["section"],
                " ".join(story["dyads"]) or "-",
                story["relation"],
                escape(story["headline"]),
                why,
            )
        console.print(table)


@cli.command()
@common_options
@click.argument("article")
def explain(db: str | None, config_file: Path | None, article: str) -> None:
    """Show why ARTICLE (an article id) is coded as it is: mentions, evidence, cues and rules."""
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        stored = store.get_article(article)
    if stored is None:
        raise NotFoundError(f"no article with id {article!r} in {settings.db}")
    coded = default_coder().code(
        id=stored.id,
        title=stored.title,
        text=stored.text,
        published=stored.published.date() if stored.published else None,
    )
    console = Console(highlight=False)
    console.print(
        f"[bold]{escape(stored.title)}[/] ({escape(stored.outlet)}, "
        f"{stored.published or 'undated'})"
    )
    console.print(
        f"relevant {coded.relevant} (score {coded.score:.2f})  "
        f"dyads {', '.join(coded.dyads) or '-'}  relation {coded.relation}  topic {coded.topic}  "
        f"event {coded.event_type or '-'}  intensity {coded.intensity:+.1f}  coder {coded.coder}"
    )
    table = Table("actor", "state", "text", "span", "sentence", title="mentions")
    for m in coded.actors:
        table.add_row(
            m.actor_id, m.country or "", escape(m.text), f"{m.start}-{m.end}", str(m.sentence)
        )
    console.print(table)
    for interaction in coded.interactions:
        console.print(
            f"[bold]{interaction.dyad}[/] {interaction.relation} {interaction.event_type}"
        )
        for evidence in interaction.evidence:
            console.print(f"  - {escape(evidence.text)}")
    console.print("[bold]rules[/]")
    for rule in coded.rules:
        console.print(f"  {escape(rule)}")


@cli.command("eval")
@click.option(
    "--gold",
    "gold_paths",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Gold files (default: tests/gold/coding-*.jsonl and data/sample/articles-*.jsonl).",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "all"]),
    default="test",
    help="Which part of the gold sets to score (test: the part not looked at while tuning).",
)
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--errors", "show_errors", type=click.IntRange(0), default=0, help="Show this many errors."
)
@click.option(
    "--stories",
    is_flag=True,
    help="Score stories instead: build a scratch database from the demo corpus, run every stage, "
    "and print B-cubed and the ranks of the editor's picks per month.",
)
def eval_command(
    gold_paths: tuple[Path, ...], split: str, output_format: str, show_errors: int, stories: bool
) -> None:
    """Score the coder on gold sets: relevance and dyads (P/R/F1), relation (macro-F1 and
    confusion matrix), topic and event type (accuracy). With --stories, score clustering and
    ranking on the demo corpus."""
    if stories:
        _eval_stories(list(gold_paths), split, output_format)
        return
    paths = list(gold_paths) or sorted(Path("tests/gold").glob("coding-*.jsonl")) + sorted(
        Path("data/sample").glob("articles-*.jsonl")
    )
    if not paths:
        raise InputError("no gold files found; run from the repository or give --gold")
    items = [i for i in load_gold(paths) if split == "all" or i.split == split]
    report = evaluate(items, default_coder())
    if output_format == "json":
        _echo_json(
            {
                "items": report.items,
                "split": split,
                "figures": report.figures(),
                "relevance": asdict(report.relevance),
                "dyads": asdict(report.dyads),
                "relation_f1": report.relation_f1,
                "relation_confusion": report.relation_confusion,
            },
            sys.stdout,
        )
        return
    _print_eval(report, split, show_errors)


def _eval_stories(paths: list[Path], split: str, output_format: str) -> None:
    paths = paths or sorted(Path("data/sample").glob("articles-*.jsonl"))
    if not paths:
        raise InputError("no demo corpus found; run from the repository or give --gold")
    dev = {"2024-06", "2024-07"}
    paths = [
        p
        for p in paths
        if split == "all" or (p.stem.removeprefix("articles-") in dev) == (split == "dev")
    ]
    with tempfile.TemporaryDirectory(prefix="crankcall-eval-") as scratch:
        settings = load_settings(overrides={"db": str(Path(scratch) / "eval.db")})
        with open_store(settings.db, create=True) as store:
            init_store(store, settings)
            ingest_files(store, paths, settings, now=_now())
            run(store, now=_now(), settings=settings)
            result = evaluate_stories(store, settings, paths)
    if output_format == "json":
        _echo_json({"split": split, "months": result.as_dict()}, sys.stdout)
        return
    table = Table(
        "month",
        "articles",
        "B3 precision",
        "B3 recall",
        "B3 F1",
        "highlights in top 10",
        "picks in top 25",
        title=f"stories ({split})",
    )
    for month, figures in result.months.items():
        picks = result.picks[month]
        table.add_row(
            month,
            str(figures.articles),
            f"{figures.precision:.3f}",
            f"{figures.recall:.3f}",
            f"{figures.f1:.3f}",
            f"{picks.share_within(10, ['highlight']):.0%}",
            f"{picks.share_within(25):.0%}",
        )
    Console().print(table)


def _print_eval(report: Any, split: str, show_errors: int) -> None:
    console = Console()
    table = Table(
        "measure", "precision", "recall", "F1", title=f"{report.items} gold items ({split})"
    )
    for name, figures in (("relevance", report.relevance), ("dyads", report.dyads)):
        table.add_row(
            name, f"{figures.precision:.3f}", f"{figures.recall:.3f}", f"{figures.f1:.3f}"
        )
    console.print(table)
    console.print(
        f"relation macro-F1 {report.relation_macro_f1:.3f}  "
        + "  ".join(f"{k} {v:.3f}" for k, v in report.relation_f1.items())
    )
    confusion = Table("gold \\ coded", *report.relation_confusion, title="relation confusion")
    for gold, row in report.relation_confusion.items():
        confusion.add_row(gold, *(str(n) for n in row.values()))
    console.print(confusion)
    console.print(
        f"topic accuracy {report.topic_accuracy:.3f}   "
        f"event type accuracy {report.event_accuracy:.3f}"
    )
    for error in report.errors[:show_errors]:
        console.print(
            f"[bold]{escape(error['id'])}[/] {escape(error['title'])}\n"
            f"  gold {error['gold']}\n  got  {error['got']}\n  {'; '.join(error['rules'])}",
            markup=True,
            highlight=False,
        )


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
    settings = _settings(db, config_file)
    subs = [Subscription(url=url, title=title) for url in urls]
    with open_store(settings.db, create=True) as store:
        init_store(store, settings)
        _print_sources_report(add_sources(store, subs, settings, now=_now()))


@sources.command("import")
@common_options
@click.argument("opml_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--defaults", is_flag=True, help="Import crankcall's suggested public feeds.")
def sources_import(
    db: str | None, config_file: Path | None, opml_file: Path | None, defaults: bool
) -> None:
    """Add every feed listed in an OPML file (or, with --defaults, the suggested feeds)."""
    settings = _settings(db, config_file)
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
        _print_sources_report(add_sources(store, subs, settings, now=_now()))


def _print_sources_report(report: Any) -> None:
    click.echo(
        f"{len(report.added)} added, {len(report.known)} already known, "
        f"{len(report.refused)} refused"
    )
    for url, reason in report.refused:
        click.echo(f"  refused {url[:120]}: {reason}")


@sources.command("export")
@common_options
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def sources_export(db: str | None, config_file: Path | None, output: Path | None) -> None:
    """Write every source as OPML (stdout unless --output)."""
    settings = _settings(db, config_file)
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
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        rows = store.sources()
    if output_format == "json":
        _echo_json(
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
    settings = _settings(db, config_file)
    with open_store(settings.db) as store, HttpClient(settings) as client:
        summary = _fetch_round(store, client, settings, pages=not no_pages, limit=limit)
    if report_format == "json":
        _echo_json(summary, sys.stdout)
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
    settings = _settings(db, config_file)
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
    now = _now()
    run_id = store.start_run("fetch", args={"pages": pages}, now=now)
    due = len(store.sources(due_by=now))
    with _progress(console) as progress:
        task = progress.add_task("polling feeds", total=due or None)
        polled = poll_sources(
            store, client, settings, now=now, progress=lambda n: progress.advance(task, n)
        )
    fetched = None
    if pages:
        queued = store.feed_item_counts().get("pending", 0)
        with _progress(console) as progress:
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
    store.finish_run(run_id, status="done", stats=summary, now=_now())
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
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def extract(
    db: str | None,
    config_file: Path | None,
    files: tuple[Path, ...],
    output_format: str,
    output: Path | None,
) -> None:
    """Extract articles from saved pages (.html or .html.gz, any encoding), no database (contract
    7): one JSON object per file, in order. A file that cannot be read gets {"file", "error"}."""
    _settings(db, config_file)
    now = _now()
    errors = 0
    with _output(output) as handle:
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
    settings = _settings(db, config_file)
    with open_store(settings.db, create=True) as store:
        init_store(store, settings)
        reports = import_gdelt(store, list(paths), settings, now=_now(), master=master)
    if report_format == "json":
        _echo_json([r.__dict__ for r in reports], sys.stdout)
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


@cli.command()
@common_options
@click.option("--host", default=None, help="Address to listen on (default: setting web_host).")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="Port (default: web_port)."
)
def serve(db: str | None, config_file: Path | None, host: str | None, port: int | None) -> None:
    """Run the editor's desk, the public archive and the JSON API (see docs/web.md)."""
    import uvicorn

    from crankcall.web import create_app

    settings = _settings(db, config_file, web_host=host, web_port=port)
    app = create_app(settings)
    click.echo(f"crankcall desk on http://{settings.web_host}:{settings.web_port}/ ({settings.db})")
    uvicorn.run(app, host=settings.web_host, port=settings.web_port, log_level="warning")


@cli.group("user")
def user_group() -> None:
    """Accounts of the editor's desk."""


@user_group.command("add")
@common_options
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "editor", "viewer"]),
    required=True,
    help="What it may do.",
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (one line)."
)
def user_add(
    db: str | None, config_file: Path | None, name: str, role: str, password_stdin: bool
) -> None:
    """Add a desk account NAME with a role; the password is asked for (or read from stdin)."""
    from crankcall.web.auth import hash_password

    settings = _settings(db, config_file)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise InputError("a password needs at least 10 characters")
    with open_store(settings.db) as store:
        store.add_user(name, role=role, password_hash=hash_password(password), now=_now())
    click.echo(f"user {name} added as {role}")


@user_group.command("list")
@common_options
def user_list(db: str | None, config_file: Path | None) -> None:
    """List the desk's accounts."""
    settings = _settings(db, config_file)
    with open_store(settings.db) as store:
        for account in store.users():
            click.echo(f"{account['name']}\t{account['role']}\t{account['created_at']:%Y-%m-%d}")


@cli.group("token")
def token_group() -> None:
    """API tokens for the JSON API's non-public data."""


@token_group.command("add")
@common_options
@click.argument("name")
def token_add(db: str | None, config_file: Path | None, name: str) -> None:
    """Make an API token named NAME and print it once (only its hash is kept)."""
    from crankcall.web.auth import digest, new_token

    settings = _settings(db, config_file)
    token = new_token()
    with open_store(settings.db) as store:
        store.add_token(name, token_hash=digest(token), now=_now())
    click.echo(token)


def main() -> None:
    """Entry point of the `crankcall` command."""
    cli(prog_name="crankcall")


__all__ = ["Store", "cli", "main"]
