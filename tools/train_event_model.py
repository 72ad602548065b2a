"""Fit the event model (`crankcall.analyze.eventmodel`) and write `data/event-model.json`.

    .venv/bin/python -m pip install -e '.[train]'
    .venv/bin/python tools/train_event_model.py [--out PATH]

It is fitted on what tuning may look at, and nothing else: the `dev` items of our coding gold
sets that are in scope and carry an event type (`tests/gold/coding-*.jsonl` and the demo corpus's
labelled months), and the labelled articles in scope of the story stage's tuning months that the
coding gold does not hold (`tests/gold/stories*`, the months of
`crankcall.jobs.evaluation.DEV_MONTHS`: January, February and December 2024, March to June
2025), whose labels carry an event type too. The `test` items and the held-back story months
are never read. Each item is coded by the rules alone (the coder without a model), and the
model learns from the rules' event type, the relation they read, and the words of the headline
(twice) and the first 600 characters of the text: a logistic regression over TF-IDF with the
settings chosen on 2026-11-29 by leaving one gold file out at a time (docs/coding.md, "The
event model"). The
script checks that the file it writes, applied in pure Python as the coder applies it, scores
highest what the fitted model chooses on every training item, and prints the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # linearfit.py, beside this script

import linearfit  # noqa: E402

SETTINGS = {
    "C": 10.0,
    "rule_weight": 2.0,
    "relation_weight": 1.0,
    "title_repeat": 2,
    "lead_chars": 600,
}


def story_tuning_paths() -> list[Path]:
    """The story stage's tuning months outside the demo corpus (whose June and July are coding
    gold already): their articles files, labels beside them."""
    from crankcall.jobs.evaluation import default_story_paths, story_gold

    sample = ROOT / "data" / "sample"
    return [p for p in story_gold(default_story_paths(ROOT), "dev") if p.parent != sample]


def training_rows() -> list[dict[str, object]]:
    """Every training item coded by the rules alone: title, text, gold event type, the rules'
    event type and relation."""
    from crankcall.analyze.coder import Coder
    from crankcall.analyze.gazetteer import load_gazetteer
    from crankcall.analyze.lexicon import load_lexicon
    from crankcall.jobs.coding import code_items, default_gold_paths, load_gold

    coder = Coder(load_gazetteer(), load_lexicon())
    items = [
        i
        for i in load_gold(default_gold_paths(ROOT))
        if i.split == "dev" and i.relevant and i.event_type
    ] + [i for i in load_gold(story_tuning_paths()) if i.relevant and i.event_type]
    return [
        {
            "title": item.title,
            "text": item.text,
            "gold": item.event_type,
            "event": coded.event_type,
            "relation": coded.relation,
        }
        for item, coded in zip(items, code_items(items, coder), strict=True)
    ]


def main() -> int:
    out = linearfit.arguments(__doc__ or "", "event-model.json")
    from crankcall.analyze.eventmodel import load_event_model
    from crankcall.models import RELATIONS

    rows = training_rows()
    classes = sorted({str(r["gold"]) for r in rows})
    repeat, lead = SETTINGS["title_repeat"], SETTINGS["lead_chars"]
    w, w2 = SETTINGS["rule_weight"], SETTINGS["relation_weight"]

    document = linearfit.headline_and_lead(int(repeat), int(lead))

    def side(r: dict[str, object]) -> list[float]:
        return [w * (r["event"] == e) for e in classes] + [
            w2 * (r["relation"] == q) for q in RELATIONS
        ]

    result = linearfit.fit(rows, document, side, c=SETTINGS["C"], name="train_event_model")
    assert result.classes == classes
    n = len(classes)
    model = {
        "about": "crankcall's event model: see tools/train_event_model.py and docs/coding.md",
        "classes": classes,
        "token_pattern": linearfit.TOKEN_PATTERN,
        "title_repeat": repeat,
        "lead_chars": lead,
        "rule_weight": w,
        "relation_weight": w2,
        "intercept": result.intercept,
        "rule_coef": result.side[:n],
        "relation_coef": result.side[n:],
        "terms": result.words,
    }
    text = linearfit.write(model, out, "em-")
    applied = load_event_model(out)

    def best(r: dict[str, object]) -> str:
        """The class the file scores highest, whatever the relation (as the fit chooses)."""
        event = str(r["event"]) if r["event"] else None
        scores = applied.scores(str(r["title"]), str(r["text"] or ""), event, str(r["relation"]))
        return applied.classes[scores.index(max(scores))]

    return linearfit.report(rows, result, best, lambda r: str(r["event"]), out, text, "items")


if __name__ == "__main__":
    sys.exit(main())
