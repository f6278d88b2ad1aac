"""Facade: raw page bytes in, an :class:`Article` out.

Pure and offline (no network, database or NLP) so the crawler can run it on every archived page
and re-run it when the extractor improves.  It never raises: whatever goes wrong becomes a
warning on a (possibly empty) article, because one odd page must not stop a crawl.

``Article.text`` separates blocks (paragraphs, headings, list items, table rows) with a blank
line ``"\\n\\n"``; a ``<br>`` inside a block is a single ``"\\n"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .body import extract_body
from .byline import authors_in_text, has_han
from .dates import find_date_beside, find_date_source
from .decode import decode_html_utf8
from .jsonld import without_surrogates
from .margins import margins, visible_text
from .metadata import find_authors, find_canonical, find_lang, find_title
from .page import read_page

__all__ = ["Article", "extract_article", "looks_binary", "MAX_BYTES"]

# Pages beyond this are cut: real articles are far smaller, and parsing 50 MB of generated
# markup costs seconds for no text worth having.
MAX_BYTES = 8_000_000

# Control bytes that text never holds (tab, newlines, form feed and ESC are allowed).
_BINARY_BYTES = bytes((*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)))


@dataclass
class Article:
    """What the NER stage and the register need from one page."""

    url: str | None  # canonical URL when the page names one (absolute), else the url given
    title: str | None
    published: str | None  # ISO date 'YYYY-MM-DD' or None
    authors: list[str] = field(default_factory=list)
    lang: str | None = None  # e.g. 'en', 'zh'
    encoding: str = "utf-8"
    text: str = ""  # blocks separated by "\n\n"; <br> inside a block is "\n"
    warnings: list[str] = field(default_factory=list)


def _looks_binary(data: bytes) -> bool:
    """Control bytes are rare in HTML and common in images, PDFs and archives."""
    head = data[:4096]
    if not head:
        return False
    if head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")):
        return True
    # UTF-16 text has many NULs but no other control bytes.
    if head.count(0) > len(head) * 0.2 and (head[0::2].count(0) < 4 or head[1::2].count(0) < 4):
        return False
    # bytes.translate deleting the control bytes counts them at C speed.
    control = len(head) - len(head.translate(None, _BINARY_BYTES))
    return control > len(head) * 0.05


looks_binary = _looks_binary  # for callers that refuse binary files up front


def _without_nul(html: str, markup: str | bytes) -> tuple[str, str | bytes]:
    """Text and parser input with NUL characters removed.

    Searched for in the UTF-8 bytes when there are some: a byte scan is much cheaper than a
    scan of non-ASCII text, and a UTF-8 NUL is the single byte 0, never part of another.
    """
    if isinstance(markup, bytes):
        if b"\x00" not in markup:
            return html, markup
        return html.replace("\x00", ""), markup.replace(b"\x00", b"")
    if "\x00" not in html:
        return html, html
    html = html.replace("\x00", "")
    return html, html


def extract_article(
    data: bytes | str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    article_selector: str | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Extract the article of one page.  Never raises; problems are listed in ``warnings``."""
    warnings: list[str] = []
    article = Article(url=url, title=None, published=None, warnings=warnings)
    try:
        _extract(data, article, content_type, article_selector, fetched_at)
    except RecursionError:
        warnings.append("document too deeply nested; extraction stopped")
    except Exception as err:  # noqa: BLE001 - the contract is: never raise
        warnings.append(f"extraction failed: {type(err).__name__}: {err}")
    return _valid_utf8(article)


def _valid_utf8(article: Article) -> Article:
    """Every string of the result encodes as UTF-8: SQLite, spaCy and JSON output all
    need it, and a page can smuggle lone surrogates in (JSON "\\ud800" escapes, text
    decoded with surrogateescape), so the output is the place to make sure."""
    article.url = without_surrogates(article.url) if article.url else article.url
    article.title = without_surrogates(article.title) if article.title else article.title
    article.published = (without_surrogates(article.published) if article.published
                         else article.published)
    article.lang = without_surrogates(article.lang) if article.lang else article.lang
    article.text = without_surrogates(article.text)
    article.authors = [without_surrogates(a) for a in article.authors]
    article.warnings[:] = [without_surrogates(w) for w in article.warnings]
    return article


