"""Logging in and out, and the admin's page of accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from crankcall.errors import InputError
from crankcall.store.desk_queries import ROLES
from crankcall.web.auth import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    LoginLimited,
    User,
    digest,
    hash_password,
    log_in,
    new_token,
    same,
)
from crankcall.web.common import (
    now,
    page,
    reader,
    redirect,
    safe_next,
    sessions_of,
    settings_of,
    store_of,
    writer,
)

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def _login_page(request: Request, *, status: int = 200, message: str = "") -> HTMLResponse:
    token = new_token()
    response = page(
        request,
        "login.html",
        status=status,
        login_token=token,
        message=message,
        next_url=safe_next(request.query_params.get("next"), "/desk"),
        user=None,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        secure=settings_of(request).web_secure_cookies,
        samesite="strict",
        path="/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    """The login form."""
    return _login_page(request)


@router.post("/login")
async def login(
    request: Request,
    name: Text = "",
    password: Text = "",
    csrf_token: Text = "",
    next_url: Annotated[str, Form(alias="next")] = "",
) -> Response:
    """Check name and password under the rate limits and open a session."""
    if not same(csrf_token, request.cookies.get(LOGIN_COOKIE)):
        return _login_page(request, status=403, message="The form expired; please try again.")
    ip = request.client.host if request.client else "unknown"
    settings = settings_of(request)
    try:
        value = await run_in_threadpool(
            log_in,
            store_of(request),
            settings,
            name=name.strip()[:100],
            password=password,
            ip=ip,
            now=now(),
        )
    except LoginLimited:
        response = _login_page(
            request, status=429, message="Too many failed logins. Wait a while and try again."
        )
        response.headers["Retry-After"] = str(settings.web_login_window_minutes * 60)
        return response
    if value is None:
        return _login_page(request, status=401, message="Wrong name or password.")
    done = redirect(safe_next(next_url, "/desk"))
    done.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=settings.web_session_hours * 3600,
        httponly=True,
        secure=settings.web_secure_cookies,
        samesite="lax",
        path="/",
    )
    done.delete_cookie(LOGIN_COOKIE, path="/login")
    return done


@router.post("/logout")
def logout(request: Request, user: Annotated[User, Depends(writer("viewer"))]) -> Response:
    """End the session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        store_of(request).delete_session(digest(cookie))
        sessions_of(request).forget(digest(cookie))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/desk/users", response_class=HTMLResponse)
def users(request: Request, user: Annotated[User, Depends(reader("admin"))]) -> HTMLResponse:
    """The accounts, and a form to add one (admins only)."""
    return page(request, "users.html", accounts=store_of(request).users(), roles=ROLES)


@router.post("/desk/users")
def add_user(
    request: Request,
    user: Annotated[User, Depends(writer("admin"))],
    name: Text = "",
    role: Text = "viewer",
    password: Text = "",
) -> RedirectResponse:
    """Add an account (admins only)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InputError("a name of 1 to 100 characters is needed")
    if len(password) < 10:
        raise InputError("a password needs at least 10 characters")
    store_of(request).add_user(name, role=role, password_hash=hash_password(password), now=now())
    return redirect("/desk/users")
