"""The page text just above and just below the extracted article.

Bylines and publication dates are often left out of the extracted block (they sit in a
table cell above it, or a blog post's footer below it) yet are the best evidence for
both. The extracted text is whitespace-normalised, so it is found in the page's raw text
by its characters, whatever the whitespace between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .page import Page

__all__ = ["Margins", "margins", "visible_text"]

MAX_TEXT = 500_000
ABOVE = 400  # a byline sits within a few lines above the text
BELOW = 300  # ... or, on blogs and portals, just below it


@dataclass(frozen=True)
class Margins:
    above: str = ""
    below: str = ""


def visible_text(page: Page) -> str:
    """The page's text; take it before body extraction, which prunes the tree."""
    if page.text_cache is None:
        body = page.tree.body
        page.text_cache = body.text(deep=True, separator=" ")[:MAX_TEXT] if body is not None else ""
    return page.text_cache


def margins(text: str, body_text: str) -> Margins:
    """The ``ABOVE`` characters of ``text`` before ``body_text`` and ``BELOW`` after it."""
    first = _locate(text, body_text.lstrip()[:80])
    if first is None:
        return Margins()
    above = text[max(0, first.start() - ABOVE) : first.start()]
    # The text's closing words may recur in it, and the page goes on after it: look in a
    # span no longer than the text could be.
    span = text[first.start() : first.start() + 2 * len(body_text) + 1000]
    last = _locate(span, body_text.rstrip()[-16:].lstrip(), last=True)
    if last is None:
        return Margins(above=above)
    end = first.start() + last.end()
    return Margins(above=above, below=text[end : end + BELOW])


def _locate(text: str, snippet: str, *, last: bool = False) -> re.Match[str] | None:
    chars = [c for c in snippet if not c.isspace()][:16]
    if len(chars) < 6:
        return None
    pattern = re.compile(r"\s*".join(map(re.escape, chars)))
    if not last:
        return pattern.search(text)
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found
