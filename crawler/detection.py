"""Detection behind the crawl: archived pages go through extraction and spaCy in worker
processes while the event loop keeps fetching.

The crawl only archives; this service finds archived article pages no extractor has
marked yet (`pages.extractor_version IS NULL`, the same per-page marks `reextract` uses),
a batch at a time in id order, hands them to the workers and writes the results on the
event loop's thread (the only one that touches the database), in the order the batches
were read so that two runs give the same ids. Nothing is kept in memory between the
archive and the workers but page ids: a crawl that is killed leaves its pages unmarked,
and the next pass (or `reextract`) detects them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from crawler.errors import ExodusError
from crawler.pipeline import Analysis, PageInput, PageOutcome, Processor, store_analysis
from extract.version import EXTRACTOR_VERSION
from storage import Store

log = logging.getLogger("exodus.detect")

MAX_BROKEN = 5  # worker pools lost in a row before the pass gives up with an error
BATCH = 16  # pages per worker task: small, so results stream back while the crawl runs


@dataclass
class _Batch:
    future: asyncio.Future
    pages: list[PageInput]
    sources: dict[int, str]
    executor: Executor | None


class Detection:
    """Detect every unmarked page of the watched sources, behind the crawl.

    `start()` launches the loop; `notify()` says a page was archived; `settle()` waits
    until nothing archived before the call is left undetected; `close()` finishes the
    work and stops the workers, `abort()` stops them at once (SIGTERM): pages whose
    batch was cut off stay unmarked for the next pass.
    """

    def __init__(self, store: Store, processor: Processor) -> None:
        self.store = store
        self.processor = processor
        self.selectors: dict[str, str | None] = {}  # watched sources
        self.listeners: dict[str, Callable[[PageOutcome], None]] = {}  # by source
        self._busy: set[int] = set()  # page ids in flight
        self._executor: Executor | None = None
        self._task: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._asked = 0  # settle() calls so far
        self._answered = 0  # the last settle() call an idle scan has answered
        self._last = 0  # keyset cursor: the highest page id handed out
        self._inflight: deque[_Batch] = deque()
        self._closing = False
        self._aborted = False
        self._error: BaseException | None = None
        self._broken = 0  # pools lost in a row
        self.pages = 0

    # -- the executor --------------------------------------------------------------------

    @property
    def capacity(self) -> int:
        return 2 * max(1, self.processor.workers)

    def _make_executor(self) -> Executor:
        if self.processor.workers <= 0:  # a detector shared in-process (tests, small runs)
            analyzer = self.processor.analyzer
            _ = analyzer.detector
            return ThreadPoolExecutor(1, thread_name_prefix="exodus-detect")
        from crawler.reextract import make_pool

        return make_pool(self.processor.model, self.processor.workers)

    def _submit(self, pages: list[PageInput]) -> Future:
        if self._executor is None:
            self._executor = self._make_executor()
        if isinstance(self._executor, ThreadPoolExecutor):
            return self._executor.submit(self.processor.analyzer.analyse_many, pages)
        from crawler.reextract import _work

        return self._executor.submit(_work, pages)

    def _stop_executor(self, kill: bool) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill:
            from crawler.reextract import kill_pool

            kill_pool(executor)
        else:
            executor.shutdown(wait=True, cancel_futures=True)

    # -- the public side -------------------------------------------------------------------

    def watch(self, sources: Iterable[tuple[str, str | None]]) -> None:
        """Detect the pages of these sources (name, article_selector) from now on."""
        for name, selector in sources:
            self.selectors[name] = selector
        self._last = 0  # rescan: catch pages an earlier pass archived but never detected
        self.notify()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
            # Start the workers (and their model loading) now, while the crawl is
            # still fetching robots.txt and the feed, not at the first article.
            for _ in range(max(1, self.processor.workers)):  # one spawned per waiting task
                self._submit([])

    def notify(self) -> None:
        self._wake.set()

    async def settle(self) -> None:
        """Wait until every page archived before this call is detected (or failed)."""
        self._asked += 1
        asked = self._asked
        self.notify()
        while self._answered < asked:
            self._raise_error()
            if self._aborted:
                raise asyncio.CancelledError("detection stopped")
            if self._task is None or self._task.done():
                return
            self._idle.clear()
            idle = asyncio.ensure_future(self._idle.wait())
            await asyncio.wait({idle, self._task}, return_when=asyncio.FIRST_COMPLETED)
            idle.cancel()
        self._raise_error()

    async def close(self) -> None:
        """Finish what is archived, then stop the workers."""
        try:
            if self._task is not None and not self._task.done():
                await self.settle()
        finally:
            self._closing = True
            self.notify()
            if self._task is not None:
                self._task.cancel()
                await asyncio.gather(self._task, return_exceptions=True)
            # Nothing is in flight now: stopping the workers outright skips waiting for
            # one still loading its model (a pass with nothing new to detect).
            self._stop_executor(kill=True)

    def abort(self) -> None:
        """Stop now: cancel the loop and kill the workers mid-batch."""
        self._closing = self._aborted = True
        self._idle.set()
        if self._task is not None:
            self._task.cancel()
        for batch in self._inflight:
            batch.future.cancel()
        self._inflight.clear()
        self._busy.clear()
        self._stop_executor(kill=True)

    # -- the loop ------------------------------------------------------------------------------

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _next_batch(self) -> _Batch | None:
        """The next unmarked pages of the watched sources after the cursor, by row id.

        The (kind, extractor_version) index is an equality here, so its entries come in
        row-id order from the cursor on: the query costs the same at any archive size.
        """
        if not self.selectors:
            return None
        names = list(self.selectors)
        marks = ",".join("?" * len(names))
        sql = (f"SELECT id, url, html, content_type, fetched_at, source FROM pages "
               f"INDEXED BY idx_pages_kind_extractor_version "
               f"WHERE kind = 'article' AND extractor_version IS NULL AND id > ? "
               f"AND source IN ({marks}) AND EXISTS "
               f"(SELECT 1 FROM urls u WHERE u.url = pages.url AND u.page_id = pages.id) "
               f"ORDER BY id LIMIT ?")
        pages: list[PageInput] = []
        sources: dict[int, str] = {}
        while not pages:
            rows = self.store.db.execute(sql, [self._last, *names, BATCH]).fetchall()
            if not rows:
                return None
            self._last = rows[-1][0]
            for page_id, url, blob, ctype, fetched_at, source in rows:
                if page_id in self._busy:  # a rescan met a batch still in the workers
                    continue
                try:
                    body = zlib.decompress(blob)
                except (zlib.error, TypeError) as exc:
                    self.store.mark_page(page_id, EXTRACTOR_VERSION, None,
                                         f"archive blob unreadable: {exc}")
                    continue
                pages.append(PageInput(page_id, url, body, ctype, fetched_at,
                                       self.selectors.get(source)))
                sources[page_id] = source
        future = asyncio.wrap_future(self._submit(pages))
        self._busy.update(sources)
        return _Batch(future, pages, sources, self._executor)

    def _write(self, batch: _Batch) -> None:
        self._busy.difference_update(batch.sources)
        try:
            results: list[Analysis] = batch.future.result()
        except ExodusError:
            raise
        except BrokenProcessPool as exc:
            # A worker died (out of memory, a crash in native code): its pages stay
            # unmarked and the next pass tries them again; the pool is rebuilt.
            log.error("detection worker died", extra={"pages": len(batch.pages),
                                                      "error": repr(exc)})
            if batch.executor is self._executor:  # each lost pool counts once
                self._broken += 1
                self._stop_executor(kill=True)
            if self._broken >= MAX_BROKEN:
                raise ExodusError(f"detection workers keep dying ({exc})") from None
            return
        self._broken = 0
        with self.store.transaction():
            for result in results:
                outcome = store_analysis(self.store, result)
                self.pages += 1
                listener = self.listeners.get(batch.sources.get(result.page.page_id, ""))
                if listener is not None:
                    listener(outcome)

    async def _run(self) -> None:
        try:
            while True:
                self._wake.clear()
                asked = self._asked
                while len(self._inflight) < self.capacity:
                    batch = self._next_batch()
                    if batch is None:
                        break
                    self._inflight.append(batch)
                if not self._inflight:
                    self._answered = max(self._answered, asked)
                    self._idle.set()
                    if self._closing:
                        return
                    await self._wake.wait()
                    continue
                head = self._inflight[0].future
                if len(self._inflight) < self.capacity:
                    waker = asyncio.ensure_future(self._wake.wait())
                    await asyncio.wait({head, waker}, return_when=asyncio.FIRST_COMPLETED)
                    waker.cancel()
                else:
                    await asyncio.wait({head})
                while self._inflight and self._inflight[0].future.done():
                    self._write(self._inflight.popleft())
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self._error = exc
            self._idle.set()
            raise


def default_workers() -> int:
    return os.cpu_count() or 1
