"""Vetoes: each returns the reason a candidate is dropped, or None.

Vetoes on the trigger ("did not resign", "might leave", "denied reports that ...")
and on the candidate (a government post, a board seat, a junior role). Vetoes that
need the whole article (a leading role kept, a move inside the group) are in
``extract.detection.article``.
"""


from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from extract.detection.tokens import _ent_of, _is_org_ent
from extract.detection.vocabulary import (
    _BLOCK_HEADS_STRICT,
    _BOARD_ROLE,
    _BOARD_WORDS,
    _GOV_ORG_RE,
    _GOV_ROLE_RE,
    _HYPO_MODALS,
    _INTENT_WORDS,
    _LEADING,
    _NEG_SCOPE_HEADS,
    _NON_LEADING,
    _TEMPORARY,
    _WH_WORDS,
    DENIAL_RE,
)
from extract.gazetteer import ROLE_WORDS
from extract.names import person_key, same_company

# Reasons a candidate is dropped (``exodus detect --explain`` prints them).
NEGATED = "negated"
TEMPORARY = "temporary"
HYPOTHETICAL = "hypothetical (might, could, may, should, must)"
CONDITIONAL = "conditional (if, unless, whether)"
NOT_A_FACT = "not a fact: denied, demanded, considered, planned or rumoured"
DENIED = "the sentence denies or calls it a rumour"
GOVERNMENT_POST = "a government post"
PUBLIC_BODY = "a public body, not a company"
BOARD_SEAT = "a board seat only"
NON_LEADING = "not a leading role"
NO_PERSON = "no usable person name"
NO_ORGANISATION = "no organisation found"
NOT_AN_ORGANISATION = "what was left is no organisation"
TRAVEL = "a trip, not a departure"
PROMOTION = "a step inside the company that hires them (a promotion)"
ACADEMIC_POST = "an academic post with no leading role"
# Reasons given at the article stage (``extract.detection.article``).
INTERNAL = "a move inside the group: a veto for this organisation, not a departure"
KEEPS_LEAD = "the article says the person keeps a leading role"
MOVED_INSIDE = "the article also tells a move inside the same group"
DESTINATION = "where the person went, not the organisation left"
PRONOUN_OTHER = "a pronoun, and someone else's departure from the company was told before"
LEFT_AS_IS = "something left as it was (\"left the dividend unchanged\"), not a departure"


def blocked(trigger: Token) -> str | None:
    """Negated, demanded, denied, rumoured, conditional, hypothetical or temporary."""
    for child in trigger.children:
        if child.dep_ == "neg" or child.lower_ in {"never", "not", "n't"}:
            return NEGATED
        if child.lower_ in _TEMPORARY:
            return TEMPORARY  # "stepped aside temporarily while ... investigates"
        if child.dep_ == "aux" and child.lower_ in _HYPO_MODALS:
            return HYPOTHETICAL
        if child.dep_ == "mark" and child.lower_ in {"if", "whether", "unless"}:
            return CONDITIONAL
        if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in {"if", "unless"}
                                         for g in child.children):
            return CONDITIONAL  # "would step down only if the company failed to ..."
    tok = trigger
    steps = 0
    while tok.head.i != tok.i and steps < 6:
        prev, tok = tok, tok.head
        steps += 1
        reason = _blocking_head(prev, tok, trigger)
        if reason:
            return reason
    return None


def _blocking_head(prev: Token, tok: Token, trigger: Token) -> str | None:
    """A word above the trigger that makes it no fact (``prev``: the step below it)."""
    lemma = tok.lemma_.lower()
    if lemma in _BLOCK_HEADS_STRICT or (lemma == "plan" and tok.pos_ == "NOUN"):
        return NOT_A_FACT
    if lemma == "offer" and prev.dep_ == "xcomp":
        return NOT_A_FACT  # "has offered to resign": not yet accepted
    if lemma == "prepare" and prev.dep_ != "xcomp":
        return NOT_A_FACT  # "Apple is preparing for Cook to step down" (not "X is
        # preparing to leave", said of oneself)
    if lemma == "expect" and any(c.lower_ == "had" for c in tok.children):
        return NOT_A_FACT  # "who had been expected to retire": it did not happen
    if any(c.dep_ == "neg" for c in tok.children) and _neg_scope(prev, tok):
        return NEGATED  # "does not plan to leave", "did not say he would resign"
    if (prev.dep_ in {"xcomp", "conj"} or prev.i == trigger.i) and any(
            c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in tok.children):
        return CONDITIONAL  # "if chief executive X were to leave"
    return None


