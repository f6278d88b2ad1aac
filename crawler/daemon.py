"""The scheduled crawl daemon (APScheduler 3.x on asyncio).

One job per source at its own interval: `max_instances=1` so a slow source never runs
twice at once, `coalesce=True` so a machine that slept runs a missed job once, and
jitter so sources on one host do not fire together. Detection runs behind the crawls in
worker processes (one `Detection` for the daemon's life), so the event loop, and with it
the scheduler and the signal handlers, never waits for spaCy. SIGTERM or Ctrl-C stops
the scheduler, kills the detection workers mid-batch, gives in-flight fetches a short
grace period, then cancels them; everything already fetched is archived, pages not yet
detected stay unmarked, and the next start resumes both.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from crawler.config import Config, Source
from crawler.crawl import crawl
from crawler.detection import Detection
from crawler.pipeline import Processor
from storage import Store

log = logging.getLogger("exodus.daemon")


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

    async def job(source: Source) -> None:
        task = asyncio.current_task()
        assert task is not None
        running.add(task)
        started = loop.time()
        try:
            (stats,) = await crawl([source], config.crawler, store, processor,
                                   detection=detection)
            log.info("run done", extra={"source": source.name, "summary": stats.line(),
                                           "seconds": round(loop.time() - started, 1)})
        except asyncio.CancelledError:
            log.info("run abandoned", extra={"source": source.name})
            raise
        except Exception as exc:  # one source's failure must not stop the daemon
            log.error("run failed", extra={"source": source.name, "error": repr(exc)})
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
