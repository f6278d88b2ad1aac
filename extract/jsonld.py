"""Structured data (schema.org JSON-LD) read once per page and shared by body, date and metadata.

Publishers fill JSON-LD for search engines, so when it is present it is usually the most
reliable source of the headline, dates and authors.  It is also frequently malformed (trailing
commas, raw newlines inside strings, several objects glued together), so parsing is lenient and
never raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["StructuredData", "read_jsonld", "ARTICLE_TYPES", "without_surrogates", "scrub_json"]

ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "LiveBlogPosting",
        "TechArticle",
        "ScholarlyArticle",
        "SocialMediaPosting",
        "DiscussionForumPosting",
        "Report",
        "Review",
        "Blog",
        "PressRelease",
        "SatiricalArticle",
        "MedicalScholarlyArticle",
    )
)
_PAGE_TYPES = frozenset(("webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage"))

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# JSON may escape lone UTF-16 surrogates ("\ud800"); Python keeps them in str, and such a
# str cannot be encoded as UTF-8, so SQLite, spaCy and stdout all refuse it.
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f]")


@dataclass
class StructuredData:
    """The schema.org objects of a page, article-like ones first."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    others: list[dict[str, Any]] = field(default_factory=list)

    def first(self, key: str, *, include_pages: bool = True) -> Any:
        """First non-empty value of ``key`` in article objects, then page objects."""
        groups = (self.articles, self.pages) if include_pages else (self.articles,)
        for group in groups:
            for obj in group:
                value = obj.get(key)
                if value:
                    return value
        return None


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower().rsplit("/", 1)[-1]}
    if isinstance(t, list):
        return {x.lower().rsplit("/", 1)[-1] for x in t if isinstance(x, str)}
    return set()


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)
        main = value.get("mainEntity") or value.get("mainEntityOfPage")
        if isinstance(main, dict) and "@type" in main:
            yield from _walk(main, depth + 1)


_DECODER = json.JSONDecoder(strict=False)


def _decode_all(raw: str) -> list[Any]:
    """Every JSON value in ``raw``, in order; stops at the first one that does not parse.

    Handles several objects glued together and trailing garbage (an extra ``}`` is common).
    """
    values: list[Any] = []
    pos, end = 0, len(raw)
    while pos < end:
        while pos < end and raw[pos] in " \t\r\n,;":
            pos += 1
        if pos >= end:
            break
        try:
            value, pos = _DECODER.raw_decode(raw, pos)
        except (ValueError, RecursionError):  # junk, or nesting deep enough to be hostile
            break
        values.append(value)
    return values


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (valid UTF-8 from here on)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def scrub_json(value: Any) -> Any:
    """Replace lone surrogates in every string of a decoded JSON value, keys included.

    Iterative: a hostile document can nest as deep as the decoder allows.
    """
    if isinstance(value, str):
        return without_surrogates(value)
    if not isinstance(value, dict | list):
        return value
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, str):
                    node[i] = without_surrogates(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
        else:
            for key in list(node):
                item = node[key]
                if isinstance(item, str):
                    item = without_surrogates(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
                clean = without_surrogates(key) if isinstance(key, str) else key
                if clean != key:
                    del node[key]
                node[clean] = item
    return value


def _loads(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.strip()
    values = _decode_all(raw)
    if not values:
        values = _decode_all(_TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", raw)))
    if not values:
        return None
    if "\\u" in raw or _SURROGATE.search(raw):
        values = [scrub_json(v) for v in values]
    return values[0] if len(values) == 1 else values


def read_jsonld(scripts: list[str]) -> StructuredData:
    """Parse the text of every ``application/ld+json`` script of a page."""
    data = StructuredData()
    for raw in scripts:
        if not raw or len(raw) > 2_000_000:
            continue
        parsed = _loads(raw)
        if parsed is None:
            continue
        for obj in _walk(parsed):
            kinds = _types(obj)
            if kinds & ARTICLE_TYPES:
                data.articles.append(obj)
            elif kinds & _PAGE_TYPES:
                data.pages.append(obj)
            else:
                data.others.append(obj)
    return data
