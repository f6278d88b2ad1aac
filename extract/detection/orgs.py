"""Argument finders for the organisation a person left.

In order of trust: the organisation the trigger names ("resigned from X"), the person's
own title ("X's CFO"), the organisation reporting it ("X said ..."), another one in the
sentence, then the last one named in the article. Also the parents of units ("its
Xiaoxiang unit" is Meituan's) and the organisation someone was hired by.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from extract.detection.context import Context
from extract.detection.tokens import (
    _ent_of,
    _is_org_ent,
    _lemma,
    _named_unit,
    _namelike,
    _org_name,
    _orgs_in,
    _without_by,
    subtree_skip,
)
from extract.detection.vocabulary import (
    _CAUSE_PREPS,
    _COMPANY_ENDINGS,
    _GROUP_PART,
    _HIRE_LEMMAS,
    _INSTITUTION_NOUNS,
    _PRODUCT_HEADS,
    _SAY_LEMMAS,
    _UNIT_NOUNS,
    FORMER_WORDS,
    MOVE_LEMMAS,
    POSITION_NOUNS,
    REPLACE_LEMMAS,
)
from extract.gazetteer import COMPANY_NOUNS, OUTLETS, ROLE_WORDS
from extract.names import same_company


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


def _product_descriptor(noun: Token, org: Span) -> bool:
    """"the ChatGPT maker": a company described by its product, which the model often
    tags as an organisation; the company meant is the one named before."""
    return (noun.lower_ in _PRODUCT_HEADS and org.root.head.i == noun.i
            and org.root.dep_ == "compound"
            and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children))


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


def _resolve_org(trigger: Token, anchor: Token, dest_toks: list[Token], ctx: Context,
                 offset: int, explicit: Token | None) -> tuple[str | None, float]:
    """The organisation left, with a confidence penalty for indirect resolution: the one
    the trigger names, the person's own title, the reporting organisation, the sentence,
    then the article."""
    dest_ids = {t.i for t in dest_toks}
    name, kind = _stated_org(trigger, explicit)
    if name or kind == "nonorg":
        return name, 0.0
    found = _descriptor_org(anchor, dest_ids, ctx, offset) or \
        _reporter_org(trigger, dest_ids, ctx)
    if found:
        return found
    return _sentence_org(trigger, anchor, dest_ids, ctx, offset, kind)


def _stated_org(trigger: Token, explicit: Token | None) -> tuple[str | None, str]:
    """The organisation the trigger names: its object, "from X", "as CEO of X"."""
    kind = "none"
    if explicit is not None:
        name, kind = _org_from_np(explicit)
        if name or kind == "nonorg":
            return name, kind
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "as", "of", "at", "with"}:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                name, pkind = _org_from_np(pobj)
                if name:
                    return name, pkind
                if pkind == "refer" and child.lower_ == "from":
                    kind = "refer"  # "resigned from the bank": one named before
    return None, kind


def _descriptor_org(anchor: Token, dest_ids: set[int], ctx: Context,
                    offset: int) -> tuple[str, float] | None:
    """The organisation of the person's title or apposition ("Y's CFO X")."""
    desc = [t for t in _descriptor_tokens(anchor) if t.i not in dest_ids]
    orgs = [o for o in _orgs_in(desc) if not _incidental(o)]
    # "Baidu COO and former Microsoft executive Qi Lu will step down": the current post.
    orgs = [o for o in orgs if not _in_former_title(o)] or orgs
    return (_with_parent(orgs[0], ctx, offset), 0.02) if orgs else None


def _reporter_org(trigger: Token, dest_ids: set[int], ctx: Context) -> tuple[str, float] | None:
    """"X Corp said ...": the reporting organisation."""
    for tok in trigger.doc:
        if tok.lemma_.lower() not in _SAY_LEMMAS or tok.pos_ != "VERB":
            continue
        for child in (c for c in tok.children if c.dep_ == "nsubj"):
            found = _orgs_in(subtree_skip(child, {"relcl", "acl"}))
            # "Tencent-backed game studio Moonforge said": the subject itself.
            own = [o for o in found if o.start <= child.i < o.end]
            found = own or found
            if found and found[0].start not in dest_ids and not _incidental(found[0]):
                return _org_name(found[0]), 0.05
            if not found and child.lower_ in {"company", "it"} and \
                    trigger.lemma_.lower() in REPLACE_LEMMAS and ctx.orgs:
                # "The company said Niglio replaces DeSanctis": wire copy's "the company"
                # is the one the story opened with.
                return ctx.orgs[0].text, 0.1
    return None


def _sentence_org(trigger: Token, anchor: Token, dest_ids: set[int], ctx: Context,
                  offset: int, kind: str) -> tuple[str | None, float]:
    """An organisation named elsewhere in the sentence, else the article's last one."""
    doc = trigger.doc
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
    if _rival(root):
        return True
    if ent.text.lower().removesuffix("'s") in OUTLETS:
        return True  # "(Reuters) -", "a note shared with Reuters", "on his Weibo account"
    return root.dep_ == "compound" and head.lemma_.lower() in {"post", "memo", "statement",
                                                                "report", "interview"}


_RIVAL_NOUNS = {"rival", "competitor", "challenger", "peer", "upstart"}


def _rival(root: Token) -> bool:
    """"the ascent of rivals including Corvane", "rivals such as Corvane": competitors the
    story compares with, not the company the person left ("the Xiaomi rival Yunmi" still
    names Yunmi: the rival is the story's company there)."""
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "rivals including Corvane and Halden": each of them
    head = root.head
    if root.dep_ != "pobj":
        return False
    if head.lower_ == "as" and head.head.lower_ == "such":
        head = head.head
    if head.lower_ not in {"including", "like", "such"}:
        return False
    return head.head.lemma_.lower() in _RIVAL_NOUNS


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


def _hiring_org(doc: Doc, exclude: str) -> str | None:
    for tok in doc:
        if _lemma(tok) in MOVE_LEMMAS and tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ in {"nsubj", "dobj"} or child.dep_ == "prep":
                    for org in _orgs_in(list(child.subtree)):
                        if not same_company(org.text, exclude):
                            return org.text
    return None


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
