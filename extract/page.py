"""The parsed page and the head-level facts every extractor needs, gathered in one pass.

Meta tags are read once into a dict keyed by lower-cased ``name``/``property``/``itemprop``/
``http-equiv`` so the date, title, author and language extractors do not each walk the DOM.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from .jsonld import StructuredData, read_jsonld

__all__ = ["Page", "read_page"]


@dataclass
class Page:
    """A parsed page: the DOM plus the metadata gathered before the body extractor mutates it."""

    tree: LexborHTMLParser
    url: str | None
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: StructuredData = field(default_factory=StructuredData)
    html_lang: str | None = None
    canonical: str | None = None
    title_tag: str | None = None

    def meta_first(self, *keys: str) -> str | None:
        """First non-empty content among the meta ``keys``, in the order given."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value and value.strip():
                    return value.strip()
        return None


def read_page(html: str, url: str | None = None) -> Page:
    """Parse ``html`` and collect meta tags, JSON-LD, ``<html lang>``, canonical and title."""
    tree = LexborHTMLParser(html)
    page = Page(tree=tree, url=url)
    meta: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if content is None:
            content = attrs.get("value") or attrs.get("datetime")
        if content is None:
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(key_attr)
            if key:
                meta.setdefault(key.strip().lower(), []).append(content)
    page.meta = meta

    scripts = []
    for node in tree.css("script[type]"):
        kind = (node.attributes.get("type") or "").lower()
        if "ld+json" in kind:
            scripts.append(node.text(deep=True))
    page.jsonld = read_jsonld(scripts)

    root = tree.root
    if root is not None and root.tag == "html":
        page.html_lang = root.attributes.get("lang") or root.attributes.get("xml:lang")
    for node in tree.css("link[rel]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rel:
            href = node.attributes.get("href")
            if href and href.strip():
                page.canonical = href.strip()
                break
    title = tree.css_first("title")
    if title is not None:
        page.title_tag = title.text(deep=True).strip() or None
    return page
