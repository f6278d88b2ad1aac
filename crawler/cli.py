"""The `exodus` command line.

Every failure the user can cause (bad flags, config, files, database) ends as one
`exodus: error: ...` line and exit status 2; nothing is written before the inputs are
known to be good.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.config import Config, ConfigError, NotifySettings, load_config, parse_config
from crawler.errors import ExodusError
from crawler.logs import setup_logging
from crawler.table import DEPARTURE_COLUMNS, render
from extract.jsonld import scrub_json, without_surrogates
from storage.errors import StorageError

if TYPE_CHECKING:  # sqlite_utils (and numpy through it) load only when a command needs
    from storage import Store  # the database: `exodus --help` stays fast

DEFAULT_CONFIG = Path("config.toml")


def _config(args: argparse.Namespace) -> Config:
    if args.config is not None:
        config = load_config(Path(args.config))
    elif DEFAULT_CONFIG.exists():
        config = load_config(DEFAULT_CONFIG)
    else:
        config = parse_config({}, None)
    if args.db is not None:
        config = replace(config, db_path=Path(args.db))
    return config


def _open_store(config: Config, create: bool = True) -> Store:
    from storage import Store

    return Store.open(config.db_path, create=create)


def _progress(enabled: bool) -> Callable[[Any], None] | None:
    """A one-line live counter on a terminal; nothing when output is piped."""
    if not enabled or not sys.stderr.isatty():
        return None

    def show(stats: Any) -> None:
        done = stats.fetched + stats.not_modified + stats.failed + stats.robots
        sys.stderr.write(f"\r{stats.name}: {done} pages, {stats.departures} departures ")
        sys.stderr.flush()

    return show


# -- commands ---------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from crawler.gold import load_gold, read_gold

    config = _config(args)
    if args.gold:
        read_gold()  # fail on a broken seed before touching the database
    with _open_store(config) as store:
        if args.gold:
            load_gold(store)
        counts = store.counts()
        gold = store.db.execute("SELECT COUNT(*) FROM departures WHERE gold = 1").fetchone()[0]
    print(f"{config.db_path}: ready ({counts['departures']} departures, "
          f"{gold} of them gold, {counts['pages']} pages archived)")
    return 0


def _print_departures(store: Store, args: argparse.Namespace) -> None:
    rows = store.review_rows(status=getattr(args, "status", None),
                             company=getattr(args, "company", None),
                             since=getattr(args, "since", None))
    if getattr(args, "json", False):
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        print(render(rows, DEPARTURE_COLUMNS))
        print(f"({len(rows)} departures)")


def cmd_departures(args: argparse.Namespace) -> int:
    config = _config(args)
    if args.since is not None:
        args.since = _iso_date(args.since, "--since")
    with _open_store(config, create=False) as store:
        _print_departures(store, args)
    return 0


def _run_crawl(config: Config, store: Store, names: list[str] | None) -> int:
    from crawler.crawl import crawl
    from crawler.health import failure_reason
    from crawler.notify import Notifier
    from crawler.pipeline import Processor, check_model
    from crawler.upkeep import run_retention

    sources = [config.source(n) for n in names] if names else list(config.sources)
    if not sources:
        raise ExodusError(f"{config.path or 'config'}: no [[sources]] to crawl")
    check_model(config.model)  # fail before the first request; workers load the model
    processor = Processor(store, config.model)
    stats = asyncio.run(crawl(sources, config.crawler, store, processor, _progress(True)))
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    for s in stats:
        print(s.line())
    new = asyncio.run(Notifier(config.notify).after_pass(store))
    run_retention(config, store)
    for a in new:
        print(f"new departure #{a.departure_id}: {a.person} / {a.company}"
              + (f" ({a.role})" if a.role else ""))
    failed = {s.name: reason for s in stats if (reason := failure_reason(s))}
    for name, reason in failed.items():
        print(f"exodus: warning: source {name} failed: {reason}", file=sys.stderr)
    if failed and len(failed) == len(stats):
        print(f"exodus: every source failed ({len(failed)}); see 'exodus sources'",
              file=sys.stderr)
        return 1
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    config = _config(args)
    for name in args.source or []:
        config.source(name)
    with _open_store(config) as store:
        return _run_crawl(config, store, args.source)


def cmd_daemon(args: argparse.Namespace) -> int:
    from crawler.daemon import daemon_lock, run_daemon
    from crawler.pipeline import Processor, check_model

    config = _config(args)
    if not config.sources:
        raise ExodusError(f"{config.path or 'config'}: no [[sources]] to schedule")
    setup_logging(max(args.verbose, 1))  # a daemon's log is its output: one line per run
    with _open_store(config) as store, daemon_lock(config.db_path):
        check_model(config.model)
        processor = Processor(store, config.model)
        asyncio.run(run_daemon(config, store, processor))
    return 0


SOURCE_COLUMNS = (
    ("source", "source", 24),
    ("state", "state", 22),
    ("consecutive_failures", "failures", 8),
    ("last_run", "last run", 20),
    ("last_success", "last success", 20),
    ("last_listed", "listed", 6),
    ("last_error", "last error", 70),
)


def cmd_sources(args: argparse.Namespace) -> int:
    from storage.health import source_health

    config = _config(args)
    with _open_store(config, create=False) as store:
        health = source_health(store)
    configured = [s.name for s in config.sources]
    rows = []
    for name in configured + sorted(set(health) - set(configured)):
        row = dict(health.get(name) or {"source": name})
        if name not in health:
            row["state"] = "never run"
        else:
            row["state"] = "failing" if row["consecutive_failures"] else "ok"
        if name not in configured:  # a source removed from the config since it ran
            row["state"] += " (not in config)"
        rows.append(row)
    print(render(rows, SOURCE_COLUMNS))
    failing = sum(1 for r in rows if r["state"].startswith("failing"))
    print(f"({len(rows)} sources, {failing} failing)")
    return 0


def _size(n: int) -> str:
    """A size a person reads at a glance: 512 B, 12.3 kB, 4.5 MB, 1.2 GB."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def cmd_stats(args: argparse.Namespace) -> int:
    from storage.retention import database_report

    config = _config(args)
    with _open_store(config, create=False) as store:
        report = database_report(store)
    r = config.retention
    print(f"database  {config.db_path}: {_size(report.db_bytes)} "
          f"({_size(report.free_bytes)} free for reuse)")
    print(f"wal       {_size(report.wal_bytes)}")
    print(f"archive   {_size(report.archive_bytes)} of pages as fetched, "
          f"{_size(report.archive_stored_bytes)} stored")
    print(f"retention max_versions_per_url = {r.max_versions_per_url}, "
          f"forget_failed_after_days = {r.forget_failed_after_days:g}, "
          f"checkpoint_wal = {str(r.checkpoint_wal).lower()}")
    print("rows")
    width = max(map(len, report.rows), default=0)
    for table, count in sorted(report.rows.items()):
        print(f"  {table.ljust(width)}  {count}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo import demo_config, serve_site
    from crawler.gold import load_gold

    config = replace(_config(args), notify=NotifySettings())  # demo finds are not news
    if args.db is None:
        config = replace(config, db_path=Path("demo.db"))
    with serve_site(port=args.port) as base, _open_store(config) as store:
        print(f"demo site serving at {base}; crawling into {config.db_path}")
        load_gold(store)
        _run_crawl(demo_config(config, base), store, None)
        print()
        _print_departures(store, args)
        print("gold = 1: a labelled departure of the seed article; sources: the articles that "
              "report it (the labelled seed and the crawled pages)")
    return 0


def cmd_reextract(args: argparse.Namespace) -> int:
    from crawler.reextract import RunStats, import_dir, plan_import, reextract

    config = _config(args)
    if args.workers is not None and not 1 <= args.workers <= MAX_WORKERS:
        raise ExodusError(f"--workers must be at least 1 and at most {MAX_WORKERS}")
    if args.since is not None:
        args.since = _iso_date(args.since, "--since")
    selectors = {s.name: s.article_selector for s in config.sources}
    stats = RunStats()
    plan = plan_import(Path(args.from_dir)) if args.from_dir else None
    with _open_store(config, create=plan is not None) as store:
        if plan is not None:
            stats.imported = import_dir(store, plan, args.source or "import")
        try:
            result = reextract(store, config.model, selectors=selectors, source=args.source,
                               since=args.since, workers=args.workers or os.cpu_count() or 1,
                               force=args.force)
        except KeyboardInterrupt:
            print("exodus: interrupted; what was written is kept, rerun to continue",
                  file=sys.stderr)
            return 130
        result.imported = stats.imported
        print(result.line())
        for page_id, reason in result.failed[:20]:
            print(f"  page {page_id}: {reason}")
    return 0


def _short(text: str, limit: int = 200) -> str:
    """A user-supplied value cut for an error line (a 10k-character path stays readable)."""
    return text if len(text) <= limit else text[:limit] + "..."


def _iso_date(value: str, flag: str) -> str:
    """``value`` as the database spells dates, so the text comparison in SQL is right:
    '2024-05-28' for a date (also written 20240528), else a UTC 'YYYY-MM-DDTHH:MM:SSZ'
    (a time without an offset is taken as UTC)."""
    problem = f"{flag} must be an ISO date such as 2024-05-28, got {_short(value)!r}"
    text = value.strip()
    if not text.isascii() or not text[:1].isdigit():
        raise ExodusError(problem)
    try:
        if len(text) in (8, 10):
            return date.fromisoformat(text).isoformat()
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ExodusError(problem) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    from storage import iso_utc

    return iso_utc(when)


def _bounded_int(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse type: ASCII digits only (int() also takes '１' and '1_000'), within
    [low, high] (SQLite integers and C ints overflow with a traceback otherwise)."""

    def parse(text: str) -> int:
        digits = text[1:] if text.startswith("-") else text
        if not (digits.isascii() and digits.isdigit()):
            raise ValueError(text)  # argparse: "invalid int value: 'x'"
        if len(digits) > 19 or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(
                f"{what} must be between {low} and {high}, got {_short(text, 40)}")
        return int(text)

    parse.__name__ = "int"
    return parse


_row_id = _bounded_int(1, 2**63 - 1, "an id")
_workers = _bounded_int(-(2**31), 2**31, "a worker count")  # 1..MAX_WORKERS: cmd_reextract
_port = _bounded_int(1, 65535, "a port")
MAX_WORKERS = 256


def _reviewer(args: argparse.Namespace) -> str:
    if args.by:
        return args.by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _show_departure(row: dict[str, Any]) -> None:
    print(f"#{row['id']} {row['person']} / {row['company']}: {row['status']}"
          + (f" ({row['note']})" if row.get("note") else ""))


def cmd_review(args: argparse.Namespace) -> int:
    from storage.review import review

    config = _config(args)
    with _open_store(config, create=False) as store:
        _show_departure(review(store, args.id, args.action, note=args.note,
                               by=_reviewer(args)))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from storage.review import merge

    config = _config(args)
    with _open_store(config, create=False) as store:
        row = merge(store, args.keep, args.other, note=args.note, by=_reviewer(args))
        print(f"merged #{args.other} into #{args.keep}")
        _show_departure(row)
    return 0


def cmd_unmerge(args: argparse.Namespace) -> int:
    from extract.names import company_key, person_key
    from storage.review import merged_variants, unmerge

    config = _config(args)
    with _open_store(config, create=False) as store:
        variants = merged_variants(store, args.id)
        if args.person is None:
            if not variants:
                print(f"#{args.id} has no merged variants")
            for v in variants:
                print(f"{v['person_key']} @ {v['company_key']} ({v['kind']} merge, {v['at']})")
            return 0
        pkey = person_key(args.person)
        matches = [v for v in variants if v["person_key"] == pkey
                   and (args.company is None or v["company_key"] == company_key(args.company))]
        if len(matches) != 1:
            raise ExodusError(f"#{args.id}: {len(matches)} merged variants match "
                              f"{args.person!r}; run 'exodus unmerge {args.id}' to list them")
        row = unmerge(store, args.id, pkey, matches[0]["company_key"], note=args.note,
                      by=_reviewer(args))
        print(f"split out of #{args.id}:")
        _show_departure(row)
    return 0


def _read_page(path: Path) -> tuple[bytes, bool]:
    """A saved page's bytes (gunzipped, capped) and whether it was cut; refuses binary
    files, which would only give an empty article."""
    from crawler.saved import BadGzip, read_saved_page
    from extract.article import looks_binary

    name = _short(str(path))
    try:
        page = read_saved_page(path)
    except OSError as exc:
        raise ExodusError(f"{name}: cannot read ({exc.strerror or exc})") from None
    except BadGzip as exc:
        raise ExodusError(f"{name}: not a valid gzip file ({exc})") from None
    if looks_binary(page.data):
        raise ExodusError(f"{name}: binary data, not an HTML page")
    return page.data, page.truncated


def cmd_article(args: argparse.Namespace) -> int:
    from extract.article import extract_article

    if args.config is not None:
        _config(args)  # an explicit config that cannot be used is an error here too
    paths = [Path(p) for p in args.files]
    pages = [(p, *_read_page(p)) for p in paths]  # every file is checked before any output
    for path, data, cut in pages:
        art = extract_article(data, url=args.url)
        if cut:
            print(f"exodus: warning: {path}: larger than {len(data)} bytes; only the first "
                  f"{len(data)} read", file=sys.stderr)
        for warning in art.warnings:
            print(f"exodus: warning: {path}: {warning}", file=sys.stderr)
        out = {"path": str(path), "url": art.url, "title": art.title,
               "published": art.published, "authors": art.authors, "lang": art.lang,
               "encoding": art.encoding, "text": art.text}
        print(json.dumps(out, ensure_ascii=False))
    return 0


def _jsonl_items(lines: Iterator[str], source: str) -> Iterator[tuple[Any, str, str | None]]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = scrub_json(json.loads(line))
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError("'text' must be a string")
        except (ValueError, KeyError, TypeError) as exc:
            raise ExodusError(f"{source}:{n}: not a valid input line ({exc})") from None
        yield item.get("id"), text, item.get("published")


def cmd_detect(args: argparse.Namespace) -> int:
    from extract.departures import Detector, ModelNotFound

    config = _config(args)
    source = args.file or "-"
    try:
        if source == "-":
            raw = sys.stdin.read()
        else:
            raw = Path(source).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ExodusError(f"{source}: cannot read ({exc.strerror or exc})") from None
    raw = without_surrogates(raw)  # stdin under a C locale decodes with surrogateescape
    try:
        detector = Detector(config.model)
    except ModelNotFound as exc:
        raise ExodusError(str(exc)) from None

    def record(dep: Any) -> dict[str, Any]:
        row = asdict(dep)
        row["when"] = row.pop("when_text")
        return row

    if args.explain:
        items = list(_jsonl_items(iter(raw.splitlines()), source)) if args.jsonl \
            else [(None, raw, None)]
        for item_id, text, published in items:
            _explain(detector.explain(text, published), item_id)
        return 0
    if not args.jsonl:
        for dep in detector.detect(raw):
            print(json.dumps(record(dep), ensure_ascii=False))
        return 0
    items = list(_jsonl_items(iter(raw.splitlines()), source))
    results = detector.detect_many((text, published) for _, text, published in items)
    for (item_id, _, _), deps in zip(items, results, strict=True):
        print(json.dumps({"id": item_id, "departures": [record(d) for d in deps]},
                         ensure_ascii=False))
    return 0


def _explain(cands: list[Any], item_id: Any) -> None:
    """One line per candidate: kept, or dropped with the veto's reason."""
    if item_id is not None:
        print(f"# {item_id}")
    if not cands:
        print("no candidates")
    for c in cands:
        verdict = "kept   " if c.reason is None else "dropped"
        why = "" if c.reason is None else f" -- {c.reason}"
        print(f"{verdict} [{c.rule}] {c.person} | {c.company or '?'}{why}")
        print(f"        {c.sentence}")


# -- parser -----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        self.exit(2, f"exodus: error: {message} (see 'exodus {self._sub_name()}--help')\n")

    def _sub_name(self) -> str:
        parts = self.prog.split()[1:]
        return " ".join(parts) + " " if parts else ""


def _version() -> str:
    try:
        return version("exodus")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def _global_flags(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """--config, --db and -v, accepted before or after the subcommand.

    The subcommand's copies default to SUPPRESS, so they set a value only when given
    there and never overwrite one given before the subcommand.
    """
    def default(value: Any) -> Any:
        return argparse.SUPPRESS if suppress else value

    parser.add_argument("--config", metavar="PATH", default=default(None),
                        help="config file (default: ./config.toml when present)")
    parser.add_argument("--db", metavar="PATH", default=default(None),
                        help="database file (overrides [storage] path)")
    parser.add_argument("-v", "--verbose", action="count", default=default(0),
                        help="log more (-v info, -vv debug); logs go to stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="exodus",
        description="Crawl tech-news sites, archive every page, and keep a deduplicated "
                    "register of executive departures.",
    )
    parser.add_argument("--version", action="version", version=f"exodus {_version()}",
                        help="print the exodus version and exit")
    _global_flags(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_flags(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                help="run 'exodus COMMAND --help' for its options")
    sub.required = True

    def add(name: str, help: str) -> argparse.ArgumentParser:  # noqa: A002
        return sub.add_parser(name, help=help, description=help, parents=[common])

    p = add("init", help="create or migrate the database (idempotent)")
    p.add_argument("--gold", action="store_true",
                   help="also load the labelled gold example (seeds/gold), marked gold = 1; "
                        "meant for trying exodus out, not for a monitoring database")
    p.set_defaults(func=cmd_init)

    p = add("demo", help="crawl the bundled demo site offline into demo.db")
    p.add_argument("--port", type=_port, metavar="N",
                   help="serve the demo site on this port (default 8765, else any free port)")
    p.set_defaults(func=cmd_demo)

    p = add("departures", help="print the deduplicated departures")
    p.add_argument("--status", choices=["new", "confirmed", "rejected"],
                   help="only departures with this review status")
    p.add_argument("--company", help="only companies whose name contains this text")
    p.add_argument("--since", metavar="DATE", help="only departures seen on or after DATE")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(func=cmd_departures)

    p = add("reextract", help="run extraction and detection again over the archive")
    p.add_argument("--source", metavar="NAME", help="only pages of this source "
                   "(with --from-dir: the source name given to the imported pages)")
    p.add_argument("--since", metavar="DATE", help="only pages fetched on or after DATE")
    p.add_argument("--from-dir", metavar="DIR", help="first import saved pages "
                   "(.html, .html.gz, optional NAME.json sidecar with url and fetched_at)")
    p.add_argument("--workers", type=_workers, metavar="N",
                   help="worker processes (default: cores)")
    p.add_argument("--force", action="store_true",
                   help="also redo pages already processed by this extractor version")
    p.set_defaults(func=cmd_reextract)

    p = add("review", help="confirm, reject or reopen a departure")
    p.add_argument("id", type=_row_id, metavar="ID", help="the departure id (first column)")
    group = p.add_mutually_exclusive_group(required=True)
    for action in ("confirm", "reject", "reopen"):
        group.add_argument(f"--{action}", dest="action", action="store_const", const=action,
                           help=f"{action} the departure" if action != "reopen"
                           else "set the departure back to new")
    p.add_argument("--note", help="why; shown in the register")
    p.add_argument("--by", help="reviewer name (default: your login name)")
    p.set_defaults(func=cmd_review)

    p = add("merge", help="fold departure OTHER into KEEP (a duplicate the tool missed)")
    p.add_argument("keep", type=_row_id, metavar="KEEP", help="the departure id that stays")
    p.add_argument("other", type=_row_id, metavar="OTHER", help="the departure id folded into KEEP")
    p.add_argument("--note", help="why; kept with the decision")
    p.add_argument("--by", help="reviewer name (default: your login name)")
    p.set_defaults(func=cmd_merge)

    p = add("unmerge", help="list the names merged into a departure, or split one out")
    p.add_argument("id", type=_row_id, metavar="ID", help="the departure id")
    p.add_argument("person", nargs="?", metavar="PERSON", help="the merged name to split out")
    p.add_argument("--company", help="the merged variant's company, when several match")
    p.add_argument("--note", help="why; kept with the decision")
    p.add_argument("--by", help="reviewer name (default: your login name)")
    p.set_defaults(func=cmd_unmerge)

    p = add("crawl", help="one crawl pass over the configured sources, then exit")
    p.add_argument("--source", action="append", metavar="NAME",
                   help="crawl only this source (repeatable)")
    p.set_defaults(func=cmd_crawl)

    p = add("sources", help="the health of each source: last run, last success, "
                            "consecutive failures, last error")
    p.set_defaults(func=cmd_sources)

    p = add("stats", help="database and WAL size, archive size and rows per table")
    p.set_defaults(func=cmd_stats)

    p = add("daemon", help="crawl every source on its schedule until stopped")
    p.set_defaults(func=cmd_daemon)

    p = add("article", help="extract the article from saved pages (.html, .html.gz)")
    p.add_argument("files", nargs="+", metavar="FILE", help="saved page (.html or .html.gz)")
    p.add_argument("--url", help="the URL the page was fetched from")
    p.set_defaults(func=cmd_article)

    p = add("detect", help="find departures in plain text or JSON lines")
    p.add_argument("file", nargs="?", metavar="FILE", help="input file, or - for stdin")
    p.add_argument("--jsonl", action="store_true",
                   help='input lines are {"id", "text", "published"} objects')
    p.add_argument("--explain", action="store_true",
                   help="list every candidate, kept or dropped with the reason")
    p.set_defaults(func=cmd_detect)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose)
    try:
        return args.func(args)
    except (ExodusError, ConfigError, StorageError) as exc:
        print(f"exodus: error: {exc}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:
        print(f"exodus: error: database: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("exodus: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except UnicodeEncodeError as exc:  # an argument with undecodable bytes (surrogateescape)
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        print(f"exodus: error: an argument is not valid UTF-8 text ({bad!r})", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the system refuses (too long, a port in use, ...)
        where = f"{_short(str(exc.filename))}: " if exc.filename else ""
        print(f"exodus: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
