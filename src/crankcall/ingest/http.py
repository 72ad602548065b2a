"""The one HTTP client crankcall fetches everything with: polite, bounded and guarded.

- Timeouts: to connect and between bytes (`http_timeout`), and for the whole response
  (`http_total_timeout`), so a server that drips one byte a second is cut off.
- Politeness: at least `http_min_interval` seconds between two requests to one host, one
  connection per host, a User-Agent from the settings.
- Conditional GET: an ETag or Last-Modified from the last fetch is sent back; 304 means unchanged.
- Retry-After on 429 and 503 (seconds or an HTTP date), with backoff, within `http_max_retries`
  and `http_max_retry_after`.
- Redirects followed by hand, each hop checked, at most `http_max_redirects`; loops are named.
- A body limit (`http_max_bytes`) enforced while streaming, after gzip/deflate decompression, so
  neither an endless body nor a compression bomb is ever held in memory.
- An address guard at connect time: hosts that resolve to private, loopback, link-local, multicast
  or reserved addresses are refused unless the settings allow them; the connection goes to the
  address that was checked, so a second DNS answer cannot slip past.

Failures come back as a `FetchResult` with a `diagnosis` (timeout, not_found, gone, anti_bot,
too_large, redirect_loop, refused_address, ...), never as an exception from `fetch`.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from crankcall.settings import Settings

log = logging.getLogger(__name__)

_ANTI_BOT_MARKERS = (
    b"captcha",
    b"cf-challenge",
    b"challenge-platform",
    b"access denied",
    b"are you a robot",
)


@dataclass(kw_only=True)
class FetchResult:
    """What one fetch gave: the body and validators, or a diagnosis of what went wrong."""

    url: str
    final_url: str
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    diagnosis: str | None = None
    detail: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when a body (or a 304) came back."""
        return self.diagnosis is None


class RefusedAddress(httpcore.ConnectError):
    """The host resolves only to addresses the settings do not allow."""


def address_allowed(address: str, *, allow_private: bool, allow_loopback: bool) -> bool:
    """Whether the settings allow connecting to `address` (an IP literal)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    if ip.is_unspecified or ip.is_multicast:
        return False
    if ip.is_private or ip.is_link_local or ip.is_reserved or not ip.is_global:
        return allow_private
    return True


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself, checks every address, and connects to an allowed one."""

    def __init__(self, *, allow_private: bool, allow_loopback: bool) -> None:
        self.allow_private = allow_private
        self.allow_loopback = allow_loopback

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as e:
            raise httpcore.ConnectError(f"cannot resolve {host}: {e.strerror}") from e
        addresses = [str(info[4][0]) for info in infos]
        allowed = [
            a
            for a in addresses
            if address_allowed(
                a, allow_private=self.allow_private, allow_loopback=self.allow_loopback
            )
        ]
        if not allowed:
            raise RefusedAddress(
                f"{host} resolves to {', '.join(sorted(set(addresses)))}, not allowed"
            )
        return super().connect_tcp(allowed[0], port, timeout, local_address, socket_options)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, *, allow_private: bool, allow_loopback: bool) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(),
            max_connections=1,  # one connection at a time, so never two to one host
            network_backend=_GuardedBackend(
                allow_private=allow_private, allow_loopback=allow_loopback
            ),
        )


