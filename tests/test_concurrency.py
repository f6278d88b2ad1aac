"""A reviewer reading (and deciding) while the daemon crawls and `reextract` runs, all on
one database file: nobody sees 'database is locked', every process exits 0."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils
from faults.server import FaultServer, respond
from test_crash_safety import N_SAVED, article, check_db, human_decisions

from crawler.reextract import import_dir, plan_import
from storage import Store

N_SITE = 30


@pytest.fixture
def busy_db(tmp_path) -> Path:
    """Gold loaded, N_SAVED archived pages waiting for `reextract`, two decisions."""
    saved = tmp_path / "saved"
    saved.mkdir()
    for i in range(N_SAVED):
        (saved / f"p{i}.html").write_text(article(i))
        (saved / f"p{i}.json").write_text(
            f'{{"url": "https://news.test/a/{i}", "fetched_at": "2024-05-01T00:00:00Z"}}')
    db = tmp_path / "c.db"
    res = subprocess.run([sys.executable, "-m", "crawler.cli", "--db", str(db), "init", "--gold"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    with Store.open(db) as store:
        import_dir(store, plan_import(saved), "saved")
    return db


@pytest.fixture
def site():
    srv = FaultServer()
    items = "".join(f"<item><link>{srv.base}/s/{i}</link></item>" for i in range(N_SITE))
    srv.route("/feed.xml", respond(f"<rss version='2.0'><channel>{items}</channel></rss>",
                                   content_type="application/rss+xml"))
    for i in range(N_SITE):
        srv.route(f"/s/{i}", respond(article(200 + i)))
    yield srv
    srv.close()


def test_reviewer_daemon_and_reextract_share_the_database(tmp_path, busy_db, site):
    config = tmp_path / "config.toml"
    config.write_text(f"""[storage]
path = "{busy_db.name}"
[crawler]
delay_seconds = 0.01
max_retries = 0
[[sources]]
name = "local"
kind = "feed"
url = "{site.base}/feed.xml"
interval_minutes = 0.02
""")
    stop = threading.Event()
    problems: list[str] = []
    polls = {"review": 0, "search": 0, "decisions": 0}

    def reader() -> None:
        """The analyst's sqlite-utils session, in a tight loop."""
        db = sqlite_utils.Database(busy_db)
        while not stop.is_set():
            try:
                rows = list(db.query("select id, person, company, status, sources from review "
                                     "order by last_seen desc"))
                assert rows, "the review view is never empty (gold)"
                polls["review"] += 1
                list(db["articles"].search("resigned", limit=5))
                polls["search"] += 1
                db.execute("select count(*) from pages").fetchone()
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                problems.append(f"reader: {exc!r}")
            time.sleep(0.01)
        db.close()

    def reviewer() -> None:
        """Decisions through the CLI while the others write."""
        n = 0
        while not stop.is_set():
            action = "--confirm" if n % 2 else "--reject"
            res = subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config),
                                  "review", str(1 + n % 6), action, "--by", "ana"],
                                 cwd=tmp_path, capture_output=True, text=True, timeout=120)
            if res.returncode != 0:
                problems.append(f"review: {res.stderr.strip()}")
            polls["decisions"] += 1
            n += 1
            time.sleep(0.2)

    threads = [threading.Thread(target=reader), threading.Thread(target=reviewer)]
    for t in threads:
        t.start()
    daemon = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--config", str(config),
                               "daemon"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    daemon_reader = threading.Thread(target=lambda: lines.extend(daemon.stderr), daemon=True)
    daemon_reader.start()
    try:
        rx = subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config),
                             "reextract", "--workers", "2"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)

        def crawled() -> int:
            conn = sqlite3.connect(busy_db, timeout=30)
            try:
                return conn.execute("select count(*) from pages where url like ?",
                                    [f"{site.base}/s/%"]).fetchone()[0]
            finally:
                conn.close()

        end = time.monotonic() + 90
        while time.monotonic() < end and not (
                crawled() == N_SITE and any('msg="run done"' in ln for ln in list(lines))):
            time.sleep(0.2)
        daemon.send_signal(signal.SIGTERM)
        daemon_code = daemon.wait(timeout=30)
    finally:
        stop.set()
        for t in threads:
            t.join(120)
        daemon.kill()
    daemon_reader.join(5)
    err = "".join(lines)
    assert rx.returncode == 0, rx.stderr
    assert "locked" not in rx.stderr and "Traceback" not in rx.stderr
    assert f"reextract: {N_SAVED} pages" in rx.stdout or "reextract:" in rx.stdout
    assert daemon_code == 0, err
    assert "locked" not in err and "Traceback" not in err and "run failed" not in err, err
    assert problems == [], problems[:5]
    assert polls["review"] > 20 and polls["decisions"] >= 3, polls
    print(f"\nconcurrent: {polls}")
    counts = check_db(busy_db)
    assert counts["pages"] == N_SAVED + N_SITE
    assert counts["processed"] == N_SAVED + N_SITE
    conn = sqlite3.connect(busy_db)
    assert len(human_decisions(conn)) >= polls["decisions"]
    conn.close()


def _open_at(path: Path, start: float) -> subprocess.Popen:
    code = ("import sys, time\n"
            f"while time.time() < {start}: pass\n"
            "from storage import Store, StorageError\n"
            "try:\n"
            f"    Store.open({str(path)!r}).close()\n"
            "except StorageError as exc:\n"
            "    print(exc); sys.exit(2)\n")
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def test_two_processes_creating_one_database_at_once(tmp_path):
    """Before the WAL switch waited out its rival, about one race in twenty failed."""
    failures = []
    for i in range(12):
        path = tmp_path / f"race{i}.db"
        start = time.time() + 0.8
        procs = [_open_at(path, start) for _ in range(3)]
        for proc in procs:
            out, _ = proc.communicate(timeout=60)
            if proc.returncode != 0:
                failures.append(out.strip())
    assert failures == []
