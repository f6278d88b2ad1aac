"""Rules for narrated careers: a past post told next to a move.

"X, former head of Y, ...", "X previously led Y", "Before joining Z, X was ... at Y",
"Z hired X from Y", "X joined Z from Y", "X, who spent a decade at Y, has joined Z",
"X was executive vice president at Y" (after "Z named X ..."), "its outgoing chairman
X". Each says X left Y; most need a move told in the sentence or the one before it.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from extract.detection.context import Candidate
from extract.detection.orgs import _hired_by, _hiring_org, _incidental, _org_from_np, _resolve_org
from extract.detection.persons import _holder_after, _subject, persons_of
from extract.detection.roles import _main_destination, _role_text, _when
from extract.detection.rules.base import _MOVE_BEFORE_RE, Person, Rule, Sentence, make
from extract.detection.tokens import (
    _ent_of,
    _is_org_ent,
    _lemma,
    _namelike,
    _org_name,
    _orgs_in,
    _span_text,
    char_at,
    subtree_skip,
)
from extract.detection.vetoes import ACADEMIC_POST, PROMOTION, government_post
from extract.detection.vocabulary import (
    _BOARD_WORDS,
    _HIRE_LEMMAS,
    _INSTITUTION_NOUNS,
    _LEADING,
    _TENURE_LEADS,
    _TENURE_UNITS,
    FORMER_WORDS,
    MOVE_LEMMAS,
)
from extract.gazetteer import ROLE_WORDS
from extract.names import same_company

_PAST_VERBS = {"lead", "head", "be", "run", "manage", "serve", "work", "oversee", "helm",
               "found", "co-found"}


def former_title(tok: Token, s: Sentence) -> list[Candidate]:
    """"X, former head of Y" / "former Y executive X", with a hire or a join in the
    sentence or the one before ("... named Beggs president. Beggs, formerly executive
    vice president of Tambrands, succeeds ..."). With no move told, "former chairman X"
    still says X left; the organisation may then come from the context ("its former
    chairman", "Former President X"). "X, previously the studio's operations chief" is
    a step inside, told with an appointment, unless the text says where X is now."""
    np = _former_title(tok)
    low = tok.lower_
    if np is None or not (s.moved or low in {"former", "ex", "erstwhile", "onetime"}
                          or low.startswith("ex-") or any(t.lower_ == "now" for t in s.doc)):
        return []
    people = [p for a in _title_holders(np) for p in s.people(a)]
    if not people:
        return []
    orgs = [o for o in _orgs_in(subtree_skip(np, {"relcl"})) if not _incidental(o)]
    penalty = 0.0
    if orgs:
        # "former Google vice president for Android": the title's own organisation.
        direct = [o for o in orgs if o.root.head.i == np.i
                  and o.root.dep_ in {"compound", "nmod", "poss"}]
        if direct:
            company = _org_name(direct[0])
        else:
            company = _org_name(orgs[-1]) if len(orgs) > 1 else _org_name(orgs[0])
    elif s.moved or any(_lemma(t) in _HIRE_LEMMAS | {"promote", "elevate"} for t in s.doc):
        return []  # "promoted X, previously head of its Guangdong region": inside
    else:
        company, penalty = _resolve_org(np, people[0][2], [], s.ctx, s.offset, None)
        if not company:
            return []
    # "Kuaishou named X, formerly head of Kuaishou's ...": internal
    why = _step_inside(people[0][2], np, company, s)
    dest = _hiring_org(s.doc, exclude=company) if s.moved else None
    role = _span_text(t for t in np.subtree if t.ent_type_ != "PERSON")
    base = 0.78 if s.moved else 0.62
    return [make(s, "former_title", person, company, role, dest, None,
                 base - penalty - (0.08 if resolved else 0),
                 reason=why or government_post(role, anchor))
            for person, resolved, anchor in people]


def _step_inside(anchor: Token, np: Token, company: str, s: Sentence) -> str | None:
    """A former title held in the company that now hires or promotes the holder."""
    if _hired_by(s.doc, company) or _takes_over(anchor, np, company, s):
        return PROMOTION
    return None


_TAKE_OVER = {"take", "succeed", "replace", "designate", "assume", "fill", "step"}


def _takes_over(anchor: Token, np: Token, company: str, s: Sentence) -> bool:
    """"X, former acting president of Y, will take the president position", "X, Y's
    former operations chief, was designated as Z's successor": the holder of the former
    title takes a post, with no other organisation named here nor a move in the sentence
    before, so the post is in the same company (a step inside, not a departure)."""
    verb = anchor.head
    if anchor.dep_ not in {"nsubj", "nsubjpass"} or _MOVE_BEFORE_RE.search(s.prev_text):
        return False
    if _lemma(verb) not in _TAKE_OVER and not any(
            t.lower_ in {"successor", "replacement"} for t in verb.subtree):
        return False
    inner = {t.i for t in np.subtree}
    others = [o for o in _orgs_in([t for t in verb.subtree if t.i not in inner])
              if not same_company(_org_name(o), company)]
    return not others


def _title_holders(np: Token) -> list[Token]:
    """Tokens naming the holder of a former title."""
    anchors: list[Token] = []
    if np.dep_ == "appos":
        anchors = [np.head]
    for child in np.children:
        if child.dep_ == "appos":
            anchors.append(child)
    if np.dep_ == "compound":
        anchors.append(np.head)
    if not anchors:
        # "The former chairman of X Bank, Peter Mills, ...": the parser hangs the name on
        # the organisation.
        anchors = [t for t in np.subtree if t.dep_ == "appos"
                   and t.ent_type_ == "PERSON" and _is_org_ent(_ent_of(t.head))]
    return anchors


def previously_led(tok: Token, s: Sentence) -> list[Candidate]:
    """"X previously led Y", "X, who once headed Y, has joined Z" (with a move told)."""
    if tok.lower_ not in {"previously", "formerly", "once"} or tok.dep_ != "advmod":
        return []
    verb = tok.head
    if _lemma(verb) not in _PAST_VERBS or not s.moved:
        return []
    subj = _subject(verb)
    if subj is None:
        return []
    people = s.people(subj)
    if not people:
        return []
    scope = subtree_skip(verb, {"nsubj", "relcl", "advcl", "conj"})
    if verb.dep_ == "relcl":
        scope = [t for t in verb.subtree]
    orgs = _orgs_in(scope)
    if not orgs:
        return []
    company = _org_name(orgs[0])
    dest = _main_destination(verb, company) or _hiring_org(s.doc, exclude=company)
    role = _span_text(t for t in scope if t.lower_ not in {"who", "previously", "formerly",
                                                           "once"})
    return [make(s, "previously_led", person, company, role, dest, None,
                 0.72 - (0.08 if resolved else 0), reason=government_post(role, anchor))
            for person, resolved, anchor in people]


def before_joining(tok: Token, s: Sentence) -> list[Candidate]:
    """"Before joining Y, he was ... at X", "Prior to joining Y, X led ... at Z"."""
    low = tok.lower_
    if low not in {"before", "prior"} or tok.head.pos_ not in {"VERB", "AUX", "ADV", "ADP"}:
        return []
    join = None
    for t in tok.subtree if low == "prior" else [tok.head] + list(tok.children):
        if t.lemma_.lower() in {"join", "move"}:
            join = t
    if join is None and tok.dep_ == "mark" and tok.head.lemma_.lower() == "join":
        join = tok.head
    if join is None:
        return []
    main = join.head
    while main.dep_ in {"pcomp", "pobj", "prep"} and main.head.i != main.i:
        main = main.head
    subj = _subject(main) if main.i != join.i else None
    if subj is None:
        return []
    people = s.people(subj)
    skip = {t.i for t in join.subtree} | {t.i for t in tok.subtree}
    scope = [t for t in main.subtree if t.i not in skip and t not in subj.subtree]
    orgs = _orgs_in(scope)
    if not people or not orgs:
        return []
    company = _org_name(orgs[0])
    dest_orgs = _orgs_in(list(join.subtree))
    dest = dest_orgs[0].text if dest_orgs else None
    when = _when(join, s.doc)
    role = _span_text(t for t in scope if t.i > subj.i)
    return [make(s, "before_joining", person, company, role, dest, when,
                 0.76 - (0.08 if resolved else 0), reason=government_post(role, anchor))
            for person, resolved, anchor in people]


def hired_from(tok: Token, s: Sentence) -> list[Candidate]:
    """"Y poached/hired X from Z"."""
    if tok.lemma_.lower() not in {"hire", "poach", "recruit", "lure", "tap"} or \
            tok.pos_ != "VERB":
        return []
    obj = next((c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    holders = [tok] + ([obj] if obj is not None else [])
    prep = next((c for h in holders for c in h.children
                 if c.dep_ == "prep" and c.lower_ == "from"), None)
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
    if obj is None or pobj is None:
        return []
    name, _ = _org_from_np(pobj)
    if not name:
        return []
    dest = _hiring_org(s.doc, exclude=name)
    return [make(s, "hired_from", person, name, None, dest, _when(tok, s.doc),
                 0.76 - (0.08 if resolved else 0))
            for person, resolved, _anchor in s.people(obj)]


def joined_from(tok: Token, s: Sentence) -> list[Candidate]:
    """"X joined Y from Z", "X moved to Y from Z"."""
    if tok.lemma_.lower() not in {"join", "move", "defect"} or tok.pos_ != "VERB":
        return []
    out: list[Candidate] = []
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"):
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        name, _ = _org_from_np(pobj)
        subj = _subject(tok)
        if not name or subj is None:
            continue
        why = ACADEMIC_POST if _academic_post(name, pobj) else None
        dest_orgs = _orgs_in([c for c in tok.children if c.dep_ == "dobj"])
        out.extend(make(s, "joined_from", person, name, None,
                        dest_orgs[0].text if dest_orgs else None, _when(tok, s.doc),
                        0.76 - (0.08 if resolved else 0), reason=why)
                   for person, resolved, _anchor in s.people(subj))
    return out


def _academic_post(name: str, pobj: Token) -> bool:
    """"joins from Stanford University, where she taught": a university left with no
    leading role named there (a dean or a lab head would be one)."""
    if not {w.lower() for w in name.split()} & _INSTITUTION_NOUNS:
        return False
    words = {t.lower_ for t in pobj.subtree}
    return not words & (_LEADING - {"senior", "general", "principal", "partner"})


def outgoing(tok: Token, s: Sentence) -> list[Candidate]:
    """"a successor to its outgoing chairman William Wall": the holder is on the way out."""
    if tok.lower_ != "outgoing" or tok.dep_ != "amod":
        return []
    ctx, offset = s.ctx, s.offset
    title = tok.head
    while title.dep_ == "amod" and title.head.i != title.i:
        title = title.head
    if not (title.lower_ in ROLE_WORDS or title.lemma_.lower() in ROLE_WORDS):
        return []
    people: list[Person] = []
    if title.dep_ == "compound" and title.head.ent_type_ == "PERSON":
        people = persons_of(title.head, ctx, offset)
    for child in title.children:
        if child.dep_ == "appos":
            people += persons_of(child, ctx, offset)
    people = people or _holder_after(title, ctx, offset)
    out = []
    role = _span_text(t for t in title.subtree if t.ent_type_ != "PERSON")
    for person, resolved, anchor in people:
        company, penalty = _resolve_org(title, anchor, [], ctx, offset, None)
        out.append(make(s, "outgoing", person, company, role, None, None,
                        0.8 - penalty - (0.08 if resolved else 0)))
    return out


def hired_from_owner(verb: Token, s: Sentence) -> list[Candidate]:
    """The one hired is named with the organisation they work for: "hired Xiaomi Corp's
    Chew Shou Zi", "hired Xiaomi finance chief Chew Shou Zi"."""
    if verb.lemma_.lower() not in {"hire", "poach", "recruit", "lure"} or verb.pos_ != "VERB":
        return []
    doc, ctx, offset = s.doc, s.ctx, s.offset
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if obj is None:
        return []
    if obj.ent_type_ == "PERSON" or (obj.pos_ == "PROPN" and persons_of(obj, ctx, offset)):
        holder = obj  # also a name the model missed: "lured Apple executive RJ Pittman"
    elif obj.lower_ in ROLE_WORDS:  # "hired Xiaomi finance chief, X": the title is the object
        holder = next((c for c in obj.children if c.dep_ == "appos"
                       and c.ent_type_ == "PERSON"), None)
        if holder is None:
            return []
    else:
        return []
    owner = None
    for child in obj.children:
        if child.dep_ in {"poss", "nmod"} and child.i < obj.i and _is_org_ent(_ent_of(child)):
            owner = _ent_of(child)
        elif child.dep_ == "compound" and child.i < obj.i:
            orgs = _orgs_in([t for t in child.subtree if t.i < obj.i])
            if orgs and any(t.lower_ in ROLE_WORDS for t in child.subtree):
                owner = orgs[0]
    if owner is None:
        return []
    obj = holder
    company = _org_name(owner)
    dest = _hiring_org(doc, exclude=company)
    if dest is None or same_company(dest, company):
        return []
    return [make(s, "hired_from_owner", person, company, None, dest, _when(verb, doc),
                 0.76 - (0.08 if resolved else 0))
            for person, resolved, _anchor in persons_of(obj, ctx, offset)]


def _used_to(verb: Token) -> bool:
    """"X used to be the vice president of sales at Google": a post that is over."""
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() == "use" and head.tag_ == "VBD"


def copular_past_role(verb: Token, s: Sentence) -> list[Candidate]:
    """A past post stated with "be": "is a former partner of X" (any tense), or "was
    executive vice president at X" (the simple past), for a person the text has just
    named to a new post. The organisation must not be the new employer."""
    if _lemma(verb) != "be" or not (s.moved or _used_to(verb)):
        return []
    attr = next((c for c in verb.children if c.dep_ == "attr"), None)
    subj = _subject(verb)
    if attr is None or subj is None or not (
            attr.lower_ in ROLE_WORDS or attr.lemma_.lower() in ROLE_WORDS):
        return []
    former = any(c.lower_ in FORMER_WORDS for c in attr.children) or _used_to(verb)
    if not former and not _simple_past(verb):
        return []
    people = _copula_subject(subj, s)
    if not former:
        # Only the person just named elsewhere: "Vaguine" after "named Victor Vaguine".
        people = [p for p in people if p[1] or p[0].split()[-1] in s.prev_text]
    orgs = _orgs_in(subtree_skip(verb, {"nsubj", "advcl", "conj", "relcl", "ccomp"}))
    if not people or not orgs:
        return []
    company = _org_name(orgs[-1])
    names = [orgs[-1].text] + re.findall(r"\(([^()]+)\)$", company)
    # The new employer itself: "elected X president of the NPPC. X, who was vice
    # president of the NPPC, ..." is a promotion.
    why = PROMOTION if _hired_by(s.doc, company) or any(
        re.search(rf"\b{re.escape(n)}\b", s.prev_text) for n in names) else None
    role = _span_text(t for t in attr.subtree if t.ent_type_ != "PERSON")
    dest = _hiring_org(s.doc, exclude=company)
    return [make(s, "copular_past_role", person, company, role, dest, None,
                 0.7 - (0.08 if resolved else 0),
                 reason=why or government_post(role, anchor))
            for person, resolved, anchor in people]


def _simple_past(verb: Token) -> bool:
    """"was president", "had been president" (not "is still", "will be")."""
    pluperfect = verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ == "had"
                                            for c in verb.children)
    return (verb.tag_ == "VBD" or pluperfect) and not any(
        c.dep_ in {"aux", "advmod"} and c.lower_ in {"still", "also", "will"}
        for c in verb.children)


def _copula_subject(subj: Token, s: Sentence) -> list[Person]:
    people = s.people(subj)
    if not people and subj.tag_ == "NNP" and subj.ent_iob_ in {"B", "O"}:
        # A bare surname the model took for an organisation: the person named before.
        full = s.ctx.full_name(subj.text, s.offset + char_at(subj))
        if full != subj.text:
            people = [(full, True, subj)]
    return people


def _past_tenure(tok: Token) -> bool:
    """"spent a decade at X", "worked at X", "served as CFO of X" in the simple past (the
    present perfect "has spent 20 years at X" says the person is still there)."""
    if tok.pos_ != "VERB" or tok.tag_ != "VBD":
        return False
    if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in tok.children):
        return False
    if _lemma(tok) in _TENURE_LEADS:
        # "X, who ran product at Y for six years, has joined Z": a relative clause on
        # the person, the lead narrated in the simple past next to the move.
        person = tok.head
        if tok.dep_ != "relcl" or person.ent_type_ != "PERSON" or not any(
                c.dep_ == "prep" and c.lower_ in {"at", "for"} for c in tok.children):
            return False
        # The person must be the one who moves ("X, who ran ..., has joined Y", "Y hired
        # X, who led ... at Z"), and not only onto a board.
        main = person.head
        moves = (person.dep_ in {"nsubj", "nsubjpass"} and _lemma(main) in MOVE_LEMMAS) or (
            person.dep_ == "dobj" and _lemma(main) in {"hire", "poach", "recruit", "lure"})
        return moves and not any(c.dep_ in {"dobj", "attr"} and c.lower_ in _BOARD_WORDS
                                 for c in main.children)
    if _lemma(tok) not in {"spend", "work", "serve"}:
        return False
    if _lemma(tok) == "spend":
        return any(c.dep_ == "dobj" and c.lemma_.lower() in _TENURE_UNITS for c in tok.children)
    return any(c.dep_ == "prep" and c.lower_ in {"as", "at", "for"} for c in tok.children)


