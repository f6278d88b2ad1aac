"""Source health: a broken source (unreachable, wrong selector, HTML where a feed should
be) is recorded as failing with a reason, `exodus sources` shows it, and `exodus crawl`
exits 1 when every source failed."""

import socket
from pathlib import Path

import pytest
from werkzeug import Request, Response

from crawler.cli import main

ARTICLE = ("<html lang='en'><head><title>Robots</title></head><body><article><h1>Robots</h1>"
           "<p>The company makes industrial robots and employs 2,000 people in Shenzhen.</p>"
           "<p>Analysts said the plan for the year ahead would not change at all.</p>"
           "</article></body></html>")
HTML_PAGE = "<html><body><h1>Welcome</h1><p>Our news is on the home page.</p></body></html>"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def config(tmp_path, httpserver) -> Path:
    base = httpserver.url_for("").rstrip("/")
    feed = f"<rss version='2.0'><channel><item><link>{base}/a/1</link></item></channel></rss>"

    def feed_handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(feed, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_handler(feed_handler)
    httpserver.expect_request("/a/1").respond_with_data(ARTICLE, content_type="text/html")
    httpserver.expect_request("/home").respond_with_data(HTML_PAGE, content_type="text/html")
    path = tmp_path / "config.toml"
    path.write_text(f"""
[storage]
path = "h.db"
[crawler]
delay_seconds = 0.01
timeout_seconds = 3
max_retries = 0
allow_private = true
[[sources]]
name = "good"
kind = "feed"
url = "{base}/feed.xml"
[[sources]]
name = "wrong-selector"
kind = "listing"
url = "{base}/home"
link_selector = "div.newsflash a"
[[sources]]
name = "html-not-feed"
kind = "feed"
url = "{base}/home"
[[sources]]
name = "unreachable"
kind = "feed"
url = "http://127.0.0.1:{closed_port()}/feed.xml"
""")
    return path


def sources_table(config: Path, capsys) -> dict[str, str]:
    capsys.readouterr()
    assert main(["--config", str(config), "sources"]) == 0
    lines = capsys.readouterr().out.splitlines()
    return {line.split()[0]: line for line in lines[2:-1] if line.strip()}


def test_broken_sources_are_failures_with_reasons(config, capsys):
    assert main(["--config", str(config), "crawl"]) == 0  # one source works: exit 0
    err = capsys.readouterr().err
    for name in ("wrong-selector", "html-not-feed", "unreachable"):
        assert f"source {name} failed" in err, err
    assert "source good failed" not in err
    rows = sources_table(config, capsys)
    assert " ok " in rows["good"] and "failing" not in rows["good"]
    assert "no article links" in rows["wrong-selector"]
    assert "failing" in rows["html-not-feed"] and "failing" in rows["unreachable"]

    # only the broken ones: every source failed, exit 1, failures counted up
    broken = ["--source", "wrong-selector", "--source", "html-not-feed",
              "--source", "unreachable"]
    assert main(["--config", str(config), "crawl", *broken]) == 1
    assert "every source failed" in capsys.readouterr().err
    rows = sources_table(config, capsys)
    for name in ("wrong-selector", "html-not-feed", "unreachable"):
        assert rows[name].split()[2] == "2", rows[name]  # consecutive failures

    # an unchanged feed (304) lists nothing new but is healthy
    assert main(["--config", str(config), "crawl", "--source", "good"]) == 0
    rows = sources_table(config, capsys)
    assert " ok " in rows["good"] and rows["good"].split()[2] == "0"


def test_sources_on_a_fresh_database_lists_configured_sources_as_never_run(config, capsys):
    assert main(["--config", str(config), "sources"]) == 2  # no database yet: nothing created
    assert not (config.parent / "h.db").exists()
    assert main(["--config", str(config), "init"]) == 0
    rows = sources_table(config, capsys)
    assert set(rows) == {"good", "wrong-selector", "html-not-feed", "unreachable"}
    assert all("never run" in line for line in rows.values())


def test_daemon_warns_once_per_failing_source(config, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    import sqlite_utils
    from polling import wait_for

    def runs() -> int:
        try:
            return sqlite_utils.Database(tmp_path / "h.db").execute(
                "select count(*) from source_health").fetchone()[0]
        except Exception:
            return 0

    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "daemon", "--config",
                             str(config)], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert wait_for(lambda: runs() == 4, 90)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
    warnings = [line for line in proc.stderr.read().splitlines()
                if "level=warning" in line and 'msg="source failing"' in line]
    assert sorted(line.split("source=")[1].split()[0] for line in warnings) == [
        "html-not-feed", "unreachable", "wrong-selector"]
    assert all("consecutive_failures=1" in line for line in warnings)


def test_failure_reason_rules():
    from crawler.crawl import SourceStats
    from crawler.health import NO_LINKS, failure_reason

    assert failure_reason(SourceStats("s", listed=3, fetched=1)) is None
    assert failure_reason(SourceStats("s", error="http 404")) == "http 404"
    assert failure_reason(SourceStats("s")) == NO_LINKS
    # a 304 anywhere in discovery (the feed, or every child of a sitemap index): healthy
    assert failure_reason(SourceStats("s", unchanged=True)) is None
    all_failed = SourceStats("s", listed=2, failed=2, failures=["https://x.test/a: http 403"])
    assert "every article fetch failed" in failure_reason(all_failed)
    assert "http 403" in failure_reason(all_failed)
    assert failure_reason(SourceStats("s", listed=2, failed=1, robots=1)) is None