class HttpClient:
    """Fetch URLs under the settings' limits. Use as a context manager or call `close()`."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._client = httpx.Client(
            transport=_GuardedTransport(
                allow_private=settings.http_allow_private,
                allow_loopback=settings.http_allow_loopback,
            ),
            timeout=httpx.Timeout(settings.http_timeout),
            headers={"User-Agent": settings.http_user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection."""
        self._client.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url`, following redirects and retrying 429/503 as the settings allow."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, seen = url, [url]
        retries = 0
        while True:
            result = self._fetch_once(url, current, headers)
            if result.status in (301, 302, 303, 307, 308) and result.diagnosis is None:
                target = result.headers.get("location")
                if not target:
                    return _fail(result, "http_error", "redirect without a Location")
                current = urljoin(current, target)
                if current in seen:
                    return _fail(result, "redirect_loop", f"redirect loop back to {current}")
                seen.append(current)
                if len(seen) > self.settings.http_max_redirects + 1:
                    return _fail(
                        result,
                        "redirect_loop",
                        f"more than {self.settings.http_max_redirects} redirects",
                    )
                continue
            if result.status in (429, 503) and retries < self.settings.http_max_retries:
                wait = _retry_after(result.headers.get("retry-after"), attempt=retries)
                if wait <= self.settings.http_max_retry_after:
                    retries += 1
                    log.info("%s: %s, retrying in %.1f s", current, result.status, wait)
                    self._sleep(wait)
                    continue
            return result

    def _polite_wait(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            wait = self.settings.http_min_interval - (self._clock() - last)
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def _fetch_once(self, url: str, current: str, headers: dict[str, str]) -> FetchResult:
        result = FetchResult(url=url, final_url=current)
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return _fail(result, "bad_url", f"not an http(s) URL: {current[:100]}")
        self._polite_wait(parts.hostname.lower())
        started = self._clock()
        try:
            with self._client.stream("GET", current, headers=headers) as response:
                result.status = response.status_code
                result.headers = {k.lower(): v for k, v in response.headers.items()}
                result.content_type = response.headers.get("content-type")
                result.etag = response.headers.get("etag")
                result.last_modified = response.headers.get("last-modified")
                if response.status_code == 304:
                    result.not_modified = True
                    return result
                if response.is_redirect:
                    return result
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.settings.http_max_bytes:
                    return _fail(result, "too_large", f"declares {declared} bytes")
                result.body = self._read(response, started)
        except _TooLargeError:
            return _fail(result, "too_large", f"body over {self.settings.http_max_bytes} bytes")
        except _TooSlowError:
            return _fail(
                result, "timeout", f"took over {self.settings.http_total_timeout:.0f} s in all"
            )
        except RefusedAddress as e:
            return _fail(result, "refused_address", str(e))
        except httpx.TimeoutException as e:
            return _fail(result, "timeout", type(e).__name__)
        except httpx.DecodingError as e:
            return _fail(result, "bad_encoding", f"cannot decompress: {e}")
        except httpx.HTTPError as e:
            cause = e.__context__
            if isinstance(cause, RefusedAddress):
                return _fail(result, "refused_address", str(cause))
            return _fail(result, "connection", f"{type(e).__name__}: {e}")
        return _diagnose(result)

    def _read(self, response: httpx.Response, started: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.settings.http_max_bytes:
                raise _TooLargeError
            if self._clock() - started > self.settings.http_total_timeout:
                raise _TooSlowError
            chunks.append(chunk)
        return b"".join(chunks)


class _TooLargeError(Exception):
    pass


class _TooSlowError(Exception):
    pass


def _fail(result: FetchResult, diagnosis: str, detail: str) -> FetchResult:
    result.diagnosis, result.detail = diagnosis, detail
    result.body = b""
    return result


def _diagnose(result: FetchResult) -> FetchResult:
    status = result.status or 0
    if 200 <= status < 300:
        return result
    head = result.body[:4000].lower()
    if status == 404:
        return _fail(result, "not_found", "404 Not Found")
    if status == 410:
        return _fail(result, "gone", "410 Gone")
    if status in (401, 403, 429, 503) and (
        status == 429
        or any(marker in head for marker in _ANTI_BOT_MARKERS)
        or "cf-ray" in result.headers
    ):
        return _fail(result, "anti_bot", f"{status}: blocked as a bot or rate-limited")
    if status in (401, 403):
        return _fail(result, "forbidden", f"{status}")
    return _fail(result, "http_error", f"HTTP {status}")


def _retry_after(value: str | None, *, attempt: int) -> float:
    """Seconds to wait: the Retry-After (seconds or an HTTP date), else exponential backoff."""
    backoff = float(2**attempt)
    if not value:
        return backoff
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return backoff
    return max(0.0, when.timestamp() - time.time())
