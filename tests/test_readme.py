"""The README's analyst queries run as written after `make demo`, and every command of
the CLI is in its table."""

import re
import socket
import subprocess
import sys
from pathlib import Path

from crawler.cli import build_parser, main

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def shell_commands(text: str) -> list[str]:
    """The `sh` code blocks' commands, continuation lines joined, comments dropped."""
    out: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if out and out[-1].count('"') % 2 == 1:  # inside a multi-line quoted query
                out[-1] += "\n" + line
            else:
                out.append(line)
    return out


def test_readme_queries_work_on_the_database_make_demo_writes(tmp_path, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert main(["--db", str(tmp_path / "demo.db"), "demo", "--port", str(port)]) == 0
    capsys.readouterr()
    queries = [c for c in shell_commands(README) if "sqlite-utils" in c]
    assert len(queries) >= 5
    venv_bin = str(Path(sys.executable).parent) + "/"
    for query in queries:
        command = query.replace(".venv/bin/", venv_bin)
        res = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True,
                             text=True, timeout=60)
        assert res.returncode == 0, (query, res.stderr)
        assert res.stdout.strip(), query
    assert not (tmp_path / "exodus.db").exists()  # no query silently created another file


def test_every_command_is_in_the_readme_table():
    sub = next(a for a in build_parser()._actions if a.choices and "init" in a.choices)
    table = "\n".join(line for line in README.splitlines() if line.startswith("| `exodus"))
    for name in sub.choices:
        assert f"`exodus {name}" in table, name
