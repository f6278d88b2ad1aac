"""Does the person stay in the group? A move inside it is a veto, not a departure.

A candidate marked ``internal`` is never reported; it undoes the departures of the
same person from the same organisation elsewhere in the article ("stepped down as
president while remaining chief executive", "moves to the parent company").
"""


from __future__ import annotations

from spacy.tokens import Token

from extract.detection.orgs import _parents_of
from extract.detection.tokens import _lemma, _orgs_in
from extract.detection.vocabulary import (
    _ADVISORY_NOUNS,
    _COMPANY_ENDINGS,
    _CONCESSIVE,
    _ELSEWHERE_NOUNS,
    _HEAD_ROLES,
    _HIRE_LEMMAS,
    _HONORARY,
    _KEPT_TITLES,
    _LEAD_LEMMAS,
    _NEW_ROLE_LEMMAS,
    _TOWARD_LEMMAS,
    ADVISORY_WORDS,
    FORMER_WORDS,
    INTERNAL_WORDS,
    POSITION_NOUNS,
    STAY_LEMMAS,
)
from extract.gazetteer import COMPANY_NOUNS, ROLE_WORDS
from extract.names import same_company


def keeps_no_lead(lows: set[str]) -> bool:
    """Advisory or honorary words, unless a leading role is kept ("remain chairman of
    the board" keeps the chair; "remain on the board as chairman emeritus" does not)."""
    if not lows & ADVISORY_WORDS:
        return False
    if "committee" in lows:
        lows = lows - {"executive"}  # "a director and executive committee member": a seat
    return not (lows & _HEAD_ROLES and not lows & _HONORARY)


def elsewhere(words: list[Token]) -> bool:
    """"to become president of a Swedish packaging concern", "dean at a university": a
    new role in some other, unnamed organisation."""
    for tok in words:
        if tok.dep_ != "det" or tok.lower_ not in {"a", "an", "another"}:
            continue
        noun = tok.head
        low = noun.lemma_.lower()
        if noun.dep_ == "pobj" and noun.head.lower_ in {"at", "of", "with", "for", "in"}:
            return True
        if low in COMPANY_NOUNS or low in _ELSEWHERE_NOUNS or noun.lower_.endswith(
                _COMPANY_ENDINGS):
            return True
    return False


def refers_back(words: list[Token]) -> bool:
    """"its", "the carmaker's", "the company": the organisation just named."""
    for tok in words:
        if tok.lower_ == "its" and tok.dep_ == "poss":
            return True
        low = tok.lemma_.lower()
        if (low in COMPANY_NOUNS or tok.lower_.endswith(_COMPANY_ENDINGS)) and low not in {
                "startup", "start-up", "venture", "fund"} and any(
                c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            return True
    return False


def _toward_parent(parent: Token, trigger: Token) -> bool:
    """Does the departure lead to the parent ("to devote more time to his posts at the
    parent company"), rather than mention it ("adding to the challenges facing
    Instagram's parent company")? A clause on the way up must say where the person goes."""
    tok = parent
    for _ in range(12):
        if tok.i == trigger.i:
            return True
        if tok.pos_ in {"VERB", "AUX"} and tok.dep_ in {
                "advcl", "acl", "relcl", "xcomp", "conj", "ccomp"} and \
                tok.lemma_.lower() not in _TOWARD_LEMMAS:
            return False
        if tok.head.i == tok.i:
            # A parse broken in two ("its Chas. P. Young subsidiary to devote more time
            # to his posts at the parent"): no clause says otherwise, so keep the veto.
            return True
        tok = tok.head
    return False


def _internal(trigger: Token, left_org: str | None) -> bool:
    """The person keeps a leading role in the same group."""
    if any(t.lower_ == "parent" and _toward_parent(t, trigger)
           for t in trigger.doc[trigger.i + 1:]):
        return True  # "... to devote more time to his posts at the parent company"
    scope: list[Token] = []
    for child in trigger.children:
        if child.dep_ in {"conj", "advcl", "xcomp", "prep", "dobj"}:
            scope.append(child)
    if trigger.dep_ == "conj":
        scope.append(trigger.head)
    for clause in scope:
        words = list(clause.subtree)
        lows = {t.lower_ for t in words}
        if clause.dep_ in {"prep", "dobj"}:
            # "left the position of president in a subsidiary company", "as its parent's
            # CFO": a role inside the group, not the group.
            if lows & INTERNAL_WORDS and not _orgs_in(words) or "parent" in lows:
                return True
            continue
        lemma = clause.lemma_.lower()
        subj = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}]
        if subj and not all(c.lower_ in {"he", "she", "who"} for c in subj):
            continue  # "his duties will be assumed by ...": someone else's clause
        if ("parent" in lows and (clause.dep_ != "advcl" or lemma in _TOWARD_LEMMAS)) or \
                {"group", "posts"} <= lows:
            return True
        if lemma in STAY_LEMMAS or (clause.dep_ == "conj" and lemma == "be"):
            if keeps_no_lead(lows):
                continue
            if lows & ROLE_WORDS or lows & {"company", "firm", "group"}:
                return True
        if lemma in _NEW_ROLE_LEMMAS | _LEAD_LEMMAS and _new_role_inside(
                clause, words, lows, left_org):
            return True
    return False