def tenure(verb: Token, s: Sentence) -> list[Candidate]:
    """A finished tenure narrated next to a move: a departure from the earlier employer
    ("X, who spent 11 years as Grab's head of payments, has joined Y")."""
    if not s.moved or not _past_tenure(verb):
        return []
    subj = _subject(verb)
    if subj is None:
        return []
    people = s.people(subj)
    scope = subtree_skip(verb, {"nsubj", "advcl", "conj"})
    orgs = _orgs_in(scope)
    if not people or not orgs:
        return []
    # "led Mac hardware development at Apple": the employer is the one worked "at".
    at = [o for o in orgs if o.root.dep_ == "pobj" and o.root.head.lower_ in {"at", "for"}]
    company = _org_name((at or orgs)[0])
    why = PROMOTION if _hired_by(s.doc, company) else None
    dest = _main_destination(verb, company) or _hiring_org(s.doc, exclude=company)
    role = _role_text(verb, verb) or _span_text(t for t in scope if t.i > verb.i)
    return [make(s, "tenure", person, company, role, dest, None,
                 0.7 - (0.08 if resolved else 0), reason=why or government_post(role, anchor))
            for person, resolved, anchor in people]


def _former_title(tok: Token) -> Token | None:
    """The title a "former" word marks: "former head of X" (the word modifies the title)
    or "X, formerly vice president at Y" (the adverb hangs on the name, the title is the
    name's apposition)."""
    low = tok.lower_
    if low in {"former", "ex", "erstwhile", "onetime"} or low.startswith("ex-"):
        np = tok.head
        if np.dep_ in {"nmod", "compound"} and _is_org_ent(_ent_of(np)) and (
                np.head.lower_ in ROLE_WORDS or np.head.lemma_.lower() in ROLE_WORDS):
            np = np.head  # "Former TSMC joint chief operating officer X": on the company
        if np.lower_ in ROLE_WORDS or np.lemma_.lower() in ROLE_WORDS or \
                np.lower_.removeprefix("co-") in ROLE_WORDS:
            return np  # "the former co-CTO of Tencent"
        return None
    if low in {"formerly", "previously", "once", "recently"} and tok.dep_ == "advmod" and \
            tok.head.dep_ == "appos" and _namelike(tok.head.head) and (
            tok.head.lower_ in ROLE_WORDS or tok.head.lemma_.lower() in ROLE_WORDS):
        return tok.head  # "X, previously general manager of Y, ..."
    if low in {"formerly", "previously", "once"} and tok.dep_ == "advmod" and \
            tok.head.ent_type_ == "PERSON":
        for child in tok.head.children:
            if child.dep_ == "appos" and child.i > tok.i and (
                    child.lower_ in ROLE_WORDS or child.lemma_.lower() in ROLE_WORDS):
                return child
    return None


