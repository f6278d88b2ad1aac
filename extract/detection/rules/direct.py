"""Rules for departures told directly: a leave verb, a removal, a departure noun.

"X resigned from Y", "Y ousted X", "the departure of X", "Y parted ways with X". Each
rule finds the people for its trigger kind (see ``extract.detection.triggers``); the
shared ``_emit`` finds the organisation, role, destination and time and applies the
vetoes.
"""

from __future__ import annotations

from spacy.tokens import Token

from extract.detection.context import Candidate
from extract.detection.inside import _internal, _keeps_title, _moves_within, _remains_in_charge
from extract.detection.orgs import _more_orgs, _org_from_np, _resolve_org
from extract.detection.persons import (
    _companions,
    _distant_pronoun,
    _employment_of,
    _holder_after,
    _holder_after_title,
    _let_go_of,
    _subject,
    _subjects,
    role_holder,
)
from extract.detection.roles import _destination, _role_text, _when
from extract.detection.rules.base import Person, Rule, Sentence, make
from extract.detection.tokens import _time_like
from extract.detection.vetoes import (
    BOARD_SEAT,
    LEFT_AS_IS,
    NO_ORGANISATION,
    NOT_AN_ORGANISATION,
    blocked,
    board_only,
    government_post,
    travel,
)
from extract.detection.vocabulary import _EFFECTIVE, RESIGN_VERBS
from extract.names import same_company

Found = tuple[list[Person], Token | None, str | None]  # people, explicit object, veto reason


def leave_verb(tok: Token, s: Sentence) -> list[Candidate]:
    """"X resigned from Y", "X stepped down as CEO of Y", "X is leaving Y"."""
    kind = s.kind(tok)
    if kind not in {"verb", "intrans"}:
        return []
    return _emit(tok, kind, s, _subject_people(tok, kind, s), "leave_verb")


def removal(tok: Token, s: Sentence) -> list[Candidate]:
    """"Y ousted X", "X was fired", "X was replaced as CEO by Z", "X was pushed out"."""
    if s.kind(tok) != "remove":
        return []
    return _emit(tok, "remove", s, _removed_people(tok, s), "removal")


def departure_noun(tok: Token, s: Sentence) -> list[Candidate]:
    """"the departure of X", "X's resignation", "tendered her resignation"."""
    if s.kind(tok) != "noun":
        return []
    return _emit(tok, "noun", s, _noun_people(tok, s), "departure_noun")


def parted_ways(tok: Token, s: Sentence) -> list[Candidate]:
    """"Y parted ways with X" / "X parted ways with Y"."""
    if s.kind(tok) != "part":
        return []
    people, explicit = _parted(tok, s)
    return _emit(tok, "part", s, (people, explicit, None), "parted_ways")


RULES = (
    Rule("leave_verb", leave_verb, (
        ("Dana Whitfield resigned from Corvane Systems on Monday.", "Dana Whitfield",
         "Corvane Systems"),
        ("Ostrava Robotics said its chief executive, Pavel Lindqvist, will step down in "
         "June.", "Pavel Lindqvist", "Ostrava Robotics"),
    )),
    Rule("removal", removal, (
        ("Brightwell Capital ousted its chief executive, Maria Okafor, on Tuesday.",
         "Maria Okafor", "Brightwell Capital"),
        ("Tomas Reyes was fired as president of Helix Games.", "Tomas Reyes", "Helix Games"),
    )),
    Rule("departure_noun", departure_noun, (
        ("Kestrel Labs confirmed the departure of Daniel Okoye, its chief technology "
         "officer.", "Daniel Okoye", "Kestrel Labs"),
        ("Daniel Marsh's resignation from Kestrel Labs takes effect in June.", "Daniel Marsh",
         "Kestrel Labs"),
    )),
    Rule("parted_ways", parted_ways, (
        ("Nimbus Pay has parted ways with its chief financial officer, Oliver Grant.",
         "Oliver Grant", "Nimbus Pay"),
    )),
)


def _noun_people(tok: Token, s: Sentence) -> Found:
    people: list[Person] = []
    explicit = None
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                # "the departures of China CMO X and sales head Y": every conjunct.
                for tok_ in [pobj, *pobj.conjuncts]:
                    found = s.people(tok_, deep=tok_ is not pobj)
                    people += [p for p in found if p[0] not in {q[0] for q in people}]
        elif child.dep_ == "poss":
            people = s.people(child, deep=False)
    if not people and tok.dep_ == "dobj" and tok.head.lemma_.lower() in {
        "offer", "tender", "submit", "hand", "announce", "take", "file", "send",
    }:
        subj = _subject(tok.head)  # "tendered her resignation", "take early retirement"
        if subj is not None:
            people = s.people(subj)
    if not people:
        people = _holder_after_title(tok, s.ctx, s.offset)
    if not people:  # "the departure of its chief technology officer": the role's holder
        people = next((found for child in tok.children if child.dep_ == "prep"
                       and child.lower_ == "of" for pobj in child.children if pobj.dep_ == "pobj"
                       and (found := role_holder(pobj, s.ctx, s.offset))), [])
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "at"}:
            explicit = next((c for c in child.children if c.dep_ == "pobj"), None)
    return people, explicit, None


