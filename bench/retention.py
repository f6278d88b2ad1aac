"""How long retention takes after a pass, and what it gives back.

Builds a database like a daemon's after weeks: `--feeds` feed/listing URLs archived in
`--versions` versions each (they change every pass) and `--articles` single-version
article pages, all in the WAL, then times `apply_retention` twice (the first pass
deletes and truncates the WAL; the second is the steady state after every pass).

    .venv/bin/python bench/retention.py [--feeds 200] [--versions 12] [--articles 1800]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage import PageVersion, Store  # noqa: E402
from storage.retention import apply_retention, database_report  # noqa: E402


def build(store: Store, feeds: int, versions: int, articles: int) -> None:
    body = os.urandom(2000).hex().encode()  # 4 kB that does not compress away
    with store.transaction():
        for u in range(feeds + articles):
            for v in range(versions if u < feeds else 1):
                url = f"https://news.test/{u}"
                store.save_page(PageVersion(
                    url=url, final_url=url, source="s", kind="feed" if u < feeds else "article",
                    fetched_at=f"2026-01-01T{v // 60:02d}:{v % 60:02d}:00Z", status=200,
                    etag=None, last_modified=None, content_type="text/html", encoding=None,
                    body=body + str(v).encode()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200, help="URLs with many versions")
    parser.add_argument("--versions", type=int, default=12, help="versions of each of those")
    parser.add_argument("--articles", type=int, default=1800, help="single-version pages")
    parser.add_argument("--keep", type=int, default=10, help="max_versions_per_url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "b.db") as store:
        build(store, args.feeds, args.versions, args.articles)
        before = database_report(store)
        print(f"{before.rows['pages']} pages; db {before.db_bytes / 1e6:.1f} MB, "
              f"wal {before.wal_bytes / 1e6:.1f} MB")
        for label in ("first pass", "steady state"):
            started = time.perf_counter()
            result = apply_retention(store, max_versions=args.keep, forget_failed_days=30)
            ms = (time.perf_counter() - started) * 1000
            after = database_report(store)
            print(f"{label}: {ms:.0f} ms, {result.versions_deleted} versions deleted, "
                  f"wal {after.wal_bytes} B, {after.free_bytes / 1e6:.1f} MB free for reuse")


if __name__ == "__main__":
    main()
