"""`exodus daemon` stays responsive while it parses a 5 MB hostile feed: SIGTERM sent in
the middle of the parse ends the process within 3 seconds.

The feed combines what made parsing slow or quadratic (a giant DOCTYPE internal subset,
megabytes of CDATA, hundreds of thousands of nested elements, tens of thousands of
links); robots.txt disallows every linked article, so no spaCy detection is involved.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from faults.server import FaultServer, respond
from polling import wait_for

FEED_BYTES = 5_000_000


def hostile_feed(size: int = FEED_BYTES) -> bytes:
    part = size // 5
    doctype = b"<!DOCTYPE rss [" + b"<!-- " + b"d" * part + b" -->" + b"]>"
    items = bytearray()
    n = 0
    while len(items) < 2 * part:
        items += b"<item><title>t</title><link>/a/%d</link></item>" % n
        n += 1
    nested = b"<item><description>" + b"<b><i>" * (part // 6) + b"</description></item>"
    cdata = b"<item><description><![CDATA[" + b"<![CDATA[ & " * (part // 12) + b"]]>"
    cdata += b"</description></item>"
    return (b"<?xml version='1.0'?>" + doctype + b"<rss version='2.0'><channel>" + bytes(items)
            + cdata + nested + b"</channel></rss>")


def test_daemon_stops_within_3s_of_sigterm_while_parsing_a_hostile_feed(tmp_path: Path):
    body = hostile_feed()
    assert len(body) >= FEED_BYTES * 0.95
    with FaultServer() as srv:
        srv.route("/robots.txt", respond("User-agent: *\nDisallow: /a/\n",
                                         content_type="text/plain"))
        srv.route("/feed.xml", respond(body, content_type="application/rss+xml"))
        config = tmp_path / "config.toml"
        config.write_text(f"""
[storage]
path = "d.db"
[crawler]
delay_seconds = 0.01
timeout_seconds = 5
max_page_bytes = 10000000
[[sources]]
name = "hostile"
kind = "feed"
url = "{srv.url('/feed.xml')}"
interval_minutes = 60
""")
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "--config", str(config), "daemon"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            assert wait_for(lambda: "/feed.xml" in srv.paths() or proc.poll() is not None,
                            120), "the daemon never asked for the feed"
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(1.0)  # the 5 MB body is in; the parse is under way
            assert proc.poll() is None
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            elapsed = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        err = proc.stderr.read() if proc.stderr else ""
    print(f"stopped {elapsed:.2f}s after SIGTERM")
    assert elapsed < 3.0, f"stopped {elapsed:.1f}s after SIGTERM\n{err[-2000:]}"
    assert proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err