def _moves_within(anchor: Token, left_org: str | None) -> bool:
    """"replacing X, who is moving to a new position overseeing the group's investments",
    "succeeding X, who was named head of the bank's mortgage unit": the relative clause
    on the person gives them a new role in the same group."""
    for clause in (c for c in anchor.children if c.dep_ == "relcl"):
        if _lemma(clause) not in _NEW_ROLE_LEMMAS | _HIRE_LEMMAS:
            continue
        words = list(clause.subtree)
        if _new_role_inside(clause, words, {t.lower_ for t in words}, left_org):
            return True
    return False


def _new_role_inside(clause: Token, words: list[Token], lows: set[str],
                     left_org: str | None) -> bool:
    """"and become executive chairman", "to lead the carmaker's overseas business": the
    next role is in the same organisation. A named other organisation or an unnamed
    one ("a packaging concern", "a university") makes it a move out."""
    orgs = _orgs_in(words)
    parents = _parents_of(clause.doc, left_org)
    if any(left_org is None or not (same_company(o.text, left_org) or any(
            same_company(o.text, p) for p in parents)) for o in orgs):
        return False
    if elsewhere(words):
        return False
    back = bool(orgs) or refers_back(words)
    if lows & ADVISORY_WORDS and not orgs:
        return False
    if clause.lemma_.lower() in _NEW_ROLE_LEMMAS:
        # "moving to a new position overseeing the group's investments": a position noun
        # counts only with a reference back to the same group.
        return bool(lows & ROLE_WORDS or lows & {"strategy", "strategic"}
                    or (back and lows & POSITION_NOUNS))
    return back


def _as_role(trigger: Token) -> set[str]:
    """Words of the post given up: "stepped down as president", "left his position as
    executive director of X" (not "... to join Y as CTO", the post taken up)."""
    words: set[str] = set()
    nodes = [trigger] + [c for c in trigger.children if c.dep_ == "prt" or (
        c.dep_ == "dobj" and c.lower_ in POSITION_NOUNS)]
    for node in nodes:
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ == "as":
                words |= {t.lower_ for t in child.subtree}
    return words


def _keeps_title(trigger: Token, anchor: Token, company: str) -> bool:
    """A post the person goes on holding in the same group, so they stay in the lead:
    "Xiaomi chairman Lei Jun stepped down as president" (the title before the name is
    not the post given up), "Robin Li, founder and CEO of Baidu, left his post as
    director of Baidu Cloud" (the unit left belongs to the company they run)."""
    given_up = _as_role(trigger)
    if not given_up:
        return False
    before: list[Token] = []
    appos: list[Token] = []
    for child in anchor.children:
        if child.dep_ == "compound" and child.i < anchor.i:
            before += [t for t in child.subtree if t.i < anchor.i]
        elif child.dep_ == "appos":
            appos += list(child.subtree)
    if anchor.dep_ == "conj" and anchor.head.i < anchor.i:
        # "Xiaomi co-founder and chairman Lei Jun": the name parsed as the last conjunct.
        mine = {t.i for t in anchor.subtree}
        before += [t for t in anchor.head.subtree if t.i not in mine and t.i < anchor.i]
    if any(t.lower_ in FORMER_WORDS for t in before + appos):
        return False
    held = {t.lower_ for t in before} & _KEPT_TITLES
    if held and given_up & _KEPT_TITLES and not held <= given_up:
        return True
    if not {t.lower_ for t in appos} & _KEPT_TITLES:
        return False
    low = company.lower()
    return any(low.startswith(o.text.lower() + " ") for o in _orgs_in(appos))


def _remains_in_charge(trigger: Token) -> bool:
    """"While X stepped down as cloud chief, he remained leader of DAMO": the departure
    is conceded in a clause whose main clause keeps the person in a leading post; "is to
    step down as president while remaining CEO and chairman": the other way round."""
    for clause in trigger.children:
        if clause.dep_ not in {"advcl", "conj"} or clause.lemma_.lower() not in STAY_LEMMAS:
            continue
        words = {t.lower_ for t in clause.subtree}
        # "but remain on the board as chairman emeritus" is an honour, not the lead.
        if words & _KEPT_TITLES and not words & (ADVISORY_WORDS | _ADVISORY_NOUNS):
            return True
    # "..., reports said Saturday, while remaining CEO and chairman": the parser hangs the
    # subject-less "while" clause anywhere in the sentence.
    for clause in trigger.doc:
        if clause.dep_ == "advcl" and clause.lemma_.lower() in STAY_LEMMAS and any(
                c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in clause.children) and \
                not any(c.dep_ in {"nsubj", "nsubjpass"} for c in clause.children):
            words = {t.lower_ for t in clause.subtree}
            if words & (_KEPT_TITLES | {"ceo"}) and not words & (ADVISORY_WORDS | _ADVISORY_NOUNS):
                return True
    head = trigger
    while head.dep_ not in {"advcl", "ROOT"} and head.head.i != head.i:
        head = head.head
    if head.dep_ != "advcl" or not any(
            c.dep_ == "mark" and c.lower_ in _CONCESSIVE for c in head.children):
        return False
    main = head.head
    if main.lemma_.lower() not in STAY_LEMMAS:
        return False
    return any(t.lower_ in _KEPT_TITLES for t in main.subtree if t.i > main.i)
