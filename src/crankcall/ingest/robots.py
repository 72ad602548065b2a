"""robots.txt, read through our own HTTP client and remembered per host for one run.

Following RFC 9309: a robots.txt that is missing (4xx) allows everything; one that cannot be
fetched (5xx, timeout, refused) disallows the host for this run, since we cannot know its rules.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from crankcall.ingest.http import HttpClient


class RobotsRules:
    """Answers "may we fetch this URL?" for one run."""

    def __init__(self, client: HttpClient, *, agent: str) -> None:
        self.client = client
        self.agent = agent
        self._by_host: dict[str, RobotFileParser | bool] = {}

    def allowed(self, url: str) -> bool:
        """True when the host's robots.txt lets our user agent fetch `url`."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        rules = self._by_host.get(key)
        if rules is None:
            rules = self._load(urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", "")))
            self._by_host[key] = rules
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self.agent, url)

    def _load(self, robots_url: str) -> RobotFileParser | bool:
        result = self.client.fetch(robots_url)
        if result.status is not None and 400 <= result.status < 500:
            return True
        if not result.ok:
            return False
        parser = RobotFileParser()
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        return parser
