"""One registry per kind of pluggable thing, with built-ins registered like any extension.

A `Registry` maps a name to a factory. Readers of input files are the first kind registered
(`readers` in `crankcall.ingest.files`); renderers and sources join later the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from crankcall.errors import CrankcallError

T = TypeVar("T")


class Registry(Generic[T]):
    """A named collection of plug-ins of one kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator: register `obj` under `name`; a second registration of a name is an error."""

        def add(obj: T) -> T:
            if name in self._entries:
                raise CrankcallError(f"{self.kind} '{name}' is registered twice")
            self._entries[name] = obj
            return obj

        return add

    def get(self, name: str) -> T:
        """The plug-in registered under `name`, or an error listing the known names."""
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise CrankcallError(f"unknown {self.kind} '{name}' (known: {known})") from None

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __contains__(self, name: object) -> bool:
        return name in self._entries
