"""Per-source health: when each source last ran, last worked, and why it last failed.

A source that breaks quietly (a redesigned page the selector no longer matches, a feed
URL that now serves HTML, a host that went away) would otherwise look like a source with
no news; this table is what `exodus sources` prints and what the daemon warns from.
"""

from __future__ import annotations

from typing import Any

from storage.store import Store, utcnow


def record_source_run(store: Store, source: str, error: str | None,
                      listed: int | None, at: str | None = None) -> dict[str, Any]:
    """Record one pass over `source`: a failure when `error` is set. `listed` is None when
    the source document was unchanged (304), which keeps the previous count. Returns the
    source's row as it now stands."""
    at = at or utcnow()
    ok = error is None
    with store.transaction():
        store.db.execute(
            "INSERT INTO source_health (source, last_run, last_success, last_failure, "
            "consecutive_failures, last_error, last_listed, runs, failures) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT(source) DO UPDATE SET "
            "last_run = excluded.last_run, "
            "last_success = COALESCE(excluded.last_success, last_success), "
            "last_failure = COALESCE(excluded.last_failure, last_failure), "
            "consecutive_failures = CASE WHEN excluded.last_success IS NULL "
            "THEN consecutive_failures + 1 ELSE 0 END, "
            "last_error = COALESCE(excluded.last_error, last_error), "
            "last_listed = COALESCE(excluded.last_listed, last_listed), "
            "runs = runs + 1, failures = failures + excluded.failures",
            [source, at, at if ok else None, None if ok else at, 0 if ok else 1, error,
             listed, 0 if ok else 1],
        )
    return source_health(store)[source]


def source_health(store: Store) -> dict[str, dict[str, Any]]:
    """Every source that has run at least once, by name."""
    return {row["source"]: row for row in store.db.query("SELECT * FROM source_health")}
