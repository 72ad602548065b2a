"""The topic model: its file checked at load, its arithmetic, and its place in the coder."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from crankcall.analyze.coder import Coder, default_coder
from crankcall.analyze.topic import scores_in_rules
from crankcall.analyze.topicmodel import load_topic_model
from crankcall.errors import DataFileError
from crankcall.models import TOPICS


def _tiny(**change: Any) -> dict[str, Any]:
    model: dict[str, Any] = {
        "classes": ["diplomacy", "military"],
        "token_pattern": r"(?u)\b[^\W\d_][^\W\d_]+\b",
        "title_repeat": 1,
        "lead_chars": 10,
        "rule_weight": 2.0,
        "score_weight": 1.0,
        "intercept": [0.5, 0.0],
        "rule_coef": [[1.0, 0.0], [0.0, 1.0]],
        "score_coef": [[0.25, 0.0], [0.0, 0.25]],
        "terms": {"tanks": [2.0, -1.0, 1.5], "talks": [1.0, 1.0, -1.0]},
        "version": "tm-tiny",
    }
    model.update(change)
    return model


def _write(tmp_path: Path, model: dict[str, Any]) -> Path:
    path = tmp_path / "topic-model.json"
    path.write_text(json.dumps(model), "utf-8")
    return path


def test_scores_are_tfidf_times_weights_plus_the_rules_reading(tmp_path: Path) -> None:
    model = load_topic_model(_write(tmp_path, _tiny()))
    # "Tanks" twice and "talks" once; the lead is cut at 10 characters ("Talks and " keeps
    # "talks"); words not in the model ("and", "more") count for nothing.
    x_tanks, x_talks = 2.0 * (1 + math.log(2)), 1.0 * (1 + math.log(1))
    assert model.words.document("Tanks, tanks", "Talks and more") == "Tanks, tanks Talks and "
    norm = math.hypot(x_tanks, x_talks)
    vector = model.words.vector("Tanks, tanks", "Talks and more")
    assert vector == pytest.approx({"tanks": x_tanks / norm, "talks": x_talks / norm})
    scores = model.scores("Tanks, tanks", "Talks and more", "diplomacy", {"diplomacy": 6.0})
    words = [
        -1.0 * x_tanks / norm + 1.0 * x_talks / norm,
        1.5 * x_tanks / norm - 1.0 * x_talks / norm,
    ]
    # The rules chose diplomacy (x2.0 of its row) with diplomacy its top score (6/6 x 1.0).
    assert scores == pytest.approx([0.5 + words[0] + 2.0 + 0.25, 0.0 + words[1]])
    assert model.choose("Tanks, tanks", "Talks and more", "diplomacy", {"diplomacy": 6.0}) == (
        "diplomacy"
    )
    # Without the rules' say, the words win: tanks.
    assert model.choose("Tanks, tanks", "Talks and more", "", {}) == "military"
    # No word the model knows, no rules: the intercept alone.
    assert model.choose("Nothing here", "", "", {}) == "diplomacy"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"classes": ["diplomacy", "weather"]}, "classes: must list distinct values"),
        ({"classes": ["military", "military"]}, "classes: must list distinct values"),
        ({"intercept": [0.5]}, "intercept: must be 2 finite numbers"),
        ({"intercept": [0.5, float("nan")]}, "intercept: must be 2 finite numbers"),
        ({"rule_coef": [[1.0, 0.0]]}, "rule_coef: must be 2 rows"),
        ({"score_coef": [[1.0, 0.0], [1.0, "x"]]}, "score_coef row 2: must be 2 finite numbers"),
        ({"terms": {"tanks": [2.0, 1.0]}}, "terms 'tanks': must be an idf and 2 weights"),
        ({"terms": {"tanks": [-2.0, 1.0, 1.0]}}, "terms 'tanks': the idf must be a positive"),
        ({"terms": {}}, "terms: must map words"),
        ({"token_pattern": "(unclosed"}, "token_pattern: must be a regular expression"),
        ({"lead_chars": -1}, "lead_chars: must be a count"),
        ({"rule_weight": "heavy"}, "rule_weight: must be a number"),
    ],
)
def test_a_malformed_model_is_refused_with_file_and_part(
    tmp_path: Path, change: dict[str, Any], says: str
) -> None:
    path = _write(tmp_path, _tiny(**change))
    with pytest.raises(DataFileError, match=says) as caught:
        load_topic_model(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_a_file_that_is_no_model_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "topic-model.json"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=str(path)):
        load_topic_model(path)


def test_the_shipped_model_covers_every_topic_and_stamps_the_coder() -> None:
    model = load_topic_model()
    assert sorted(model.classes) == sorted(TOPICS)
    assert model.version.startswith("tm-")
    coder = default_coder()
    rules_only = Coder(coder.gazetteer, coder.lexicon)
    with_topic = Coder(coder.gazetteer, coder.lexicon, model)
    assert len({rules_only.version, with_topic.version, coder.version}) == 3
    assert with_topic.version.startswith(rules_only.version + "+m")
    assert len(with_topic.version) <= 40  # the store keeps it in a column of 40 characters


def test_the_rules_scores_round_trip_through_their_record() -> None:
    coder = default_coder()
    rules_only = Coder(coder.gazetteer, coder.lexicon)
    coded = rules_only.code(
        id="t",
        title="Russia and Iran sign gas swap deal, eye new rail link",
        text="Gazprom will ship gas to Iran through Azerbaijan; the rail line is to open in 2027.",
    )
    scores = scores_in_rules(coded.rules)
    assert scores and set(scores) <= set(TOPICS)
    assert all(v == round(v) for v in scores.values())
    assert scores_in_rules(["relation CN-RU: mixed, both kinds weigh", "topic military: x"]) == {}


def test_the_model_reads_past_a_word_that_only_looks_like_a_topic() -> None:
    """ "Trade accusations" is no trade: the rules count the word, the model reads the rest."""
    coder = default_coder()
    title = "Pyongyang and Moscow trade accusations over stray fishing boats"
    rules_only = Coder(coder.gazetteer, coder.lexicon).code(id="t", title=title, text="")
    assert rules_only.topic == "trade_finance"
    coded = coder.code(id="t", title=title, text="")
    assert coded.topic == "other"
    assert "topic model: other, where the rules read trade_finance" in coded.rules
    # Everything else is the rules' own reading.
    assert (coded.dyads, coded.relation) == (rules_only.dyads, rules_only.relation)


def test_eval_rules_only_scores_the_rules_without_the_model(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from crankcall.cli import cli

    gold = tmp_path / "gold.jsonl"
    item = {
        "id": "g1",
        "title": "Pyongyang and Moscow trade accusations over stray fishing boats",
        "text": "",
        "published": "2024-10-24",
        "relevant": True,
        "crank": ["KP", "RU"],
        "dyads": ["KP-RU"],
        "relation": "contention",
        "topic": "other",
        "split": "test",
    }
    gold.write_text(json.dumps(item) + "\n", "utf-8")
    figures = {}
    for flags in ([], ["--rules-only"]):
        result = CliRunner().invoke(cli, ["eval", "--gold", str(gold), "--format", "json", *flags])
        assert result.exit_code == 0, result.output
        figures[bool(flags)] = json.loads(result.output)["figures"]["topic_accuracy"]
    assert figures == {False: 1.0, True: 0.0}


def test_the_model_is_fitted_on_no_held_back_item() -> None:
    """tools/train_topic_model.py reads the dev part and the phrasebooks: no headline of the
    held-back part is among what it fits on (the gate's topic figure is a fair one)."""
    import importlib.util

    from crankcall.pipeline import default_gold_paths, load_gold

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("train", root / "tools/train_topic_model.py")
    assert spec and spec.loader
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    rows = train.training_rows()
    items = load_gold(default_gold_paths(root))
    held_back = {(i.title, i.text) for i in items if i.split == "test"}
    # Two writers wrote one headline alike ("Kim Jong Un congratulates Pezeshkian on election
    # as Iran's president", gi-0051 in dev, gg-0108 held back): what is in both parts is the
    # dev part's too.
    held_back -= {(i.title, i.text) for i in items if i.split == "dev"}
    assert len(rows) >= 1500
    assert not {(r["title"], r["text"]) for r in rows} & held_back
    assert {r["gold"] for r in rows} == set(TOPICS)
