"""Chinese departure-detection bench: a labelled JSONL scored like bench/departures.py,
plus speed and the rows found on Chinese pages that are (mostly) not about departures.

Run: .venv/bin/python bench/departures_zh.py [--data FILE.jsonl] [--corpus DIR] [--quick]

--data   labelled passages in the dev format ({"id", "text", "label", "person", "company"};
         several people or companies separated by ";"); scored at event level.
--corpus a folder of plain-text Chinese pages (default ../shared/corpus/zh-dev/cleaned,
         or $EXODUS_CORPUS/zh-dev/cleaned); timed, and every row found there is printed
         (person | company only: the pages belong to their publishers).
--quick  no speed runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (REPO, REPO / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from departures import cpu_best, load_dev, score_rows  # noqa: E402

from extract.departures import Detector  # noqa: E402


def default_corpus() -> Path:
    root = Path(os.environ.get("EXODUS_CORPUS", str(REPO.parent / "shared" / "corpus")))
    return root / "zh-dev" / "cleaned"


def load_pages(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]


def score(det: Detector, path: Path, quick: bool) -> None:
    rows = load_dev(path)
    if not rows:
        print(f"== labelled: skipped ({path} not found or empty)")
        return
    preds = list(det.detect_many((r["text"], r.get("published")) for r in rows))
    s, misses, extras = score_rows(rows, preds)
    print(f"== labelled {path.name}: {len(rows)} passages, tp={s.tp} fp={s.fp} fn={s.fn}")
    print(f"   precision={s.precision:.3f} recall={s.recall:.3f} f1={s.f1:.3f}")
    for rid, p, c in misses:
        print(f"   MISS {rid}: {p} | {c}")
    for rid, p, c in extras:
        print(f"   FP   {rid}: {p} | {c}")
    if not quick:
        texts = [r["text"] for r in rows]
        secs = cpu_best(lambda: list(det.detect_many((t, None) for t in texts)))
        chars = sum(len(t) for t in texts)
        print(f"   speed on these passages: {chars / secs:.0f} chars/s, "
              f"{len(texts) / secs:.1f} passages/s (CPU time, best of 3)")


def corpus_report(det: Detector, pages: list[str], quick: bool) -> None:
    found = list(det.detect_many((t, None) for t in pages))
    rows = sum(len(f) for f in found)
    print(f"== corpus: {len(pages)} pages, {sum(len(t) for t in pages)} chars, "
          f"{rows} rows found (pages not about departures: likely false positives)")
    for text_deps in found:
        for d in text_deps:
            print(f"   ROW  {d.person} | {d.company} | {d.role}")
    if quick:
        return
    zh = det._chinese()
    cut = zh.nlp.tokenizer.pos.tokenizer.lcut
    tokens = sum(len(cut(t)) for t in pages)
    secs = cpu_best(lambda: [zh.detect(t) for t in pages])
    chars = sum(len(t) for t in pages)
    print(f"== speed (CPU time, best of 3): {tokens} jieba tokens in {secs:.2f} s")
    print(f"   detect {tokens / secs:>10.0f} tokens/s {chars / secs:>10.0f} chars/s "
          f"{len(pages) / secs:>7.1f} pages/s")
    seg = cpu_best(lambda: [cut(t) for t in pages], repeat=1)
    print(f"   jieba segmentation of every sentence would be {tokens / seg:.0f} tokens/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="labelled JSONL (dev format)")
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    det = Detector()
    start = time.perf_counter()
    det._chinese()
    print(f"== jieba pipeline built in {time.perf_counter() - start:.1f} s (first Chinese text)")
    if args.data:
        score(det, args.data, args.quick)
    pages = load_pages(args.corpus)
    if pages:
        corpus_report(det, pages, args.quick)
    else:
        print(f"== corpus: skipped ({args.corpus} not found)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
