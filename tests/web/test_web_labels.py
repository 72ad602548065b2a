"""Editor labels made in the desk serve as gold, on both backends: `crankcall labels export`
writes them in the gold JSONL form and `crankcall eval --gold` scores the coder on them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from desk_client import Login, august_stories, csrf_of

from crankcall.analyze.coder import default_coder
from crankcall.cli import cli
from crankcall.pipeline import load_gold
from crankcall.settings import Settings
from crankcall.store import Store


def test_editor_labels_export_as_gold_that_eval_scores(
    login: Login, desk_settings: Settings, desk_store: Store, tmp_path: Path
) -> None:
    editor = login("eve")
    token = csrf_of(editor)
    stories = [s["id"] for s in august_stories(desk_store, dyad="KP-RU")]
    members = desk_store.story_members(stories)
    story = next(s for s in stories if len(members[s]) >= 2)  # two articles of one story
    first, second = [m["id"] for m in members[story]][:2]
    labels = [
        (first, {"dyad": ["CN-RU"], "relation": "cooperation", "topic": "energy"}),
        (first, {"dyad": ["KP-RU"], "relation": "contention", "topic": "military"}),  # newest
        (second, {"relation": "none", "topic": "other"}),
    ]
    for article, label in labels:
        done = editor.post(f"/desk/articles/{article}/label", data={"csrf_token": token, **label})
        assert done.status_code == 303
    gold = tmp_path / "editor-gold.jsonl"
    runner = CliRunner()
    done = runner.invoke(cli, ["labels", "export", "--db", desk_settings.db, "--output", str(gold)])
    assert done.exit_code == 0, done.output
    rows = {row["id"]: row for row in map(json.loads, gold.read_text("utf-8").splitlines())}
    assert set(rows) == {first, second}
    assert rows[first]["dyads"] == ["KP-RU"] and rows[first]["relation"] == "contention"
    assert rows[first]["relevant"] is True and rows[first]["crank"] == ["KP", "RU"]
    assert rows[second]["relevant"] is False and rows[second]["dyads"] == []
    article = desk_store.get_article(first)
    assert rows[first]["title"] == article.title and rows[first]["text"] == article.text
    assert "eve" in rows[first]["note"]
    # The form `crankcall eval` reads, scored like any gold set.
    items = load_gold([gold])
    assert [i.id for i in items] == sorted([first, second]) and items[0].split == "test"
    scored = runner.invoke(cli, ["eval", "--gold", str(gold), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.stdout)
    assert report["items"] == 2
    published = article.published.date() if article.published else None
    machine = default_coder().code(
        id=first, title=article.title, text=article.text, published=published
    )
    expected = int("KP-RU" in machine.dyads)
    assert report["dyads"]["true_positive"] == expected


def test_labels_export_of_a_missing_database_is_one_line(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["labels", "export", "--db", str(tmp_path / "none.db")])
    assert done.exit_code == 2
    assert done.stderr.strip().count("\n") == 0 and "no database" in done.stderr