# In the order they run on each token (the order candidates come out in matters to the
# merge: the first mention of a departure gives its evidence sentence).
RULES = (
    Rule("former_title", former_title, (
        ("Corvane Systems named Ruth Albers, former head of sales at Meridian Bank, as its "
         "new president.", "Ruth Albers", "Meridian Bank"),
        ("Ruth Albers, the former finance chief of Meridian Bank, will succeed Tom Hale as "
         "chief executive of Corvane Systems.", "Ruth Albers", "Meridian Bank"),
    )),
    Rule("previously_led", previously_led, (
        ("Halden Robotics has hired Marco Ivers, who previously led the chip unit at "
         "Tessaro Devices.", "Marco Ivers", "Tessaro Devices"),
    )),
    Rule("before_joining", before_joining, (
        ("Before joining Quillon Labs in 2021, Sarah Collins was a vice president at "
         "Brightpath Software.", "Sarah Collins", "Brightpath Software"),
    )),
    Rule("copular_past_role", copular_past_role, (
        ("Halden Robotics appointed Victor Lanne as chief financial officer. Lanne was "
         "executive vice president at Orsolo Bank.", "Victor Lanne", "Orsolo Bank"),
    )),
    Rule("tenure", tenure, (
        ("Felix Amsel, who spent a decade at Tessaro Devices, has joined Quillon Labs as "
         "chief technology officer.", "Felix Amsel", "Tessaro Devices"),
    )),
    Rule("hired_from", hired_from, (
        ("Quillon Labs has poached Michael Reed from Brightpath Software.", "Michael Reed",
         "Brightpath Software"),
    )),
    Rule("outgoing", outgoing, (
        ("Meridian Bank named a successor to its outgoing chairman, Howard Pell.",
         "Howard Pell", "Meridian Bank"),
    )),
    Rule("hired_from_owner", hired_from_owner, (
        ("Quillon Labs hired Xiaomi Corp's David Chen as its chief financial officer.",
         "David Chen", "Xiaomi Corp"),
    )),
    Rule("joined_from", joined_from, (
        ("Oskar Brandt joined Quillon Labs from Brightpath Software in March.",
         "Oskar Brandt", "Brightpath Software"),
    )),
)
