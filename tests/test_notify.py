"""Notifications of new departures: an Atom file and a webhook (a real HTTP server on
127.0.0.1), delivered once each across restarts and failures, never fatal."""

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import sqlite_utils
from polling import wait_for
from werkzeug import Response

from crawler.config import NotifySettings
from crawler.notify import Notifier
from storage import Finding, Store
from storage.schema import SCHEMA_VERSION

ATOM = "{http://www.w3.org/2005/Atom}"


def finding(person: str, company: str, gold: bool = False) -> Finding:
    return Finding(person=person, company=company, person_key=person.lower(),
                   company_key=company.lower(), role="chief executive", destination=None,
                   when_text=None, sentence=f"{person}, chief executive of {company}, resigned.",
                   confidence=0.9, gold=gold)


def report(store: Store, url: str, *found: Finding) -> None:
    article = store.save_article(url=url, page_id=None, title="t", published=None, authors=[],
                                 lang="en", text=" ".join(f.sentence for f in found),
                                 extractor_version="x", extracted_at="2026-01-01T00:00:00Z")
    store.replace_findings(article, list(found), "2026-01-01T00:00:00Z", "x")


def entries(path) -> list[dict]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}").text
    out = []
    for entry in root.findall(f"{ATOM}entry"):
        out.append({
            "id": entry.find(f"{ATOM}id").text, "title": entry.find(f"{ATOM}title").text,
            "updated": entry.find(f"{ATOM}updated").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.find(f"{ATOM}summary").text,
        })
    return out


def posts(httpserver) -> list[dict]:
    return [json.loads(r.get_data()) for r, _ in httpserver.log
            if r.path == "/hook" and r.method == "POST"]


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "n.db") as s:
        yield s


def settings(tmp_path, httpserver, **kw) -> NotifySettings:
    values = dict(atom_path=str(tmp_path / "feed.atom"), webhook_url=httpserver.url_for("/hook"),
                  webhook_timeout_seconds=2.0, webhook_retries=1)
    values.update(kw)
    return NotifySettings(**values)


def test_new_departures_reach_the_atom_file_and_the_webhook_once(store, tmp_path, httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    notifier = Notifier(settings(tmp_path, httpserver))
    report(store, "https://news.test/a/1", finding("Chen Jie", "Maple Devices"),
           finding("Gold Person", "Gold Co", gold=True))
    report(store, "https://news.test/a/2", finding("Li Na", "Birch Labs"))
    new = asyncio.run(notifier.after_pass(store))
    assert sorted(d.person for d in new) == ["Chen Jie", "Li Na"]  # gold is not news
    sent = posts(httpserver)
    assert sorted(p["person"] for p in sent) == ["Chen Jie", "Li Na"]
    chen = next(p for p in sent if p["person"] == "Chen Jie")
    assert chen["company"] == "Maple Devices" and chen["role"] == "chief executive"
    assert chen["url"] == "https://news.test/a/1" and "resigned" in chen["evidence"]
    feed = entries(tmp_path / "feed.atom")
    assert {e["link"] for e in feed} == {"https://news.test/a/1", "https://news.test/a/2"}
    chen_entry = next(e for e in feed if "Chen Jie" in e["title"])
    assert "Maple Devices" in chen_entry["title"] and "resigned" in chen_entry["summary"]
    assert "https://news.test/a/1" in chen_entry["summary"]
    assert len({e["id"] for e in feed}) == 2

    # nothing new: nothing sent, same file content; a restart (new objects) changes nothing
    assert asyncio.run(notifier.after_pass(store)) == []
    with Store.open(tmp_path / "n.db") as again:
        assert asyncio.run(Notifier(settings(tmp_path, httpserver)).after_pass(again)) == []
    assert len(posts(httpserver)) == 2 and len(entries(tmp_path / "feed.atom")) == 2

    # a departure found again (mention removed, departure pruned, found again) is not news
    report(store, "https://news.test/a/2")
    report(store, "https://news.test/a/3", finding("Li Na", "Birch Labs"))
    report(store, "https://news.test/a/4", finding("Wu Fei", "Cedar"))
    assert [d.person for d in asyncio.run(notifier.after_pass(store))] == ["Wu Fei"]
    assert [p["person"] for p in posts(httpserver)][2:] == ["Wu Fei"]
    assert len(entries(tmp_path / "feed.atom")) == 3


def test_atom_file_keeps_only_the_newest_entries(store, tmp_path, httpserver):
    notifier = Notifier(settings(tmp_path, httpserver, webhook_url=None, atom_entries=2))
    for n, name in enumerate(["Ann Wu", "Bo Li", "Cai Xu"]):
        report(store, f"https://news.test/a/{n}", finding(name, f"Firm {n}"))
        asyncio.run(notifier.after_pass(store))
    feed = entries(tmp_path / "feed.atom")
    assert [e["title"].split(" leaves")[0] for e in feed] == ["Cai Xu", "Bo Li"]
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".feed.atom")]  # no temp left


