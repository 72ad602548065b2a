"""The outlets data file and outlet resolution by domain and name.

`load_outlets` reads and validates `data/outlets.csv` (or a file named in the settings); an error
names file, line and problem. `OutletIndex.resolve` finds the outlet of an article from its URL's
host (the longest matching domain wins, so `en.yna.co.kr` beats `yna.co.kr`) and then from the
outlet name the input gives (names and aliases, case-insensitive).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from crankcall.data import read_data
from crankcall.errors import DataFileError
from crankcall.ingest.normalise import clean_line, host_of
from crankcall.models import OUTLET_KINDS, Outlet

COLUMNS = ("name", "domain", "kind", "country", "language", "state_affiliated", "aliases")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def load_outlets(path: Path | None = None) -> list[Outlet]:
    """The outlets in the shipped data file, or in `path`; validated."""
    raw, name = read_data("outlets.csv", path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataFileError(f"{name}: not UTF-8 ({e})") from e
    return parse_outlets(text, name=name)


def parse_outlets(text: str, *, name: str) -> list[Outlet]:
    """Parse and validate outlets CSV text; `name` is used in error messages."""
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise DataFileError(f"{name}: header must be {','.join(COLUMNS)}")
    outlets: list[Outlet] = []
    seen: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        outlet = _outlet_from_row(row, name=name, line=line)
        for field, key in (("name", outlet.name.casefold()), ("domain", outlet.domain or "")):
            if key and (field, key) in seen:
                raise DataFileError(
                    f"{name}, line {line}: {field} {key!r} is already used on line "
                    f"{seen[(field, key)]}"
                )
            if key:
                seen[(field, key)] = line
        outlets.append(outlet)
    return outlets


def _outlet_from_row(row: dict[str, str], *, name: str, line: int) -> Outlet:
    def problem(what: str) -> DataFileError:
        return DataFileError(f"{name}, line {line} ({row.get('name') or '?'}): {what}")

    if None in row.values() or None in row:
        raise problem("wrong number of fields")
    outlet_name = clean_line(row["name"])
    domain = row["domain"].strip().lower()
    if not outlet_name:
        raise problem("name is empty")
    if domain and not _DOMAIN.match(domain):
        raise problem(f"domain {domain!r} is not a domain name")
    if row["kind"] not in OUTLET_KINDS:
        raise problem(f"kind {row['kind']!r} is not one of {', '.join(OUTLET_KINDS)}")
    if row["country"] and not _COUNTRY.match(row["country"]):
        raise problem(f"country {row['country']!r} is not a two-letter code")
    if row["language"] and not _LANGUAGE.match(row["language"]):
        raise problem(f"language {row['language']!r} is not a language code")
    if row["state_affiliated"] not in {"true", "false"}:
        raise problem("state_affiliated must be true or false")
    aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
    return Outlet(
        name=outlet_name,
        domain=domain or None,
        kind=row["kind"],  # type: ignore[arg-type]
        country=row["country"] or None,
        language=row["language"] or None,
        state_affiliated=row["state_affiliated"] == "true",
        aliases=aliases,
    )


class OutletIndex:
    """Look outlets up by the host of a URL or by name."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self._by_domain: dict[str, Outlet] = {}
        self._by_name: dict[str, Outlet] = {}
        for outlet in outlets:
            self.add(outlet)

    def add(self, outlet: Outlet) -> None:
        """Index an outlet by its domain, its name, and its aliases (domains or names)."""
        if outlet.domain:
            self._by_domain.setdefault(outlet.domain, outlet)
        self._by_name.setdefault(outlet.name.casefold(), outlet)
        for alias in outlet.aliases:
            alias_key = alias.strip().lower()
            if _DOMAIN.match(alias_key):
                self._by_domain.setdefault(alias_key, outlet)
            self._by_name.setdefault(alias.casefold(), outlet)

    def by_host(self, host: str) -> Outlet | None:
        """The outlet whose domain is `host` or the longest domain `host` ends with."""
        labels = host.lower().split(".")
        for i in range(len(labels) - 1):
            outlet = self._by_domain.get(".".join(labels[i:]))
            if outlet is not None:
                return outlet
        return None

    def by_name(self, name: str) -> Outlet | None:
        """The outlet with this name or alias, ignoring case."""
        return self._by_name.get(clean_line(name).casefold())

    def resolve(self, *, url: str | None, name: str | None) -> Outlet | None:
        """The known outlet of an article: by URL host first, then by the name given."""
        host = host_of(url) if url else None
        found = self.by_host(host) if host else None
        if found is None and name:
            found = self.by_name(name)
        return found


def new_outlet(*, url: str | None, name: str | None) -> Outlet:
    """An outlet not in the table, added as kind `unknown` from what the article tells us."""
    host = host_of(url) if url else None
    domain = host if host and _DOMAIN.match(host) else None
    return Outlet(name=name or domain or "unknown", domain=domain, kind="unknown")
