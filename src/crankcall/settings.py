"""Settings in one table, layered: defaults < `crankcall.toml` < `CRANKCALL_*` environment < flags.

Each setting has a name, a default, a type and a help line (`SETTINGS`). In `crankcall.toml` a
setting `ingest_max_line_bytes` is written either flat or in a section named by its first word:

    [ingest]
    max_line_bytes = 2_000_000

In the environment it is `CRANKCALL_INGEST_MAX_LINE_BYTES`. An unknown key in a file is an error
naming the key and the file; environment variables that name no setting are left alone, because
other tools (the test suite, for one) keep their own `CRANKCALL_*` variables.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from crankcall.errors import SettingsError

ENV_PREFIX = "CRANKCALL_"
DEFAULT_CONFIG_FILE = "crankcall.toml"


@dataclass(frozen=True, slots=True)
class Setting:
    """One row of the settings table."""

    name: str
    default: Any
    type: type
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "crankcall.db", str, "Database: a SQLAlchemy URL or a SQLite file path."),
    Setting("log_level", "WARNING", str, "Logging level: DEBUG, INFO, WARNING or ERROR."),
    Setting(
        "ingest_max_line_bytes",
        2_000_000,
        int,
        "Largest input record (one JSONL line or CSV row) accepted, in bytes.",
    ),
    Setting("ingest_max_title_chars", 1_000, int, "Longest title accepted, in characters."),
    Setting("ingest_batch_size", 1000, int, "Articles written per transaction during ingest."),
    Setting(
        "ingest_rejects_dir",
        ".",
        str,
        "Folder where `<input>.rejects.jsonl` files are written for rejected lines.",
    ),
    Setting(
        "ingest_tracking_params",
        [
            "utm_*",
            "fbclid",
            "gclid",
            "dclid",
            "msclkid",
            "mc_cid",
            "mc_eid",
            "yclid",
            "igshid",
            "ocid",
            "cmpid",
            "smid",
            "ref_src",
            "__twitter_impression",
            "_ga",
            "share",
            "ito",
            "taid",
        ],
        list,
        "Query parameters removed when canonicalising URLs (`*` matches any ending).",
    ),
    Setting(
        "outlets_file",
        "",
        str,
        "An outlets CSV used instead of the one shipped with crankcall (same columns).",
    ),
    Setting(
        "search_limit", 20, int, "Results shown by `crankcall search` unless --limit is given."
    ),
    Setting(
        "http_user_agent",
        "crankcall/0.1 (news monitoring; +https://github.com/crankcall/crankcall)",
        str,
        "User-Agent sent with every request.",
    ),
    Setting("http_timeout", 20.0, float, "Seconds to wait to connect, or for the next bytes."),
    Setting(
        "http_total_timeout",
        60.0,
        float,
        "Seconds one response may take in all (stops slow drips).",
    ),
    Setting("http_max_bytes", 10_000_000, int, "Largest body accepted, after decompression."),
    Setting("http_max_redirects", 5, int, "Redirects followed before giving up."),
    Setting("http_min_interval", 2.0, float, "Seconds between two requests to the same host."),
    Setting("http_max_retries", 2, int, "Retries after 429 or 503 (honouring Retry-After)."),
    Setting("http_max_retry_after", 120.0, float, "Longest Retry-After wait honoured, in seconds."),
    Setting(
        "http_allow_private",
        False,
        bool,
        "Allow fetching from private, link-local and reserved addresses (off: guards the network).",
    ),
    Setting("http_allow_loopback", False, bool, "Allow fetching from 127.0.0.0/8 and ::1."),
    Setting("sources_interval", 60, int, "Minutes between two polls of a source."),
    Setting(
        "stories_window_days",
        21,
        int,
        "Days a story stays open: an article joins it only within this many days of its last one.",
    ),
    Setting(
        "stories_threshold",
        0.3,
        float,
        "Similarity (0..1) an article needs to join a story: higher splits, lower merges.",
    ),
    Setting("issue_name", "CRANK Call", str, "Name of the newsletter, used in titles."),
    Setting(
        "issue_standing_line",
        "CRANK Call is a monthly review of developments involving cooperation, and at times "
        "contention, among China, Russia, Iran, and North Korea (the CRANKs).",
        str,
        "The standing line printed under the title of every issue.",
    ),
    Setting("issue_editor_in_chief", "", str, "Masthead: the editor-in-chief."),
    Setting("issue_editor", "", str, "Masthead: the editor."),
    Setting("issue_contact", "", str, "Masthead: the editor's contact address."),
    Setting("issue_image_credit", "", str, "Masthead: the image credit."),
    Setting("issue_highlights", 5, int, "Highest number of Highlights in a draft (3 to 6)."),
    Setting("issue_links", 12, int, "Highest number of Links in a draft (6 to 15)."),
    Setting("issue_analysis", 6, int, "Highest number of Recent Analysis entries in a draft."),
    Setting("issue_perspectives", 4, int, "Highest number of CRANK Perspectives in a draft."),
    Setting(
        "templates_dir",
        "",
        str,
        "A folder of templates that override the shipped ones, file by file (same names).",
    ),
    Setting("web_host", "127.0.0.1", str, "Address `crankcall serve` listens on."),
    Setting("web_port", 8000, int, "Port `crankcall serve` listens on."),
    Setting(
        "web_secure_cookies",
        True,
        bool,
        "Mark the desk's cookies Secure (sent over HTTPS only); off only for http://127.0.0.1.",
    ),
    Setting("web_session_hours", 12, int, "Hours a desk session lasts after logging in."),
    Setting(
        "web_login_max_failures",
        5,
        int,
        "Failed logins for one name within the login window before that name is held back.",
    ),
    Setting(
        "web_login_max_failures_ip",
        20,
        int,
        "Failed logins from one address within the login window before it is held back.",
    ),
    Setting("web_login_window_minutes", 15, int, "Minutes over which failed logins are counted."),
    Setting(
        "web_archive_url",
        "http://127.0.0.1:8000",
        str,
        "Public base URL of the archive, used for the links and ids of the Atom feed.",
    ),
    Setting("web_page_size", 25, int, "Stories shown per page of the desk's queue."),
    Setting("web_api_max_limit", 200, int, "Most records one JSON API page may ask for."),
    Setting(
        "web_max_body_bytes",
        2_000_000,
        int,
        "Largest request body the desk accepts; a larger one is refused (413) unread.",
    ),
    Setting("web_workers", 1, int, "Processes `crankcall serve` answers with (one per core)."),
    Setting(
        "web_session_check_seconds",
        5,
        int,
        "Seconds a worker trusts a session it has checked before reading it again (0: always).",
    ),
)

_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, kw_only=True, slots=True)
class Settings:
    """Resolved settings. Build with `load_settings`; `sources` says where each value came from."""

    db: str
    log_level: str
    ingest_max_line_bytes: int
    ingest_max_title_chars: int
    ingest_batch_size: int
    ingest_rejects_dir: str
    ingest_tracking_params: list[str]
    outlets_file: str
    search_limit: int
    http_user_agent: str
    http_timeout: float
    http_total_timeout: float
    http_max_bytes: int
    http_max_redirects: int
    http_min_interval: float
    http_max_retries: int
    http_max_retry_after: float
    http_allow_private: bool
    http_allow_loopback: bool
    sources_interval: int
    stories_window_days: int
    stories_threshold: float
    issue_name: str
    issue_standing_line: str
    issue_editor_in_chief: str
    issue_editor: str
    issue_contact: str
    issue_image_credit: str
    issue_highlights: int
    issue_links: int
    issue_analysis: int
    issue_perspectives: int
    templates_dir: str
    web_host: str
    web_port: int
    web_secure_cookies: bool
    web_session_hours: int
    web_login_max_failures: int
    web_login_max_failures_ip: int
    web_login_window_minutes: int
    web_archive_url: str
    web_page_size: int
    web_api_max_limit: int
    web_max_body_bytes: int
    web_workers: int
    web_session_check_seconds: int
    sources: Mapping[str, str]


def _check_table() -> None:
    declared = {f.name for f in fields(Settings)} - {"sources"}
    if declared != set(_BY_NAME):
        raise SettingsError(
            f"settings table and Settings differ: {sorted(declared ^ set(_BY_NAME))}"
        )


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    """Convert `value` to the setting's type, or raise naming the setting and where it came from."""
    kind = setting.type
    if isinstance(value, str) and kind is not str:
        value = _parse_text(setting, value, where)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is list and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    if (
        kind is not list
        and isinstance(value, kind)
        and not (kind is int and isinstance(value, bool))
    ):
        if isinstance(value, int) and value < 0:
            raise SettingsError(f"{setting.name} in {where} must not be negative, got {value}")
        return value
    raise SettingsError(f"{setting.name} in {where} must be {_type_word(kind)}, got {value!r}")


