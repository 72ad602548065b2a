"""The issue editor: the month's draft in its sections, item edits with revisions and conflicts,
adding an item by URL, re-drafting one item, the preview, approval and publication."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from crankcall.errors import InputError
from crankcall.ingest.http import HttpClient
from crankcall.pipeline import add_page, draft
from crankcall.publish import render
from crankcall.store.desk_queries import SECTIONS, StaleVersionError
from crankcall.web.auth import User
from crankcall.web.common import (
    DeskError,
    month_window,
    now,
    page,
    reader,
    redirect,
    settings_of,
    store_of,
    writer,
)
from crankcall.web.items import (
    SECTION_TITLES,
    diff,
    edited_body,
    issue_from_items,
    item_text,
    revision_text,
)

router = APIRouter(include_in_schema=False)
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
Month = Annotated[str, Path(pattern=MONTH)]
Text = Annotated[str, Form()]
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
FROZEN = ("html", "pdf", "md", "json")


def _issue(request: Request, month: str) -> dict[str, Any]:
    found = store_of(request).issue_by_month(month)
    if found is None:
        raise DeskError(404, f"no issue for {month}; draft it first")
    return found


def _item(request: Request, item_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    store = store_of(request)
    item = store.item(item_id)
    if item is None:
        raise DeskError(404, f"no item {item_id}")
    issue = next(i for i in store.issues_list(published_only=False) if i["id"] == item["issue_id"])
    return item, issue


def _editable(issue: dict[str, Any]) -> None:
    if issue["status"] != "draft":
        raise DeskError(409, f"issue {issue['month']} is {issue['status']}; reopen it to edit")


@router.get("/desk/issues", response_class=HTMLResponse)
def issues(request: Request, user: Annotated[User, Depends(reader("viewer"))]) -> HTMLResponse:
    """Every issue with its status, and the form to draft a month."""
    return page(request, "issues.html", issues=store_of(request).issues_list(published_only=False))


@router.post("/desk/issues/draft")
async def draft_month(
    request: Request, user: Annotated[User, Depends(writer("editor"))], month: Text = ""
) -> RedirectResponse:
    """Draft (or draft again) the issue of a month from its ranked stories."""
    chosen = month_window(month.strip())
    await run_in_threadpool(
        draft,
        store_of(request),
        settings_of(request),
        since=chosen.since,
        until=chosen.until,
        month=chosen.month,
    )
    return redirect(f"/desk/issues/{chosen.month}")


@router.get("/desk/issues/{month}", response_class=HTMLResponse)
def issue_page(
    request: Request, month: Month, user: Annotated[User, Depends(reader("viewer"))]
) -> HTMLResponse:
    """The issue in its sections, each item with its text and a link to edit it."""
    issue = _issue(request, month)
    items = store_of(request).issue_items(issue["id"])
    sections = {name: [] for name in SECTIONS}  # type: dict[str, list[dict[str, Any]]]
    for item in items:
        sections[item["section"]].append({**item, "text": item_text(item["section"], item["body"])})
    return page(request, "issue.html", issue=issue, sections=sections, titles=SECTION_TITLES)


@router.get("/desk/issues/{month}/preview")
def preview(
    request: Request, month: Month, user: Annotated[User, Depends(reader("viewer"))]
) -> Response:
    """The issue as it would be published: the same HTML renderer."""
    issue = _issue(request, month)
    settings = settings_of(request)
    built = issue_from_items(issue, store_of(request).issue_items(issue["id"]), settings)
    body = render(built, "html", templates_dir=settings.templates_dir or None)
    return Response(body, media_type="text/html", headers={"Content-Security-Policy": PREVIEW_CSP})


@router.post("/desk/issues/{month}/items")
async def add_item(
    request: Request,
    month: Month,
    user: Annotated[User, Depends(writer("editor"))],
    url: Text = "",
    section: Text = "links",
) -> RedirectResponse:
    """Fetch a page, store and code its article, and add it to the issue as an item."""
    issue = _issue(request, month)
    _editable(issue)
    if section not in SECTIONS:
        raise InputError(f"unknown section {section!r}")
    store, settings = store_of(request), settings_of(request)

    def fetch() -> str:
        with HttpClient(settings) as client:
            return add_page(store, client, settings, url.strip(), now=now())

    ident = await run_in_threadpool(fetch)
    article = store.get_article(ident)
    assert article is not None
    body: dict[str, Any]
    if section in {"analysis", "perspectives"}:
        body = {
            "title": article.title,
            "authors": list(article.authors),
            "venue": article.outlet,
            "url": article.url,
            "articles": [ident],
        }
        headline = article.title
    else:
        lead = " ".join(article.text.split()[:45])
        body = {"text": lead, "outlets": [article.outlet], "articles": [ident]}
        headline = ""
        if section == "highlights":
            headline = article.title
            body = {
                "headline": article.title,
                "paragraphs": [{"sentences": [{"text": lead, "articles": [ident]}]}],
                "story": store.story_of(ident),
                "articles": [ident],
            }
    item_id = store.add_item(
        issue["id"],
        section=section,
        headline=headline,
        body=body,
        story_id=store.story_of(ident),
        author=user.name,
        now=now(),
    )
    return redirect(f"/desk/items/{item_id}")


@router.get("/desk/items/{item_id}", response_class=HTMLResponse)
def item_page(
    request: Request, item_id: int, user: Annotated[User, Depends(reader("viewer"))]
) -> HTMLResponse:
    """An item's edit form and its revisions, each with the diff from the one before."""
    item, issue = _item(request, item_id)
    revisions = store_of(request).revisions_of(item_id)
    shown: list[dict[str, Any]] = []
    before: str | None = None
    for revision in revisions:
        text = revision_text(item["section"], revision["headline"], revision["body"])
        lines: list[str] = (
            diff(
                before,
                text,
                old=f"version {shown[-1]['version']}",
                new=f"version {revision['version']}",
            )
            if before is not None
            else []
        )
        shown.append({**revision, "diff": lines})
        before = text
    return page(
        request,
        "item.html",
        item=item,
        issue=issue,
        text=item_text(item["section"], item["body"]),
        revisions=list(reversed(shown)),
        titles=SECTION_TITLES,
    )


