"""Extraction benchmark: body F1, date accuracy, Chinese decoding, each against a reference tool.

Run:  /work/main/.venv/bin/python bench/extraction.py [--no-reference]

Reads the corpus from $EXODUS_CORPUS (default ``<repo>/../shared/corpus``); the corpus pages are
never copied into the project.  Only the extraction call is timed (decoding included), not the
file reading.  Speeds are from one cold run by default: htmldate and trafilatura memoise
per-string work, so repeated runs over the same pages flatter them (and us) unevenly;
``--repeat N`` keeps the best of N runs and ``--cpu`` times process CPU time instead of wall
time, for when other jobs load the shared machine.
trafilatura and htmldate are imported here only, never by ``extract/``.

Body score (the article-extraction-benchmark's): ``\\w+`` tokens, 4-token shingle multisets,
per-page precision/recall from shingle counts (normalised per page), precision averaged over
pages with a non-empty prediction, recall over pages with a non-empty truth, F1 of the averages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from extract.article import extract_article  # noqa: E402
from extract.dates import find_date  # noqa: E402
from extract.decode import decode_html  # noqa: E402
from extract.metadata import find_lang  # noqa: E402
from extract.page import read_page  # noqa: E402

# --------------------------------------------------------------------------- corpus access


def corpus_dir() -> Path:
    """Corpus root from $EXODUS_CORPUS, else the shared folder next to the repository."""
    return Path(os.environ.get("EXODUS_CORPUS") or REPO.parent / "shared" / "corpus")


@dataclass
class BodyCase:
    key: str
    url: str | None
    data: bytes
    truth: str


@dataclass
class DateCase:
    url: str
    data: bytes
    expected: str | None


@dataclass
class ZhCase:
    key: str
    data: bytes
    cleaned: str
    date: str | None = None  # YYYY-MM-DD, when the label gives a full day
    authors: tuple[str, ...] = ()  # empty when the label says UNKNOWN


def load_aeb(root: Path | None = None) -> list[BodyCase]:
    folder = (root or corpus_dir()) / "aeb-dev"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    cases = []
    for key, item in sorted(truth.items()):
        path = folder / "html" / f"{key}.html.gz"
        if path.exists():
            cases.append(BodyCase(key, item.get("url"), gzip.decompress(path.read_bytes()),
                                  item.get("articleBody") or ""))
    return cases


def load_dates(root: Path | None = None) -> list[DateCase]:
    folder = (root or corpus_dir()) / "dates-dev"
    raw = (folder / "expected-dates.json").read_text(encoding="utf-8")
    labels = json.loads(raw)
    cases = []
    for url, item in labels.items():
        path = folder / "html" / item["file"]
        if not path.exists():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        expected = item.get("date")
        if not isinstance(expected, str) or (isinstance(expected, float) and math.isnan(expected)):
            expected = None
        cases.append(DateCase(url, data, expected))
    return cases


def load_zh(root: Path | None = None) -> list[ZhCase]:
    folder = (root or corpus_dir()) / "zh-dev"
    cases = []
    for path in sorted((folder / "original").iterdir()):
        cleaned = folder / "cleaned" / (path.stem + ".txt")
        if cleaned.exists():
            cases.append(ZhCase(path.stem, path.read_bytes(),
                                cleaned.read_bytes().decode("utf-8", "replace"),
                                _label_day(folder / "date" / (path.stem + ".txt")),
                                _label_names(folder / "author" / (path.stem + ".txt"))))
    return cases


def _label_day(path: Path) -> str | None:
    text = path.read_text("utf-8", "replace") if path.exists() else ""
    m = re.match(r"\s*((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})", text)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def _label_names(path: Path) -> tuple[str, ...]:
    text = path.read_text("utf-8", "replace").strip() if path.exists() else ""
    return () if text in ("", "UNKNOWN") else tuple(re.split(r"[\s、,，]+", text))


# --------------------------------------------------------------------------- metrics

_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    count = max(1, len(tokens) - n + 1)
    return Counter(tuple(tokens[i : i + n]) for i in range(count) if tokens[i : i + n])


def page_tp_fp_fn(truth: str, pred: str) -> tuple[float, float, float]:
    """Shingle match counts of one page, normalised so long pages do not dominate."""
    t, p = _shingles(truth), _shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def body_scores(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """(F1, precision, recall) over (truth, prediction) pairs."""
    precisions, recalls = [], []
    for truth, pred in pairs:
        tp, fp, fn = page_tp_fp_fn(truth, pred)
        if tp + fp > 0:
            precisions.append(1.0 if fp == fn == 0 else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if fp == fn == 0 else tp / (tp + fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


_WHITESPACE = re.compile(r"\s+")
# Typical UTF-8-read-as-Latin-1 / GBK-read-as-Latin-1 debris, or replacement characters.
_MOJIBAKE = re.compile(r"[\ufffd]|Ã.|â€|ï¼|ã€|[\u00c0-\u00ff]{3,}|锟斤拷")


def char_coverage(text: str, cleaned: str) -> float:
    """Share of the hand-cleaned text's characters (multiset, whitespace ignored) in ``text``."""
    want = Counter(_WHITESPACE.sub("", cleaned))
    if not want:
        return 1.0
    have = Counter(_WHITESPACE.sub("", text))
    return sum((want & have).values()) / sum(want.values())


