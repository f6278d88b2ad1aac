"""Polite, bounded HTTP fetching for a crawler that runs unattended for weeks.

What the usual crawlers get wrong and this module insists on:

* every request has a hard deadline, not only socket timeouts, so a server that
  trickles a byte a second cannot pin a slot (``asyncio.timeout`` around each
  attempt, ``2 * timeout_seconds``);
* bodies are streamed with ``aiter_raw`` and decoded here, with a cap on the
  *decoded* size, so a 1 KB gzip/brotli bomb stops at ``max_page_bytes``
  instead of at the memory limit (httpx's own ``aiter_bytes`` decodes a whole
  network chunk at once, and one 64 KB chunk of brotli can inflate to gigabytes);
* Retry-After (seconds or HTTP date) and robots.txt Crawl-delay are obeyed, and
  they apply to the whole host, not only to the request that saw them;
* redirects are followed by hand so every hop is checked (scheme, loops,
  private addresses, robots.txt of the new host);
* conditional requests (ETag / Last-Modified) so unchanged feeds cost a 304.

Politeness is per ``scheme://host:port``: by default (``per_host = 1``) requests
to one host are serialised and separated by ``max(delay_seconds, Crawl-delay)``
measured from the end of the previous response, robots.txt fetches and retries
included. With ``per_host = N`` up to N are in flight, and their starts are still
at least that gap apart (Scrapy's download-slot rule). The global
semaphore is only held while talking to the network, so hosts that are waiting
out their delay never starve the others.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import socket
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import brotli
import httpx

from .pinning import Pins, Resolver, pinned_transport
from .robots import ROBOTS_MAX_BYTES, RobotsRules, rules_for_status
from .urls import host_key, ip_is_private, is_private_address, parse_ip_literal

__all__ = ["FetchSettings", "FetchResult", "Fetcher"]

log = logging.getLogger("exodus.fetch")
log.addHandler(logging.NullHandler())

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Attempt errors that mean the host did not answer at all (see Fetcher._note_answer).
_UNANSWERED = ("timeout", "connect error", "connection refused", "connection error")
_RETRY_AFTER_STATUSES = frozenset({429, 503})
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8"
)


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = "exodus/0.1 (+https://github.com/exodus-news/exodus)"
    delay_seconds: float = 2.0  # per-host minimum gap; the larger of it and Crawl-delay
    concurrency: int = 4  # global
    timeout_seconds: float = 20.0  # connect/read; plus a hard deadline of twice that
    max_page_bytes: int = 5_000_000  # cap on decoded bytes, enforced while streaming
    respect_robots: bool = True
    max_redirects: int = 5
    max_retries: int = 3  # transient errors: exponential backoff with full jitter
    max_retry_after: float = 300.0  # longer Retry-After -> give up instead of sleeping
    allow_private: bool = False  # redirects into private ranges only if start is private
    per_host: int = 1  # requests in flight per host; starts stay delay_seconds apart
    # Beyond the agreed interface; defaults keep the documented behaviour.
    backoff_base_seconds: float = 1.0  # first retry waits up to this, then 2x, 4x, ...
    backoff_max_seconds: float = 60.0
    max_crawl_delay: float = 120.0  # a Crawl-delay: 86400 would stall a pass for a day
    robots_ttl_seconds: float = 86400.0  # RFC 9309: do not cache longer than 24 h
    robots_error_ttl_seconds: float = 900.0  # re-ask a host whose robots.txt was 5xx
    # After this many timeouts/connection failures in a row on one host, the rest of
    # its requests in this pass (this Fetcher) fail at once instead of each waiting out
    # its timeouts and retries; the next pass tries again.
    give_up_after: int = 3


@dataclass
class FetchResult:
    url: str  # requested
    final_url: str  # after redirects
    status: int | None  # None when no HTTP response
    headers: dict[str, str]  # lower-case names
    body: bytes  # decoded from Content-Encoding, capped
    fetched_at: datetime  # UTC
    not_modified: bool = False  # 304 to a conditional request
    error: str | None = None  # short reason: "timeout", "too large", "robots", ...
    robots_blocked: bool = False
    truncated: bool = False
    attempts: int = 0  # HTTP attempts made for the last hop (retries + 1)

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.status is not None
            and 200 <= self.status < 300
            and bool(self.body)
        )


class _Decoder:
    """Incremental Content-Encoding decoder that never yields more than asked for.

    ``decode(data, limit)`` returns at most ``limit`` bytes; it returns fewer only
    when all input so far is consumed, so the caller knows a short answer means
    "send more" and a full one means "over budget, stop".
    """

    def __init__(self, encoding: str) -> None:
        self.kind = _encoding_kind(encoding)
        self._z: zlib._Decompress | None = None
        self._tail = b""
        self._br: brotli.Decompressor | None = None
        self._br_in = b""
        self._started = False
        if self.kind in ("gzip", "deflate"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 16 if self.kind == "gzip" else 15)
        elif self.kind == "br":
            self._br = brotli.Decompressor()

    def decode(self, data: bytes, limit: int) -> bytes:
        if self.kind == "identity":
            return data
        if self.kind == "done":
            return b""
        first = not self._started
        self._started = True
        try:
            if self.kind == "br":
                return self._brotli(data, limit)
            return self._zlib(data, limit)
        except (zlib.error, brotli.error):
            if not first:
                raise
            # Servers that label plain bytes as gzip, or send raw deflate for
            # "deflate": try raw deflate, then give the bytes back as they came.
            if self.kind == "deflate":
                try:
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    self.kind = "rawdeflate"
                    return self._zlib(data, limit)
                except zlib.error:
                    pass
            log.debug("content-encoding %s did not decode; using raw bytes", self.kind)
            self.kind = "identity"
            return data

    def _zlib(self, data: bytes, limit: int) -> bytes:
        assert self._z is not None
        out = bytearray()
        pending = self._tail + data
        self._tail = b""
        while len(out) < limit:
            chunk = self._z.decompress(pending, limit - len(out))
            out += chunk
            pending = self._z.unconsumed_tail
            if self._z.eof:
                rest = (self._z.unused_data + pending).lstrip(b"\x00")
                pending = b""
                if self.kind == "gzip" and rest.startswith(b"\x1f\x8b"):
                    # Multi-member gzip (concatenated streams) is legal.
                    self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)
                    pending = rest
                    continue
                # Trailing garbage after the end of the stream: ignored, as
                # browsers do; so is anything that arrives later.
                self.kind = "done"
                break
            if not pending:
                break
        self._tail = pending
        return bytes(out)

    def _brotli(self, data: bytes, limit: int) -> bytes:
        assert self._br is not None
        out = bytearray()
        self._br_in += data
        while len(out) < limit:
            if self._br.can_accept_more_data():
                if not self._br_in:
                    break
                chunk_in, self._br_in = self._br_in, b""
                chunk = self._br.process(chunk_in, output_buffer_limit=limit - len(out))
            else:
                chunk = self._br.process(b"", output_buffer_limit=limit - len(out))
                if not chunk:
                    break
            out += chunk
        return bytes(out)


def _encoding_kind(encoding: str) -> str:
    enc = (encoding or "").strip().lower()
    if enc in ("", "identity", "none"):
        return "identity"
    if enc in ("gzip", "x-gzip"):
        return "gzip"
    if enc == "deflate":
        return "deflate"
    if enc == "br":
        return "br"
    return "unsupported"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class _Host:
    slots: asyncio.Semaphore  # per_host requests in flight
    gate: asyncio.Lock = field(default_factory=asyncio.Lock)  # one start at a time
    next_ok: float = 0.0  # time.monotonic() before which no request may start
    retry_after_until: float = 0.0  # the host's own Retry-After, kept apart: it may be long


@dataclass
class _Attempt:
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None


class _TooLarge(Exception):
    pass


class Fetcher:
    """One shared httpx.AsyncClient; use as ``async with Fetcher(settings) as f:``."""

    def __init__(
        self, settings: FetchSettings, *, transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        """``resolver``: host -> IP addresses (default: the system's); tests inject one."""
        self.settings = settings
        self._transport = transport
        self._pins = Pins(resolver, settings.allow_private, settings.timeout_seconds)
        self._unanswered: dict[str, int] = {}  # host key -> timeouts/failures in a row
        self._client: httpx.AsyncClient | None = None
        self._sem = asyncio.Semaphore(max(1, settings.concurrency))
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._rng = random.Random()

    async def __aenter__(self) -> Fetcher:
        self._ensure_client()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _ensure_client(self) -> httpx.AsyncClient:
        if self._client is None:
            s = self.settings
            limits = httpx.Limits(
                max_connections=max(1, s.concurrency) * 2,
                max_keepalive_connections=max(1, s.concurrency) * 2,
            )
            self._client = httpx.AsyncClient(
                # Connections go to the addresses the private-range check saw.
                transport=self._transport or pinned_transport(self._pins, limits),
                timeout=httpx.Timeout(s.timeout_seconds),
                follow_redirects=False,
                headers={
                    "User-Agent": s.user_agent,
                    "Accept": _ACCEPT,
                    "Accept-Encoding": "gzip, deflate, br",
                },
                limits=httpx.Limits(
                    max_connections=max(1, s.concurrency) * 2,
                    max_keepalive_connections=max(1, s.concurrency) * 2,
                ),
                # Proxy/cert variables from the environment make a daemon's behaviour
                # depend on whoever started it; be explicit instead.
                trust_env=False,
                event_hooks={"response": [_hide_location]},
            )
        return self._client

    # ------------------------------------------------------------------ public

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None,
        public_only: bool = False,
    ) -> FetchResult:
        """Fetch ``url`` politely; never raises except on cancellation.

        ``public_only``: refuse (error "private address") when the host resolves to a
        loopback, private, link-local, multicast, reserved or unspecified address,
        unless ``allow_private``: for links a document pointed to, not for configured
        URLs. Redirects into such ranges are refused either way unless the start was
        private itself.
        """
        try:
            return await self._fetch(
                url, etag=etag, last_modified=last_modified, check_robots=True,
                max_bytes=self.settings.max_page_bytes, public_only=public_only,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - contract: a result, never an exception
            log.warning("internal error fetching %s: %r", url, exc, exc_info=True)
            return FetchResult(
                url, url, None, {}, b"", _now(), error=f"internal error: {type(exc).__name__}"
            )

    async def is_private_host(self, host: str) -> bool:
        """Whether ``host`` is, or resolves to, a non-public address (the answer is
        pinned: requests to it connect to the addresses checked here)."""
        return await self._is_private_host(host)

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (always True if robots are ignored)."""
        if not self.settings.respect_robots:
            return True
        try:
            rules = await self._robots_for(url)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001
            log.warning("robots check failed for %s: %r", url, exc)
            return False
        if rules is None:
            return False
        return rules.can_fetch(url, self.settings.user_agent)

    def crawl_delay(self, url: str) -> float:
        """Gap enforced between two requests to ``url``'s host."""
        return self._gap(host_key(url))

    def robots_sitemaps(self, url: str) -> list[str]:
        """``Sitemap:`` lines of the host's robots.txt, once it has been fetched."""
        rules = self._robots.get(host_key(url))
        return list(rules.sitemaps) if rules is not None else []

    # ---------------------------------------------------------------- internals

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(max(1, self.settings.per_host)))
        return host

    def _gap(self, key: str) -> float:
        s = self.settings
        rules = self._robots.get(key)
        robots_delay = rules.crawl_delay(s.user_agent) if rules is not None else 0.0
        return max(s.delay_seconds, min(robots_delay, s.max_crawl_delay))

    async def _robots_for(self, url: str) -> RobotsRules | None:
        key = host_key(url)
        if not key:
            return None
        rules = self._robots.get(key)
        if rules is not None and self._fresh(rules):
            return rules
        lock = self._robots_locks.setdefault(key, asyncio.Lock())
        async with lock:
            rules = self._robots.get(key)
            if rules is not None and self._fresh(rules):
                return rules
            parts = urlsplit(url)
            robots_url = f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2]}/robots.txt"
            res = await self._fetch(
                robots_url, etag=None, last_modified=None, check_robots=False,
                max_bytes=ROBOTS_MAX_BYTES, keep_prefix=True,
            )
            status = res.status
            if res.error and res.status is not None and res.error != "too large":
                if res.status in _REDIRECTS or res.error in ("redirect loop", "too many redirects"):
                    status = 404  # RFC 9309 2.3.1.2: unreachable after redirects = unavailable
            rules = rules_for_status(
                status, res.body, res.headers.get("content-type", ""), time.monotonic()
            )
            log.debug("robots %s: %s %s", robots_url, rules.mode, rules.reason or res.error or "")
            self._robots[key] = rules
            # The robots.txt request itself set the host's next slot before its
            # Crawl-delay was known; stretch the gap now that it is.
            host = self._host(key)
            host.next_ok = max(host.next_ok, time.monotonic() + self._gap(key))
            return rules

    def _fresh(self, rules: RobotsRules) -> bool:
        ttl = (
            self.settings.robots_error_ttl_seconds
            if rules.mode == "deny"
            else self.settings.robots_ttl_seconds
        )
        return time.monotonic() - rules.fetched_at < ttl

    async def _fetch(
        self,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
        check_robots: bool,
        max_bytes: int,
        keep_prefix: bool = False,
        public_only: bool = False,
    ) -> FetchResult:
        """``keep_prefix``: read the first ``max_bytes`` even when Content-Length
        says more (robots.txt: RFC 9309 wants the prefix parsed)."""
        s = self.settings
        current = url
        error = _check_url(current)
        if error:
            return FetchResult(url, url, None, {}, b"", _now(), error=error)
        origin_host = urlsplit(url).hostname or ""
        origin_private: bool | None = None
        if not s.allow_private:
            # Resolved (and pinned) before anything is sent, robots.txt included.
            origin_private = await self._is_private_host(origin_host)
            if public_only and origin_private:
                log.debug("refusing %s (private address)", url)
                return FetchResult(url, url, None, {}, b"", _now(), error="private address")
        seen: dict[str, int] = {}
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        hops = 0
        while True:
            skipped = self._given_up(host_key(current))
            if skipped is not None:
                return FetchResult(url, current, None, {}, b"", _now(), error=skipped)
            if check_robots and s.respect_robots and not await self.allowed(current):
                rules = self._robots.get(host_key(current))
                reason = "robots" if rules is None or rules.mode != "deny" else "robots unreachable"
                log.debug("robots disallow %s (%s)", current, reason)
                return FetchResult(
                    url, current, None, {}, b"", _now(), error=reason, robots_blocked=True
                )
            seen[current] = seen.get(current, 0) + 1
            att, attempts = await self._request_with_retries(
                current, conditional, max_bytes, keep_prefix
            )
            fetched_at = _now()
            if att.status in _REDIRECTS and att.error is None:
                location = att.headers.get("location", "").strip()
                if not location:
                    return self._result(url, current, att, fetched_at, attempts,
                                        error="redirect without location")
                nxt = _resolve_location(current, location)
                if nxt is None or urlsplit(nxt).scheme.lower() not in ("http", "https"):
                    return self._result(url, current, att, fetched_at, attempts,
                                        error="non-http redirect")
                if seen.get(nxt, 0) >= 2:
                    # One revisit is allowed: cookie-setting bounces (A -> B -> A) are
                    # common and succeed the second time because the client kept the
                    # cookie.
                    return self._result(url, current, att, fetched_at, attempts,
                                        error="redirect loop")
                if hops >= s.max_redirects:
                    return self._result(url, current, att, fetched_at, attempts,
                                        error="too many redirects")
                if not s.allow_private:
                    hop_host = urlsplit(nxt).hostname or ""
                    if await self._is_private_host(hop_host):
                        if origin_private is None:
                            origin_private = await self._is_private_host(origin_host)
                        if not origin_private:
                            log.debug("refusing redirect %s -> %s (private)", current, nxt)
                            return self._result(url, current, att, fetched_at, attempts,
                                                error="private address")
                hops += 1
                current = nxt
                continue
            if att.status == 304 and conditional and att.error is None:
                return self._result(url, current, att, fetched_at, attempts, not_modified=True)
            error = att.error
            if error is None and att.status is not None and not 200 <= att.status < 300:
                error = f"http {att.status}"
            return self._result(url, current, att, fetched_at, attempts, error=error)

    def _result(
        self,
        url: str,
        final_url: str,
        att: _Attempt,
        fetched_at: datetime,
        attempts: int,
        *,
        error: str | None = None,
        not_modified: bool = False,
    ) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=final_url,
            status=att.status,
            headers=att.headers,
            body=att.body,
            fetched_at=fetched_at,
            not_modified=not_modified,
            error=error if error is not None else att.error,
            truncated=att.truncated,
            attempts=attempts,
        )

    async def _is_private_host(self, host: str) -> bool:
        """Literal check, then DNS: a public-looking name may point at 10.0.0.5.

        Every address of the answer is checked, and the answer is pinned: the
        connection goes to one of these addresses, so a second DNS answer (rebinding)
        never matters. A name that does not resolve counts as public here; the request
        then fails on DNS, and the transport refuses private answers it finds itself.
        """
        if not host:
            return False
        literal = parse_ip_literal(host)
        if literal is not None:
            return ip_is_private(literal)
        try:
            pin = await self._pins.resolve(host)
        except OSError:
            return is_private_address(host)  # "localhost" names count as private
        return pin.private or is_private_address(host)

    def _given_up(self, key: str) -> str | None:
        """The error for a host that stopped answering in this pass, else None."""
        n = self._unanswered.get(key, 0)
        if n < max(1, self.settings.give_up_after):
            return None
        return f"host not responding ({n} timeouts or connection failures in a row)"

    def _note_answer(self, key: str, att: _Attempt) -> None:
        """Count consecutive timeouts/connection failures; any HTTP answer resets."""
        if att.status is not None:
            self._unanswered.pop(key, None)
        elif att.error is not None and att.error.startswith(_UNANSWERED):
            self._unanswered[key] = self._unanswered.get(key, 0) + 1

    async def _request_with_retries(
        self, url: str, conditional: dict[str, str], max_bytes: int, keep_prefix: bool
    ) -> tuple[_Attempt, int]:
        s = self.settings
        key = host_key(url)
        attempt_no = 0
        host = self._host(key)
        while True:
            att = await self._attempt(url, key, conditional, max_bytes, keep_prefix)
            attempt_no += 1
            self._note_answer(key, att)
            if self._given_up(key) is not None:
                att.retryable = False
            if att.retry_after is not None and att.status in _RETRY_AFTER_STATUSES:
                # Retry-After speaks for the whole host and outlives this request:
                # later fetches wait for it too, or fail fast if it is too long.
                host.retry_after_until = max(
                    host.retry_after_until, time.monotonic() + att.retry_after
                )
                if att.retry_after > s.max_retry_after:
                    att.error = f"retry-after too long ({att.retry_after:.0f}s)"
                    att.retryable = False
                    log.debug("%s: %s", url, att.error)
            if not att.retryable or attempt_no > s.max_retries:
                return att, attempt_no
            if att.retry_after is not None and att.status in _RETRY_AFTER_STATUSES:
                wait = att.retry_after
            else:
                cap = min(s.backoff_max_seconds, s.backoff_base_seconds * 2 ** (attempt_no - 1))
                wait = self._rng.uniform(0, cap)  # "full jitter"
                # The backoff applies to the host, not just this request: everyone
                # queued for it backs off too.
                host.next_ok = max(host.next_ok, time.monotonic() + wait)
            log.debug("retry %d/%d for %s in %.2fs (%s)", attempt_no, s.max_retries, url,
                      wait, att.error or att.status,
                      extra={"url": url, "attempt": attempt_no, "wait": round(wait, 3)})

    async def _attempt(
        self, url: str, key: str, conditional: dict[str, str], max_bytes: int, keep_prefix: bool
    ) -> _Attempt:
        s = self.settings
        host = self._host(key)
        async with host.slots:
            async with host.gate:
                skipped = self._given_up(key)  # it gave up while this request queued
                if skipped is not None:
                    return _Attempt(error=skipped)
                now = time.monotonic()
                if host.retry_after_until - now > s.max_retry_after:
                    return _Attempt(
                        error=f"retry-after too long ({host.retry_after_until - now:.0f}s)"
                    )
                wait = max(host.next_ok, host.retry_after_until) - now
                if wait > 0:
                    await asyncio.sleep(wait)
                started = time.monotonic()
                host.next_ok = max(host.next_ok, started + self._gap(key))
            try:
                async with self._sem:
                    try:
                        async with asyncio.timeout(s.timeout_seconds * 2):
                            att = await self._send(url, conditional, max_bytes, keep_prefix)
                    except TimeoutError:
                        # Deadline, not a socket timeout: the server is alive but
                        # trickling. Retrying would just feed it another slot.
                        att = _Attempt(error="timeout", retryable=False)
            finally:
                if s.per_host <= 1:  # one at a time: the gap runs from the response's end
                    host.next_ok = max(host.next_ok, time.monotonic() + self._gap(key))
        elapsed = time.monotonic() - started
        log.debug(
            "GET %s -> %s %s (%d bytes, %.2fs)",
            url, att.status, att.error or "", len(att.body), elapsed,
            # For JSON/structured handlers: the same facts as fields.
            extra={"url": url, "status": att.status, "error": att.error,
                   "bytes": len(att.body), "seconds": round(elapsed, 3)},
        )
        return att

    async def _send(
        self, url: str, conditional: dict[str, str], max_bytes: int, keep_prefix: bool
    ) -> _Attempt:
        client = self._ensure_client()
        try:
            request = client.build_request("GET", url, headers=conditional)
            response = await client.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException:
            return _Attempt(error="timeout", retryable=True)
        except httpx.ConnectError as exc:
            return _connect_error(exc)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol):
            return _Attempt(error="invalid url")
        except httpx.LocalProtocolError:  # e.g. a stored ETag with a newline in it
            return _Attempt(error="invalid request")
        except httpx.TransportError as exc:  # read/write/protocol errors
            return _Attempt(error=f"connection error: {type(exc).__name__}", retryable=True)
        try:
            headers = {
                ("location" if k.lower() == _LOCATION_STASH else k.lower()): v
                for k, v in response.headers.items()
            }
            att = _Attempt(status=response.status_code, headers=headers)
            if response.status_code in _RETRY_STATUSES:
                att.retryable = True
                att.retry_after = parse_retry_after(headers.get("retry-after"))
            if response.status_code in _REDIRECTS or response.status_code == 304:
                return att  # no body worth reading
            body = _Body()
            try:
                await _read_body(response, headers, max_bytes, keep_prefix, body)
            except _TooLarge:
                att.truncated = True
                att.error = "too large"
                att.retryable = False
            except _UnsupportedEncoding as exc:
                att.error = f"unsupported content-encoding: {exc}"
                att.retryable = False
            except (zlib.error, brotli.error):
                att.error = "decode error"
                att.retryable = False
            except httpx.TimeoutException:
                att.error, att.retryable = "timeout", True
            except httpx.TransportError as exc:
                att.error = f"connection error: {type(exc).__name__}"
                att.retryable = True
            except httpx.StreamError as exc:
                att.error = f"stream error: {type(exc).__name__}"
            # Whatever arrived before a failure is kept: a cut-off article is
            # still evidence, and the error says it is incomplete.
            att.body = bytes(body.data[:max_bytes])
            att.truncated = att.truncated or body.truncated
            if att.truncated and att.error is None:
                att.error = "too large"
                att.retryable = False
            return att
        finally:
            await response.aclose()


