"""Document-level entity table: who each person in the article is, as the article says.

News tells a departure across sentences: "The head of its AI lab will leave the company
... Tobias Kring joined Halvard Robotics in 2019 and has led the AI lab since 2021". The
table is built once per article over every sentence (the NER pass, no parse needed):
for each person, the words of the titles stated next to the name ("X, head of Y's AI
lab", "chief operating officer X", "X joined Y as ...", "X, who has led the AI lab"),
the organisations stated as theirs (not those marked "former"), those they joined and
came from ("joined Y from Z"), and the pronouns used of them. A sentence that names only
a role ("the head of its AI lab", "Orion Cloud's chief product officer", "its founder")
is then linked to the one person whose stated titles cover it; with no such person, or
more than one, nothing is linked.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from extract.detection.tokens import clean_person
from extract.gazetteer import NOT_ENTITIES, ROLE_WORDS, TECH_ORGS
from extract.names import same_company

# Words that stand for others in a title ("CFO" is "chief financial officer"; who "led"
# the lab is its head). "officer" is dropped: "chief financial" says it all.
_EXPAND = {
    "ceo": ("chief", "executive"), "cfo": ("chief", "financial"),
    "cto": ("chief", "technology"), "coo": ("chief", "operating"),
    "cpo": ("chief", "product"), "cmo": ("chief", "marketing"),
    "cio": ("chief", "information"), "cso": ("chief", "strategy"),
    "technical": ("technology",), "led": ("head",), "leads": ("head",), "lead": ("head",),
    "leading": ("head",), "heads": ("head",), "headed": ("head",), "heading": ("head",),
    "runs": ("head",), "ran": ("head",), "run": ("head",), "running": ("head",),
    "oversees": ("head",), "oversaw": ("head",), "oversee": ("head",),
    "founded": ("founder",), "co-founded": ("founder",), "cofounded": ("founder",),
    "co-founder": ("founder",), "cofounder": ("founder",), "founders": ("founder",),
    "laboratory": ("lab",), "boss": ("head",), "chairwoman": ("chairman",),
    "chair": ("chairman",), "chairperson": ("chairman",), "labs": ("lab",),
}
_FILLER = {"the", "its", "their", "his", "her", "a", "an", "of", "at", "for", "in", "and",
           "officer", "'s", "’s", "company", "company's", "firm's", "group's", "who", "has",
           "have", "had", "is", "was", "been", "be", "since", "as", "on", "to", "with", "by",
           "from", "also", "currently", "now", "then", "later", "until", "recently"}
# Facts about someone else's new post, not the person's own: "Y, the new CFO", "hired Y
# to run its AI lab", "Y will succeed ...".
_SUCCESSION = re.compile(
    r"\b(new|incoming|interim|acting|successor|succeed\w*|replac\w*|named|appointed|"
    r"promoted|hired|tapped|elevated|will (?:join|take|become|lead|head|run)|"
    r"(?:is|are) (?:joining|taking)|to (?:join|take|become|lead|head|run|oversee)|"
    r"take over|takes over|taking over|step(?:s|ping)? in|fill\w*)\b", re.I)
_FORMER_MARKS = {"from", "formerly", "previously", "former", "ex", "ex-", "left", "quit"}
_JOIN_WORDS = {"joined", "joins", "join", "joining"}
_HE = {"he", "his", "him", "himself"}
_SHE = {"she", "her", "hers", "herself"}
_STOP_PUNCT = {",", ".", ";", ":", "(", ")", '"', "“", "”", "—", "–", "!", "?"}
_TECH_ORG_SET = set(TECH_ORGS)
_SAY_WORDS = {"said", "says", "told", "tells", "announced", "announces", "wrote", "writes",
              "added", "confirmed", "confirms", "noted", "stated", "explained", "according",
              "posted", "tweeted", "revealed", "disclosed", "believes", "thinks"}


@dataclass
class Profile:
    """What the article states about one person."""

    name: str
    words: set[str] = field(default_factory=set)
    current: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)  # "joined Y", "joined the company"
    came_from: list[str] = field(default_factory=list)  # "joined Y from X"
    he: int = 0
    she: int = 0

    @property
    def gender(self) -> str | None:
        if self.he > self.she:
            return "m"
        if self.she > self.he:
            return "f"
        return None


def role_key(words: list[str]) -> set[str]:
    """Normalised content words of a title: "the head of its AI Lab" -> {head, ai, lab}."""
    out: set[str] = set()
    for word in words:
        low = word.lower().strip(".,")
        if not low or low in _FILLER or not re.match(r"^[a-z][a-z\-]*$", low):
            continue
        out.update(_EXPAND.get(low, (low,)))
    return out


def _is_org(ent: Span) -> bool:
    return (ent.label_ == "ORG" or ent.text in _TECH_ORG_SET) and \
        ent.text.lower() not in NOT_ENTITIES


@dataclass
class EntityTable:
    """Profiles of the article's people, keyed by full name."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    # Sentence starts (article offsets) in order, and the person who opens each one
    # ("Jony Ive will form ...") when nothing in it is said, nor a succession.
    starts: list[int] = field(default_factory=list)
    openers: dict[int, str] = field(default_factory=dict)

    def opener_after(self, at: int) -> str | None:
        """The person opening the sentence right after the one starting at ``at``, if
        the article states no title for them: "Apple's design chief is leaving. Jony
        Ive will form an independent design company"."""
        i = bisect_right(self.starts, at)
        if i == 0 or i >= len(self.starts) or self.starts[i - 1] != at:
            return None
        name = self.openers.get(self.starts[i])
        prof = self.profiles.get(name) if name else None
        return name if prof is not None and not prof.words & _ROLE_HEADS else None

    def matching(self, key: set[str], org: str | None) -> list[Profile]:
        """People whose stated titles cover ``key`` (and ``org``, when the role names one).
        Only whether there is exactly one matters, so the search stops at the second (a
        page naming thousands of people must not cost thousands of checks per role)."""
        if not key & _ROLE_HEADS:
            return []
        out: list[Profile] = []
        for prof in self.profiles.values():
            if not key <= prof.words:
                continue
            if org and prof.current and not any(same_company(org, o) for o in prof.current):
                continue
            out.append(prof)
            if len(out) == 2:
                break
        return out

    def get(self, name: str) -> Profile | None:
        return self.profiles.get(name)


