"""What every part of the web app shares: the store and settings of the app, who is asking,
the CSRF check of mutating routes, coverage windows and safe links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from crankcall.errors import InputError
from crankcall.settings import Settings
from crankcall.store import Store
from crankcall.web.auth import (
    SESSION_COOKIE,
    Sessions,
    User,
    digest,
    same,
    session_user,
    token_user,
)


class DeskError(Exception):
    """An answer other than the page asked for: status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def now() -> datetime:
    """The time of a request (UTC)."""
    return datetime.now(UTC)


def store_of(request: Request) -> Store:
    """The app's store."""
    found: Store = request.app.state.store
    return found


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    found: Settings = request.app.state.settings
    return found


def templates_of(request: Request) -> Jinja2Templates:
    """The app's page templates."""
    found: Jinja2Templates = request.app.state.templates
    return found


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page rendered from a template, with the user and CSRF token at hand."""
    context.setdefault("user", getattr(request.state, "user", None))
    response: HTMLResponse = templates_of(request).TemplateResponse(
        request, name, context, status_code=status
    )
    return response


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect (after a POST, the browser GETs the target)."""
    return RedirectResponse(url, status_code=303)


def sessions_of(request: Request) -> Sessions:
    """The sessions this process has checked lately."""
    found: Sessions = request.app.state.sessions
    return found


def viewer_of(request: Request) -> User | None:
    """The session's user, or an API token's reader (reads the database: call it from a worker
    thread)."""
    store = store_of(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    user = session_user(store, cookie, now=now(), sessions=sessions_of(request))
    if user is None:
        user = token_user(store, request.headers.get("authorization"), now=now())
    request.state.user = user
    return user


async def viewer(request: Request) -> User | None:
    """`viewer_of` without leaving the event loop when the session was checked lately."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and (kept := sessions_of(request).get(digest(cookie), now=now())) is not None:
        request.state.user = kept
        return kept
    if not cookie and "authorization" not in request.headers:
        request.state.user = None
        return None
    return await run_in_threadpool(viewer_of, request)


def reader(role: str) -> Callable[[Request], Awaitable[User]]:
    """A dependency: the user of a page that needs `role` to be read."""

    async def dependency(request: Request) -> User:
        user = await viewer(request)
        if user is None:
            raise DeskError(401, "log in to see this page")
        if not user.can(role):
            raise DeskError(403, f"this page is for the {role} role and above")
        return user

    return dependency


def writer(role: str) -> Callable[[Request], Awaitable[User]]:
    """A dependency of every mutating route: a session (never a token), its CSRF token in the
    form, and `role` or above."""

    async def dependency(request: Request) -> User:
        store = store_of(request)
        cookie = request.cookies.get(SESSION_COOKIE)
        user = await run_in_threadpool(session_user, store, cookie, now=now())
        request.state.user = user
        if user is None:
            raise DeskError(401, "log in first: this action needs a session")
        form = await request.form()
        token = form.get("csrf_token")
        if not same(token if isinstance(token, str) else None, user.csrf):
            raise DeskError(403, "the form's security token is missing or wrong; reload the page")
        if not user.can(role):
            raise DeskError(403, f"this action is for the {role} role and above")
        request.app.state.queue_cache.clear()  # whatever this changes, the queue reads anew
        return user

    return dependency


@dataclass(frozen=True, kw_only=True, slots=True)
class Window:
    """A coverage window: [since, until) with the key that editor overrides are kept under."""

    since: datetime
    until: datetime
    month: str
    key: str

    @property
    def last_day(self) -> date:
        return (self.until - timedelta(days=1)).date()

    def query(self) -> str:
        """The window as query parameters."""
        if self.key == self.month:
            return f"month={self.month}"
        return f"since={self.since.date()}&until={self.last_day}"


def month_window(month: str) -> Window:
    """The calendar month `YYYY-MM` as a window."""
    try:
        first = date.fromisoformat(month + "-01")
    except ValueError:
        raise InputError(f"{month!r} is not a month (use YYYY-MM)") from None
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Window(
        since=datetime.combine(first, time(), tzinfo=UTC),
        until=datetime.combine(following, time(), tzinfo=UTC),
        month=month,
        key=month,
    )


def window(month: str | None, since: str | None, until: str | None, default: str) -> Window:
    """The window a page asks for: a month, or since/until days (inclusive), else `default`."""
    if since and until:
        try:
            begin, last = date.fromisoformat(since), date.fromisoformat(until)
        except ValueError:
            raise InputError("since and until must be dates (YYYY-MM-DD)") from None
        if last < begin:
            raise InputError(f"until {until} is before since {since}")
        return Window(
            since=datetime.combine(begin, time(), tzinfo=UTC),
            until=datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC),
            month=f"{last:%Y-%m}",
            key=f"{begin}..{last}",
        )
    return month_window(month or default)


def safe_url(url: object) -> str | None:
    """An article URL fit to be a link: http(s) with a host, else None."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in {"http", "https"} and parts.netloc:
        return url.strip()
    return None


def safe_next(target: object, fallback: str) -> str:
    """A redirect target inside this site (a path), else `fallback`."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return fallback
    return fallback if any(c in target for c in "\\\r\n") else target


def not_found(what: str) -> Response:
    """Raise a 404 with a message naming what is missing."""
    raise DeskError(404, f"no {what}")
