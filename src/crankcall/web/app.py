"""The app factory: one FastAPI app over one store, with its pages, API, security headers and
errors. `create_app(settings)` is what `crankcall serve` runs and what the tests build."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crankcall import __version__
from crankcall.errors import CrankcallError, NotFoundError, StoreError
from crankcall.settings import SETTINGS, Settings, load_settings
from crankcall.store import Store, open_store
from crankcall.web import accounts, api, archive, desk, editor
from crankcall.web.auth import Sessions, User
from crankcall.web.common import DeskError, page, viewer

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds the security headers to every answer; a route may set its own stricter CSP."""

    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        if "\x00" in path or b"%00" in bytes(scope.get("query_string", b"")):
            # No database stores a NUL character; refuse it before any query sees it.
            body = b'{"error": "the request holds a NUL character"}'
            await send(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [(b"content-type", b"application/json"), *HEADERS],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += HEADERS
                if self.secure:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                if path.startswith(("/desk", "/login", "/api")):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)


class BodyLimit:
    """Refuses a request whose body is larger than `limit` bytes (413), before any form or JSON
    parser holds it: by its declared length, else (a chunked body) once what arrived passes the
    limit. Every form of the desk, the login's included, is read whole into memory by the form
    parser; a stranger's gigabyte must not be."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received = 0
        over = started = False

        async def receiving() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    over = True
                    raise _BodyTooLargeError
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if over:
                # Whatever answer the app makes of the broken-off body (a parse error), the
                # client is told why.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receiving, sending)
        except _BodyTooLargeError:
            if not started:
                started = True
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = f"request body over {self.limit} bytes\n".encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *HEADERS],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLargeError(Exception):
    """Raised by `BodyLimit` when a body's bytes pass the limit as they arrive."""


class ForgetAfterWrites:
    """Clears what the queue keeps once a POST has been handled, before its answer goes out.
    (`writer` clears it before the change too, but a page read in between could be kept with
    the stamp of before; the editor's redirect must show the change.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                scope["app"].state.queue_cache.clear()
            await send(message)

        await self.app(scope, receive, sending)


def _templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(["html", "xml", "atom"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["day"] = lambda v: f"{v:%Y-%m-%d}" if v is not None else "undated"
    environment.filters["when"] = lambda v: f"{v:%Y-%m-%d %H:%M} UTC" if v is not None else ""
    return Jinja2Templates(env=environment)


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """The desk, archive and API over the settings' database (or the store given)."""
    app = FastAPI(
        title="crankcall",
        version=__version__,
        description="The editor's desk of CRANK Call, its public archive and a JSON API.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served below, to token holders and sessions only
    )
    app.state.settings = settings
    app.state.store = store if store is not None else open_store(settings.db)
    app.state.templates = _templates()
    app.state.queue_cache = desk.QueueCache()
    app.state.sessions = Sessions(seconds=settings.web_session_check_seconds)
    for router in (accounts.router, desk.router, editor.router, archive.router, api.router):
        app.include_router(router)
    _public_files(app)
    _openapi(app)
    _handle_errors(app)
    app.add_middleware(ForgetAfterWrites)
    app.add_middleware(SecurityHeaders, secure=settings.web_secure_cookies)
    app.add_middleware(BodyLimit, limit=settings.web_max_body_bytes)
    if store is None:
        app.router.on_shutdown.append(app.state.store.close)
    return app


SERVE_SETTINGS = "CRANKCALL_SERVE_SETTINGS"
"""Where `crankcall serve --workers N` hands its resolved settings to the worker processes."""


def settings_for_workers(settings: Settings) -> str:
    """The settings as `app_from_environment` reads them back in a worker process."""
    return json.dumps({s.name: getattr(settings, s.name) for s in SETTINGS})


def app_from_environment() -> FastAPI:
    """The app of one worker process of `crankcall serve --workers N` (uvicorn's factory): the
    settings the command resolved, not the layers again."""
    try:
        values = json.loads(os.environ[SERVE_SETTINGS])
    except (KeyError, json.JSONDecodeError) as e:
        raise StoreError(f"{SERVE_SETTINGS} must hold the settings of `crankcall serve`") from e
    return create_app(load_settings(environ={}, config_file=None, overrides=values))


def _public_files(app: FastAPI) -> None:
    """The stylesheet, which the login page and the archive need before any session; no other
    file is served."""
    stylesheet = (HERE / "static" / "desk.css").read_bytes()

    @app.get("/static/desk.css", include_in_schema=False)
    def desk_css() -> Response:
        return Response(
            stylesheet,
            media_type="text/css; charset=utf-8",
            headers={"cache-control": "public, max-age=3600"},
        )


def _openapi(app: FastAPI) -> None:
    """The API's OpenAPI document, for an API token or a desk session."""

    @app.get("/api/v1/openapi.json", include_in_schema=False)
    async def openapi(user: Annotated[User, Depends(api.token_reader)]) -> JSONResponse:
        return JSONResponse(app.openapi())


def _public(path: str) -> bool:
    """A path that answers without a session: the login page, the archive, its stylesheet and
    the published issues of the API."""
    return path in {"/login", "/issues", "/static/desk.css", "/api/v1/issues"} or path.startswith(
        ("/issues/", "/api/v1/issues/")
    )


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _answer(request: Request, status: int, message: str, *, to_login: bool = True) -> Response:
    message = " ".join(message.split()) or "error"
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    if status == 401 and request.method == "GET" and to_login:
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    return page(request, "error.html", status=status, status_code=status, message=message)


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(DeskError)
    async def desk_error(request: Request, error: DeskError) -> Response:
        return _answer(request, error.status, error.message)

    @app.exception_handler(CrankcallError)
    async def crankcall_error(request: Request, error: CrankcallError) -> Response:
        status = 404 if isinstance(error, NotFoundError) else 400
        if isinstance(error, StoreError):
            log.error("store error: %s", error)
            status = 503
        return _answer(request, status, str(error))

    @app.exception_handler(DataError)
    async def unstorable(request: Request, error: DataError) -> Response:
        return _answer(request, 400, "the request holds text the database cannot store")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        return _answer(request, 422, _first_problem(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        # No path, existing or not, tells a stranger anything but "log in". No redirect: a
        # browser asking for /favicon.ico must not load the login page again (its form token).
        if not _public(request.url.path) and await viewer(request) is None:
            if _wants_json(request):
                return _answer(request, 401, "this needs an API token (Bearer TOKEN)")
            return _answer(request, 401, "log in to see this page", to_login=False)
        return _answer(request, error.status_code, str(error.detail))


def _first_problem(errors: Any) -> str:
    for problem in errors:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        return f"{where}: {problem.get('msg', 'is not valid')}"
    return "the request is not valid"