_ROLE_HEADS = role_key(sorted(ROLE_WORDS)) - {"general", "executive", "expert", "veteran"}


def build_table(docs: list[tuple[int, Doc]], full_name, last_org) -> EntityTable:
    """The table over every sentence of the article (``full_name``/``last_org``: the
    article context's resolvers for bare surnames and "the company"). Only sentences
    that name a person are read, their entities found by offset (``Span.ents`` scans
    the whole article each time)."""
    table = EntityTable()
    for off, doc in docs:
        ents = list(doc.ents)
        if not any(e.label_ == "PERSON" for e in ents):
            continue
        sents = list(doc.sents)
        starts = [sent.start for sent in sents]
        table.starts.extend(off + sent.start_char for sent in sents)
        by_sent: dict[int, list[Span]] = {}
        for ent in ents:
            by_sent.setdefault(bisect_right(starts, ent.start) - 1, []).append(ent)
        for k, sent_ents in by_sent.items():
            people = [e for e in sent_ents if e.label_ == "PERSON" and clean_person(e.text)]
            if not people:
                continue
            orgs = [e for e in sent_ents if _is_org(e)]
            names = set()
            for ent in people:
                name = full_name(clean_person(ent.text), off + ent.start_char)
                names.add(name)
                prof = table.profiles.setdefault(name, Profile(name))
                _read_facts(prof, ent, sents[k], orgs, off, last_org)
            sent = sents[k]
            if people[0].start == sent.start and not _SUCCESSION.search(sent.text) and \
                    not any(t.lower_ in _SAY_WORDS for t in sent):
                table.openers[off + sent.start_char] = full_name(
                    clean_person(people[0].text), off + people[0].start_char)
            if len(names) == 1:
                _count_pronouns(table.profiles[names.pop()], sent)
    return table


def _count_pronouns(prof: Profile, sent: Span) -> None:
    """Pronouns in a sentence that names only this person ("X said her team ..."): the
    next sentence's "he" or "she" is what is to be resolved, so it is not counted."""
    for tok in sent:
        if tok.lower_ in _HE:
            prof.he += 1
        elif tok.lower_ in _SHE:
            prof.she += 1


