"""Argument finders for the person: names, titles, pronouns, surnames, relative pronouns.

A subject or object token is followed through appositions, conjuncts and compounds to
the people it names; "he", "who" and a bare surname are resolved against the article
(``Context``). Each finder returns ``(name, resolved?, anchor token)``.
"""

from __future__ import annotations

from spacy.tokens import Token

from extract.detection.context import Context
from extract.detection.entities import _ROLE_HEADS, role_key
from extract.detection.tokens import (
    _ent_of,
    _lemma,
    _namelike,
    _orgs_in,
    char_at,
    clean_person,
    subtree_skip,
)
from extract.detection.vocabulary import (
    _EMPLOYMENT,
    _NAME_BLOCK_LABELS,
    _SAY_LEMMAS,
    _TECH_ORG_SET,
    _TITLE_WORDS,
)
from extract.gazetteer import PRONOUNS, ROLE_WORDS


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
    if not (who or _titled(tok)):
        return None
    return " ".join(t.text for t in name_toks)


def _titled(tok: Token) -> bool:
    """A title next to the name: before it, in apposition, or the name's head."""
    if any(c.lower_ in ROLE_WORDS for c in tok.lefts if c.dep_ in {"compound", "amod"}):
        return True
    if any(c.dep_ == "appos" and (c.lower_ in ROLE_WORDS or c.lemma_.lower() in ROLE_WORDS
                                  or any(g.lower_ in ROLE_WORDS for g in c.subtree))
           for c in tok.children):
        return True
    return tok.dep_ in {"appos", "conj"} and tok.head.lower_ in ROLE_WORDS


_QUOTES = {'"', "“", "”", "'", "‘", "’"}


def _quote_speaker(pronoun: Token, ctx: Context, offset: int) -> str | None:
    """"'I have decided to leave X,' Y wrote": in a quote, "I" is the named speaker."""
    doc = pronoun.doc
    if not any(t.text in _QUOTES for t in doc[:pronoun.i]):
        return None
    for verb in doc:
        if _lemma(verb) not in _SAY_LEMMAS | {"write", "post", "tweet"}:
            continue
        for subj in (c for c in verb.children if c.dep_ == "nsubj" and _namelike(c)
                     and c.pos_ == "PROPN"):
            # The model often takes a name after a quote for a title ("WORK_OF_ART").
            toks = [t for t in subj.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
            name = clean_person(" ".join(t.text for t in [*toks, subj]))
            if name and pronoun.i not in {t.i for t in subj.subtree}:
                return ctx.full_name(name, offset + char_at(subj))
    return None


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
        name = ctx.last_person(offset + char_at(tok), "m" if low in {"he", "his", "him"}
                               else "f", _clause_subjects(tok))
        return [(name, True, tok)] if name else []
    if low in {"i", "my", "me"}:
        speaker = _quote_speaker(tok, ctx, offset)
        return [(speaker, True, tok)] if speaker else []
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


def _distant_pronoun(anchor: Token) -> bool:
    """A pronoun with no name before it in its own sentence: resolved across sentences."""
    return anchor.lower_ in PRONOUNS and not any(
        e.label_ == "PERSON" and e.start < anchor.i for e in anchor.doc.ents)


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


_INDEFINITE = {"a", "an", "another", "one", "two", "three", "several", "some", "many", "any"}
_NOT_THE_HOLDER = {"former", "new", "interim", "acting", "incoming", "ex", "future", "next",
                   "deputy", "outgoing"}


def role_holder(tok: Token, ctx: Context, offset: int) -> list[tuple[str, bool, Token]]:
    """A subject or object that names only a role ("the head of its AI lab", "Orion
    Cloud's chief product officer", "its founder"): the one person the article's entity
    table says holds it. None when no one or several people do."""
    if ctx.table is None or tok.tag_ in {"NNS", "NNPS"}:
        return []
    if tok.lower_ in _GENERIC_PERSON or _aged(tok):
        return _generic_holder(tok, ctx, offset)
    if not (tok.lower_ in ROLE_WORDS or tok.lemma_.lower() in ROLE_WORDS):
        return []
    words = subtree_skip(tok, {"relcl", "acl", "appos", "conj", "cc", "advcl"})
    if any(t.ent_type_ == "PERSON" for t in words):
        return []
    lows = {t.lower_ for t in words}
    if lows & (_INDEFINITE | _NOT_THE_HOLDER):
        return []
    orgs = _orgs_in(words)
    if not (orgs or _definite(words)):
        return []
    in_org = {i for o in orgs for i in range(o.start, o.end)}
    key = role_key([t.text for t in words if t.i not in in_org])
    found = {p.name for p in ctx.table.matching(key, orgs[0].text if orgs else None)}
    if not found and key & _ROLE_HEADS and (orgs or any(t.lower_ == "its" for t in words)):
        # "Apple's design chief is leaving. Jony Ive will ...": the person who opens the
        # next sentence, with no title of their own in the article.
        opener = ctx.table.opener_after(offset)
        found = {opener} if opener else found
    return [(found.pop(), True, tok)] if len(found) == 1 else []


def _definite(words: list[Token]) -> bool:
    """"the CFO", "its co-founder", "the company's chief": one known holder meant (the
    parser may split "co-founder" and leave "the" on the first part)."""
    if any(t.dep_ == "poss" or t.lower_ in {"the", "its"} for t in words):
        return True
    doc = words[0].doc
    k = min(t.i for t in words) - 1
    while k >= 0 and doc[k].lower_ in {"co", "-"}:
        k -= 1
    return k >= 0 and doc[k].lower_ in {"the", "its"}


# "The executive will leave the company", "the 52-year-old": the person just named.
_GENERIC_PERSON = {"executive", "exec", "veteran", "entrepreneur", "businessman",
                   "businesswoman"}


def _aged(tok: Token) -> bool:
    return tok.lower_ == "old" and "year" in {t.lower_ for t in tok.lefts}


def _generic_holder(tok: Token, ctx: Context, offset: int) -> list[tuple[str, bool, Token]]:
    """"the executive", "the industry veteran", "the 52-year-old": like a pronoun, the
    last person named before; only "the" with no other description."""
    if any(c.dep_ in {"relcl", "acl", "prep", "appos"} for c in tok.children):
        return []  # "the executive who ran its robotics unit": someone described anew
    words = [t for t in tok.subtree if t.i < tok.i]
    if not words or words[0].lower_ != "the" or not all(
            t.lower_ in {"industry", "tech", "-", "year"} or t.like_num for t in words[1:]):
        return []
    name = ctx.last_person(offset + char_at(tok))
    return [(name, True, tok)] if name else []


def _clause_subjects(pronoun: Token) -> set[str]:
    """"Jane Doe will replace him": a pronoun object is not the subject of its own verb
    ("X handed in his resignation": a possessive may be)."""
    if pronoun.dep_ not in {"dobj", "dative", "pobj"}:
        return set()
    verb = pronoun.head
    for _ in range(3):
        if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
            break
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    ent = _ent_of(subj) if subj is not None else None
    if ent is None or ent.label_ != "PERSON":
        return set()
    return {clean_person(ent.text)}
