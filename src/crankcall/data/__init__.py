"""Versioned data files shipped with crankcall: outlets, actors, cues, topics, context, sources."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from crankcall.errors import DataFileError


def read_data(name: str, path: Path | None = None) -> tuple[bytes, str]:
    """The bytes of the shipped data file `name`, or of `path` when given, and the name to use in
    error messages. A file that cannot be read is a `DataFileError` naming it."""
    if path is None:
        return resources.files("crankcall.data").joinpath(
            name
        ).read_bytes(), f"crankcall/data/{name}"
    try:
        return path.read_bytes(), str(path)
    except OSError as e:
        raise DataFileError(f"{path}: cannot be read ({e.strerror})") from e


def read_toml(name: str, path: Path | None = None) -> tuple[dict[str, Any], str, bytes]:
    """The shipped TOML data file `name` (or `path`) parsed, with the name to use in error
    messages and the raw bytes (for a version stamp). A file that cannot be read or parsed is a
    `DataFileError` naming it."""
    raw, where = read_data(name, path)
    try:
        return tomllib.loads(raw.decode("utf-8")), where, raw
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise DataFileError(f"{where}: cannot be read as TOML ({e})") from e
