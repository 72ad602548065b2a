"""Hostile article content (script tags, event handlers, javascript: URLs in titles, texts and
URLs) is shown as text on every desk page, never as markup; our templates carry no inline
script, handler or style; every answer has the security headers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from desk_client import Login, august_stories, csrf_of
from sqlalchemy import update

from crankcall.store import Store, schema
from crankcall.web.common import safe_next, safe_url

TEMPLATES = Path(__file__).parents[2] / "src" / "crankcall" / "web" / "templates"


class _Elements(HTMLParser):
    """The tags and attributes a browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _inert(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in {"script", "img", "iframe", "object", "embed", "svg"}, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action", "formaction"}:
                assert not (value or "").strip().lower().startswith("javascript:"), value


def _hostile_story(store: Store) -> str:
    with_x = [s for s in august_stories(store, scope="") if "alert" in s["headline"]]
    if with_x:
        return str(with_x[0]["id"])
    found = store.story_of("x-1")
    assert found
    return found


def test_hostile_articles_stay_text_on_every_page(login: Login, desk_store: Store) -> None:
    with desk_store.transaction() as connection:
        connection.execute(
            update(schema.articles)
            .where(schema.articles.c.id == "x-2")
            .values(url="javascript:alert(6)")
        )
    editor = login("eve")
    story = _hostile_story(desk_store)
    pages = [
        "/desk?month=2024-08&q=arms+deal&scope=all",
        f"/desk/stories/{story}?month=2024-08",
        "/desk/issues/2024-08",
        "/desk/issues/2024-08/preview",
    ]
    issue = desk_store.issue_by_month("2024-08")
    assert issue is not None
    for item in desk_store.issue_items(issue["id"]):
        if "x-1" in str(item["body"]) or "alert" in str(item["body"]):
            pages.append(f"/desk/items/{item['id']}")
    shown = ""
    for path in pages:
        answer = editor.get(path)
        assert answer.status_code == 200, path
        _inert(answer.text)
        shown += answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown  # the title, as the reader sees it
    assert "javascript:alert(6)" not in shown  # no link, not even as text in an href


def test_hostile_text_in_an_edit_and_a_conflict_stays_text(login: Login, desk_store: Store) -> None:
    first, second = login("eve"), login("ada")
    issue = desk_store.issue_by_month("2024-08")
    assert issue is not None
    item = desk_store.issue_items(issue["id"])[0]
    payload = '<script>alert(7)</script><img src=x onerror="alert(8)">'
    for client in (first, second):
        answer = client.post(
            f"/desk/items/{item['id']}",
            data={
                "csrf_token": csrf_of(client),
                "headline": payload,
                "text": payload,
                "version": "1",
            },
        )
    assert answer.status_code == 409
    _inert(answer.text)
    _inert(first.get(f"/desk/items/{item['id']}").text)
    _inert(first.get("/desk/issues/2024-08").text)


def test_our_templates_have_no_inline_script_handler_or_style() -> None:
    for path in TEMPLATES.iterdir():
        text = path.read_text("utf-8")
        assert "<script" not in text, path.name
        assert not re.search(r"\son[a-z]+\s*=", text), path.name
        assert "style=" not in text and "<style" not in text, path.name


def test_security_headers_on_every_kind_of_answer(login: Login) -> None:
    editor = login("eve")
    for path in ("/desk", "/login", "/issues", "/api/v1/issues", "/static/desk.css", "/nowhere"):
        headers = editor.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"


def test_only_web_links_and_local_redirects() -> None:
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("http://example.org") == "http://example.org"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//x.org", ""):
        assert safe_url(bad) is None, bad
    assert safe_url(None) is None
    assert safe_next("/desk?month=2024-08", "/") == "/desk?month=2024-08"
    for bad in ("https://evil.example", "//evil.example", "/\\evil.example", "desk", None):
        assert safe_next(bad, "/fallback") == "/fallback"
