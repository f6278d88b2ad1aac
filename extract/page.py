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
    # The visible text, read once (date and byline steps both need it) and before the
    # body extractor prunes the tree.
    text_cache: str | None = field(default=None, repr=False)

    def meta_first(self, *keys: str) -> str | None:
        """First non-empty content among the meta ``keys``, in the order given."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value and value.strip():
                    return value.strip()
        return None


def read_page(html: str | bytes, url: str | None = None) -> Page:
    """Parse ``html`` (text or UTF-8 bytes); collect meta, JSON-LD, lang, canonical and title.

    Elements are found by tag name, which Lexbor does in C without the CSS engine (a
    selector list costs a DOM walk per selector).
    """
    tree = LexborHTMLParser(html)
    page = Page(tree=tree, url=url)
    meta: dict[str, list[str]] = {}
    for node in tree.tags("meta"):
        _add_meta(meta, node.attributes)
    scripts = [
        node.text(deep=True)
        for node in tree.tags("script")
        if "ld+json" in (node.attributes.get("type") or "").lower()
    ]
    for node in tree.tags("link"):
        page.canonical = _canonical_href(node.attributes)
        if page.canonical is not None:
            break
    titles = tree.tags("title")
    if titles:
        page.title_tag = titles[0].text(deep=True).strip() or None
    page.meta = meta
    page.jsonld = read_jsonld(scripts)
    root = tree.root
    if root is not None and root.tag == "html":
        page.html_lang = root.attributes.get("lang") or root.attributes.get("xml:lang")
    return page


_META_KEYS = ("property", "name", "itemprop", "http-equiv")


def _add_meta(meta: dict[str, list[str]], attrs: dict[str, str | None]) -> None:
    """File a meta tag's content under each of its lower-cased key attributes."""
    content = attrs.get("content")
    if content is None:
        content = attrs.get("value") or attrs.get("datetime")
    if content is None:
        return
    for key_attr in _META_KEYS:
        key = attrs.get(key_attr)
        if key:
            meta.setdefault(key.strip().lower(), []).append(content)


def _canonical_href(attrs: dict[str, str | None]) -> str | None:
    """The href of a ``<link rel=canonical>``, or None for any other link."""
    if "canonical" not in (attrs.get("rel") or "").lower().split():
        return None
    href = attrs.get("href")
    return href.strip() if href and href.strip() else None