def _removed_people(tok: Token, s: Sentence) -> Found:
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    objs = [_employment_of(c) for c in tok.children if c.dep_ == "dobj"]
    people: list[Person] = s.people(subj) if subj is not None else []
    # "fired its co-founder and CPO, X" (the hyphen splits the object), "voted to oust
    # chairman and chief executive X": the name may be any of the objects.
    # "ousted its co-founders, chief executive X and product chief Y": every object.
    for obj in objs if subj is None else []:
        for found in s.people(obj) or _holder_after(obj, s.ctx, s.offset):
            if not any(found[0] == p[0] for p in people):
                people.append(found)
    if not people and subj is None:
        people = _let_go_of(tok, s.ctx, s.offset)
    if not people:  # "Orion Cloud ousted its chief product officer": the role's holder
        people = next((found for obj in ([subj] if subj is not None else objs)
                       if (found := role_holder(obj, s.ctx, s.offset))), [])
    return people, None, None


def _subject_people(tok: Token, kind: str, s: Sentence) -> Found:
    people: list[Person] = []
    for subj in _subjects(tok):
        if subj.lemma_.lower() in {"member", "trustee"} and any(
                t.lower_ == "board" for t in subj.subtree):
            # "two members of the board, X and Y, will retire": seats only
            return s.people(subj), None, BOARD_SEAT
        people = s.people(subj)
        if people:
            people = people + _companions(subj, tok, s.ctx, s.offset)
            break
    if not people:
        # "The head of its AI lab will leave the company": the role's holder, as the
        # article names them elsewhere.
        people = next((found for subj in _subjects(tok)
                       if (found := role_holder(subj, s.ctx, s.offset))), [])
    if not people:
        return [], None, None
    objs = [] if kind == "intrans" else [
        c for c in tok.children if c.dep_ == "dobj" and not _time_like(c)]
    return people, (objs[0] if objs else None), _verb_veto(tok, kind, objs)


def _verb_veto(tok: Token, kind: str, objs: list[Token]) -> str | None:
    """"retire its debentures", "left the dividend unchanged", "left for Europe"."""
    if objs:
        if tok.lower_ in RESIGN_VERBS and tok.lower_.startswith("retir") and \
                _org_from_np(objs[0])[1] in {"none", "nonorg"}:
            return NOT_AN_ORGANISATION  # "retire its debentures"
        if any(c.dep_ in {"oprd", "acomp", "ccomp", "xcomp"} and c.pos_ == "ADJ"
               and c.is_alpha for c in tok.children):
            return LEFT_AS_IS  # "left the dividend unchanged"
    if kind != "intrans" and any(c.dep_ == "oprd" and c.lower_ not in _EFFECTIVE
                                 for c in tok.children):
        return LEFT_AS_IS
    return travel(tok) if not objs else None


def _emit(tok: Token, kind: str, s: Sentence, found: Found, rule: str) -> list[Candidate]:
    """Candidates for the people of a trigger, with the organisation each one left."""
    people, explicit, reason = found
    if not people:
        return []
    reason = reason or blocked(tok)
    dest, dest_toks = _destination(tok)
    when = _when(tok, tok.doc)
    out: list[Candidate] = []
    for person, resolved, anchor in people:
        why = reason
        if why is None and explicit is not None and kind == "verb" and \
                tok.lower_ not in RESIGN_VERBS and \
                _org_from_np(explicit)[1] in {"nonorg", "none"}:
            why = NOT_AN_ORGANISATION  # "leaving China", "left the dividend"
        company, penalty = _resolve_org(tok, anchor, dest_toks, s.ctx, s.offset, explicit)
        if company and penalty >= 0.05:  # not named with the trigger or the person
            company = _current_org(s, person, company)
        if not company:
            out.append(make(s, rule, person, None, None, dest, when, 0.0,
                            reason=why or NO_ORGANISATION))
            continue
        if why is None and dest and same_company(dest, company):
            dest = None
        role = _role_text(anchor, tok)
        why = why or government_post(role, anchor) or board_only(tok)
        internal = why is None and (
            _internal(tok, company) or _moves_within(anchor, company)
            or _keeps_title(tok, anchor, company) or _remains_in_charge(tok))
        conf = 0.92 - penalty - (0.08 if resolved else 0.0) - (0.05 if kind != "verb" else 0)
        for org in [company, *_more_orgs(tok, explicit, company)]:
            out.append(make(s, rule, person, org, role, dest, when, conf, internal,
                            _distant_pronoun(anchor), reason=why))
    return out


def _parted(tok: Token, s: Sentence) -> tuple[list[Person], Token | None]:
    """"JD.com parted ways with X, head of ..." / "X parted ways with JD.com": whichever
    side names a person left the other."""
    subj = _subject(tok)
    holders = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
    other = next((p for h in holders for c in h.children if c.dep_ == "prep"
                  and c.lower_ == "with" for p in c.children if p.dep_ == "pobj"), None)
    if subj is None or other is None:
        return [], None
    people = s.people(other)
    if people and _org_from_np(subj)[0]:
        return people, subj
    return s.people(subj), other


def _current_org(s: Sentence, person: str, company: str) -> str:
    """An organisation guessed from the sentence or the article that the article says
    the person came from ("Priya Raman, who joined the company from Kestrel Labs, ...
    is leaving") is not the one left: the one the person joined is."""
    prof = s.ctx.table.get(person) if s.ctx.table is not None else None
    if prof is None or not any(same_company(company, o) for o in prof.came_from):
        return company
    now = [o for o in prof.joined if not any(same_company(o, f) for f in prof.came_from)]
    return now[-1] if now else company
