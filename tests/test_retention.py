"""Retention on a real SQLite file: old page versions and dead URL rows are bounded, the
WAL is checkpointed, and nothing a reader relies on (the newest version, the version an
article points to, departures, decisions) is ever deleted."""

import itertools
import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from werkzeug import Response

from crawler.cli import main
from crawler.config import ConfigError, parse_config
from storage import Finding, PageVersion, Store
from storage.retention import apply_retention, database_report


def version(url: str, n: int) -> PageVersion:
    return PageVersion(url=url, final_url=url, source="s", kind="article",
                       fetched_at=f"2026-01-{n + 1:02d}T00:00:00Z", status=200, etag=None,
                       last_modified=None, content_type="text/html", encoding=None,
                       body=f"<html><p>version {n}</p></html>".encode())


def finding(person: str) -> Finding:
    return Finding(person=person, company="Maple", person_key=person.lower(),
                   company_key="maple", role="CEO", destination=None, when_text=None,
                   sentence=f"{person} left Maple.", confidence=0.9)


def ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "r.db") as s:
        yield s


def test_versions_are_bounded_but_referenced_and_newest_are_kept(store):
    url = "https://news.test/a/1"
    ids = [store.save_page(version(url, n))[0] for n in range(15)]
    article = store.save_article(url=url, page_id=ids[2], title="t", published=None, authors=[],
                                 lang="en", text="Chen left Maple.", extractor_version="x",
                                 extracted_at="2026-01-03T00:00:00Z")
    store.replace_findings(article, [finding("Chen Jie")], "2026-01-03T00:00:00Z", "x")
    store.db.execute("INSERT INTO decisions (departure_id, action, at) VALUES (1, 'confirm', "
                     "'2026-01-04T00:00:00Z')")
    store.db.conn.commit()
    other = store.save_page(version("https://news.test/a/2", 0))[0]
    before = {t: store.db[t].count for t in ("departures", "decisions", "mentions", "articles")}

    result = apply_retention(store, max_versions=5, forget_failed_days=0)
    left = [r[0] for r in store.db.execute("SELECT id FROM pages WHERE url = ? ORDER BY id",
                                           [url])]
    assert left == [ids[2], *ids[-5:]]  # the article's version and the newest five
    assert result.versions_deleted == 9
    assert store.db.execute("SELECT page_id FROM urls WHERE url = ?", [url]).fetchone()[0] \
        == ids[-1]
    assert store.db.execute("SELECT 1 FROM pages WHERE id = ?", [other]).fetchone()
    assert {t: store.db[t].count for t in before} == before
    assert apply_retention(store, max_versions=5, forget_failed_days=0).versions_deleted == 0
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_zero_keeps_every_version(store):
    for n in range(4):
        store.save_page(version("https://news.test/a/1", n))
    assert apply_retention(store, max_versions=0, forget_failed_days=0).versions_deleted == 0
    assert store.db["pages"].count == 4


def test_old_failed_never_fetched_urls_are_forgotten(store):
    store.note_discovered("s", [("https://news.test/dead", None), ("https://news.test/new", None),
                                ("https://news.test/waiting", None)])
    store.record_attempt("https://news.test/dead", "s", 404, "http 404")
    store.record_attempt("https://news.test/new", "s", 404, "http 404")
    store.save_page(version("https://news.test/kept", 0))
    store.db.execute("UPDATE urls SET discovered_at = ?, last_attempt = ? WHERE url IN "
                     "('https://news.test/dead', 'https://news.test/waiting', "
                     "'https://news.test/kept')", [ago(40), ago(40)])
    store.db.execute("UPDATE urls SET discovered_at = ? WHERE url = 'https://news.test/new'",
                     [ago(40)])
    store.db.conn.commit()
    result = apply_retention(store, max_versions=0, forget_failed_days=30)
    left = {r[0] for r in store.db.execute("SELECT url FROM urls")}
    # the recently retried, the never tried and the fetched stay
    assert left == {"https://news.test/new", "https://news.test/waiting",
                    "https://news.test/kept"}
    assert result.urls_forgotten == 1


def test_wal_is_truncated_after_retention(store, tmp_path):
    for n in range(30):
        store.save_page(version(f"https://news.test/a/{n}", n % 28))
    wal = tmp_path / "r.db-wal"
    assert wal.stat().st_size > 0
    result = apply_retention(store, max_versions=5, forget_failed_days=30, checkpoint=True)
    assert result.checkpointed and wal.stat().st_size == 0


def test_database_report_counts_rows_and_sizes(store, tmp_path):
    for n in range(3):
        store.save_page(version("https://news.test/a/1", n))
    report = database_report(store)
    assert report.rows["pages"] == 3 and report.rows["departures"] == 0
    assert "pages_fts" not in report.rows and "articles_fts_data" not in report.rows
    assert report.db_bytes == os.path.getsize(tmp_path / "r.db")
    assert report.wal_bytes == os.path.getsize(tmp_path / "r.db-wal")


def test_retention_config_is_validated():
    config = parse_config({"retention": {"max_versions_per_url": 3,
                                         "forget_failed_after_days": 7}}, None)
    assert config.retention.max_versions_per_url == 3
    assert config.retention.forget_failed_after_days == 7.0
    assert parse_config({}, None).retention.max_versions_per_url > 0
    for bad in ({"max_versions_per_url": -1}, {"forget_failed_after_days": -2},
                {"max_versions": 3}, {"max_versions_per_url": "3"}):
        with pytest.raises(ConfigError, match="retention"):
            parse_config({"retention": bad}, None)


def test_crawl_applies_retention_and_stats_reports_it(tmp_path, httpserver, capsys):
    counter = itertools.count()
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_handler(lambda request: Response(
        f"<rss version='2.0'><channel><title>{next(counter)}</title>"
        f"<item><link>{base}/a/1</link></item></channel></rss>",
        content_type="application/rss+xml"))
    httpserver.expect_request("/a/1").respond_with_data(
        "<html><body><article><p>Nothing happened at Maple today at all.</p></article>"
        "</body></html>", content_type="text/html")
    config = tmp_path / "config.toml"
    config.write_text(f"""
[storage]
path = "c.db"
[crawler]
delay_seconds = 0.01
allow_private = true
[retention]
max_versions_per_url = 2
[[sources]]
name = "feed"
kind = "feed"
url = "{base}/feed.xml"
""")
    for _ in range(4):
        assert main(["--config", str(config), "crawl"]) == 0
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert db.execute("SELECT COUNT(*) FROM pages WHERE kind = 'feed'").fetchone()[0] == 2
    capsys.readouterr()
    assert main(["--config", str(config), "stats"]) == 0
    out = capsys.readouterr().out
    assert "database" in out and "wal" in out
    rows = dict(line.split()[:2] for line in out.splitlines() if line.startswith("  "))
    assert rows["pages"] == "3" and rows["urls"] == "2"


def test_every_retention_and_notify_key_is_documented_in_the_shipped_config():
    from dataclasses import fields
    from pathlib import Path

    from crawler.config import NotifySettings, RetentionSettings, load_config

    shipped = Path(__file__).resolve().parent.parent / "config.toml"
    config = load_config(shipped)
    assert config.notify.atom_path is None and config.notify.webhook_url is None  # off
    text = shipped.read_text()
    for settings in (RetentionSettings, NotifySettings):
        for f in fields(settings):
            assert f"{f.name} = " in text, f.name
