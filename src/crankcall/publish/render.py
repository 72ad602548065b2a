"""Renderers: one issue in, the bytes of one output form (Markdown, HTML email, text, PDF, JSON).

The renderers live in the `renderers` registry, built-ins registered the same way an extension
would be. Every template-based renderer asks `Templates` for its file, so an editor's folder
(`templates_dir`) can replace any shipped template file by file. Editors' templates are
semi-trusted, so all templates run in Jinja2's sandbox with undefined names as errors: a typo shows
up as a `RenderError` naming the file instead of a silently blank section.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from crankcall.publish import filters
from crankcall.publish.issue import IssueView, RenderError, read_issue
from crankcall.registry import Registry

FORMATS: tuple[str, ...] = ("md", "html", "txt", "pdf", "json")


class Templates:
    """The templates of one render: the override folder first, then the shipped ones."""

    def __init__(self, templates_dir: str | Path | None = None) -> None:
        self.env = _environment(_folder(templates_dir))

    def render(self, name: str, view: IssueView) -> str:
        """Render template `name` with the issue; any failure is a `RenderError` naming the file."""
        try:
            template = self.env.get_template(name)
        except TemplateSyntaxError as e:
            where = f"{e.filename or name}, line {e.lineno}"
            raise RenderError(f"template {where}: {e.message}") from e
        except TemplateNotFound as e:
            raise RenderError(f"template {name} is missing") from e
        try:
            return template.render(issue=view)
        except Exception as e:  # any error in a template's logic is the template's fault
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise RenderError(f"template {template.filename or name}: {reason}") from e


Renderer = Callable[[IssueView, Templates], bytes]
renderers: Registry[Renderer] = Registry("output format")


def render(issue: Mapping[str, Any], fmt: str, *, templates_dir: str | Path | None = None) -> bytes:
    """The issue (contract-4 JSON object) rendered as `fmt`, one of `FORMATS`."""
    if fmt not in renderers:
        raise RenderError(f"unknown output format '{fmt}' (known: {', '.join(FORMATS)})")
    view = read_issue(issue)
    return renderers.get(fmt)(view, Templates(templates_dir))


@renderers.register("md")
def render_md(view: IssueView, templates: Templates) -> bytes:
    """Markdown, every article-derived string escaped by the `md` filter."""
    return templates.render("issue.md.j2", view).encode("utf-8", "replace")


@renderers.register("html")
def render_html(view: IssueView, templates: Templates) -> bytes:
    """An HTML email: one table-laid, inline-styled document, no scripts, no remote resources."""
    return templates.render("issue.html.j2", view).encode("utf-8", "replace")


@renderers.register("txt")
def render_txt(view: IssueView, templates: Templates) -> bytes:
    """Plain text wrapped for a terminal or a plain-text email part."""
    return templates.render("issue.txt.j2", view).encode("utf-8", "replace")


@renderers.register("pdf")
def render_pdf(view: IssueView, templates: Templates) -> bytes:
    """A PDF from a print-styled HTML template; WeasyPrint may read nothing but data: URLs."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for
    from weasyprint.urls import URLFetcher

    document = templates.render("issue.pdf.html.j2", view)
    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    pdf = HTML(string=document, base_url=None, url_fetcher=fetcher).write_pdf()
    if not isinstance(pdf, bytes):
        raise RenderError("WeasyPrint returned no PDF")
    return pdf


@renderers.register("json")
def render_json(view: IssueView, templates: Templates) -> bytes:
    """The issue object as given, pretty-printed in UTF-8, so it reads back unchanged."""
    text = json.dumps(view.source, ensure_ascii=False, indent=2, default=_plain)
    return (text + "\n").encode("utf-8", "replace")


def _plain(value: Any) -> Any:
    """JSON for mappings that are not dicts (json.dumps knows only dict)."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _folder(templates_dir: str | Path | None) -> str | None:
    """The override folder as a resolved path, or None when there is none."""
    if templates_dir is None or str(templates_dir) == "":
        return None
    path = Path(templates_dir).expanduser()
    if not path.is_dir():
        raise RenderError(f"templates folder {path} does not exist or is not a folder")
    return str(path.resolve())


def _autoescape(name: str | None) -> bool:
    """HTML templates (`*.html.j2`, `*.html`) escape every value; Markdown and text do not."""
    return name is not None and name.removesuffix(".j2").endswith(".html")


@lru_cache(maxsize=8)
def _environment(folder: str | None) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment per override folder; Jinja2 reloads templates that change."""
    shipped = PackageLoader("crankcall.publish", "templates")
    loader: BaseLoader = shipped
    if folder is not None:
        loader = ChoiceLoader([FileSystemLoader(folder), shipped])
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=filters.md,
        md_url=filters.md_url,
        wrap=filters.wrap,
        underline=filters.underline,
    )
    return env


__all__ = ["FORMATS", "RenderError", "Renderer", "Templates", "render", "renderers"]
