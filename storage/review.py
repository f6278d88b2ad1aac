"""Reviewer decisions: confirm or reject, merge duplicates the tool missed, undo merges.

Decisions live on the departure row (status, note, reviewed_by/at) and in the
`decisions` log. Re-extraction only ever adds or removes mentions and never writes
those columns, so a decision survives any number of extractor versions.
"""

from __future__ import annotations

import json
from typing import Any

from storage.errors import StorageError
from storage.store import Store, utcnow

ACTIONS = {"confirm": "confirmed", "reject": "rejected", "reopen": "new"}


def _departure(store: Store, dep_id: int) -> dict[str, Any]:
    rows = list(store.db.query("SELECT * FROM departures WHERE id = ?", [dep_id]))
    if not rows:
        raise StorageError(f"no departure with id {dep_id}")
    return rows[0]


def _log(store: Store, dep_id: int, action: str, note: str | None, by: str, at: str,
         detail: dict[str, Any] | None = None) -> None:
    store.db.execute(
        "INSERT INTO decisions (departure_id, action, note, by, at, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [dep_id, action, note, by, at, json.dumps(detail) if detail else None],
    )


def review(store: Store, dep_id: int, action: str, *, note: str | None, by: str) -> dict:
    if action not in ACTIONS:
        raise StorageError(f"unknown review action {action!r}")
    at = utcnow()
    with store.transaction():
        _departure(store, dep_id)
        store.db.execute(
            "UPDATE departures SET status = ?, note = COALESCE(?, note), reviewed_by = ?, "
            "reviewed_at = ? WHERE id = ?",
            [ACTIONS[action], note, by, at, dep_id],
        )
        _log(store, dep_id, action, note, by, at)
    return _departure(store, dep_id)


def merge(store: Store, keep_id: int, other_id: int, *, note: str | None, by: str) -> dict:
    """Fold `other` into `keep`: its mentions and names move over, its row is kept in
    the log so `unmerge` can restore it with the same id."""
    if keep_id == other_id:
        raise StorageError("cannot merge a departure with itself")
    at = utcnow()
    with store.transaction():
        keep = _departure(store, keep_id)
        other = _departure(store, other_id)
        mentions = store.db.execute(
            "SELECT id, article_id, sentence FROM mentions WHERE departure_id = ?", [other_id]
        ).fetchall()
        for mention_id, article_id, sentence in mentions:
            clash = store.db.execute(
                "SELECT 1 FROM mentions WHERE departure_id = ? AND article_id = ? "
                "AND sentence = ?", [keep_id, article_id, sentence]).fetchone()
            if clash:
                store.db.execute("DELETE FROM mentions WHERE id = ?", [mention_id])
            else:
                store.db.execute("UPDATE mentions SET departure_id = ? WHERE id = ?",
                                 [keep_id, mention_id])
        store.db.execute("UPDATE aliases SET departure_id = ? WHERE departure_id = ?",
                         [keep_id, other_id])
        store.db.execute(
            "INSERT OR REPLACE INTO aliases (person_key, company_key, departure_id, kind, at) "
            "VALUES (?, ?, ?, 'manual', ?)",
            [other["person_key"], other["company_key"], keep_id, at],
        )
        # A decision already taken on either side is kept rather than reset to 'new'.
        status = keep["status"] if keep["status"] != "new" else other["status"]
        store.db.execute(
            "UPDATE departures SET status = ?, gold = MAX(gold, ?), "
            "first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?), "
            "role = COALESCE(role, ?), destination = COALESCE(destination, ?), "
            "when_text = COALESCE(when_text, ?), reviewed_by = ?, reviewed_at = ? WHERE id = ?",
            [status, other["gold"], other["first_seen"], other["last_seen"], other["role"],
             other["destination"], other["when_text"], by, at, keep_id],
        )
        store.db.execute("DELETE FROM departures WHERE id = ?", [other_id])
        _log(store, keep_id, "merge", note, by, at, {"merged": other})
    return _departure(store, keep_id)


def merged_variants(store: Store, dep_id: int) -> list[dict[str, Any]]:
    return list(store.db.query(
        "SELECT person_key, company_key, kind, at FROM aliases WHERE departure_id = ? "
        "ORDER BY at", [dep_id]))


def unmerge(store: Store, dep_id: int, person_key: str, company_key: str, *,
            note: str | None, by: str) -> dict:
    """Split a merged variant back out: restore the row a manual merge folded in (same
    id), or make a new one for an automatic merge; its mentions move back with it."""
    at = utcnow()
    with store.transaction():
        _departure(store, dep_id)
        alias = store.db.execute(
            "SELECT kind FROM aliases WHERE departure_id = ? AND person_key = ? "
            "AND company_key = ?", [dep_id, person_key, company_key]).fetchone()
        if alias is None:
            raise StorageError(f"departure {dep_id} has no merged variant {person_key!r} "
                               f"at {company_key!r}")
        restored = None
        for (detail,) in store.db.execute(
            "SELECT detail FROM decisions WHERE departure_id = ? AND action = 'merge' "
            "ORDER BY id DESC", [dep_id]).fetchall():
            row = json.loads(detail)["merged"]
            if (row["person_key"], row["company_key"]) == (person_key, company_key):
                restored = row
                break
        store.db.execute("DELETE FROM aliases WHERE person_key = ? AND company_key = ?",
                         [person_key, company_key])
        mentions = store.db.execute(
            "SELECT id, person, company, seen_at FROM mentions WHERE departure_id = ? "
            "AND person_key = ? AND company_key = ?", [dep_id, person_key, company_key]
        ).fetchall()
        if restored is not None and not store.db.execute(
                "SELECT 1 FROM departures WHERE id = ?", [restored["id"]]).fetchone():
            columns = ", ".join(restored)
            store.db.execute(
                f"INSERT INTO departures ({columns}) VALUES ({', '.join('?' * len(restored))})",
                list(restored.values()))
            new_id = restored["id"]
        else:
            if not mentions:
                raise StorageError(f"nothing to split out of departure {dep_id}")
            seen = [m[3] for m in mentions]
            new_id = store.db.execute(
                "INSERT INTO departures (person, company, person_key, company_key, first_seen, "
                "last_seen, status, gold) VALUES (?, ?, ?, ?, ?, ?, 'new', 0) RETURNING id",
                [mentions[0][1], mentions[0][2], person_key, company_key, min(seen), max(seen)],
            ).fetchone()[0]
        for mention_id, *_ in mentions:
            store.db.execute("UPDATE mentions SET departure_id = ? WHERE id = ?",
                             [new_id, mention_id])
        _log(store, dep_id, "unmerge", note, by, at,
             {"split_out": new_id, "person_key": person_key, "company_key": company_key})
        _log(store, new_id, "split-from", note, by, at, {"from": dep_id})
    return _departure(store, new_id)
