"""Dependency rules that turn one parsed sentence into departure candidates.

A candidate needs a named person (directly, or through a pronoun, a bare surname or
"who" resolved against the article), an organisation (directly, or through "the
company", "the Beijing-based firm" resolved against the sentence and the article) and
no sign that the statement is negated, denied, demanded or hypothetical. Moves are
recognised from narrated careers too: "former head of X", "previously led X", "before
joining Y he was ... at X", "joined Y from X".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from extract.gazetteer import (
    COMPANY_NOUNS,
    NOT_ENTITIES,
    OUTLETS,
    PROFESSIONS,
    PRONOUNS,
    ROLE_WORDS,
    TECH_ORGS,
)
from extract.names import person_key, same_company
from extract.triggers import (
    ADVISORY_WORDS,
    BACK_PARTICLES,
    DENIAL_RE,
    FORMER_WORDS,
    INTERNAL_WORDS,
    LEAVE_VERBS,
    MOVE_LEMMAS,
    OUT_VERBS,
    POSITION_NOUNS,
    REMOVE_VERBS,
    REPLACE_LEMMAS,
    RESIGN_VERBS,
    STAY_LEMMAS,
    STEP_PARTICLES,
    STEP_VERBS,
    TRIGGER_NOUNS,
)

_BLOCK_HEADS = {"deny", "refuse", "reject", "demand", "call", "urge", "pressure", "ask",
                "consider", "mull", "weigh", "rumor", "rumour", "speculate", "speculation",
                "threaten", "resist", "shrug", "rebuff", "avoid", "refusal", "report",
                "possibility", "whether", "fear", "rule", "plan"}
_BLOCK_HEADS_STRICT = {"deny", "refuse", "reject", "demand", "call", "urge", "pressure",
                       "consider", "mull", "weigh", "rumor", "rumour", "speculate",
                       "speculation", "threaten", "resist", "shrug", "rebuff", "avoid",
                       "refusal", "possibility", "whether", "fear", "claim", "allege",
                       "fabricate", "fabrication", "survive", "attempt", "bid", "effort",
                       "campaign", "motion", "proposal", "plot"}
_HYPO_MODALS = {"might", "could", "may", "should", "must"}
_SAY_LEMMAS = {"say", "announce", "tell", "confirm", "report", "disclose", "state", "add",
               "note", "reveal", "write", "accept"}
_GOV_ROLE_RE = re.compile(
    r"\b(minister|senator|governor|congress\w*|ambassador|mayor|lawmaker|premier|"
    r"commissioner|undersecretary|under secretary|"
    r"(?:defen[cs]e|state|treasury|commerce|energy|interior|labor|health|finance|"
    r"transport\w*|education|homeland security|home|foreign)\s+secretary|secretary of\s+\w+)\b",
    re.I,
)
# Public bodies: leaving one is not leaving a company ("the Securities and Exchange
# Commission said commissioner X will leave the agency").
_GOV_ORG_RE = re.compile(
    r"\b(commission|ministry|department of|pentagon|white house|senate|parliament|"
    r"federal reserve|treasury department|cabinet|(?:communist|labou?r|"
    r"democratic|republican|conservative|socialist|people's) party|politburo|SEC|CFTC|FTC|"
    r"FCC|navy|army|air force|marine corps|central bank|treasury)\b|"
    r"^(?:finance|foreign|defen[cs]e|interior|justice|trade|economy|planning|"
    r"(?:the )?(?:u\.?s\.? )?congress|(?:the )?party)$",
    re.I)
_BOARD_ROLE = re.compile(
    r"^(?:(?:the|a|an|its|one|two|three|four|company's|outside|independent|non-?executive)"
    r"\s+)*(?:directors?|board members?|members? of (?:the|its) board)$", re.I)
_TITLE_WORDS = {"mr", "mrs", "ms", "dr", "sir", "dame", "prof", "professor", "mr.", "mrs.",
                "ms.", "dr.", "lord", "lady"}
_NON_LEADING = {"employee", "employees", "staff", "worker", "workers", "staffer",
                "staffers", "intern", "contractor", "people", "members", "analyst",
                "associate", "assistant", "clerk", "developer", "programmer", "reporter",
                "trainee", "salesperson", "technician", "designer", "engineer", "writer",
                "junior", "user", "users", "student", "students", "auditor", "auditors",
                "accountant", "accountants"} | PROFESSIONS
# Words that make a role leading even next to a non-leading noun ("chief engineer").
_LEADING = {"chief", "head", "president", "vice", "ceo", "cto", "cfo", "coo", "cio", "vp",
            "chairman", "chairwoman", "chair", "founder", "co-founder", "cofounder",
            "director", "officer", "executive", "lead", "leader", "principal", "partner",
            "managing", "general", "manager", "scientist", "senior", "svp", "evp", "boss",
            "led", "headed", "ran", "managed", "oversaw", "architect", "distinguished",
            "leading"}
_TECH_ORG_SET = set(TECH_ORGS)
_COMPANY_ENDINGS = ("maker", "company", "firm", "giant", "group", "provider", "operator",
                    "retailer", "developer", "platform", "startup", "start-up", "bank",
                    "lender", "producer", "manufacturer", "conglomerate")
_INSTITUTION_NOUNS = {"university", "college", "institute", "academy", "school"}
# Nouns naming a part of a company: "its Xiaoxiang Supermarket unit" is Meituan's.
_UNIT_NOUNS = {"unit", "division", "arm", "team", "lab", "laboratory", "department", "studio",
               "group", "business", "subsidiary", "segment", "programme", "program"}
_FOUND_FORMS = {"found", "founds", "founded", "founding", "co-found", "co-founded",
                "cofound", "cofounded"}


def _lemma(tok: Token) -> str:
    """Lemma with "founded" kept apart from "find"."""
    if tok.lower_ in _FOUND_FORMS:
        return "found"
    return tok.lemma_.lower()


@dataclass
class Mention:
    start: int  # absolute character offset in the article
    text: str


@dataclass
class Context:
    """Entity mentions of the whole article, for resolving references."""

    persons: list[Mention] = field(default_factory=list)
    orgs: list[Mention] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._pstarts = [m.start for m in self.persons]
        self._ostarts = [m.start for m in self.orgs]

    def full_name(self, name: str, at: int) -> str:
        """A bare surname or given name becomes the full name used nearest before it."""
        tokens = name.split()
        if len(tokens) != 1:
            return name
        low = name.lower()
        best = None
        for m in self.persons:
            parts = [p.lower() for p in m.text.split()]
            if len(parts) > 1 and low in parts:
                if m.start < at or best is None:
                    best = m.text
                if m.start >= at:
                    break
        return best or name

    def last_person(self, at: int) -> str | None:
        i = bisect_left(self._pstarts, at)
        if i == 0:
            return None
        m = self.persons[i - 1]
        return self.full_name(m.text, m.start)

    def unit_owner(self, unit: str, at: int) -> str:
        """"the AI Lab" after "ByteDance AI Lab": the full name used before; else the unit
        with the last company named before it that is not a unit itself."""
        low = unit.lower().removeprefix("the ")
        i = bisect_left(self._ostarts, at)
        for m in reversed(self.orgs[:i]):
            if m.text.lower().endswith(" " + low):
                return m.text
        for m in reversed(self.orgs[:i]):
            words = m.text.lower().split()
            if words and words[-1] not in _UNIT_NOUNS and not same_company(m.text, unit):
                return f"{unit} ({m.text})"
        return unit

    def last_org(self, at: int, exclude: list[str]) -> str | None:
        i = bisect_left(self._ostarts, at)
        for m in reversed(self.orgs[:i]):
            if not any(same_company(m.text, x) for x in exclude):
                return m.text
        return None


@dataclass
class Candidate:
    person: str
    company: str
    role: str | None
    destination: str | None
    when: str | None
    sentence: str
    confidence: float
    internal: bool = False  # the person stays in the group: a veto, not a departure
    pronoun: bool = False  # the person is a pronoun resolved to the last name before it


# --------------------------------------------------------------------------- helpers

def _ent_of(tok: Token) -> Span | None:
    if not tok.ent_type_:
        return None
    index = tok.doc.user_data.get("exodus_ent_index")
    if index is None:
        index = {}
        for ent in tok.doc.ents:
            for i in range(ent.start, ent.end):
                index[i] = ent
        tok.doc.user_data["exodus_ent_index"] = index
    return index.get(tok.i)


def char_at(tok: Token) -> int:
    """A token's offset in its sentence as written: the parse copy may lack the wire
    markers ("<", ">", tickers) that the article has."""
    idx = tok.doc.user_data.get("exodus_idx")
    return idx[tok.i] if idx is not None else tok.idx


def _span_text(tokens) -> str:
    """Verbatim text of a set of tokens (contiguous subtrees come out as in the article)."""
    toks = sorted(set(tokens), key=lambda t: t.i)
    if not toks:
        return ""
    out = []
    for a, b in zip(toks, toks[1:], strict=False):
        out.append(a.text + (a.whitespace_ if b.i == a.i + 1 else " "))
    out.append(toks[-1].text)
    return "".join(out).strip(" ,;:")


_C_TITLE = re.compile(r"^(?:C[A-Z]{1,2}O|[ES]?VP|EVP|SVP|MD)$")


def clean_person(text: str) -> str:
    words = [w for w in text.replace("’s", "").replace("'s", "").split()]
    # Honorifics and titles the model took into the name: "Dr", "CMO Jiang Hairong".
    while len(words) > 1 and (words[0].lower().strip(".") in {t.strip(".") for t in _TITLE_WORDS}
                              or words[0].lower() in ROLE_WORDS or _C_TITLE.match(words[0])):
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


_TITLE_PARTS = {"chief", "technology", "technical", "financial", "operating", "executive",
                "officer", "marketing", "information", "product", "people", "vice",
                "president", "head", "director", "research", "global"}


def _is_org_ent(ent: Span | None) -> bool:
    if ent is None:
        return False
    if ent.label_ == "ORG":
        # "stepping down as Chief Executive Officer and Chief Technology Officer": the
        # model takes a capitalised title for an organisation.
        words = ent.text.lower().split()
        return ent.text.lower() not in NOT_ENTITIES and not (
            words and all(w in _TITLE_PARTS for w in words))
    return ent.text in _TECH_ORG_SET


def subtree_skip(tok: Token, skip_deps: set[str]) -> list[Token]:
    """Subtree of ``tok`` without the subtrees hanging from ``skip_deps`` children."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in skip_deps:
            continue
        out.extend(subtree_skip(child, skip_deps))
    return out


