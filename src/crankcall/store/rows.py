"""Small helpers every part of the store shares when it reads rows or sends many ids."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TypeVar

T = TypeVar("T")


def utc(value: datetime | str | None) -> datetime | None:
    """Times come back naive from SQLite (as text from raw SQL); all stored times are UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def chunks(values: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    """`values` in slices of `size`, to keep IN lists within what both backends accept."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
