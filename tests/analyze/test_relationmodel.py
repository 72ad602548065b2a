"""The relation model: what it reads of a pair, its file checked at load, its arithmetic, and its
place in the coder."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from crankcall.analyze.coder import Coder, default_coder
from crankcall.analyze.relation import (
    PAIR_FEATURES,
    Hit,
    Pair,
    article_relation,
    pair_features,
    reason_kind,
)
from crankcall.analyze.relationmodel import RELATIONS, load_relation_model
from crankcall.analyze.topicmodel import load_topic_model
from crankcall.errors import DataFileError

ROOT = Path(__file__).resolve().parents[2]


def _cue(relation: str) -> Any:
    from crankcall.analyze.lexicon import Cue

    return Cue(
        id=f"test.{relation}",
        relation=relation,
        event="CONSULT",
        intensity=1.0,
        weight=1.0,
        scope="pair",
        outsider=1.0,
        exchange=True,
        events=(),
        patterns=(),
        combined=None,  # type: ignore[arg-type]
    )


def _hit(relation: str, sentence: int, start: int, weight: float, note: str = "") -> Hit:
    return Hit(
        cue=_cue(relation),
        sentence=sentence,
        start=start,
        end=start + 5,
        weight=weight,
        relation=relation,
        note=note,
        event="CONSULT",
    )


def test_pair_features_measure_what_the_rules_weigh() -> None:
    pair = Pair(
        hits=[
            _hit("cooperation", 0, 0, 1.0),  # in the headline: counts twice in w_coop
            _hit("contention", 1, 0, 1.0),  # a sentence of friction of the pair's own
            _hit("cooperation", 1, 20, 0.5),  # ... beside some cooperation: s1 turns
            _hit("cooperation", 2, 0, 0.8, "hedged"),  # weakened
            _hit("contention", 2, 20, 0.6, "voiced outside the pair"),  # weakened, outside
            _hit("contention", 2, 22, 0.3),  # overlaps a stronger hit of its kind: dropped
        ],
        turns={0, 1},
        opens={1, 2},
        sentences={0, 1, 2, 3, 4},
    )
    features = dict(zip(PAIR_FEATURES, pair_features(pair), strict=True))
    assert features == pytest.approx(
        {
            "w_coop": 2.0 + 0.5 + 0.8,
            "w_cont": 1.0 + 0.6,
            "t_coop": 1.0,
            "t_cont": 0.0,
            "weak_coop": 0.8,
            "weak_cont": 0.6,
            "out_cont": 0.6,
            "own_coop": 0.0,  # s1's cooperation is outweighed there; s2's is hedged
            "own_cont": 1.0,  # s1
            "turn_title": 1.0,
            "body_turns": 1.0,  # s1 carries both kinds, neither weakened
            "shift": 0.0,  # no body sentence of cooperation of its own before s1
            "opens": 2.0,
            "n": 5.0,
            "neutral": 2.0,  # s3 and s4 name both and carry no cue
        }
    )


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("friction of its own in s3", "friction of its own in"),
        ("s2 turns against the sentence before", "turns against the sentence before"),
        ("both kinds weigh (1.5, 2.0)", "both kinds weigh"),
        ("cooperation weighs more (2.0, 0.0)", "cooperation weighs more"),
        ("the headline leads", "the headline leads"),
    ],
)
def test_a_reason_kind_is_the_rule_without_its_numbers(reason: str, kind: str) -> None:
    assert reason_kind(reason) == kind


def _tiny(**change: Any) -> dict[str, Any]:
    zero = [0.0, 0.0]
    model: dict[str, Any] = {
        "classes": ["contention", "cooperation"],
        "token_pattern": r"(?u)\b[^\W\d_][^\W\d_]+\b",
        "title_repeat": 2,
        "lead_chars": 100,
        "intercept": [0.0, 0.5],
        "features": list(PAIR_FEATURES),
        "feature_scale": 2.0,
        "feature_coef": [[1.0, 0.0] if f == "w_cont" else zero for f in PAIR_FEATURES],
        "dyads_coef": [0.1, 0.0],
        "rule_weight": 1.5,
        "relations": ["contention", "cooperation", "mixed"],
        "rule_coef": [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]],
        "reasons": ["the headline leads"],
        "reason_coef": [[0.0, 0.25]],
        "terms": {"idle": [3.0, 2.0, -1.0]},
        "version": "rm-tiny",
    }
    model.update(change)
    return model


def _write(tmp_path: Path, model: dict[str, Any]) -> Path:
    path = tmp_path / "relation-model.json"
    path.write_text(json.dumps(model), "utf-8")
    return path


def test_scores_add_the_words_the_pair_and_the_rules_reading(tmp_path: Path) -> None:
    model = load_relation_model(_write(tmp_path, _tiny()))
    features = tuple(3.0 if f == "w_cont" else 0.0 for f in PAIR_FEATURES)
    # "Idle" is the only known word: twice in the headline, unit length alone, so 1.0 of its row.
    scores = model.scores("Rail link idle", "", features, 2, "cooperation", "the headline leads")
    assert scores == pytest.approx(
        [
            0.0 + 2.0 + 2.0 * math.log1p(3.0) + 0.1 * 2 + 1.5 * 0.0 + 1.5 * 0.0,
            0.5 - 1.0 + 0.0 + 0.0 + 1.5 * 1.0 + 1.5 * 0.25,
        ]
    )
    assert model.choose("Rail link idle", "", features, 2, "cooperation", "x") == "contention"
    # Nothing of the words or the pair: the rules' relation and rule, and the intercept.
    nothing = (0.0,) * len(PAIR_FEATURES)
    assert model.choose("Talks", "", nothing, 1, "cooperation", "the headline leads") == (
        "cooperation"
    )
    # A rule or relation the model does not know counts for nothing.
    assert model.scores("Talks", "", nothing, 0, "none", "new rule") == pytest.approx([0.0, 0.5])


def test_the_evidence_words_are_words_of_their_own(tmp_path: Path) -> None:
    # "idle" in the evidence is "ʬidle", a word apart from "idle" in the headline or lead.
    model = load_relation_model(
        _write(tmp_path, _tiny(evidence_mark="ʬ", terms={"ʬidle": [3.0, 2.0, -1.0]}))
    )
    nothing = (0.0,) * len(PAIR_FEATURES)
    assert model.evidence_counts("The rail link is idle. Idle!") == {
        "ʬthe": 1,
        "ʬrail": 1,
        "ʬlink": 1,
        "ʬis": 1,
        "ʬidle": 2,
    }
    assert model.choose("Rail link idle", "", nothing, 1, "cooperation", "x") == "cooperation"
    assert (
        model.choose("Rail link", "", nothing, 1, "cooperation", "x", evidence="It sits idle.")
        == "contention"
    )
    # The counts handed in (the article's, shared by its dyads) are left as they were.
    counts = model.words.counts("Rail link", "")
    model.scores("Rail link", "", nothing, 1, "cooperation", "x", counts, "It sits idle.")
    assert counts == model.words.counts("Rail link", "")
    # A model without the mark reads no evidence.
    plain = load_relation_model(_write(tmp_path, _tiny()))
    assert plain.evidence_counts("It sits idle.") == {}


def test_the_shipped_model_reads_evidence_words() -> None:
    model = load_relation_model()
    mark = model.evidence_mark
    assert mark and any(term.startswith(mark) for term in model.words.terms)
    # The mark is a letter no word of our gold sets or books holds.
    gold = Path(__file__).resolve().parents[1] / "gold"
    assert all(mark not in f.read_text("utf-8") for f in gold.rglob("*.jsonl"))


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"evidence_mark": "##"}, "evidence_mark: must be one letter, or empty"),
        ({"evidence_mark": "#"}, "evidence_mark: must be one letter, or empty"),
        ({"evidence_mark": 1}, "evidence_mark: must be one letter, or empty"),
        ({"classes": ["cooperation", "none"]}, "classes: must list distinct values"),
        ({"features": ["w_coop", "w_cont"]}, "features: must name the coder's pair features"),
        ({"features": "w_coop"}, "features: must be a list of distinct names"),
        ({"feature_coef": [[0.0, 0.0]]}, f"feature_coef: must be {len(PAIR_FEATURES)} rows"),
        ({"dyads_coef": [0.1, True]}, "dyads_coef: must be 2 finite numbers"),
        ({"relations": ["cooperation", "friendship"]}, "relations: must be values of"),
        ({"rule_coef": [[1.0, 0.0]]}, "rule_coef: must be 3 rows, one per name"),
        ({"reasons": ["a", "a"]}, "reasons: must be a list of distinct names"),
        ({"reason_coef": [[0.0, float("inf")]]}, "reason_coef row 1: must be 2 finite numbers"),
        ({"feature_scale": None}, "feature_scale: must be a number"),
        ({"terms": {"idle": [0.0, 1.0, 1.0]}}, "terms 'idle': the idf must be a positive"),
        ({"title_repeat": 1.5}, "title_repeat: must be a count"),
    ],
)
def test_a_malformed_model_is_refused_with_file_and_part(
    tmp_path: Path, change: dict[str, Any], says: str
) -> None:
    path = _write(tmp_path, _tiny(**change))
    with pytest.raises(DataFileError, match=says) as caught:
        load_relation_model(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]", b"\xff\xfe"])
def test_a_file_that_is_no_model_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "relation-model.json"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=str(path)):
        load_relation_model(path)


def test_the_shipped_model_and_the_coders_stamp() -> None:
    model = load_relation_model()
    assert sorted(model.classes) == sorted(RELATIONS)
    assert model.version.startswith("rm-")
    coder = default_coder()
    assert coder.relation_model is not None
    assert coder.relation_model.version == model.version
    with_topic = Coder(coder.gazetteer, coder.lexicon, load_topic_model())
    # A new relation model is a new coder: `crankcall run` codes again.
    assert with_topic.version != coder.version
    assert len(coder.version) <= 40  # the store keeps it in a column of 40 characters


_IDLE = (
    "Moscow and Pyongyang vow deeper ties, with rail link still idle",
    "Russia and North Korea agreed to expand trade. A cross-border rail line built last year "
    "carries almost no freight.",
)


def test_the_model_reads_a_promise_beside_an_idle_project_as_mixed() -> None:
    coder = default_coder()
    rules_only = Coder(coder.gazetteer, coder.lexicon)
    before = rules_only.code(id="t", title=_IDLE[0], text=_IDLE[1])
    coded = coder.code(id="t", title=_IDLE[0], text=_IDLE[1])
    assert (before.relation, coded.relation) == ("contention", "mixed")
    assert "relation model KP-RU: mixed, where the rules read contention" in coded.rules
    assert [(i.dyad, i.relation) for i in coded.interactions] == [("KP-RU", "mixed")]
    # Everything else is the rules' own reading.
    assert (coded.dyads, coded.topic, coded.evidence) == (
        before.dyads,
        before.topic,
        before.evidence,
    )


@pytest.mark.parametrize(
    "title",
    [
        "China brokers Russia-Iran deal",
        "Moscow welcomes Iranian students but keeps Chinese investors out",
        "Russia, Iran and North Korea hold joint drills as China watches",
        "China and Russia sign pact; Iran protests exclusion",
    ],
)
def test_the_article_relation_is_its_dyads_read_by_the_model(title: str) -> None:
    coded = default_coder().code(id="t", title=title, text="")
    relations = {i.dyad: i.relation for i in coded.interactions}
    assert set(relations) == set(coded.dyads)
    assert coded.relation == (article_relation(relations) if relations else "none")


def test_eval_rules_only_scores_the_relation_rules_without_the_model(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from crankcall.cli import cli

    gold = tmp_path / "gold.jsonl"
    item = {
        "id": "g1",
        "title": _IDLE[0],
        "text": _IDLE[1],
        "published": "2024-10-24",
        "relevant": True,
        "crank": ["KP", "RU"],
        "dyads": ["KP-RU"],
        "relation": "mixed",
        "topic": "trade_finance",
        "split": "test",
    }
    gold.write_text(json.dumps(item) + "\n", "utf-8")
    coded = {}
    for flags in ([], ["--rules-only"]):
        result = CliRunner().invoke(
            cli, ["eval", "--gold", str(gold), "--format", "json", "--errors", "5", *flags]
        )
        assert result.exit_code == 0, result.output
        coded[bool(flags)] = json.loads(result.output)["relation_confusion"]["mixed"]
    assert coded[False]["mixed"] == 1
    assert coded[True]["contention"] == 1


def test_the_model_is_fitted_on_no_held_back_item() -> None:
    """tools/train_relation_model.py reads the dev part and the phrasebooks: no item of the
    held-back part is among what it fits on (the gate's relation figure is a fair one)."""
    import importlib.util

    from crankcall.pipeline import default_gold_paths, load_gold

    spec = importlib.util.spec_from_file_location(
        "train_relation", ROOT / "tools/train_relation_model.py"
    )
    assert spec and spec.loader
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    rows = train.training_rows()
    items = load_gold(default_gold_paths(ROOT))
    held_back = {(i.title, i.text) for i in items if i.split == "test"}
    held_back -= {(i.title, i.text) for i in items if i.split == "dev"}  # see test_topicmodel
    assert len(rows) >= 1500
    assert not {(r["title"], r["text"]) for r in rows} & held_back
    assert {r["gold"] for r in rows} == set(RELATIONS)
    assert all(len(r["features"]) == len(PAIR_FEATURES) for r in rows)
