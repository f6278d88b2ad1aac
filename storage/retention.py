"""Bounding the database: old page versions, dead frontier rows, the WAL; and a size report.

A daemon archives a new version of every feed and listing on every pass, and every
link it ever saw stays in `urls`; without limits the file only grows. Retention deletes
only what nothing points to: never the newest version of a page, never a version an
article (and so a mention) was extracted from, never a departure or a decision.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storage.store import Store, iso_utc


@dataclass(frozen=True)
class RetentionResult:
    versions_deleted: int
    urls_forgotten: int
    checkpointed: bool  # the WAL was copied back and truncated to zero bytes


def apply_retention(store: Store, *, max_versions: int, forget_failed_days: float,
                    checkpoint: bool = True) -> RetentionResult:
    """Keep at most `max_versions` versions per URL (0: keep all), forget URL rows that
    were never fetched and failed, first seen over `forget_failed_days` ago (0: never),
    then checkpoint the WAL. A forgotten URL still listed by its source is simply
    discovered again and gets a fresh start."""
    deleted = forgotten = 0
    with store.transaction():
        if max_versions > 0:
            deleted = store.db.execute(
                "DELETE FROM pages WHERE id IN (SELECT id FROM ("
                "  SELECT id, ROW_NUMBER() OVER (PARTITION BY url "
                "    ORDER BY fetched_at DESC, id DESC) AS n FROM pages "
                "  WHERE url IN (SELECT url FROM pages GROUP BY url HAVING COUNT(*) > ?)) "
                "WHERE n > ?) "
                "AND id NOT IN (SELECT page_id FROM articles WHERE page_id IS NOT NULL) "
                "AND id NOT IN (SELECT page_id FROM urls WHERE page_id IS NOT NULL)",
                [max_versions, max_versions],
            ).rowcount
        if forget_failed_days > 0:
            cutoff = iso_utc(datetime.now(UTC) - timedelta(days=forget_failed_days))
            forgotten = store.db.execute(
                "DELETE FROM urls WHERE page_id IS NULL AND failures > 0 "
                "AND discovered_at < ? AND COALESCE(last_attempt, discovered_at) < ?",
                [cutoff, cutoff],
            ).rowcount
    done = False
    if checkpoint:
        busy, _, _ = store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        done = busy == 0  # a long reader elsewhere makes it partial; the next pass retries
    return RetentionResult(deleted, forgotten, done)


@dataclass(frozen=True)
class DatabaseReport:
    db_bytes: int
    wal_bytes: int
    free_bytes: int  # pages SQLite reuses before growing the file (VACUUM returns them)
    archive_bytes: int  # page bodies as fetched
    archive_stored_bytes: int  # page bodies as stored (compressed)
    rows: dict[str, int]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def database_report(store: Store) -> DatabaseReport:
    """File sizes and row counts of every table (full-text index internals left out)."""
    db = store.db
    tables = [name for name in db.table_names()
              if "_fts" not in name and not name.startswith("sqlite_")]
    rows = {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in tables}
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    free = db.execute("PRAGMA freelist_count").fetchone()[0] * page_size
    raw, stored = db.execute(
        "SELECT COALESCE(SUM(size), 0), COALESCE(SUM(LENGTH(html)), 0) FROM pages").fetchone()
    path = str(store.path)
    return DatabaseReport(_size(path), _size(path + "-wal"), free, raw, stored, rows)
