"""Fit the relation model (`crankcall.analyze.relationmodel`) and write `data/relation-model.json`.

    .venv/bin/python -m pip install -e '.[train]'
    .venv/bin/python tools/train_relation_model.py [--out PATH]

It is fitted on what tuning may look at, and nothing else: the `dev` items of our coding gold
sets (`tests/gold/coding-*.jsonl` and the demo corpus's labelled months) and the three relation
phrasebooks written blind to the coder (`tests/gold/relation-books/`). The `test` items are
never read. Each item is coded by the rules alone (the coder without a model); every dyad the
rules keep is one training row, labelled with the item's relation: an article's relation is its
dyads' one relation, so each dyad of a cooperation or contention story shares it, while which
dyad of a mixed story with several is mixed is not known, and those rows are left out. The model
learns from the pair's numbers (`relation.pair_features`), the number of dyads, the rules'
relation and rule, and the words of the headline (twice) and the first 600 characters of the
text: a logistic regression over TF-IDF with the settings chosen on 2026-11-28 before the
held-back part was scored (docs/coding.md, "The relation model"). The script checks that the
file it writes, applied in pure Python as the coder applies it, chooses what the fitted model
does on every training row, and prints the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"
"""Words of two letters or more, in any script (as the fitting library splits them)."""
SETTINGS = {
    "C": 3.0,
    "rule_weight": 1.0,
    "feature_scale": 1.0,
    "title_repeat": 2,
    "lead_chars": 600,
}
MIN_DF = 2
RELATIONS = ("contention", "cooperation", "mixed")


class Recorder:
    """Stands in for the model in a rules-only coder and keeps what it would have read."""

    version = "recording"

    def __init__(self) -> None:
        import re

        from crankcall.analyze.linear import Words

        self.read: list[tuple[tuple[float, ...], int, str, str]] = []
        self.words = Words(  # the coder counts the words it would read; none is weighed here
            terms={},
            title_repeat=int(SETTINGS["title_repeat"]),
            lead_chars=int(SETTINGS["lead_chars"]),
            token=re.compile(TOKEN_PATTERN),
            weighted={},
        )

    def choose(
        self,
        title: str,
        text: str,
        features: tuple[float, ...],
        dyads: int,
        relation: str,
        reason: str,
        counts: object = None,
    ) -> str:
        self.read.append((features, dyads, relation, reason))
        return relation


def training_rows() -> list[dict[str, object]]:
    """One row per dyad the rules keep in a training item with a usable label: title, text,
    gold relation, the pair's features, the number of dyads, the rules' relation and rule."""
    from crankcall.analyze.coder import Coder
    from crankcall.analyze.gazetteer import load_gazetteer
    from crankcall.analyze.lexicon import load_lexicon
    from crankcall.jobs.coding import _day_of, default_gold_paths, load_gold

    recorder = Recorder()
    coder = Coder(load_gazetteer(), load_lexicon(), relation_model=recorder)  # type: ignore[arg-type]
    items: list[tuple[str, str, str, object]] = [
        (i.title, i.text, i.relation, _day_of(i.published))
        for i in load_gold(default_gold_paths(ROOT))
        if i.split == "dev"
    ]
    for book in sorted((ROOT / "tests" / "gold" / "relation-books").glob("*.jsonl")):
        for line in book.open(encoding="utf-8"):
            entry = json.loads(line)
            items.append((entry["title"], entry["text"], entry["relation"], None))
    rows: list[dict[str, object]] = []
    for n, (title, text, gold, published) in enumerate(items):
        recorder.read.clear()
        coded = coder.code(id=f"train-{n}", title=title, text=text, published=published)  # type: ignore[arg-type]
        if gold not in RELATIONS or coded.relation not in RELATIONS:
            continue
        if len(recorder.read) > 1 and gold == "mixed":
            continue  # which of its dyads is mixed is not known
        for features, dyads, relation, reason in recorder.read:
            rows.append(
                {
                    "title": title,
                    "text": text,
                    "gold": gold,
                    "features": features,
                    "dyads": dyads,
                    "relation": relation,
                    "reason": reason,
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "src/crankcall/data/relation-model.json")
    args = parser.parse_args()
    try:
        import numpy as np
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print(
            "train_relation_model: needs scikit-learn (pip install -e '.[train]')", file=sys.stderr
        )
        return 2
    from crankcall.analyze.relation import PAIR_FEATURES
    from crankcall.analyze.relationmodel import load_relation_model

    rows = training_rows()
    classes = sorted({str(r["gold"]) for r in rows})
    reasons = sorted({str(r["reason"]) for r in rows})
    repeat, lead = SETTINGS["title_repeat"], SETTINGS["lead_chars"]
    w, scale = SETTINGS["rule_weight"], SETTINGS["feature_scale"]

    def document(r: dict[str, object]) -> str:
        return (str(r["title"]) + " ") * int(repeat) + str(r["text"] or "")[: int(lead)]

    def side(r: dict[str, object]) -> list[float]:
        features: tuple[float, ...] = r["features"]  # type: ignore[assignment]
        return (
            [scale * float(np.log1p(x)) for x in features]
            + [float(r["dyads"])]  # type: ignore[arg-type]
            + [w * (r["relation"] == k) for k in RELATIONS]
            + [w * (r["reason"] == q) for q in reasons]
        )

    vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, sublinear_tf=True, min_df=MIN_DF)
    words = vectorizer.fit_transform([document(r) for r in rows])
    matrix = hstack([words, csr_matrix(np.array([side(r) for r in rows]))]).tocsr()
    fitted = LogisticRegression(C=SETTINGS["C"], max_iter=5000).fit(
        matrix, [r["gold"] for r in rows]
    )
    assert list(fitted.classes_) == classes
    coef = fitted.coef_
    vocabulary = vectorizer.get_feature_names_out()
    size = len(vocabulary)

    def g(x: float) -> float:
        return float(f"{x:.6g}")

    def column(j: int) -> list[float]:
        return [g(x) for x in coef[:, size + j]]

    nf = len(PAIR_FEATURES)
    model = {
        "about": "crankcall's relation model: see tools/train_relation_model.py, docs/coding.md",
        "classes": classes,
        "token_pattern": TOKEN_PATTERN,
        "title_repeat": repeat,
        "lead_chars": lead,
        "intercept": [g(x) for x in fitted.intercept_],
        "features": list(PAIR_FEATURES),
        "feature_scale": scale,
        "feature_coef": [column(j) for j in range(nf)],
        "dyads_coef": column(nf),
        "rule_weight": w,
        "relations": list(RELATIONS),
        "rule_coef": [column(nf + 1 + j) for j in range(len(RELATIONS))],
        "reasons": reasons,
        "reason_coef": [column(nf + 1 + len(RELATIONS) + j) for j in range(len(reasons))],
        "terms": {
            term: [g(vectorizer.idf_[i]), *(g(x) for x in coef[:, i])]
            for i, term in enumerate(vocabulary)
        },
    }
    body = json.dumps(model, ensure_ascii=False, sort_keys=True)
    model["version"] = "rm-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:10]
    text = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")

    applied = load_relation_model(args.out)
    predicted = fitted.predict(matrix)
    differ = sum(
        applied.choose(
            str(r["title"]),
            str(r["text"] or ""),
            r["features"],  # type: ignore[arg-type]
            int(r["dyads"]),  # type: ignore[call-overload]
            str(r["relation"]),
            str(r["reason"]),
        )
        != p
        for r, p in zip(rows, predicted, strict=True)
    )
    n = len(rows)
    rules_right = sum(r["relation"] == r["gold"] for r in rows)
    model_right = sum(p == r["gold"] for r, p in zip(rows, predicted, strict=True))
    print(f"training rows {n}, words {size}, file {args.out} ({len(text) // 1024} KB)")
    print(f"on the training rows: rules {rules_right / n:.3f}, model {model_right / n:.3f}")
    print(f"applied from the file, {differ} row(s) differ from the fitted model")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
