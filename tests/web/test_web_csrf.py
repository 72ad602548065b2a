"""Every mutating route of the app refuses a request without a session, and one whose CSRF
token is missing or wrong, on both backends. The routes are read from the app itself, so a new
route is checked the day it is added."""

from __future__ import annotations

import re

from desk_client import PASSWORD, Login, all_routes, august_stories
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from crankcall.store import Store

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


def _mutating_paths(app: FastAPI, store: Store) -> list[tuple[str, str]]:
    story = august_stories(store)[0]["id"]
    article = store.story_members([story])[story][0]["id"]
    issue = store.issue_by_month("2024-08")
    assert issue is not None
    item = store.issue_items(issue["id"])[0]["id"]
    values = {"story_id": story, "article_id": article, "item_id": str(item), "month": "2024-08"}
    found = []
    for route in all_routes(app):
        if not isinstance(route, APIRoute) or not route.methods & MUTATING:
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: values[m[1]], route.path)
        found += [(method, path) for method in sorted(route.methods & MUTATING)]
    return found


def test_the_app_has_mutating_routes_to_check(app: FastAPI, desk_store: Store) -> None:
    paths = {p for _, p in _mutating_paths(app, desk_store)}
    assert len(paths) >= 18
    assert "/desk/issues/2024-08/publish" in paths and "/login" in paths


def test_every_mutating_route_refuses_a_missing_session(
    app: FastAPI, client: TestClient, desk_store: Store
) -> None:
    for method, path in _mutating_paths(app, desk_store):
        answer = client.request(method, path, data={"csrf_token": "anything"})
        expected = 403 if path == "/login" else 401  # the login form has no session yet
        assert answer.status_code == expected, (method, path, answer.text[:200])
        assert "crankcall_session" not in answer.headers.get("set-cookie", "")


def test_every_mutating_route_refuses_a_missing_or_wrong_token(
    app: FastAPI, login: Login, desk_store: Store
) -> None:
    admin = login("ada")
    for method, path in _mutating_paths(app, desk_store):
        for data in ({}, {"csrf_token": "wrong"}, {"csrf_token": ""}):
            fields = {**data, "name": "ada", "password": PASSWORD, "month": "2024-08"}
            answer = admin.request(method, path, data=fields)
            assert answer.status_code == 403, (method, path, data, answer.text[:200])
    issue = desk_store.issue_by_month("2024-08")
    assert issue is not None and issue["status"] == "draft"  # nothing got through
    assert all(item["version"] == 1 for item in desk_store.issue_items(issue["id"]))


def test_a_token_from_another_session_is_refused(login: Login, desk_store: Store) -> None:
    editor, other = login("eve"), login("ada")
    theirs = re.search(r'name="csrf_token" value="([^"]+)"', other.get("/desk/issues").text)
    assert theirs
    story = august_stories(desk_store)[0]["id"]
    answer = editor.post(f"/desk/stories/{story}/pin", data={"csrf_token": theirs[1]})
    assert answer.status_code == 403
    assert not desk_store.story_row(story)["pinned"]  # type: ignore[index]
