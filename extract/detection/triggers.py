"""Trigger kinds: how a token tells a departure, if it does.

"verb" ("resigned", "stepped down"), "intrans" ("handed over the reins": the object is
no organisation), "remove" ("was ousted", "was replaced"), "noun" ("the departure of"),
"part" ("parted ways with"). The direct rules each take one kind.
"""

from __future__ import annotations

from spacy.tokens import Token

from extract.detection.tokens import _has_role, _next_lower
from extract.detection.vocabulary import (
    _ADVISORY_NOUNS,
    _TOP_KEPT,
    BACK_PARTICLES,
    LEAVE_VERBS,
    OUT_VERBS,
    REMOVE_VERBS,
    REPLACE_LEMMAS,
    RESIGN_VERBS,
    STEP_PARTICLES,
    STEP_VERBS,
    TRIGGER_NOUNS,
)


def _phrasal_kind(tok: Token) -> str | None:
    """Departures said with a particle or an idiom, not with a leave verb.

    "intrans" means only the subject matters (its object, "the reins", names no
    organisation); "remove" means the passive subject or the object is the one who goes.
    """
    nxt = _next_lower(tok)
    if tok.lower_ in STEP_VERBS and nxt in STEP_PARTICLES and tok.pos_ in {"NOUN", "PROPN"} \
            and tok.dep_ in {"appos", "ROOT", "conj"}:
        return "verb"  # "Its general manager, Roland Qiu, steps aside": "steps" as a noun
    if tok.pos_ not in {"VERB", "AUX"}:
        return None
    parts = {c.lower_ for c in tok.children if c.dep_ in {"prt", "advmod", "xcomp", "dobj"}}
    if _gives_up(tok, parts, nxt):
        return "intrans"
    return "remove" if _pushed_out(tok, parts | {nxt}) else None


def _gives_up(tok: Token, parts: set[str], nxt: str) -> bool:
    """"stepped back from day-to-day operations", "bowed out", "is out as chief
    executive", "is moving to an advisory role", "hands over the reins"."""
    lemma = tok.lemma_.lower()
    if tok.lower_ in STEP_VERBS and (parts | {nxt}) & BACK_PARTICLES and any(
            c.dep_ == "prep" and c.lower_ == "from" for h in (tok, *tok.children)
            for c in h.children):
        return True
    if lemma == "bow" and "out" in parts | {nxt}:
        return True
    if lemma == "be" and "out" in parts and any(
            c.dep_ == "prep" and c.lower_ == "as" and _has_role(c) for c in tok.children):
        return True
    if _to_advisory(tok):
        return True
    return lemma in {"hand", "pass", "turn"} and any(
        c.dep_ == "dobj" and c.lower_ in {"reins", "baton"} for c in tok.children)


def _pushed_out(tok: Token, parts: set[str]) -> bool:
    """"was pushed out", "forced out the founder", "was let go", "X was replaced as CEO
    by Y", "X will be succeeded by Y"."""
    lemma = tok.lemma_.lower()
    if lemma in OUT_VERBS and "out" in parts:
        return True
    if lemma == "let" and "go" in parts:
        return True
    return lemma in REPLACE_LEMMAS and (
        any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)
        or (lemma == "replace" and any(c.dep_ == "dobj" for c in tok.children)))


def _to_advisory(verb: Token) -> bool:
    """"X is moving to an advisory role", "X will become a senior adviser": the executive
    role is given up for an advisory one (a departure under the policy); "becomes
    chairman and adviser" keeps a leading role."""
    lemma = verb.lemma_.lower()
    if lemma in {"move", "shift", "transition", "step"}:
        targets = [p for c in verb.children if c.dep_ == "prep" and c.lower_ in {"to", "into"}
                   for p in c.children if p.dep_ == "pobj"]
    elif lemma == "become":
        targets = [c for c in verb.children if c.dep_ in {"attr", "oprd"}]
    elif lemma in {"name", "appoint", "make"} and any(
            c.dep_ == "nsubjpass" for c in verb.children):
        # "was named chairman emeritus": an honour that marks the end of the post.
        targets = [c for c in verb.children if c.dep_ in {"oprd", "attr", "xcomp"}]
        return any(t.lower_ == "emeritus" for c in targets for t in c.subtree)
    else:
        return False
    for target in targets:
        words = {t.lower_ for t in target.subtree}
        if "emeritus" in words or (words & _ADVISORY_NOUNS and not words & _TOP_KEPT):
            return True
    return False


def _trigger_kind(tok: Token) -> str | None:
    """How a token tells a departure: "verb" (the subject leaves), "intrans" (the subject
    leaves, the object names no organisation), "remove" (the object or passive subject
    goes), "noun" ("the departure of X"), "part" ("parted ways with"), or None."""
    return _phrasal_kind(tok) or _verb_kind(tok) or _noun_kind(tok)


def _verb_kind(tok: Token) -> str | None:
    low = tok.lower_
    if tok.pos_ not in {"VERB", "AUX"} and (low not in {"left", "quit"} or tok.pos_ == "NOUN"):
        return None
    if low in LEAVE_VERBS or low in RESIGN_VERBS:
        return "verb"
    lemma = tok.lemma_.lower()
    if lemma == "defect" or (lemma == "jump" and any(
            (c.dep_ == "dobj" and c.lower_ == "ship") or (c.dep_ == "prep" and c.lower_ == "from")
            for c in tok.children)):
        return "verb"  # "defected to Lyft", "jumped ship from Uber"
    if low in STEP_VERBS and (any(c.lower_ in STEP_PARTICLES for c in tok.children)
                              or _next_lower(tok) in STEP_PARTICLES):
        return "verb"
    if low in REMOVE_VERBS:
        if low.startswith("reliev") and not any(
                c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            return None  # "relieved of his duties", not "investors were relieved"
        return "remove"
    return None


def _noun_kind(tok: Token) -> str | None:
    low = tok.lower_
    if tok.pos_ in {"NOUN", "PROPN"} and low in TRIGGER_NOUNS:
        return "noun"
    if low == "day" and any(c.dep_ == "amod" and c.lower_ == "last" for c in tok.children) \
            and any(c.dep_ == "poss" for c in tok.children):
        return "noun"  # "June 3 will be his last day"
    if tok.pos_ == "VERB" and tok.lemma_.lower() == "part" and any(
            c.dep_ == "dobj" and c.lower_ in {"ways", "company"} for c in tok.children):
        return "part"
    return None
