"""`exodus daemon` as a real process: scheduled runs, clean stop on SIGTERM, resume."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlite_utils
from polling import wait_for
from werkzeug import Response

ARTICLE = ("<html lang='en'><head><title>T{n}</title></head><body><article><h1>T{n}</h1>"
           "<p>Chen Jie, the president of Maple Devices, has resigned, the company said.</p>"
           "<p>Maple Devices makes smart watches and sells them across Asia and Europe.</p>"
           "</article></body></html>")


def start(tmp_path: Path, base: str, delay: float = 0.01) -> subprocess.Popen:
    config = tmp_path / "config.toml"
    config.write_text(f"""
[storage]
path = "d.db"
[crawler]
delay_seconds = {delay}
timeout_seconds = 5
allow_private = true
[[sources]]
name = "local"
kind = "feed"
url = "{base}/feed.xml"
interval_minutes = 0.02
""")
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--config", str(config), "daemon"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})


def serve(httpserver, n: int, slow: float = 0.0) -> str:
    base = httpserver.url_for("").rstrip("/")
    items = "".join(f"<item><link>{base}/a/{i}</link></item>" for i in range(n))
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(
        f"<rss version='2.0'><channel>{items}</channel></rss>",
        content_type="application/rss+xml")
    for i in range(n):
        def page(request, i=i):
            time.sleep(slow)
            return Response(ARTICLE.format(n=i), content_type="text/html")
        httpserver.expect_request(f"/a/{i}").respond_with_handler(page)
    return base


def pages(tmp_path: Path) -> int:
    path = tmp_path / "d.db"
    if not path.exists():
        return 0
    try:
        return sqlite_utils.Database(path).execute(
            "select count(*) from pages where kind = 'article'").fetchone()[0]
    except Exception:
        return 0


def detected(tmp_path: Path) -> int:
    try:
        return sqlite_utils.Database(tmp_path / "d.db").execute(
            "select count(*) from pages where kind = 'article' "
            "and extractor_version is not null").fetchone()[0]
    except Exception:
        return 0


def test_daemon_runs_and_stops_cleanly_on_sigterm(tmp_path, httpserver):
    base = serve(httpserver, 3)
    proc = start(tmp_path, base)
    try:
        assert wait_for(lambda: pages(tmp_path) == 3, 60), proc.stderr.read() if proc.poll() else ""
        # detection runs behind the crawl in worker processes; then the 1.2 s interval
        # fires again and nothing new is fetched
        assert wait_for(lambda: detected(tmp_path) == 3, 60)
        time.sleep(2.5)
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        proc.kill()
    err = proc.stderr.read()
    assert err.count("msg=\"run done\"") >= 2, err
    assert "daemon stopped" in err and "Traceback" not in err
    assert pages(tmp_path) == 3
    article_requests = [r for r, _ in httpserver.log if r.path.startswith("/a/")]
    assert len(article_requests) == 3  # the second run found nothing new to fetch
    db = sqlite_utils.Database(tmp_path / "d.db")
    assert [r["person"] for r in db["review"].rows] == ["Chen Jie"]


def test_sigterm_mid_crawl_exits_fast_and_restart_resumes(tmp_path, httpserver):
    base = serve(httpserver, 6, slow=0.4)
    proc = start(tmp_path, base, delay=0.3)
    try:
        assert wait_for(lambda: pages(tmp_path) >= 1, 60)
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - started < 6
    finally:
        proc.kill()
    done = pages(tmp_path)
    assert 1 <= done < 6
    proc = start(tmp_path, base)
    try:
        assert wait_for(lambda: pages(tmp_path) == 6, 60)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()
    fetched = [r.path for r, _ in httpserver.log if r.path.startswith("/a/")]
    # pages stored before the stop were not fetched again (one in flight may repeat)
    assert len(fetched) <= 6 + 1
    integrity = sqlite_utils.Database(tmp_path / "d.db").execute(
        "pragma integrity_check").fetchone()[0]
    assert integrity == "ok"
