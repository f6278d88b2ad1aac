"""Title, canonical URL, authors and language of a page.

Each field has several possible sources whose reliability differs by site; the order below
prefers what publishers write deliberately for machines (Open Graph, JSON-LD) over what the
layout happens to show, and cleans the usual decorations (site names, "By ", Twitter handles).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from .page import Page

__all__ = ["find_title", "find_canonical", "find_authors", "find_lang", "guess_lang"]

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»«/]\s+|\s*[|»«•]\s*|\s+::\s+|\s+-{2}\s+")
_SPACES = re.compile(r"\s+")


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = _SPACES.sub(" ", text).strip()
    return text or None


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _strip_site_name(title: str, site_names: list[str]) -> str:
    """Drop a leading or trailing site name ("Foo | Example News") and keep the headline."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    names = {_norm(n) for n in site_names if n and _norm(n)}
    kept = [p for p in parts if _norm(p) not in names and not any(
        n and (_norm(p) in n or n in _norm(p)) and len(_norm(p)) <= len(n) + 4 for n in names
    )]
    if kept and len(kept) < len(parts):
        # Rebuild from the original string so separators inside the headline survive.
        first, last = kept[0], kept[-1]
        start = title.find(first)
        end = title.rfind(last) + len(last)
        if 0 <= start < end:
            return title[start:end].strip()
    # No known site name: the last segment is the site name when it is short and the
    # rest is clearly the headline.
    if len(parts) >= 2 and len(parts[-1].split()) <= 3 and len(parts[0]) >= 2 * len(parts[-1]):
        cut = title.rfind(parts[-1])
        head = _TITLE_SEPARATORS.split(title[:cut])
        candidate = title[:cut].rstrip(" |-–—:·•»«/")
        if head and candidate.strip():
            return candidate.strip()
    return title


def _site_names(page: Page) -> list[str]:
    names = [page.meta_first("og:site_name"), page.meta_first("application-name")]
    publisher = page.jsonld.first("publisher")
    if isinstance(publisher, dict):
        names.append(publisher.get("name") if isinstance(publisher.get("name"), str) else None)
    if page.url:
        host = urlsplit(page.url).hostname or ""
        parts = host.split(".")
        if parts and parts[0] == "www":
            parts = parts[1:]
        if parts:
            names.append(".".join(parts))
            names.append(parts[0])
    return [n for n in names if n]


def find_title(page: Page) -> str | None:
    """Headline without the site name."""
    candidates: list[str | None] = [
        page.meta_first("og:title"),
        page.jsonld.first("headline", include_pages=False),
        page.meta_first("twitter:title"),
    ]
    h1 = page.tree.css_first("h1")
    h1_text = _clean(h1.text(deep=True, separator=" ")) if h1 is not None else None
    candidates += [h1_text, page.title_tag, page.meta_first("title", "dc.title")]
    names = _site_names(page)
    for raw in candidates:
        if isinstance(raw, str):
            text = _clean(raw)
            if text and len(text) >= 3:
                return _strip_site_name(text, names)
    return None


def find_canonical(page: Page) -> str | None:
    """Absolute canonical URL (link rel=canonical, then og:url), else the fetch URL."""
    for raw in (page.canonical, page.meta_first("og:url")):
        if not raw:
            continue
        absolute = urljoin(page.url, raw) if page.url else raw
        if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).netloc:
            return absolute
    return page.url


_BY = re.compile(r"^\s*(?:by|von|par|por|di|door|av|af|przez|от|автор[:]?|作者[:：]?)\s+", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&|、|/)\s*", re.I)
_NOT_A_NAME = re.compile(r"https?://|www\.|@|\.com\b|^\d+$", re.I)


def _names_from(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [n for n in name if isinstance(n, str)]
        return []
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_names_from(item))
        return out
    return []


def _clean_authors(raw: list[str]) -> list[str]:
    result: list[str] = []
    seen: set[str] = set()
    for item in raw:
        item = _clean(item) or ""
        item = _BY.sub("", item)
        for name in _AUTHOR_SPLIT.split(item):
            name = name.strip(" .,:;|-–—")
            if not name or len(name) > 60 or len(name) < 2 or _NOT_A_NAME.search(name):
                continue
            key = name.lower()
            if key not in seen:
                seen.add(key)
                result.append(name)
    return result[:10]


_BYLINE_SELECTORS = ('[itemprop="author"] [itemprop="name"]', '[itemprop="author"]',
                     'a[rel="author"]', '[rel="author"]', ".byline .author", ".author-name",
                     ".byline")


def find_authors(page: Page) -> list[str]:
    """Author names from JSON-LD, meta tags, then byline markup."""
    for obj in page.jsonld.articles:
        names = _clean_authors(_names_from(obj.get("author")))
        if names:
            return names
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "dcterms.creator", "byl", "citation_author", "og:article:author"):
        values = page.meta.get(key)
        if values:
            names = _clean_authors(values)
            if names:
                return names
    # Every selector below needs one of these elements, so one walk rules out most pages.
    if page.tree.css_first('[itemprop="author"], [rel="author"], .byline, .author-name') is None:
        return []
    for selector in _BYLINE_SELECTORS:
        nodes = page.tree.css(selector)
        if nodes:
            texts = [n.text(deep=True, separator=" ") for n in nodes[:5]]
            names = _clean_authors([t for t in texts if len(t) < 120])
            if names:
                return names
    return []


_LANG_CODE = re.compile(r"^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})?$")

