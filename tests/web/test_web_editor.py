"""The issue editor, on both backends: edits with revisions and diffs, conflicts between two
sessions, revert, re-draft, adding an item by URL, preview, approval, publication (frozen files),
and the public archive with its feed."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from desk_client import Login, csrf_of
from fastapi.testclient import TestClient

import webserver
from crankcall.store import Store

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"


def _highlight(store: Store) -> dict[str, Any]:
    issue = store.issue_by_month("2024-08")
    assert issue is not None
    return next(i for i in store.issue_items(issue["id"]) if i["section"] == "highlights")


def _edit(client: TestClient, item: int, *, headline: str, text: str, version: int) -> Any:
    return client.post(
        f"/desk/items/{item}",
        data={
            "csrf_token": csrf_of(client),
            "headline": headline,
            "text": text,
            "version": str(version),
        },
    )


def test_an_edit_keeps_a_revision_with_its_diff(login: Login, desk_store: Store) -> None:
    editor = login("eve")
    item = _highlight(desk_store)
    page = editor.get(f"/desk/items/{item['id']}").text
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)[1]  # type: ignore[index]
    text = text.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    first, *rest = text.split("\n\n")
    changed = "\n\n".join([first + " Editors added this sentence.", *rest])
    saved = _edit(editor, item["id"], headline="A sharper headline", text=changed, version=1)
    assert saved.status_code == 303
    after = desk_store.item(item["id"])
    assert after is not None and after["version"] == 2 and after["updated_by"] == "eve"
    assert after["headline"] == after["body"]["headline"] == "A sharper headline"
    paragraphs = after["body"]["paragraphs"]
    assert paragraphs[0]["sentences"][0]["text"].endswith("Editors added this sentence.")
    old_cited = {a for s in item["body"]["paragraphs"][0]["sentences"] for a in s["articles"]}
    assert set(paragraphs[0]["sentences"][0]["articles"]) == old_cited  # citations kept
    assert paragraphs[1:] == item["body"]["paragraphs"][1:]  # untouched paragraphs unchanged
    history = editor.get(f"/desk/items/{item['id']}").text
    assert "Version 2 · eve" in history and "Version 1 · crankcall" in history
    assert "+A sharper headline" in history and "+Editors added this sentence." in history
    revisions = desk_store.revisions_of(item["id"])
    assert [r["version"] for r in revisions] == [1, 2]


def test_a_stale_save_is_a_conflict_showing_both_versions(login: Login, desk_store: Store) -> None:
    first, second = login("eve"), login("ada")
    item = _highlight(desk_store)
    text = "One paragraph the first editor wrote."
    assert _edit(first, item["id"], headline="Theirs", text=text, version=1).status_code == 303
    clash = _edit(second, item["id"], headline="Mine", text="Mine instead.", version=1)
    assert clash.status_code == 409
    assert "Someone else saved this item first" in clash.text
    assert "Theirs" in clash.text and "One paragraph the first editor wrote." in clash.text
    assert "Mine instead." in clash.text and 'name="version" value="2"' in clash.text
    stored = desk_store.item(item["id"])
    assert stored is not None and stored["headline"] == "Theirs"  # nothing overwritten
    kept = _edit(second, item["id"], headline="Mine", text="Mine instead.", version=2)
    assert kept.status_code == 303
    assert desk_store.item(item["id"])["headline"] == "Mine"  # type: ignore[index]


def test_revert_brings_back_an_earlier_version(login: Login, desk_store: Store) -> None:
    editor = login("eve")
    item = _highlight(desk_store)
    _edit(editor, item["id"], headline="Changed", text="Changed text.", version=1)
    done = editor.post(
        f"/desk/items/{item['id']}/revert",
        data={"csrf_token": csrf_of(editor), "revision": "1", "version": "2"},
    )
    assert done.status_code == 303
    now = desk_store.item(item["id"])
    assert now is not None and now["version"] == 3
    assert now["headline"] == item["headline"] and now["body"] == item["body"]
    assert desk_store.revisions_of(item["id"])[-1]["note"] == "reverted to version 1"


def test_redraft_rebuilds_an_item_from_its_story(login: Login, desk_store: Store) -> None:
    editor = login("eve")
    item = _highlight(desk_store)
    _edit(editor, item["id"], headline="Scribbled", text="Scribbles.", version=1)
    done = editor.post(
        f"/desk/items/{item['id']}/redraft", data={"csrf_token": csrf_of(editor), "version": "2"}
    )
    assert done.status_code == 303, done.text[:300]
    now = desk_store.item(item["id"])
    assert now is not None and now["version"] == 3 and now["headline"] != "Scribbled"
    assert now["body"]["paragraphs"][0]["sentences"][0]["articles"]


def test_adding_an_item_by_url_fetches_codes_and_places_it(
    login: Login, desk_store: Store, web_server: webserver.FixtureServer
) -> None:
    body = (PAGES / "en_utf8.html").read_bytes()
    web_server.routes["/desk-page.html"] = lambda _h: (
        200,
        {"Content-Type": "text/html; charset=utf-8"},
        body,
    )
    editor = login("eve")
    url = f"{web_server.base}/desk-page.html"
    added = editor.post(
        "/desk/issues/2024-08/items",
        data={"csrf_token": csrf_of(editor), "url": url, "section": "links"},
    )
    assert added.status_code == 303, added.text[:300]
    item = desk_store.item(int(added.headers["location"].rsplit("/", 1)[1]))
    assert item is not None and item["section"] == "links"
    article = desk_store.get_article(item["body"]["articles"][0])
    assert article is not None and article.url == url
    assert desk_store.coding_of(article.id) is not None  # coded on the spot
    assert desk_store.story_of(article.id) == item["story_id"] is not None
    bad = editor.post(
        "/desk/issues/2024-08/items",
        data={"csrf_token": csrf_of(editor), "url": "javascript:alert(1)", "section": "links"},
    )
    assert bad.status_code == 400


def test_preview_uses_the_publishing_renderer(login: Login, desk_store: Store) -> None:
    viewer = login("vic")
    item = _highlight(desk_store)
    preview = viewer.get("/desk/issues/2024-08/preview")
    assert preview.status_code == 200
    assert "CRANK Call | August 2024" in preview.text
    assert "script-src" not in preview.headers["content-security-policy"]
    assert "default-src 'none'" in preview.headers["content-security-policy"]
    # The renderer escapes HTML ("Iran's" is "Iran&#39;s" in the page).
    assert item["headline"].split()[0] in html.unescape(preview.text)


def test_approve_then_publish_freezes_the_issue(
    login: Login, client: TestClient, desk_store: Store
) -> None:
    editor, admin = login("eve"), login("ada")
    assert client.get("/issues/2024-08").status_code == 404
    assert (
        editor.post(
            "/desk/issues/2024-08/publish", data={"csrf_token": csrf_of(editor)}
        ).status_code
        == 403
    )
    approve = editor.post("/desk/issues/2024-08/approve", data={"csrf_token": csrf_of(editor)})
    assert approve.status_code == 303
    item = _highlight(desk_store)
    refused = _edit(editor, item["id"], headline="Late", text="Too late.", version=1)
    assert refused.status_code == 409 and "approved" in refused.text
    published = admin.post("/desk/issues/2024-08/publish", data={"csrf_token": csrf_of(admin)})
    assert published.status_code == 303 and published.headers["location"] == "/issues/2024-08"
    frozen = client.get("/issues/2024-08")
    assert frozen.status_code == 200 and "CRANK Call | August 2024" in frozen.text
    pdf = client.get("/issues/2024-08/crankcall-2024-08.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    md = client.get("/issues/2024-08/crankcall-2024-08.md")
    assert md.text.startswith("# CRANK Call | August 2024")
    # Changing the stored item afterwards does not change what was published.
    desk_store.set_issue_status(
        desk_store.issue_by_month("2024-08")["id"],  # type: ignore[index]
        status="draft",
        allowed_from=["published"],
        now=item["updated_at"],
    )
    _edit(editor, item["id"], headline="Rewritten after publication", text="New.", version=1)
    assert "Rewritten after publication" not in client.get("/issues/2024-08").text


def test_archive_and_feed_list_published_issues(
    login: Login, client: TestClient, desk_store: Store
) -> None:
    assert "No issue has been published yet" in client.get("/issues").text
    admin = login("ada")
    admin.post("/desk/issues/2024-08/approve", data={"csrf_token": csrf_of(admin)})
    admin.post("/desk/issues/2024-08/publish", data={"csrf_token": csrf_of(admin)})
    listing = client.get("/issues")
    assert 'href="/issues/2024-08"' in listing.text and "CRANK Call | August 2024" in listing.text
    feed = client.get("/issues/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 1
    assert entries[0].findtext(f"{atom}id") == "https://crankcall.example.org/issues/2024-08"
    assert entries[0].findtext(f"{atom}title") == "CRANK Call | August 2024"
    assert client.get("/issues/2024-09").status_code == 404
    assert client.get("/issues/2024-08/crankcall-2024-08.exe").status_code == 404


def test_draft_button_drafts_a_month(login: Login, desk_store: Store) -> None:
    editor = login("eve")
    done = editor.post(
        "/desk/issues/draft", data={"csrf_token": csrf_of(editor), "month": "2024-07"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/desk/issues/2024-07"
    assert desk_store.issue_by_month("2024-07") is not None
    assert "CRANK Call | July 2024" in editor.get("/desk/issues/2024-07").text
