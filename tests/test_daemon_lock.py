"""One daemon per database: a second one is refused while the first lives, even after
the first died by `kill -9`; a one-off `exodus crawl` stays allowed beside it."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from polling import wait_for
from test_daemon import pages, serve


def write_config(tmp_path: Path, base: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f"""
[storage]
path = "d.db"
[crawler]
delay_seconds = 0.01
timeout_seconds = 5
allow_private = true
[[sources]]
name = "local"
kind = "feed"
url = "{base}/feed.xml"
interval_minutes = 0.02
""")
    return config


def cli(config: Path, *argv: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--config", str(config), *argv],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, **kw)


def test_second_daemon_is_refused_and_lock_dies_with_the_first(tmp_path, httpserver):
    base = serve(httpserver, 2)
    config = write_config(tmp_path, base)
    first = cli(config, "daemon")
    try:
        assert wait_for(lambda: pages(tmp_path) == 2, 60)
        second = cli(config, "daemon")
        out, err = second.communicate(timeout=60)
        assert second.returncode == 2, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("exodus: error:"), err
        assert "already running" in lines[0] and str(first.pid) in lines[0]
        # a one-off crawl beside the daemon is fine (SQLite WAL serialises the writes)
        crawl = cli(config, "crawl")
        out, err = crawl.communicate(timeout=120)
        assert crawl.returncode == 0, err
        assert "local: listed 2" in out
        first.send_signal(signal.SIGKILL)  # no cleanup runs: the OS drops the lock
        first.wait(timeout=10)
        feeds = _feed_requests(httpserver)
        third = cli(config, "daemon")
        try:
            assert wait_for(lambda: _feed_requests(httpserver) > feeds, 60)
            assert third.poll() is None
        finally:
            third.send_signal(signal.SIGTERM)
            assert third.wait(timeout=15) == 0, third.stderr.read()
    finally:
        first.kill()
        first.wait()


def _feed_requests(httpserver) -> int:
    return sum(1 for r, _ in httpserver.log if r.path == "/feed.xml")
