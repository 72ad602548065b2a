"""The event model: its file checked at load, its arithmetic, the relation it keeps to, and its
place in the coder."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from crankcall.analyze.coder import Coder, default_coder
from crankcall.analyze.eventmodel import COOPERATIVE, fits, load_event_model
from crankcall.errors import DataFileError
from crankcall.models import EVENT_TYPES


def _tiny(**change: Any) -> dict[str, Any]:
    model: dict[str, Any] = {
        "classes": ["AGREE", "CONSULT", "DISAPPROVE"],
        "token_pattern": r"(?u)\b[^\W\d_][^\W\d_]+\b",
        "title_repeat": 1,
        "lead_chars": 10,
        "rule_weight": 2.0,
        "relation_weight": 1.0,
        "intercept": [0.0, 0.5, 0.0],
        "rule_coef": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        "relation_coef": [
            [0.0, 0.25, 0.0],
            [0.0, 0.0, 0.25],
            [0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0],
        ],
        "terms": {"signed": [2.0, 3.0, 0.0, 0.0], "slams": [1.5, 0.0, 0.0, 3.0]},
        "version": "em-tiny",
    }
    model.update(change)
    return model


def _write(tmp_path: Path, model: dict[str, Any]) -> Path:
    path = tmp_path / "event-model.json"
    path.write_text(json.dumps(model), "utf-8")
    return path


def test_scores_are_tfidf_times_weights_plus_the_rules_reading(tmp_path: Path) -> None:
    model = load_event_model(_write(tmp_path, _tiny()))
    # "Signed" once in the headline; the lead is cut at 10 characters ("Slams and " keeps
    # "slams"). Each word's part is its tf-idf, over the vector's length, times its weights.
    x_signed, x_slams = 2.0, 1.5
    norm = math.hypot(x_signed, x_slams)
    scores = model.scores("Deal signed", "Slams and more", "CONSULT", "cooperation")
    assert scores == pytest.approx(
        [
            0.0 + 3.0 * x_signed / norm,
            0.5 + 2.0 * 1.0 + 1.0 * 0.25,  # intercept, the rules' CONSULT, cooperation
            0.0 + 3.0 * x_slams / norm,
        ]
    )
    assert model.choose("Deal signed", "Slams and more", "CONSULT", "cooperation", "mixed") == (
        "CONSULT"
    )
    # Without the rules' say, the words decide: "signed" outweighs "slams".
    assert model.choose("Deal signed", "Slams and more", None, "none", "mixed") == "AGREE"


def test_the_choice_keeps_to_the_final_relation(tmp_path: Path) -> None:
    """A contention is never AGREE or CONSULT, however the words score; a cooperation never
    DISAPPROVE; a mixed relation or an outside response may be either."""
    model = load_event_model(_write(tmp_path, _tiny()))
    title, text = "Deal signed", ""
    assert model.choose(title, text, None, "none", "mixed") == "AGREE"
    assert model.choose(title, text, None, "none", "contention") == "DISAPPROVE"
    assert model.choose("Slams", text, None, "none", "none") == "DISAPPROVE"
    assert model.choose("Slams", text, None, "none", "cooperation") == "CONSULT"
    only_friction = load_event_model(
        _write(
            tmp_path,
            _tiny(
                classes=["DISAPPROVE"],
                intercept=[0.0],
                rule_coef=[[1.0]],
                relation_coef=[[0.0]] * 4,
                terms={"slams": [1.5, 3.0]},
            ),
        )
    )
    assert only_friction.choose(title, text, None, "none", "cooperation") is None
    assert all(fits(e, "mixed") and fits(e, "none") for e in EVENT_TYPES)
    assert [e for e in EVENT_TYPES if fits(e, "cooperation")] == [
        e for e in EVENT_TYPES if e in COOPERATIVE
    ]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"classes": ["AGREE", "GOSSIP", "DISAPPROVE"]}, "classes: must list distinct values"),
        ({"intercept": [0.5]}, "intercept: must be 3 finite numbers"),
        ({"intercept": [0.5, True, 0.0]}, "intercept: must be 3 finite numbers"),
        ({"intercept": [0.5, "1", 0.0]}, "intercept: must be 3 finite numbers"),
        ({"rule_coef": [[1.0, 0.0, 0.0]]}, "rule_coef: must be 3 rows"),
        ({"relation_coef": [[1.0, 0.0, 0.0]] * 3}, "relation_coef: must be 4 rows, one per name"),
        ({"terms": {"signed": [2.0, 1.0]}}, "terms 'signed': must be an idf and 3 weights"),
        ({"relation_weight": None}, "relation_weight: must be a number"),
    ],
)
def test_a_malformed_model_is_refused_with_file_and_part(
    tmp_path: Path, change: dict[str, Any], says: str
) -> None:
    path = _write(tmp_path, _tiny(**change))
    with pytest.raises(DataFileError, match=says) as caught:
        load_event_model(path)
    assert str(path) in str(caught.value)


def test_the_shipped_model_stamps_the_coder() -> None:
    model = load_event_model()
    assert set(model.classes) <= set(EVENT_TYPES) and len(model.classes) >= 12
    assert model.version.startswith("em-")
    coder = default_coder()
    rules_only = Coder(coder.gazetteer, coder.lexicon)
    with_event = Coder(coder.gazetteer, coder.lexicon, event_model=model)
    assert len({rules_only.version, with_event.version, coder.version}) == 3
    assert with_event.version.startswith(rules_only.version + "+m")
    assert len(coder.version) <= 40  # the store keeps it in a column of 40 characters


def test_the_model_reads_a_complaint_the_rules_call_a_refusal() -> None:
    """ "Has not delivered" is a cue of refusal; the headline is Tehran's complaint."""
    coder = default_coder()
    title = "Iran complains China has not delivered promised investment"
    rules_only = Coder(coder.gazetteer, coder.lexicon).code(id="t", title=title, text="")
    coded = coder.code(id="t", title=title, text="")
    assert (rules_only.event_type, coded.event_type) == ("REJECT", "DISAPPROVE")
    assert "event model: DISAPPROVE, where the rules read REJECT" in coded.rules
    # The single dyad's interaction carries the article's event type.
    assert [i.event_type for i in coded.interactions] == ["DISAPPROVE"]
    assert (coded.dyads, coded.relation) == (rules_only.dyads, rules_only.relation)


def test_the_model_is_fitted_on_no_held_back_item() -> None:
    """tools/train_event_model.py reads the dev part only: no item of the held-back part is
    among what it fits on (the gate's event figure is a fair one)."""
    import importlib.util

    from crankcall.jobs.evaluation import DEV_MONTHS, default_story_paths
    from crankcall.pipeline import default_gold_paths, load_gold

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("train", root / "tools/train_event_model.py")
    assert spec and spec.loader
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    rows = train.training_rows()
    items = load_gold(default_gold_paths(root))
    held_back = {(i.title, i.text) for i in items if i.split == "test"}
    held_back -= {(i.title, i.text) for i in items if i.split == "dev"}
    # ... nor of the story stage's held-back months (its tuning months it may read).
    stories = default_story_paths(root)
    kept_back = [p for p in stories if p.stem.removeprefix("articles-") not in DEV_MONTHS]
    assert kept_back and len(kept_back) < len(stories)
    held_back |= {(i.title, i.text) for i in load_gold(kept_back)}
    assert len(rows) >= 1300
    assert not {(r["title"], r["text"]) for r in rows} & held_back
