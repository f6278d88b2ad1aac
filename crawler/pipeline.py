"""Drive archived pages through extraction and detection into storage.

The work is split in two halves so that `reextract` can run the first in worker
processes: `Analyzer` is pure (bytes in, `Analysis` out, no database), and
`store_analysis` writes one analysis. The crawl, the demo and `reextract` all use both,
so a page is treated the same way whichever road it came by.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from crawler.errors import ExodusError
from extract.article import Article, extract_article
from extract.names import company_key, person_key
from extract.version import EXTRACTOR_VERSION
from storage import Finding, Store, site_of

if TYPE_CHECKING:  # spaCy is imported only where the model is loaded (not in the
    # parent of `reextract`'s workers, which only writes)
    from extract.departures import Departure, Detector

log = logging.getLogger("exodus.pipeline")


@dataclass(frozen=True)
class PageInput:
    page_id: int
    url: str
    body: bytes
    content_type: str | None
    fetched_at: str
    article_selector: str | None = None


@dataclass
class Analysis:
    page: PageInput
    article: Article | None = None
    departures: list[Departure] = field(default_factory=list)
    error: str | None = None


@dataclass
class PageOutcome:
    article_id: int | None
    departures: int
    warnings: list[str]


def findings(departures: list[Departure]) -> list[Finding]:
    return [
        Finding(
            person=d.person, company=d.company, person_key=person_key(d.person),
            company_key=company_key(d.company), role=d.role, destination=d.destination,
            when_text=d.when_text, sentence=d.sentence, confidence=d.confidence,
        )
        for d in departures
    ]


def _same_site(a: str, b: str) -> bool:
    site = site_of(a)
    return bool(site) and site == site_of(b)


def article_url(page_url: str, article: Article) -> str:
    """The page's rel=canonical when it stays on the same site, so one story is stored
    once; a canonical pointing elsewhere could let one page overwrite another site's."""
    if article.url and _same_site(article.url, page_url):
        return article.url
    return page_url


def _wants_detection(article: Article) -> bool:
    lang = article.lang
    return bool(article.text.strip()) and (lang is None or lang.startswith(("en", "zh")))


class Analyzer:
    """Extraction and detection; the spaCy model is loaded on first use."""

    def __init__(self, model: str, detector: Detector | None = None) -> None:
        self.model = model
        if detector is not None:  # share a model already loaded
            self.__dict__["detector"] = detector

    @cached_property
    def detector(self) -> Detector:
        from extract.departures import Detector, ModelNotFound

        try:
            return Detector(self.model)
        except ModelNotFound as exc:
            raise ExodusError(str(exc)) from None

    def _extract(self, page: PageInput) -> Analysis:
        try:
            when = datetime.fromisoformat(page.fetched_at.replace("Z", "+00:00"))
            article = extract_article(page.body, url=page.url, content_type=page.content_type,
                                      article_selector=page.article_selector, fetched_at=when)
            return Analysis(page, article)
        except Exception as exc:  # a bug on one page must not stop a crawl or a re-run
            log.error("extraction failed", extra={"page": page.page_id, "error": repr(exc)})
            return Analysis(page, error=f"extraction failed: {exc!r}")

    def analyse_many(self, pages: list[PageInput]) -> list[Analysis]:
        """Extract each page, then detect over all of them in one batched spaCy run."""
        results = [self._extract(p) for p in pages]
        todo = [r for r in results if r.article is not None and _wants_detection(r.article)]
        if todo:
            try:
                # Small spaCy batches: long articles in a big batch spike memory for
                # little gain in speed on a CPU.
                found = self.detector.detect_many(
                    ((r.article.text, r.article.published) for r in todo),  # type: ignore[union-attr]
                    batch_size=8,
                )
                for result, deps in zip(todo, found, strict=True):
                    result.departures = deps
            except ExodusError:
                raise
            except Exception as exc:
                log.error("detection failed", extra={"error": repr(exc)})
                for result in todo:
                    result.error = f"detection failed: {exc!r}"
        return results

    def analyse(self, page: PageInput) -> Analysis:
        return self.analyse_many([page])[0]


def store_analysis(store: Store, analysis: Analysis) -> PageOutcome:
    """Write one page's results; marks the page as processed by this extractor version."""
    page, article = analysis.page, analysis.article
    with store.transaction():
        store.mark_page(page.page_id, EXTRACTOR_VERSION,
                        article.encoding if article else None, analysis.error)
        if analysis.error or article is None:
            return PageOutcome(None, 0, [analysis.error or "no article"])
        if not article.text.strip():
            return PageOutcome(None, 0, article.warnings)
        article_id = store.save_article(
            url=article_url(page.url, article), page_id=page.page_id, title=article.title,
            published=article.published, authors=article.authors, lang=article.lang,
            text=article.text, extractor_version=EXTRACTOR_VERSION,
            extracted_at=page.fetched_at,
        )
        store.replace_findings(article_id, findings(analysis.departures), page.fetched_at,
                               EXTRACTOR_VERSION)
    return PageOutcome(article_id, len(analysis.departures), article.warnings)


def check_model(model: str) -> None:
    """Fail early, without importing spaCy, when the model is not installed: the parent
    of the detection workers never loads it."""
    import importlib.util
    from pathlib import Path

    if Path(model).exists():
        return
    try:
        found = importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ExodusError(f"spaCy model {model!r} is not installed")


class Processor:
    """How a crawl detects: in `workers` processes (the default, one per core), or with
    `workers=0` in a thread sharing an already loaded `detector` (tests, tiny runs)."""

    def __init__(self, store: Store, model: str, detector: Detector | None = None,
                 workers: int | None = None) -> None:
        self.store = store
        self.model = model
        self.analyzer = Analyzer(model, detector)
        if workers is None:
            workers = 0 if detector is not None else (os.cpu_count() or 1)
        self.workers = workers

    @property
    def detector(self) -> Detector:
        return self.analyzer.detector

    def process_page(self, page: PageInput) -> PageOutcome:
        return store_analysis(self.store, self.analyzer.analyse(page))
