"""The editor's desk: a web app to review stories, edit, approve and publish the issue, with a
public archive and a JSON API. `create_app(settings)` builds it."""

from __future__ import annotations

from crankcall.web.app import create_app

__all__ = ["create_app"]
