"""The whole product, end to end: `exodus demo` on the bundled site."""

import json
import socket

import sqlite_utils

from crawler.cli import main


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_end_to_end(tmp_path, capsys):
    db_path = tmp_path / "demo.db"
    port = str(free_port())
    assert main(["--db", str(db_path), "demo", "--port", port]) == 0
    out = capsys.readouterr().out
    assert "demo-newsflash: listed" in out and "demo-feed: listed" in out
    assert "skipped by robots 1" in out

    db = sqlite_utils.Database(db_path)
    crawled = {
        (r["person"], r["company"])
        for r in db.query(
            "select distinct d.person, d.company from departures d "
            "join mentions m on m.departure_id = d.id join articles a on a.id = m.article_id "
            "where a.page_id is not null")
    }
    # detected on the crawled pages, not only the gold rows
    assert {("Yang Hongxia", "ByteDance"), ("Fu Ruiji", "Kuaishou")} <= crawled
    assert ("Zhao Lifeng", "Xinhai Semiconductor") in crawled
    assert ("Ma Jun", "Cedarline Cloud") in crawled  # from the feed-only story
    # the robots-disallowed page was never fetched; the GBK page decoded
    assert not list(db.query("select 1 from pages where url like '%/private/%'"))
    (zh,) = db.query("select a.title, a.lang, p.encoding from articles a "
                     "join pages p on p.id = a.page_id where a.url like '%2804%'")
    assert "星环智能" in zh["title"] and zh["lang"].startswith("zh")
    assert zh["encoding"] == "gb18030"
    # the listing and the feed name the same stories: each is stored once
    urls = [r["url"] for r in db.query("select url from articles where page_id is not null")]
    assert len(urls) == len(set(urls)) == 6
    # the Chinese newsflash restates gold departures: its findings join those rows, and
    # the denial in its second paragraph gives no row
    zh_rows = {
        (r["person"], r["company"], r["gold"])
        for r in db.query(
            "select distinct d.person, d.company, d.gold from departures d "
            "join mentions m on m.departure_id = d.id join articles a on a.id = m.article_id "
            "where a.url like '%2806%'")
    }
    assert ("Yang Hongxia", "ByteDance", 1) in zh_rows
    assert all(gold == 1 for _, _, gold in zh_rows)
    assert not list(db.query("select 1 from departures where person like '%王磊%' "
                             "or person_key = 'lei wang'"))

    # a second run fetches nothing new and keeps every row
    before = {t: db.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("pages", "articles", "departures", "mentions")}
    assert main(["--db", str(db_path), "demo", "--port", port]) == 0
    out = capsys.readouterr().out
    assert "fetched 0" in out
    after = {t: db.execute(f"select count(*) from {t}").fetchone()[0] for t in before}
    assert after == before
    assert main(["--db", str(db_path), "departures", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    yang = [r for r in rows if r["person"] == "Yang Hongxia" and r["company"] == "ByteDance"]
    assert len(yang) == 1 and yang[0]["sources"] == 3 and yang[0]["gold"] == 1
