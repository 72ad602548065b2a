"""Coding commands: code (contract 2), run (contract 5), explain, eval."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from crankcall.cli.base import (
    cli,
    common_options,
    current_time,
    echo_json,
    output_option,
    output_to,
    progress_bar,
    settings_for,
    table_console,
)
from crankcall.errors import InputError, NotFoundError

# `crankcall code` is stateless and often run on its own over big files: it imports only the
# coder and the reader; the store, the story jobs and rich load inside the commands that use them.


@cli.command("code")
@common_options
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Articles as JSONL (contract 1); title-only lines are fine.",
)
@output_option
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
    from crankcall.jobs.codefile import code_file

    settings = settings_for(db, config_file)
    with output_to(output) as handle:
        errors = code_file(input_path, handle, settings, now=current_time(), workers=workers)
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
    from rich.console import Console

    from crankcall.analyze.coder import default_coder
    from crankcall.pipeline import run
    from crankcall.store import open_store

    settings = settings_for(db, config_file)
    console = Console(stderr=True)
    with open_store(settings.db) as store:
        if rebuild_stories:
            store.clear_machine_stories()
        coder = default_coder()
        total = store.count_to_code(coder.version)
        with progress_bar(console) as progress:
            task = progress.add_task("coding", total=total or None)
            report = run(
                store,
                now=current_time(),
                settings=settings,
                coder=coder,
                progress=lambda n: progress.advance(task, n),
            )
    click.echo(
        f"coded {report.coded} articles ({report.relevant} relevant) with {report.coder_version}; "
        f"placed {report.placed} in stories ({report.stories_new} new, "
        f"{report.stories_updated} grown)"
    )


@cli.command()
@common_options
@click.argument("article")
def explain(db: str | None, config_file: Path | None, article: str) -> None:
    """Show why ARTICLE (an article id) is coded as it is: mentions, evidence, cues and rules."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from crankcall.analyze.coder import default_coder
    from crankcall.store import open_store

    settings = settings_for(db, config_file)
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
    help="Score stories instead: build a scratch database from each set of labelled months (the "
    "demo corpus and each folder tests/gold/stories*), run every stage, and print "
    "B-cubed and the ranks of the editor's picks per month.",
)
@click.option(
    "--rules-only",
    is_flag=True,
    help="Score the coder without its topic and relation models: the rules' own reading. The "
    "models were fitted on the dev part, so this is how the dev part still guides the rules.",
)
def eval_command(
    gold_paths: tuple[Path, ...],
    split: str,
    output_format: str,
    show_errors: int,
    stories: bool,
    rules_only: bool,
) -> None:
    """Score the coder on gold sets: relevance and dyads (P/R/F1), relation (macro-F1 and
    confusion matrix), topic and event type (accuracy). With --stories, score clustering and
    ranking on the labelled months (the demo corpus and each folder tests/gold/stories*)."""
    from crankcall.analyze.coder import Coder, default_coder
    from crankcall.pipeline import default_gold_paths, evaluate, load_gold

    if stories:
        _eval_stories(list(gold_paths), split, output_format)
        return
    paths = list(gold_paths) or default_gold_paths()
    if not paths:
        raise InputError("no gold files found; run from the repository or give --gold")
    items = [i for i in load_gold(paths) if split == "all" or i.split == split]
    coder = default_coder()
    if rules_only:
        coder = Coder(coder.gazetteer, coder.lexicon)
    report = evaluate(items, coder)
    if output_format == "json":
        echo_json(
            {
                "items": report.items,
                "split": split,
                "figures": report.figures(),
                "relevance": asdict(report.relevance),
                "dyads": asdict(report.dyads),
                "relation_f1": report.relation_f1,
                "relation_confusion": report.relation_confusion,
                "topic_confusion": report.topic_confusion,
                "relevance_by_score": [
                    {"min_score": t, **asdict(f)} for t, f in report.relevance_by_score.items()
                ],
            },
            sys.stdout,
        )
        return
    _print_eval(report, split, show_errors)


def _eval_stories(paths: list[Path], split: str, output_format: str) -> None:
    from rich.table import Table

    from crankcall.pipeline import default_story_paths, evaluate_story_sets, story_gold

    paths = paths or default_story_paths()
    if not paths:
        raise InputError("no labelled months found; run from the repository or give --gold")
    result = evaluate_story_sets(story_gold(paths, split), now=current_time())
    if output_format == "json":
        echo_json({"split": split, "months": result.as_dict()}, sys.stdout)
        return
    table = Table(
        "month",
        "articles",
        "B3 P",
        "B3 R",
        "B3 F1",
        "highlights top 10",
        "picks top 25",
        "in section: highlights top 10",
        "in section: picks top 25",
        title=f"stories ({split})",
        caption="Ranks in the whole ranking, then in the pick's own section's list (Highlights "
        "and Links from the news, Recent Analysis, CRANK Perspectives), where an editor takes "
        "it from.",
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
            f"{picks.share_within(10, ['highlight'], in_section=True):.0%}",
            f"{picks.share_within(25, in_section=True):.0%}",
        )
    table_console().print(table)


def _print_eval(report: Any, split: str, show_errors: int) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

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
        "relevance by score (in scope at a score of at least): "
        + "  ".join(
            f"{t:.1f}: P {f.precision:.2f} R {f.recall:.2f}"
            for t, f in report.relevance_by_score.items()
        ),
        highlight=False,
    )
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
    _print_topic_confusion(console, report.topic_confusion)
    for error in report.errors[:show_errors]:
        console.print(
            f"[bold]{escape(error['id'])}[/] {escape(error['title'])}\n"
            f"  gold {error['gold']}\n  got  {error['got']}\n  {'; '.join(error['rules'])}",
            markup=True,
            highlight=False,
        )


def _print_topic_confusion(console: Any, confusion: dict[str, dict[str, int]]) -> None:
    """The topic confusion table, gold topics down, coded ones across (headed by their first
    letters, with a key below), each row's recall at its end; topics no item has are left out."""
    from rich.table import Table

    shown = [
        t for t in confusion if sum(confusion[t].values()) or any(r[t] for r in confusion.values())
    ]
    if not shown:
        return
    heads = {t: "".join(w[0] for w in t.split("_")) for t in shown}
    table = Table("gold \\ coded", *(heads[t] for t in shown), "recall", title="topic confusion")
    for gold in shown:
        row = confusion[gold]
        total = sum(row.values())
        table.add_row(
            gold,
            *(str(row[t]) for t in shown),
            f"{row[gold] / total:.2f}" if total else "-",
        )
    console.print(table)
    console.print("  ".join(f"{h} {t}" for t, h in heads.items()), highlight=False)


@cli.group("labels")
def labels_group() -> None:
    """Editor labels: codings corrected in the desk, kept apart from the machine's."""


@labels_group.command("export")
@common_options
@output_option
def labels_export(db: str | None, config_file: Path | None, output: Path | None) -> None:
    """Write the editor labels as a gold set (the JSONL of tests/gold/coding-*.jsonl), one line
    per labelled article from its newest label; score the coder on it with
    `crankcall eval --gold FILE`."""
    from crankcall.jobs.labels import editor_gold
    from crankcall.store import open_store

    settings = settings_for(db, config_file)
    with open_store(settings.db) as store:
        rows = editor_gold(store)
    with output_to(output) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if output is not None:
        click.echo(f"{len(rows)} labelled article(s) written to {output}", err=True)
