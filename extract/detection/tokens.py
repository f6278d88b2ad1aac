"""Token helpers every stage uses: entity lookup, verbatim span text, name clean-up, and
whether an entity is an organisation (the small model mislabels many)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from extract.detection.vocabulary import (
    _C_TITLE,
    _CORP_ENDINGS,
    _FOUND_FORMS,
    _MONTH_WORDS,
    _PRODUCT_HEADS,
    _TECH_ORG_SET,
    _TITLE_PARTS,
    _TITLE_WORDS,
    _UNIT_NOUNS,
)
from extract.gazetteer import NOT_ENTITIES, ROLE_WORDS
from extract.names import same_company


def _lemma(tok: Token) -> str:
    """Lemma with "founded" kept apart from "find"."""
    if tok.lower_ in _FOUND_FORMS:
        return "found"
    return tok.lemma_.lower()


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


def clean_person(text: str) -> str:
    words = [w for w in text.replace("’s", "").replace("'s", "").split()]
    # Honorifics and titles the model took into the name: "Dr", "CMO Jiang Hairong".
    while len(words) > 1 and (words[0].lower().strip(".") in {t.strip(".") for t in _TITLE_WORDS}
                              or words[0].lower() in ROLE_WORDS or _C_TITLE.match(words[0])):
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


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


def _without_by(words: list[Token]) -> list[Token]:
    """Drop "by ..." phrases: "replaced as CFO by Yvonne Castillo" names the successor."""
    cut = {t.i for w in words if w.lower_ == "by" and w.dep_ in {"prep", "agent"}
           for t in w.subtree}
    return [w for w in words if w.i not in cut]


def _np_text(tok: Token) -> str:
    return _span_text(subtree_skip(tok, {"relcl", "acl", "advcl"}))


def _time_like(tok: Token) -> bool:
    """"will leave September One": a date parsed as the object."""
    if tok.ent_type_ in {"DATE", "TIME", "EVENT", "CARDINAL", "ORDINAL"}:
        return True
    return tok.lower_ in _MONTH_WORDS or any(c.lower_ in _MONTH_WORDS for c in tok.lefts)


def _next_lower(tok: Token) -> str:
    return tok.doc[tok.i + 1].lower_ if tok.i + 1 < len(tok.doc) else ""


def _has_role(tok: Token) -> bool:
    return any(t.lower_ in ROLE_WORDS or t.lemma_.lower() in ROLE_WORDS for t in tok.subtree)


def _namelike(tok: Token) -> bool:
    """A person's name, also when the model gave a bare surname another label ("Beggs"
    as a facility)."""
    if tok.ent_type_ == "PERSON":
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in {"ORG", "GPE", "NORP", "DATE"}
