"""Article stage: the entity context of a whole article and the choice among candidates.

Sentence rules propose candidates one sentence at a time; what a later sentence says can
still undo them ("X will remain chief executive", a move inside the group, a pronoun that
most likely means someone already reported). Every candidate dropped here gets the
reason, so that ``exodus detect --explain`` can say why.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from extract.detection.context import Candidate, Context, Mention
from extract.detection.entities import build_table
from extract.detection.inside import elsewhere, keeps_no_lead, refers_back
from extract.detection.persons import _subjects, persons_of
from extract.detection.sentence import sentence_candidates
from extract.detection.tokens import clean_person, has_org, hyphen_prefix, subtree_skip
from extract.detection.vetoes import (
    DESTINATION,
    INTERNAL,
    KEEPS_LEAD,
    MOVED_INSIDE,
    PRONOUN_OTHER,
)
from extract.detection.vocabulary import STAY_LEMMAS
from extract.gazetteer import OUTLETS, ROLE_WORDS
from extract.names import same_company, same_person

_CARRIER_WORDS = {"its", "on", "via", "through", "by"}


@dataclass
class Parsed:
    """One parsed sentence of an article: its offset, the sentence before it, the parse."""

    offset: int
    prev: str
    doc: Doc


def build_context(docs: list[tuple[int, Doc]]) -> Context:
    """Person and organisation mentions of the whole article (NER over every sentence)."""
    persons, orgs = [], []
    for off, doc in docs:
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                name = clean_person(ent.text)
                if name:
                    persons.append(Mention(off + ent.start_char, name))
            elif ent.label_ == "ORG" and not _incidental_org(doc, ent.start) and \
                    ent.text.lower() not in OUTLETS:
                prefix = hyphen_prefix(ent)
                orgs.append(Mention(off + ent.start_char - len(prefix), prefix + ent.text))
    ctx = Context(persons=persons, orgs=orgs)
    ctx.table = build_table(docs, ctx.full_name, ctx.last_org)
    return ctx


def article_candidates(parsed: list[Parsed], ctx: Context) -> list[Candidate]:
    """Every candidate of the article in order; the dropped ones carry their reason."""
    cands: list[Candidate] = []
    vetoes: list[str] = []
    for item in parsed:
        cands.extend(sentence_candidates(item.doc, ctx, item.offset, item.prev))
        vetoes.extend(_stay_vetoes(item.doc, ctx, item.offset))
    live = [c for c in cands if c.reason is None]
    # A move inside the group vetoes that organisation only: "Rogers, who also resigned
    # his posts at the company's subsidiary" does not undo his resignation as CEO.
    inside = [c for c in live if c.internal]
    for i, cand in enumerate(live):
        cand.reason = _article_veto(cand, live[:i], inside, vetoes) or \
            _not_left(cand, live)
    return cands


def _not_left(cand: Candidate, live: list[Candidate]) -> str | None:
    """"left Meridian for Corvane. Her resignation ...": a pronoun's departure resolved to
    where the same person went is the one already told (a person named again may well
    leave the destination later: "left A for B in 2019 ... Lee left B this year")."""
    if cand.pronoun and any(c is not cand and c.destination and same_person(c.person, cand.person)
           and same_company(c.destination, cand.company)
           and not same_company(c.company, cand.company) for c in live):
        return DESTINATION
    return None


def _article_veto(cand: Candidate, earlier: list[Candidate], inside: list[Candidate],
                  vetoes: list[str]) -> str | None:
    if cand.internal:
        return INTERNAL
    if any(same_person(cand.person, v) for v in vetoes):
        return KEEPS_LEAD
    if any(same_person(cand.person, c.person) and same_company(cand.company, c.company)
           for c in inside):
        return MOVED_INSIDE
    if cand.pronoun and _named_before(cand, earlier):
        return PRONOUN_OTHER
    return None


def _named_before(cand: Candidate, earlier: list[Candidate]) -> bool:
    """"X stepped down as CFO. ... Her departure was not the result of ...": a pronoun
    that the last name before it resolves to someone else (the interim successor) most
    likely means the person whose departure was already reported at the same company."""
    return any(not c.pronoun and not same_person(c.person, cand.person)
               and same_company(c.company, cand.company) for c in earlier)


def _incidental_org(doc: Doc, start: int) -> bool:
    """"advertising on its WeChat platform", "posted on Weibo": a product or a channel,
    never what "the company" in a later sentence refers back to. Nor is an agent ("a
    round led by Harbour Peak Capital", "backed by Tencent"): the story's company is the
    one that was led or backed."""
    return start > 0 and doc[start - 1].lower_ in _CARRIER_WORDS


def _stay_vetoes(doc: Doc, ctx: Context, offset: int) -> list[str]:
    """People said to keep a leading role ("X will remain chief executive", "X will
    become executive chairman")."""
    out = []
    for tok in doc:
        if tok.pos_ not in {"VERB", "AUX"}:
            continue
        if _becomes(tok):
            # "Boy will be the vice chairman of the board": a top post kept.
            out.extend(_becomes_head(tok, ctx, offset))
            continue
        if tok.lemma_.lower() in STAY_LEMMAS and _keeps_lead(tok):
            # "She will take on a new role and will maintain her duties as ...": a
            # conjoined verb borrows the subject.
            for subj in _subjects(tok)[:1]:
                out.extend(_veto_names(subj, ctx, offset))
    return out


def _becomes(tok: Token) -> bool:
    """"become", or "will be ... chairman" (not "the new chairman")."""
    if tok.lemma_.lower() == "become":
        return True
    return tok.lemma_.lower() == "be" and any(
        c.dep_ == "aux" and c.lower_ == "will" for c in tok.children) and any(
        c.dep_ == "attr" and {t.lower_ for t in c.subtree} & {"chairman", "chairwoman"}
        and "new" not in {t.lower_ for t in c.subtree} for c in tok.children)


def _keeps_lead(tok: Token) -> bool:
    """"remains chief executive", "will stay on as chairman": a leading role kept."""
    if any(c.dep_ == "neg" for c in tok.children):
        return False
    # A departure clause the parser hung under "remain" ("X stepped down as chairman;
    # he remains chief executive") is not part of what is kept.
    words = subtree_skip(tok, {"ccomp", "parataxis"})
    lows = {t.lower_ for t in words}
    if any(_is_leave_word(t) for t in words):
        return False  # "will continue as chairman until he retires"
    if keeps_no_lead(lows) and "parent" not in lows:
        return False
    return bool(lows & ROLE_WORDS or lows & {"parent", "charge"})


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