def _save(
    request: Request,
    user: User,
    item: dict[str, Any],
    *,
    headline: str,
    text: str,
    version: str,
    note: str | None,
) -> Response:
    try:
        base = int(version)
    except ValueError:
        raise InputError("the form's version is missing; reload the page") from None
    body = edited_body(item["section"], item["body"], headline=headline.strip(), text=text)
    try:
        store_of(request).save_item(
            item["id"],
            headline=headline.strip(),
            body=body,
            version=base,
            author=user.name,
            now=now(),
            note=note,
        )
    except StaleVersionError as e:
        theirs = e.current
        return page(
            request,
            "conflict.html",
            status=409,
            item=theirs,
            theirs_text=item_text(theirs["section"], theirs["body"]),
            yours_headline=headline,
            yours_text=text,
            base=base,
            changes=diff(
                revision_text(theirs["section"], theirs["headline"], theirs["body"]),
                f"{headline}\n\n{text}",
                old=f"theirs (version {theirs['version']})",
                new="yours",
            ),
        )
    return redirect(f"/desk/items/{item['id']}")


@router.post("/desk/items/{item_id}")
def save_item(
    request: Request,
    item_id: int,
    user: Annotated[User, Depends(writer("editor"))],
    headline: Text = "",
    text: Text = "",
    version: Text = "",
) -> Response:
    """Save an edit made from `version`; a newer version saved meanwhile gives a 409 conflict
    page with both versions, never an overwrite."""
    item, issue = _item(request, item_id)
    _editable(issue)
    return _save(request, user, item, headline=headline, text=text, version=version, note=None)


