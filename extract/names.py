"""Name normalisation for people and organisations.

Storage deduplicates on ``person_key``/``company_key`` and the bench (and later the
deduplicator) compares names with ``same_person``/``same_company``. The same person is
written "Fu Ruiji" by one outlet and "Ruiji Fu" by another, and "Mr Fu" in the next
paragraph; the same company is "Alibaba Group Holding", "Alibaba" or "Alibaba Cloud".
These functions are pure and cheap so they can run on every stored row.
"""

from __future__ import annotations

import re
import unicodedata

from extract.aliases import han_core, has_han, romanise_company, romanise_person

# Honorifics and generational suffixes carry no identity.
_PERSON_NOISE = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord",
    "lady", "jr", "sr", "ii", "iii", "iv", "phd",
}

# Legal-form words: dropped both from keys and before building acronyms.
LEGAL_SUFFIXES = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "ltd", "limited",
    "llc", "lp", "llp", "plc", "ag", "sa", "se", "nv", "bv", "gmbh", "ab", "spa", "kk",
    "pte", "pty", "na", "the", "and", "of",
}

# Group-structure and sector words: "Alibaba Group Holding", "Kuaishou Technology",
# "Alibaba Cloud" and "Meta Platforms" all name the same organisation as their first word.
GENERIC_SUFFIXES = {
    "group", "holding", "holdings", "technology", "technologies", "tech", "international",
    "intl", "platforms", "platform", "cloud", "global", "worldwide", "enterprises",
    "industries", "systems", "labs", "lab", "com", "network", "networks", "software",
    "services", "china", "usa", "us", "hk", "unit", "subsidiary", "division", "parent",
    "affiliate", "arm", "its", "a", "an", "s",
}

_PAREN = re.compile(r"\(([^()]*)\)")
_RELATION = re.compile(
    r"^\s*(?:a\s+|the\s+|its\s+)?(?:wholly[- ]owned\s+)?(?:subsidiary|unit|division|arm|"
    r"parent|part|affiliate)\s+(?:of\s+)?|^\s*and\s+(?:its\s+)?",
    re.I,
)


def _ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    text = _ascii_fold(text).replace("’", "'").replace("`", "'")
    text = re.sub(r"'s\b|'\B", " ", text)
    text = text.replace("&", " and ")
    return [w for w in re.split(r"[^0-9a-zA-Z\-]+", text.lower()) if w.strip("-")]


def _person_tokens(name: str) -> list[str]:
    """Lower-case name tokens without honorifics or initials.

    Hyphens inside a token are dropped so that "Hong-xia" and "Hongxia" agree; single
    letters are initials, which outlets add or drop at will ("John M. Henske").
    A name in Han characters is read as its pinyin (杨红霞 -> "Yang Hongxia").
    """
    if has_han(name):
        name = romanise_person(name)
    out = []
    for word in _words(name):
        word = word.replace("-", "")
        if len(word) <= 1 or word in _PERSON_NOISE:
            continue
        out.append(word)
    return out


def person_key(name: str) -> str:
    """Order-free key: "Yang Hongxia" and "Hongxia Yang" give the same key."""
    return " ".join(sorted(set(_person_tokens(name))))


def same_person(a: str, b: str) -> bool:
    """Token sets agree in either order; a surname alone matches the full name."""
    ta, tb = set(_person_tokens(a)), set(_person_tokens(b))
    if not ta or not tb:
        return False
    return ta <= tb or tb <= ta


def _company_variants(name: str) -> list[str]:
    """The main name plus any parenthesised parent or alias ("Twitch (Amazon)").

    A name in Han characters is first mapped to its English name (字节跳动 -> ByteDance)
    or its pinyin, so both languages give one key."""
    name = name.replace("（", "(").replace("）", ")")
    variants = []
    main = _PAREN.sub(" ", name).strip()
    if main:
        variants.append(main)
    for inner in _PAREN.findall(name):
        for part in re.split(r"[;,；，、]|\band\s+its\b", inner):
            part = _RELATION.sub("", part).strip()
            if part:
                variants.append(part)
    return [romanise_company(v) if has_han(v) else v for v in variants]


def _han_contained(a: str, b: str) -> bool:
    """Two Chinese names of one company: one core inside the other once legal and sector
    words are gone (美谷科技股份有限公司 and 奥园美谷科技股份有限公司)."""
    if not (has_han(a) and has_han(b)):
        return False
    ca, cb = han_core(_PAREN.sub("", a)), han_core(_PAREN.sub("", b))
    short, long_ = sorted((ca, cb), key=len)
    return len(short) >= 2 and has_han(short) and short in long_


def _company_words(name: str, drop_generic: bool = True) -> list[str]:
    words = []
    for word in _words(name):
        word = word.strip("-")
        if word in LEGAL_SUFFIXES or (drop_generic and word in GENERIC_SUFFIXES):
            continue
        words.append(word)
    if not words and drop_generic:
        return _company_words(name, drop_generic=False)
    return words


def _acronym(name: str) -> str:
    words = [w for w in _words(name) if w not in LEGAL_SUFFIXES]
    return "".join(w[0] for w in words if w)


def company_key(name: str) -> str:
    """Key of the main name: legal forms and group words dropped, lower-case.

    Group and sector words go too, so "Alibaba Cloud" and "Alibaba Group Holding" fold
    into "alibaba"; a parenthesised parent is not part of the key.
    """
    variants = _company_variants(name)
    if not variants:
        return ""
    words = _company_words(variants[0])
    return " ".join(words)


def _words_match(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return False
    sa, sb = set(a), set(b)
    return sa <= sb or sb <= sa


def same_company(a: str, b: str) -> bool:
    """Suffixes dropped, then one name's words inside the other's, or an acronym; two
    Chinese names when one's core is inside the other's."""
    if _han_contained(a, b):
        return True
    for va in _company_variants(a):
        for vb in _company_variants(b):
            wa, wb = _company_words(va), _company_words(vb)
            if _words_match(wa, wb):
                return True
            ra, rb = _words(va), _words(vb)
            if len(ra) == 1 and len(ra[0]) >= 2 and ra[0] == _acronym(vb):
                return True
            if len(rb) == 1 and len(rb[0]) >= 2 and rb[0] == _acronym(va):
                return True
    return False
