"""The scheduled crawl daemon (APScheduler 3.x on asyncio).

One job per source at its own interval: `max_instances=1` so a slow source never runs
twice at once, `coalesce=True` so a machine that slept runs a missed job once, and
jitter so sources on one host do not fire together. Detection runs behind the crawls in
worker processes (one `Detection` for the daemon's life), so the event loop, and with it
the scheduler and the signal handlers, never waits for spaCy. SIGTERM or Ctrl-C stops
the scheduler, kills the detection workers mid-batch, gives in-flight fetches a short
grace period, then cancels them; everything already fetched is archived, pages not yet
detected stay unmarked, and the next start resumes both.

After each run: a warning when the source failed (crawler/health.py), one INFO line per
new departure and its notifications (crawler/notify.py), then retention. The daemon's
log is its output, so it runs at INFO by default (one line per run, one per new
departure, nothing per page); failing sources are warnings. One daemon per database:
`daemon_lock` refuses a second one.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawler.config import Config, Source
from crawler.crawl import crawl
from crawler.detection import Detection
from crawler.errors import ExodusError
from crawler.health import failure_reason
from crawler.notify import Notifier
from crawler.pipeline import Processor
from crawler.upkeep import upkeep
from storage import Store
from storage.health import record_source_run, source_health

log = logging.getLogger("exodus.daemon")


def _warn_failing(store: Store, name: str, reason: str) -> None:
    """One warning per failing pass, with how long the source has been failing."""
    row = source_health(store).get(name, {})
    log.warning("source failing", extra={
        "source": name, "error": reason,
        "consecutive_failures": row.get("consecutive_failures"),
        "last_success": row.get("last_success") or "never"})


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def daemon_lock(db_path: Path) -> Iterator[Path]:
    """Hold an exclusive flock on `<db>.lock` for the daemon's lifetime.

    Two daemons on one database would crawl every source twice and race on the same
    frontier. The lock is the kernel's, tied to the open file: it is released when the
    process ends in any way (kill -9 included), so a stale lock file never blocks a
    restart; the file itself is left in place (deleting it would race a new holder).
    A one-off `exodus crawl` does not take it: SQLite's WAL serialises its writes.
    """
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ExodusError(f"{path}: cannot create the daemon lock ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise ExodusError(f"{db_path}: another exodus daemon{who} is already running on "
                              f"this database (lock {path})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)


async def run_daemon(config: Config, store: Store, processor: Processor,
                     grace_seconds: float = 3.0, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    running: set[asyncio.Task] = set()
    detection = Detection(store, processor)
    detection.watch((src.name, src.article_selector) for src in config.sources)
    detection.start()
    notifier = Notifier(config.notify)

    async def job(source: Source) -> None:
        task = asyncio.current_task()
        assert task is not None
        running.add(task)
        started = loop.time()
        try:
            def fetched(results: list) -> None:  # before detection: it does not wait
                reason = failure_reason(results[0])  # for the workers
                if reason:
                    _warn_failing(store, source.name, reason)

            (stats,) = await crawl([source], config.crawler, store, processor,
                                   detection=detection, on_fetched=fetched)
            log.info("run done", extra={"source": source.name, "summary": stats.line(),
                                           "seconds": round(loop.time() - started, 1)})
            await upkeep(config, store, notifier)
        except asyncio.CancelledError:
            log.info("run abandoned", extra={"source": source.name})
            raise
        except Exception as exc:  # one source's failure must not stop the daemon
            log.error("run failed", extra={"source": source.name, "error": repr(exc)})
            try:
                record_source_run(store, source.name, f"run failed: {exc!r}", None)
            except Exception:  # noqa: BLE001 - the database may be what failed
                pass
        finally:
            running.discard(task)

    scheduler = AsyncIOScheduler(event_loop=loop, timezone="UTC")
    now = datetime.now().astimezone()
    for i, source in enumerate(config.sources):
        minutes = source.interval_minutes
        scheduler.add_job(
            job, IntervalTrigger(minutes=minutes, jitter=min(60.0, minutes * 6)),
            args=[source], id=source.name, name=source.name, max_instances=1, coalesce=True,
            misfire_grace_time=int(minutes * 30) + 1,
            next_run_time=now + timedelta(seconds=i * 0.5),
        )
    scheduler.start()
    log.info("daemon started", extra={"sources": len(config.sources), "db": str(store.path)})
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        detection.abort()
        if running:
            _, pending = await asyncio.wait(set(running), timeout=grace_seconds)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=grace_seconds)
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        log.info("daemon stopped")
