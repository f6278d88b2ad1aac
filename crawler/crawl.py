"""One crawl pass over a source: discover links, fetch what is new, archive; detection
follows behind in worker processes (`crawler.detection`).

The frontier lives in the database (`urls`), not in memory: links are recorded as soon
as they are discovered and pages are archived before they are processed, so a crash at
any point loses nothing and the next pass resumes with what was left. The event loop
only fetches and archives: spaCy never runs on it, so no fetch waits for a parse.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from crawler.config import CrawlerSettings, Source
from crawler.detection import Detection
from crawler.fetch import Fetcher, FetchResult, FetchSettings
from crawler.health import failure_reason
from crawler.pipeline import PageOutcome, Processor
from crawler.sources import Link, SourceError, parse_feed, parse_listing, parse_sitemap
from crawler.urls import is_private_address
from storage import PageVersion, Store, iso_utc
from storage.health import record_source_run

log = logging.getLogger("exodus.crawl")

MAX_CHILD_SITEMAPS = 5
T = TypeVar("T")


@dataclass
class SourceStats:
    name: str
    listed: int = 0
    fetched: int = 0
    not_modified: int = 0
    robots: int = 0
    failed: int = 0
    departures: int = 0
    error: str | None = None
    failures: list[str] = field(default_factory=list)
    unchanged: bool = False  # a source document (feed, listing, sitemap) answered 304

    def line(self) -> str:
        text = (
            f"{self.name}: listed {self.listed}, fetched {self.fetched}, "
            f"not modified {self.not_modified}, skipped by robots {self.robots}, "
            f"failed {self.failed}, departures {self.departures}"
        )
        return text + (f" (source error: {self.error})" if self.error else "")


def fetch_settings(settings: CrawlerSettings) -> FetchSettings:
    return FetchSettings(
        user_agent=settings.user_agent, delay_seconds=settings.delay_seconds,
        concurrency=settings.concurrency, timeout_seconds=settings.timeout_seconds,
        max_page_bytes=settings.max_page_bytes, respect_robots=settings.respect_robots,
        max_redirects=settings.max_redirects, max_retries=settings.max_retries,
        max_retry_after=settings.max_retry_after, allow_private=settings.allow_private,
        per_host=settings.per_host,
    )


def _reason(res: FetchResult) -> str:
    """"robots" for a disallow, "robots unreachable" for a host that cannot be asked."""
    if res.robots_blocked:
        return res.error or "robots"
    return res.error or f"http {res.status}"


async def _off_loop(parse: Callable[..., T], *args: object) -> T:
    """Run a source parser in a thread: a 5 MB hostile feed costs seconds of CPU, and in
    the event loop it would hold up SIGTERM and every other source. When the awaiting
    task is cancelled the parser is told to stop at its next check."""
    cancel = threading.Event()
    try:
        return await asyncio.to_thread(parse, *args, cancel=cancel)
    finally:
        cancel.set()


class SourceCrawl:
    """The state of one pass over one source; `run()` does the pass."""

    def __init__(self, source: Source, fetcher: Fetcher, store: Store,
                 detection: Detection | Processor | None,
                 on_page: Callable[[SourceStats], None] | None = None) -> None:
        self.source = source
        self.fetcher = fetcher
        self.store = store
        # Alone (no Detection), a pass only archives: its pages stay unmarked until a
        # `crawl()` or `reextract` detects them.
        self.detection = detection if isinstance(detection, Detection) else None
        self.stats = SourceStats(source.name)
        self.on_page = on_page or (lambda stats: None)
        self.allow_private = fetcher.settings.allow_private
        # Whether the configured URL itself is on a private address (a test or intranet
        # site): then its links may be too. Literals and localhost here; run() asks DNS.
        self.private_source = is_private_address(urlsplit(source.url).hostname or "")

    async def _get(self, url: str, *, discovered: bool = True) -> FetchResult:
        """``discovered``: the URL came from a document (a link, a child sitemap), so
        it must be public unless the source is private or allow_private is set."""
        state = self.store.url_state(url)
        return await self.fetcher.fetch(
            url, etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            public_only=discovered and not (self.allow_private or self.private_source),
        )

    def _archive(self, url: str, res: FetchResult, kind: str) -> tuple[int, bool]:
        return self.store.save_page(PageVersion(
            url=url, final_url=res.final_url, source=self.source.name, kind=kind,
            fetched_at=iso_utc(res.fetched_at), status=res.status,
            etag=res.headers.get("etag"), last_modified=res.headers.get("last-modified"),
            content_type=res.headers.get("content-type"), encoding=None, body=res.body,
        ))

    async def _discover_document(self, url: str, depth: int = 0) -> list[Link]:
        res = await self._get(url, discovered=depth > 0)
        if res.not_modified:
            self.store.record_attempt(url, self.source.name, 304, None)
            self.stats.unchanged = True  # listing nothing new is then no failure
            return []
        if not res.ok:
            self.store.record_attempt(url, self.source.name, res.status, _reason(res))
            if depth == 0:
                self.stats.error = _reason(res)
            return []
        self._archive(url, res, self.source.kind)
        try:
            if self.source.kind == "feed":
                return await _off_loop(parse_feed, res.body, res.final_url)
            if self.source.kind == "listing":
                return await _off_loop(parse_listing, res.body, res.final_url,
                                       self.source.link_selector or "a")
            links, children = await _off_loop(parse_sitemap, res.body, res.final_url)
        except SourceError as exc:
            self.stats.error = str(exc)
            return []
        if depth < 2:
            for child in [c for c in children if self._may_follow(c)][:MAX_CHILD_SITEMAPS]:
                links.extend(await self._discover_document(child, depth + 1))
        return links

    def _wanted(self, links: list[Link]) -> list[str]:
        """New links, links whose listed date is newer than our copy, then leftovers."""
        todo: list[str] = []
        for link in links:
            state = self.store.url_state(link.url)
            if state is None or state.page_id is None:
                todo.append(link.url)
            elif link.published and state.last_attempt and link.published > state.last_attempt:
                todo.append(link.url)
        seen = set(todo)
        for url in self.store.pending_urls(self.source.name):
            if url not in seen and url != self.source.url:
                todo.append(url)
                seen.add(url)
        return todo[: self.source.max_links]

    async def _article(self, url: str) -> None:
        res = await self._get(url)
        if res.robots_blocked:
            self.stats.robots += 1
        elif res.not_modified:
            self.stats.not_modified += 1
        elif not res.ok:
            self.stats.failed += 1
            self.stats.failures.append(f"{url}: {_reason(res)}")
        if res.robots_blocked or res.not_modified or not res.ok:
            status = 304 if res.not_modified else res.status
            error = None if res.not_modified else _reason(res)
            self.store.record_attempt(url, self.source.name, status, error)
            self.on_page(self.stats)
            return
        _, created = self._archive(url, res, "article")
        if not created:
            self.stats.not_modified += 1
        else:
            self.stats.fetched += 1
            if self.detection is not None:  # detected behind us, from the archive
                self.detection.notify()
        self.on_page(self.stats)

    def _may_follow(self, url: str) -> bool:
        """A public source's page cannot point the crawler into loopback or private
        networks (a listing that links to http://10.0.0.1/admin is not followed)."""
        if url == self.source.url:
            return False
        if self.allow_private or self.private_source:
            return True
        # Literals and localhost names here; names that resolve to private addresses
        # are refused by the fetcher (public_only), which resolves them anyway.
        return not is_private_address(urlsplit(url).hostname or "")

    def detected(self, outcome: PageOutcome) -> None:
        self.stats.departures += outcome.departures
        self.on_page(self.stats)

    async def run(self) -> SourceStats:
        if not (self.private_source or self.allow_private):
            host = urlsplit(self.source.url).hostname or ""
            self.private_source = await self.fetcher.is_private_host(host)
        links = await self._discover_document(self.source.url)
        links = [link for link in links if self._may_follow(link.url)]
        self.stats.listed = len(links)
        self.store.note_discovered(self.source.name, [(lnk.url, lnk.published) for lnk in links])
        todo = iter(self._wanted(links))

        async def fetch_some() -> None:
            for url in todo:  # a few tasks share one iterator: memory does not grow
                await self._article(url)  # with the number of links

        tasks = max(1, self.fetcher.settings.concurrency)
        await asyncio.gather(*(fetch_some() for _ in range(tasks)))
        record_source_run(self.store, self.source.name, failure_reason(self.stats),
                          self.stats.listed or (None if self.stats.unchanged else 0))
        log.info("source done", extra={"source": self.source.name, "line": self.stats.line()})
        return self.stats


async def crawl(sources: list[Source], settings: CrawlerSettings, store: Store,
                processor: Processor,
                on_page: Callable[[SourceStats], None] | None = None,
                detection: Detection | None = None,
                on_fetched: Callable[[list[SourceStats]], None] | None = None,
                ) -> list[SourceStats]:
    """One pass over several sources sharing one client (and so one politeness state).

    Pages are fetched and archived here; `detection` (a service the daemon keeps for its
    lifetime, or one made for this pass) detects them behind the crawl. The pass returns
    once every page it archived, and any a killed pass left, is detected.
    """
    own = detection is None
    if detection is None:
        detection = Detection(store, processor)
    detection.watch((src.name, src.article_selector) for src in sources)
    detection.start()
    try:
        async with Fetcher(fetch_settings(settings)) as fetcher:
            crawls = [SourceCrawl(src, fetcher, store, detection, on_page) for src in sources]
            for c in crawls:
                detection.listeners[c.source.name] = c.detected
            stats = list(await asyncio.gather(*(c.run() for c in crawls)))
        if on_fetched is not None:  # e.g. the daemon's failing-source warnings, which
            on_fetched(stats)  # need no detection
        await detection.settle()
    except BaseException:  # Ctrl-C, a kill, an error: stop the workers, do not finish
        if own:  # their batches (the pages stay unmarked for the next pass)
            detection.abort()
        raise
    finally:
        for src in sources:
            detection.listeners.pop(src.name, None)
    if own:
        await detection.close()
    return stats
