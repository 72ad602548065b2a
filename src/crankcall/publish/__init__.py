"""Publishing: the issue rendered as Markdown, an HTML email, plain text, PDF or JSON.

`render(issue, fmt)` is the one entry point; `FORMATS` lists the forms; `renderers` is the
registry an extension adds a form to. Templates ship in `templates/` and an editor's folder
(`templates_dir`) overrides them file by file.
"""

from __future__ import annotations

from crankcall.publish.issue import RenderError
from crankcall.publish.render import FORMATS, Renderer, Templates, render, renderers

__all__ = ["FORMATS", "RenderError", "Renderer", "Templates", "render", "renderers"]
