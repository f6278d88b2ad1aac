import gzip
import json
import subprocess
import sys
from pathlib import Path

import sqlite_utils

from crawler.cli import main

REPO = Path(__file__).resolve().parent.parent
GOLD = json.loads((REPO / "seeds" / "gold" / "expected.json").read_text())


def test_init_loads_gold_and_is_idempotent(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    assert main(["--db", str(db_path), "init", "--gold"]) == 0
    db = sqlite_utils.Database(db_path)
    rows = list(db["departures"].rows)
    assert {(r["person"], r["company"]) for r in rows} == {
        (d["person"], d["company"]) for d in GOLD["departures"]}
    assert all(r["gold"] == 1 and r["status"] == "new" for r in rows)
    snapshot = {t: list(db[t].rows) for t in ("articles", "departures", "mentions")}
    db.close()
    assert main(["--db", str(db_path), "init", "--gold"]) == 0
    db = sqlite_utils.Database(db_path)
    assert {t: list(db[t].rows) for t in snapshot} == snapshot
    review = list(db["review"].rows)
    assert len(review) == len(GOLD["departures"])
    assert all(r["sources"] == 1 and r["evidence"] for r in review)
    assert "ready" in capsys.readouterr().out


def test_departures_table_and_json(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    main(["--db", str(db_path), "init", "--gold"])
    capsys.readouterr()
    assert main(["--db", str(db_path), "departures", "--json", "--company", "kuaishou"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["person"] for r in rows] == ["Fu Ruiji"]
    assert main(["--db", str(db_path), "departures"]) == 0
    out = capsys.readouterr().out
    assert "Yang Hongxia" in out and "Jia Yangqing" in out and "(6 departures)" in out


def test_departures_on_missing_db_is_an_error_and_creates_nothing(tmp_path, capsys):
    db_path = tmp_path / "none.db"
    assert main(["--db", str(db_path), "departures"]) == 2
    assert "database not found" in capsys.readouterr().err
    assert not db_path.exists()


def test_bad_flags_give_one_line(tmp_path):
    for argv in (["departures", "--status", "maybe"], ["nosuch"], ["crawl", "--bogus"]):
        res = subprocess.run([sys.executable, "-m", "crawler.cli", *argv],
                             capture_output=True, text=True, cwd=tmp_path)
        assert res.returncode == 2
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("exodus: error:"), res.stderr
        assert "Traceback" not in res.stderr


def test_every_command_has_help():
    for cmd in ("init", "demo", "departures", "crawl", "daemon", "article", "detect"):
        res = subprocess.run([sys.executable, "-m", "crawler.cli", cmd, "--help"],
                             capture_output=True, text=True)
        assert res.returncode == 0 and "usage: exodus" in res.stdout, cmd


def test_article_command_reads_html_and_gz(tmp_path, capsys):
    html = ("<html lang='en'><head><title>Chip maker raises funds | Site</title></head><body>"
            "<article><h1>Chip maker raises funds</h1>"
            + "<p>The company raised money from investors to build new chips this year.</p>" * 5
            + "</article></body></html>").encode()
    plain = tmp_path / "a.html"
    plain.write_bytes(html)
    packed = tmp_path / "b.html.gz"
    packed.write_bytes(gzip.compress(html))
    assert main(["article", str(plain), str(packed), "--url", "https://x.test/a"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["path"] for o in out] == [str(plain), str(packed)]
    for o in out:
        assert set(o) == {"path", "url", "title", "published", "authors", "lang", "encoding",
                          "text"}
        assert "raised money from investors" in o["text"]
        assert o["title"] == "Chip maker raises funds"


def test_article_command_missing_file(tmp_path, capsys):
    assert main(["article", str(tmp_path / "missing.html")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_detect_plain_and_jsonl(tmp_path, capsys):
    text = ("Zhang Wei, the chief executive of Lantern Robotics, has resigned, "
            "the company said on Monday.")
    src = tmp_path / "in.txt"
    src.write_text(text)
    assert main(["detect", str(src)]) == 0
    (dep,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert dep["person"] == "Zhang Wei" and "Lantern Robotics" in dep["company"]
    assert set(dep) >= {"person", "company", "role", "destination", "when", "sentence",
                        "confidence"}
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"id": "a", "text": "The weather was fine."}) + "\n"
                     + json.dumps({"id": 7, "text": text, "published": "2024-05-01"}) + "\n")
    assert main(["detect", "--jsonl", str(lines)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", 7]
    assert out[0]["departures"] == [] and len(out[1]["departures"]) == 1


def test_detect_explain_prints_the_veto_reason(tmp_path):
    """The real CLI in a subprocess: a kept candidate and a vetoed one with its reason."""
    text = ("Nora Lindqvist resigned from Halvard Robotics on Monday. Eamon Price, the "
            "chief executive of Brask Analytics, did not resign.")
    src = tmp_path / "in.txt"
    src.write_text(text)
    res = subprocess.run([sys.executable, "-m", "crawler.cli", "detect", "--explain", str(src)],
                         capture_output=True, text=True, timeout=300, cwd=REPO)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert any(line.startswith("kept") and "Nora Lindqvist | Halvard Robotics" in line
               for line in lines), res.stdout
    assert any(line.startswith("dropped") and "Eamon Price" in line and line.endswith(
        "-- negated") for line in lines), res.stdout


def test_detect_bad_jsonl_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "ok"}\nnot json\n')
    assert main(["detect", "--jsonl", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: not a valid input line" in err and err.count("\n") == 1


def test_unknown_model_is_one_line(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[nlp]\nmodel = 'xx_no_such_model'\n")
    src = tmp_path / "in.txt"
    src.write_text("hello")
    assert main(["--config", str(cfg), "detect", str(src)]) == 2
    err = capsys.readouterr().err
    assert "xx_no_such_model" in err and err.count("\n") == 1