def has_mojibake(text: str) -> bool:
    return bool(_MOJIBAKE.search(text))


# --------------------------------------------------------------------------- runners


REPEAT = 1
CLOCK: Callable[[], float] = time.perf_counter


def timed(fn: Callable, items: list, repeat: int | None = None) -> tuple[list, float]:
    """Results of ``fn`` over ``items`` and the best total time of ``repeat`` runs.

    Best-of-N because the machine is shared: the minimum is the least disturbed run.
    """
    best = float("inf")
    results: list = []
    for _ in range(max(1, repeat or REPEAT)):
        results = []
        elapsed = 0.0
        for item in items:
            start = CLOCK()
            results.append(fn(item))
            elapsed += CLOCK() - start
        best = min(best, elapsed)
    return results, best


def run_body(
    cases: list[BodyCase], reference: bool
) -> list[tuple[str, float, float, float, float]]:
    rows = []
    preds, secs = timed(lambda c: extract_article(c.data, url=c.url).text, cases)
    rows.append(("exodus", *body_scores(zip([c.truth for c in cases], preds, strict=True)),
                 len(cases) / secs))
    if reference:
        import trafilatura

        for name, kwargs in (("trafilatura fast", {"fast": True}), ("trafilatura default", {})):
            preds, secs = timed(lambda c, kw=kwargs: trafilatura.extract(c.data, url=c.url, **kw)
                                or "", cases)
            rows.append((name, *body_scores(zip([c.truth for c in cases], preds, strict=True)),
                         len(cases) / secs))
    return rows


def run_dates(cases: list[DateCase], reference: bool) -> list[tuple[str, float, float]]:
    rows = []
    preds, secs = timed(lambda c: extract_article(c.data, url=c.url).published, cases)
    acc = sum(p == c.expected for p, c in zip(preds, cases, strict=True)) / len(cases)
    rows.append(("exodus (full article)", acc, len(cases) / secs))

    def date_only(case: DateCase) -> str | None:
        page = read_page(decode_html(case.data).text, case.url)
        return find_date(page, lang=find_lang(page))

    preds, secs = timed(date_only, cases)
    acc = sum(p == c.expected for p, c in zip(preds, cases, strict=True)) / len(cases)
    rows.append(("exodus (date only)", acc, len(cases) / secs))
    if reference:
        from htmldate import find_date as htmldate_find_date

        def ref(case: DateCase) -> str | None:
            try:
                return htmldate_find_date(case.data, original_date=True, url=case.url)
            except Exception:  # noqa: BLE001 - a reference failure counts as a miss
                return None

        preds, secs = timed(ref, cases)
        acc = sum(p == c.expected for p, c in zip(preds, cases, strict=True)) / len(cases)
        rows.append(("htmldate", acc, len(cases) / secs))
    return rows


def run_zh(cases: list[ZhCase]) -> tuple[float, float, int, float]:
    """(mean coverage, overall coverage, pages with mojibake, pages/s)."""
    articles, secs = timed(lambda c: extract_article(c.data), cases)
    covs = [char_coverage(a.text, c.cleaned) for a, c in zip(articles, cases, strict=True)]
    total_want = sum(len(_WHITESPACE.sub("", c.cleaned)) for c in cases)
    total_have = sum(cov * len(_WHITESPACE.sub("", c.cleaned)) for cov, c in
                     zip(covs, cases, strict=True))
    bad = sum(has_mojibake(a.text) for a in articles)
    return sum(covs) / len(covs), total_have / max(1, total_want), bad, len(cases) / secs


@dataclass
class MetaScore:
    dates_right: int
    dates_labelled: int
    dates_wrong: int  # a day given that is not the label's (unlabelled pages included)
    authors_right: int
    authors_labelled: int
    authors_wrong: int  # names given that are not the label's (unlabelled pages included)