def has_org(tokens: list[Token]) -> bool:
    return bool(_orgs_in(tokens))


def _describes_other(ent: Span) -> bool:
    """"the Xiaomi rival Yunmi Technology", "the TikTok owner Bytera": the first name only
    describes the company named in apposition."""
    doc, k = ent.doc, ent.end
    if ent.start == 0 or doc[ent.start - 1].lower_ != "the" or k + 1 >= len(doc):
        return False
    return doc[k].lower_ in _PRODUCT_HEADS | {"rival", "competitor", "peer"} and \
        _is_org_ent(_ent_of(doc[k + 1]))


def _orgs_in(tokens: list[Token]) -> list[Span]:
    seen, out = set(), []
    for tok in sorted(tokens, key=lambda t: t.i):
        ent = _ent_of(tok)
        if _is_org_ent(ent) and ent.start not in seen and not _describes_other(ent):
            seen.add(ent.start)
            out.append(ent)
    return out


def hyphen_prefix(ent: Span) -> str:
    """The start of a name the model cut off: "Phone-A-Gram System Inc" (after the hyphens),
    "Gaming and Technology Inc" (after the "and" of a company name)."""
    doc, k = ent.doc, ent.start
    while k >= 2 and doc[k - 1].text == "-" and not doc[k - 1].whitespace_ and \
            not doc[k - 2].whitespace_ and doc[k - 2].text.isalnum():
        k -= 2
    if k == ent.start and k >= 2 and doc[k - 1].lower_ == "and" and \
            doc[k - 2].is_title and doc[k - 2].ent_iob_ == "O" and \
            doc[k - 2].pos_ == "PROPN" and ent[-1].lower_.strip(".") in _CORP_ENDINGS:
        k -= 2
    return doc[k:ent.start].text_with_ws if k < ent.start else ""


_CORP_ENDINGS = {"inc", "corp", "co", "ltd", "plc", "llc", "lp", "ag", "sa", "nv", "group"}


def _named_unit(ent: Span) -> bool:
    """"its Northeast Group", "the Zen Division": a unit whose name carries the unit noun,
    owned by the company the text is about."""
    doc = ent.doc
    before = doc[ent.start - 1].lower_ if ent.start else ""
    last = doc[ent.end - 1].lower_
    return len(ent) > 1 and last in _UNIT_NOUNS and (
        before == "its" or (before == "the" and last != "group"))


def _org_name(ent: Span) -> str:
    """The organisation of a span, with a possessive parent noted: "Twitch (Amazon)"."""
    doc = ent.doc
    name = hyphen_prefix(ent) + ent.text
    # "American Express'<AXP> Travel Related Services Co Inc": token-level possessor.
    k = ent.start - 1
    if k >= 2 and doc[k].text == ">":
        while k > 0 and doc[k].text != "<" and ent.start - k < 5:
            k -= 1
        k -= 1
    if k >= 1 and doc[k].text in {"'", "’", "'s", "’s"}:
        pent = _ent_of(doc[k - 1])
        if _is_org_ent(pent):
            return f"{name} ({pent.text})"
    if _named_unit(ent):
        earlier = [e for e in doc.ents if _is_org_ent(e) and e.end <= ent.start
                   and not same_company(e.text, ent.text)]
        if earlier:  # "X Corp said ... president of its Northeast Group"
            return f"{name} ({earlier[0].text})"
    root = ent.root
    # "Amazon's streaming platform Twitch": the parent is a possessor of a noun that
    # Twitch is in apposition or compound to.
    heads = [root.head] if root.dep_ in {"appos", "compound"} else []
    for head in [root, *heads]:
        for child in head.children:
            if child.dep_ == "poss":
                pent = _ent_of(child)
                if _is_org_ent(pent) and pent.start != ent.start:
                    return f"{name} ({pent.text})"
    return name


# --------------------------------------------------------------------------- persons

def _person_tokens(tok: Token, deep: bool = True) -> list[Token]:
    """Tokens that may name the person a noun phrase refers to.

    From a name only conjuncts and name appositions are followed: in "the exit of X,
    Y's president Z" the apposition describes X and Z is someone else.
    """
    out = [tok]
    in_person = tok.ent_type_ == "PERSON"
    for child in tok.children:
        if child.dep_ == "conj" or (deep and child.dep_ in {"appos", "compound", "nmod", "dep",
                                                            "npadvmod"}):
            if in_person and child.dep_ == "appos" and child.pos_ != "PROPN":
                # "X, president, and Y, vice president, resigned": the parser hangs the
                # next name on the title; the title itself describes X.
                out.extend(t for c in child.children if c.dep_ == "conj"
                           and c.ent_type_ == "PERSON" for t in _person_tokens(c, deep))
                continue
            if not deep and child.dep_ != "conj":
                continue
            out.extend(_person_tokens(child, deep))
    if deep and not in_person:
        out.extend(_embedded_holder(tok))
    return out


def _after_comma(tok: Token) -> bool:
    """The name's phrase starts after a comma ("..., Paul Dorsey and Anne Kwok,", "...,
    Professor Li Wenjie,")."""
    first = min(t.i for t in tok.subtree if t.ent_type_ == "PERSON" or t.i == tok.i)
    while first > 0 and tok.doc[first - 1].lower_ in _TITLE_WORDS:
        first -= 1
    return first > 0 and tok.doc[first - 1].text == ","


def _embedded_holder(tok: Token) -> list[Token]:
    """"The chief scientist of Yuntu Intelligence, Li Wenjie, ...": the parser often hangs
    the holder's name on the last noun of the title's of-phrase instead of on the title."""
    if tok.lower_ not in ROLE_WORDS and tok.lemma_.lower() not in ROLE_WORDS:
        return []
    if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in tok.children):
        return []
    node = tok
    for _ in range(4):
        prep = next((c for c in node.children if c.dep_ == "prep"
                     and c.lower_ in {"of", "at", "in", "for"}), None)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
        if pobj is None:
            return []
        names = [c for c in pobj.children if c.dep_ in {"appos", "conj"}
                 and c.ent_type_ == "PERSON" and _after_comma(c)]
        if names:
            first = names[0]
            return [first, *(c for c in first.subtree if c.dep_ == "conj"
                             and c.ent_type_ == "PERSON")]
        node = pobj
    return []


_NAME_BLOCK_LABELS = {"ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "MONEY", "CARDINAL"}


def _fallback_name(tok: Token) -> str | None:
    """A name the model missed, recognised from its title or role: "chairman C Perkins"."""
    who = any(c.dep_ == "relcl" and any(g.lower_ == "who" for g in c.children)
              for c in tok.children)
    if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
        return None
    if tok.ent_type_ in _NAME_BLOCK_LABELS and not (who and tok.ent_type_ in {"ORG", "GPE"}):
        return None
    if tok.text in _TECH_ORG_SET or tok.lower_ in ROLE_WORDS:
        return None
    parts = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"
             and c.text[:1].isupper() and (who or c.ent_type_ not in _NAME_BLOCK_LABELS)
             and c.i >= tok.i - 3]
    name_toks = [*parts, tok]
    if not 2 <= len(name_toks) <= 4 or name_toks[-1].i - name_toks[0].i != len(name_toks) - 1:
        return None
    evidence = any(c.lower_ in ROLE_WORDS for c in tok.lefts if c.dep_ in {"compound", "amod"})
    evidence = evidence or any(
        c.dep_ == "appos" and (c.lower_ in ROLE_WORDS or c.lemma_.lower() in ROLE_WORDS
                               or any(g.lower_ in ROLE_WORDS for g in c.subtree))
        for c in tok.children)
    evidence = evidence or who
    evidence = evidence or (tok.dep_ in {"appos", "conj"} and tok.head.lower_ in ROLE_WORDS)
    if not evidence:
        return None
    return " ".join(t.text for t in name_toks)


def _speaker_of(pronoun: Token, ctx: Context, offset: int) -> str | None:
    """"X said on Wednesday that he has left the company": in reported speech the pronoun
    is the speaker, whoever was named last."""
    head = pronoun.head
    for _ in range(4):
        if head.dep_ == "ccomp" and _lemma(head.head) in _SAY_LEMMAS | {"post", "tweet"}:
            subj = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.ent_type_ != "PERSON":
                return None
            ent = _ent_of(subj)
            name = clean_person(ent.text) if ent is not None else ""
            return ctx.full_name(name, offset + char_at(ent[0])) if name else None
        if head.head.i == head.i:
            return None
        head = head.head
    return None