def _parse_text(setting: Setting, text: str, where: str) -> Any:
    kind = setting.type
    try:
        if kind is bool:
            lowered = text.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(text)
        if kind is int:
            return int(text.replace("_", ""))
        if kind is float:
            return float(text)
        if kind is list:
            return [part.strip() for part in text.split(",") if part.strip()]
    except ValueError:
        raise SettingsError(
            f"{setting.name} in {where} must be {_type_word(kind)}, got {text!r}"
        ) from None
    return text


def _type_word(kind: type) -> str:
    return {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list of text",
    }[kind]


def _flatten_file(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for sub, subvalue in value.items():
                flat[f"{key}_{sub}"] = subvalue
        else:
            flat[key] = value
    for key in flat:
        if key not in _BY_NAME:
            raise SettingsError(f"unknown setting '{key}' in {path} (see `crankcall settings`)")
    return flat


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings in one TOML file, checked for unknown keys."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError(f"settings file {path} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SettingsError(f"settings file {path} is not valid TOML: {e}") from e
    return _flatten_file(data, path)


def load_settings(
    *,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Resolve settings through the layers.

    `config_file` is read when given (it must exist); otherwise `./crankcall.toml` is read when
    present. `overrides` are command-line flags; `None` values in it mean "flag not given".
    """
    _check_table()
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    sources: dict[str, str] = {s.name: "default" for s in SETTINGS}

    path = config_file
    if path is None and Path(DEFAULT_CONFIG_FILE).is_file():
        path = Path(DEFAULT_CONFIG_FILE)
    if path is not None:
        for key, value in read_config_file(path).items():
            values[key] = _coerce(_BY_NAME[key], value, str(path))
            sources[key] = str(path)

    for setting in SETTINGS:
        var = ENV_PREFIX + setting.name.upper()
        if var in env:
            values[setting.name] = _coerce(setting, env[var], f"environment variable {var}")
            sources[setting.name] = var

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in _BY_NAME:
            raise SettingsError(f"unknown setting '{key}' given on the command line")
        values[key] = _coerce(_BY_NAME[key], value, "the command line")
        sources[key] = "command line"

    return Settings(**values, sources=sources)


def describe(settings: Settings) -> list[dict[str, Any]]:
    """Rows for `crankcall settings`: name, value, type, source and help of every setting."""
    return [
        {
            "name": s.name,
            "value": getattr(settings, s.name),
            "type": _type_word(s.type),
            "source": settings.sources[s.name],
            "help": s.help,
        }
        for s in SETTINGS
    ]
