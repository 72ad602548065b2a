"""Fit the topic model (`crankcall.analyze.topicmodel`) and write `data/topic-model.json`.

    .venv/bin/python -m pip install -e '.[train]'
    .venv/bin/python tools/train_topic_model.py [--out PATH]

It is fitted on what tuning may look at, and nothing else: the `dev` items of our coding gold
sets that are in scope (`tests/gold/coding-*.jsonl` and the demo corpus's labelled months), and
the two topic phrasebooks written blind to the coder (`tests/gold/topic-books/`). The `test`
items are never read. Each item is coded by the rules alone (the coder without a model), and the
model learns from the rules' topic, their three best scores and the words of the headline (twice)
and the first 600 characters of the text, a logistic regression over TF-IDF with the settings
chosen on 2026-11-28 (docs/coding.md, "The topic model"). The script checks that the file it
writes, applied in pure Python as the coder applies it, chooses what the fitted model does on
every training item, and prints the figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # linearfit.py, beside this script

import linearfit  # noqa: E402

SETTINGS = {
    "C": 10.0,
    "rule_weight": 2.0,
    "score_weight": 2.0,
    "title_repeat": 2,
    "lead_chars": 600,
}


def training_rows() -> list[dict[str, object]]:
    """Every training item coded by the rules alone: title, text, gold topic, the rules' topic
    and scores."""
    from crankcall.analyze.coder import Coder
    from crankcall.analyze.gazetteer import load_gazetteer
    from crankcall.analyze.lexicon import load_lexicon
    from crankcall.analyze.topic import scores_in_rules
    from crankcall.jobs.coding import code_items, default_gold_paths, load_gold

    coder = Coder(load_gazetteer(), load_lexicon())
    rows: list[dict[str, object]] = []
    items = [
        i
        for i in load_gold(default_gold_paths(ROOT))
        if i.split == "dev" and i.relevant and i.topic
    ]
    for item, coded in zip(items, code_items(items, coder), strict=True):
        rows.append(
            {
                "title": item.title,
                "text": item.text,
                "gold": item.topic,
                "topic": coded.topic,
                "scores": scores_in_rules(coded.rules),
            }
        )
    for book in sorted((ROOT / "tests" / "gold" / "topic-books").glob("*.jsonl")):
        for n, line in enumerate(book.open(encoding="utf-8"), 1):
            entry = json.loads(line)
            coded = coder.code(id=f"{book.stem}-{n}", title=entry["title"], text=entry["text"])
            rows.append(
                {
                    "title": entry["title"],
                    "text": entry["text"],
                    "gold": entry["topic"],
                    "topic": coded.topic,
                    "scores": scores_in_rules(coded.rules),
                }
            )
    return rows


def main() -> int:
    out = linearfit.arguments(__doc__ or "", "topic-model.json")
    from crankcall.analyze.topicmodel import load_topic_model

    rows = training_rows()
    classes = sorted({str(r["gold"]) for r in rows})
    repeat, lead = SETTINGS["title_repeat"], SETTINGS["lead_chars"]
    w, w2 = SETTINGS["rule_weight"], SETTINGS["score_weight"]

    document = linearfit.headline_and_lead(int(repeat), int(lead))

    def side(r: dict[str, object]) -> list[float]:
        scores: dict[str, float] = r["scores"]  # type: ignore[assignment]
        top = max(scores.values(), default=0.0) or 1.0
        return [w * (r["topic"] == t) for t in classes] + [
            w2 * scores.get(t, 0.0) / top for t in classes
        ]

    result = linearfit.fit(rows, document, side, c=SETTINGS["C"], name="train_topic_model")
    assert result.classes == classes
    n = len(classes)
    model = {
        "about": "crankcall's topic model: see tools/train_topic_model.py and docs/coding.md",
        "classes": classes,
        "token_pattern": linearfit.TOKEN_PATTERN,
        "title_repeat": repeat,
        "lead_chars": lead,
        "rule_weight": w,
        "score_weight": w2,
        "intercept": result.intercept,
        "rule_coef": result.side[:n],
        "score_coef": result.side[n : 2 * n],
        "terms": result.words,
    }
    text = linearfit.write(model, out, "tm-")
    applied = load_topic_model(out)
    return linearfit.report(
        rows,
        result,
        lambda r: applied.choose(
            str(r["title"]), str(r["text"] or ""), str(r["topic"]), r["scores"]
        ),
        lambda r: str(r["topic"]),
        out,
        text,
        "items",
    )


if __name__ == "__main__":
    sys.exit(main())