def persons_of(tok: Token, ctx: Context, offset: int, deep: bool = True) -> list[
        tuple[str, bool, Token]]:
    """Named people a subject/object token refers to: (name, resolved?, anchor token)."""
    low = tok.lower_
    if low in {"who", "that", "whom"} and tok.head.dep_ in {"relcl", "acl"}:
        head = tok.head.head
        if head.dep_ == "appos" and head.ent_type_ != "PERSON" and _namelike(head.head):
            head = head.head  # "X, a leading AI researcher who resigned from Y": X
        return persons_of(head, ctx, offset, deep)
    if low in {"he", "she", "his", "her", "him"}:
        speaker = _speaker_of(tok, ctx, offset)
        if speaker:
            return [(speaker, True, tok)]
        name = ctx.last_person(offset + char_at(tok))
        return [(name, True, tok)] if name else []
    found: list[tuple[str, bool, Token]] = []
    seen: set[int] = set()
    for t in _person_tokens(tok, deep):
        ent = _ent_of(t)
        if ent is not None and ent.label_ == "PERSON":
            if ent.start in seen or ent.text in _TECH_ORG_SET:
                continue
            seen.add(ent.start)
            name = clean_person(ent.text)
            if not name:
                continue
            full = ctx.full_name(name, offset + char_at(ent[0]))
            found.append((full, full != name, ent.root))
        elif ent is None or ent.text not in _TECH_ORG_SET:
            name = _fallback_name(t)
            if name and t.i not in seen:
                seen.add(t.i)
                full = ctx.full_name(name, offset + char_at(t))
                found.append((full, False, t))
            elif t.i not in seen and _namelike(t) and t.text[:1].isupper():
                # A bare surname the model labelled otherwise ("Beggs" as a facility):
                # only when it is the surname of someone named before.
                full = ctx.full_name(t.text, offset + char_at(t))
                if full != t.text:
                    seen.add(t.i)
                    found.append((full, True, t))
    return found


def _subjects(verb: Token) -> list[Token]:
    """Subjects of a verb; a datelined "HONG KONG --" can be a second nsubj."""
    subs = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if subs:
        return subs
    # "Jia Yangqing, who once led ..., left in 2023": the parser hangs the verb on the name.
    if verb.dep_ == "acl" and verb.head.pos_ == "PROPN" and verb.i > verb.head.i:
        return [verb.head]
    # "X's vice president, Anna Reyes, departed in May; ...": a finite verb misparsed as
    # a participle on the title.
    if verb.dep_ == "acl" and verb.tag_ == "VBD" and verb.i > verb.head.i and (
            verb.head.lower_ in ROLE_WORDS or verb.head.lemma_.lower() in ROLE_WORDS):
        return [verb.head]
    # "Also departing is general counsel X": the inverted subject is the copula's.
    if verb.dep_ == "csubj" and verb.head.lemma_.lower() == "be":
        return [c for c in verb.head.children if c.dep_ in {"nsubj", "attr"}]
    # "Its general manager, X, steps aside": the verb misparsed as the title's apposition.
    if verb.dep_ == "appos" and (verb.head.lower_ in ROLE_WORDS
                                 or verb.head.lemma_.lower() in ROLE_WORDS):
        return [verb.head]
    # "who headed X before leaving in 2022": the gerund's subject is the clause's.
    if verb.dep_ == "pcomp" and verb.head.lower_ in {"before", "after", "since", "upon"} \
            and verb.head.head.pos_ in {"VERB", "AUX"}:
        return _subjects(verb.head.head)
    # "agreed to resign", "will step down and ...", "plans to leave": borrow the subject.
    if verb.dep_ in {"xcomp", "conj", "advcl"} and verb.head.i != verb.i:
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
            return []
        return _subjects(verb.head)
    return []


def _subject(verb: Token) -> Token | None:
    subs = _subjects(verb)
    return subs[0] if subs else None


# --------------------------------------------------------------------------- organisations

def _org_from_np(tok: Token) -> tuple[str | None, str]:
    """Organisation a noun phrase names: (name, kind) with kind named/refer/nonorg/none."""
    if tok.lower_ in {"which", "that"} and tok.head.dep_ == "relcl" and \
            tok.head.head.i != tok.i:
        return _org_from_np(tok.head.head)  # "Nordic Chip AB, which he left in January"
    ent = _ent_of(tok)
    if _is_org_ent(ent):
        return _org_name(ent), "named"
    if ent is not None and ent.label_ in {"GPE", "LOC", "NORP", "MONEY", "PERCENT"}:
        # "Google China": an organisation's country arm.
        for child in tok.children:
            if child.dep_ in {"compound", "poss"} and _is_org_ent(_ent_of(child)):
                return _org_name(_ent_of(child)), "named"
        return None, "nonorg"
    low = tok.lower_
    inner = _without_by(subtree_skip(tok, {"relcl", "acl", "advcl", "agent"}))
    orgs = _orgs_in(inner)
    if orgs and _product_descriptor(tok, orgs[0]):
        return None, "refer"  # "the iPhone maker", "the TikTok owner": not iPhone, TikTok
    if orgs:
        # "the computing platform department of Alibaba's cloud unit" -> Alibaba.
        return _org_name(orgs[0]), "named"
    if low in COMPANY_NOUNS or tok.lemma_.lower() in COMPANY_NOUNS or low.endswith(
            _COMPANY_ENDINGS) or low in _INSTITUTION_NOUNS:
        return None, "refer"  # "the company", "the Beijing-based firm", "the university"
    if low in POSITION_NOUNS or low in ROLE_WORDS or tok.lemma_.lower() in ROLE_WORDS:
        return None, "refer"
    if any(t.ent_type_ in {"GPE", "LOC"} for t in inner):
        return None, "nonorg"
    return None, "none"


_PRODUCT_HEADS = {"maker", "owner", "developer", "creator", "operator", "publisher",
                  "manufacturer", "producer", "parent"}


def _product_descriptor(noun: Token, org: Span) -> bool:
    """"the ChatGPT maker": a company described by its product, which the model often
    tags as an organisation; the company meant is the one named before."""
    return (noun.lower_ in _PRODUCT_HEADS and org.root.head.i == noun.i
            and org.root.dep_ == "compound"
            and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children))


def _without_by(words: list[Token]) -> list[Token]:
    """Drop "by ..." phrases: "replaced as CFO by Yvonne Castillo" names the successor."""
    cut = {t.i for w in words if w.lower_ == "by" and w.dep_ in {"prep", "agent"}
           for t in w.subtree}
    return [w for w in words if w.i not in cut]


def _descriptor_tokens(anchor: Token) -> list[Token]:
    """Words describing the person: appositions, titles before the name, relative clauses."""
    out: list[Token] = []
    for child in anchor.children:
        if child.dep_ == "relcl" and _lemma(child) in MOVE_LEMMAS:
            continue  # "X, who is joining Y as president": Y is where X goes
        if child.dep_ == "relcl" and any(c.lower_ in {"also", "concurrently"}
                                         for c in child.children):
            continue  # "X, who also serves as a professor at McGill": a post on the side
        if child.dep_ in {"appos", "compound", "relcl", "poss", "amod", "nmod", "acl"}:
            out.extend(child.subtree)
        elif child.dep_ == "prep" and child.lower_ in {"of", "at", "from"}:
            out.extend(child.subtree)
    # "Baidu COO and former Microsoft executive Qi Lu": the parser makes the name a
    # conjunct of the first title.
    if anchor.dep_ == "conj" and (anchor.head.lower_ in ROLE_WORDS
                                  or anchor.head.lemma_.lower() in ROLE_WORDS):
        mine = {t.i for t in anchor.subtree}
        out.extend(t for t in anchor.head.subtree if t.i not in mine)
    # The name is an apposition to the title: "its Vice President, James Lu".
    if anchor.dep_ in {"appos", "compound"}:
        head = anchor.head
        out.append(head)
        for child in head.children:
            if child.i != anchor.i and child.dep_ in {"poss", "compound", "amod", "prep",
                                                      "nmod", "appos"}:
                out.extend(child.subtree)
    return out


# --------------------------------------------------------------------------- roles, dest

def _role_text(anchor: Token, trigger: Token | None) -> str | None:
    if trigger is not None:
        for child in trigger.children:
            if child.dep_ == "prep" and child.lower_ == "as":
                text = _span_text(t for t in _without_by(list(child.subtree))
                                  if t.i != child.i)
                if text:
                    return text
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


def _np_text(tok: Token) -> str:
    return _span_text(subtree_skip(tok, {"relcl", "acl", "advcl"}))


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


def _destination_children(trigger: Token, children: list[Token],
                          loose: bool = False) -> tuple[str | None, list[Token]]:
    for child in children:
        # "defected to Lyft", "jumped ship to Meta": the organisation gone to.
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
                if pobj[0].lower_ not in {"reasons", "reason"}:
                    continue
    for child in children:
        if (child.dep_ not in {"xcomp", "advcl", "conj"} and not loose) or child.pos_ not in {
                "VERB", "AUX"}:
            continue
        lemma = _lemma(child)
        if lemma not in {"join", "become", "found", "co-found", "start", "launch", "create",
                         "form", "establish", "build", "work", "embark", "lead", "head",
                         "accept", "set", "open", "pursue", "take"}:
            continue
        toks = list(child.subtree)
        objs = [c for c in child.children if c.dep_ in {"dobj", "attr", "oprd"}]
        for prep in (c for c in child.children if c.dep_ == "prep"):
            objs.extend(c for c in prep.children if c.dep_ == "pobj")
        if not objs:
            continue
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
    return None, []


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


