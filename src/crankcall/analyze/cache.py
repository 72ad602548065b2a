"""Files the coder keeps between runs (compiled patterns): where they live and how they are
written."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def cache_file(name: str) -> Path:
    """Where the cache file `name` lives: `$XDG_CACHE_HOME/crankcall` (default `~/.cache`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crankcall" / name


def write_cache(path: Path, data: bytes) -> None:
    """Write a cache file atomically (a parallel run never reads half a file); a cache that
    cannot be written is only logged."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
        Path(handle.name).replace(path)
    except OSError as e:
        log.info("cannot cache the compiled patterns in %s (%s)", path.parent, e)
