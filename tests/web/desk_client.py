"""Helpers of the desk's tests: logging in through the form and reading CSRF tokens."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from crankcall.store import Store
from crankcall.store.desk_queries import QueueFilter

PASSWORD = "a long enough password"
TOKEN = "researcher-token-for-the-tests"
Login = Callable[[str], TestClient]


def login_token(client: TestClient) -> str:
    """The double-submit token of a fresh login form."""
    form = client.get("/login").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert found
    return found[1]


def log_in(client: TestClient, name: str, password: str) -> httpx.Response:
    token = login_token(client)
    return client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token, "next": "/desk"}
    )


def csrf_of(client: TestClient, path: str = "/desk/issues") -> str:
    """The session's CSRF token, read from a page's form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found
    return found[1]


def august_stories(store: Store, **filters: str) -> list[dict[str, Any]]:
    """The demo month's queue (in scope unless `scope` says otherwise), first 100."""
    rows, _ = store.queue(
        since=datetime(2024, 8, 1, tzinfo=UTC),
        until=datetime(2024, 9, 1, tzinfo=UTC),
        window_key="2024-08",
        filters=QueueFilter(**{"scope": "in", **filters}),
        offset=0,
        limit=100,
    )
    return rows


def all_routes(app: FastAPI) -> list[Any]:
    """Every route of the app, the included routers' too."""
    found: list[Any] = []
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        found += list(inner.routes) if inner is not None else [route]
    return found
