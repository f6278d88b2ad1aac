"""Bad input to every command: one `exodus: error:` line on stderr, a non-zero exit, no
traceback, and nothing changed (the database file's bytes and the folder's contents are
the same before and after).

Most cases run `crawler.cli.main` in-process (fast, and an escaping exception fails the
test); a sample also runs as real processes to check the exit status the shell sees.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import main

COMMANDS = {  # command -> the least arguments it needs beyond global flags
    "init": [],
    "demo": [],
    "departures": [],
    "crawl": [],
    "daemon": [],
    "reextract": ["--workers", "1"],
    "review": ["1", "--confirm"],
    "merge": ["1", "2"],
    "unmerge": ["1"],
    "article": ["page.html"],
    "detect": ["in.txt"],
    "sources": [],
    "stats": [],
}
DB_COMMANDS = ["init", "departures", "crawl", "daemon", "reextract", "review", "merge",
               "unmerge", "sources", "stats"]

GOOD_CONFIG = """[storage]
path = "x.db"
[crawler]
delay_seconds = 0.01
[[sources]]
name = "local"
kind = "feed"
url = "http://127.0.0.1:9/feed.xml"
"""


def tree_state(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (directories as markers)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_dir():
            out[rel] = "dir"
        else:
            try:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                out[rel] = "unreadable"
    return out


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """An initialised database (gold departures loaded), copied into each test."""
    folder = tmp_path_factory.mktemp("tpl")
    path = folder / "x.db"
    assert main(["--config", str(folder / "none.toml"), "--db", str(path), "init"]) == 2
    (folder / "c.toml").write_text("")
    assert main(["--config", str(folder / "c.toml"), "--db", str(path), "init", "--gold"]) == 0
    conn = sqlite3.connect(path)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()  # the last connection removes the -wal file: one file to copy
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def work(tmp_path, template_db, monkeypatch, capsys):
    """A folder with a good config, a database, a page and a text file; cwd is there."""
    shutil.copy(template_db, tmp_path / "x.db")
    (tmp_path / "config.toml").write_text(GOOD_CONFIG)
    (tmp_path / "page.html").write_text("<html><body><p>hello</p></body></html>")
    (tmp_path / "in.txt").write_text("hello")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    return tmp_path


def run_main(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse errors
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("exodus: error:"), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def check_unchanged(folder: Path, argv: list[str], capsys, *needles: str) -> str:
    before = tree_state(folder)
    code, out, err = run_main(argv, capsys)
    assert_one_line_error(code, err, *needles)
    # Store.open does not close its connection when it refuses a database; in a real
    # process exit closes it, here the garbage collector has to (else -wal/-shm linger).
    gc.collect()
    assert tree_state(folder) == before, argv
    return err


# -------------------------------------------------------------------- wrong flags


@pytest.mark.parametrize("command", list(COMMANDS))
def test_unknown_flag(work, capsys, command):
    check_unchanged(work, ["--config", "config.toml", "--db", "x.db", command,
                           *COMMANDS[command], "--no-such-flag"], capsys,
                    "unrecognized arguments: --no-such-flag")


@pytest.mark.parametrize(("argv", "needle"), [
    (["departures", "--status", "maybe"], "invalid choice"),
    (["review", "one", "--confirm"], "invalid int value"),
    (["review", "1"], "one of the arguments"),
    (["review", "1", "--confirm", "--reject"], "not allowed with argument"),
    (["merge", "1"], "required"),
    (["merge", "1", "x"], "invalid int value"),
    (["unmerge"], "required"),
    (["article"], "required"),
    (["reextract", "--workers", "many"], "invalid int value"),
    (["demo", "--port", "http"], "invalid int value"),
    ([], "required"),
    (["nosuch"], "invalid choice"),
    (["-v", "--db"], "expected one argument"),
])
def test_malformed_arguments(work, capsys, argv, needle):
    check_unchanged(work, argv, capsys, needle)


@pytest.mark.parametrize(("argv", "needle"), [
    (["departures", "--since", "yesterday"], "--since must be an ISO date"),
    (["reextract", "--since", "2024-13-45"], "--since must be an ISO date"),
    (["reextract", "--workers", "0"], "--workers must be at least 1"),
    (["crawl", "--source", "nosuch"], "no source named 'nosuch'"),
    (["review", "999", "--reject"], "no departure with id 999"),
    (["merge", "1", "1"], "cannot merge a departure with itself"),
    (["merge", "1", "999"], "999"),
    (["unmerge", "1", "Nobody"], "0 merged variants match"),
])
def test_bad_values(work, capsys, argv, needle):
    check_unchanged(work, ["--config", "config.toml", "--db", "x.db", *argv], capsys, needle)


# ------------------------------------------------------------------ missing files


CONFIG_COMMANDS = [c for c in COMMANDS if c != "article"]  # see test_article_ignores_config


@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_missing_config_file(work, capsys, command):
    check_unchanged(work, ["--config", "missing.toml", command, *COMMANDS[command]], capsys,
                    "missing.toml: config file not found")


@pytest.mark.parametrize("command", ["departures", "review", "merge", "unmerge", "reextract",
                                     "sources", "stats"])
def test_missing_database_is_not_created(work, capsys, command):
    check_unchanged(work, ["--config", "config.toml", "--db", "gone.db", command,
                           *COMMANDS[command]], capsys, "database not found")
    assert not (work / "gone.db").exists()


@pytest.mark.parametrize("command", DB_COMMANDS)
def test_database_in_missing_directory(work, capsys, command):
    check_unchanged(work, ["--config", "config.toml", "--db", "no/such/dir/x.db", command,
                           *COMMANDS[command]], capsys)


@pytest.mark.parametrize(("argv", "needle"), [
    (["article", "page.html", "missing.html"], "missing.html: cannot read"),
    (["article", "."], "cannot read"),
    (["detect", "missing.txt"], "missing.txt: cannot read"),
    (["reextract", "--from-dir", "missing-dir"], "not a directory"),
    (["reextract", "--from-dir", "page.html"], "not a directory"),
])
def test_missing_input_files(work, capsys, argv, needle):
    check_unchanged(work, ["--config", "config.toml", "--db", "x.db", *argv], capsys, needle)


def test_not_gzip_page(work, capsys):
    (work / "bad.html.gz").write_bytes(b"<html>plain text saved as .gz</html>")
    check_unchanged(work, ["article", "page.html", "bad.html.gz"], capsys,
                    "bad.html.gz: not a valid gzip file")


def corrupt_gzip() -> bytes:
    """A gzip header followed by a damaged deflate stream: zlib.error, not OSError."""
    good = gzip.compress(b"<html>" + b"a" * 5000 + b"</html>")
    return good[:20] + b"\xff" * 30 + good[50:]


def test_corrupt_gzip_page(work, capsys):
    (work / "bad.html.gz").write_bytes(corrupt_gzip())
    check_unchanged(work, ["article", "page.html", "bad.html.gz"], capsys,
                    "bad.html.gz: not a valid gzip file")


def test_reextract_import_skips_corrupt_gzip(work):
    saved = work / "saved"
    saved.mkdir()
    (saved / "a.html").write_text("<html><body><p>fine</p></body></html>")
    (saved / "b.html.gz").write_bytes(corrupt_gzip())
    (saved / "c.html").write_text("<html><body><p>also fine</p></body></html>")
    res = subprocess.run([sys.executable, "-m", "crawler.cli", "--config", "config.toml",
                          "--db", "new.db", "reextract", "--from-dir", "saved",
                          "--workers", "1"], cwd=work, capture_output=True, text=True,
                         timeout=120)
    assert "Traceback" not in res.stderr
    assert res.returncode == 0
    assert "imported 2 pages" in res.stdout


# ---------------------------------------------------- unreadable or malformed config


CONFIGS = {
    "a directory": None,
    "invalid UTF-8": b"[storage]\npath = \"\xff\xfe.db\"\n",
    "binary junk": bytes(range(256)),
    "invalid TOML": b"[crawler\n",
    "unknown key": b"[crawler]\nconcurency = 4\n",
    "wrong type": b"[crawler]\ndelay_seconds = 'fast'\n",
    "negative number": b"[crawler]\ntimeout_seconds = -3\n",
    "sources not an array": b"sources = 'x'\n",
    "source with file URL": b"[[sources]]\nname='a'\nkind='feed'\nurl='file:///etc/passwd'\n",
    "storage path not a string": b"[storage]\npath = 3\n",
}
NEEDLES = {
    "a directory": "cannot read config file",
    "invalid UTF-8": "not UTF-8",
    "binary junk": "not UTF-8",
    "invalid TOML": "invalid TOML",
    "unknown key": "unknown key 'concurency'",
    "wrong type": "must be float",
    "negative number": "must be greater than 0",
    "sources not an array": "array of tables",
    "source with file URL": "must be an http(s) URL",
    "storage path not a string": "must be str",
}


@pytest.mark.parametrize("kind", list(CONFIGS))
@pytest.mark.parametrize("command", CONFIG_COMMANDS)
def test_unusable_config(work, capsys, kind, command):
    bad = work / "bad.toml"
    if CONFIGS[kind] is None:
        bad.mkdir()
    else:
        bad.write_bytes(CONFIGS[kind])
    err = check_unchanged(work, ["--config", "bad.toml", "--db", "x.db", command,
                                 *COMMANDS[command]], capsys, NEEDLES[kind])
    assert "bad.toml" in err  # names the file


def test_article_refuses_a_missing_config(work, capsys):
    check_unchanged(work, ["--config", "missing.toml", "article", "page.html"], capsys,
                    "config file not found")


# ---------------------------------------------------------- databases it cannot use


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("pragma user_version = 99")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("command", DB_COMMANDS)
def test_newer_schema_database_is_refused_untouched(work, capsys, command):
    _newer(work / "x.db")
    check_unchanged(work, ["--config", "config.toml", "--db", "x.db", command,
                           *COMMANDS[command]], capsys,
                    "schema version 99 is newer than this exodus supports")


@pytest.mark.parametrize("command", DB_COMMANDS)
def test_database_that_is_not_sqlite(work, capsys, command):
    (work / "x.db").write_bytes(b"this is not a database\n" * 200)
    check_unchanged(work, ["--config", "config.toml", "--db", "x.db", command,
                           *COMMANDS[command]], capsys, "x.db")


@pytest.mark.parametrize("command", DB_COMMANDS)
def test_database_path_is_a_directory(work, capsys, command):
    (work / "adir.db").mkdir()
    check_unchanged(work, ["--config", "config.toml", "--db", "adir.db", command,
                           *COMMANDS[command]], capsys, "adir.db")


def test_bad_input_through_real_processes(work):
    """The shell's view: exit status 2 and exactly one stderr line, for a sample."""
    _newer(work / "x.db")
    (work / "bad.toml").write_bytes(b"[crawler\n")
    cases = [
        ["crawl", "--bogus"],
        ["--config", "bad.toml", "crawl"],
        ["--config", "config.toml", "--db", "x.db", "daemon"],
        ["--config", "config.toml", "--db", "x.db", "reextract"],
        ["--config", "config.toml", "article", "missing.html"],
    ]
    before = tree_state(work)
    for argv in cases:
        res = subprocess.run([sys.executable, "-m", "crawler.cli", *argv], cwd=work,
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 2, (argv, res.stderr)
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("exodus: error:"), (argv, res.stderr)
        assert res.stdout == ""
    assert tree_state(work) == before
