"""Event identity, merges and their undo, syndicated copies, and reviewer decisions."""

import sqlite3

import pytest
import sqlite_utils

from crawler.cli import main
from extract.names import company_key, person_key
from storage import Finding, Store
from storage.review import merge, merged_variants, review, unmerge
from storage.schema import MIGRATIONS

STORY = ("Shares of the company fell after the announcement on Monday, and analysts said the "
         "search for a successor could take months. The company has lost several senior "
         "engineers this year as rivals offered higher salaries and new start-ups raised "
         "money from investors keen on artificial intelligence. ")


def f(person, company, sentence=None, **kw):
    return Finding(person=person, company=company, person_key=person_key(person),
                   company_key=company_key(company), role=kw.get("role"),
                   destination=kw.get("destination"), when_text=None,
                   sentence=sentence or f"{person} has left {company}.", confidence=0.9)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "d.db") as s:
        yield s


def article(store, url, text="x", at="2026-01-01T00:00:00Z"):
    return store.save_article(url=url, page_id=None, title=None, published=None, authors=[],
                              lang="en", text=text, extractor_version="1", extracted_at=at)


def ingest(store, url, findings, at="2026-01-01T00:00:00Z", text="x"):
    return store.replace_findings(article(store, url, text, at), findings, at, "1")


def departures(store):
    return {(r["person"], r["company"]): r for r in store.review_rows()}


def test_one_row_per_person_and_organisation(store):
    ingest(store, "https://a.test/1", [f("Yang Hongxia", "ByteDance")])
    ingest(store, "https://b.test/2", [f("Hongxia Yang", "ByteDance Ltd")])
    ingest(store, "https://c.test/3", [f("Jia Yangqing", "Alibaba Group Holding")])
    ingest(store, "https://d.test/4", [f("Jia Yangqing", "Alibaba Cloud"),
                                       f("Jia Yangqing", "Lepton AI")])
    rows = departures(store)
    assert set(rows) == {("Yang Hongxia", "ByteDance"), ("Jia Yangqing", "Alibaba Group Holding"),
                         ("Jia Yangqing", "Lepton AI")}
    assert rows[("Yang Hongxia", "ByteDance")]["sources"] == 2
    assert rows[("Jia Yangqing", "Alibaba Group Holding")]["sources"] == 2


def test_typo_merges_and_the_merge_can_be_undone(store):
    ingest(store, "https://a.test/1", [f("Fu Ruiji", "Kuaishou")])
    ingest(store, "https://b.test/2", [f("Fu Ruizi", "Kuaishou Technology")])
    ingest(store, "https://c.test/3", [f("Ruiji Fu", "Kuaishou")])
    (row,) = store.review_rows()
    assert row["person"] == "Fu Ruiji" and row["sources"] == 3
    (variant,) = merged_variants(store, row["id"])
    assert (variant["person_key"], variant["kind"]) == ("fu ruizi", "auto")
    split = unmerge(store, row["id"], "fu ruizi", "kuaishou", note="different person", by="t")
    rows = departures(store)
    assert rows[("Fu Ruiji", "Kuaishou")]["sources"] == 2
    assert rows[("Fu Ruizi", "Kuaishou Technology")]["id"] == split["id"]
    # once split, new mentions of either name go to their own row
    ingest(store, "https://d.test/4", [f("Fu Ruizi", "Kuaishou")])
    assert departures(store)[("Fu Ruizi", "Kuaishou Technology")]["sources"] == 2


@pytest.mark.parametrize(("a", "b"), [("Wang Wei", "Wang Fei"), ("Li Ming", "Li Ning"),
                                      ("Zhang Yiming", "Zhang Yimou"), ("Chen Tao", "Chen Hao")])
def test_different_people_sharing_a_surname_stay_apart(store, a, b):
    ingest(store, "https://a.test/1", [f(a, "Baidu")])
    ingest(store, "https://b.test/2", [f(b, "Baidu")])
    assert len(store.review_rows()) == 2


def test_hyphen_and_surname_variants(store):
    ingest(store, "https://a.test/1", [f("Yang Hong-xia", "ByteDance")])
    ingest(store, "https://b.test/2", [f("Hong Xia Yang", "ByteDance")])
    ingest(store, "https://c.test/3", [f("Yang", "ByteDance")])
    (row,) = store.review_rows()
    assert row["sources"] == 3
    # a bare surname shared by two people at one company is ambiguous: kept apart
    ingest(store, "https://d.test/4", [f("Yang Liu", "ByteDance")])
    ingest(store, "https://e.test/5", [f("Yang", "ByteDance")], text="y")
    assert len(store.review_rows()) == 2


def test_syndicated_copies_are_linked(store):
    text = "Yang Hongxia has left ByteDance to start her own venture. " + STORY * 2
    ingest(store, "https://www.scmp.test/a", [f("Yang Hongxia", "ByteDance")], text=text)
    ingest(store, "https://techedt.test/b", [f("Yang Hongxia", "ByteDance")],
           text=text.replace("Monday", "Tuesday"))
    ingest(store, "https://other.test/c", [f("Hongxia Yang", "ByteDance")],
           text="In other news, Yang Hongxia left ByteDance. " + STORY.upper()[::-1])
    (row,) = store.review_rows()
    assert (row["sources"], row["outlets"], row["stories"]) == (3, 3, 2)
    roots = dict(store.db.execute("select url, duplicate_of from articles").fetchall())
    first = store.db.execute("select id from articles where url like '%scmp%'").fetchone()[0]
    assert roots == {"https://www.scmp.test/a": None, "https://techedt.test/b": first,
                     "https://other.test/c": None}