def test_webhook_failures_are_logged_retried_later_and_never_fatal(store, tmp_path, httpserver,
                                                                   caplog):
    state = {"ok": False}

    def hook(request):
        return Response("ok" if state["ok"] else "down", status=200 if state["ok"] else 503)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    notifier = Notifier(settings(tmp_path, httpserver, atom_path=None))
    report(store, "https://news.test/a/1", finding("Chen Jie", "Maple Devices"))
    with caplog.at_level(logging.WARNING, logger="exodus"):
        new = asyncio.run(notifier.after_pass(store))
    assert [d.person for d in new] == ["Chen Jie"]
    assert len(posts(httpserver)) == 2  # the try and its one retry
    assert any("webhook" in r.getMessage() for r in caplog.records)
    state["ok"] = True
    assert asyncio.run(notifier.after_pass(store)) == []  # not news again, but delivered now
    assert len(posts(httpserver)) == 3
    asyncio.run(notifier.after_pass(store))
    assert len(posts(httpserver)) == 3


def test_unreachable_webhook_and_unwritable_atom_path_do_not_raise(store, tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    notifier = Notifier(NotifySettings(atom_path=str(tmp_path / "missing" / "f.atom"),
                                       webhook_url=f"http://127.0.0.1:{port}/hook",
                                       webhook_timeout_seconds=1.0, webhook_retries=0))
    report(store, "https://news.test/a/1", finding("Chen Jie", "Maple Devices"))
    assert [d.person for d in asyncio.run(notifier.after_pass(store))] == ["Chen Jie"]
    pending = store.db.execute("SELECT atom_at, webhook_at, webhook_attempts FROM "
                               "notify_outbox").fetchone()
    assert pending == (None, None, 1)


def test_channels_off_mark_rows_done_so_enabling_later_does_not_flood(store, tmp_path,
                                                                      httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    report(store, "https://news.test/a/1", finding("Chen Jie", "Maple Devices"))
    assert [d.person for d in asyncio.run(Notifier(NotifySettings()).after_pass(store))] \
        == ["Chen Jie"]
    asyncio.run(Notifier(settings(tmp_path, httpserver)).after_pass(store))
    assert posts(httpserver) == []


def test_upgrading_a_database_does_not_announce_its_history(tmp_path):
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        report(store, "https://news.test/a/1", finding("Chen Jie", "Maple Devices"))
        for stmt in ("DROP TRIGGER notify_new_departure", "DROP TABLE notify_outbox",
                     "DROP TABLE source_health", f"PRAGMA user_version = {SCHEMA_VERSION - 1}"):
            store.db.execute(stmt)
        store.db.conn.commit()
    with Store.open(path) as store:
        assert asyncio.run(Notifier(NotifySettings()).after_pass(store)) == []


ARTICLE = ("<html lang='en'><head><title>T</title></head><body><article><h1>T</h1>"
           "<p>Chen Jie, the president of Maple Devices, has resigned, the company said.</p>"
           "<p>Maple Devices makes smart watches and sells them across Asia and Europe.</p>"
           "</article></body></html>")


def test_daemon_announces_and_logs_each_new_departure(tmp_path, httpserver):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/feed.xml").respond_with_data(
        f"<rss version='2.0'><channel><item><link>{base}/a/1</link></item></channel></rss>",
        content_type="application/rss+xml")
    httpserver.expect_request("/a/1").respond_with_data(ARTICLE, content_type="text/html")
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    config = tmp_path / "config.toml"
    config.write_text(f"""
[storage]
path = "d.db"
[crawler]
delay_seconds = 0.01
allow_private = true
[notify]
atom_path = "out/departures.atom"
webhook_url = "{base}/hook"
[[sources]]
name = "local"
kind = "feed"
url = "{base}/feed.xml"
interval_minutes = 0.02
""")
    (tmp_path / "out").mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--config", str(config),
                             "daemon"], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert wait_for(lambda: len(posts(httpserver)) >= 1, 90)
        assert wait_for(lambda: sum(r.path == "/feed.xml" for r, _ in httpserver.log) >= 3, 60)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        proc.kill()
    err = proc.stderr.read()
    lines = [line for line in err.splitlines() if 'msg="new departure"' in line]
    assert len(lines) == 1 and "level=info" in lines[0], err
    assert 'person="Chen Jie"' in lines[0] and 'company="Maple Devices"' in lines[0]
    assert [p["person"] for p in posts(httpserver)] == ["Chen Jie"]
    assert [e["link"] for e in entries(tmp_path / "out" / "departures.atom")] == [f"{base}/a/1"]
    db = sqlite_utils.Database(tmp_path / "d.db")
    assert db.execute("SELECT COUNT(*) FROM notify_outbox WHERE webhook_at IS NULL "
                      "OR atom_at IS NULL").fetchone()[0] == 0