def _neg_scope(clause: Token, head: Token) -> bool:
    """Does the negation on ``head`` reach its complement ``clause``?"""
    if clause.dep_ == "xcomp":
        return True
    if clause.dep_ not in {"ccomp", "advcl"} or head.lemma_.lower() not in _NEG_SCOPE_HEADS:
        return False
    if not any(t.lower_ in _WH_WORDS for t in clause.subtree if t.i < clause.i):
        return clause.dep_ == "ccomp"
    # "did not say why he left": the departure itself is stated; "has not said when he
    # intends to retire" states none.
    return any(t.lemma_.lower() in _INTENT_WORDS for t in clause.subtree)


def government_post(role: str | None, person_anchor: Token) -> str | None:
    """"Defence Secretary X resigned": a government post, not a company role."""
    text = " ".join(t.text for t in person_anchor.lefts) + " " + (role or "")
    return GOVERNMENT_POST if _GOV_ROLE_RE.search(text) else None


def candidate_veto(person: str, company: str, role: str | None) -> str | None:
    """Checks every candidate passes, whichever rule proposed it."""
    if not person or not person_key(person):
        return NO_PERSON
    if not company:
        return NO_ORGANISATION
    if same_company(person, company) and len(person.split()) == 1:
        return NO_PERSON
    if _GOV_ORG_RE.search(company):
        return PUBLIC_BODY
    if _title_words_only(company):
        return NOT_AN_ORGANISATION  # "the previous Chief Technology Officer": a title
    if re.search(r"\bboard(?: of directors)?$", company, re.I) or _BOARD_ROLE.match(role or ""):
        return BOARD_SEAT  # "resigned from the Purolator board", "the director, X, resigned"
    return None


# Words of a job title the model sometimes tags as an organisation ("Chief Technology",
# "General Counsel"); a name made of them alone names a post, never a company.
_TITLE_PARTS = ROLE_WORDS | {"vice", "senior", "deputy", "acting", "interim", "and", "of",
                             "technology", "technical", "financial", "operating", "legal",
                             "information", "marketing", "product", "commercial", "people",
                             "revenue", "security", "data", "digital", "business"}
_TITLE_CORE = {"chief", "officer", "president", "counsel", "vice", "ceo", "cfo", "cto", "coo"}


def _title_words_only(company: str) -> bool:
    words = re.findall(r"[a-z][a-z\-]*", company.lower())
    return bool(words) and set(words) <= _TITLE_PARTS and bool(set(words) & _TITLE_CORE)


def travel(verb: Token) -> str | None:
    """"left for Europe on Monday": a trip, not a departure ("left for Zalando" is)."""
    if not verb.lower_.startswith(("leav", "left", "depart")):
        return None
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"for", "to"}):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            if pobj.ent_type_ in {"GPE", "LOC"} and not _is_org_ent(_ent_of(pobj)):
                return TRAVEL
    return None


def board_only(trigger: Token) -> str | None:
    """Leaving only a board seat ("resigned from the board of X") is not a departure."""
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "as", "on"}:
            words = {t.lower_ for t in child.subtree}
            if words & _BOARD_WORDS and not (words - _BOARD_WORDS) & _LEADING:
                return BOARD_SEAT
            if "committee" in words and not words & {"executive", "management",
                                                      "operating", "partnership"}:
                return BOARD_SEAT  # "chairman of the board's compensation committee"
    return None


def _denied(doc: Doc) -> set[int] | None:
    """Tokens a denial or rumour word covers: the clause it belongs to. None when that is
    the whole sentence ("IBM denies it is looking for a new CEO"); a clause of its own
    leaves the rest standing ("X has resigned, but the executive denies rumors he was
    sidelined")."""
    denied: set[int] = set()
    for m in DENIAL_RE.finditer(doc.text):
        tok = next((t for t in doc if t.idx <= m.start() < t.idx + len(t.text) + 1), None)
        if tok is None:
            return None
        while tok.pos_ not in {"VERB", "AUX"} and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            return None
        denied |= {t.i for t in tok.subtree}
    return denied


