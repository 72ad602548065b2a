"""Coding jobs: `code_file` (contract 2, no database), `run` (contract 5: code what is stored,
then place new articles in stories), and scoring the coder on gold sets.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from crankcall.analyze.coder import Coder, default_coder
from crankcall.analyze.evaluation import GoldItem, Report, gold_items, score
from crankcall.errors import InputError
from crankcall.jobs import Progress, RunReport
from crankcall.jobs.codefile import code_file
from crankcall.jobs.stories import build_stories
from crankcall.models import CodedArticle
from crankcall.settings import Settings, load_settings
from crankcall.store import Store

__all__ = ["code_file", "code_items", "default_gold_paths", "evaluate", "load_gold", "run"]


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


def default_gold_paths(root: Path = Path()) -> list[Path]:
    """The coding gold sets under `root`: `tests/gold/coding-*.jsonl` and the demo corpus's
    `data/sample/articles-*.jsonl` (with its labels)."""
    return sorted((root / "tests" / "gold").glob("coding-*.jsonl")) + sorted(
        (root / "data" / "sample").glob("articles-*.jsonl")
    )


def code_items(items: Sequence[GoldItem], coder: Coder) -> list[CodedArticle]:
    """Code every gold item, in order, on the day it was published."""
    return [
        coder.code(id=item.id, title=item.title, text=item.text, published=_day_of(item.published))
        for item in items
    ]


def evaluate(items: Sequence[GoldItem], coder: Coder) -> Report:
    """Code every gold item and score the codings."""
    return score(items, code_items(items, coder))


def _day_of(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


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