# --------------------------------------------------------------------------- filters

# A negated verb blocks a departure in its complement only if it reports, plans or
# expects it ("did not say he would resign", "does not plan to leave"); "X departed; the
# company has not named a successor" is still a departure.
_NEG_SCOPE_HEADS = {"say", "plan", "expect", "intend", "want", "think", "believe", "confirm",
                    "announce", "decide", "agree", "indicate", "mean", "know", "rule",
                    "disclose", "report", "suggest", "see", "tell", "comment", "need",
                    "wish", "seek", "aim", "hope"}
_WH_WORDS = {"why", "when", "where", "how", "what"}


_TEMPORARY = {"temporarily", "temporary", "briefly"}


def _blocked(trigger: Token) -> bool:
    """Negated, demanded, denied, rumoured, conditional, hypothetical or temporary."""
    for child in trigger.children:
        if child.dep_ == "neg" or child.lower_ in {"never", "not", "n't"}:
            return True
        if child.lower_ in _TEMPORARY:
            return True  # "stepped aside temporarily while ... investigates"
        if child.dep_ == "aux" and child.lower_ in _HYPO_MODALS:
            return True
        if child.dep_ == "mark" and child.lower_ in {"if", "whether", "unless"}:
            return True
        if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in {"if", "unless"}
                                         for g in child.children):
            return True  # "would step down only if the company failed to ..."
    tok = trigger
    steps = 0
    while tok.head.i != tok.i and steps < 6:
        prev, tok = tok, tok.head
        steps += 1
        lemma = tok.lemma_.lower()
        if lemma in _BLOCK_HEADS_STRICT:
            return True
        if lemma == "plan" and tok.pos_ == "NOUN":
            return True
        if lemma == "offer" and prev.dep_ == "xcomp":
            return True  # "has offered to resign": not yet accepted
        if lemma == "prepare" and prev.dep_ != "xcomp":
            return True  # "Apple is preparing for Cook to step down" (not "X is preparing
            # to leave", said of oneself)
        if lemma == "expect" and any(c.lower_ == "had" for c in tok.children):
            return True  # "who had been expected to retire": it did not happen
        if any(c.dep_ == "neg" for c in tok.children) and _neg_scope(prev, tok):
            return True  # "does not plan to leave", "did not say he would resign"
        if prev.dep_ in {"xcomp", "conj"} or prev.i == trigger.i:
            if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"}
                   for c in tok.children):
                return True  # "if chief executive X were to leave"
    return False


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


_INTENT_WORDS = {"will", "would", "intend", "plan", "expect", "hope", "want", "shall"}


_NEW_ROLE_LEMMAS = {"become", "assume", "take", "move", "shift", "transition"}
_LEAD_LEMMAS = {"lead", "head", "run", "oversee", "focus", "helm", "manage"}
_HEAD_ROLES = {"chairman", "chairwoman", "chair", "chief", "ceo", "president", "executive"}
_HONORARY = {"emeritus", "honorary", "non", "nonexecutive", "adviser", "advisor", "advisory",
             "consultant", "consult", "independent"}
_ELSEWHERE_NOUNS = {"university", "school", "college", "institute", "fund", "concern",
                    "academy", "foundation", "agency", "rival", "competitor"}


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


_GROUP_PART = {"subsidiary", "unit", "arm", "division", "affiliate", "subsidiaries"}


def _parents_of(doc: Doc, org: str | None) -> list[str]:
    """Organisations the sentence names as the group of ``org`` ("Lingxi Games, a
    NetEase subsidiary", "X, a unit of Y"): moving there is staying in the group."""
    if not org:
        return []
    out = []
    for ent in doc.ents:
        if not _is_org_ent(ent) or not same_company(ent.text, org):
            continue
        for appos in (c for c in ent.root.children if c.dep_ == "appos"):
            words = list(appos.subtree)
            if {t.lower_ for t in words} & _GROUP_PART:
                out.extend(o.text for o in _orgs_in(words))
    return out


_TOWARD_LEMMAS = {"devote", "focus", "concentrate", "join", "move", "become", "take",
                  "return", "serve", "work", "lead", "head", "run", "remain", "stay"}


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


def _government(role: str | None, sentence: str, person_anchor: Token) -> bool:
    text = " ".join(t.text for t in person_anchor.lefts) + " " + (role or "")
    return bool(_GOV_ROLE_RE.search(text))


# --------------------------------------------------------------------------- main rules

_MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "one", "week", "month",
                "year", "today", "monday", "tuesday", "wednesday", "thursday", "friday"}


def _time_like(tok: Token) -> bool:
    """"will leave September One": a date parsed as the object."""
    if tok.ent_type_ in {"DATE", "TIME", "EVENT", "CARDINAL", "ORDINAL"}:
        return True
    return tok.lower_ in _MONTH_WORDS or any(c.lower_ in _MONTH_WORDS for c in tok.lefts)


def _next_lower(tok: Token) -> str:
    return tok.doc[tok.i + 1].lower_ if tok.i + 1 < len(tok.doc) else ""


def _phrasal_kind(tok: Token) -> str | None:
    """Departures said with a particle or an idiom, not with a leave verb.

    "intrans" means only the subject matters (its object, "the reins", names no
    organisation); "remove" means the passive subject or the object is the one who goes.
    """
    low, lemma = tok.lower_, tok.lemma_.lower()
    parts = {c.lower_ for c in tok.children if c.dep_ in {"prt", "advmod", "xcomp", "dobj"}}
    nxt = _next_lower(tok)
    if low in STEP_VERBS and nxt in STEP_PARTICLES and tok.pos_ in {"NOUN", "PROPN"} and \
            tok.dep_ in {"appos", "ROOT", "conj"}:
        return "verb"  # "Its general manager, Roland Qiu, steps aside": "steps" as a noun
    if tok.pos_ not in {"VERB", "AUX"}:
        return None
    if low in STEP_VERBS and (parts | {nxt}) & BACK_PARTICLES and any(
            c.dep_ == "prep" and c.lower_ == "from" for h in (tok, *tok.children)
            for c in h.children):
        return "intrans"  # "stepped back from day-to-day operations"
    if lemma == "bow" and "out" in parts | {nxt}:
        return "intrans"
    if lemma == "be" and "out" in parts and any(
            c.dep_ == "prep" and c.lower_ == "as" and _has_role(c) for c in tok.children):
        return "intrans"  # "X is out as chief executive"
    if _to_advisory(tok):
        return "intrans"  # "is moving to an advisory role", "will become a consultant"
    if lemma in {"hand", "pass", "turn"} and any(
            c.dep_ == "dobj" and c.lower_ in {"reins", "baton"} for c in tok.children):
        return "intrans"  # "hands over the reins"
    if lemma in OUT_VERBS and "out" in parts | {nxt}:
        return "remove"  # "was pushed out", "forced out the founder"
    if lemma == "let" and "go" in parts | {nxt}:
        return "remove"  # "was let go"
    if lemma in REPLACE_LEMMAS and (any(c.dep_ in {"nsubjpass", "auxpass"}
                                        for c in tok.children)
                                    or (lemma == "replace" and any(
                                        c.dep_ == "dobj" for c in tok.children))):
        return "remove"  # "X was replaced as CEO by Y", "X will be succeeded by Y"

    return None


_ADVISORY_NOUNS = {"advisory", "adviser", "advisor", "consultant", "consulting", "consultancy"}


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


_TOP_KEPT = {"chairman", "chairwoman", "chair", "president", "ceo", "chief", "head",
             "director", "executive"}


def _has_role(tok: Token) -> bool:
    return any(t.lower_ in ROLE_WORDS or t.lemma_.lower() in ROLE_WORDS for t in tok.subtree)


