"""Global flags after the subcommand, `--version`, and help text on every argument."""

import argparse
import subprocess
import sys
from importlib.metadata import version

import sqlite_utils

from crawler.cli import build_parser, main


def test_global_flags_work_before_and_after_the_subcommand(tmp_path, capsys):
    before, after = tmp_path / "before.db", tmp_path / "after.db"
    assert main(["--db", str(before), "init"]) == 0
    assert main(["init", "--db", str(after)]) == 0
    assert before.exists() and after.exists()
    assert main(["departures", "--db", str(after), "--json"]) == 0
    config = tmp_path / "c.toml"
    config.write_text('[storage]\npath = "from-config.db"\n')
    assert main(["init", "--config", str(config)]) == 0
    assert (tmp_path / "from-config.db").exists()
    capsys.readouterr()


def test_flags_after_the_subcommand_win_and_defaults_do_not_clobber(tmp_path):
    parser = build_parser()
    args = parser.parse_args(["--db", "a.db", "-v", "departures"])
    assert args.db == "a.db" and args.verbose == 1 and args.config is None
    args = parser.parse_args(["departures", "--db", "b.db", "-vv", "--config", "c.toml"])
    assert args.db == "b.db" and args.verbose == 2 and args.config == "c.toml"
    args = parser.parse_args(["--db", "a.db", "departures", "--db", "b.db"])
    assert args.db == "b.db"


def test_version_prints_the_package_version():
    res = subprocess.run([sys.executable, "-m", "crawler.cli", "--version"],
                         capture_output=True, text=True)
    assert res.returncode == 0
    assert res.stdout.strip() == f"exodus {version('exodus')}"


def _walk(parser: argparse.ArgumentParser, path: str):
    for action in parser._actions:
        yield path, action
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield f"{path} {choice.dest}", choice
            for name, sub in action.choices.items():
                yield from _walk(sub, f"{path} {name}")


def test_every_argument_has_help_text():
    missing = [f"{where}: {action.option_strings or action.dest}"
               for where, action in _walk(build_parser(), "exodus")
               if not (action.help or "").strip() or action.help == argparse.SUPPRESS]
    assert missing == []


def test_init_db_after_subcommand_holds_schema(tmp_path, capsys):
    path = tmp_path / "x.db"
    assert main(["init", "--db", str(path)]) == 0
    assert "pages" in sqlite_utils.Database(path).table_names()
    capsys.readouterr()


def test_init_keeps_gold_out_of_a_real_database_unless_asked(tmp_path, capsys):
    path = tmp_path / "real.db"
    assert main(["--db", str(path), "init"]) == 0
    db = sqlite_utils.Database(path)
    assert db["departures"].count == 0 and db["articles"].count == 0
    assert "0 departures" in capsys.readouterr().out
    assert main(["--db", str(path), "init", "--gold"]) == 0
    rows = list(db.query("select gold from departures"))
    assert rows and all(r["gold"] == 1 for r in rows)
