"""The story queue, on both backends: filters, pages, components and articles, and the editor's
decisions (pin, exclude, merge, split, move, section, place, corrected coding)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from click.testing import CliRunner
from desk_client import Login, august_stories, csrf_of
from fastapi.testclient import TestClient

from crankcall.cli import cli
from crankcall.settings import Settings
from crankcall.store import Store
from crankcall.store.desk_queries import QueueFilter
from crankcall.web.desk import QueueCache


def _story_ids(html: str) -> list[str]:
    return re.findall(r'<tr class="story[^"]*" id="story-(s[0-9a-f]+)"', html)


def test_queue_shows_components_articles_and_pages(login: Login, desk_store: Store) -> None:
    viewer = login("vic")
    first = viewer.get("/desk?month=2024-08")
    assert first.status_code == 200
    assert len(_story_ids(first.text)) == 20  # web_page_size in the tests
    total = int(re.search(r"(\d+) stories;", first.text)[1])  # type: ignore[index]
    assert total > 20 and "Next page" in first.text
    assert re.search(r"consequence \d\.\d\d · breadth \d\.\d\d", first.text)
    assert re.search(r"Reuters</a>, 2024-08-\d\d", first.text)
    second = viewer.get("/desk?month=2024-08&page=2")
    assert not set(_story_ids(first.text)) & set(_story_ids(second.text))
    assert viewer.get("/desk?month=2024-13").status_code == 400


def _candidates(settings: Settings) -> list[dict[str, Any]]:
    """`crankcall candidates --month 2024-08 --format json`, run as a user would."""
    done = CliRunner().invoke(
        cli, ["candidates", "--db", settings.db, "--month", "2024-08", "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    found: list[dict[str, Any]] = json.loads(done.stdout)["stories"]
    return found


def _rows(html: str) -> list[tuple[str, str, str, str]]:
    """(rank, id, score, components) of every story row of a queue page."""
    return re.findall(
        r'<tr class="story[^"]*" id="story-(s[0-9a-f]+)">\s*<td>([^<]+)<.*?'
        r'<td>([0-9.]+)<p class="components">([^<]*)</p>',
        html,
        flags=re.S,
    )


def _shown(story: dict[str, Any]) -> str:
    return " · ".join(
        f"{name} {int(value)}" if name in {"outlets", "articles"} else f"{name} {value:.2f}"
        for name, value in story["components"].items()
    )


def test_queue_order_and_components_are_those_of_candidates(
    login: Login, desk_settings: Settings, desk_store: Store
) -> None:
    editor = login("eve")
    token = csrf_of(editor)
    before = _candidates(desk_settings)
    pinned, placed = before[-1]["id"], before[3]["id"]
    # An editor's pin and place change both alike.
    editor.post(f"/desk/stories/{pinned}/pin", data={"csrf_token": token, "on": "1"})
    editor.post(
        f"/desk/stories/{placed}/position",
        data={"csrf_token": token, "window": "2024-08", "position": "1"},
    )
    ranked = _candidates(desk_settings)
    assert [s["id"] for s in ranked[:2]] == [placed, pinned]
    shown: list[tuple[str, str, str, str]] = []
    for number in range(1, 10):
        rows = _rows(editor.get(f"/desk?month=2024-08&page={number}").text)
        shown += rows
        if len(rows) < 20:
            break
    expected = [(s["id"], str(s["rank"]), f"{s['score']:.3f}", _shown(s)) for s in ranked]
    assert len(expected) > 20  # more than one page
    assert shown[: len(expected)] == expected
    assert all(rank == "–" for _, rank, _, _ in shown[len(expected) :])  # excluded, out of scope


def test_queue_filters_narrow_the_stories(
    login: Login, desk_settings: Settings, desk_store: Store
) -> None:
    viewer = login("vic")
    ranked = {s["id"]: s for s in _candidates(desk_settings)}
    order = list(ranked)
    everything = august_stories(desk_store)
    kinds = {
        s["id"]: {m["outlet_kind"] for m in members}
        for s in everything
        for members in [desk_store.story_members([s["id"]])[s["id"]]]
    }
    for field, value in (
        ("dyad", "KP-RU"),
        ("relation", "cooperation"),
        ("topic", "military"),
        ("section", "analysis"),
        ("kind", "state_media"),
    ):
        shown = _story_ids(viewer.get(f"/desk?month=2024-08&{field}={value}").text)
        wanted = [
            sid
            for sid, s in ranked.items()
            if (value in s["dyads"] if field == "dyad" else None)
            or (s.get(field) == value if field in {"relation", "topic", "section"} else None)
            or (field == "kind" and value in kinds.get(sid, set()))
        ]
        assert 0 < len(wanted) < len(ranked), field
        assert shown[: min(20, len(wanted))] == wanted[:20], field  # in the ranking's order
        assert [order.index(sid) for sid in shown if sid in ranked] == sorted(
            order.index(sid) for sid in shown if sid in ranked
        )
    word = everything[0]["headline"].split()[0]
    found = _story_ids(viewer.get(f"/desk?month=2024-08&q={word}").text)
    assert everything[0]["id"] in found
    window = viewer.get("/desk?since=2024-08-01&until=2024-08-10")
    assert window.status_code == 200 and "2024-08-01 to 2024-08-10" in window.text


def test_pin_and_exclude_reorder_the_queue(login: Login, desk_store: Store) -> None:
    editor = login("eve")
    stories = august_stories(desk_store)
    last, first = stories[-1]["id"], stories[0]["id"]
    token = csrf_of(editor)
    back = "/desk?month=2024-08"
    done = editor.post(
        f"/desk/stories/{last}/pin", data={"csrf_token": token, "on": "1", "next": back}
    )
    assert done.status_code == 303 and done.headers["location"] == back
    editor.post(f"/desk/stories/{first}/exclude", data={"csrf_token": token, "on": "1"})
    order = [s["id"] for s in august_stories(desk_store)]
    assert order[0] == last and order[-1] == first
    page = editor.get(back).text
    assert _story_ids(page)[0] == last and "Unpin" in page
    editor.post(f"/desk/stories/{last}/pin", data={"csrf_token": token, "on": "0"})
    assert not desk_store.story_row(last)["pinned"]  # type: ignore[index]
    away = editor.post(
        f"/desk/stories/{last}/pin", data={"csrf_token": token, "next": "https://evil.example"}
    )
    assert away.headers["location"] == f"/desk/stories/{last}"  # no open redirect


def test_merge_split_and_move_use_the_pipeline(login: Login, desk_store: Store) -> None:
    editor = login("eve")
    token = csrf_of(editor)
    big = next(s for s in august_stories(desk_store) if len(_members(desk_store, s["id"])) >= 3)
    other = next(s for s in august_stories(desk_store) if s["id"] != big["id"])
    members = _members(desk_store, big["id"])
    split = editor.post(
        f"/desk/stories/{big['id']}/split",
        data={"csrf_token": token, "article": members[:1]},
    )
    assert split.status_code == 303
    new = split.headers["location"].rsplit("/", 1)[1]
    assert _members(desk_store, new) == members[:1]
    moved = editor.post(
        f"/desk/articles/{members[1]}/move", data={"csrf_token": token, "target": new}
    )
    assert moved.headers["location"] == f"/desk/stories/{new}"
    assert sorted(_members(desk_store, new)) == sorted(members[:2])
    merged = editor.post(
        f"/desk/stories/{new}/merge", data={"csrf_token": token, "target": other["id"]}
    )
    assert merged.headers["location"] == f"/desk/stories/{other['id']}"
    assert set(members[:2]) <= set(_members(desk_store, other["id"]))
    assert desk_store.story_row(new) is None
    bad = editor.post(f"/desk/stories/{other['id']}/merge", data={"csrf_token": token})
    assert bad.status_code == 400


def _members(store: Store, story: str) -> list[str]:
    return [m["id"] for m in store.story_members([story])[story]]


def test_section_and_place_are_kept_per_window(login: Login, desk_store: Store) -> None:
    editor = login("eve")
    token = csrf_of(editor)
    story = august_stories(desk_store)[5]["id"]
    data = {"csrf_token": token, "window": "2024-08"}
    editor.post(f"/desk/stories/{story}/section", data={**data, "section": "perspectives"})
    editor.post(f"/desk/stories/{story}/position", data={**data, "position": "1"})
    first = august_stories(desk_store)[0]
    assert first["id"] == story and first["effective_section"] == "perspectives"
    rows, _ = desk_store.queue(
        since=first["first_seen"],
        until=first["last_seen"] + timedelta(days=1),
        window_key="another",
        filters=QueueFilter(),
        offset=0,
        limit=500,
    )
    other = next(r for r in rows if r["id"] == story)
    assert other["effective_section"] == other["section"]  # another window keeps the machine's
    refused = editor.post(f"/desk/stories/{story}/section", data={**data, "section": "nowhere"})
    assert refused.status_code == 400


def test_story_page_explains_and_takes_a_corrected_coding(login: Login, desk_store: Store) -> None:
    editor = login("eve")
    story = august_stories(desk_store, dyad="KP-RU")[0]["id"]
    article = _members(desk_store, story)[0]
    page = editor.get(f"/desk/stories/{story}?month=2024-08")
    assert page.status_code == 200
    assert "Coding: " in page.text and "Rules:" in page.text and "KP-RU" in page.text
    timeline = page.text.split("<h2>Timeline</h2>")[1].split("<h2>Articles</h2>")[0]
    for member in _members(desk_store, story):  # every article once, linked to its entry
        assert timeline.count(f'href="#article-{member}"') == 1
    token = csrf_of(editor)
    machine = desk_store.coding_of(article)
    label = editor.post(
        f"/desk/articles/{article}/label",
        data={
            "csrf_token": token,
            "dyad": ["CN-RU", "KP-RU"],
            "relation": "contention",
            "topic": "trade_finance",
            "next": f"/desk/stories/{story}",
        },
    )
    assert label.status_code == 303
    stored = desk_store.labels([article])
    assert stored[0]["dyads"] == ["CN-RU", "KP-RU"] and stored[0]["author"] == "eve"
    assert desk_store.coding_of(article) == machine  # the machine's coding is kept apart
    assert "Editor label by eve" in editor.get(f"/desk/stories/{story}").text
    wrong = editor.post(
        f"/desk/articles/{article}/label",
        data={"csrf_token": token, "relation": "none", "topic": "other", "dyad": ["CN-RU"]},
    )
    assert wrong.status_code == 400


def test_viewer_sees_no_action_forms(login: Login, client: TestClient, desk_store: Store) -> None:
    story = august_stories(desk_store)[0]["id"]
    page = login("vic").get(f"/desk/stories/{story}").text
    assert "Save label" not in page and "Merge" not in page


def test_queue_cache_keeps_no_lock_per_search_once_built() -> None:
    """Keys carry the search text, so a lock kept per key would grow with every new search."""
    cache = QueueCache()
    values = [cache.build(("match", f"text {n}"), ("stamp",), lambda n=n: n) for n in range(100)]
    assert values == list(range(100))
    assert cache._building == {}
    assert cache.build(("match", "text 7"), ("stamp",), lambda: "made again") == 7  # kept