def _trigger_kind(tok: Token) -> str | None:
    low = tok.lower_
    phrasal = _phrasal_kind(tok)
    if phrasal:
        return phrasal
    if tok.pos_ in {"VERB", "AUX"} or (low in {"left", "quit"} and tok.pos_ != "NOUN"):
        if low in LEAVE_VERBS or low in RESIGN_VERBS:
            return "verb"
        lemma = tok.lemma_.lower()
        if lemma == "defect" or (lemma == "jump" and any(
                (c.dep_ == "dobj" and c.lower_ == "ship") or (c.dep_ == "prep" and c.lower_
                                                              == "from")
                for c in tok.children)):
            return "verb"  # "defected to Lyft", "jumped ship from Uber"
        if low in STEP_VERBS and any(
            c.lower_ in STEP_PARTICLES for c in tok.children
        ) or (low in STEP_VERBS and tok.i + 1 < len(tok.doc)
              and tok.doc[tok.i + 1].lower_ in STEP_PARTICLES):
            return "verb"
        if low in REMOVE_VERBS:
            if low.startswith("reliev") and not any(
                    c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                return None  # "relieved of his duties", not "investors were relieved"
            return "remove"
    if tok.pos_ in {"NOUN", "PROPN"} and low in TRIGGER_NOUNS:
        return "noun"
    if low == "day" and any(c.dep_ == "amod" and c.lower_ == "last" for c in tok.children) \
            and any(c.dep_ == "poss" for c in tok.children):
        return "noun"  # "June 3 will be his last day"
    if tok.pos_ == "VERB" and tok.lemma_.lower() == "part" and any(
            c.dep_ == "dobj" and c.lower_ in {"ways", "company"} for c in tok.children):
        return "part"
    return None


def _parted(tok: Token, ctx: Context, offset: int) -> tuple[list, Token | None]:
    """"JD.com parted ways with X, head of ..." / "X parted ways with JD.com": whichever
    side names a person left the other."""
    subj = _subject(tok)
    holders = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
    other = next((p for h in holders for c in h.children if c.dep_ == "prep"
                  and c.lower_ == "with" for p in c.children if p.dep_ == "pobj"), None)
    if subj is None or other is None:
        return [], None
    people = persons_of(other, ctx, offset)
    if people and _org_from_np(subj)[0]:
        return people, subj
    return persons_of(subj, ctx, offset), other


def _resolve_org(trigger: Token, anchor: Token, dest_toks: list[Token], ctx: Context,
                 offset: int, explicit: Token | None) -> tuple[str | None, float]:
    """The organisation left, with a confidence penalty for indirect resolution."""
    dest_ids = {t.i for t in dest_toks}
    doc = trigger.doc
    kind = "none"
    if explicit is not None:
        name, kind = _org_from_np(explicit)
        if name:
            return name, 0.0
        if kind == "nonorg":
            return None, 0.0
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "as", "of", "at", "with"}:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                name, pkind = _org_from_np(pobj)
                if name:
                    return name, 0.0
                if pkind == "refer" and child.lower_ == "from":
                    kind = "refer"  # "resigned from the bank": one named before
    desc = [t for t in _descriptor_tokens(anchor) if t.i not in dest_ids]
    orgs = [o for o in _orgs_in(desc) if not _incidental(o)]
    # "Baidu COO and former Microsoft executive Qi Lu will step down": the current post.
    orgs = [o for o in orgs if not _in_former_title(o)] or orgs
    if orgs:
        return _with_parent(orgs[0], ctx, offset), 0.02
    # "X Corp said ...": the reporting organisation.
    for tok in doc:
        if tok.lemma_.lower() in _SAY_LEMMAS and tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ == "nsubj":
                    found = _orgs_in(subtree_skip(child, {"relcl", "acl"}))
                    # "Tencent-backed game studio Moonforge said": the subject itself.
                    own = [o for o in found if o.start <= child.i < o.end]
                    found = own or found
                    if found and found[0].start not in dest_ids and not _incidental(found[0]):
                        return _org_name(found[0]), 0.05
                    if not found and child.lower_ in {"company", "it"} and \
                            trigger.lemma_.lower() in REPLACE_LEMMAS and ctx.orgs:
                        # "The company said Niglio replaces DeSanctis": wire copy's
                        # "the company" is the one the story opened with.
                        return ctx.orgs[0].text, 0.1
    sent_orgs = [e for e in doc.ents if _is_org_ent(e) and e.start not in dest_ids
                 and not any(e.start <= i < e.end for i in dest_ids) and not _incidental(e)
                 and not (e.start > trigger.i and _other_clause(e.root, trigger))
                 and not _cause_of(e, trigger)]
    # An organisation in another person's apposition is theirs ("Beggs, formerly of
    # Tambrands, succeeds Kress, who retired"): the article's company comes first, then,
    # if it names none before, theirs ("X, CTO at OpenAI, along with Y, resigned").
    theirs = [e for e in sent_orgs if _describes_someone_else(e, anchor)]
    sent_orgs = [e for e in sent_orgs if e not in theirs]
    before = [e for e in sent_orgs if e.start < trigger.i]
    if before:
        return _org_name(before[-1]), 0.08
    if sent_orgs and kind != "refer":
        return _org_name(sent_orgs[0]), 0.12
    dest_names = [o.text for o in _orgs_in([doc[i] for i in sorted(dest_ids)])]
    name = ctx.last_org(offset, dest_names)
    if name:
        return name, 0.15
    if theirs:
        return _org_name(theirs[0]), 0.15
    return None, 0.0


_CAUSE_PREPS = {"over", "amid", "because", "despite"}  # not "after nine years at X"


def _cause_of(ent: Span, trigger: Token) -> bool:
    """"resigned in January over the Guinness affair": the occasion, not the employer."""
    tok = ent.root
    for _ in range(4):
        if tok.head.i == tok.i:
            return False
        if tok.dep_ == "prep" and tok.lower_ in _CAUSE_PREPS and tok.head.i == trigger.i:
            return True
        tok = tok.head
    return False


def _describes_someone_else(ent: Span, anchor: Token) -> bool:
    """"Beggs, formerly vice president of Tambrands, succeeds Kress, who retired":
    Tambrands is in another person's apposition, not where Kress worked."""
    tok = ent.root
    for _ in range(6):
        if tok.head.i == tok.i:
            return False
        if tok.dep_ == "appos" and _namelike(tok.head):
            return tok.head.i != anchor.i and anchor.i not in {t.i for t in tok.subtree}
        tok = tok.head
    return False


def _namelike(tok: Token) -> bool:
    """A person's name, also when the model gave a bare surname another label ("Beggs"
    as a facility)."""
    if tok.ent_type_ == "PERSON":
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in {"ORG", "GPE", "NORP", "DATE"}


def _in_former_title(ent: Span) -> bool:
    """Is the organisation part of a title marked as past ("former Microsoft executive")?"""
    tok = ent.root
    for _ in range(3):
        if tok.dep_ not in {"compound", "nmod", "poss", "pobj", "prep"} or tok.head.i == tok.i:
            return False
        tok = tok.head
        if any(c.lower_ in FORMER_WORDS for c in tok.children):
            return True
    return False


def _other_clause(tok: Token, trigger: Token) -> bool:
    """Is ``tok`` inside a clause with a subject of its own ("..., and his duties will be
    divided between the heads of AliExpress and Lazada")? Its organisations are not the
    one left."""
    above = {t.i for t in trigger.ancestors} | {trigger.i}
    while tok.i not in above and tok.head.i != tok.i:
        tok = tok.head
        if tok.i in above:
            return False
        if tok.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass"}
                                               for c in tok.children):
            return True
    return False


def _with_parent(ent: Span, ctx: Context, offset: int) -> str:
    """"head of its Xiaoxiang Supermarket unit": a unit, named with the company the
    article is about ("Xiaoxiang Supermarket (Meituan)"), which is what is left."""
    name = _org_name(ent)
    if "(" in name:
        return name
    if _named_unit(ent):  # and no owner named in the sentence: the article's company
        return ctx.unit_owner(ent.text, offset)
    if ent.root.dep_ not in {"compound", "nmod"}:
        return name
    head = ent.root.head
    if head.lemma_.lower() not in _UNIT_NOUNS:
        return name
    kids = list(head.children)
    owned = any(c.dep_ == "poss" and c.lower_ == "its" for c in kids)
    described = any(c.dep_ == "det" and c.lower_ == "the" for c in kids) and any(
        c.dep_ == "compound" and c.pos_ == "NOUN" for c in kids)  # "the X hardware group"
    if not (owned or described):
        return name
    parent = ctx.last_org(offset, [ent.text])
    return f"{name} ({parent})" if parent else name


def _incidental(ent: Span) -> bool:
    """Outlets and platforms that only carry the news: "announced on Weibo", "told
    Reuters", "according to 36Kr", "in a LinkedIn post"."""
    root = ent.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in {"on", "via", "through"}:
        return True
    if root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return True
    if root.dep_ in {"dobj", "dative"} and head.lemma_.lower() in {"tell", "inform"}:
        return True
    if root.dep_ == "nsubj" and head.lemma_.lower() == "report":
        return True  # "the Financial Times reported that ..."
    if ent.text.lower().removesuffix("'s") in OUTLETS:
        return True  # "(Reuters) -", "a note shared with Reuters", "on his Weibo account"
    return root.dep_ == "compound" and head.lemma_.lower() in {"post", "memo", "statement",
                                                                "report", "interview"}


def _make(cands: list[Candidate], person: str, company: str, role, dest, when, sentence,
          conf, internal=False, pronoun=False) -> None:
    person = clean_person(person)
    if not person or not company or not person_key(person):
        return
    if same_company(person, company) and len(person.split()) == 1:
        return
    if _GOV_ORG_RE.search(company):
        return
    if re.search(r"\bboard(?: of directors)?$", company, re.I) or _BOARD_ROLE.match(role or ""):
        return  # "resigned from the Purolator board", "the director, X, resigned": a seat
    cands.append(Candidate(person, company, role, dest, when, sentence,
                           round(max(0.05, min(1.0, conf)), 2), internal, pronoun))


