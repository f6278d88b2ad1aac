"""Extraction quality on the shared corpus (real pages); skipped when the corpus is absent.

Thresholds sit a margin below the levels measured by ``bench/extraction.py`` so that they catch
regressions, not noise.  The corpus lives outside the repository ($EXODUS_CORPUS).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from extract.article import extract_article

_BENCH = Path(__file__).resolve().parent.parent / "bench" / "extraction.py"
_spec = importlib.util.spec_from_file_location("exodus_bench_extraction", _BENCH)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench
_spec.loader.exec_module(bench)

CORPUS = bench.corpus_dir()


def _need(folder: str) -> Path:
    path = CORPUS / folder
    if not path.exists():
        pytest.skip(f"corpus folder {path} not available")
    return path


def test_aeb_body_f1() -> None:
    _need("aeb-dev")
    cases = bench.load_aeb(CORPUS)
    preds = [extract_article(c.data, url=c.url).text for c in cases]
    f1, precision, recall = bench.body_scores(
        zip([c.truth for c in cases], preds, strict=True))
    assert f1 >= 0.94, (f1, precision, recall)
    assert precision >= 0.92 and recall >= 0.92


def test_dates_accuracy() -> None:
    _need("dates-dev")
    cases = bench.load_dates(CORPUS)
    hits = sum(extract_article(c.data, url=c.url).published == c.expected for c in cases)
    assert hits / len(cases) >= 0.90


def test_zh_decoding_and_coverage() -> None:
    _need("zh-dev")
    cases = bench.load_zh(CORPUS)
    coverages = []
    for case in cases:
        art = extract_article(case.data)
        assert not bench.has_mojibake(art.text), (case.key, art.encoding)
        coverages.append(bench.char_coverage(art.text, case.cleaned))
    assert sum(coverages) / len(coverages) >= 0.95


def test_trafilatura_subset_lying_charsets() -> None:
    """Pages with odd or lying charset declarations decode to readable text."""
    folder = _need("trafilatura-subset")
    labels = json.loads((folder / "evaldata-subset.json").read_text(encoding="utf-8"))
    found = total = 0
    for item in labels.values():
        path = folder / "html" / item["file"]
        if not path.exists():
            continue
        art = extract_article(path.read_bytes())
        assert "\ufffd" not in art.text[:2000] or art.encoding != "utf-8", item["file"]
        for snippet in item.get("with", []):
            total += 1
            found += snippet in art.text
    assert total == 0 or found / total >= 0.8


def test_newspaper4k_pages_do_not_fail() -> None:
    folder = _need("newspaper4k")
    for path in sorted((folder / "html").iterdir())[:30]:
        art = extract_article(path.read_bytes())
        assert not any(w.startswith("extraction failed") for w in art.warnings), path.name
