"""Settings: one table, four layers, and clear errors for unknown keys and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from crankcall.errors import SettingsError
from crankcall.settings import SETTINGS, describe, load_settings


def test_defaults_come_from_the_table() -> None:
    settings = load_settings(environ={}, config_file=None)
    for setting in SETTINGS:
        assert getattr(settings, setting.name) == setting.default
        assert settings.sources[setting.name] == "default"


def test_layers_file_then_environment_then_flags(tmp_path: Path) -> None:
    config = tmp_path / "crankcall.toml"
    config.write_text("search_limit = 5\n[ingest]\nbatch_size = 7\nmax_title_chars = 300\n")
    settings = load_settings(
        config_file=config,
        environ={"CRANKCALL_INGEST_BATCH_SIZE": "9", "CRANKCALL_SEARCH_LIMIT": "6"},
        overrides={"search_limit": 8, "db": None},
    )
    assert settings.ingest_max_title_chars == 300
    assert settings.sources["ingest_max_title_chars"] == str(config)
    assert settings.ingest_batch_size == 9
    assert settings.sources["ingest_batch_size"] == "CRANKCALL_INGEST_BATCH_SIZE"
    assert settings.search_limit == 8
    assert settings.sources["search_limit"] == "command line"
    assert settings.db == "crankcall.db"  # a flag given as None leaves the value alone


def test_unknown_key_in_file_names_key_and_file(tmp_path: Path) -> None:
    config = tmp_path / "crankcall.toml"
    config.write_text("[ingest]\nmax_line_byte = 5\n")
    with pytest.raises(
        SettingsError, match=r"unknown setting 'ingest_max_line_byte' in .*crankcall.toml"
    ):
        load_settings(config_file=config, environ={})


def test_wrong_type_names_setting_and_source(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="CRANKCALL_SEARCH_LIMIT.*whole number"):
        load_settings(environ={"CRANKCALL_SEARCH_LIMIT": "many"}, config_file=None)
    config = tmp_path / "c.toml"
    config.write_text('search_limit = "ten"\n')
    with pytest.raises(SettingsError, match="search_limit in .*c.toml"):
        load_settings(config_file=config, environ={})


def test_bad_toml_is_reported_with_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("search_limit = = 3\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(config_file=config, environ={})


def test_list_setting_from_environment_splits_on_commas() -> None:
    settings = load_settings(
        environ={"CRANKCALL_INGEST_TRACKING_PARAMS": "utm_*, ref"}, config_file=None
    )
    assert settings.ingest_tracking_params == ["utm_*", "ref"]


def test_unrelated_environment_variables_are_left_alone() -> None:
    settings = load_settings(environ={"CRANKCALL_TEST_POSTGRES_URL": "x"}, config_file=None)
    assert settings.db == "crankcall.db"


def test_describe_lists_every_setting_with_help() -> None:
    rows = describe(load_settings(environ={}, config_file=None))
    assert [r["name"] for r in rows] == [s.name for s in SETTINGS]
    assert all(r["help"] for r in rows)