def _direct(tok: Token, kind: str, ctx: Context, offset: int, sentence: str,
            cands: list[Candidate]) -> None:
    if _blocked(tok):
        return
    explicit = None
    people: list[tuple[str, bool, Token]] = []
    if kind == "noun":
        # "the departure of X", "X's resignation", "offered his resignation".
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    # "the departures of China CMO X and sales head Y": every conjunct.
                    for tok_ in [pobj, *pobj.conjuncts]:
                        found = persons_of(tok_, ctx, offset, deep=tok_ is not pobj)
                        people += [p for p in found if p[0] not in {q[0] for q in people}]
            elif child.dep_ == "poss":
                people = persons_of(child, ctx, offset, deep=False)
        if not people and tok.dep_ == "dobj" and tok.head.lemma_.lower() in {
            "offer", "tender", "submit", "hand", "announce", "take", "file", "send",
        }:
            subj = _subject(tok.head)  # "tendered her resignation", "take early retirement"
            if subj is not None:
                people = persons_of(subj, ctx, offset)
        if not people:
            people = _holder_after_title(tok, ctx, offset)
        if not people:
            return
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in {"from", "at"}:
                explicit = next((c for c in child.children if c.dep_ == "pobj"), None)
    elif kind == "part":
        people, explicit = _parted(tok, ctx, offset)
        if not people:
            return
    elif kind == "remove":
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        objs = [_employment_of(c) for c in tok.children if c.dep_ == "dobj"]
        obj = objs[0] if objs else None
        if subj is not None:
            people = persons_of(subj, ctx, offset)
        # "fired its co-founder and CPO, X" (the hyphen splits the object), "voted to oust
        # chairman and chief executive X": the name may be any of the objects.
        # "ousted its co-founders, chief executive X and product chief Y": every object.
        for cand in objs if subj is None else []:
            for found in persons_of(cand, ctx, offset) or _holder_after(cand, ctx, offset):
                if not any(found[0] == p[0] for p in people):
                    people.append(found)
        if not people and subj is None:
            people = _let_go_of(tok, ctx, offset)
        if not people:
            return
        if tok.lower_.startswith(("remov", "dismiss")) and obj is not None and not people:
            return
    else:
        for subj in _subjects(tok):
            if subj.lemma_.lower() in {"member", "trustee"} and any(
                    t.lower_ == "board" for t in subj.subtree):
                return  # "two members of the board, X and Y, will retire": seats only
            people = persons_of(subj, ctx, offset)
            if people:
                people = people + _companions(subj, tok, ctx, offset)
                break
        if not people:
            return
        objs = [c for c in tok.children if c.dep_ == "dobj" and not _time_like(c)]
        if kind == "intrans":
            objs = []
        if objs:
            obj = objs[0]
            if tok.lower_ in RESIGN_VERBS and tok.lower_.startswith("retir"):
                name, okind = _org_from_np(obj)
                if okind in {"none", "nonorg"}:
                    return  # "retire its debentures"
            explicit = obj
            if any(c.dep_ in {"oprd", "acomp", "ccomp", "xcomp"} and c.pos_ == "ADJ"
                   and c.is_alpha for c in tok.children):
                return  # "left the dividend unchanged"
        if kind != "intrans" and any(c.dep_ == "oprd" and c.lower_ not in _EFFECTIVE
                                     for c in tok.children):
            return
        if not objs and _travel(tok):
            return
    dest, dest_toks = _destination(tok)
    when = _when(tok, tok.doc)
    for person, resolved, anchor in people:
        if explicit is not None:
            name, okind = _org_from_np(explicit)
            if okind in {"nonorg", "none"} and kind == "verb" and tok.lower_ not in RESIGN_VERBS:
                # "leaving China", "left the dividend": no organisation left.
                continue
        company, penalty = _resolve_org(tok, anchor, dest_toks, ctx, offset, explicit)
        if not company:
            continue
        if dest and same_company(dest, company):
            dest = None
        role = _role_text(anchor, tok)
        if _government(role, sentence, anchor) or _board_only(tok):
            continue
        internal = (_internal(tok, company) or _moves_within(anchor, company)
                    or _keeps_title(tok, anchor, company) or _remains_in_charge(tok))
        conf = 0.92 - penalty - (0.08 if resolved else 0.0) - (0.05 if kind != "verb" else 0)
        for org in [company, *_more_orgs(tok, explicit, company)]:
            _make(cands, person, org, role, dest, when, sentence, conf, internal,
                  _distant_pronoun(anchor))


# Titles someone holds now; "founder" is history, not a post one keeps.
_KEPT_TITLES = {"chairman", "chairwoman", "chair", "ceo", "chief", "president", "head",
                "leader"}


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


_CONCESSIVE = {"while", "although", "though", "whilst"}


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


def _companions(subj: Token, verb: Token, ctx: Context, offset: int) -> list[
        tuple[str, bool, Token]]:
    """"X, along with the company's chief research officer Y and Z, resigned": everyone
    named in the "along with" / "together with" phrase leaves too."""
    out: list[tuple[str, bool, Token]] = []
    withs = []
    # "X, head of finance Y and director Z all resigned": the parser buries the list in
    # the first name's apposition; "all"/"both" says every name there is a subject.
    if any(c.lower_ in {"all", "both"} for h in (subj, verb) for c in h.children):
        withs.append(subj)
    for holder in (subj, verb):
        for prep in holder.children:
            if prep.lower_ in {"along", "together"}:
                withs += [c for c in prep.children if c.lower_ == "with"]
            elif prep.lower_ == "with" and prep.i and \
                    prep.doc[prep.i - 1].lower_ in {"along", "together"}:
                withs.append(prep)
    for prep in withs:
        for tok in prep.subtree:
            if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B":
                ent = _ent_of(tok)
                name = clean_person(ent.text)
                full = ctx.full_name(name, offset + char_at(ent[0]))
                if full not in {q[0] for q in out}:
                    out.append((full, full != name, ent.root))
    return out


# "retired effective March 31": the parser makes "effective" a predicate of the verb.
_EFFECTIVE = {"effective", "immediately"}


def _distant_pronoun(anchor: Token) -> bool:
    """A pronoun with no name before it in its own sentence: resolved across sentences."""
    return anchor.lower_ in PRONOUNS and not any(
        e.label_ == "PERSON" and e.start < anchor.i for e in anchor.doc.ents)


def _travel(verb: Token) -> bool:
    """"left for Europe on Monday": a trip, not a departure ("left for Zalando" is)."""
    if not verb.lower_.startswith(("leav", "left", "depart")):
        return False
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"for", "to"}):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            if pobj.ent_type_ in {"GPE", "LOC"} and not _is_org_ent(_ent_of(pobj)):
                return True
    return False


_EMPLOYMENT = {"employment", "service", "services", "contract", "appointment", "tenure"}


def _employment_of(obj: Token) -> Token:
    """"terminated the employment of its president, X": the person is in the of-phrase."""
    if obj.lemma_.lower() not in _EMPLOYMENT:
        return obj
    for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            return pobj
    return obj


def _holder_after_title(noun: Token, ctx: Context, offset: int) -> list[
        tuple[str, bool, Token]]:
    """"the resignation of its treasurer and CFO, Carl Hoffmann, who ...", "the departure
    of co-founder and COO Feng Jiayi": the parser often detaches the name after a long
    title; take a person that directly follows the title of the of-phrase."""
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            found = _holder_after(pobj, ctx, offset)
            if found:
                return found
    return []


def _holder_after(title: Token, ctx: Context, offset: int) -> list[tuple[str, bool, Token]]:
    """The person named right after a title phrase ("sacked the head of its EV programme,
    Sebastian Kroll, after ..."): the parser hangs such names anywhere."""
    words = list(title.subtree)
    if not any(t.lower_ in ROLE_WORDS or t.lemma_.lower() in ROLE_WORDS for t in words):
        return []
    doc = title.doc
    end = max(t.i for t in words) + 1
    if end < len(doc) and doc[end].text == ",":
        end += 1
    if end < len(doc) and doc[end].ent_type_ == "PERSON" and doc[end].ent_iob_ == "B":
        ent = _ent_of(doc[end])
        name = clean_person(ent.text)
        full = ctx.full_name(name, offset + char_at(ent[0]))
        return [(full, full != name, ent.root)]
    return []


def _let_go_of(verb: Token, ctx: Context, offset: int) -> list[tuple[str, bool, Token]]:
    """"let go of its chief designer, X": the person is the object of "of"."""
    for go in (c for c in verb.children if c.lower_ == "go"):
        for prep in (c for c in go.children if c.dep_ == "prep" and c.lower_ == "of"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                return persons_of(pobj, ctx, offset) or _holder_after(pobj, ctx, offset)
    return []


def _more_orgs(trigger: Token, explicit: Token | None, first: str) -> list[str]:
    """"resigned from Xiaomi and Lenovo": one departure per organisation."""
    heads = [explicit] if explicit is not None else []
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "of", "at"}:
            heads.extend(c for c in child.children if c.dep_ == "pobj")
    out: list[str] = []
    for head in heads:
        ent = _ent_of(head)  # "left her roles as CEO of X and partner at Y" (at Y on the verb)
        if _is_org_ent(ent) and not same_company(ent.text, first) and ent.text not in out:
            out.append(ent.text)
        for conj in (c for c in head.children if c.dep_ == "conj"):
            ent = _ent_of(conj)
            if _is_org_ent(ent) and not same_company(ent.text, first) and ent.text not in out:
                out.append(ent.text)
    # "left her roles as COO of Cindr Labs and managing partner of Ferro Ventures".
    for prep in (c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "as"):
        for pobj in prep.subtree:
            role = pobj.head.head
            if pobj.dep_ != "pobj" or pobj.head.lower_ not in {"of", "at"} or (
                    role.lower_ not in ROLE_WORDS and role.lemma_.lower() not in ROLE_WORDS):
                continue
            ent = _ent_of(pobj)
            if _is_org_ent(ent) and not same_company(ent.text, first) and \
                    not any(same_company(ent.text, o) for o in out):
                out.append(ent.text)
    return out


_BOARD_WORDS = {"board", "director", "directors", "trustee", "trustees", "seat"}