def score_zh_meta(cases: list[ZhCase], preds: list[tuple[str | None, list[str]]]) -> MetaScore:
    """Day and author agreement with the zh-dev labels. Names agree when every name given
    is one of the label's (substring either way: "记者 刘涛" vs "刘涛")."""
    score = MetaScore(0, 0, 0, 0, 0, 0)
    for case, (day, names) in zip(cases, preds, strict=True):
        if case.date:
            score.dates_labelled += 1
        if day:
            if day[:10] == case.date:
                score.dates_right += 1
            else:
                score.dates_wrong += 1
        if case.authors:
            score.authors_labelled += 1
        if names:
            ok = bool(case.authors) and all(
                any(n in want or want in n for want in case.authors) for n in names
            )
            score.authors_right += ok
            score.authors_wrong += not ok
    return score


def run_zh_meta(cases: list[ZhCase], reference: bool) -> list[tuple[str, MetaScore]]:
    rows = [("exodus", score_zh_meta(cases, [
        (a.published, a.authors) for a in (extract_article(c.data) for c in cases)
    ]))]
    if reference:
        import trafilatura

        preds = []
        for c in cases:
            doc = trafilatura.bare_extraction(c.data, with_metadata=True)
            day = getattr(doc, "date", None) if doc is not None else None
            author = getattr(doc, "author", None) if doc is not None else None
            preds.append((day, [n for n in re.split(r";\s*", author or "") if n]))
        rows.append(("trafilatura", score_zh_meta(cases, preds)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-reference", action="store_true", help="skip trafilatura/htmldate")
    parser.add_argument("--verbose", action="store_true", help="per-page scores")
    parser.add_argument("--repeat", type=int, default=1, help="timing runs (best is kept)")
    parser.add_argument("--cpu", action="store_true",
                        help="time with process CPU time (robust when other jobs load the CPU)")
    args = parser.parse_args(argv)
    global REPEAT, CLOCK
    REPEAT = args.repeat
    if args.cpu:
        CLOCK = time.process_time
    print(f"timing: {'process CPU time' if args.cpu else 'wall clock'}, best of {REPEAT} run(s)")
    root = corpus_dir()
    if not root.exists():
        print(f"corpus not found at {root} (set EXODUS_CORPUS)")
        return 1
    reference = not args.no_reference

    if (root / "aeb-dev").exists():
        cases = load_aeb(root)
        print(f"\nBody text, aeb-dev ({len(cases)} pages), 4-gram shingle scores")
        print(f"{'extractor':<22}{'F1':>8}{'prec':>8}{'recall':>8}{'pages/s':>10}")
        for name, f1, p, r, speed in run_body(cases, reference):
            print(f"{name:<22}{f1:>8.3f}{p:>8.3f}{r:>8.3f}{speed:>10.1f}")
        if args.verbose:
            for c in cases:
                text = extract_article(c.data, url=c.url).text
                tp, fp, fn = page_tp_fp_fn(c.truth, text)
                print(f"  {c.key[:12]} P={tp / (tp + fp) if tp + fp else 0:.2f} "
                      f"R={tp / (tp + fn) if tp + fn else 0:.2f} {c.url}")

    if (root / "dates-dev").exists():
        cases = load_dates(root)
        print(f"\nPublication date, dates-dev ({len(cases)} pages), exact-day accuracy")
        print(f"{'extractor':<24}{'accuracy':>10}{'pages/s':>10}")
        for name, acc, speed in run_dates(cases, reference):
            print(f"{name:<24}{acc:>10.3f}{speed:>10.1f}")
        if args.verbose:
            for c in cases:
                got = extract_article(c.data, url=c.url).published
                if got != c.expected:
                    print(f"  got {got} want {c.expected} {c.url[:100]}")

    if (root / "zh-dev").exists():
        cases = load_zh(root)
        mean_cov, overall_cov, bad, speed = run_zh(cases)
        print(f"\nChinese pages, zh-dev ({len(cases)} pages)")
        print(f"{'char coverage (mean)':<26}{mean_cov:>8.3f}")
        print(f"{'char coverage (overall)':<26}{overall_cov:>8.3f}")
        print(f"{'pages with mojibake':<26}{bad:>8d}")
        print(f"{'pages/s':<26}{speed:>8.1f}")
        print("\nChinese pages, zh-dev: publication day and authors against the labels")
        print(f"{'extractor':<14}{'days right':>12}{'days wrong':>12}"
              f"{'authors right':>15}{'authors wrong':>15}")
        for name, m in run_zh_meta(cases, reference):
            print(f"{name:<14}{m.dates_right:>7d}/{m.dates_labelled:<4d}{m.dates_wrong:>12d}"
                  f"{m.authors_right:>10d}/{m.authors_labelled:<4d}{m.authors_wrong:>15d}")
        if args.verbose:
            for c in cases:
                a = extract_article(c.data)
                print(f"  {c.key[:12]} cov={char_coverage(a.text, c.cleaned):.2f} "
                      f"enc={a.encoding} moji={has_mojibake(a.text)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
