"""How far a second reader groups a month's articles into developments as our labels do, beside
how far the story stage does.

    .venv/bin/python bench/story_agreement.py [--second tests/gold/stories-second-reader]

`tests/gold/stories-second-reader/keys-YYYY-MM.jsonl` holds the development (`event_key`) a second
reader gave every article of a labelled month, reading only the articles, the issue's format
(what makes a story belong) and the label fields of `docs/demo-corpus.md`: not our labels, the
system or its output. For each such month, B-cubed F1 (`crankcall.stories.evaluation.bcubed`,
as `crankcall eval --stories` computes it):

1. the second reader against our labels: how far two careful readers agree on where one
   development ends and the next begins, the ceiling a target on these labels can sensibly ask
   for;
2. the story stage against our labels (the figure `crankcall eval --stories` prints);
3. the story stage against the second reader.

The story stage runs as `crankcall eval --stories --split` runs it: the months of the labelled
set the month belongs to that are in the same split (tuning or held back), in one scratch
database. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from crankcall.jobs.evaluation import (
    DEV_MONTHS,
    default_story_paths,
    labelled_store,
    story_gold,
)
from crankcall.stories.evaluation import bcubed

ROOT = Path(__file__).resolve().parent.parent


def keys(path: Path) -> dict[str, str]:
    """Article id -> event key, from a labels file or a second reader's keys file."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return {row["id"]: row["event_key"] for row in rows}


def articles_of(month: str) -> Path:
    """The labelled month's articles file, in whichever set holds it."""
    for path in default_story_paths(ROOT):
        if path.name == f"articles-{month}.jsonl":
            return path
    raise SystemExit(f"no labelled set holds articles-{month}.jsonl")


def stories(folder: Path, split: str) -> dict[str, str]:
    """Article id -> story id for the labelled months of `folder` in `split`, clustered together
    as `crankcall eval --stories --split SPLIT` clusters them."""
    paths = [p for p in default_story_paths(ROOT) if p.parent == folder]
    months = story_gold(paths, split)
    with labelled_store(months, now=datetime.now(UTC)) as (store, _):
        ids = [i for path in months for i in keys(_labels(path))]
        return dict(store.stories_of(ids))


def _labels(articles: Path) -> Path:
    return articles.with_name(articles.name.replace("articles-", "labels-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--second", type=Path, default=ROOT / "tests/gold/stories-second-reader")
    args = parser.parse_args()
    second = {p.stem.removeprefix("keys-"): keys(p) for p in sorted(args.second.glob("keys-*"))}
    if not second:
        raise SystemExit(f"{args.second}: no keys-YYYY-MM.jsonl")
    runs = {(articles_of(m).parent, "dev" if m in DEV_MONTHS else "test") for m in second}
    predicted: dict[str, str] = {}
    for folder, split in sorted(runs):
        predicted.update(stories(folder, split))
    print(
        f"{'month':8} {'articles':>8} {'reader vs labels':>17} {'system vs labels':>17} "
        f"{'system vs reader':>17}"
    )
    sums = [0.0, 0.0, 0.0]
    for month, reader in second.items():
        gold = keys(_labels(articles_of(month)))
        missing = set(gold) ^ set(reader)
        if missing:
            raise SystemExit(f"keys-{month}.jsonl: ids differ from the labels ({len(missing)})")
        figures = [
            bcubed(reader, gold).f1,
            bcubed(predicted, gold).f1,
            bcubed(predicted, reader).f1,
        ]
        sums = [a + b for a, b in zip(sums, figures, strict=True)]
        print(f"{month:8} {len(gold):8d} " + " ".join(f"{f:17.3f}" for f in figures))
    n = len(second)
    print(f"{'mean':8} {'':8} " + " ".join(f"{s / n:17.3f}" for s in sums))
    print("B-cubed F1 of the first-named grouping against the second-named.")


if __name__ == "__main__":
    main()
