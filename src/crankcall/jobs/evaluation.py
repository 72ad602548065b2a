"""Scoring the story stage on labelled months, each set of them in a scratch database.

`crankcall eval --stories` calls `evaluate_story_sets`: for every folder of labelled months
(the demo corpus in `data/sample`, and each folder `tests/gold/stories*` of months written
blind to the system), a temporary
SQLite database is made, the months are ingested, coded and clustered as `crankcall run` does,
and `evaluate_stories` scores them. Sets written apart share no coverage, so each runs alone.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from crankcall.jobs.coding import run
from crankcall.jobs.files import ingest_files, init_store
from crankcall.jobs.stories import StoriesEval, evaluate_stories
from crankcall.settings import Settings, load_settings
from crankcall.store import Store, open_store

# The months the story stage is tuned on; every other labelled month is held back ("test").
# December 2024 (tests/gold/stories-dev), March to June 2025 (tests/gold/stories-2025-03 to
# -06) and January and February 2024 (tests/gold/stories-2024-01, -02) were written blind and
# scored once before they joined them.
DEV_MONTHS = frozenset(
    {
        "2024-01",
        "2024-02",
        "2024-06",
        "2024-07",
        "2024-12",
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
    }
)


def story_gold(paths: Sequence[Path], split: str) -> list[Path]:
    """The `articles-YYYY-MM.jsonl` files of `paths` in `split` ("dev", "test" or "all")."""
    return [
        p
        for p in paths
        if split == "all" or (p.stem.removeprefix("articles-") in DEV_MONTHS) == (split == "dev")
    ]


def default_story_paths(root: Path = Path()) -> list[Path]:
    """The labelled story months under `root`: the demo corpus's (`data/sample`) and those of
    each set written blind (`tests/gold/stories*`), each an `articles-YYYY-MM.jsonl` with its
    labels and events beside it."""
    return [
        *sorted((root / "data" / "sample").glob("articles-*.jsonl")),
        *sorted((root / "tests" / "gold").glob("stories*/articles-*.jsonl")),
    ]


@contextmanager
def labelled_store(months: Sequence[Path], *, now: datetime) -> Iterator[tuple[Store, Settings]]:
    """A scratch database holding the labelled `months` (of one folder), ingested, coded and
    clustered as `crankcall run` does them, with its settings; removed on leaving."""
    with tempfile.TemporaryDirectory(prefix="crankcall-eval-") as scratch:
        settings = load_settings(overrides={"db": str(Path(scratch) / "eval.db")})
        with open_store(settings.db, create=True) as store:
            init_store(store, settings)
            ingest_files(store, months, settings, now=now)
            run(store, now=now, settings=settings)
            yield store, settings


def evaluate_story_sets(paths: Sequence[Path], *, now: datetime) -> StoriesEval:
    """Stories scored on the labelled months `paths`, each folder's months together in a scratch
    database of its own. A month labelled in two folders is an `InputError`."""
    result = StoriesEval()
    for folder in dict.fromkeys(p.parent for p in paths):
        months = [p for p in paths if p.parent == folder]
        with labelled_store(months, now=now) as (store, settings):
            result.add(evaluate_stories(store, settings, months))
    return result
