"""Versioned data files shipped with crankcall: outlets, actors, cues, topics, context, sources."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

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
