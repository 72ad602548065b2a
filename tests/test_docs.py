"""The docs stay true: every setting is documented, and the README gives the two commands."""

from __future__ import annotations

from pathlib import Path

from crankcall.settings import SETTINGS

ROOT = Path(__file__).parent.parent


def test_settings_page_names_every_setting() -> None:
    page = (ROOT / "docs" / "settings.md").read_text("utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in page]
    assert missing == []


def test_readme_gives_demo_and_test_commands_on_their_own_lines() -> None:
    lines = [line.strip() for line in (ROOT / "README.md").read_text("utf-8").splitlines()]
    assert "make demo" in lines
    assert "make test" in lines
