"""Argument finders for the role given up, the destination and the time."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from extract.detection.tokens import (
    _ent_of,
    _is_org_ent,
    _lemma,
    _np_text,
    _orgs_in,
    _span_text,
    _without_by,
    subtree_skip,
)
from extract.detection.vocabulary import _NON_LEADING, MOVE_LEMMAS
from extract.gazetteer import ROLE_WORDS
from extract.names import same_company


def _role_text(anchor: Token, trigger: Token | None) -> str | None:
    """The post given up: "as CFO" on the trigger, else the person's title."""
    if trigger is not None:
        for child in trigger.children:
            if child.dep_ == "prep" and child.lower_ == "as":
                text = _span_text(t for t in _without_by(list(child.subtree))
                                  if t.i != child.i)
                if text:
                    return text
    return _title_of(anchor)


def _title_of(anchor: Token) -> str | None:
    """The person's title: apposition, relative clause, words before the name."""
    for child in anchor.children:
        if child.dep_ == "appos":
            words = [t for t in child.subtree]
            if any(t.lower_ in ROLE_WORDS for t in words):
                return _span_text(words)
        if child.dep_ == "relcl":
            words = [t for t in child.subtree if t.lower_ not in {"who", "that"}]
            return _span_text(words)
    titles = [t for t in anchor.lefts if t.dep_ in {"compound", "nmod", "amod"}
              and t.ent_type_ != "PERSON"]
    for t in titles:
        words = [w for w in t.subtree if w.ent_type_ != "PERSON"]
        # Non-leading titles too ("Junior analyst X"), so that they can be filtered out.
        if any(w.lower_ in ROLE_WORDS or w.lower_ in _NON_LEADING for w in words):
            return _span_text(words)
    if anchor.dep_ == "appos" and anchor.head.lower_ in ROLE_WORDS:
        head = anchor.head
        words = [t for t in head.subtree if t.i < anchor.i and t.ent_type_ != "PERSON"]
        return _span_text(words) or None
    return None


def _destination(trigger: Token) -> tuple[str | None, list[Token]]:
    """Where the person goes: "to join X", "for X", "to found X", "to become ... of X"."""
    dest, toks = _destination_children(trigger, list(trigger.children))
    if dest is None and not toks:
        # The parser often hangs "to join X" on the wrong verb ("left X, where she
        # managed Y, to join Z"): accept a later "to join" with no subject of its own.
        later = [t for t in trigger.doc[trigger.i + 1:]
                 if _lemma(t) in {"join", "found", "co-found", "launch", "become"}
                 and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
                 and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children)]
        if later:
            dest, toks = _destination_children(trigger, later[:1], loose=True)
    return dest, toks


_DEST_CLAUSE_LEMMAS = {"join", "become", "found", "co-found", "start", "launch", "create",
                       "form", "establish", "build", "work", "embark", "lead", "head",
                       "accept", "set", "open", "pursue", "take"}


def _destination_children(trigger: Token, children: list[Token],
                          loose: bool = False) -> tuple[str | None, list[Token]]:
    for child in children:
        found = _dest_prep(trigger, child)
        if found:
            return found
    for child in children:
        if (child.dep_ not in {"xcomp", "advcl", "conj"} and not loose) or child.pos_ not in {
                "VERB", "AUX"}:
            continue
        found = _dest_clause(child)
        if found:
            return found
    return None, []


def _dest_prep(trigger: Token, child: Token) -> tuple[str, list[Token]] | None:
    """"defected to Lyft", "jumped ship to Meta", "left for Zalando"."""
    if child.dep_ == "prep" and child.lower_ == "to" and _lemma(trigger) in {
            "defect", "jump", "move", "decamp", "head"}:
        pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
        if pobj is not None and _is_org_ent(_ent_of(pobj)):
            return _ent_of(pobj).text, list(child.subtree)
    if child.dep_ == "prep" and child.lower_ == "for":
        pobj = [c for c in child.children if c.dep_ == "pobj"]
        if pobj:
            ent = _ent_of(pobj[0])
            orgs = _orgs_in(list(pobj[0].subtree))
            if _is_org_ent(ent):
                return ent.text, list(child.subtree)
            if orgs:
                return orgs[-1].text, list(child.subtree)
    return None


def _dest_clause(child: Token) -> tuple[str | None, list[Token]] | None:
    """"to join X", "to found a start-up", "to become chief executive of X"."""
    lemma = _lemma(child)
    if lemma not in _DEST_CLAUSE_LEMMAS:
        return None
    toks = list(child.subtree)
    objs = [c for c in child.children if c.dep_ in {"dobj", "attr", "oprd"}]
    for prep in (c for c in child.children if c.dep_ == "prep"):
        objs.extend(c for c in prep.children if c.dep_ == "pobj")
    if not objs:
        return None
    obj = objs[0]
    ent = _ent_of(obj)
    if _is_org_ent(ent):
        return ent.text, toks
    for appos in (c for c in obj.children if c.dep_ == "appos"):
        if appos.pos_ == "PROPN":
            return _np_text(appos), toks
    orgs = _orgs_in(subtree_skip(child, {"relcl", "advcl"}))
    if orgs and lemma in {"join", "become", "accept", "lead", "head"}:
        return orgs[-1].text, toks
    if lemma in {"pursue"}:
        return None, toks
    return _np_text(obj), toks


def _when(trigger: Token, ctx_doc: Doc) -> str | None:
    """A DATE attached to the trigger without crossing another clause."""
    best = None
    for ent in ctx_doc.ents:
        if ent.label_ != "DATE":
            continue
        tok = ent.root
        steps = 0
        while tok.i != trigger.i and tok.head.i != tok.i and steps < 5:
            if tok.dep_ in {"relcl", "acl", "ccomp", "advcl", "xcomp"} and tok.i != ent.root.i:
                break
            tok = tok.head
            steps += 1
            if tok.pos_ == "VERB" and tok.i != trigger.i:
                break
        if tok.i == trigger.i:
            if best is None or abs(ent.start - trigger.i) < abs(best.start - trigger.i):
                best = ent
    return best.text if best is not None else None


def _main_destination(verb: Token, company: str) -> str | None:
    """For "who previously led X, founded Y": the main verb's object."""
    if verb.dep_ != "relcl":
        return None
    main = verb.head.head
    if _lemma(main) not in MOVE_LEMMAS:
        return None
    for child in main.children:
        if child.dep_ in {"dobj", "attr"}:
            for appos in (c for c in child.children if c.dep_ == "appos"):
                return _np_text(appos)
            orgs = _orgs_in(list(child.subtree))
            if orgs and not same_company(orgs[0].text, company):
                return orgs[0].text
            return _np_text(child)
    return None
