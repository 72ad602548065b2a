"""How far a second reader agrees with our gold labels, beside how far the coder does.

    .venv/bin/python bench/agreement.py [--second tests/gold/second-reader.jsonl]
                                        [--events tests/gold/event-reader.jsonl]

`tests/gold/second-reader.jsonl` holds the labels (relevance, dyads, relation, topic) a second
reader gave 240 items of the held-back part, drawn at random, reading only the article and
`docs/coding.md`: not the gold labels, their notes, the coder or its output. Scores, with the same
figures as `crankcall eval` (`crankcall.analyze.evaluation.score`), on those items:

1. the second reader against the gold labels: how far two careful readers of the rules agree,
   the ceiling a target on these labels can sensibly ask for;
2. the coder against the gold labels;
3. the coder against the second reader.

`tests/gold/event-reader.jsonl` holds the PLOVER event type a third reader gave the same items,
reading only each article and a one-paragraph summary of the 19 types (not `docs/coding.md`'s
conventions, the gold labels, the coder or its output); its event type accuracy is scored
beside the second reader's other labels, on the items the gold labels put in scope, as `crankcall
eval` scores it.

Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from crankcall.analyze.coder import default_coder
from crankcall.analyze.evaluation import GoldItem, Report, score
from crankcall.models import CodedArticle
from crankcall.pipeline import code_items, default_gold_paths, load_gold

ROOT = Path(__file__).resolve().parent.parent


def reading(row: dict, coder: str, event_type: str | None = None) -> CodedArticle:
    """A reader's labels as a coding, for `score`."""
    relevant = bool(row["relevant"])
    return CodedArticle(
        id=row["id"],
        relevant=relevant,
        score=1.0 if relevant else 0.0,
        crank=(),
        dyads=tuple(row["dyads"]),
        relation=row["relation"],
        topic=row["topic"],
        event_type=event_type,
        intensity=0.0,
        actors=(),
        evidence=(),
        interactions=(),
        rules=(),
        coder=coder,
    )


def as_gold(item: GoldItem, coded: CodedArticle) -> GoldItem:
    """`item` with `coded`'s labels in place of its own."""
    return replace(
        item,
        relevant=coded.relevant,
        dyads=coded.dyads,
        relation=coded.relation,
        topic=coded.topic,
        event_type=coded.event_type,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--second", type=Path, default=ROOT / "tests/gold/second-reader.jsonl")
    parser.add_argument("--events", type=Path, default=ROOT / "tests/gold/event-reader.jsonl")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.second.open(encoding="utf-8")]
    events = {
        row["id"]: row["event_type"] for row in map(json.loads, args.events.open(encoding="utf-8"))
    }
    gold = {item.id: item for item in load_gold(default_gold_paths(ROOT))}
    items = [gold[row["id"]] for row in rows]
    second = [reading(row, "second reader", events.get(row["id"])) for row in rows]
    coded = code_items(items, default_coder())
    reports: dict[str, Report] = {
        "second reader vs gold": score(items, second),
        "coder vs gold": score(items, coded),
        "coder vs second reader": score(
            [as_gold(i, s) for i, s in zip(items, second, strict=True)], coded
        ),
    }
    print(f"{len(items)} held-back items read by a second reader")
    print(
        f"{'':24} {'relevance F1':>12} {'dyad F1':>8} {'relation mF1':>12} {'topic acc':>9}"
        f" {'event acc':>9}"
    )
    for name, r in reports.items():
        print(
            f"{name:24} {r.relevance.f1:>12.3f} {r.dyads.f1:>8.3f} "
            f"{r.relation_macro_f1:>12.3f} {r.topic_accuracy:>9.3f} {r.event_accuracy:>9.3f}"
        )
    print("(event type: the third reader's, `--events`; topic and event over the gold's items in")
    print(" scope for the first two rows, over the second reader's for the third)")
    agree = reports["second reader vs gold"]
    print("relation F1 by class, second reader vs gold:", end="")
    for label, value in agree.relation_f1.items():
        print(f"  {label} {value:.3f}", end="")
    print()


if __name__ == "__main__":
    main()
