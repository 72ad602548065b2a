"""What `train_topic_model.py` and `train_relation_model.py` share: fitting a logistic regression
over the TF-IDF of a headline and lead beside numbers of the model's own, and writing the fitted
weights in the form `crankcall.analyze.linear` reads.

Needs scikit-learn (`pip install -e '.[train]'`); only the training scripts import it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"
"""Words of two letters or more, in any script (as the fitting library splits them)."""
MIN_DF = 2

Row = dict[str, Any]


@dataclass
class Fit:
    """A fitted regression: its classes, the words' part and the weights of the numbers after
    the words (`side` and `intercept` per class)."""

    classes: list[str]
    predicted: list[str]
    words: dict[str, list[float]]  # word -> [idf, weight per class]
    side: list[list[float]]  # per number after the words, its weight per class
    intercept: list[float]


def arguments(doc: str, model: str) -> Path:
    """The file a training script writes: `--out PATH`, else the shipped `model` file."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    default = Path(__file__).resolve().parent.parent / "src/crankcall/data" / model
    parser.add_argument("--out", type=Path, default=default)
    out: Path = parser.parse_args().out
    return out


def headline_and_lead(repeat: int, lead: int) -> Callable[[Row], str]:
    """What a model reads of a row: its headline `repeat` times, then the first `lead`
    characters of its text (as `crankcall.analyze.linear.Words.document`)."""

    def document(r: Row) -> str:
        return (str(r["title"]) + " ") * repeat + str(r["text"] or "")[:lead]

    return document


def rounded(x: float) -> float:
    """Six significant digits: what the model files keep."""
    return float(f"{x:.6g}")


def fit(
    rows: Sequence[Row],
    document: Callable[[Row], str],
    side: Callable[[Row], list[float]],
    *,
    c: float,
    name: str,
    tol: float = 1e-4,
) -> Fit:
    """Fit on `rows` (each with its `gold` class): TF-IDF of `document(row)` (sublinear term
    frequency, smoothed idf, unit length) beside the numbers `side(row)`. `name` is the script's,
    for the message when scikit-learn is missing. `tol`: where the solver stops; at the library's
    default (1e-4) a weakly regularised fit stops well short of its optimum, and where it stops
    moves with any change in the rows."""
    try:
        import numpy as np
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print(f"{name}: needs scikit-learn (pip install -e '.[train]')", file=sys.stderr)
        raise SystemExit(2) from None
    vectorizer = TfidfVectorizer(token_pattern=TOKEN_PATTERN, sublinear_tf=True, min_df=MIN_DF)
    words = vectorizer.fit_transform([document(r) for r in rows])
    matrix = hstack([words, csr_matrix(np.array([side(r) for r in rows]))]).tocsr()
    fitted = LogisticRegression(C=c, max_iter=100_000, tol=tol).fit(
        matrix, [r["gold"] for r in rows]
    )
    coef = fitted.coef_
    vocabulary = vectorizer.get_feature_names_out()
    size = len(vocabulary)
    return Fit(
        classes=[str(c) for c in fitted.classes_],
        predicted=[str(p) for p in fitted.predict(matrix)],
        words={
            term: [rounded(vectorizer.idf_[i]), *(rounded(x) for x in coef[:, i])]
            for i, term in enumerate(vocabulary)
        },
        side=[[rounded(x) for x in coef[:, j]] for j in range(size, coef.shape[1])],
        intercept=[rounded(x) for x in fitted.intercept_],
    )


def write(model: dict[str, Any], out: Path, prefix: str) -> str:
    """Write the model with its version (`prefix` and ten hex digits of a hash of the rest) as
    compact JSON; returns the text written."""
    body = json.dumps(model, ensure_ascii=False, sort_keys=True)
    model["version"] = prefix + hashlib.sha256(body.encode("utf-8")).hexdigest()[:10]
    text = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")
    return text


def report(
    rows: Sequence[Row],
    result: Fit,
    applied: Callable[[Row], str],
    rules: Callable[[Row], str],
    out: Path,
    text: str,
    what: str,
) -> int:
    """Print the figures on the training rows and check that the file, applied as the coder
    applies it (`applied`), chooses what the fitted regression does on every row; 1 if not."""
    n = len(rows)
    differ = sum(applied(r) != p for r, p in zip(rows, result.predicted, strict=True))
    rules_right = sum(rules(r) == r["gold"] for r in rows)
    model_right = sum(p == r["gold"] for r, p in zip(rows, result.predicted, strict=True))
    print(f"training {what} {n}, words {len(result.words)}, file {out} ({len(text) // 1024} KB)")
    print(f"on the training {what}: rules {rules_right / n:.3f}, model {model_right / n:.3f}")
    print(f"applied from the file, {differ} {what} differ from the fitted model")
    return 1 if differ else 0
