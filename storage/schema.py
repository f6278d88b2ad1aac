"""The versioned schema: each migration moves the database up one `PRAGMA user_version`.

Migrations only ever add; a database written by a newer exodus is refused rather than
guessed at, so an old binary can never damage a newer archive.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from storage.errors import StorageError

REVIEW_VIEW_V1 = """
SELECT
  d.id, d.person, d.company, d.role, d.destination, d.when_text, d.status, d.gold,
  (SELECT COUNT(DISTINCT m.article_id) FROM mentions m WHERE m.departure_id = d.id) AS sources,
  (SELECT m.sentence FROM mentions m WHERE m.departure_id = d.id
     ORDER BY m.seen_at DESC, m.id DESC LIMIT 1) AS evidence,
  (SELECT a.url FROM mentions m JOIN articles a ON a.id = m.article_id
     WHERE m.departure_id = d.id ORDER BY m.seen_at DESC, m.id DESC LIMIT 1) AS evidence_url,
  d.first_seen, d.last_seen, d.note
FROM departures d
"""

# sources: distinct articles; outlets: distinct sites; stories: distinct texts once
# syndicated copies (near-duplicates) are folded together.
REVIEW_VIEW = """
SELECT
  d.id, d.person, d.company, d.role, d.destination, d.when_text, d.status, d.gold,
  (SELECT COUNT(DISTINCT m.article_id) FROM mentions m WHERE m.departure_id = d.id) AS sources,
  (SELECT COUNT(DISTINCT a.host) FROM mentions m JOIN articles a ON a.id = m.article_id
     WHERE m.departure_id = d.id) AS outlets,
  (SELECT COUNT(DISTINCT COALESCE(a.duplicate_of, a.id)) FROM mentions m
     JOIN articles a ON a.id = m.article_id WHERE m.departure_id = d.id) AS stories,
  (SELECT m.sentence FROM mentions m WHERE m.departure_id = d.id
     ORDER BY m.seen_at DESC, m.id DESC LIMIT 1) AS evidence,
  (SELECT a.url FROM mentions m JOIN articles a ON a.id = m.article_id
     WHERE m.departure_id = d.id ORDER BY m.seen_at DESC, m.id DESC LIMIT 1) AS evidence_url,
  d.first_seen, d.last_seen, d.note, d.reviewed_by, d.reviewed_at
