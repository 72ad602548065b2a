"""The story queue, on both backends: filters, pages, components and articles, and the editor's
decisions (pin, exclude, merge, split, move, section, place, corrected coding)."""

from __future__ import annotations

import re
from datetime import timedelta

from desk_client import Login, august_stories, csrf_of
from fastapi.testclient import TestClient

from crankcall.store import Store
from crankcall.store.desk_queries import QueueFilter


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


def test_queue_filters_narrow_the_stories(login: Login, desk_store: Store) -> None:
    viewer = login("vic")
    everything = august_stories(desk_store)
    for field, value in (
        ("dyad", "KP-RU"),
        ("relation", "cooperation"),
        ("topic", "military"),
        ("section", "analysis"),
        ("kind", "state_media"),
    ):
        shown = _story_ids(viewer.get(f"/desk?month=2024-08&{field}={value}").text)
        expected = [s["id"] for s in august_stories(desk_store, **{field: value})][:20]
        assert shown == expected, field
        assert 0 < len(expected) < len(everything), field
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