class _UnsupportedEncoding(Exception):
    pass


@dataclass
class _Body:
    data: bytearray = field(default_factory=bytearray)
    truncated: bool = False


async def _read_body(
    response: httpx.Response,
    headers: dict[str, str],
    max_bytes: int,
    keep_prefix: bool,
    body: _Body,
) -> None:
    """Stream, decode and cap into ``body`` (filled in place, so a failure part
    way through leaves what did arrive).

    Raw bytes are read with ``aiter_raw`` and decoded here so the cap applies to
    decoded bytes *while* decoding: no single network chunk can inflate past it.
    """
    length = headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > max_bytes and not keep_prefix:
        raise _TooLarge()
    encoding = headers.get("content-encoding", "")
    if "," in encoding:
        parts = [p.strip() for p in encoding.split(",") if p.strip().lower() != "identity"]
        if len(parts) > 1:
            raise _UnsupportedEncoding(encoding)
        encoding = parts[0] if parts else ""
    decoder = _Decoder(encoding)
    if decoder.kind == "unsupported":
        raise _UnsupportedEncoding(encoding)
    out = body.data
    raw_total = 0
    # Compressed input can be somewhat larger than its output; allow slack.
    raw_cap = max_bytes + 64 * 1024
    if response.is_stream_consumed:
        # Transports that hand over a finished response (httpx.MockTransport in
        # tests): the body is already in memory and already decoded by httpx.
        content = response.content
        out += content[: max_bytes + 1]
        body.truncated = len(content) > max_bytes
        return
    # No chunk_size: httpx would buffer up to it, and a dropped connection would
    # then lose the bytes that did arrive.
    async for chunk in response.aiter_raw():
        raw_total += len(chunk)
        out += decoder.decode(chunk, max_bytes - len(out) + 1)
        if len(out) > max_bytes or raw_total > raw_cap:
            body.truncated = True
            return


