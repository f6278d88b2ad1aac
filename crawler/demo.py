"""The offline demo: serve seeds/demo-site on 127.0.0.1 and crawl it for real.

The site is rendered into a temporary folder (feeds need absolute links, so `{{BASE}}`
becomes the server's address) with file times kept, so a second demo run gets real
304s from the server's If-Modified-Since handling.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crawler.config import Config, CrawlerSettings, Source
from crawler.gold import SEEDS

SITE = SEEDS / "demo-site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _render(site: Path, target: Path, base: str) -> None:
    for path in site.rglob("*"):
        dest = target / path.relative_to(site)
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in {".xml", ".txt"}:
            dest.write_bytes(path.read_bytes().replace(b"{{BASE}}", base.encode()))
            shutil.copystat(path, dest)
        else:
            shutil.copy2(path, dest)


DEFAULT_PORT = 8765


def _server(port: int | None, directory: str) -> ThreadingHTTPServer:
    """Bind `port`, or by default 8765 so a rerun sees the same URLs (and gets 304s),
    falling back to any free port when that one is taken."""
    handler = partial(_QuietHandler, directory=directory)
    if port is None:
        try:
            return ThreadingHTTPServer(("127.0.0.1", DEFAULT_PORT), handler)
        except OSError:
            port = 0
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


@contextmanager
def serve_site(site: Path = SITE, port: int | None = None) -> Iterator[str]:
    """Serve `site` on loopback; yields the base URL."""
    with tempfile.TemporaryDirectory(prefix="exodus-demo-") as tmp:
        server = _server(port, tmp)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        _render(site, Path(tmp), base)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield base
        finally:
            server.shutdown()
            server.server_close()


def demo_config(config: Config, base: str) -> Config:
    """The user's config with the demo site as its only sources and loopback-fast pacing."""
    settings = replace(config.crawler or CrawlerSettings(), delay_seconds=0.05,
                       timeout_seconds=5.0, allow_private=True)
    sources = (
        Source(name="demo-newsflash", kind="listing", url=f"{base}/newsflash/",
               link_selector="div.newsflash-item a.item-title", interval_minutes=5),
        Source(name="demo-feed", kind="feed", url=f"{base}/feed.xml", interval_minutes=5),
    )
    return replace(config, crawler=settings, sources=sources)