@router.post("/desk/items/{item_id}/revert")
def revert_item(
    request: Request,
    item_id: int,
    user: Annotated[User, Depends(writer("editor"))],
    revision: Text = "",
    version: Text = "",
) -> Response:
    """Make an earlier revision the newest version (kept as a revision of its own)."""
    item, issue = _item(request, item_id)
    _editable(issue)
    old = next(
        (r for r in store_of(request).revisions_of(item_id) if str(r["version"]) == revision),
        None,
    )
    if old is None:
        raise DeskError(404, f"no revision {revision!r} of item {item_id}")
    return _save(
        request,
        user,
        {**item, "body": old["body"]},
        headline=old["headline"],
        text=item_text(item["section"], old["body"]),
        version=version,
        note=f"reverted to version {revision}",
    )


@router.post("/desk/items/{item_id}/redraft")
async def redraft_item(
    request: Request,
    item_id: int,
    user: Annotated[User, Depends(writer("editor"))],
    version: Text = "",
) -> Response:
    """Draft this item again from its story, as a new version."""
    item, issue = _item(request, item_id)
    _editable(issue)
    if not item["story_id"] or item["section"] not in {"highlights", "links"}:
        raise InputError("only a Highlight or Link told from a story can be re-drafted")
    fresh = await run_in_threadpool(
        draft,
        store_of(request),
        settings_of(request),
        since=issue["window_start"],
        until=issue["window_end"],
        month=issue["month"],
        save=False,
    )
    entry = next(
        (
            e
            for s in ("highlights", "links")
            for e in fresh[s]
            if e.get("story") == item["story_id"]
        ),
        None,
    )
    if entry is None:
        entry = _entry_by_articles(fresh, item)
    if entry is None:
        raise InputError("the story no longer makes it into the draft; edit the item by hand")
    body = {**item["body"], **entry}
    headline = str(entry.get("headline", item["headline"]))
    return _save(
        request,
        user,
        {**item, "body": body},
        headline=headline,
        text=item_text(item["section"], body),
        version=version,
        note="re-drafted from its story",
    )


def _entry_by_articles(fresh: dict[str, Any], item: dict[str, Any]) -> dict[str, Any] | None:
    wanted = set(item["body"].get("articles", []))
    for entry in fresh[item["section"]]:
        if wanted & set(entry.get("articles", [])):
            found: dict[str, Any] = entry
            return found
    return None


@router.post("/desk/issues/{month}/approve")
def approve(
    request: Request, month: Month, user: Annotated[User, Depends(writer("editor"))]
) -> RedirectResponse:
    """Mark the draft approved: ready for an admin to publish."""
    issue = _issue(request, month)
    store_of(request).set_issue_status(
        issue["id"], status="approved", allowed_from=["draft"], now=now()
    )
    return redirect(f"/desk/issues/{month}")


@router.post("/desk/issues/{month}/reopen")
def reopen(
    request: Request, month: Month, user: Annotated[User, Depends(writer("editor"))]
) -> RedirectResponse:
    """Take an approved issue back to draft, to edit it again."""
    issue = _issue(request, month)
    store_of(request).set_issue_status(
        issue["id"], status="draft", allowed_from=["approved"], now=now()
    )
    return redirect(f"/desk/issues/{month}")


@router.post("/desk/issues/{month}/publish")
async def publish(
    request: Request, month: Month, user: Annotated[User, Depends(writer("admin"))]
) -> RedirectResponse:
    """Freeze the approved issue's HTML, PDF, Markdown and JSON and put it in the archive."""
    issue = _issue(request, month)
    if issue["status"] != "approved":
        raise InputError("only an approved issue can be published")
    store, settings = store_of(request), settings_of(request)
    built = issue_from_items(issue, store.issue_items(issue["id"]), settings)
    built["status"] = "published"

    def freeze() -> None:
        files = {
            fmt: render(built, fmt, templates_dir=settings.templates_dir or None) for fmt in FROZEN
        }
        store.publish_issue(issue["id"], files, now=now())

    await run_in_threadpool(freeze)
    return redirect(f"/issues/{month}")