def _board_only(trigger: Token) -> bool:
    """Leaving only a board seat ("resigned from the board of X") is not a departure."""
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "as", "on"}:
            words = {t.lower_ for t in child.subtree}
            if words & _BOARD_WORDS and not (words - _BOARD_WORDS) & _LEADING:
                return True
            if "committee" in words and not words & {"executive", "management",
                                                      "operating", "partnership"}:
                return True  # "chairman of the board's compensation committee"
    return False


def _moves(doc: Doc, ctx: Context, offset: int, sentence: str, prev_text: str,
           cands: list[Candidate]) -> None:
    """Narrated careers: former roles, "previously led", "before joining", "from X"."""
    move_here = any(_lemma(t) in MOVE_LEMMAS and t.pos_ == "VERB" for t in doc)
    move_prev = bool(re.search(
        r"\b(named|hired|appointed|joins?|joined|joining|recruited|poached|tapped|elected|"
        r"has hired|brought in|assumes?|assumed|succeed(?:s|ed|ing)?|replac(?:es|ed|ing))\b",
        prev_text, re.I))
    for tok in doc:
        low = tok.lower_
        # (a) "X, former head of Y" / "former Y executive X", with a hire/join in the
        #     sentence or the one before ("... named Beggs president. Beggs, formerly
        #     executive vice president of Tambrands, succeeds ...").
        np = _former_title(tok)
        moved = move_here or move_prev
        if np is not None and (moved or low in {"former", "ex", "erstwhile", "onetime"}
                               or low.startswith("ex-") or any(t.lower_ == "now" for t in doc)):
            # With no move told, "former chairman X" still says X left; the organisation
            # may then come from the context ("its former chairman", "Former President X").
            # "X, previously the studio's operations chief" is a step inside, told with an
            # appointment, unless the text says where X is now.
            anchors: list[Token] = []
            if np.dep_ == "appos":
                anchors = [np.head]
            for child in np.children:
                if child.dep_ == "appos":
                    anchors.append(child)
            if np.dep_ == "compound":
                anchors.append(np.head)
            if not anchors:
                # "The former chairman of X Bank, Peter Mills, ...": the parser hangs the
                # name on the organisation.
                anchors = [t for t in np.subtree if t.dep_ == "appos"
                           and t.ent_type_ == "PERSON" and _is_org_ent(_ent_of(t.head))]
            people = []
            for a in anchors:
                people.extend(persons_of(a, ctx, offset))
            if not people:
                continue
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
            elif moved or any(_lemma(t) in _HIRE_LEMMAS | {"promote", "elevate"}
                              for t in doc):
                continue  # "promoted X, previously head of its Guangdong region": inside
            else:
                company, penalty = _resolve_org(np, people[0][2], [], ctx, offset, None)
                if not company:
                    continue
            if _hired_by(doc, company):
                continue  # "Kuaishou named X, formerly head of Kuaishou's ...": internal
            dest = _hiring_org(doc, exclude=company) if moved else None
            role = _span_text(t for t in np.subtree if t.ent_type_ != "PERSON")
            base = 0.78 if moved else 0.62
            for person, resolved, anchor in people:
                if _government(role, sentence, anchor):
                    continue
                _make(cands, person, company, role, dest, None, sentence,
                      base - penalty - (0.08 if resolved else 0))
        # (b) "previously/formerly/once led|was|headed ... X"
        if low in {"previously", "formerly", "once"} and tok.dep_ == "advmod":
            verb = tok.head
            if _lemma(verb) not in {"lead", "head", "be", "run", "manage", "serve",
                                           "work", "oversee", "helm", "found", "co-found"}:
                continue
            if not (move_here or move_prev):
                continue
            subj = _subject(verb)
            if subj is None:
                continue
            people = persons_of(subj, ctx, offset)
            if not people:
                continue
            scope = subtree_skip(verb, {"nsubj", "relcl", "advcl", "conj"})
            if verb.dep_ == "relcl":
                scope = [t for t in verb.subtree]
            orgs = _orgs_in(scope)
            if not orgs:
                continue
            company = _org_name(orgs[0])
            dest = _main_destination(verb, company) or _hiring_org(doc, exclude=company)
            role = _span_text(t for t in scope if t.lower_ not in {"who", "previously",
                                                                "formerly", "once"})
            for person, resolved, anchor in people:
                if _government(role, sentence, anchor):
                    continue
                _make(cands, person, company, role, dest, None, sentence,
                      0.72 - (0.08 if resolved else 0))
        # (c) "Before joining Y, he was ... at X"
        if low in {"before", "prior"} and tok.head.pos_ in {"VERB", "AUX", "ADV", "ADP"}:
            join = None
            for t in tok.subtree if low == "prior" else [tok.head] + list(tok.children):
                if t.lemma_.lower() in {"join", "move"}:
                    join = t
            if join is None and tok.dep_ == "mark" and tok.head.lemma_.lower() == "join":
                join = tok.head
            if join is None:
                continue
            main = join.head
            while main.dep_ in {"pcomp", "pobj", "prep"} and main.head.i != main.i:
                main = main.head
            if main.i == join.i:
                continue
            subj = _subject(main)
            if subj is None:
                continue
            people = persons_of(subj, ctx, offset)
            skip = {t.i for t in join.subtree} | {t.i for t in tok.subtree}
            scope = [t for t in main.subtree if t.i not in skip and t not in subj.subtree]
            orgs = _orgs_in(scope)
            if not people or not orgs:
                continue
            company = _org_name(orgs[0])
            dest_orgs = _orgs_in(list(join.subtree))
            dest = dest_orgs[0].text if dest_orgs else None
            when = _when(join, doc)
            role = _span_text(t for t in scope if t.i > subj.i)
            for person, resolved, anchor in people:
                if _government(role, sentence, anchor):
                    continue
                _make(cands, person, company, role, dest, when, sentence,
                      0.76 - (0.08 if resolved else 0))
        # (g) "Henry is a former partner of X", "Vaguine was executive vice president at
        #     X", after the sentence that names them to their new post.
        if _lemma(tok) == "be" and (move_here or move_prev or _used_to(tok)):
            _copular_past_role(tok, doc, ctx, offset, sentence, prev_text, cands)
        # (f) "X, who spent 11 years as Grab's head of payments, has joined Y"
        if (move_here or move_prev) and _past_tenure(tok):
            _tenure(tok, doc, ctx, offset, sentence, cands)
        # (e) "Y poached/hired X from Z"
        if tok.lemma_.lower() in {"hire", "poach", "recruit", "lure", "tap"} and \
                tok.pos_ == "VERB":
            obj = next((c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            holders = [tok] + ([obj] if obj is not None else [])
            prep = next((c for h in holders for c in h.children
                         if c.dep_ == "prep" and c.lower_ == "from"), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
            if obj is not None and pobj is not None:
                name, _ = _org_from_np(pobj)
                if name:
                    dest = _hiring_org(doc, exclude=name)
                    for person, resolved, _anchor in persons_of(obj, ctx, offset):
                        _make(cands, person, name, None, dest, _when(tok, doc), sentence,
                              0.76 - (0.08 if resolved else 0))
        # (h) "its outgoing chairman and chief executive William Wall"
        if low == "outgoing" and tok.dep_ == "amod":
            _outgoing(tok, ctx, offset, sentence, cands)
        # (i) "ByteDance hired Xiaomi Corp's Chew Shou Zi", "hired Xiaomi CFO X"
        if tok.lemma_.lower() in {"hire", "poach", "recruit", "lure"} and tok.pos_ == "VERB":
            _hired_from_owner(tok, doc, ctx, offset, sentence, cands)
        # (d) "joined Y from X"
        if tok.lemma_.lower() in {"join", "move", "defect"} and tok.pos_ == "VERB":
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                name, _ = _org_from_np(pobj)
                subj = _subject(tok)
                if not name or subj is None or _academic_post(name, pobj):
                    continue
                dest_orgs = _orgs_in([c for c in tok.children if c.dep_ == "dobj"])
                for person, resolved, _anchor in persons_of(subj, ctx, offset):
                    _make(cands, person, name, None,
                          dest_orgs[0].text if dest_orgs else None, _when(tok, doc),
                          sentence, 0.76 - (0.08 if resolved else 0))


def _outgoing(tok: Token, ctx: Context, offset: int, sentence: str,
              cands: list[Candidate]) -> None:
    """"a successor to its outgoing chairman William Wall": the holder is on the way out."""
    title = tok.head
    while title.dep_ == "amod" and title.head.i != title.i:
        title = title.head
    if not (title.lower_ in ROLE_WORDS or title.lemma_.lower() in ROLE_WORDS):
        return
    people: list[tuple[str, bool, Token]] = []
    if title.dep_ == "compound" and title.head.ent_type_ == "PERSON":
        people = persons_of(title.head, ctx, offset)
    for child in title.children:
        if child.dep_ == "appos":
            people += persons_of(child, ctx, offset)
    people = people or _holder_after(title, ctx, offset)
    for person, resolved, anchor in people:
        company, penalty = _resolve_org(title, anchor, [], ctx, offset, None)
        if not company:
            continue
        role = _span_text(t for t in title.subtree if t.ent_type_ != "PERSON")
        _make(cands, person, company, role, None, None, sentence,
              0.8 - penalty - (0.08 if resolved else 0))


def _hired_from_owner(verb: Token, doc: Doc, ctx: Context, offset: int, sentence: str,
                      cands: list[Candidate]) -> None:
    """The one hired is named with the organisation they work for: "hired Xiaomi Corp's
    Chew Shou Zi", "hired Xiaomi finance chief Chew Shou Zi"."""
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if obj is None:
        return
    if obj.ent_type_ == "PERSON" or (obj.pos_ == "PROPN" and persons_of(obj, ctx, offset)):
        holder = obj  # also a name the model missed: "lured Apple executive RJ Pittman"
    elif obj.lower_ in ROLE_WORDS:  # "hired Xiaomi finance chief, X": the title is the object
        holder = next((c for c in obj.children if c.dep_ == "appos"
                       and c.ent_type_ == "PERSON"), None)
        if holder is None:
            return
    else:
        return
    owner = None
    for child in obj.children:
        if child.dep_ in {"poss", "nmod"} and child.i < obj.i and _is_org_ent(_ent_of(child)):
            owner = _ent_of(child)
        elif child.dep_ == "compound" and child.i < obj.i:
            orgs = _orgs_in([t for t in child.subtree if t.i < obj.i])
            if orgs and any(t.lower_ in ROLE_WORDS for t in child.subtree):
                owner = orgs[0]
    if owner is None:
        return
    obj = holder
    company = _org_name(owner)
    dest = _hiring_org(doc, exclude=company)
    if dest is None or same_company(dest, company):
        return
    for person, resolved, _anchor in persons_of(obj, ctx, offset):
        _make(cands, person, company, None, dest, _when(verb, doc), sentence,
              0.76 - (0.08 if resolved else 0))


def _used_to(verb: Token) -> bool:
    """"X used to be the vice president of sales at Google": a post that is over."""
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() == "use" and head.tag_ == "VBD"


def _copular_past_role(verb: Token, doc: Doc, ctx: Context, offset: int, sentence: str,
                       prev_text: str, cands: list[Candidate]) -> None:
    """A past post stated with "be": "is a former partner of X" (any tense), or "was
    executive vice president at X" (the simple past), for a person the text has just
    named to a new post. The organisation must not be the new employer."""
    attr = next((c for c in verb.children if c.dep_ == "attr"), None)
    subj = _subject(verb)
    if attr is None or subj is None or not (
            attr.lower_ in ROLE_WORDS or attr.lemma_.lower() in ROLE_WORDS):
        return
    former = any(c.lower_ in FORMER_WORDS for c in attr.children) or _used_to(verb)
    pluperfect = verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ == "had"
                                            for c in verb.children)  # "had been president"
    if not former and not ((verb.tag_ == "VBD" or pluperfect) and not any(
            c.dep_ in {"aux", "advmod"} and c.lower_ in {"still", "also", "will"}
            for c in verb.children)):
        return
    people = persons_of(subj, ctx, offset)
    if not people and subj.tag_ == "NNP" and subj.ent_iob_ in {"B", "O"}:
        # A bare surname the model took for an organisation: the person named before.
        full = ctx.full_name(subj.text, offset + char_at(subj))
        if full != subj.text:
            people = [(full, True, subj)]
    if not former:
        # Only the person just named elsewhere: "Vaguine" after "named Victor Vaguine".
        people = [p for p in people if p[1] or p[0].split()[-1] in prev_text]
    orgs = _orgs_in(subtree_skip(verb, {"nsubj", "advcl", "conj", "relcl", "ccomp"}))
    if not people or not orgs:
        return
    company = _org_name(orgs[-1])
    names = [orgs[-1].text] + re.findall(r"\(([^()]+)\)$", company)
    if _hired_by(doc, company) or any(re.search(rf"\b{re.escape(n)}\b", prev_text)
                                      for n in names):
        return  # the new employer itself: "elected X president of the NPPC. X, who was
        # vice president of the NPPC, ..." is a promotion
    role = _span_text(t for t in attr.subtree if t.ent_type_ != "PERSON")
    dest = _hiring_org(doc, exclude=company)
    for person, resolved, anchor in people:
        if _government(role, sentence, anchor):
            continue
        _make(cands, person, company, role, dest, None, sentence,
              0.7 - (0.08 if resolved else 0))


def _academic_post(name: str, pobj: Token) -> bool:
    """"joins from Stanford University, where she taught": a university left with no
    leading role named there (a dean or a lab head would be one)."""
    if not {w.lower() for w in name.split()} & _INSTITUTION_NOUNS:
        return False
    words = {t.lower_ for t in pobj.subtree}
    return not words & (_LEADING - {"senior", "general", "principal", "partner"})


_TENURE_UNITS = {"year", "decade", "month"}
_TENURE_LEADS = {"lead", "head", "run", "oversee", "manage", "helm"}


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


def _tenure(verb: Token, doc: Doc, ctx: Context, offset: int, sentence: str,
            cands: list[Candidate]) -> None:
    """A finished tenure narrated next to a move: a departure from the earlier employer."""
    subj = _subject(verb)
    if subj is None:
        return
    people = persons_of(subj, ctx, offset)
    scope = subtree_skip(verb, {"nsubj", "advcl", "conj"})
    orgs = _orgs_in(scope)
    if not people or not orgs:
        return
    # "led Mac hardware development at Apple": the employer is the one worked "at".
    at = [o for o in orgs if o.root.dep_ == "pobj" and o.root.head.lower_ in {"at", "for"}]
    company = _org_name((at or orgs)[0])
    if _hired_by(doc, company):
        return
    dest = _main_destination(verb, company) or _hiring_org(doc, exclude=company)
    role = _role_text(verb, verb) or _span_text(t for t in scope if t.i > verb.i)
    for person, resolved, anchor in people:
        if _government(role, sentence, anchor):
            continue
        _make(cands, person, company, role, dest, None, sentence,
              0.7 - (0.08 if resolved else 0))


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


def _hired_by(doc: Doc, company: str) -> bool:
    """The hiring organisation is the one the former title was at."""
    for tok in doc:
        if _lemma(tok) == "join" and tok.pos_ == "VERB" and any(
                same_company(o.text, company) for c in tok.children if c.dep_ == "dobj"
                for o in _orgs_in(list(c.subtree))):
            return True
        if _lemma(tok) in _HIRE_LEMMAS and tok.pos_ == "VERB":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None and any(
                    same_company(o.text, company)
                    for o in _orgs_in(subtree_skip(subj, {"appos", "relcl", "acl"}))):
                return True
            if _new_post_at(tok, company):
                return True
    return False


def _new_post_at(verb: Token, company: str) -> bool:
    """"X, previously president of JD's logistics arm, has been named CFO of JD.com": the
    new title (the predicate, not the person's own phrase) is at the same company."""
    for child in verb.children:
        if child.dep_ not in {"oprd", "attr", "prep"} or any(
                t.ent_type_ == "PERSON" for t in child.subtree):
            continue
        if any(same_company(o.text, company) for o in _orgs_in(list(child.subtree))):
            return True
    return False


_HIRE_LEMMAS = {"hire", "appoint", "name", "recruit", "poach", "tap", "bring", "elect",
                "select", "promote"}


def _hiring_org(doc: Doc, exclude: str) -> str | None:
    for tok in doc:
        if _lemma(tok) in MOVE_LEMMAS and tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ in {"nsubj", "dobj"} or child.dep_ == "prep":
                    for org in _orgs_in(list(child.subtree)):
                        if not same_company(org.text, exclude):
                            return org.text
    return None


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


def sentence_candidates(doc: Doc, ctx: Context, offset: int, prev_text: str = "") -> list[
        Candidate]:
    """All departure candidates of one parsed sentence (``offset``: its article offset)."""
    cands: list[Candidate] = []
    sentence = doc.user_data.get("exodus_text", doc.text).strip()
    denied = _denied(doc)
    if denied is None:
        return cands
    for tok in doc:
        kind = _trigger_kind(tok) if tok.i not in denied else None
        if kind:
            _direct(tok, kind, ctx, offset, sentence, cands)
    if not denied:
        _moves(doc, ctx, offset, sentence, prev_text, cands)
    else:
        # A sentence that also denies something is no ground for a veto.
        cands = [c for c in cands if not c.internal]
    owners = _unit_owners(doc, ctx, offset)
    for cand in cands:
        if cand.company in owners:
            cand.company = f"{cand.company} ({owners[cand.company]})"
    return [c for c in cands if not _non_leading(c)]


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


def _unit_owners(doc: Doc, ctx: Context, offset: int) -> dict[str, str]:
    """"X Corp said Y stepped down as president of its <Z Co> subsidiary and has left the
    company": Z is X's, so leaving Z and leaving "the company" is one departure (noted
    "Z Co (X Corp)", which the merge folds together)."""
    out = {}
    for ent in doc.ents:
        if not _is_org_ent(ent) or ent.start == 0 or ent.end >= len(doc):
            continue
        if doc[ent.start - 1].lower_ != "its" or doc[ent.end].lower_ not in _GROUP_PART | {
                "division", "business"}:
            continue
        before = [e for e in doc.ents if _is_org_ent(e) and e.end <= ent.start]
        parent = before[0].text if before else ctx.last_org(offset, [ent.text])
        if parent and not same_company(parent, ent.text):
            out[ent.text] = parent
    return out


def _non_leading(cand: Candidate) -> bool:
    """Named staff below the leadership ("a junior analyst") are out of scope."""
    words = set(re.findall(r"[a-z\-]+", (cand.role or "").lower()))
    return bool(words & _NON_LEADING) and not words & _LEADING
