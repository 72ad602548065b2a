"""Fixtures for compose tests: the demo months as ranked story bundles, settings, drafts."""

from __future__ import annotations

from typing import Any

import pytest
from compose_records import MONTHS, DemoMonth, demo_month

from crankcall.compose import draft_issue
from crankcall.ingest.outlets import OutletIndex, load_outlets
from crankcall.settings import Settings, load_settings


@pytest.fixture(scope="session")
def outlet_index() -> OutletIndex:
    """The shipped outlets data, indexed."""
    return OutletIndex(load_outlets())


@pytest.fixture(scope="session")
def demo(outlet_index: OutletIndex) -> dict[str, DemoMonth]:
    """Every demo month, as ranked story bundles and the articles behind them."""
    return {month: demo_month(month, outlet_index) for month in MONTHS}


@pytest.fixture(scope="session")
def issue_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings with the defaults and a masthead; no user config file or environment."""
    config = tmp_path_factory.mktemp("config") / "crankcall.toml"
    config.write_text("", "utf-8")
    return load_settings(
        config_file=config,
        environ={},
        overrides={
            "issue_editor_in_chief": "Ada Editor",
            "issue_editor": "Ben Editor",
            "issue_contact": "editor@example.org",
            "issue_image_credit": "Photo: the editors",
        },
    )


@pytest.fixture(scope="session")
def issues(demo: dict[str, DemoMonth], issue_settings: Settings) -> dict[str, dict[str, Any]]:
    """The drafted issue of every demo month."""
    return {
        month: draft_issue(
            month=month,
            since=data.since,
            until=data.until,
            bundles=data.bundles,
            settings=issue_settings,
        )
        for month, data in demo.items()
    }