def _read_facts(prof: Profile, ent: Span, sent: Span, sent_orgs: list[Span], off: int,
                last_org) -> None:
    """Titles and organisations stated next to one mention of the person."""
    before = _title_before(ent, sent)
    after = _clause_after(ent, sent) or _hired_as(ent, sent)
    text = " ".join(t.text for t in before + after)
    if _SUCCESSION.search(text):
        return
    near = {t.i for t in before + after}
    orgs = [e for e in sent_orgs if any(i in near for i in range(e.start, e.end))]
    org_toks = {i for e in orgs for i in range(e.start, e.end)}
    prof.words |= role_key([t.text for t in before + after if t.i not in org_toks])
    joining = False
    for tok in before + after:
        joining = joining or tok.lower_ in _JOIN_WORDS
        org = next((o for o in orgs if o.start == tok.i), None)
        if org is None:
            continue
        prev = {t.lower_ for t in sent.doc[max(sent.start, org.start - 2):org.start]}
        if not prev & _FORMER_MARKS:
            prof.current.append(org.text)
        if joining and "from" in prev:
            prof.came_from.append(org.text)  # "joined Y in 2019 from X"
        elif prev & _JOIN_WORDS:
            prof.joined.append(org.text)  # "joined Y"
    joined = re.search(r"\bjoin(?:ed|s)? the (company|firm|group|start-?up|business)\b",
                       text, re.I)
    if joined:
        first = after[0] if after else ent[-1]
        org = last_org(off + first.idx, [])
        if org:
            prof.current.append(org)
            prof.joined.append(org)


def _title_before(ent: Span, sent: Span) -> list[Token]:
    """"Chief operating officer Clara Voss", "Halvard's CTO Tobias Kring"."""
    out: list[Token] = []
    k = ent.start - 1
    while k >= sent.start and len(out) < 8:
        tok = sent.doc[k]
        low = tok.lower_
        if tok.text in _STOP_PUNCT or tok.ent_type_ in {"PERSON", "DATE", "TIME", "GPE"}:
            break
        if not (low in ROLE_WORDS or low in _EXPAND or tok.ent_type_ == "ORG"
                or low in {"'s", "’s", "of", "vice", "senior", "financial", "technology",
                           "operating", "product", "marketing", "information", "and"}
                or (tok.is_title and tok.ent_type_ == "")):
            break
        out.insert(0, tok)
        k -= 1
    return out


def _clause_after(ent: Span, sent: Span) -> list[Token]:
    """The apposition or relative clause after the name ("X, head of the AI lab,", "X,
    who has led the AI lab since 2021"), or, for a name that opens its clause, the rest
    of it ("X joined Y in 2019 and has led the AI lab since")."""
    doc = sent.doc
    k = ent.end
    if k < sent.end and doc[k].text in {"'s", "’s"}:
        return []  # "X's departure": a possessor, not a description
    if k < sent.end and doc[k].text == ",":
        k += 1
        stop = {",", ";", ".", "(", ")"}
    else:
        opens = ent.start == sent.start or doc[ent.start - 1].text in {",", "\"", "“"}
        if not opens or k >= sent.end or not doc[k].is_lower:
            return []
        stop = {";", "."}
    out: list[Token] = []
    while k < sent.end and len(out) < 25 and doc[k].text not in stop:
        if doc[k].ent_type_ == "PERSON" or doc[k].lower_ in _SAY_WORDS:
            break  # another person's part of the sentence, or what the person said
        out.append(doc[k])
        k += 1
    return out


_HIRED = {"hired", "named", "appointed", "recruited", "joined", "tapped", "brought"}


def _hired_as(ent: Span, sent: Span) -> list[Token]:
    """"Y hired X as chief technology officer last year": the post X has held since
    (the caller drops it when the text says it is new or interim, or still to come)."""
    doc = sent.doc
    if ent.start - 1 < sent.start or doc[ent.start - 1].lower_ not in _HIRED:
        return []
    if ent.end >= sent.end or doc[ent.end].lower_ != "as":
        return []
    out = []
    k = ent.end
    while k < sent.end and len(out) < 12 and doc[k].text not in _STOP_PUNCT:
        out.append(doc[k])
        k += 1
    return out