def non_leading(role: str | None) -> str | None:
    """Named staff below the leadership ("a junior analyst") are out of scope."""
    words = set(re.findall(r"[a-z\-]+", (role or "").lower()))
    return NON_LEADING if words & _NON_LEADING and not words & _LEADING else None


@dataclass(frozen=True)
class Veto:
    """A reason a candidate is dropped and sentences where it must be given."""

    reason: str
    examples: tuple[str, ...]


VETOES: tuple[Veto, ...] = (
    Veto(NEGATED, ("Daniel Marsh, chief technology officer of Kestrel Labs, did not resign "
                   "on Monday.",)),
    Veto(TEMPORARY, ("Daniel Marsh, chief executive of Kestrel Labs, stepped aside "
                     "temporarily on Monday.",)),
    Veto(HYPOTHETICAL, ("Daniel Marsh, chief executive of Kestrel Labs, might leave the "
                        "company next year.",)),
    Veto(CONDITIONAL, ("Daniel Marsh, chief executive of Kestrel Labs, would resign if the "
                       "merger failed.",)),
    Veto(NOT_A_FACT, ("Kestrel Labs denies that Daniel Marsh resigned.",)),
    Veto(DENIED, ("Reports that Daniel Marsh has resigned from Kestrel Labs are false.",)),
    Veto(GOVERNMENT_POST, ("Defence Secretary Daniel Marsh resigned on Monday.",
                           "Erskine Pole, the former chief of staff to President Bill Carter, "
                           "is also leaving his post as a Brightwave director.")),
    Veto(PUBLIC_BODY, ("Daniel Marsh resigned from the Federal Trade Commission on "
                       "Monday.",)),
    Veto(BOARD_SEAT, ("Daniel Marsh resigned from the board of Kestrel Labs on Monday.",)),
    Veto(NON_LEADING, ("Junior analyst Daniel Marsh left Kestrel Labs on Monday.",)),
    Veto(NO_ORGANISATION, ("Daniel Marsh resigned on Monday.",)),
    Veto(NOT_AN_ORGANISATION, ("Daniel Marsh is leaving China after ten years.",
                               "Kestrel Labs said Ana Bell was promoted to Chief Technology "
                               "Officer (CTO). The post had been empty since the previous CTO "
                               "Daniel Marsh resigned in 2015 for personal reasons.",

                               "Daniel Marsh will retire the bonds next year.")),
    Veto(TRAVEL, ("Daniel Marsh, the chief executive of Kestrel Labs, left for Europe on "
                  "Monday.",)),
    Veto(LEFT_AS_IS, ("Daniel Marsh, who chairs Kestrel Labs, left the dividend "
                      "unchanged.",)),
    Veto(PROMOTION, ("Kestrel Labs named Daniel Marsh chief executive. Marsh was executive "
                     "vice president of Kestrel Labs.",
                     "Ruth Albers will retire as chief executive of Kestrel Labs. Daniel "
                     "Marsh, Kestrel Labs' former head of operations, was designated as "
                     "her successor.")),
    Veto(ACADEMIC_POST, ("Daniel Marsh joined Kestrel Labs from Stanford University, where "
                         "she taught.",)),
    Veto(INTERNAL, ("Daniel Marsh stepped down as president of Kestrel Labs while remaining "
                    "chief executive.",)),
    Veto(KEEPS_LEAD, ("Kestrel Labs said Daniel Marsh will step down as president. Marsh "
                      "will remain chief executive of Kestrel Labs.",)),
    Veto(MOVED_INSIDE, ("Daniel Marsh resigned from Kestrel Labs. Marsh, who also resigned "
                        "his posts at the company's subsidiary, will stay.",)),
    Veto(DESTINATION, ("Meridian Bank's vice president of sales, Ruth Albers, has left "
                       "Meridian Bank for rival Corvane Systems. Her resignation was first "
                       "reported by Reuters.",)),
    Veto(PRONOUN_OTHER, ("Kestrel Labs said chief financial officer Daniel Marsh resigned. "
                         "Anna Ruiz will serve as interim CFO. Her departure was not "
                         "related to any disagreement.",)),
)
