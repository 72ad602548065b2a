"""The HTTP client against a real server on 127.0.0.1: politeness, validators, limits, guard."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest

import webserver
from crankcall.ingest.http import FetchResult, HttpClient, address_allowed
from crankcall.settings import Settings, load_settings


def _settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "http_allow_loopback": True,
        "http_min_interval": 0.0,
        "http_timeout": 2.0,
        "http_total_timeout": 3.0,
        "http_max_bytes": 100_000,
        "http_max_retry_after": 5.0,
    }
    values.update(overrides)
    return load_settings(environ={}, config_file=None, overrides=values)


@pytest.fixture
def server(web_server: webserver.FixtureServer) -> Iterator[webserver.FixtureServer]:
    web_server.routes.clear()
    web_server.requests.clear()
    yield web_server


def _fetch(url: str, settings: Settings | None = None, **kwargs: str) -> FetchResult:
    with HttpClient(settings or _settings(), sleep=lambda s: None) as client:
        return client.fetch(url, **kwargs)


def test_conditional_get_sends_validators_and_reads_304(server: webserver.FixtureServer) -> None:
    def feed(handler: webserver.Handler) -> tuple[int, dict[str, str], bytes]:
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Wed, 19 Jun 2024 08:00:00 GMT"}, b"<rss/>"

    server.routes["/feed"] = feed
    first = _fetch(server.base + "/feed")
    assert first.ok and first.body == b"<rss/>" and first.etag == '"v1"'
    second = _fetch(
        server.base + "/feed", etag=first.etag or "", last_modified=first.last_modified or ""
    )
    assert second.ok and second.not_modified and second.body == b""
    sent = server.requests[-1][1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"].startswith(
        "Wed, 19 Jun 2024"
    )
    assert sent["User-Agent"].startswith("crankcall/")


def test_429_with_retry_after_is_retried(server: webserver.FixtureServer) -> None:
    calls = []

    def limited(handler: webserver.Handler) -> tuple[int, dict[str, str], bytes]:
        calls.append(1)
        if len(calls) == 1:
            return 429, {"Retry-After": "2"}, b"slow down"
        return 200, {}, b"ok"

    server.routes["/limited"] = limited
    waits: list[float] = []
    with HttpClient(_settings(), sleep=waits.append) as client:
        result = client.fetch(server.base + "/limited")
    assert result.ok and result.body == b"ok"
    assert waits == [2.0]


def test_persistent_429_is_diagnosed_as_anti_bot(server: webserver.FixtureServer) -> None:
    server.routes["/blocked"] = lambda h: (429, {"Retry-After": "1"}, b"no")
    result = _fetch(server.base + "/blocked", _settings(http_max_retries=1))
    assert result.diagnosis == "anti_bot"


@pytest.mark.parametrize(
    ("status", "body", "diagnosis"),
    [
        (404, b"", "not_found"),
        (410, b"", "gone"),
        (403, b"<html>Please complete the CAPTCHA</html>", "anti_bot"),
        (403, b"forbidden", "forbidden"),
        (500, b"", "http_error"),
    ],
)
def test_errors_are_diagnosed(
    server: webserver.FixtureServer, status: int, body: bytes, diagnosis: str
) -> None:
    server.routes["/err"] = lambda h: (status, {}, body)
    assert _fetch(server.base + "/err").diagnosis == diagnosis


def test_redirects_are_followed_and_loops_named(server: webserver.FixtureServer) -> None:
    server.routes["/a"] = lambda h: (301, {"Location": "/b"}, b"")
    server.routes["/b"] = lambda h: (200, {}, b"landed")
    result = _fetch(server.base + "/a")
    assert result.ok and result.body == b"landed" and result.final_url.endswith("/b")
    server.routes["/x"] = lambda h: (302, {"Location": "/y"}, b"")
    server.routes["/y"] = lambda h: (302, {"Location": "/x"}, b"")
    assert _fetch(server.base + "/x").diagnosis == "redirect_loop"


def test_too_many_redirects(server: webserver.FixtureServer) -> None:
    for n in range(10):
        server.routes[f"/r{n}"] = lambda h, n=n: (302, {"Location": f"/r{n + 1}"}, b"")
    assert _fetch(server.base + "/r0", _settings(http_max_redirects=3)).diagnosis == "redirect_loop"


def test_endless_body_is_cut_at_the_limit(server: webserver.FixtureServer) -> None:
    server.routes["/endless"] = lambda h: (200, {}, webserver.endless())
    result = _fetch(server.base + "/endless")
    assert result.diagnosis == "too_large" and result.body == b""


def test_declared_oversized_body_is_refused(server: webserver.FixtureServer) -> None:
    server.routes["/big"] = lambda h: (200, {}, b"x" * 200_000)
    assert _fetch(server.base + "/big").diagnosis == "too_large"


def test_gzip_bomb_is_cut_while_decompressing(server: webserver.FixtureServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)
    assert len(bomb) < 100_000
    server.routes["/bomb"] = lambda h: (200, {"Content-Encoding": "gzip"}, bomb)
    assert _fetch(server.base + "/bomb").diagnosis == "too_large"


def test_gzip_body_is_decompressed(server: webserver.FixtureServer) -> None:
    server.routes["/gz"] = lambda h: (200, {"Content-Encoding": "gzip"}, gzip.compress(b"hello"))
    assert _fetch(server.base + "/gz").body == b"hello"


def test_slow_drip_hits_the_total_timeout(server: webserver.FixtureServer) -> None:
    server.routes["/drip"] = lambda h: (200, {}, webserver.drip(40, 0.1))
    result = _fetch(server.base + "/drip", _settings(http_total_timeout=1.0))
    assert result.diagnosis == "timeout"


def test_loopback_is_refused_unless_allowed(server: webserver.FixtureServer) -> None:
    server.routes["/ok"] = lambda h: (200, {}, b"ok")
    refused = _fetch(server.base + "/ok", _settings(http_allow_loopback=False))
    assert refused.diagnosis == "refused_address" and "127.0.0.1" in refused.detail
    assert not [p for p, _ in server.requests if p == "/ok"]
    by_name = _fetch(
        server.base.replace("127.0.0.1", "localhost") + "/ok", _settings(http_allow_loopback=False)
    )
    assert by_name.diagnosis == "refused_address"


def test_redirect_to_a_refused_address_is_stopped(server: webserver.FixtureServer) -> None:
    server.routes["/hop"] = lambda h: (302, {"Location": "http://10.1.2.3/secret"}, b"")
    result = _fetch(server.base + "/hop")
    assert result.diagnosis == "refused_address"


def test_politeness_waits_between_requests_to_one_host(server: webserver.FixtureServer) -> None:
    server.routes["/p"] = lambda h: (200, {}, b"ok")
    now = [100.0]
    waits: list[float] = []
    with HttpClient(
        _settings(http_min_interval=2.0), clock=lambda: now[0], sleep=waits.append
    ) as client:
        client.fetch(server.base + "/p")
        now[0] += 0.5
        client.fetch(server.base + "/p")
    assert waits == [1.5]


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("2606:4700:4700::1111", True),
    ],
)
def test_address_guard(address: str, allowed: bool) -> None:
    assert address_allowed(address, allow_private=False, allow_loopback=False) is allowed


def test_not_a_web_url() -> None:
    assert _fetch("file:///etc/passwd").diagnosis == "bad_url"