FROM departures d
"""


def _v1(db: sqlite_utils.Database) -> None:
    db["pages"].create(
        {
            "id": int, "url": str, "final_url": str, "source": str, "kind": str,
            "fetched_at": str, "status": int, "etag": str, "last_modified": str,
            "content_type": str, "encoding": str, "sha256": str, "size": int, "html": bytes,
        },
        pk="id",
        not_null={"url", "fetched_at", "sha256", "html"},
    )
    db["pages"].create_index(["url", "sha256"], unique=True)
    db["pages"].create_index(["source", "fetched_at"])
    # One row per URL ever seen: the persistent frontier and the validators for
    # conditional requests, so a restart never re-downloads what it already has.
    db["urls"].create(
        {
            "url": str, "source": str, "discovered_at": str, "listed_published": str,
            "last_attempt": str, "last_status": int, "last_error": str, "failures": int,
            "etag": str, "last_modified": str, "page_id": int,
        },
        pk="url",
        not_null={"discovered_at"},
        defaults={"failures": 0},
        foreign_keys=[("page_id", "pages", "id")],
    )
    db["articles"].create(
        {
            "id": int, "page_id": int, "url": str, "title": str, "published": str,
            "authors": str, "lang": str, "text": str, "extractor_version": str,
            "extracted_at": str,
        },
        pk="id",
        not_null={"url"},
        foreign_keys=[("page_id", "pages", "id")],
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["page_id"])
    db["departures"].create(
        {
            "id": int, "person": str, "company": str, "person_key": str, "company_key": str,
            "role": str, "destination": str, "when_text": str, "confidence": float,
            "first_seen": str, "last_seen": str, "status": str, "gold": int, "note": str,
        },
        pk="id",
        not_null={"person", "company", "person_key", "company_key", "first_seen", "last_seen",
                  "status", "gold"},
        defaults={"status": "new", "gold": 0},
    )
    db["departures"].create_index(["person_key", "company_key"], unique=True)
    db["mentions"].create(
        {
            "id": int, "departure_id": int, "article_id": int, "sentence": str,
            "extractor_version": str, "seen_at": str,
        },
        pk="id",
        not_null={"departure_id", "article_id", "sentence", "seen_at"},
        foreign_keys=[("departure_id", "departures", "id"), ("article_id", "articles", "id")],
    )
    db["mentions"].create_index(["departure_id", "article_id", "sentence"], unique=True)
    db["mentions"].create_index(["article_id"])
    db.execute(
        "CREATE TRIGGER departures_status_check BEFORE UPDATE OF status ON departures "
        "WHEN NEW.status NOT IN ('new', 'confirmed', 'rejected') "
        "BEGIN SELECT RAISE(ABORT, 'status must be new, confirmed or rejected'); END"
    )
    db.create_view("review", REVIEW_VIEW_V1)


def _v2(db: sqlite_utils.Database) -> None:
    """Review decisions, merges, near-duplicate articles and full-text search."""
    db["departures"].add_column("reviewed_by", str)
    db["departures"].add_column("reviewed_at", str)
    # A mention keeps the names as that article wrote them, so a merge can be undone.
    for column in ("person", "company", "person_key", "company_key"):
        db["mentions"].add_column(column, str)
    db.execute(
        "UPDATE mentions SET (person, company, person_key, company_key) = "
        "(SELECT person, company, person_key, company_key FROM departures d "
        "WHERE d.id = mentions.departure_id)"
    )
    db["articles"].add_column("host", str)
    db["articles"].add_column("minhash", bytes)
    db["articles"].add_column("duplicate_of", int, fk="articles", fk_col="id")
    # MinHash LSH bands of each article's text, to find syndicated copies quickly.
    db["article_bands"].create(
        {"article_id": int, "band": int},
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "band"},
    )
    db["article_bands"].create_index(["band"])
    db["article_bands"].create_index(["article_id"])
    db["decisions"].create(
        {"id": int, "departure_id": int, "action": str, "note": str, "by": str, "at": str,
         "detail": str},
        pk="id",
        not_null={"departure_id", "action", "at"},
    )
    db["decisions"].create_index(["departure_id"])
    # Variant names folded into a departure: (person_key, company_key) -> departure.
    db["aliases"].create(
        {"person_key": str, "company_key": str, "departure_id": int, "kind": str, "at": str},
        pk=("person_key", "company_key"),
        not_null={"departure_id", "kind", "at"},
        foreign_keys=[("departure_id", "departures", "id")],
    )
    db["articles"].enable_fts(["title", "text"], create_triggers=True)
    db["departures"].enable_fts(["person", "company", "role", "destination", "note"],
                                create_triggers=True)
    db["review"].drop()
    db.create_view("review", REVIEW_VIEW)


def _v3(db: sqlite_utils.Database) -> None:
    """Which extractor version last processed each page: `reextract` resumes from it."""
    db["pages"].add_column("extractor_version", str)
    db["pages"].add_column("extract_error", str)
    db.execute(
        "UPDATE pages SET extractor_version = (SELECT a.extractor_version FROM articles a "
        "WHERE a.page_id = pages.id)"
    )
    db["pages"].create_index(["kind", "extractor_version"])


def _v4(db: sqlite_utils.Database) -> None:
    """Speed at archive scale: batch scans by row id, one FTS write per article save,
    and the indexes two hot lookups lacked."""
    # Articles (id order, with the extractor mark) without touching the rows: a
    # `reextract` batch walks this from its cursor instead of sorting every match.
    db.execute("CREATE INDEX IF NOT EXISTS idx_pages_article_id_version "
               "ON pages (id, extractor_version) WHERE kind = 'article'")
    db.execute("CREATE INDEX IF NOT EXISTS idx_departures_company_key "
               "ON departures (company_key)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_urls_source ON urls (source)")
    # Re-index full text only when an indexed column changes: bookkeeping updates
    # (duplicate_of, last_seen, ...) rewrote the whole article's FTS rows before.
    for table, columns in (("articles", ("title", "text")),
                           ("departures", ("person", "company", "role", "destination",
                                           "note"))):
        cols = ", ".join(f'"{c}"' for c in columns)
        old = ", ".join(f'old."{c}"' for c in columns)
        new = ", ".join(f'new."{c}"' for c in columns)
        db.execute(f'DROP TRIGGER IF EXISTS "{table}_au"')
        db.execute(
            f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {cols} ON "{table}" BEGIN\n'
            f'  INSERT INTO "{table}_fts" ("{table}_fts", rowid, {cols}) '
            f"VALUES('delete', old.rowid, {old});\n"
            f'  INSERT INTO "{table}_fts" (rowid, {cols}) VALUES (new.rowid, {new});\nEND')




def _v5(db: sqlite_utils.Database) -> None:
    """Monitoring: the health of each source and the outbox of departure notifications.

    `source_health` has one row per source, updated after every pass, so a source that
    silently broke (wrong selector, HTML instead of a feed, host gone) shows as failing.
    `notify_outbox` gets a row, by trigger and so in the same transaction, for every new
    non-gold departure; delivery marks it per channel, so a restart neither loses nor
    repeats a notification. Keyed by the dedup keys, not the id: a departure pruned and
    found again is not announced twice. Rows for existing departures are marked delivered,
    so upgrading a database does not flood a new webhook with its history.
    """
    db["source_health"].create(
        {"source": str, "last_run": str, "last_success": str, "last_failure": str,
         "consecutive_failures": int, "last_error": str, "last_listed": int, "runs": int,
         "failures": int},
        pk="source",
        not_null={"last_run", "consecutive_failures", "runs", "failures"},
        defaults={"consecutive_failures": 0, "runs": 0, "failures": 0},
    )
    db["notify_outbox"].create(
        {"person_key": str, "company_key": str, "queued_at": str, "announced_at": str,
         "atom_at": str, "webhook_at": str, "webhook_attempts": int, "webhook_error": str},
        pk=("person_key", "company_key"),
        not_null={"queued_at", "webhook_attempts"},
        defaults={"webhook_attempts": 0},
    )
    db["notify_outbox"].create_index(["queued_at"])
    db.execute(
        "INSERT OR IGNORE INTO notify_outbox (person_key, company_key, queued_at, "
        "announced_at, atom_at, webhook_at) SELECT person_key, company_key, first_seen, "
        "'before-upgrade', 'skipped', 'skipped' FROM departures"
    )
    db.execute(
        "CREATE TRIGGER notify_new_departure AFTER INSERT ON departures WHEN NEW.gold = 0 "
        "BEGIN INSERT OR IGNORE INTO notify_outbox (person_key, company_key, queued_at) "
        "VALUES (NEW.person_key, NEW.company_key, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')); END"
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the schema up to date, one locked transaction per step; returns the version.

    Each step takes the write lock first (BEGIN IMMEDIATE) and reads the version again
    under it, so two processes opening a new database at once migrate it once, and a
    crash part-way through a step rolls that step back whole.
    """
    for version in range(1, SCHEMA_VERSION + 1):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            current = db.execute("PRAGMA user_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                name = db.conn.execute("PRAGMA database_list").fetchone()[2]
                raise StorageError(
                    f"{name}: database schema version {current} is newer than this exodus "
                    f"supports ({SCHEMA_VERSION}); upgrade exodus"
                )
            if current < version:
                MIGRATIONS[version - 1](db)
                db.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()
    return SCHEMA_VERSION
