"""The public archive: published issues as frozen at publication, a list page and an Atom feed.
These pages answer without a session."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from crankcall.publish.issue import month_label
from crankcall.web.common import DeskError, page, settings_of, store_of, templates_of
from crankcall.web.editor import MONTH, PREVIEW_CSP

router = APIRouter(include_in_schema=False)
Month = Annotated[str, Path(pattern=MONTH)]
TYPES = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def _published(request: Request) -> list[dict[str, object]]:
    issues = store_of(request).issues_list(published_only=True)
    return [{**i, "label": month_label(str(i["month"]))} for i in issues]


@router.get("/issues", response_class=HTMLResponse)
def archive(request: Request) -> HTMLResponse:
    """Every published issue, newest first."""
    return page(request, "archive.html", issues=_published(request), user=None)


@router.get("/issues/feed.atom")
def feed(request: Request) -> Response:
    """An Atom feed of the published issues."""
    base = settings_of(request).web_archive_url.rstrip("/")
    issues = _published(request)
    updated = max(
        (i["published_at"] for i in issues if isinstance(i["published_at"], datetime)),
        default=datetime(2024, 1, 1, tzinfo=UTC),
    )
    body = (
        templates_of(request)
        .get_template("feed.atom")
        .render(issues=issues, base=base, updated=updated, name=settings_of(request).issue_name)
    )
    return Response(body.encode(), media_type="application/atom+xml; charset=utf-8")


@router.get("/issues/{month}")
def issue(request: Request, month: Month) -> Response:
    """A published issue as frozen at publication (HTML)."""
    body = store_of(request).issue_file(month, "html")
    if body is None:
        raise DeskError(404, f"no published issue for {month}")
    return Response(body, media_type="text/html", headers={"Content-Security-Policy": PREVIEW_CSP})


@router.get("/issues/{month}/crankcall-{name}.{fmt}")
def download(request: Request, month: Month, name: str, fmt: str) -> Response:
    """The frozen PDF, Markdown or JSON of a published issue."""
    if fmt not in TYPES or name != month:
        raise DeskError(404, "no such file")
    body = store_of(request).issue_file(month, fmt)
    if body is None:
        raise DeskError(404, f"no published issue for {month}")
    return Response(
        body,
        media_type=TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="crankcall-{month}.{fmt}"'},
    )
