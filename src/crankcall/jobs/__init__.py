"""The jobs crankcall runs over the store, one module per kind (see `crankcall.pipeline`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Progress = Callable[[int], None]
"""Called with how many items a step just finished, for progress bars."""


@dataclass(kw_only=True)
class RunReport:
    """What `crankcall run` did, stage by stage."""

    coded: int = 0
    relevant: int = 0
    coder_version: str = ""
    placed: int = 0
    stories_new: int = 0
    stories_updated: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "coded": self.coded,
            "relevant": self.relevant,
            "coder": self.coder_version,
            "placed": self.placed,
            "stories_new": self.stories_new,
            "stories_updated": self.stories_updated,
        }
