"""Fetcher against real HTTP servers on 127.0.0.1.

pytest-httpserver covers well-behaved servers; a small threaded raw-socket
server covers the misbehaving ones (lying Content-Length, trickling, stalling,
compression bombs) that a framework would not let us write.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import brotli
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from crawler.fetch import Fetcher, FetchResult, FetchSettings, parse_retry_after
from crawler.robots import RobotsRules, product_token

FAST = FetchSettings(
    delay_seconds=0.05,
    timeout_seconds=1.0,
    max_retries=0,
    backoff_base_seconds=0.05,
    backoff_max_seconds=0.2,
)


def fast(**kw) -> FetchSettings:
    from dataclasses import replace

    return replace(FAST, **kw)


def run(coro):
    return asyncio.run(coro)


async def fetch_one(settings: FetchSettings, url: str, **kw) -> FetchResult:
    async with Fetcher(settings) as f:
        return await f.fetch(url, **kw)


@pytest.fixture(scope="module")
def _shared_server():
    # One server per module: stopping werkzeug costs ~0.5 s each time.
    srv = HTTPServer(host="127.0.0.1")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def server(_shared_server):
    _shared_server.clear()
    yield _shared_server
    _shared_server.clear()


def no_robots(srv: HTTPServer) -> None:
    srv.expect_request("/robots.txt").respond_with_data("", status=404)


# --------------------------------------------------------------- raw server

Handler = Callable[[socket.socket, bytes, "RawServer"], None]


class RawServer:
    """Threaded TCP server; ``handler(sock, request_head, server)`` writes bytes."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.stop_event = threading.Event()
        self.requests: list[tuple[float, bytes]] = []
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()
        outer = self

        class _H(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                sock.settimeout(5)
                head = b""
                try:
                    while b"\r\n\r\n" not in head:
                        chunk = sock.recv(4096)
                        if not chunk:
                            return
                        head += chunk
                except OSError:
                    return
                with outer.lock:
                    outer.requests.append((time.monotonic(), head))
                    outer.active += 1
                    outer.max_active = max(outer.max_active, outer.active)
                try:
                    outer.handler(sock, head, outer)
                except OSError:
                    pass
                finally:
                    with outer.lock:
                        outer.active -= 1

        class _S(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = _S(("127.0.0.1", 0), _H)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [h.split(b" ", 2)[1].decode() for _, h in self.requests]


@pytest.fixture
def raw():
    servers: list[RawServer] = []

    def make(handler: Handler) -> RawServer:
        srv = RawServer(handler)
        servers.append(srv)
        return srv

    yield make
    for srv in servers:
        srv.close()


def path_of(head: bytes) -> str:
    return head.split(b" ", 2)[1].decode()


def robots_404(sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


# ------------------------------------------------------------------- basics


def test_ok_fetch_sends_user_agent_everywhere_and_lowercases_headers(server):
    seen_agents: list[str] = []

    def robots(req: Request) -> Response:
        seen_agents.append(req.headers.get("User-Agent", ""))
        return Response("User-agent: *\nAllow: /\n")

    def page(req: Request) -> Response:
        seen_agents.append(req.headers.get("User-Agent", ""))
        return Response("<html>hi</html>", headers={"ETag": '"v1"', "X-Thing": "A"})

    server.expect_request("/robots.txt").respond_with_handler(robots)
    server.expect_request("/page").respond_with_handler(page)
    res = run(fetch_one(fast(user_agent="exodus-test/9 (+x)"), server.url_for("/page")))
    assert res.ok
    assert res.status == 200
    assert res.body == b"<html>hi</html>"
    assert res.headers["etag"] == '"v1"'
    assert res.headers["x-thing"] == "A"
    assert res.fetched_at.tzinfo is not None
    assert seen_agents == ["exodus-test/9 (+x)", "exodus-test/9 (+x)"]


def test_conditional_request_gives_not_modified(server):
    no_robots(server)

    def handler(req: Request) -> Response:
        if req.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        if req.headers.get("If-Modified-Since") == "Mon, 01 Jan 2024 00:00:00 GMT":
            return Response(status=304)
        return Response("<rss/>", headers={"ETag": '"v1"'})

    server.expect_request("/feed").respond_with_handler(handler)

    async def go():
        async with Fetcher(fast()) as f:
            first = await f.fetch(server.url_for("/feed"))
            by_etag = await f.fetch(server.url_for("/feed"), etag=first.headers["etag"])
            by_date = await f.fetch(
                server.url_for("/feed"), last_modified="Mon, 01 Jan 2024 00:00:00 GMT"
            )
            return first, by_etag, by_date

    first, by_etag, by_date = run(go())
    assert first.ok and not first.not_modified
    for res in (by_etag, by_date):
        assert res.not_modified
        assert res.status == 304
        assert res.error is None
        assert res.body == b""
        assert not res.ok


def test_http_error_status_is_reported_not_raised(server):
    no_robots(server)
    server.expect_request("/gone").respond_with_data("nope", status=404)
    res = run(fetch_one(fast(), server.url_for("/gone")))
    assert res.status == 404
    assert res.error == "http 404"
    assert not res.ok


def test_bad_urls_never_raise():
    async def go():
        async with Fetcher(fast()) as f:
            return [await f.fetch(u) for u in ("ftp://x/y", "not a url", "http://", "")]

    results = run(go())
    assert [r.error for r in results] == [
        "unsupported scheme",
        "unsupported scheme",
        "invalid url",
        "unsupported scheme",
    ]
    assert all(r.status is None for r in results)


# ------------------------------------------------------------- Retry-After


def test_retry_after_on_429_is_honoured(server):
    no_robots(server)
    times: list[float] = []

    def handler(req: Request) -> Response:
        times.append(time.monotonic())
        if len(times) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response("fine")

    server.expect_request("/p").respond_with_handler(handler)
    res = run(fetch_one(fast(max_retries=2), server.url_for("/p")))
    assert res.ok and res.body == b"fine"
    assert res.attempts == 2
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95


def test_retry_after_http_date_on_503(server):
    no_robots(server)
    times: list[float] = []

    def handler(req: Request) -> Response:
        times.append(time.monotonic())
        if len(times) == 1:
            when = datetime.now(UTC) + timedelta(seconds=2)
            return Response(status=503, headers={"Retry-After": format_datetime(when, True)})
        return Response("back")

    server.expect_request("/p").respond_with_handler(handler)
    res = run(fetch_one(fast(max_retries=1), server.url_for("/p")))
    assert res.ok
    # HTTP dates have one-second resolution: at least ~1 s must have passed.
    assert times[1] - times[0] >= 0.9


def test_retry_after_beyond_limit_gives_up_without_sleeping(server):
    no_robots(server)
    server.expect_request("/p").respond_with_data(
        "later", status=429, headers={"Retry-After": "3600"}
    )
    started = time.monotonic()
    res = run(fetch_one(fast(max_retries=3, max_retry_after=5), server.url_for("/p")))
    assert time.monotonic() - started < 3.0  # a capped sleep alone would be 5 s
    assert res.status == 429
    assert res.error is not None and res.error.startswith("retry-after too long")
    assert len(server.log) == 2  # robots + one attempt


def test_parse_retry_after_forms():
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after(" 0 ") == 0
    assert parse_retry_after("-5") == 0
    assert parse_retry_after("Mon, 01 Jan 2024 00:01:00 GMT", now) == 60
    assert parse_retry_after("Sun, 31 Dec 2023 00:00:00 GMT", now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# -------------------------------------------------------------------- retries


def test_transient_500_retried_with_backoff_then_succeeds(server):
    no_robots(server)
    times: list[float] = []

    def handler(req: Request) -> Response:
        times.append(time.monotonic())
        return Response("boom", status=500) if len(times) < 3 else Response("ok")

    server.expect_request("/p").respond_with_handler(handler)
    res = run(fetch_one(fast(max_retries=3, delay_seconds=0.15), server.url_for("/p")))
    assert res.ok
    assert res.attempts == 3
    assert len(times) == 3
    # Retries queue behind the host's politeness gap like any request.
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.14


def test_persistent_502_gives_up_after_max_retries(server):
    no_robots(server)
    server.expect_request("/p").respond_with_data("bad gateway", status=502)
    res = run(fetch_one(fast(max_retries=2), server.url_for("/p")))
    assert res.status == 502
    assert res.error == "http 502"
    assert res.attempts == 3
    assert sum(1 for req, _ in server.log if req.path == "/p") == 3


def test_404_is_not_retried(server):
    no_robots(server)
    server.expect_request("/p").respond_with_data("x", status=404)
    res = run(fetch_one(fast(max_retries=3), server.url_for("/p")))
    assert res.attempts == 1
    assert sum(1 for req, _ in server.log if req.path == "/p") == 1


def test_connection_refused_is_retried_and_reported():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    settings = fast(respect_robots=False, max_retries=2, backoff_base_seconds=0.1)
    started = time.monotonic()
    res = run(fetch_one(settings, f"http://127.0.0.1:{port}/"))
    elapsed = time.monotonic() - started
    assert res.status is None
    assert res.error == "connection refused"
    assert res.attempts == 3
    # Two politeness gaps of 0.05 s at least separate the three attempts.
    assert elapsed >= 0.1
    assert elapsed < 3


# --------------------------------------------------------------------- robots


def test_robots_disallow_and_crawl_delay_gap(server):
    times: list[float] = []
    robots_at: list[float] = []

    def robots(req: Request) -> Response:
        robots_at.append(time.monotonic())
        return Response("User-agent: *\nDisallow: /private\nCrawl-delay: 0.3\n")

    server.expect_request("/robots.txt").respond_with_handler(robots)

    def page(req: Request) -> Response:
        times.append(time.monotonic())
        return Response("ok")

    server.expect_request("/private/x").respond_with_data("secret")
    for p in ("/a", "/b", "/c"):
        server.expect_request(p).respond_with_handler(page)

    async def go():
        async with Fetcher(fast(delay_seconds=0.05)) as f:
            blocked = await f.fetch(server.url_for("/private/x"))
            urls = [server.url_for(p) for p in ("/a", "/b", "/c")]
            results = await asyncio.gather(*(f.fetch(u) for u in urls))
            assert await f.allowed(server.url_for("/public")) is True
            assert await f.allowed(server.url_for("/private/y")) is False
            return blocked, results, f.crawl_delay(server.url_for("/a"))

    blocked, results, delay = run(go())
    assert blocked.robots_blocked and blocked.error == "robots" and blocked.status is None
    assert all(r.ok for r in results)
    assert delay == pytest.approx(0.3)
    gaps = [b - a for a, b in zip(robots_at + times, times, strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.28  # the robots.txt request counts too
    paths = [req.path for req, _ in server.log]
    assert paths.count("/robots.txt") == 1  # once per host per Fetcher
    assert "/private/x" not in paths


def test_robots_matches_our_product_token_only(server):
    server.expect_request("/robots.txt").respond_with_data(
        "User-agent: github\nDisallow: /\n\nUser-agent: exodus\nDisallow: /nope\n"
        "Sitemap: https://news.example.com/sitemap.xml\n"
    )
    server.expect_request("/yes").respond_with_data("ok")

    async def go():
        async with Fetcher(fast()) as f:
            return (
                await f.allowed(server.url_for("/yes")),
                await f.allowed(server.url_for("/nope/1")),
                f.robots_sitemaps(server.url_for("/")),
            )

    assert run(go()) == (True, False, ["https://news.example.com/sitemap.xml"])
    assert product_token("exodus/0.1 (+https://github.com/exodus-news/exodus)") == "exodus"


@pytest.mark.parametrize(
    ("status", "body", "ctype", "expected"),
    [
        (404, "", "text/plain", True),  # unavailable -> allow all
        (403, "", "text/plain", True),
        (500, "", "text/plain", False),  # unreachable -> disallow all
        (503, "", "text/plain", False),
        (429, "", "text/plain", False),
        (200, "<!DOCTYPE html><html><body>Home</body></html>", "text/html", True),
        (200, "User-agent: *\nDisallow: /\n", "text/plain", False),
    ],
)
def test_robots_status_policy(server, status, body, ctype, expected):
    server.expect_request("/robots.txt").respond_with_data(body, status=status, content_type=ctype)

    async def go():
        async with Fetcher(fast()) as f:
            return await f.allowed(server.url_for("/article"))

    assert run(go()) is expected


def test_robots_unreachable_blocks_with_reason(server):
    server.expect_request("/robots.txt").respond_with_data("", status=500)
    server.expect_request("/a").respond_with_data("ok")
    res = run(fetch_one(fast(), server.url_for("/a")))
    assert res.robots_blocked
    assert res.error == "robots unreachable"
    assert [req.path for req, _ in server.log] == ["/robots.txt"]


def test_huge_robots_is_capped_and_still_parsed(server):
    body = "User-agent: *\nDisallow: /secret\n" + ("# filler line\n" * 80_000)  # ~1.1 MB
    server.expect_request("/robots.txt").respond_with_data(body)

    async def go():
        async with Fetcher(fast()) as f:
            return await f.allowed(server.url_for("/secret/1")), await f.allowed(
                server.url_for("/open")
            )

    assert run(go()) == (False, True)


def test_robots_ignored_when_disabled(server):
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /\n")
    server.expect_request("/a").respond_with_data("ok")
    res = run(fetch_one(fast(respect_robots=False), server.url_for("/a")))
    assert res.ok
    assert [req.path for req, _ in server.log] == ["/a"]


def test_robots_rules_request_rate_and_bad_delay():
    rules = RobotsRules.parse(b"User-agent: *\nRequest-rate: 1/5\n")
    assert rules.crawl_delay("exodus/1") == pytest.approx(5)
    rules = RobotsRules.parse(b"User-agent: *\nCrawl-delay: banana\n")
    assert rules.crawl_delay("exodus/1") == 0


# ------------------------------------------------------------- politeness


def test_same_host_requests_are_serialised_with_gap(server):
    no_robots(server)
    times: list[float] = []

    def page(req: Request) -> Response:
        times.append(time.monotonic())
        return Response("ok")

    server.expect_request("/p").respond_with_handler(page)

    async def go():
        async with Fetcher(fast(delay_seconds=0.2, concurrency=4)) as f:
            return await asyncio.gather(*(f.fetch(server.url_for("/p")) for _ in range(4)))

    results = run(go())
    assert all(r.ok for r in results)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.19


def test_global_concurrency_limit(raw):
    def slow(sock: socket.socket, head: bytes, srv: RawServer) -> None:
        if path_of(head) == "/robots.txt":
            robots_404(sock)
            return
        time.sleep(0.3)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    # Four hosts (distinct ports), one counter shared through a common handler.
    shared = {"active": 0, "max": 0}
    lock = threading.Lock()

    def counting(sock: socket.socket, head: bytes, srv: RawServer) -> None:
        if path_of(head) == "/robots.txt":
            robots_404(sock)
            return
        with lock:
            shared["active"] += 1
            shared["max"] = max(shared["max"], shared["active"])
        try:
            slow(sock, head, srv)
        finally:
            with lock:
                shared["active"] -= 1

    servers = [raw(counting) for _ in range(4)]

    async def go():
        async with Fetcher(fast(concurrency=2)) as f:
            return await asyncio.gather(*(f.fetch(s.url("/x")) for s in servers))

    results = run(go())
    assert all(r.ok for r in results)
    assert shared["max"] == 2


# --------------------------------------------------------------- size caps


def test_huge_content_length_refused_without_reading(raw):
    def liar(sock: socket.socket, head: bytes, srv: RawServer) -> None:
        if path_of(head) == "/robots.txt":
            robots_404(sock)
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\nabc")
        srv.stop_event.wait(10)  # would stall forever if we tried to read

    srv = raw(liar)
    started = time.monotonic()
    res = run(fetch_one(fast(max_page_bytes=10_000, timeout_seconds=2), srv.url("/big")))
    assert time.monotonic() - started < 1.5  # reading would run into the 2 s deadline
    assert res.error == "too large"
    assert res.truncated
    assert res.body == b""
    assert res.status == 200


def chunked(payload: bytes, size: int = 8192) -> bytes:
    out = bytearray()
    for i in range(0, len(payload), size):
        piece = payload[i : i + size]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return bytes(out + b"0\r\n\r\n")


def bomb_server(raw, encoding: bytes, payload: bytes) -> RawServer:
    def handler(sock: socket.socket, head: bytes, srv: RawServer) -> None:
        if path_of(head) == "/robots.txt":
            robots_404(sock)
            return
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: "
            + encoding
            + b"\r\nConnection: close\r\n\r\n"
            + chunked(payload)
        )

    return raw(handler)


def test_gzip_bomb_stops_at_cap(raw):
    bomb = gzip.compress(b"\0" * 30_000_000, compresslevel=9)  # ~30 KB on the wire
    assert len(bomb) < 100_000
    srv = bomb_server(raw, b"gzip", bomb)
    res = run(fetch_one(fast(max_page_bytes=200_000), srv.url("/bomb")))
    assert res.truncated
    assert res.error == "too large"
    assert len(res.body) == 200_000
    assert set(res.body) == {0}


def test_brotli_bomb_stops_at_cap(raw):
    bomb = brotli.compress(b"\0" * 30_000_000, quality=5)
    srv = bomb_server(raw, b"br", bomb)
    res = run(fetch_one(fast(max_page_bytes=100_000), srv.url("/bomb")))
    assert res.truncated and res.error == "too large"
    assert len(res.body) == 100_000


def test_small_uncapped_body_streams_fully(raw):
    payload = b"x" * 50_000
    srv = bomb_server(raw, b"identity", payload)
    res = run(fetch_one(fast(max_page_bytes=50_000), srv.url("/p")))
    assert res.ok and not res.truncated
    assert res.body == payload


def test_plain_body_over_cap_is_truncated(raw):
    srv = bomb_server(raw, b"identity", b"y" * 300_000)
    res = run(fetch_one(fast(max_page_bytes=100_000), srv.url("/p")))
    assert res.truncated and res.error == "too large"
    assert res.body == b"y" * 100_000


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("br", brotli.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as IIS sends it
        ("gzip", lambda b: gzip.compress(b[:10]) + gzip.compress(b[10:])),  # multi-member
    ],
)
def test_content_encodings_decoded(server, encoding, encode):
    no_robots(server)
    text = ("<html>" + "é news " * 500 + "</html>").encode()
    server.expect_request("/p").respond_with_response(
        Response(encode(text), headers={"Content-Encoding": encoding})
    )
    res = run(fetch_one(fast(), server.url_for("/p")))
    assert res.ok
    assert res.body == text


def test_mislabelled_gzip_falls_back_to_raw(server):
    no_robots(server)
    server.expect_request("/p").respond_with_response(
        Response(b"<html>plain</html>", headers={"Content-Encoding": "gzip"})
    )
    res = run(fetch_one(fast(), server.url_for("/p")))
    assert res.ok and res.body == b"<html>plain</html>"


# ----------------------------------------------------------------- timeouts


def test_trickling_server_bounded_by_deadline(raw):
    def trickle(sock: socket.socket, head: bytes, srv: RawServer) -> None:
        if path_of(head) == "/robots.txt":
            robots_404(sock)
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        while not srv.stop_event.is_set():
            sock.sendall(b"1\r\nx\r\n")
            time.sleep(0.2)

    srv = raw(trickle)
    started = time.monotonic()
    res = run(fetch_one(fast(timeout_seconds=1.0, max_retries=2), srv.url("/slow")))
    elapsed = time.monotonic() - started
    assert res.error == "timeout"
    assert elapsed < 4.0  # ~2 s deadline (it would trickle forever), and no retry
    assert srv.paths().count("/slow") == 1


def _stall(sock: socket.socket, head: bytes, srv: RawServer) -> None:
    """Answers robots.txt, then sends nothing for the page."""
    if path_of(head) == "/robots.txt":
        robots_404(sock)
        return
    srv.stop_event.wait(10)


def test_stalled_server_times_out(raw):
    srv = raw(_stall)
    started = time.monotonic()
    res = run(fetch_one(fast(timeout_seconds=0.5, max_retries=1), srv.url("/stall")))
    elapsed = time.monotonic() - started
    assert res.error == "timeout"
    assert res.status is None
    assert res.attempts == 2  # a read timeout is transient: retried once
    assert elapsed < 3.5


# ---------------------------------------------------------------- redirects


def test_redirect_followed_and_final_url_reported(server):
    no_robots(server)
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/mid"})
    server.expect_request("/mid").respond_with_data(
        "", status=302, headers={"Location": server.url_for("/new")}
    )
    server.expect_request("/new").respond_with_data("landed")
    res = run(fetch_one(fast(), server.url_for("/old")))
    assert res.ok and res.body == b"landed"
    assert res.url == server.url_for("/old")
    assert res.final_url == server.url_for("/new")


def test_redirect_loop_detected(server):
    no_robots(server)
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    res = run(fetch_one(fast(max_redirects=10), server.url_for("/a")))
    assert res.error == "redirect loop"
    assert not res.ok
    assert len([1 for req, _ in server.log if req.path in ("/a", "/b")]) <= 4


def test_too_many_redirects(server):
    no_robots(server)
    for i in range(10):
        server.expect_request(f"/r{i}").respond_with_data(
            "", status=307, headers={"Location": f"/r{i + 1}"}
        )
    res = run(fetch_one(fast(max_redirects=3), server.url_for("/r0")))
    assert res.error == "too many redirects"
    assert res.final_url == server.url_for("/r3")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "javascript:x"])
def test_redirect_to_non_http_refused(server, target):
    no_robots(server)
    server.expect_request("/r").respond_with_data("", status=302, headers={"Location": target})
    res = run(fetch_one(fast(), server.url_for("/r")))
    assert res.error == "non-http redirect"
    assert res.status == 302


def test_redirect_to_private_address_refused(server, monkeypatch):
    """Pretend 127.0.0.1 is a public site; its redirect to cloud metadata must stop."""
    no_robots(server)
    server.expect_request("/r").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    real = Fetcher._is_private_host

    async def fake(self, host: str) -> bool:
        return False if host == "127.0.0.1" else await real(self, host)

    monkeypatch.setattr(Fetcher, "_is_private_host", fake)
    started = time.monotonic()
    res = run(fetch_one(fast(timeout_seconds=5), server.url_for("/r")))
    assert time.monotonic() - started < 2  # refused, not attempted
    assert res.error == "private address"
    assert res.final_url == server.url_for("/r")


def test_redirect_into_private_allowed_when_start_is_private(server):
    """A start URL on loopback (a test or intranet site) may redirect within it."""
    no_robots(server)
    port = server.port
    server.expect_request("/r").respond_with_data(
        "", status=302, headers={"Location": f"http://localhost:{port}/there"}
    )
    server.expect_request("/there").respond_with_data("here")
    res = run(fetch_one(fast(), server.url_for("/r")))
    assert res.ok and res.body == b"here"
    assert res.final_url == f"http://localhost:{port}/there"


def test_is_private_host_resolves_names():
    async def go():
        async with Fetcher(fast()) as f:
            return (
                await f._is_private_host("localhost"),
                await f._is_private_host("10.1.2.3"),
                await f._is_private_host("93.184.216.34"),
            )

    assert run(go()) == (True, True, False)


def test_long_retry_after_blocks_the_host_for_later_fetches(server):
    no_robots(server)
    server.expect_request("/p").respond_with_data(
        "later", status=503, headers={"Retry-After": "3600"}
    )
    server.expect_request("/q").respond_with_data("fine")

    async def go():
        async with Fetcher(fast(max_retries=2, max_retry_after=5)) as f:
            first = await f.fetch(server.url_for("/p"))
            started = time.monotonic()
            second = await f.fetch(server.url_for("/q"))
            return first, second, time.monotonic() - started

    first, second, elapsed = run(go())
    assert first.status == 503 and first.error.startswith("retry-after too long")
    assert second.status is None and second.error.startswith("retry-after too long")
    assert elapsed < 2.0  # waiting would take the capped 5 s
    assert "/q" not in [req.path for req, _ in server.log]


def test_short_retry_after_delays_the_next_fetch_to_that_host(server):
    no_robots(server)
    times: dict[str, float] = {}

    def stamp(req: Request) -> Response:
        times[req.path] = time.monotonic()
        if req.path == "/p":
            return Response("busy", status=429, headers={"Retry-After": "1"})
        return Response("ok")

    server.expect_request("/p").respond_with_handler(stamp)
    server.expect_request("/q").respond_with_handler(stamp)

    async def go():
        async with Fetcher(fast(max_retries=0)) as f:
            return await f.fetch(server.url_for("/p")), await f.fetch(server.url_for("/q"))

    first, second = run(go())
    assert first.status == 429 and first.error == "http 429"
    assert second.ok
    assert times["/q"] - times["/p"] >= 0.95


def test_custom_transport_is_used():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=b"mocked", headers={"Content-Type": "text/html"})

    async def go():
        async with Fetcher(fast(), transport=httpx.MockTransport(handler)) as f:
            return await f.fetch("https://news.example.com/x")

    res = run(go())
    assert res.ok and res.body == b"mocked"
    assert seen == ["https://news.example.com/robots.txt", "https://news.example.com/x"]


def test_bad_stored_etag_does_not_raise(server):
    no_robots(server)
    server.expect_request("/p").respond_with_data("ok")
    res = run(fetch_one(fast(), server.url_for("/p"), etag='"a"\r\nX-Evil: 1'))
    assert res.status is None
    assert res.error is not None


def test_cancellation_propagates(raw):
    srv = raw(_stall)

    async def go():
        async with Fetcher(fast(timeout_seconds=5)) as f:
            await asyncio.wait_for(f.fetch(srv.url("/stall")), 0.3)

    with pytest.raises(TimeoutError):
        run(go())


def test_gzip_with_trailing_garbage_decodes(server):
    no_robots(server)
    text = b"<html>" + b"news " * 100 + b"</html>"
    server.expect_request("/p").respond_with_response(
        Response(gzip.compress(text) + b"\r\n<junk>", headers={"Content-Encoding": "gzip"})
    )
    res = run(fetch_one(fast(), server.url_for("/p")))
    assert res.ok and res.body == text


def test_connection_dropped_mid_body_keeps_partial_and_says_so(raw):
    def short(sock: socket.socket, head: bytes, srv: RawServer) -> None:
        if path_of(head) == "/robots.txt":
            robots_404(sock)
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"z" * 100)
        sock.shutdown(socket.SHUT_RDWR)

    srv = raw(short)
    res = run(fetch_one(fast(max_retries=1), srv.url("/p")))
    assert res.error is not None and res.error.startswith("connection error")
    assert res.body == b"z" * 100
    assert not res.ok
    assert res.attempts == 2  # a dropped connection is transient


def test_debug_log_line_per_request_with_fields(server, caplog):
    no_robots(server)
    server.expect_request("/p").respond_with_data("ok")
    with caplog.at_level("DEBUG", logger="exodus.fetch"):
        run(fetch_one(fast(), server.url_for("/p")))
    records = [r for r in caplog.records if getattr(r, "url", None) == server.url_for("/p")]
    assert len(records) == 1
    assert records[0].levelname == "DEBUG"
    assert records[0].status == 200 and records[0].bytes == 2
