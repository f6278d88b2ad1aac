"""`exodus reextract`: run extraction and detection again over the archive.

Pages stream out of SQLite in id order, a batch at a time, so memory stays flat
whatever the archive's size. Worker processes do the CPU work (decoding, extraction,
spaCy) with their own model; the parent alone writes, one transaction per batch, in
the order the batches were read, so two runs give the same ids. A page is marked with
the extractor version that processed it: an interrupted run resumes where it stopped,
and a finished run has nothing left to do until the extractor version changes.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from crawler.errors import ExodusError
from crawler.pipeline import Analysis, Analyzer, PageInput, store_analysis
from crawler.saved import BadGzip, read_saved_page
from extract.version import EXTRACTOR_VERSION
from storage import PageVersion, Store, iso_utc

log = logging.getLogger("exodus.reextract")

BATCH = 32
WORKER_BATCHES = 150  # batches a worker process handles before it is replaced
SIDECAR_MAX_BYTES = 1_000_000  # a sidecar holds a url and a date


@dataclass
class RunStats:
    pages: int = 0
    articles: int = 0
    departures: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    imported: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        text = (f"reextract: {self.pages} pages ({rate:.1f}/s), {self.articles} articles, "
                f"{self.departures} departures, {len(self.failed)} failed")
        if self.imported:
            text = f"imported {self.imported} pages; " + text
        return text


# -- importing saved pages ----------------------------------------------------------------------


def _sidecar(path: Path) -> dict:
    stem = path.name.removesuffix(".gz").removesuffix(".html").removesuffix(".htm")
    meta_path = path.with_name(stem + ".json")
    if not meta_path.exists():
        return {}
    try:
        with meta_path.open("rb") as fh:
            raw = fh.read(SIDECAR_MAX_BYTES + 1)
        if len(raw) > SIDECAR_MAX_BYTES:
            raise ValueError(f"larger than {SIDECAR_MAX_BYTES} bytes")
        meta = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise ExodusError(f"{meta_path}: not a valid sidecar ({reason})") from None
    if not isinstance(meta, dict):
        raise ExodusError(f"{meta_path}: a sidecar must be a JSON object")
    return meta


def _stamp(value: object, path: Path) -> str:
    if value is None:
        return iso_utc(datetime.fromtimestamp(path.stat().st_mtime, UTC))
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ExodusError(f"{path}: sidecar fetched_at {value!r} is not an ISO date") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return iso_utc(when)


def plan_import(folder: Path) -> list[tuple[Path, str, str]]:
    """(file, url, fetched_at) for every saved page, every sidecar checked up front."""
    name = str(folder) if len(str(folder)) <= 200 else str(folder)[:200] + "..."
    try:
        if not folder.is_dir():
            raise ExodusError(f"{name}: not a directory")
        files = sorted(p for p in folder.rglob("*") if p.is_file()
                       and p.name.endswith((".html", ".htm", ".html.gz", ".htm.gz")))
    except OSError as exc:
        raise ExodusError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if not files:
        raise ExodusError(f"{name}: no saved pages (*.html, *.html.gz) in it")
    plan = []
    for path in files:  # read and check everything before writing anything
        meta = _sidecar(path)
        url = meta.get("url") or path.resolve().as_uri()
        if not isinstance(url, str):
            raise ExodusError(f"{path}: sidecar url must be a string")
        plan.append((path, url, _stamp(meta.get("fetched_at"), path)))
    return plan


def import_dir(store: Store, plan: list[tuple[Path, str, str]], source: str) -> int:
    """Archive the planned pages; returns how many were new versions."""
    created = 0
    for path, url, fetched_at in plan:
        try:
            page = read_saved_page(path)
        except (OSError, BadGzip) as exc:
            log.warning("unreadable file skipped", extra={"path": str(path), "error": str(exc)})
            continue
        data = page.data
        if page.truncated:  # a gzip bomb or a giant file: the extractor's cap, kept
            log.warning("page cut", extra={"path": str(path), "bytes": len(data)})
        _, new = store.save_page(PageVersion(
            url=url, final_url=url, source=source, kind="article", fetched_at=fetched_at,
            status=200, etag=None, last_modified=None, content_type=None, encoding=None,
            body=data))
        created += new
    return created


# -- the worker side --------------------------------------------------------------------------

_analyzer: Analyzer | None = None


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed (kill -9) would wait for work forever with a
    model in memory; it notices it was orphaned and exits."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _init_worker(model: str, parent: int) -> None:
    global _analyzer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _analyzer = Analyzer(model)
    _ = _analyzer.detector


def _work(batch: list[PageInput]) -> list[Analysis]:
    assert _analyzer is not None
    return _analyzer.analyse_many(batch)


# -- the parent side --------------------------------------------------------------------------


def _selection(source: str | None, since: str | None, force: bool) -> tuple[str, list]:
    # Only each URL's newest version (the one its `urls` row points at).
    where = ["kind = 'article'",
             "EXISTS (SELECT 1 FROM urls u WHERE u.url = pages.url AND u.page_id = pages.id)"]
    params: list = []
    if not force:
        where.append("(extractor_version IS NULL OR extractor_version != ?)")
        params.append(EXTRACTOR_VERSION)
    if source:
        where.append("source = ?")
        params.append(source)
    if since:
        where.append("fetched_at >= ?")
        params.append(since)
    return " AND ".join(where), params


def batch_query(where: str) -> str:
    """A row-id range scan: the partial index on (id, extractor_version) of article
    pages is walked from the cursor, so a batch costs the same at 3k or 100k pages
    (the (kind, extractor_version) index made SQLite sort every match per batch)."""
    return (f"SELECT id, url, html, content_type, fetched_at, source FROM pages "
            f"INDEXED BY idx_pages_article_id_version "
            f"WHERE {where} AND id > ? AND id <= ? ORDER BY id LIMIT ?")


def _batches(store: Store, where: str, params: list, selectors: dict[str, str | None],
             upto: int, broken: Callable[[int, str], None]) -> Iterator[list[PageInput]]:
    """Keyset pagination: each query starts after the last id seen, so pages written
    while we run (a daemon crawling) are picked up or not, but never twice."""
    last = 0
    while True:
        rows = store.db.execute(batch_query(where), [*params, last, upto, BATCH]).fetchall()
        if not rows:
            return
        batch = []
        for page_id, url, blob, ctype, fetched_at, source in rows:
            try:
                body = zlib.decompress(blob)
            except (zlib.error, TypeError) as exc:
                broken(page_id, f"archive blob unreadable: {exc}")
                continue
            batch.append(PageInput(page_id, url, body, ctype, fetched_at,
                                   selectors.get(source or "")))
        if batch:
            yield batch
        last = rows[-1][0]


class Progress:
    """tqdm on a terminal; a plain line every few seconds otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.done, self.started = total, 0, time.monotonic()
        self.bar = None
        self.last_line = self.started
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="page", file=sys.stderr, dynamic_ncols=True)

    def update(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if now - self.last_line >= 10 or self.done == self.total:
            rate = self.done / max(now - self.started, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0
            log.warning("progress", extra={"done": self.done, "total": self.total,
                                           "rate": round(rate, 1), "eta_s": round(eta)})
            self.last_line = now

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def reextract(store: Store, model: str, *, selectors: dict[str, str | None],
              source: str | None = None, since: str | None = None, workers: int = 1,
              force: bool = False, progress: bool = True,
              on_batch: Callable[[RunStats], None] | None = None) -> RunStats:
    stats = RunStats()
    started = time.monotonic()
    where, params = _selection(source, since, force)
    upto = store.db.execute("SELECT COALESCE(MAX(id), 0) FROM pages").fetchone()[0]
    total = store.db.execute(f"SELECT COUNT(*) FROM pages WHERE {where} AND id <= ?",
                             [*params, upto]).fetchone()[0]
    bar = Progress(total, progress)

    def write(results: list[Analysis]) -> None:
        with store.transaction():
            for result in results:
                outcome = store_analysis(store, result)
                stats.pages += 1
                stats.articles += outcome.article_id is not None
                stats.departures += outcome.departures
                if result.error:
                    stats.failed.append((result.page.page_id, result.error))
        bar.update(len(results))
        if on_batch:
            on_batch(stats)

    def broken(page_id: int, reason: str) -> None:
        store.mark_page(page_id, EXTRACTOR_VERSION, None, reason)
        stats.pages += 1
        stats.failed.append((page_id, reason))
        bar.update(1)

    batches = _batches(store, where, params, selectors, upto, broken)
    try:
        if workers <= 1:
            analyzer = Analyzer(model)
            _ = analyzer.detector
            for batch in batches:
                write(analyzer.analyse_many(batch))
        else:
            _run_pool(batches, model, workers, write)
    finally:
        bar.close()
        stats.seconds = time.monotonic() - started
    return stats


def make_pool(model: str, workers: int) -> ProcessPoolExecutor:
    """Worker processes with their own model, which exit when their parent dies."""
    context = multiprocessing.get_context("spawn")
    # Workers are replaced now and then: spaCy's string store only grows, and a run
    # over months of pages must not creep upwards in memory.
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(model, os.getpid()),
                               max_tasks_per_child=WORKER_BATCHES)


def kill_pool(pool: Executor) -> None:
    """Stop a pool now, mid-batch (SIGTERM of the daemon): a batch of long articles
    can take seconds, and a stop must not wait for it. Their pages stay unmarked."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(5)


def _run_pool(batches: Iterator[list[PageInput]], model: str, workers: int,
              write: Callable[[list[Analysis]], None]) -> None:
    """At most two batches per worker in flight, written in the order they were read."""
    pool = make_pool(model, workers)
    pending: deque[Future] = deque()
    try:
        for batch in batches:
            pending.append(pool.submit(_work, batch))
            if len(pending) >= 2 * workers:
                write(pending.popleft().result())
        while pending:
            write(pending.popleft().result())
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
