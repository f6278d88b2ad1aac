"""The notification outbox: which new departures were announced, on which channel.

Rows are created by a trigger when a (non-gold) departure is first inserted, in the same
transaction, so no crash can lose one. Each channel column is NULL until delivered, then
holds the delivery time, or 'skipped' when that channel was off (so turning a channel on
later does not flood it with history). `announced_at` marks the pass that first saw it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from storage.store import Store, utcnow

CHANNELS = ("atom", "webhook")
SKIPPED = "skipped"

_SELECT = """
SELECT o.rowid AS rowid, o.person_key, o.company_key, o.queued_at, o.webhook_attempts,
       r.id, r.person, r.company, r.role, r.destination, r.when_text, r.evidence,
       r.evidence_url, r.first_seen, r.status
FROM notify_outbox o LEFT JOIN review r ON r.id = COALESCE(
  (SELECT d.id FROM departures d
     WHERE d.person_key = o.person_key AND d.company_key = o.company_key),
  (SELECT a.departure_id FROM aliases a
     WHERE a.person_key = o.person_key AND a.company_key = o.company_key))
"""


@dataclass(frozen=True)
class Announcement:
    """One new departure as it is announced (the register's current view of it)."""

    rowid: int
    person_key: str
    company_key: str
    queued_at: str
    departure_id: int | None
    person: str | None
    company: str | None
    role: str | None
    destination: str | None
    when_text: str | None
    evidence: str | None
    url: str | None
    first_seen: str | None
    status: str | None
    webhook_attempts: int = 0

    @property
    def key(self) -> str:
        """A stable id (Atom entry id, webhook Idempotency-Key): the dedup keys."""
        return f"tag:exodus,2024:departure:{quote(self.person_key)}@{quote(self.company_key)}"

    @property
    def live(self) -> bool:
        """Still a departure worth announcing (not merged away, deleted or rejected)."""
        return self.departure_id is not None and self.status != "rejected"


def _rows(store: Store, where: str, params: Iterable[object] = (),
          order: str = "o.queued_at, o.rowid", limit: int = -1) -> list[Announcement]:
    sql = f"{_SELECT} WHERE {where} ORDER BY {order} LIMIT ?"
    out = []
    for row in store.db.execute(sql, [*params, limit]).fetchall():
        (rowid, pkey, ckey, queued, attempts, dep_id, person, company, role, dest, when,
         evidence, url, first_seen, status) = row
        out.append(Announcement(rowid, pkey, ckey, queued, dep_id, person, company, role, dest,
                                when, evidence, url, first_seen, status, attempts))
    return out


def claim_new(store: Store) -> list[Announcement]:
    """Mark every not yet announced row as announced now and return the live ones; the
    UPDATE is atomic, so two processes never both announce one departure."""
    with store.transaction():
        ids = [r[0] for r in store.db.execute(
            "UPDATE notify_outbox SET announced_at = ? WHERE announced_at IS NULL "
            "RETURNING rowid", [utcnow()]).fetchall()]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [a for a in _rows(store, f"o.rowid IN ({marks})", ids) if a.live]


def pending(store: Store, channel: str) -> list[Announcement]:
    """Rows this channel still owes; dead ones (rejected, merged away) are marked skipped."""
    column = _column(channel)
    rows = _rows(store, f"o.{column} IS NULL")
    mark(store, channel, [a for a in rows if not a.live], SKIPPED)
    return [a for a in rows if a.live]


def delivered_or_pending(store: Store, channel: str, limit: int) -> list[Announcement]:
    """The newest `limit` live rows this channel carries (delivered or owed), newest first."""
    column = _column(channel)
    rows = _rows(store, f"(o.{column} IS NULL OR o.{column} != ?) AND r.id IS NOT NULL "
                 "AND r.status != 'rejected'", [SKIPPED],
                 order="o.queued_at DESC, o.rowid DESC", limit=limit)
    return rows


def mark(store: Store, channel: str, rows: Iterable[Announcement], value: str) -> None:
    column = _column(channel)
    ids = [(value, a.rowid) for a in rows]
    if ids:
        with store.transaction():
            store.db.conn.executemany(
                f"UPDATE notify_outbox SET {column} = ? WHERE rowid = ?", ids)


def skip_channel(store: Store, channel: str) -> None:
    """The channel is off: nothing currently owed will ever be sent on it."""
    column = _column(channel)
    with store.transaction():
        store.db.execute(f"UPDATE notify_outbox SET {column} = ? WHERE {column} IS NULL",
                         [SKIPPED])


def still_owed(store: Store, channel: str, row: Announcement) -> bool:
    """Re-read just before sending: another process (an `exodus crawl` beside the
    daemon) may have delivered the row since this one listed it."""
    column = _column(channel)
    return store.db.execute(f"SELECT 1 FROM notify_outbox WHERE rowid = ? AND {column} IS NULL",
                            [row.rowid]).fetchone() is not None


def webhook_failed(store: Store, row: Announcement, error: str) -> int:
    """Count a failed delivery; returns the attempts so far."""
    with store.transaction():
        return store.db.execute(
            "UPDATE notify_outbox SET webhook_attempts = webhook_attempts + 1, "
            "webhook_error = ? WHERE rowid = ? RETURNING webhook_attempts",
            [error, row.rowid]).fetchone()[0]


def _column(channel: str) -> str:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return f"{channel}_at"
