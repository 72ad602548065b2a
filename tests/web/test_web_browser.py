"""The editor's path in a real Chromium (Debian's package, driven by Playwright, headless) against
the desk served by uvicorn on 127.0.0.1, on both backends: log in, filter the queue, pin and
exclude, edit a highlight, see the revision, resolve a conflict between two sessions, approve,
publish, open the archive and the feed. Screenshots go to `test-artifacts/web-*.png`."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from desk_client import PASSWORD
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from crankcall.settings import Settings
from crankcall.store import Store
from crankcall.web import create_app

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(desk_settings: Settings, desk_store: Store) -> Iterator[str]:
    """The desk served by uvicorn in a thread on a free loopback port; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(desk_settings, store=desk_store),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _session(
    browser: Browser, base: str, name: str, dialogs: list[str]
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(f"{base}/desk")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/desk$"))
    return context, page


def _shot(page: Page, name: str, suffix: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}{suffix}.png"), full_page=True)


def test_the_editors_path_in_chromium(
    browser: Browser, served: str, desk_store: Store, desk_db: str
) -> None:
    suffix = "" if "://" not in desk_db else "-postgresql"
    dialogs: list[str] = []
    editor_context, editor = _session(browser, served, "eve", dialogs)
    admin_context, admin = _session(browser, served, "ada", dialogs)
    try:
        # 1. The queue, filtered to Russia and North Korea.
        editor.goto(f"{served}/desk?month=2024-08")
        editor.get_by_label("Dyad").select_option("KP-RU")
        editor.get_by_role("button", name="Filter").click()
        expect(editor).to_have_url(re.compile(r"dyad=KP-RU"))
        rows = editor.locator("tr.story")
        assert rows.count() > 0
        for n in range(rows.count()):
            expect(rows.nth(n).locator("td").nth(4)).to_contain_text("KP-RU")
        _shot(editor, "queue", suffix)

        # 2. Pin the last story shown and exclude the first.
        last_id = rows.last.get_attribute("id")
        first_id = rows.first.get_attribute("id")
        editor.locator(f"#{last_id}").get_by_role("button", name="Pin").click()
        expect(editor.locator("tr.story").first).to_have_attribute("id", str(last_id))
        expect(editor.locator(f"#{last_id} .tag")).to_have_text("pinned")
        editor.locator(f"#{first_id}").get_by_role("button", name="Exclude").click()
        expect(editor.locator(f"#{first_id}")).to_have_class(re.compile("excluded"))
        _shot(editor, "queue-decisions", suffix)

        # 3. Edit a highlight and see the revision with its diff.
        editor.goto(f"{served}/desk/issues/2024-08")
        editor.locator("#section-highlights").get_by_role("link", name="Edit").first.click()
        item_url = editor.url
        editor.get_by_label("Headline").fill("Editors sharpen this headline for the issue")
        editor.get_by_role("button", name="Save").click()
        expect(editor.locator("#revision-2")).to_contain_text("Version 2 · eve")
        added = editor.locator("#revision-2 .add", has_text="Editors sharpen")
        expect(added).to_have_text("+Editors sharpen this headline for the issue")
        _shot(editor, "revision", suffix)

        # 4. Two sessions on one item: the second save is a conflict, resolved by keeping mine.
        admin.goto(item_url)
        editor.get_by_label("Headline").fill("The editor saves first")
        editor.get_by_role("button", name="Save").click()
        expect(editor.locator("#revision-3")).to_contain_text("Version 3 · eve")
        admin.get_by_label("Headline").fill("The admin saves second")
        admin.get_by_role("button", name="Save").click()
        expect(
            admin.get_by_role("heading", name="Someone else saved this item first")
        ).to_be_visible()
        expect(admin.locator("section.theirs")).to_contain_text("The editor saves first")
        expect(admin.locator("section.yours input[name=headline]")).to_have_value(
            "The admin saves second"
        )
        _shot(admin, "conflict", suffix)
        admin.get_by_role("button", name="Keep mine").click()
        expect(admin.locator("#revision-4")).to_contain_text("Version 4 · ada")
        expect(admin.get_by_label("Headline")).to_have_value("The admin saves second")

        # 5. Approve (editor), publish (admin), then the archive and the feed.
        editor.goto(f"{served}/desk/issues/2024-08")
        editor.get_by_role("button", name="Approve").click()
        expect(editor.locator("h1 .status")).to_have_text("approved")
        assert editor.get_by_role("button", name="Publish").count() == 0  # admins publish
        admin.goto(f"{served}/desk/issues/2024-08")
        admin.get_by_role("button", name="Publish").click()
        expect(admin).to_have_url(f"{served}/issues/2024-08")
        expect(admin.get_by_text("The admin saves second")).to_be_visible()
        _shot(admin, "published-issue", suffix)

        public = browser.new_context().new_page()
        public.goto(f"{served}/issues")
        public.get_by_role("link", name="CRANK Call | August 2024").click()
        expect(public).to_have_url(f"{served}/issues/2024-08")
        public.goto(f"{served}/issues")
        _shot(public, "archive", suffix)
        feed = public.request.get(f"{served}/issues/feed.atom")
        assert feed.ok and "<title>CRANK Call | August 2024</title>" in feed.text()
        public.goto(f"{served}/issues/feed.atom")
        _shot(public, "feed", suffix)
        public.context.close()
        assert dialogs == []
    finally:
        editor_context.close()
        admin_context.close()