@pytest.mark.parametrize(("table", "needle"), [
    ({"webhook_url": "ftp://x.test/hook"}, "must be an http(s) URL"),
    ({"webhook_retries": -1}, "'webhook_retries' must be 0 or more"),
    ({"atom_entries": 0}, "'atom_entries' must be greater than 0"),
    ({"atom_path": " "}, "'atom_path' must not be empty"),
    ({"webhook": "https://x.test"}, "unknown key 'webhook'"),
])
def test_notify_config_is_validated(table, needle):
    from crawler.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="notify") as info:
        parse_config({"notify": table}, None)
    assert needle in str(info.value)


def test_relative_atom_path_is_relative_to_the_config_file(tmp_path):
    from crawler.config import load_config

    (tmp_path / "c.toml").write_text('[notify]\natom_path = "out/d.atom"\n')
    assert load_config(tmp_path / "c.toml").notify.atom_path == str(tmp_path / "out" / "d.atom")


def test_rows_another_process_delivered_meanwhile_are_not_sent_again(store, tmp_path,
                                                                     httpserver):
    """An `exodus crawl` beside the daemon: what the other one delivered while this one
    was sending is skipped (only the POST in flight at that moment can repeat)."""
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    report(store, "https://news.test/a/1", finding("Chen Jie", "Maple Devices"),
           finding("Li Na", "Maple Devices"))
    first = Notifier(settings(tmp_path, httpserver, atom_path=None))
    post = first._post
    other = Store.open(tmp_path / "n.db")

    async def post_after_the_other_process(client, url, row):
        if not posts(httpserver):
            await Notifier(settings(tmp_path, httpserver, atom_path=None)).after_pass(other)
        return await post(client, url, row)

    first._post = post_after_the_other_process
    asyncio.run(first.after_pass(store))
    other.close()
    assert sorted(p["person"] for p in posts(httpserver)) == ["Chen Jie", "Chen Jie", "Li Na"]
