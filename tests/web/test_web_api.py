"""The JSON API, on both backends: tokens for non-public data, pages and their limits, JSON
errors in one line, the interaction series, issues public and draft, and a property-based run
of schemathesis over our OpenAPI document that must find no server error."""

from __future__ import annotations

from collections import Counter
from typing import Any

import schemathesis
from desk_client import TOKEN, Login, csrf_of
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import select

from crankcall.store import Store, schema

BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _error(answer: Any, status: int) -> str:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    message = answer.json()["error"]
    assert isinstance(message, str) and message and "\n" not in message
    return str(message)


def test_non_public_data_needs_a_token(client: TestClient) -> None:
    for path in ("/api/v1/articles", "/api/v1/stories", "/api/v1/interactions"):
        assert "token" in _error(client.get(path), 401)
        _error(client.get(path, headers={"Authorization": "Bearer not-a-token"}), 401)
        assert client.get(path, headers=BEARER).status_code == 200
    assert "token" in _error(client.get("/api/v1/nowhere"), 401)  # a stranger learns nothing
    _error(client.get("/api/v1/nowhere", headers=BEARER), 404)


def test_articles_page_within_the_limit(client: TestClient, desk_store: Store) -> None:
    first = client.get("/api/v1/articles?limit=5", headers=BEARER).json()
    second = client.get("/api/v1/articles?limit=5&offset=5", headers=BEARER).json()
    assert first["total"] == desk_store.stats()["articles"] and len(first["articles"]) == 5
    assert not {a["id"] for a in first["articles"]} & {a["id"] for a in second["articles"]}
    assert "over the most allowed" in _error(
        client.get("/api/v1/articles?limit=201", headers=BEARER), 400
    )
    _error(client.get("/api/v1/articles?limit=0", headers=BEARER), 422)
    _error(client.get("/api/v1/articles?since=yesterday", headers=BEARER), 422)
    reuters = client.get("/api/v1/articles?outlet=Reuters&limit=200", headers=BEARER).json()
    assert reuters["articles"] and {a["outlet"] for a in reuters["articles"]} == {"Reuters"}
    one = client.get(f"/api/v1/articles/{first['articles'][0]['id']}", headers=BEARER).json()
    assert one["text"] and one["coding"]["interactions"] is not None
    _error(client.get("/api/v1/articles/no-such-article", headers=BEARER), 404)


def test_stories_of_a_window(client: TestClient) -> None:
    found = client.get("/api/v1/stories?month=2024-08&limit=3", headers=BEARER).json()
    assert found["window"] == {"since": "2024-08-01", "until": "2024-08-31"}
    assert len(found["stories"]) == 3 and found["total"] > 3
    assert all(s["articles"] and "components" in s for s in found["stories"])
    pairs = client.get("/api/v1/stories?month=2024-08&dyad=KP-RU", headers=BEARER).json()
    assert all("KP-RU" in s["dyads"] for s in pairs["stories"])
    _error(client.get("/api/v1/stories?month=2024-13", headers=BEARER), 422)


def test_interaction_series_count_the_stored_interactions(
    client: TestClient, desk_store: Store
) -> None:
    series = client.get("/api/v1/interactions", headers=BEARER).json()["series"]
    i, a = schema.interactions, schema.articles
    with desk_store.engine.connect() as connection:
        rows = connection.execute(
            select(a.c.published, i.c.dyad, i.c.relation).join(a, a.c.id == i.c.article_id)
        ).all()
    expected = Counter((f"{p:%Y-%m}", d, r) for p, d, r in rows if p is not None)
    got = Counter({(s["month"], s["dyad"], r): n for s in series for r, n in s["counts"].items()})
    assert got == expected and expected
    one = client.get("/api/v1/interactions?dyad=CN-RU", headers=BEARER).json()["series"]
    assert one and {s["dyad"] for s in one} == {"CN-RU"}


def test_issues_are_public_once_published(
    client: TestClient, login: Login, desk_store: Store
) -> None:
    assert client.get("/api/v1/issues").json() == {"issues": []}
    _error(client.get("/api/v1/issues/2024-08"), 404)
    drafts = client.get("/api/v1/issues", headers=BEARER).json()["issues"]
    assert [(i["month"], i["status"]) for i in drafts] == [("2024-08", "draft")]
    draft = client.get("/api/v1/issues/2024-08", headers=BEARER).json()
    assert draft["status"] == "draft" and draft["highlights"]
    admin = login("ada")
    admin.post("/desk/issues/2024-08/approve", data={"csrf_token": csrf_of(admin)})
    admin.post("/desk/issues/2024-08/publish", data={"csrf_token": csrf_of(admin)})
    public = client.get("/api/v1/issues/2024-08").json()
    assert public["status"] == "published"
    assert public["highlights"][0]["headline"] == draft["highlights"][0]["headline"]
    assert client.get("/api/v1/issues").json()["issues"][0]["status"] == "published"


def test_schemathesis_finds_no_server_error(app: FastAPI) -> None:
    api = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=BEARER)
    calls = 0
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            nonlocal calls
            for headers in (BEARER, {}):
                response = case.call(headers=headers)
                case.validate_response(response, checks=[not_a_server_error])
                assert response.headers["content-type"][0].startswith("application/json")
                calls += 1

        check()
    assert calls >= 50