_STOPWORDS = {
    "en": "the and of to in is that for with on was as are by this from it be has have",
    "de": "der die und das ist nicht mit den von sich auf für ein eine dem zu im auch",
    "fr": "le la les et des est un une du dans pour que qui sur pas par au avec",
    "es": "el la los las y de que en un una por con para es del se al",
    "it": "il la di che e un una per non con del della sono nel alla gli",
    "pt": "o a os as e de que um uma do da em para com não no na",
    "nl": "de het een en van is dat op te in niet zijn met voor ook",
    "pl": "i w na nie się z do że to jest o jak po przez",
    "tr": "ve bir bu da de için ile olarak çok daha gibi",
    "sv": "och att det som en är på för med av den inte har",
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan",
}
_STOPSETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")


# Character classes are matched as runs ("+") and the run lengths summed: a list of a few
# hundred words is far cheaper to build than a list of thousands of single characters.
_SCRIPTS = (
    ("kana", re.compile(r"[\u3040-\u30ff]+")),
    ("han", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")),
    ("hangul", re.compile(r"[\uac00-\ud7af]+")),
    ("cyr", re.compile(r"[\u0400-\u04ff]+")),
    ("arab", re.compile(r"[\u0600-\u06ff]+")),
    ("greek", re.compile(r"[\u0370-\u03ff]+")),
    ("hebrew", re.compile(r"[\u0590-\u05ff]+")),
    ("thai", re.compile(r"[\u0e00-\u0e7f]+")),
    ("devanagari", re.compile(r"[\u0900-\u097f]+")),
)
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f\u00a0-\u00bf]+")
_SIMPLE_SCRIPT_LANG = {"hangul": "ko", "arab": "ar", "greek": "el", "hebrew": "he", "thai": "th",
                       "devanagari": "hi"}


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Characters of ``text`` matched by the run pattern ``pattern``."""
    return sum(map(len, pattern.findall(text)))


def text_script(sample: str) -> str:
    """Dominant writing system of ``sample`` ('latin', 'han', 'cyr', ...)."""
    if sample.isascii():
        return "latin"
    non_latin = _count(_NON_LATIN, sample)
    if non_latin == 0:
        return "latin"  # accents and typographic quotes only
    latin = _count(_LATIN_LETTER, sample)
    if non_latin < latin * 0.5:
        return "latin"
    # The scripts are disjoint parts of the non-Latin characters, so counting can stop once
    # the leader has at least what is left: no later script can overtake it.
    counts: dict[str, int] = {}
    script, best, left = "latin", 0, non_latin
    for name, pattern in _SCRIPTS:
        if best and best >= left:
            break
        counts[name] = found = _count(pattern, sample)
        left -= found
        if found > best:
            script, best = name, found
    if best == 0:
        return "latin"
    if script in ("han", "kana"):
        kana = counts["kana"]  # kana is counted first, so han is counted whenever it leads
        han = counts.get("han", 0)
        return "kana" if kana > 0.1 * (han + kana) else "han"
    return script


def guess_lang(text: str) -> str | None:
    """Cheap language guess from script, then stop words; good enough to tag a news page."""
    sample = text[:3000]
    if not sample.strip():
        return None
    script = text_script(sample)
    if script == "han":
        return "zh"
    if script == "kana":
        return "ja"
    if script in _SIMPLE_SCRIPT_LANG:
        return _SIMPLE_SCRIPT_LANG[script]
    if script == "cyr":
        return "uk" if re.search(r"[іїєґ]", sample) else "ru"
    words = [w.lower() for w in _WORD.findall(sample[:1500])]
    if not words:
        return None
    scores = {lang: sum(1 for w in words if w in stops) for lang, stops in _STOPSETS.items()}
    lang = max(scores, key=lambda k: scores[k])
    return lang if scores[lang] >= 3 else None


def _normalize_lang(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip().split(",")[0].strip()
    if not _LANG_CODE.match(raw):
        return None
    return raw.replace("_", "-").split("-")[0].lower()


def find_lang(page: Page, body_text: str = "") -> str | None:
    """Declared language (html lang, content-language, og:locale, JSON-LD), else a guess."""
    declared = [
        page.html_lang,
        page.meta_first("content-language", "language", "dc.language"),
        page.meta_first("og:locale"),
    ]
    in_language = page.jsonld.first("inLanguage")
    if isinstance(in_language, str):
        declared.append(in_language)
    for raw in declared:
        lang = _normalize_lang(raw)
        if lang:
            if body_text:
                # A template language tag that contradicts the script of the text is a
                # leftover from the CMS default (Chinese pages tagged lang="en" are common).
                script = text_script(body_text[:3000])
                expected = _SCRIPT_OF_LANG.get(lang, "latin")
                if script != expected and not (script == "han" and expected == "kana"):
                    return guess_lang(body_text) or lang
            return lang
    return guess_lang(body_text) if body_text else None


_SCRIPT_OF_LANG = {
    "zh": "han", "ja": "kana", "ko": "hangul", "ru": "cyr", "uk": "cyr", "bg": "cyr",
    "sr": "cyr", "mk": "cyr", "be": "cyr", "kk": "cyr", "ky": "cyr", "mn": "cyr", "tg": "cyr",
    "ar": "arab", "fa": "arab", "ur": "arab", "ps": "arab", "ku": "arab", "el": "greek",
    "he": "hebrew", "yi": "hebrew", "th": "thai", "hi": "devanagari", "mr": "devanagari",
    "ne": "devanagari",
}