_LOCATION_STASH = "x-exodus-location"


async def _hide_location(response: httpx.Response) -> None:
    """Move Location out of httpx's sight.

    Even with follow_redirects=False, httpx builds the next request from
    Location and raises on ``javascript:``/``file:``/malformed targets, losing
    the response. We judge every hop ourselves, so it need not look.
    """
    if "location" in response.headers:
        response.headers[_LOCATION_STASH] = response.headers["location"]
        del response.headers["location"]


def _connect_error(exc: httpx.ConnectError) -> _Attempt:
    # The useful cause (refused, DNS, TLS) sits a few links down the chain.
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 8:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return _Attempt(error="connection refused", retryable=True)
    if any(isinstance(e, socket.gaierror) for e in chain):
        text = " ".join(str(e) for e in chain).lower()
        temporary = "temporary" in text or "try again" in text
        return _Attempt(error="dns error", retryable=temporary)
    text = " ".join(str(e) for e in chain).lower()
    if "name or service not known" in text or "nodename nor servname" in text:
        return _Attempt(error="dns error")
    if "certificate" in text or "ssl" in text:
        return _Attempt(error="tls error")
    if "refused" in text:
        return _Attempt(error="connection refused", retryable=True)
    return _Attempt(error="connect error", retryable=True)


def _check_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except (ValueError, TypeError, AttributeError):
        return "invalid url"
    if parts.scheme.lower() not in ("http", "https"):
        return "unsupported scheme"
    try:
        if not parts.hostname:
            return "invalid url"
        _ = parts.port
    except ValueError:
        return "invalid url"
    return None


def _resolve_location(current: str, location: str) -> str | None:
    # httpx decodes header bytes as latin-1; servers that put raw UTF-8 in
    # Location (common) would otherwise be followed to a mojibake URL.
    try:
        location = location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    try:
        nxt = urljoin(current, location)
    except ValueError:
        return None
    if _check_url(nxt) not in (None, "unsupported scheme"):
        return None
    return nxt.split("#", 1)[0]


def _now() -> datetime:
    return datetime.now(UTC)
