"""What follows every crawl pass, in `exodus crawl` and in the daemon alike: retention
(so the database stays bounded) and notifications of the departures the pass found."""

from __future__ import annotations

import logging

from crawler.config import Config
from crawler.notify import Notifier
from storage import Store
from storage.retention import RetentionResult, apply_retention

log = logging.getLogger("exodus.upkeep")


def run_retention(config: Config, store: Store) -> RetentionResult:
    settings = config.retention
    result = apply_retention(store, max_versions=settings.max_versions_per_url,
                             forget_failed_days=settings.forget_failed_after_days,
                             checkpoint=settings.checkpoint_wal)
    if result.versions_deleted or result.urls_forgotten:
        log.info("retention", extra={"versions_deleted": result.versions_deleted,
                                     "urls_forgotten": result.urls_forgotten})
    return result


async def upkeep(config: Config, store: Store, notifier: Notifier) -> None:
    """The daemon's after-pass work; a failure here is logged, never a failed source."""
    try:
        await notifier.after_pass(store)
        run_retention(config, store)
    except Exception as exc:  # noqa: BLE001 - the next pass tries again
        log.error("upkeep failed", extra={"error": repr(exc)})