def test_decisions_survive_reextraction(store):
    ingest(store, "https://a.test/1",
           [f("Yang Hongxia", "ByteDance"), f("Jia Yangqing", "Alibaba")])
    rows = departures(store)
    yang = rows[("Yang Hongxia", "ByteDance")]["id"]
    jia = rows[("Jia Yangqing", "Alibaba")]["id"]
    review(store, yang, "confirm", note="checked", by="ana")
    review(store, jia, "reject", note="rumour", by="ana")
    # a new extractor words both differently, then finds nothing at all, then both again
    art = article(store, "https://a.test/1")
    store.replace_findings(art, [f("Hongxia Yang", "ByteDance Ltd", "Yang quit ByteDance."),
                                 f("Yangqing Jia", "Alibaba Cloud", "Jia quit Alibaba.")],
                           "2026-02-01T00:00:00Z", "2")
    store.replace_findings(art, [], "2026-02-02T00:00:00Z", "3")
    store.replace_findings(art, [f("Jia Yangqing", "Alibaba")], "2026-02-03T00:00:00Z", "4")
    rows = {r["id"]: r for r in store.review_rows()}
    assert rows[yang]["status"] == "confirmed" and rows[yang]["note"] == "checked"
    assert rows[jia]["status"] == "rejected" and rows[jia]["reviewed_by"] == "ana"
    actions = [r[0] for r in store.db.execute("select action from decisions order by id")]
    assert actions == ["confirm", "reject"]


def test_manual_merge_and_unmerge_restore_the_same_row(store):
    ingest(store, "https://a.test/1", [f("Zhou Jingren", "Alibaba Cloud")])
    ingest(store, "https://b.test/2", [f("Jingren Zhou", "Aliyun")])
    rows = departures(store)
    keep = rows[("Zhou Jingren", "Alibaba Cloud")]["id"]
    other = rows[("Jingren Zhou", "Aliyun")]["id"]
    review(store, other, "confirm", note=None, by="ana")
    merged = merge(store, keep, other, note="Aliyun is Alibaba Cloud", by="ana")
    assert merged["status"] == "confirmed"
    (row,) = store.review_rows()
    assert row["sources"] == 2
    ingest(store, "https://c.test/3", [f("Zhou Jingren", "Aliyun")])  # alias now routes here
    assert len(store.review_rows()) == 1 and store.review_rows()[0]["sources"] == 3
    back = unmerge(store, keep, person_key("Jingren Zhou"), company_key("Aliyun"), note=None,
                   by="ana")
    assert back["id"] == other and back["status"] == "confirmed"
    assert len(store.review_rows()) == 2


def test_review_commands(tmp_path, capsys):
    db = str(tmp_path / "r.db")
    assert main(["--db", db, "init", "--gold"]) == 0
    assert main(["--db", db, "review", "1", "--reject", "--note", "not news", "--by", "bo"]) == 0
    assert "rejected" in capsys.readouterr().out
    assert main(["--db", db, "departures", "--status", "rejected", "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and '"reviewed_by": "bo"' in out
    assert main(["--db", db, "review", "999", "--confirm"]) == 2
    assert "no departure with id 999" in capsys.readouterr().err
    assert main(["--db", db, "merge", "2", "2"]) == 2
    assert main(["--db", db, "merge", "2", "6", "--by", "bo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "unmerge", "2"]) == 0
    assert "fu ruiji @ iflytek (manual merge" in capsys.readouterr().out
    assert main(["--db", db, "unmerge", "2", "Ruiji Fu"]) == 0
    assert "#6 Fu Ruiji / iFlytek" in capsys.readouterr().out
    # init again keeps every decision
    assert main(["--db", db, "init", "--gold"]) == 0
    rows = {r["id"]: r for r in sqlite_utils.Database(db).query("select * from departures")}
    assert rows[1]["status"] == "rejected" and rows[1]["note"] == "not news"


def test_full_text_search(store):
    ingest(store, "https://a.test/1", [f("Yang Hongxia", "ByteDance", role="head of AI Lab")],
           text="Yang Hongxia left ByteDance to found an AI start-up.")
    hits = list(store.db["articles"].search("\"start-up\""))
    assert [h["url"] for h in hits] == ["https://a.test/1"]
    assert [h["person"] for h in store.db["departures"].search("lab")] == ["Yang Hongxia"]


def test_a_reader_never_blocks_the_writer(tmp_path):
    path = tmp_path / "w.db"
    store = Store.open(path)
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    assert reader.execute("select count(*) from departures").fetchone()[0] == 0
    ingest(store, "https://a.test/1", [f("Yang Hongxia", "ByteDance")])  # while reading
    assert reader.execute("select count(*) from departures").fetchone()[0] == 0  # snapshot
    reader.rollback()
    assert reader.execute("select count(*) from departures").fetchone()[0] == 1
    reader.close()
    store.close()


def test_version_1_database_is_migrated_in_place(tmp_path):
    path = tmp_path / "v1.db"
    db = sqlite_utils.Database(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute("insert into articles (id, url) values (1, 'https://a.test/1')")
    db.execute("insert into departures (id, person, company, person_key, company_key, first_seen,"
               " last_seen, status, gold) values (1, 'Yang Hongxia', 'ByteDance', "
               "'hongxia yang', 'bytedance', 'x', 'x', 'confirmed', 0)")
    db.execute("insert into mentions (departure_id, article_id, sentence, seen_at) "
               "values (1, 1, 'Yang left.', 'x')")
    db.conn.commit()
    db.close()
    with Store.open(path) as store:
        (row,) = store.review_rows()
        assert row["status"] == "confirmed" and row["sources"] == 1
        (m,) = store.db.query("select person, person_key from mentions")
        assert m == {"person": "Yang Hongxia", "person_key": "hongxia yang"}
