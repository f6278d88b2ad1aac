"""The `exodus` command line.

Every failure the user can cause (bad flags, config, files, database) ends as one
`exodus: error: ...` line and exit status 2; nothing is written before the inputs are
known to be good.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import gzip
import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.config import Config, ConfigError, load_config, parse_config
from crawler.errors import ExodusError
from crawler.logs import setup_logging
from crawler.table import DEPARTURE_COLUMNS, render
from storage import StorageError, Store

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
    read_gold()  # fail on a broken seed before touching the database
    with _open_store(config) as store:
        n = load_gold(store)
        counts = store.counts()
    print(f"{config.db_path}: ready ({counts['departures']} departures, "
          f"{n} of them gold, {counts['pages']} pages archived)")
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
    if args.since:
        _iso_date(args.since, "--since")
    with _open_store(config, create=False) as store:
        _print_departures(store, args)
    return 0


def _run_crawl(config: Config, store: Store, names: list[str] | None) -> int:
    from crawler.crawl import crawl
    from crawler.pipeline import Processor

    sources = [config.source(n) for n in names] if names else list(config.sources)
    if not sources:
        raise ExodusError(f"{config.path or 'config'}: no [[sources]] to crawl")
    processor = Processor(store, config.model)
    _ = processor.detector  # load the model before the first request, failing early
    stats = asyncio.run(crawl(sources, config.crawler, store, processor, _progress(True)))
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    for s in stats:
        print(s.line())
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    config = _config(args)
    for name in args.source or []:
        config.source(name)
    with _open_store(config) as store:
        return _run_crawl(config, store, args.source)


def cmd_daemon(args: argparse.Namespace) -> int:
    from crawler.daemon import run_daemon
    from crawler.pipeline import Processor

    config = _config(args)
    if not config.sources:
        raise ExodusError(f"{config.path or 'config'}: no [[sources]] to schedule")
    setup_logging(max(args.verbose, 1))  # a daemon's log is its output: one line per run
    with _open_store(config) as store:
        processor = Processor(store, config.model)
        _ = processor.detector
        asyncio.run(run_daemon(config, store, processor))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo import demo_config, serve_site
    from crawler.gold import load_gold

    config = _config(args)
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
    if args.workers is not None and args.workers < 1:
        raise ExodusError("--workers must be at least 1")
    if args.since:
        _iso_date(args.since, "--since")
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


def _iso_date(value: str, flag: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ExodusError(f"{flag} must be an ISO date such as 2024-05-28, got {value!r}") from None
    return value


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


def _read_page(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExodusError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ExodusError(f"{path}: not a valid gzip file ({exc})") from None
    return data


def cmd_article(args: argparse.Namespace) -> int:
    from extract.article import extract_article

    if args.config is not None:
        _config(args)  # an explicit config that cannot be used is an error here too
    paths = [Path(p) for p in args.files]
    pages = [(p, _read_page(p)) for p in paths]  # every file is checked before any output
    for path, data in pages:
        art = extract_article(data, url=args.url)
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
            item = json.loads(line)
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="exodus",
        description="Crawl tech-news sites, archive every page, and keep a deduplicated "
                    "register of executive departures.",
    )
    parser.add_argument("--config", metavar="PATH",
                        help="config file (default: ./config.toml when present)")
    parser.add_argument("--db", metavar="PATH", help="database file (overrides [storage] path)")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log more (-v info, -vv debug); logs go to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("init", help="create or migrate the database and load the gold example")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="crawl the bundled demo site offline into demo.db")
    p.add_argument("--port", type=int, metavar="N",
                   help="serve the demo site on this port (default 8765, else any free port)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("departures", help="print the deduplicated departures")
    p.add_argument("--status", choices=["new", "confirmed", "rejected"])
    p.add_argument("--company", help="only companies whose name contains this text")
    p.add_argument("--since", metavar="DATE", help="only departures seen on or after DATE")
    p.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    p.set_defaults(func=cmd_departures)

    p = sub.add_parser("reextract", help="run extraction and detection again over the archive")
    p.add_argument("--source", metavar="NAME", help="only pages of this source "
                   "(with --from-dir: the source name given to the imported pages)")
    p.add_argument("--since", metavar="DATE", help="only pages fetched on or after DATE")
    p.add_argument("--from-dir", metavar="DIR", help="first import saved pages "
                   "(.html, .html.gz, optional NAME.json sidecar with url and fetched_at)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (default: cores)")
    p.add_argument("--force", action="store_true",
                   help="also redo pages already processed by this extractor version")
    p.set_defaults(func=cmd_reextract)

    p = sub.add_parser("review", help="confirm, reject or reopen a departure")
    p.add_argument("id", type=int, metavar="ID")
    group = p.add_mutually_exclusive_group(required=True)
    for action in ("confirm", "reject", "reopen"):
        group.add_argument(f"--{action}", dest="action", action="store_const", const=action)
    p.add_argument("--note", help="why; shown in the register")
    p.add_argument("--by", help="reviewer name (default: your login name)")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("merge", help="fold departure OTHER into KEEP (a duplicate the tool missed)")
    p.add_argument("keep", type=int, metavar="KEEP")
    p.add_argument("other", type=int, metavar="OTHER")
    p.add_argument("--note")
    p.add_argument("--by", help="reviewer name (default: your login name)")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("unmerge", help="list the names merged into a departure, or split one out")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("person", nargs="?", metavar="PERSON", help="the merged name to split out")
    p.add_argument("--company", help="the merged variant's company, when several match")
    p.add_argument("--note")
    p.add_argument("--by", help="reviewer name (default: your login name)")
    p.set_defaults(func=cmd_unmerge)

    p = sub.add_parser("crawl", help="one crawl pass over the configured sources, then exit")
    p.add_argument("--source", action="append", metavar="NAME",
                   help="crawl only this source (repeatable)")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("daemon", help="crawl every source on its schedule until stopped")
    p.set_defaults(func=cmd_daemon)

    p = sub.add_parser("article", help="extract the article from saved pages (.html, .html.gz)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--url", help="the URL the page was fetched from")
    p.set_defaults(func=cmd_article)

    p = sub.add_parser("detect", help="find departures in plain text or JSON lines")
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


if __name__ == "__main__":
    sys.exit(main())
