"""The one small hierarchy of errors crankcall raises, each worded for the user.

Every error carries a message that says what was wrong, where, and (when it helps) what to do.
`crankcall.cli` turns any `CrankcallError` into a one-line message on stderr and exit status 2.
"""

from __future__ import annotations


class CrankcallError(Exception):
    """Base of every error crankcall raises on purpose."""


class SettingsError(CrankcallError):
    """A settings file, environment variable or flag is wrong (unknown key, bad value)."""


class DataFileError(CrankcallError):
    """A data file shipped with crankcall (outlets, actors, cues) is malformed."""


class InputError(CrankcallError):
    """An input file cannot be read at all: missing, unreadable encoding, not a known format."""


class StoreError(CrankcallError):
    """The database cannot be opened, migrated or written."""


class NotFoundError(CrankcallError):
    """Something the user named (an article, a story, an issue) is not in the store."""
