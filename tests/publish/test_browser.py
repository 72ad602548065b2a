"""The HTML email in a real Chromium: hostile article text runs nothing, and the layout holds.

Debian's Chromium (`make system-deps` installs it) driven by Playwright; no browser is downloaded.
A screenshot of the August 2024 issue is left in `test-artifacts/issue-email.png` for review.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Dialog, Page

from crankcall.publish import render

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"

# Runs before any script of the page: counts calls to the functions an injected payload would use,
# so an attack is seen even if it never opens a dialog.
WATCH_SCRIPT = """
window.__payloadCalls = 0;
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name].bind(window);
  window[name] = (...args) => { window.__payloadCalls += 1; return original(...args); };
}
"""

DANGEROUS_DOM = """() => {
  const onAttributes = [...document.querySelectorAll("*")].flatMap(
    (el) => [...el.attributes].map((a) => a.name).filter((n) => n.startsWith("on")));
  const badLinks = [...document.querySelectorAll("[href], [src], [action], [formaction]")].filter(
    (el) => !/^(https?:|mailto:)/i.test(el.getAttribute("href") || el.getAttribute("src") || ""));
  return {
    scripts: document.querySelectorAll("script").length,
    embedded: document.querySelectorAll("img, svg, iframe, object, embed, style, link").length,
    onAttributes: onAttributes,
    badLinks: badLinks.map((el) => el.outerHTML),
    payloadCalls: window.__payloadCalls,
  };
}"""


def _open(
    browser: Browser, issue: dict[str, Any], folder: Path, width: int
) -> tuple[Page, dict[str, list[str]]]:
    """The issue's HTML email opened from a file, with every dialog and request recorded."""
    path = folder / "issue.html"
    path.write_bytes(render(issue, "html"))
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen: dict[str, list[str]] = {"dialogs": [], "requests": []}

    def on_dialog(dialog: Dialog) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.add_init_script(WATCH_SCRIPT)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, seen


def test_hostile_issue_runs_no_script_in_chromium(
    browser: Browser, hostile_issue: dict[str, Any], tmp_path: Path
) -> None:
    page, seen = _open(browser, hostile_issue, tmp_path, width=1024)
    try:
        dom = page.evaluate(DANGEROUS_DOM)
        assert dom == {
            "scripts": 0,
            "embedded": 0,
            "onAttributes": [],
            "badLinks": [],
            "payloadCalls": 0,
        }
        assert seen["dialogs"] == []
        assert seen["requests"] == [(tmp_path / "issue.html").as_uri()]
        assert page.get_by_text("<script>alert(1)</script> Li Qiang in Moscow").is_visible()
        assert page.get_by_text("Premier <img src=x onerror=alert(1)> said").is_visible()
    finally:
        page.close()


def test_issue_email_lays_out_centred_at_email_width(
    browser: Browser, issue: dict[str, Any], tmp_path: Path
) -> None:
    page, seen = _open(browser, issue, tmp_path, width=1024)
    try:
        assert page.get_by_role("heading", name="CRANK Call | August 2024").is_visible()
        assert page.get_by_role("heading", name="August 2024 Highlights").is_visible()
        box = page.locator("table table").first.bounding_box()
        assert box is not None
        assert 600 <= box["width"] <= 680
        assert abs((box["x"] + box["width"] / 2) - 512) <= 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 1024
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "issue-email.png"), full_page=True)
        assert seen["dialogs"] == []
    finally:
        page.close()


def test_issue_email_fits_a_phone_screen(
    browser: Browser, issue: dict[str, Any], tmp_path: Path
) -> None:
    page, _ = _open(browser, issue, tmp_path, width=390)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.get_by_role("heading", name="CRANK Call | August 2024").is_visible()
    finally:
        page.close()
