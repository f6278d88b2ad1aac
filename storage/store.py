"""All reads and writes of the exodus database.

Every write is one short transaction, so a reviewer reading the same file through
sqlite-utils or Datasette (WAL mode) never blocks the crawler, and a crash between two
writes leaves each page either fully stored or absent.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from storage.errors import StorageError
from storage.schema import migrate
from storage.similar import (
    NEAR_DUPLICATE_JACCARD,
    band_keys,
    jaccard,
    minhash,
    near_same_person,
    surname_of,
)

_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_text(value: str | None) -> str | None:
    """``value`` with lone surrogates replaced by U+FFFD: SQLite can only store valid
    UTF-8, and a str from a hostile page can hold "\\ud800" (the storage boundary's own
    guard; extraction already cleans what it returns)."""
    if value is None or not _SURROGATE.search(value):
        return value
    return _SURROGATE.sub("\ufffd", value)


def site_of(url: str) -> str | None:
    """The host without "www.": one outlet, whichever form its links take."""
    host = urlsplit(url).hostname
    return host[4:] if host and host.startswith("www.") else host


def iso_utc(when: datetime) -> str:
    """The one timestamp format of the database (sortable as text)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utcnow() -> str:
    return iso_utc(datetime.now(UTC))


LOCK_WAIT_SECONDS = 30.0


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting out a concurrent opener.

    SQLite answers 'database is locked' at once, without its busy handler, when two
    processes switch a brand-new file to WAL at the same moment, so the wait is ours.
    """
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    pause = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


@dataclass(frozen=True)
class PageVersion:
    url: str
    final_url: str
    source: str | None
    kind: str  # article, feed, listing or sitemap: only articles are (re-)extracted
    fetched_at: str
    status: int | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    encoding: str | None
    body: bytes


@dataclass(frozen=True)
class UrlState:
    url: str
    etag: str | None
    last_modified: str | None
    page_id: int | None
    last_attempt: str | None
    failures: int


@dataclass(frozen=True)
class Finding:
    """One departure as found in one article, with its dedup keys already computed."""

    person: str
    company: str
    person_key: str
    company_key: str
    role: str | None
    destination: str | None
    when_text: str | None
    sentence: str
    confidence: float
    gold: bool = False


def _utf8_finding(f: Finding) -> Finding:
    return replace(f, person=utf8_text(f.person) or "", company=utf8_text(f.company) or "",
                   person_key=utf8_text(f.person_key) or "",
                   company_key=utf8_text(f.company_key) or "", role=utf8_text(f.role),
                   destination=utf8_text(f.destination), when_text=utf8_text(f.when_text),
                   sentence=utf8_text(f.sentence) or "")


class Store:
    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._depth = 0

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> Store:
        path = Path(path)
        if not create and not path.exists():
            raise StorageError(f"{path}: database not found (run 'exodus init' first)")
        if path.parent and not path.parent.exists():
            raise StorageError(f"{path}: directory {path.parent} does not exist")
        conn = None
        try:
            conn = sqlite3.connect(str(path), timeout=30.0)
            conn.execute("PRAGMA busy_timeout = 30000")
            _enable_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            db = sqlite_utils.Database(conn)
            migrate(db)
        except (sqlite3.DatabaseError, StorageError) as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, StorageError):
                raise
            raise StorageError(f"{path}: cannot open database ({exc})") from None
        return cls(db, path)

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested uses join the outermost one, so a caller can
        group many small writes (a batch of re-extracted pages) into one commit."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            if not self.db.conn.in_transaction:
                self.db.conn.execute("BEGIN IMMEDIATE")
            yield
        except BaseException:
            self.db.conn.rollback()
            raise
        else:
            self.db.conn.commit()
        finally:
            self._depth = 0

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the crawl frontier -------------------------------------------------------------

    def url_state(self, url: str) -> UrlState | None:
        row = self.db.execute(
            "SELECT url, etag, last_modified, page_id, last_attempt, failures FROM urls "
            "WHERE url = ?",
            [url],
        ).fetchone()
        return UrlState(*row) if row else None

    def note_discovered(self, source: str, links: Iterable[tuple[str, str | None]]) -> int:
        """Remember links so that a crash after discovery still fetches them later."""
        now = utcnow()
        with self.transaction():
            cur = self.db.conn.executemany(
                "INSERT INTO urls (url, source, discovered_at, listed_published, failures) "
                "VALUES (?, ?, ?, ?, 0) ON CONFLICT(url) DO UPDATE SET "
                "listed_published = COALESCE(excluded.listed_published, listed_published)",
                [(url, source, now, published) for url, published in links],
            )
        return cur.rowcount

    def record_attempt(self, url: str, source: str | None, status: int | None,
                       error: str | None) -> None:
        """Log a fetch that stored no new page (304, failure, robots) on the URL's row."""
        now = utcnow()
        failed = error is not None
        with self.transaction():
            self.db.execute(
                "INSERT INTO urls (url, source, discovered_at, last_attempt, last_status, "
                "last_error, failures) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE "
                "SET last_attempt = excluded.last_attempt, last_status = excluded.last_status, "
                "last_error = excluded.last_error, "
                "failures = CASE WHEN excluded.failures > 0 THEN failures + 1 ELSE 0 END",
                [url, source, now, now, status, error, int(failed)],
            )

    def pending_urls(self, source: str, max_failures: int = 3) -> list[str]:
        """URLs listed by a source and never stored, oldest first (resume after a crash)."""
        rows = self.db.execute(
            "SELECT url FROM urls WHERE source = ? AND page_id IS NULL AND failures < ? "
            "ORDER BY discovered_at, rowid",
            [source, max_failures],
        ).fetchall()
        return [r[0] for r in rows]

    # -- the archive ----------------------------------------------------------------------

    def save_page(self, page: PageVersion) -> tuple[int, bool]:
        """Archive one fetched page; returns (page id, whether it is a new version)."""
        digest = hashlib.sha256(page.body).hexdigest()
        with self.transaction():
            row = self.db.execute(
                "SELECT id FROM pages WHERE url = ? AND sha256 = ?", [page.url, digest]
            ).fetchone()
            created = row is None
            if created:
                cur = self.db.execute(
                    "INSERT INTO pages (url, final_url, source, kind, fetched_at, status, etag, "
                    "last_modified, content_type, encoding, sha256, size, html) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [page.url, page.final_url, page.source, page.kind, page.fetched_at,
                     page.status,
                     page.etag, page.last_modified, page.content_type, page.encoding, digest,
                     len(page.body), zlib.compress(page.body, 6)],
                )
                page_id = cur.lastrowid
            else:
                page_id = row[0]
            self.db.execute(
                "INSERT INTO urls (url, source, discovered_at, last_attempt, last_status, "
                "failures, etag, last_modified, page_id) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET last_attempt = excluded.last_attempt, "
                "last_status = excluded.last_status, last_error = NULL, failures = 0, "
                "etag = excluded.etag, last_modified = excluded.last_modified, "
                "page_id = excluded.page_id",
                [page.url, page.source, page.fetched_at, page.fetched_at, page.status,
                 page.etag, page.last_modified, page_id],
            )
        return page_id, created

    def mark_page(self, page_id: int, extractor_version: str, encoding: str | None,
                  error: str | None) -> None:
        """Record that this extractor version has processed the page (and how it went),
        so an interrupted `reextract` resumes where it stopped."""
        with self.transaction():
            self.db.execute(
                "UPDATE pages SET extractor_version = ?, encoding = COALESCE(?, encoding), "
                "extract_error = ? WHERE id = ?", [extractor_version, encoding, error, page_id])

    def unprocessed_pages(self, source: str, extractor_version: str,
                          limit: int = 100) -> list[dict[str, Any]]:
        """Article pages archived but never extracted by this version: a crash between
        archiving and extraction leaves such pages, and the next pass picks them up."""
        rows = list(self.db.query(
            "SELECT id, url, content_type, fetched_at, html FROM pages p WHERE source = ? "
            "AND kind = 'article' AND extractor_version IS NULL AND EXISTS "
            "(SELECT 1 FROM urls u WHERE u.url = p.url AND u.page_id = p.id) "
            "ORDER BY id LIMIT ?", [source, limit]))
        for row in rows:
            row["html"] = zlib.decompress(row["html"])
        return rows

    def page_body(self, page_id: int) -> bytes:
        row = self.db.execute("SELECT html FROM pages WHERE id = ?", [page_id]).fetchone()
        if row is None:
            raise StorageError(f"page {page_id} not found")
        return zlib.decompress(row[0])

    # -- articles and departures ------------------------------------------------------------

    def save_article(self, *, url: str, page_id: int | None, title: str | None,
                     published: str | None, authors: list[str], lang: str | None, text: str,
                     extractor_version: str, extracted_at: str) -> int:
        """One article per URL: a newer page version or extractor replaces the fields.

        A MinHash links a syndicated copy (the same text under another URL) to the first
        article of its story, so reviewers see one story reported by several outlets.
        """
        url, title, published, lang, text = (
            utf8_text(url), utf8_text(title), utf8_text(published), utf8_text(lang),
            utf8_text(text) or "")
        authors = [utf8_text(a) or "" for a in authors]
        signature = minhash(text)
        with self.transaction():
            row = self.db.execute(
                "INSERT INTO articles (url, page_id, title, published, authors, lang, text, "
                "extractor_version, extracted_at, host, minhash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET page_id = excluded.page_id, "
                "title = excluded.title, published = excluded.published, "
                "authors = excluded.authors, lang = excluded.lang, text = excluded.text, "
                "extractor_version = excluded.extractor_version, "
                "extracted_at = excluded.extracted_at, minhash = excluded.minhash RETURNING id",
                [url, page_id, title, published, json.dumps(authors, ensure_ascii=False), lang,
                 text, extractor_version, extracted_at, site_of(url), signature],
            ).fetchone()
            article_id = int(row[0])
            self.db.execute("DELETE FROM article_bands WHERE article_id = ?", [article_id])
            root = None
            if signature is not None:
                keys = band_keys(signature)
                root = self._story_root(article_id, signature, keys)
                self.db.conn.executemany(
                    "INSERT INTO article_bands (article_id, band) VALUES (?, ?)",
                    [(article_id, key) for key in keys])
            self.db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?",
                            [root, article_id])
        return article_id

    def _story_root(self, article_id: int, signature: bytes, keys: list[int]) -> int | None:
        marks = ",".join("?" * len(keys))
        candidates = self.db.execute(
            f"SELECT id, minhash, duplicate_of FROM articles WHERE id IN "
            f"(SELECT DISTINCT article_id FROM article_bands WHERE band IN ({marks})) "
            f"AND id != ? ORDER BY id",
            [*keys, article_id],
        ).fetchall()
        for other_id, other_signature, other_root in candidates:
            if jaccard(signature, other_signature) >= NEAR_DUPLICATE_JACCARD:
                root = other_root or other_id
                return root if root != article_id else None
        return None

    def _departure_for(self, f: Finding, at: str) -> int | None:
        """The departure a finding belongs to: same keys, a recorded alias, or a name one
        slip away at the same organisation (merged, and the merge recorded for undo)."""
        row = self.db.execute(
            "SELECT id FROM departures WHERE person_key = ? AND company_key = ?",
            [f.person_key, f.company_key],
        ).fetchone() or self.db.execute(
            "SELECT departure_id FROM aliases WHERE person_key = ? AND company_key = ?",
            [f.person_key, f.company_key],
        ).fetchone()
        if row:
            return int(row[0])
        near = [
            (dep_id, key)
            for dep_id, key in self.db.execute(
                "SELECT id, person_key FROM departures WHERE company_key = ?", [f.company_key]
            ).fetchall()
            if near_same_person(f.person_key, key) or surname_of(f.person_key, key)
        ]
        if len(near) != 1:  # none, or ambiguous: two people who could both be meant
            return None
        dep_id, key = near[0]
        self.db.execute(
            "INSERT INTO aliases (person_key, company_key, departure_id, kind, at) "
            "VALUES (?, ?, ?, 'auto', ?)",
            [f.person_key, f.company_key, dep_id, at],
        )
        self.db.execute(
            "INSERT INTO decisions (departure_id, action, note, by, at, detail) "
            "VALUES (?, 'auto-merge', ?, 'exodus', ?, ?)",
            [dep_id, f"{f.person!r} taken as {key!r}", at,
             json.dumps({"person": f.person, "company": f.company,
                         "person_key": f.person_key, "company_key": f.company_key})],
        )
        return dep_id

    def replace_findings(self, article_id: int, findings: list[Finding], seen_at: str,
                         extractor_version: str) -> list[int]:
        """Make the article's mentions exactly `findings`, keeping departure ids stable.

        Departures are upserted first and stale mentions removed after, so running the
        same extraction twice changes nothing; a departure left without any mention is
        deleted only when nobody reviewed it and it is not gold. Reviewer decisions
        (status, note) are never written here.
        """
        ids: list[int] = []
        findings = [_utf8_finding(f) for f in findings]
        with self.transaction():
            keep: list[int] = []
            for f in findings:
                dep_id = self._departure_for(f, seen_at)
                if dep_id is None:
                    dep_id = self.db.execute(
                        "INSERT INTO departures (person, company, person_key, company_key, "
                        "role, destination, when_text, confidence, first_seen, last_seen, "
                        "status, gold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?) "
                        "RETURNING id",
                        [f.person, f.company, f.person_key, f.company_key, f.role,
                         f.destination, f.when_text, f.confidence, seen_at, seen_at,
                         int(f.gold)],
                    ).fetchone()[0]
                else:
                    self.db.execute(
                        "UPDATE departures SET role = COALESCE(role, ?), "
                        "destination = COALESCE(destination, ?), "
                        "when_text = COALESCE(when_text, ?), "
                        "confidence = MAX(COALESCE(confidence, 0), ?), "
                        "first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?), "
                        "gold = MAX(gold, ?) WHERE id = ?",
                        [f.role, f.destination, f.when_text, f.confidence, seen_at, seen_at,
                         int(f.gold), dep_id],
                    )
                mention_id = self.db.execute(
                    "INSERT INTO mentions (departure_id, article_id, sentence, "
                    "extractor_version, seen_at, person, company, person_key, company_key) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(departure_id, article_id, sentence) DO UPDATE SET "
                    "extractor_version = excluded.extractor_version RETURNING id",
                    [dep_id, article_id, f.sentence, extractor_version, seen_at, f.person,
                     f.company, f.person_key, f.company_key],
                ).fetchone()[0]
                keep.append(mention_id)
                ids.append(dep_id)
            marks = ",".join("?" * len(keep))
            stale = self.db.execute(
                f"SELECT id, departure_id FROM mentions WHERE article_id = ? "
                f"AND id NOT IN ({marks})",
                [article_id, *keep],
            ).fetchall()
            for mention_id, dep_id in stale:
                self.db.execute("DELETE FROM mentions WHERE id = ?", [mention_id])
                self.prune(dep_id)
        return ids

    def prune(self, dep_id: int) -> None:
        """Drop a departure nothing supports any more, unless a person reviewed it."""
        if self.db.execute(
            "SELECT 1 FROM departures WHERE id = ? AND status = 'new' AND gold = 0 "
            "AND reviewed_at IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM mentions WHERE departure_id = ?)", [dep_id, dep_id]
        ).fetchone():
            self.db.execute("DELETE FROM aliases WHERE departure_id = ?", [dep_id])
            self.db.execute("DELETE FROM departures WHERE id = ?", [dep_id])

    # -- reading ------------------------------------------------------------------------------

    def review_rows(self, *, status: str | None = None, company: str | None = None,
                    since: str | None = None) -> list[dict[str, Any]]:
        where, params = [], []
        if status:
            where.append("status = ?")
            params.append(status)
        if company:
            where.append("company LIKE ?")
            params.append(f"%{company}%")
        if since:
            where.append("last_seen >= ?")
            params.append(since)
        sql = "SELECT * FROM review"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY last_seen DESC, id"
        return list(self.db.query(sql, params))

    def counts(self) -> dict[str, int]:
        return {
            t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("pages", "urls", "articles", "departures", "mentions")
        }