MAX_UNCLOSED = 500
_CONTAINER_TAG = re.compile(r"<(/?)(?:div|table|span)\b", re.I)
_CONTAINER_TAG_BYTES = re.compile(rb"<(/?)(?:div|table|span)\b", re.I)


def _unclosed_containers(markup: str | bytes) -> int:
    """How many more container tags open than close (about 0.2 ms on a news page)."""
    if isinstance(markup, bytes):
        slashes = _CONTAINER_TAG_BYTES.findall(markup)
        return len(slashes) - 2 * sum(1 for s in slashes if s)
    slashes = _CONTAINER_TAG.findall(markup)
    return len(slashes) - 2 * sum(1 for s in slashes if s)


def _plain_text(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _extract(
    data: bytes | str,
    article: Article,
    content_type: str | None,
    article_selector: str | None,
    fetched_at: datetime | None,
) -> None:
    warnings = article.warnings
    if fetched_at is None:
        fetched_at = datetime.now(UTC)
    if data is None or len(data) == 0:
        warnings.append("empty document")
        return
    # The parser gets the page's own bytes when they are the UTF-8 of its text (most pages):
    # re-encoding the decoded text would cost as much as decoding it.
    markup: str | bytes
    if isinstance(data, str):
        html = data
        if len(html) > MAX_BYTES:
            html = html[:MAX_BYTES]
            warnings.append(f"document larger than {MAX_BYTES} characters; truncated")
        article.encoding = "utf-8"
        markup = html
    else:
        if _looks_binary(data):
            warnings.append("document looks binary, not HTML")
            return
        if len(data) > MAX_BYTES:
            data = data[:MAX_BYTES]
            warnings.append(f"document larger than {MAX_BYTES} bytes; truncated")
        decoded, utf8 = decode_html_utf8(data, content_type)
        html = decoded.text
        article.encoding = decoded.encoding
        markup = html if utf8 is None else utf8
    html, markup = _without_nul(html, markup)
    if not html.strip():
        warnings.append("document has no content")
        return

    page = read_page(markup, article.url)
    article.url = find_canonical(page)
    article.title = find_title(page)
    article.authors = find_authors(page)
    declared_lang = find_lang(page)
    article.published, date_source = find_date_source(
        page, fetched_at=fetched_at, lang=declared_lang
    )
    # Body extraction prunes the tree; keep the text a byline may be found in (bylines in
    # the text are a Chinese habit: other pages skip the copy).
    need_byline = date_source in ("text", "none") or (
        not article.authors and has_han(article.title or html[:4000]))
    page_text = visible_text(page) if need_byline else ""

    if _unclosed_containers(markup) > MAX_UNCLOSED:
        # Thousands of unclosed containers nest every paragraph inside the previous one,
        # and content scoring, which reads each candidate's whole text, turns quadratic.
        # Such a page is broken markup, not an article layout: keep its plain text.
        warnings.append("thousands of unclosed containers; plain text kept without scoring")
        body = page.tree.body
        article.text = _plain_text(body.text(separator="\n") if body is not None else "")
        article.lang = find_lang(page, article.text) if article.text else declared_lang
        return

    structured = page.jsonld.first("articleBody", include_pages=False)
    result = extract_body(
        page.tree,
        article_selector=article_selector,
        structured_body=structured if isinstance(structured, str) else None,
    )
    article.text = result.text
    warnings.extend(result.warnings)
    article.lang = find_lang(page, result.text) if result.text else declared_lang
    if page_text and result.text and date_source in ("text", "none"):
        around = margins(page_text, result.text)
        beside = find_date_beside(result.text, around, fetched_at=fetched_at, lang=declared_lang)
        article.published = beside or article.published
    if not article.authors and result.text:
        article.authors = authors_in_text(result.text, page_text)
    if not article.text:
        warnings.append("no article text found")
