"""Accounts on the desk, on both backends: logging in, sessions and their cookies, what answers
without a session, login rate limits, roles, and the account commands."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from click.testing import CliRunner
from desk_client import PASSWORD, TOKEN, Login, all_routes, csrf_of, log_in, login_token
from fastapi import FastAPI
from fastapi.testclient import TestClient

from crankcall.cli import cli
from crankcall.errors import StoreError
from crankcall.settings import Settings
from crankcall.store import Store
from crankcall.web import create_app
from crankcall.web.app import SERVE_SETTINGS, app_from_environment, settings_for_workers
from crankcall.web.auth import SESSION_COOKIE, digest
from crankcall.web.common import now


def test_login_opens_a_session_with_a_safe_cookie(client: TestClient) -> None:
    answer = log_in(client, "eve", PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/desk"
    cookie = answer.headers["set-cookie"]
    assert "crankcall_session=" in cookie and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    page = client.get("/desk")
    assert page.status_code == 200 and "eve (editor)" in page.text


def test_cookies_are_secure_unless_turned_off(desk_settings: Settings, desk_store: Store) -> None:
    app = create_app(replace(desk_settings, web_secure_cookies=True), store=desk_store)
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as secure:
        answer = log_in(secure, "eve", PASSWORD)
    assert "Secure" in answer.headers["set-cookie"]
    assert "strict-transport-security" in answer.headers


def test_wrong_password_and_unknown_name_are_refused_alike(client: TestClient) -> None:
    wrong = log_in(client, "eve", "not the password at all")
    unknown = log_in(client, "nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong name or password" in wrong.text and "crankcall_session" not in str(wrong.headers)


def test_login_form_needs_its_token(client: TestClient) -> None:
    login_token(client)
    answer = client.post("/login", data={"name": "eve", "password": PASSWORD, "csrf_token": "x"})
    assert answer.status_code == 403 and "crankcall_session" not in str(answer.headers)


@pytest.mark.parametrize(
    "path", ["/", "/desk", "/desk/issues", "/desk/issues/2024-08", "/desk/users", "/desk/items/1"]
)
def test_desk_pages_send_a_stranger_to_the_login(client: TestClient, path: str) -> None:
    answer = client.get(path)
    if path == "/":
        answer = client.get(answer.headers["location"])
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


def test_only_login_static_and_archive_answer_without_a_session(
    app: FastAPI, client: TestClient
) -> None:
    public = {"/login", "/issues", "/issues/feed.atom", "/api/v1/issues", "/static/desk.css"}
    for route in all_routes(app):
        path = getattr(route, "path", "")
        if "GET" not in getattr(route, "methods", set()) or "{" in path:
            continue
        answer = client.get(path)
        if path in public:
            assert answer.status_code == 200, path
        else:
            assert answer.status_code in {303, 401}, path
    assert client.get("/static/desk.css").headers["content-type"].startswith("text/css")


@pytest.mark.parametrize(
    "path",
    [
        "/docs",
        "/redoc",
        "/openapi.json",
        "/static/",
        "/static/../app.py",
        "/static/nothing.js",
        "/favicon.ico",
        "/desk/nowhere",
        "/logout",  # a POST route asked with GET
    ],
)
def test_no_other_path_answers_a_stranger(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 401 and "log in to see this page" in answer.text


def test_openapi_document_needs_a_token_or_a_session(client: TestClient) -> None:
    refused = client.get("/api/v1/openapi.json")
    assert refused.status_code == 401 and "token" in refused.json()["error"]
    assert client.get("/api/v1/nowhere").status_code == 401
    with_token = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {TOKEN}"})
    assert with_token.status_code == 200 and "/api/v1/articles" in with_token.json()["paths"]
    log_in(client, "vic", PASSWORD)
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/desk/nowhere").status_code == 404  # with a session, the truth


def _client(settings: Settings, store: Store, **changes: int) -> TestClient:
    """A client of an app over `store` with `settings` changed as given."""
    app = create_app(replace(settings, **changes), store=store)
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def test_a_session_ended_elsewhere_ends_here_without_waiting_when_told_so(
    desk_settings: Settings, desk_store: Store
) -> None:
    # web_session_check_seconds=0: every request reads the session (as another worker would
    # after that many seconds): deleting it in the database ends it at once.
    with _client(desk_settings, desk_store, web_session_check_seconds=0) as client:
        log_in(client, "eve", PASSWORD)
        assert client.get("/desk").status_code == 200
        desk_store.delete_session(digest(client.cookies[SESSION_COOKIE]))
        assert client.get("/desk").status_code == 303


def test_serve_workers_build_the_app_from_the_settings_handed_down(
    desk_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SERVE_SETTINGS, settings_for_workers(desk_settings))
    app = app_from_environment()
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        assert client.get("/login").status_code == 200
        assert log_in(client, "eve", PASSWORD).status_code == 303
    app.state.store.close()
    monkeypatch.delenv(SERVE_SETTINGS)
    with pytest.raises(StoreError, match=SERVE_SETTINGS):
        app_from_environment()


def test_logout_ends_the_session(client: TestClient) -> None:
    log_in(client, "eve", PASSWORD)
    token = csrf_of(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/desk").status_code == 303


@pytest.fixture
def strict_client(desk_settings: Settings, desk_store: Store) -> Iterator[TestClient]:
    """A desk that holds a name back after 3 failures and an address after 5."""
    strict = replace(desk_settings, web_login_max_failures=3, web_login_max_failures_ip=5)
    app = create_app(strict, store=desk_store)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as found:
        yield found


def test_failed_logins_hold_back_a_name(strict_client: TestClient) -> None:
    for _ in range(3):
        assert log_in(strict_client, "eve", "wrong password, again").status_code == 401
    held = log_in(strict_client, "eve", PASSWORD)  # even the right password waits now
    assert held.status_code == 429 and "Retry-After" in held.headers
    assert log_in(strict_client, "vic", PASSWORD).status_code == 303  # other names are not held


def test_failed_logins_hold_back_an_address(strict_client: TestClient) -> None:
    for n in range(5):
        assert log_in(strict_client, f"guess{n}", "wrong").status_code == 401
    assert log_in(strict_client, "ada", PASSWORD).status_code == 429


def test_old_failures_no_longer_count(
    client: TestClient, desk_store: Store, desk_settings: Settings
) -> None:
    long_ago = now() - timedelta(minutes=desk_settings.web_login_window_minutes + 1)
    for _ in range(desk_settings.web_login_max_failures + 2):
        desk_store.record_login("eve", ip="testclient", ok=False, now=long_ago)
    assert log_in(client, "eve", PASSWORD).status_code == 303


def test_roles_decide_what_may_be_done(login: Login) -> None:
    viewer, editor, admin = login("vic"), login("eve"), login("ada")
    story = _a_story(viewer)
    pin = f"/desk/stories/{story}/pin"
    assert viewer.post(pin, data={"csrf_token": csrf_of(viewer)}).status_code == 403
    assert editor.post(pin, data={"csrf_token": csrf_of(editor)}).status_code == 303
    assert viewer.get("/desk/users").status_code == 403
    assert editor.get("/desk/users").status_code == 403
    assert admin.get("/desk/users").status_code == 200
    assert "Pin" not in viewer.get("/desk?month=2024-08").text
    added = admin.post(
        "/desk/users",
        data={"csrf_token": csrf_of(admin), "name": "new", "role": "editor", "password": PASSWORD},
    )
    assert added.status_code == 303 and ">new<" in admin.get("/desk/users").text
    editor_adds = editor.post(
        "/desk/users",
        data={"csrf_token": csrf_of(editor), "name": "x", "role": "admin", "password": PASSWORD},
    )
    assert editor_adds.status_code == 403


def _a_story(client: TestClient) -> str:
    found = re.search(r"/desk/stories/(s[0-9a-f]+)", client.get("/desk?month=2024-08").text)
    assert found
    return found[1]


def test_user_and_token_commands(desk_settings: Settings) -> None:
    runner = CliRunner()
    db = ["--db", desk_settings.db]
    added = runner.invoke(
        cli, ["user", "add", "kim", "--role", "editor", "--password-stdin", *db], input=PASSWORD
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(
        cli, ["user", "add", "kim", "--role", "admin", "--password-stdin", *db], input=PASSWORD
    )
    assert again.exit_code == 2 and "already exists" in again.output
    short = runner.invoke(
        cli, ["user", "add", "lee", "--role", "viewer", "--password-stdin", *db], input="short"
    )
    assert short.exit_code == 2
    listed = runner.invoke(cli, ["user", "list", *db])
    assert "kim\teditor" in listed.output
    token = runner.invoke(cli, ["token", "add", "lab", *db])
    assert token.exit_code == 0 and len(token.output.strip()) >= 40


def test_a_body_over_the_limit_is_refused_unread(
    desk_settings: Settings, desk_store: Store
) -> None:
    # Every form is read whole into memory by the form parser, the login's too: a body over
    # web_max_body_bytes is refused (413), by its declared length or, sent in chunks without
    # one, once what arrived passes the limit.
    with _client(desk_settings, desk_store, web_max_body_bytes=1000) as client:
        form = {"name": "x" * 2000, "password": "y", "login_token": "z"}
        answer = client.post("/login", data=form)
        assert answer.status_code == 413 and "over 1000 bytes" in answer.text

        def chunks() -> Iterator[bytes]:
            for _ in range(20):
                yield b"name=" + b"x" * 200 + b"&"

        answer = client.post(
            "/login",
            content=chunks(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 413 and "over 1000 bytes" in answer.text
        assert client.get("/login").status_code == 200  # a small request goes through
