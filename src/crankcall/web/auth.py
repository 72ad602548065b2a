"""Accounts on the desk: argon2 password hashes, sessions kept in the database, CSRF tokens,
login rate limits, roles and API tokens.

A session cookie holds a random value; the database keeps only its SHA-256, so a copy of the
database opens no session. Every session has its own CSRF token, which every form carries and
every mutating route checks. The login form, which has no session yet, is guarded by a
double-submit token: the same random value in a cookie and in the form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crankcall.settings import Settings
from crankcall.store import Store

SESSION_COOKIE = "crankcall_session"
LOGIN_COOKIE = "crankcall_login"
RANKS = {"viewer": 0, "editor": 1, "admin": 2}
# A hash of a password nobody has: checking it costs what checking a real one does, so the
# answer time does not tell whether a name exists.
_HASHER = PasswordHasher()
_DECOY = _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True, kw_only=True, slots=True)
class User:
    """Who is behind a request: a session's user (with its CSRF token) or an API token."""

    name: str
    role: str
    csrf: str = ""

    def can(self, role: str) -> bool:
        """True when this user's role is `role` or above."""
        return RANKS.get(self.role, -1) >= RANKS[role]


class LoginLimited(Exception):  # noqa: N818 - a state, not a failure of ours
    """Too many failed logins for this name or from this address; try again later."""


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _HASHER.hash(password)


def digest(value: str) -> str:
    """The SHA-256 of a session or token value, as stored."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_token() -> str:
    """A fresh random value for a cookie, CSRF token or API token."""
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens; a missing one is never equal."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())


def check_password(store: Store, name: str, password: str) -> dict[str, object] | None:
    """The account if the password is right, else None (same work either way)."""
    account = store.user_by_name(name)
    stored = str(account["password_hash"]) if account else _DECOY
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if account is None or account["disabled"]:
        return None
    if _HASHER.check_needs_rehash(stored):
        store.set_password(name, password_hash=_HASHER.hash(password))
    return account


def log_in(
    store: Store, settings: Settings, *, name: str, password: str, ip: str, now: datetime
) -> str | None:
    """Check a login under the rate limits; on success open a session and return the cookie
    value. Raises `LoginLimited` when this name or address has failed too often lately."""
    since = now - timedelta(minutes=settings.web_login_window_minutes)
    by_name, by_ip = store.login_failures(name=name, ip=ip, since=since)
    if by_name >= settings.web_login_max_failures or by_ip >= settings.web_login_max_failures_ip:
        raise LoginLimited("too many failed logins; wait a while and try again")
    account = check_password(store, name, password)
    store.record_login(name, ip=ip, ok=account is not None, now=now)
    if account is None:
        return None
    value = new_token()
    store.create_session(
        digest(value),
        user_id=int(str(account["id"])),
        csrf=new_token(),
        now=now,
        expires=now + timedelta(hours=settings.web_session_hours),
    )
    return value


def session_user(
    store: Store, cookie: str | None, *, now: datetime, sessions: Sessions | None = None
) -> User | None:
    """The user of a session cookie, or None when it is missing, unknown or expired. With
    `sessions`, a session checked lately is taken from there instead of the database."""
    if not cookie:
        return None
    key = digest(cookie)
    if sessions is not None and (kept := sessions.get(key, now=now)) is not None:
        return kept
    found = store.session_user(key, now=now)
    if found is None:
        return None
    user = User(name=str(found["name"]), role=str(found["role"]), csrf=str(found["csrf"]))
    if sessions is not None:
        sessions.put(key, user, expires=found["expires_at"])
    return user


class Sessions:
    """Sessions this process has checked lately, by the hash of their cookie: a page need not
    read the database to know who asks. An entry is trusted for `seconds` (and never past the
    session's end); logging out through this process forgets it at once, and a session ended
    elsewhere (another worker, a disabled account) stops working here within `seconds`."""

    def __init__(self, *, seconds: float, size: int = 10_000) -> None:
        self.seconds = seconds
        self.size = size
        self._kept: dict[str, tuple[User, datetime, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, *, now: datetime) -> User | None:
        """The user of a session checked less than `seconds` ago and not yet ended, or None."""
        found = self._kept.get(key)
        if found is None:
            return None
        user, expires, checked_until = found
        if checked_until < time.monotonic() or _aware(expires) <= now:
            self.forget(key)
            return None
        return user

    def put(self, key: str, user: User, *, expires: datetime) -> None:
        """Keep a session just read from the database."""
        if self.seconds <= 0:
            return
        with self._lock:
            if len(self._kept) >= self.size:
                self._kept.clear()
            self._kept[key] = (user, expires, time.monotonic() + self.seconds)

    def forget(self, key: str) -> None:
        """Drop a session (at logout)."""
        with self._lock:
            self._kept.pop(key, None)


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive UTC datetimes back; compare them as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def token_user(store: Store, header: str | None, *, now: datetime) -> User | None:
    """The reader behind an `Authorization: Bearer TOKEN` header, or None."""
    if not header or not header.lower().startswith("bearer "):
        return None
    name = store.token_name(digest(header[7:].strip()), now=now)
    return User(name=f"token:{name}", role="viewer") if name is not None else None
