import sqlite3
import zlib

import pytest

from storage import Finding, PageVersion, StorageError, Store
from storage.schema import SCHEMA_VERSION


def page(url="https://news.test/a/1", body=b"<html><p>hello</p></html>", **kw):
    fields = dict(url=url, final_url=url, source="s", kind="article",
                  fetched_at="2026-01-02T03:04:05Z", status=200, etag='"e1"',
                  last_modified=None, content_type="text/html", encoding=None, body=body)
    fields.update(kw)
    return PageVersion(**fields)


def finding(person="Yang Hongxia", company="ByteDance", sentence="Yang left ByteDance.", **kw):
    fields = dict(person=person, company=company, person_key=person.lower(),
                  company_key=company.lower(), role=None, destination=None, when_text=None,
                  sentence=sentence, confidence=0.9)
    fields.update(kw)
    return Finding(**fields)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "t.db") as s:
        yield s


def test_schema_tables_columns_and_pragmas(store):
    db = store.db
    assert set(db.table_names()) >= {"pages", "urls", "articles", "departures", "mentions"}
    assert "review" in db.view_names()
    assert set(db["pages"].columns_dict) >= {
        "id", "url", "final_url", "source", "fetched_at", "status", "etag", "last_modified",
        "content_type", "encoding", "sha256", "html"}
    assert set(db["articles"].columns_dict) >= {
        "id", "page_id", "url", "title", "published", "authors", "lang", "text",
        "extractor_version"}
    assert set(db["departures"].columns_dict) >= {
        "id", "person", "company", "role", "destination", "when_text", "first_seen",
        "last_seen", "status", "gold", "note"}
    assert set(db["mentions"].columns_dict) >= {"id", "departure_id", "article_id", "sentence"}
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_page_archive_is_compressed_and_deduplicated(store):
    body = b"<html>" + b"x" * 5000 + b"</html>"
    pid, created = store.save_page(page(body=body))
    assert created
    raw = store.db.execute("SELECT html FROM pages WHERE id = ?", [pid]).fetchone()[0]
    assert len(raw) < len(body) and zlib.decompress(raw) == body
    assert store.page_body(pid) == body
    again, created = store.save_page(page(body=body, fetched_at="2026-01-03T00:00:00Z"))
    assert (again, created) == (pid, False)
    newer, created = store.save_page(page(body=body + b" "))
    assert created and newer != pid
    assert store.url_state("https://news.test/a/1").page_id == newer
    assert store.url_state("https://news.test/a/1").etag == '"e1"'


def test_findings_are_upserted_and_stale_ones_pruned(store):
    pid, _ = store.save_page(page())
    art = store.save_article(url="https://news.test/a/1", page_id=pid, title="t",
                             published=None, authors=["A"], lang="en", text="text",
                             extractor_version="1", extracted_at="2026-01-02T03:04:05Z")
    ids = store.replace_findings(art, [finding(), finding(person="Fu Ruiji", company="Kuaishou",
                                                          sentence="Fu left Kuaishou.")],
                                 "2026-01-02T03:04:05Z", "1")
    assert len(set(ids)) == 2
    before = store.counts()
    assert store.replace_findings(art, [finding(), finding(person="Fu Ruiji", company="Kuaishou",
                                                           sentence="Fu left Kuaishou.")],
                                  "2026-01-02T03:04:05Z", "1") == ids
    assert store.counts() == before
    # a reviewed departure survives losing its mentions; an unreviewed one is pruned
    store.db.execute("UPDATE departures SET status = 'rejected' WHERE id = ?", [ids[0]])
    store.db.conn.commit()
    store.replace_findings(art, [], "2026-01-02T03:04:05Z", "2")
    left = {r["id"]: r for r in store.review_rows()}
    assert list(left) == [ids[0]]
    assert left[ids[0]]["status"] == "rejected" and left[ids[0]]["sources"] == 0


def test_review_view_counts_distinct_articles_and_newest_evidence(store):
    a1 = store.save_article(url="https://a.test/1", page_id=None, title=None, published=None,
                            authors=[], lang="en", text="x", extractor_version="1",
                            extracted_at="2026-01-01T00:00:00Z")
    a2 = store.save_article(url="https://b.test/2", page_id=None, title=None, published=None,
                            authors=[], lang="en", text="y", extractor_version="1",
                            extracted_at="2026-01-05T00:00:00Z")
    store.replace_findings(a1, [finding(sentence="old words")], "2026-01-01T00:00:00Z", "1")
    store.replace_findings(a2, [finding(sentence="new words"), finding(sentence="more words")],
                           "2026-01-05T00:00:00Z", "1")
    (row,) = store.review_rows()
    assert row["sources"] == 2
    assert row["evidence"] == "more words"
    assert row["evidence_url"] == "https://b.test/2"
    assert (row["first_seen"], row["last_seen"]) == ("2026-01-01T00:00:00Z",
                                                     "2026-01-05T00:00:00Z")
    assert store.review_rows(company="byte") and not store.review_rows(company="Alibaba")
    assert not store.review_rows(since="2026-02-01")


def test_status_is_constrained(store):
    a = store.save_article(url="https://a.test/1", page_id=None, title=None, published=None,
                           authors=[], lang="en", text="x", extractor_version="1",
                           extracted_at="2026-01-01T00:00:00Z")
    (dep,) = store.replace_findings(a, [finding()], "2026-01-01T00:00:00Z", "1")
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE departures SET status = 'maybe' WHERE id = ?", [dep])


def test_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StorageError, match="newer than this exodus"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


def test_frontier_remembers_pending_and_failures(store):
    store.note_discovered("s", [("https://n.test/1", "2026-01-01"), ("https://n.test/2", None)])
    assert store.pending_urls("s") == ["https://n.test/1", "https://n.test/2"]
    for _ in range(3):
        store.record_attempt("https://n.test/2", "s", 500, "http 500")
    assert store.pending_urls("s") == ["https://n.test/1"]
    store.save_page(page(url="https://n.test/1"))
    assert store.pending_urls("s") == []
