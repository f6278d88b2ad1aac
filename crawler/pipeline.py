"""Drive one archived page through extraction and detection into storage.

The crawl, the demo and `reextract` all call `Processor.process_page`, so a page is
treated the same way whichever road it came by.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

from crawler.errors import ExodusError
from extract.article import Article, extract_article
from extract.departures import Departure, Detector, ModelNotFound
from extract.names import company_key, person_key
from extract.version import EXTRACTOR_VERSION
from storage import Finding, Store

log = logging.getLogger("exodus.pipeline")


@dataclass
class PageOutcome:
    article_id: int | None
    departures: int
    warnings: list[str]


def findings(departures: list[Departure], gold: bool = False) -> list[Finding]:
    return [
        Finding(
            person=d.person, company=d.company, person_key=person_key(d.person),
            company_key=company_key(d.company), role=d.role, destination=d.destination,
            when_text=d.when_text, sentence=d.sentence, confidence=d.confidence, gold=gold,
        )
        for d in departures
    ]


def _same_site(a: str, b: str) -> bool:
    def host(u: str) -> str:
        h = (urlsplit(u).hostname or "").lower()
        return h[4:] if h.startswith("www.") else h

    return host(a) == host(b) != ""


def article_url(page_url: str, article: Article) -> str:
    """The page's rel=canonical when it stays on the same site, so one story is stored
    once; a canonical pointing elsewhere could let one page overwrite another site's."""
    if article.url and _same_site(article.url, page_url):
        return article.url
    return page_url


class Processor:
    def __init__(self, store: Store, model: str) -> None:
        self.store = store
        self.model = model

    @cached_property
    def detector(self) -> Detector:
        try:
            return Detector(self.model)
        except ModelNotFound as exc:
            raise ExodusError(str(exc)) from None

    def process_page(self, *, page_id: int, url: str, body: bytes, content_type: str | None,
                     fetched_at: str, article_selector: str | None = None) -> PageOutcome:
        when = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
        article = extract_article(body, url=url, content_type=content_type,
                                  article_selector=article_selector, fetched_at=when)
        self.store.set_page_encoding(page_id, article.encoding)
        if not article.text.strip():
            log.info("no article text", extra={"url": url, "warnings": article.warnings})
            return PageOutcome(None, 0, article.warnings)
        article_id = self.store.save_article(
            url=article_url(url, article), page_id=page_id, title=article.title,
            published=article.published, authors=article.authors, lang=article.lang,
            text=article.text, extractor_version=EXTRACTOR_VERSION, extracted_at=fetched_at,
        )
        found: list[Departure] = []
        if article.lang is None or article.lang.startswith("en"):
            found = self.detector.detect(article.text, article.published)
        self.store.replace_findings(article_id, findings(found), fetched_at, EXTRACTOR_VERSION)
        return PageOutcome(article_id, len(found), article.warnings)
