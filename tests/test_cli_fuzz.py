"""Every subcommand with hostile values: NaN, inf, negative and huge numbers, 10k-character
strings, impossible dates, missing files, directories instead of files, binary junk, and
config files holding such values. Each must end with exit status 2 and exactly one
stderr line starting ``exodus: error:``, and leave the folder (database included)
byte-for-byte unchanged.

Runs ``crawler.cli.main`` in-process (an escaping exception fails the test); a sample
also runs as real processes. Subcommands are read from the parser itself, so a new one
is fuzzed with the hostile configs without being listed here.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import build_parser, main

NAN, INF, NEG, ZERO = "nan", "inf", "-1", "0"
HUGE = "9" * 30
LONG = "x" * 10_000
BAD_NUMBERS = [NAN, INF, NEG, HUGE, LONG, "1e3", "0x10", "", "１"]
BAD_IDS = [ZERO, *BAD_NUMBERS]
BAD_DATES = [NAN, INF, NEG, HUGE, LONG, "", "2024-13-01", "2024-02-30", "2024-01-01T25:00",
             "yesterday", "2024-01-01\x01", "99999-01-01", "0000-01-01"]

GOOD_CONFIG = """[storage]
path = "x.db"
[crawler]
delay_seconds = 0.01
[[sources]]
name = "local"
kind = "feed"
url = "http://127.0.0.1:9/feed.xml"
"""

SOURCE = "[[sources]]\nname = 'a'\nkind = 'feed'\nurl = 'http://127.0.0.1:9/f'\n"
HOSTILE_CONFIGS: dict[str, bytes | None] = {
    "delay nan": b"[crawler]\ndelay_seconds = nan\n",
    "delay inf": b"[crawler]\ndelay_seconds = inf\n",
    "delay -inf": b"[crawler]\ndelay_seconds = -inf\n",
    "timeout inf": b"[crawler]\ntimeout_seconds = inf\n",
    "retry-after nan": b"[crawler]\nmax_retry_after = nan\n",
    "retries negative": b"[crawler]\nmax_retries = -1\n",
    "redirects huge": b"[crawler]\nmax_redirects = 9223372036854775807\n",
    "concurrency huge": b"[crawler]\nconcurrency = 1000000000\n",
    "page bytes huge": b"[crawler]\nmax_page_bytes = 9223372036854775807\n",
    "user agent newline": b"[crawler]\nuser_agent = \"a\\r\\nX-Evil: 1\"\n",
    "interval inf": (SOURCE + "interval_minutes = inf\n").encode(),
    "interval nan": (SOURCE + "interval_minutes = nan\n").encode(),
    "interval huge": (SOURCE + "interval_minutes = 1e300\n").encode(),
    "max links huge": (SOURCE + "max_links = 9223372036854775807\n").encode(),
    "long name": (SOURCE.replace("'a'", repr(LONG * 2))).encode(),
    "nested arrays": b"x = " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
    "nested tables": b"x = " + b"{a = " * 50_000 + b"1" + b"}" * 50_000 + b"\n",
    "binary junk": bytes(range(256)) * 8,
    "empty storage path": b"[storage]\npath = ''\n",
    "a directory": None,
}

# The least arguments each known command needs beyond global flags.
MINIMAL = {
    "init": [], "demo": [], "departures": [], "crawl": [], "daemon": [],
    "reextract": ["--workers", "1"], "review": ["1", "--confirm"], "merge": ["1", "2"],
    "unmerge": ["1"], "article": ["page.html"], "detect": ["in.txt"],
}


def subcommands() -> list[str]:
    parser = build_parser()
    for action in parser._actions:  # argparse keeps no public list of subcommands
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    raise AssertionError("no subcommands")


def tree_state(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-tpl")
    (folder / "c.toml").write_text("")
    path = folder / "x.db"
    assert main(["--config", str(folder / "c.toml"), "--db", str(path), "init"]) == 0
    conn = sqlite3.connect(path)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    return path


@pytest.fixture
def work(tmp_path, template_db, monkeypatch, capsys):
    shutil.copy(template_db, tmp_path / "x.db")
    (tmp_path / "config.toml").write_text(GOOD_CONFIG)
    (tmp_path / "page.html").write_text("<html><body><p>hello</p></body></html>")
    (tmp_path / "in.txt").write_text("hello")
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "adir").mkdir()
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    return tmp_path


def assert_refused(folder: Path, argv: list[str], capsys) -> str:
    before = tree_state(folder)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code
    err = capsys.readouterr().err
    gc.collect()  # a refused database's connection is closed by the collector
    assert code == 2, (argv[:6], err[:300])
    lines = err.strip().splitlines()
    assert len(lines) == 1, (argv[:6], err[:2000])
    assert lines[0].startswith("exodus: error:"), err[:300]
    assert tree_state(folder) == before, argv[:6]
    return lines[0]


def _config_cases() -> list[tuple[str, str]]:
    return [(kind, cmd) for cmd in subcommands() for kind in HOSTILE_CONFIGS]


@pytest.mark.parametrize(("kind", "command"), _config_cases())
def test_every_command_refuses_a_hostile_config(work, capsys, kind, command):
    bad = work / "bad.toml"
    if HOSTILE_CONFIGS[kind] is None:
        bad.mkdir()
    else:
        bad.write_bytes(HOSTILE_CONFIGS[kind])
    line = assert_refused(work, ["--config", "bad.toml", "--db", "x.db", command,
                                 *MINIMAL.get(command, [])], capsys)
    if command in MINIMAL:
        assert "bad.toml" in line  # the config was read and named, not some other error


def _value_cases() -> list[list[str]]:
    cases: list[list[str]] = []
    for v in BAD_DATES:
        cases += [["departures", "--since", v], ["reextract", "--since", v]]
    for v in BAD_NUMBERS + [ZERO, "100000"]:
        cases.append(["reextract", "--workers", v])
    for v in BAD_IDS:
        cases += [["review", v, "--confirm"], ["merge", v, "1"], ["merge", "1", v],
                  ["unmerge", v]]
    for v in [NEG, "70000", HUGE, NAN, INF, LONG]:
        cases.append(["demo", "--port", v])
    for f in ["missing", "adir", LONG, "junk.bin"]:
        cases += [["reextract", "--from-dir", f], ["article", f], ["detect", f, "--jsonl"]]
    for f in ["missing", "adir", LONG]:
        cases.append(["detect", f])
    cases += [
        ["departures", "--status", LONG],
        ["crawl", "--source", LONG],
        ["crawl", "--source", "\x01"],
        ["review", "1"],
        ["review", "1", "--confirm", "--reject"],
        # Undecodable bytes in argv arrive as lone surrogates (surrogateescape).
        ["departures", "--company", "\udcff"],
        ["review", "1", "--confirm", "--note", "bad \udcff"],
        ["review", "1", "--reject", "--by", "\udc80"],
        ["unmerge", "1", "\udcff"],
    ]
    return cases


@pytest.mark.parametrize("argv", _value_cases(), ids=lambda a: " ".join(a)[:60])
def test_hostile_values(work, capsys, argv):
    assert_refused(work, ["--config", "config.toml", "--db", "x.db", *argv], capsys)


@pytest.mark.parametrize("db", [LONG, "adir", "junk.bin", "page.html", "missing/x.db"])
@pytest.mark.parametrize("command", ["init", "departures", "review", "reextract", "crawl"])
def test_hostile_database_paths(work, capsys, command, db):
    assert_refused(work, ["--config", "config.toml", "--db", db, command, *MINIMAL[command]],
                   capsys)


@pytest.mark.parametrize("config", [LONG, "adir", "missing.toml"])
def test_hostile_config_paths(work, capsys, config):
    assert_refused(work, ["--config", config, "departures"], capsys)


def test_hostile_values_through_real_processes(work):
    """The shell's view for a sample: exit 2, one stderr line, nothing changed."""
    (work / "nan.toml").write_bytes(HOSTILE_CONFIGS["delay nan"])
    (work / "deep.toml").write_bytes(HOSTILE_CONFIGS["nested arrays"])
    cases = [
        ["--config", "nan.toml", "daemon"],
        ["--config", "deep.toml", "crawl"],
        ["--config", "config.toml", "review", HUGE, "--confirm"],
        ["--config", "config.toml", "departures", "--since", "2024-02-30"],
        ["--config", "config.toml", "demo", "--port", "70000"],
    ]
    before = tree_state(work)
    for argv in cases:
        res = subprocess.run([sys.executable, "-m", "crawler.cli", *argv], cwd=work,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 2, (argv, res.stderr[-2000:])
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("exodus: error:"), res.stderr[-2000:]
    assert tree_state(work) == before
