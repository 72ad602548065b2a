"""Stories and the issue: candidates (contract 3), story decisions, draft (contract 4)."""

from __future__ import annotations

import sys
from datetime import timedelta
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
    settings_for,
    table_console,
    window,
    window_options,
    write_bytes,
)
from crankcall.errors import InputError
from crankcall.pipeline import (
    candidates,
    draft,
    merge_stories,
    move_articles,
    story_timeline,
)
from crankcall.publish import FORMATS, render
from crankcall.store import open_store


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
@output_option
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
    settings = settings_for(db, config_file)
    start, end, label = window(since, until, month)
    with open_store(settings.db) as store:
        issue = draft(store, settings, since=start, until=end, month=label, save=not no_save)
    issue["window"]["until"] = (end - timedelta(days=1)).date().isoformat()
    if not any(issue[section] for section in ("highlights", "links", "analysis", "perspectives")):
        click.echo(
            f"crankcall: note: no stories in scope from {issue['window']['since']} to "
            f"{issue['window']['until']}; was `crankcall run` run after the last ingest?",
            err=True,
        )
    bodies = {
        fmt: render(issue, fmt, templates_dir=settings.templates_dir or None) for fmt in formats
    }
    if output_dir is not None:
        written = []
        for fmt, body in bodies.items():
            path = output_dir / f"crankcall-{issue['month']}.{fmt}"
            write_bytes(path, body)
            written.append(path)
        click.echo(_draft_summary(issue, written), err=True)
        return
    body = bodies[formats[0]]
    if output is not None:
        write_bytes(output, body)
        return
    if formats[0] == "pdf" and sys.stdout.isatty():
        raise InputError("a PDF is not for the terminal: give --output FILE.pdf")
    sys.stdout.buffer.write(body)
    sys.stdout.flush()


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
    """A story's timeline (show) and an editor's decisions on stories: pin, exclude, move
    articles, merge, split. Decisions are stored and survive every later run."""


def _story_flag(db: str | None, config_file: Path | None, story: str, flag: str, on: bool) -> None:
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        store.set_story_flag(story, flag=flag, value=on, now=current_time())


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
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        moved = move_articles(store, list(articles), target, now=current_time())
    click.echo(f"moved {len(articles)} article(s) to {moved}")


@story_group.command("split")
@common_options
@click.argument("articles", nargs=-1, required=True)
def story_split(db: str | None, config_file: Path | None, articles: tuple[str, ...]) -> None:
    """Take ARTICLES (ids) out of their stories into a new story of their own."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        created = move_articles(store, list(articles), None, now=current_time())
    click.echo(f"split {len(articles)} article(s) into {created}")


@story_group.command("show")
@common_options
@click.argument("story")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@output_option
def story_show(
    db: str | None, config_file: Path | None, story: str, fmt: str, output: Path | None
) -> None:
    """Show STORY over its whole life: headline, section, coding, and its timeline day by day
    with every article's outlet and title (copies marked)."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        found = story_timeline(store, story)
    with output_to(output) as handle:
        if fmt == "json":
            echo_json(found, handle)
            return
        wide = output is not None or not sys.stdout.isatty()
        console = Console(file=handle, highlight=False, width=160 if wide else None)
        flags = [name for name in ("pinned", "excluded") if found[name]]
        console.print(f"[bold]{escape(found['headline'])}[/bold]")
        console.print(
            f"{found['id']} · {found['section']} · {' '.join(found['dyads']) or 'no dyad'} · "
            f"{found['relation']} · {found['topic']} · {found['articles']} articles from "
            f"{found['outlets']} outlets" + "".join(f" · {flag.upper()}" for flag in flags)
        )
        table = Table("day", "outlet", "title", "article")
        for day in found["timeline"]:
            for n, article in enumerate(day["articles"]):
                mark = f" (copy of {article['copy_of']})" if article["copy_of"] else ""
                mark += " (placed by an editor)" if article["placed_by"] == "editor" else ""
                table.add_row(
                    day["date"] if n == 0 else "",
                    escape(article["outlet"]),
                    escape(article["title"]),
                    escape(article["id"] + mark),
                )
        console.print(table)


@story_group.command("merge")
@common_options
@click.argument("source")
@click.argument("target")
def story_merge(db: str | None, config_file: Path | None, source: str, target: str) -> None:
    """Merge story SOURCE into story TARGET."""
    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        merge_stories(store, source, target, now=current_time())
    click.echo(f"merged {source} into {target}")


@cli.command("candidates")
@common_options
@window_options
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the top N.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@output_option
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
    settings = settings_for(db, config_file)
    start, end, label = window(since, until, month)
    with open_store(settings.db) as store:
        found = candidates(store, settings, since=start, until=end, month=label, limit=limit)
    found["window"]["until"] = (end - timedelta(days=1)).date().isoformat()
    with output_to(output) as handle:
        if fmt == "json":
            echo_json(found, handle)
            return
        console = table_console(handle)
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
