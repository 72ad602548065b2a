"""GDELT 2.0 event files: Events exports and Mentions, zipped and tab-separated, in the published
column layout, read from a folder or checked against a master file list.

Only events with a CRANK state among their actors are kept (CHN, RUS, IRN, PRK, by the actor's
country code or the start of the actor code). A missing, truncated or corrupt file, or one whose
size or MD5 differs from the master list, is reported by name; it is never skipped in silence.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

EVENT_COLUMNS = (  # noqa: SIM905 (the published column order, one name after another)
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions "
    "NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
MENTION_COLUMNS = (  # noqa: SIM905
    "GLOBALEVENTID EventTimeDate MentionTimeDate MentionType MentionSourceName MentionIdentifier "
    "SentenceID Actor1CharOffset Actor2CharOffset ActionCharOffset InRawText Confidence "
    "MentionDocLen MentionDocTone MentionDocTranslationInfo Extras"
).split()
CRANK_CODES = {"CHN": "CN", "RUS": "RU", "IRN": "IR", "PRK": "KP"}
_EVENT_INDEX = {name: i for i, name in enumerate(EVENT_COLUMNS)}
_MENTION_INDEX = {name: i for i, name in enumerate(MENTION_COLUMNS)}


class GdeltFileError(Exception):
    """A GDELT file that cannot be used, with the file's name in the message."""


@dataclass(frozen=True, kw_only=True, slots=True)
class MasterEntry:
    """One line of a GDELT master file list: size in bytes, MD5, URL."""

    size: int
    md5: str
    url: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]


@dataclass(frozen=True, kw_only=True, slots=True)
class GdeltEvent:
    """An event kept from an Events export."""

    event_id: int
    day: date
    actor1_code: str
    actor1_country: str | None
    actor2_code: str
    actor2_country: str | None
    event_code: str
    root_code: str
    quad_class: int
    goldstein: float
    num_mentions: int
    num_sources: int
    num_articles: int
    avg_tone: float
    source_url: str

    @property
    def dyad(self) -> str | None:
        """The CRANK dyad when both actors are different CRANK states."""
        a, b = self.actor1_country, self.actor2_country
        if a in CRANK_CODES.values() and b in CRANK_CODES.values() and a != b:
            return "-".join(sorted((str(a), str(b))))
        return None


@dataclass(frozen=True, kw_only=True, slots=True)
class GdeltMention:
    """A mention of a kept event: which document (URL) mentioned it and when."""

    event_id: int
    when: datetime
    source_name: str
    url: str


def read_master(text: str, *, name: str) -> list[MasterEntry]:
    """Entries of a master file list ("size md5 url" per line)."""
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or not parts[0].isdigit() or len(parts[1]) != 32:
            raise GdeltFileError(f"{name}, line {number}: expected 'size md5 url'")
        entries.append(MasterEntry(size=int(parts[0]), md5=parts[1].lower(), url=parts[2]))
    return entries


def check_against_master(path: Path, entry: MasterEntry) -> None:
    """Raise unless the file exists with the master list's size and MD5."""
    if not path.is_file():
        raise GdeltFileError(f"{entry.name}: missing (listed in the master file list)")
    size = path.stat().st_size
    if size != entry.size:
        raise GdeltFileError(
            f"{entry.name}: {size} bytes, the master list says {entry.size} (truncated?)"
        )
    digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
    if digest != entry.md5:
        raise GdeltFileError(
            f"{entry.name}: MD5 {digest} differs from the master list's {entry.md5}"
        )


MAX_ROW_BYTES = 1_000_000
"""The longest row read: a GDELT row is one or two kilobytes. A longer one is named and skipped
without being held whole (a damaged or hostile file may hold gigabytes with no line break)."""


def _rows(path: Path) -> Iterator[list[str] | str]:
    """Each row's fields, or a string saying why a row cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise GdeltFileError(
                    f"{path.name}: expected one file in the zip, found {len(members)}"
                )
            with archive.open(members[0]) as handle:
                while raw := handle.readline(MAX_ROW_BYTES + 1):
                    if len(raw) > MAX_ROW_BYTES:
                        while raw and not raw.endswith(b"\n"):  # the rest of it, piece by piece
                            raw = handle.readline(MAX_ROW_BYTES + 1)
                        yield f"over {MAX_ROW_BYTES} bytes"
                        continue
                    yield raw.decode("utf-8", errors="replace").rstrip("\r\n").split("\t")
    except FileNotFoundError:
        raise GdeltFileError(f"{path.name}: missing") from None
    except (zipfile.BadZipFile, EOFError, OSError) as e:
        raise GdeltFileError(f"{path.name}: corrupt or truncated ({e})") from e


def read_events(path: Path) -> Iterator[GdeltEvent | str]:
    """Kept events of an Events export, and for each malformed row a string saying why."""
    for number, row in enumerate(_rows(path), 1):
        if isinstance(row, str):
            yield f"row {number}: {row}"
            continue
        if len(row) != len(EVENT_COLUMNS):
            yield f"row {number}: {len(row)} columns, expected {len(EVENT_COLUMNS)}"
            continue
        countries = [_country(row, "Actor1"), _country(row, "Actor2")]
        if not any(c in CRANK_CODES.values() for c in countries):
            continue
        try:
            yield _event(row, countries)
        except ValueError as e:
            yield f"row {number}: {e}"


def _country(row: list[str], actor: str) -> str | None:
    code = row[_EVENT_INDEX[f"{actor}CountryCode"]] or row[_EVENT_INDEX[f"{actor}Code"]][:3]
    return CRANK_CODES.get(code, code or None) if code else None


def _event(row: list[str], countries: list[str | None]) -> GdeltEvent:
    def get(name: str) -> str:
        return row[_EVENT_INDEX[name]]

    day = get("SQLDATE")
    return GdeltEvent(
        event_id=int(get("GLOBALEVENTID")),
        day=date(int(day[:4]), int(day[4:6]), int(day[6:8])),
        actor1_code=get("Actor1Code"),
        actor1_country=countries[0],
        actor2_code=get("Actor2Code"),
        actor2_country=countries[1],
        event_code=get("EventCode"),
        root_code=get("EventRootCode"),
        quad_class=int(get("QuadClass")),
        goldstein=float(get("GoldsteinScale")),
        num_mentions=int(get("NumMentions") or 0),
        num_sources=int(get("NumSources") or 0),
        num_articles=int(get("NumArticles") or 0),
        avg_tone=float(get("AvgTone") or 0),
        source_url=get("SOURCEURL"),
    )


def read_mentions(path: Path, keep: set[int]) -> Iterator[GdeltMention | str]:
    """Mentions of the events in `keep`, and for each malformed row a string saying why."""
    for number, row in enumerate(_rows(path), 1):
        if isinstance(row, str):
            yield f"row {number}: {row}"
            continue
        if len(row) != len(MENTION_COLUMNS):
            yield f"row {number}: {len(row)} columns, expected {len(MENTION_COLUMNS)}"
            continue
        try:
            event_id = int(row[_MENTION_INDEX["GLOBALEVENTID"]])
            if event_id not in keep or row[_MENTION_INDEX["MentionType"]] != "1":  # 1: web
                continue
            stamp = row[_MENTION_INDEX["MentionTimeDate"]]
            when = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError as e:
            yield f"row {number}: {e}"
            continue
        yield GdeltMention(
            event_id=event_id,
            when=when,
            source_name=row[_MENTION_INDEX["MentionSourceName"]],
            url=row[_MENTION_INDEX["MentionIdentifier"]],
        )
