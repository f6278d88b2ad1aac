"""Main-content (article body) extraction on a selectolax/Lexbor DOM.

The approach is the classic one (clean, score, pick, serialise) tuned for news pages:

1. Remove what is never article text: scripts, styles, forms, navigation, and elements whose
   class/id names a boilerplate widget (comments, share bars, related links, cookie notices...).
   A node holding a large share of the paragraph text is only set aside, because themes
   put words like "sidebar" on the main wrapper ("content-with-sidebar") while a real
   sidebar can also outweigh a short article; once the best block is known, set-aside nodes
   that neither contain it nor dominate it are removed.
2. Score paragraphs by length and punctuation; credit their containers, decaying with
   distance, and penalise link-heavy containers (menus, link lists).
3. Take the best container plus siblings that look like continuation of the article, or
   the nearby common ancestor when the article is split into several equal chunks.
4. A JSON-LD ``articleBody`` replaces the DOM text only when clearly more complete.
5. Serialise block by block so paragraph breaks survive, dropping link-dominated and
   well-known boilerplate lines.

Output format: blocks (paragraphs, headings, list items, table rows) are separated by a blank
line ``"\\n\\n"``; a ``<br>`` inside a block becomes a single ``"\\n"``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["extract_body", "BodyResult", "node_text_blocks"]

_REMOVE_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "button",
    "select",
    "input",
    "textarea",
    "link",
    "meta",
    "video",
    "audio",
    "map",
    "dialog",
]
# Structural tags that hold site chrome; removed unless they hold most of the page's text.
_CHROME_SELECTOR = (
    "nav, footer, aside, figcaption, menu, header, form, [hidden], [aria-hidden=true]"
)

# Class/id words of boilerplate widgets.  A class string matches when one of its
# "-"/"_"-separated words (or two/three adjacent words joined by "-") is listed.
_BOILER_WORDS = frozenset(
    """
    comment comments commentlist comment-list disqus share sharing sharer social socials
    related relatedposts recommend recommended recirc newsletter subscribe subscription signup
    sign-up cookie cookies consent gdpr promo promotion ad ads advert adverts advertisement
    advertising adsense adslot ad-slot dfp gpt sponsor sponsored sidebar side-bar breadcrumb
    breadcrumbs navbar navigation nav menu footer masthead banner popup modal overlay widget
    widgets tags tag-list tagcloud taglist author-bio authorbio bio byline dateline paywall
    outbrain taboola zergnet pagination pager toolbar tools print caption credit credits
    most-popular mostpopular popular trending read-more readmore more-stories also-read skip
    hidden sr-only visually-hidden screen-reader-text inline-related rail right-rail
    newsletter-signup subscribe-box follow author-info about-author post-meta entry-meta
    article-meta meta timestamp login carousel slideshow gallery video player jwplayer embed
    callout teaser teasers next-article prev-next post-navigation nextprev copyright
    disclaimer announcement alert notification top-stories latest headlines more-from partner
    partners affiliate donate membership hide print-only noprint icon icons logo photo
    photos captions figure wp-caption
    """.split()
)
_LABEL_SPLIT = re.compile(r"[\s_-]+")
_EMBED = re.compile(r"embed|tweet|video|social|media", re.I)
_CAMEL = re.compile(r"([a-z])([A-Z])")
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|"
    r"news|detail|single|prose|rich|markdown|wysiwyg",
    re.I,
)
_NEGATIVE = re.compile(
    r"comment|combx|contact|foot|footnote|masthead|media|meta|outbrain|promo|related|scroll|"
    r"share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|nav|menu|rail|"
    r"teaser|card|list",
    re.I,
)
_PROTECTED_TAGS = frozenset(("html", "body", "main", "article"))

_BLOCK_TAGS = frozenset(
    (
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tr",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "figure",
        "header",
        "address",
        "hr",
        "center",
        "details",
        "summary",
        "body",
        "html",
        "fieldset",
        "text",
    )
)
_SKIP_TAGS = frozenset(_REMOVE_TAGS) | frozenset(("head", "title", "style", "script"))
_CELL_TAGS = frozenset(("td", "th"))
_DIV_LIKE = frozenset(("div", "section", "article", "font", "span", "text"))
_SIBLING_PARAS = frozenset(("p", "div", "section", "blockquote", "pre", "font", "span"))

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_COMMA_MARKS = ",，、;；。"

_BOILER_LINE = re.compile(
    r"^(?:advertisement|advertising|anzeige|publicidad|publicité|reklama|sponsored|"
    r"share|share this|share this article|share on \w+|tweet|email|print|"
    r"read more|read more:?|related|related articles|related stories|more:|see also|"
    r"click here.*|sign up.*|subscribe.*|follow us.*|image:.*|photo:.*|getty images|"
    r"\(?ap photo.*|loading\.*|continue reading.*|scroll to continue.*|skip to .*|"
    r"back to top|top|comments?|\d+ comments?|leave a comment|all rights reserved.*)$",
    re.I,
)


@dataclass
class BodyResult:
    """Body text plus how it was found, so the facade can report weak extractions."""

    text: str
    method: str
    warnings: list[str]


@dataclass
class _Block:
    text: str
    link_chars: int
    tag: str


@lru_cache(maxsize=32768)
def _is_boiler(label: str) -> bool:
    # Class strings repeat heavily within and across pages of a site; caching the regex
    # verdict removes most of the cleaning cost.
    words = [w for w in _LABEL_SPLIT.split(_CAMEL.sub(r"\1 \2", label).lower()) if w]
    if not _BOILER_WORDS.isdisjoint(words):
        return True
    for i in range(len(words) - 1):
        if words[i] + "-" + words[i + 1] in _BOILER_WORDS:
            return True
        if i + 2 < len(words) and "-".join(words[i : i + 3]) in _BOILER_WORDS:
            return True
    return False


def _label(node: LexborNode) -> str:
    attrs = node.attributes
    cls = attrs.get("class") or ""
    ident = attrs.get("id") or ""
    if cls and ident:
        return cls + " " + ident
    return cls or ident


def _text_len(node: LexborNode) -> int:
    return len(node.text(deep=True, strip=True))


def _para_len(node: LexborNode) -> int:
    """Characters of real paragraphs (not one-liners) under ``node``."""
    return _para_len_of(node.css("p"))


def _para_len_of(paras: list[LexborNode]) -> int:
    total = 0
    for para in paras:
        length = len(para.text(deep=True, strip=True))
        if length >= 40:
            total += length
    return total


@lru_cache(maxsize=4096)
def _is_embed(label: str) -> bool:
    return _EMBED.search(label) is not None


def clean_tree(tree: LexborHTMLParser) -> list[LexborNode]:
    """Remove scripts and boilerplate widgets in place (see the module docstring for why).

    Boilerplate-looking nodes that hold a large share of the page's text are not removed
    but returned: they may be the article wrapper ("content-with-sidebar") or a sidebar
    bigger than a short article, which only the content scores can tell apart.

    Never-text tags go first, so no length below counts script text; class/id labels are
    read after the chrome is gone, so menus' many one-off classes are never looked at.
    """
    body = tree.body
    if body is None:
        tree.strip_tags(_REMOVE_TAGS)
        return []
    chrome, paras = _strip_and_collect(tree, body)
    total_para = _para_len_of(paras)
    # The whole text is only needed (and only extracted) for pages without real paragraphs.
    total = _text_len(body) if total_para < 500 else total_para
    if total == 0:
        return []

    def holds_main_text(node: LexborNode) -> bool:
        # Cheap test first: a node with little text cannot hold the article.
        length = _text_len(node)
        if total_para >= 500:
            if length < total_para * 0.3:
                return False
            return _para_len(node) > total_para * 0.4
        return length > total * 0.5

    deferred: list[LexborNode] = []
    for node in chrome:
        if node.parent is None:  # removed with a chrome ancestor
            continue
        if holds_main_text(node):
            deferred.append(node)
        else:
            node.decompose()
    for node in body.css("[class], [id]"):
        if node.parent is None or node.tag in _PROTECTED_TAGS:
            continue
        label = _label(node)
        if not label or not _is_boiler(label):
            continue
        if _is_embed(label) and node.css_first("blockquote") is not None:
            continue  # an embedded post quoted by the article is part of its text
        if holds_main_text(node):
            deferred.append(node)
        else:
            node.decompose()
    return deferred


def _strip_and_collect(tree: LexborHTMLParser, body: LexborNode) -> tuple[list, list]:
    """Remove never-text tags; return the chrome nodes (in document order) and paragraphs.

    Tag-name lookups (``strip_tags``, ``tags``) run in C without the CSS engine, whose cost
    grows with every selector in a list, so only the chrome needs a selector.
    """
    tree.strip_tags(_REMOVE_TAGS)
    chrome: list[LexborNode] = []
    previous = -1
    for node in body.css(_CHROME_SELECTOR):
        # Lexbor lists a node once per selector it matches, one after the other.
        mem_id = node.mem_id
        if mem_id != previous and node.tag not in _PROTECTED_TAGS:
            chrome.append(node)
        previous = mem_id
    return chrome, tree.tags("p")


def _resolve_deferred(deferred: list[LexborNode], top: LexborNode) -> bool:
    """Remove the deferred boilerplate nodes that neither hold nor dominate the best block."""
    keep = {top.mem_id} | {a.mem_id for a in _ancestors(top)}
    top_para: int | None = None
    removed = False
    for node in deferred:
        if node.mem_id in keep or node.parent is None:  # None: gone with an ancestor
            continue
        if any(a.mem_id == top.mem_id for a in _ancestors(node)):
            if top_para is None:
                top_para = _para_len(top)
            if _para_len(node) > 0.5 * top_para:
                continue
        node.decompose()
        removed = True
    return removed


def _weight(node: LexborNode) -> float:
    label = _label(node)
    if not label:
        return 0.0
    return _label_weight(label)


@lru_cache(maxsize=32768)
def _label_weight(label: str) -> float:
    weight = 0.0
    if _POSITIVE.search(label):
        weight += 25
    if _NEGATIVE.search(label):
        weight -= 25
    return weight


_TAG_BONUS = {
    "article": 10,
    "main": 5,
    "div": 5,
    "section": 3,
    "td": 3,
    "pre": 3,
    "blockquote": 3,
    "form": -3,
    "ul": -3,
    "ol": -3,
    "li": -3,
    "dl": -3,
    "th": -5,
    "h1": -5,
    "h2": -5,
    "h3": -5,
    "body": -5,
}


def _link_density(
    node: LexborNode, text_len: int, link_lens: dict[int, int] | None = None
) -> float:
    """Share of ``node``'s text inside links; ``link_lens`` caches each link's text length."""
    if text_len <= 0:
        return 1.0
    linked = 0
    for a in node.css("a"):
        if link_lens is None:
            linked += len(a.text(deep=True, strip=True))
            continue
        key = a.mem_id
        length = link_lens.get(key)
        if length is None:
            length = link_lens[key] = len(a.text(deep=True, strip=True))
        linked += length
    return min(1.0, linked / text_len)


def _is_cjk(text: str) -> bool:
    sample = text[:200]
    if sample.isascii():
        return False
    return len(_CJK_CHAR.findall(sample)) > len(sample) * 0.3


def _commas(text: str) -> int:
    """Clause punctuation in ``text`` (str.count is a fast C scan; a regex is not)."""
    if text.isascii():
        return text.count(",") + text.count(";")
    return sum(text.count(mark) for mark in _COMMA_MARKS)


_SCORE_SELECTOR = "p, pre, td, blockquote, div, section, article, font, span, text"
# Share of a paragraph's score credited to the container ``level`` steps above it.
_DIVIDERS = (1, 2, 6, 9, 12)


def _score(body: LexborNode) -> list[tuple[float, LexborNode]]:
    """Readability-style container scores, best first."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    # Paragraphs share parents, so each container's chain of (up to five) ancestors is
    # walked once and reused: node properties are calls into the parser, not attributes.
    chains: dict[int, list[int]] = {}
    for para in body.css(_SCORE_SELECTOR):
        tag = para.tag
        div_like = tag in _DIV_LIKE
        if div_like:
            # Only text written directly inside counts (br-separated layouts); nested
            # paragraphs are scored on their own.
            text = para.text(deep=False, strip=True)
        else:
            text = para.text(deep=True, strip=True)
        length = len(text)
        if length < 25:
            if length < 10 or not _is_cjk(text):
                continue
            cjk = True
        else:
            cjk = _is_cjk(text)
        if tag == "span" and length < 200:
            continue
        unit = 40 if cjk else 100
        score = 1.0 + _commas(text) + min(length / unit, 3.0)
        # A div that only holds text is a paragraph (credit its parent); a div mixing
        # loose text with block children is itself the container of that text.
        if div_like and any(child.tag in _BLOCK_TAGS for child in para.iter()):
            start = para
        else:
            start = para.parent
            if start is None:
                continue
        key = start.mem_id
        chain = chains.get(key)
        if chain is None:
            chain = chains[key] = _chain(start, scores, nodes)
        for level, ancestor in enumerate(chain):
            scores[ancestor] += score / _DIVIDERS[level]
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:8]
    result = []
    link_lens: dict[int, int] = {}
    for key, score in ranked:
        node = nodes[key]
        length = _text_len(node)
        result.append((score * (1.0 - _link_density(node, length, link_lens)), node))
    result.sort(key=lambda pair: pair[0], reverse=True)
    return result


def _chain(
    start: LexborNode, scores: dict[int, float], nodes: dict[int, LexborNode]
) -> list[int]:
    """Ids of ``start`` and its ancestors below ``<html>`` (five at most), registered in
    ``scores`` (with their tag and class/id bonus) and ``nodes`` on first sight."""
    chain: list[int] = []
    ancestor: LexborNode | None = start
    while ancestor is not None and len(chain) < 5:
        atag = ancestor.tag
        if atag is None or atag == "html":
            break
        key = ancestor.mem_id
        if key not in scores:
            scores[key] = _TAG_BONUS.get(atag, 0) + _weight(ancestor)
            nodes[key] = ancestor
        chain.append(key)
        ancestor = ancestor.parent
    return chain


def _ancestors(node: LexborNode, limit: int = 64) -> list[LexborNode]:
    out = []
    parent = node.parent
    while parent is not None and limit > 0:
        out.append(parent)
        parent = parent.parent
        limit -= 1
    return out


def _peers(ranked: list[tuple[float, LexborNode]]) -> list[LexborNode] | None:
    """The nearby common ancestor when the article is split into near-equal chunks.

    News templates often break the body into several sibling-ish containers (around ads or
    embedded media); each scores about the same and none contains the others, so the best
    single container would lose the other chunks.  Their closest common ancestor (at most
    three levels up) holds them all plus the paragraphs in between; the boilerplate in
    between was already removed by the cleaning pass.
    """
    top_score, top = ranked[0]
    top_anc = _ancestors(top)
    top_anc_ids = {a.mem_id: depth for depth, a in enumerate(top_anc)}
    peers = []
    lca_depth = -1
    for score, node in ranked[1:]:
        if score < top_score * 0.6:
            break
        if node.mem_id in top_anc_ids:
            continue
        anc = _ancestors(node)
        if any(a.mem_id == top.mem_id for a in anc):
            continue
        common = next((top_anc_ids[a.mem_id] for a in anc if a.mem_id in top_anc_ids), None)
        if common is None or common > 2:
            continue
        peers.append(node)
        lca_depth = max(lca_depth, common)
    if not peers:
        return None
    return [top_anc[lca_depth]]


def _pick(body: LexborNode, ranked: list[tuple[float, LexborNode]]) -> list[LexborNode]:
    if not ranked or ranked[0][0] <= 0:
        return [body]
    top_score, top = ranked[0]
    peers = _peers(ranked)
    if peers:
        return peers
    parent = top.parent
    if parent is None or parent.tag in ("html", None):
        return [top]
    threshold = max(10.0, top_score * 0.2)
    score_of = {node.mem_id: score for score, node in ranked}
    chosen: list[LexborNode] = []
    child = parent.first_child
    while child is not None:
        if child.is_element_node:
            if child.mem_id == top.mem_id:
                chosen.append(child)
            else:
                score = score_of.get(child.mem_id, 0.0)
                if score >= threshold:
                    chosen.append(child)
                elif child.tag in _SIBLING_PARAS:
                    text = child.text(deep=True, strip=True)
                    density = _link_density(child, len(text))
                    if len(text) > 80 and density < 0.25:
                        chosen.append(child)
                    elif 0 < len(text) <= 80 and density == 0 and text.endswith((".", "。")):
                        chosen.append(child)
        child = child.next
    return chosen or [top]


def node_text_blocks(root: LexborNode) -> list[_Block]:
    """Serialise a subtree into text blocks, keeping block boundaries and link-text counts."""
    blocks: list[_Block] = []
    parts: list[str] = []
    link_chars = 0
    block_tag = "p"

    def flush() -> None:
        nonlocal parts, link_chars, block_tag
        if parts:
            text = "".join(parts)
            if "\u200b" in text:
                text = text.replace("\u200b", "")
            if "\n" in text:
                lines = (" ".join(line.split()) for line in text.split("\n"))
                text = "\n".join(line for line in lines if line)
            else:
                text = " ".join(text.split())
            if text:
                blocks.append(_Block(text, link_chars, block_tag))
        parts = []
        link_chars = 0

    # Iterative walk (deeply nested pages must not hit the recursion limit).  Stack entries
    # are (node, entering, in_link).  One ``tag`` read classifies a node ("-text" for text,
    # "-comment" and the like, or None, for other non-elements; element names start with a
    # letter): each node property is a call into the parser, and this loop runs for every
    # node of the article.
    stack: list[tuple[LexborNode, bool, bool]] = [(root, True, False)]
    while stack:
        node, entering, in_link = stack.pop()
        if not entering:
            flush()
            continue
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            if text:
                if "\n" in text or "\t" in text:
                    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
                parts.append(text)
                if in_link:
                    link_chars += len(text.strip())
            continue
        if tag is None or tag[0] == "-" or tag in _SKIP_TAGS:
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _BLOCK_TAGS:
            flush()
            block_tag = tag
            stack.append((node, False, in_link))
        elif tag in _CELL_TAGS:
            parts.append(" ")
        child_link = in_link or tag == "a"
        children = list(node.iter(include_text=True))
        children.reverse()
        stack.extend([(child, True, child_link) for child in children])
    flush()
    return blocks


def _keep(block: _Block) -> bool:
    text = block.text
    length = len(text)
    if block.tag == "h1":
        return False
    if length < 80 and _BOILER_LINE.match(text):
        return False
    if block.link_chars and length:
        density = block.link_chars / length
        if density > 0.6 and (length < 300 or density > 0.85):
            return False
    return True


def _render(nodes: list[LexborNode]) -> str:
    out: list[str] = []
    for node in nodes:
        for block in node_text_blocks(node):
            if _keep(block):
                out.append(block.text)
    return "\n\n".join(out)


def extract_body(
    tree: LexborHTMLParser,
    *,
    article_selector: str | None = None,
    structured_body: str | None = None,
) -> BodyResult:
    """Article text of a parsed page.  Mutates ``tree`` (boilerplate is removed)."""
    warnings: list[str] = []
    deferred = clean_tree(tree)
    body = tree.body
    if body is None:
        return BodyResult("", "none", ["no <body> in document"])
    if article_selector:
        try:
            nodes = tree.css(article_selector)
        except Exception as err:  # noqa: BLE001 - a bad selector in config must not crash
            nodes = []
            warnings.append(f"article_selector {article_selector!r} is invalid: {err}")
        if nodes:
            text = _render(nodes)
            if text:
                return BodyResult(text, "selector", warnings)
        warnings.append(f"article_selector {article_selector!r} matched no text; used generic")
    ranked = _score(body)
    if deferred and ranked and _resolve_deferred(deferred, ranked[0][1]):
        ranked = _score(body)
    text = _render(_pick(body, ranked))
    method = "dom"
    if structured_body:
        structured = structured_text(structured_body)
        # JSON-LD articleBody is often a teaser or truncated; it only wins when it is
        # clearly more complete than what the DOM gave.
        if len(structured) > 1.3 * len(text) and len(structured) > 300:
            text, method = structured, "jsonld"
    return BodyResult(text, method, warnings)


_TAG_LIKE = re.compile(r"</?[a-zA-Z][^>]*>")


def structured_text(raw: str) -> str:
    """Plain text of a JSON-LD ``articleBody``, which some sites fill with (escaped) HTML."""
    text = raw.strip()
    if "&lt;" in text or "&amp;" in text or "&quot;" in text:
        text = html.unescape(text)
    if _TAG_LIKE.search(text):
        fragment = LexborHTMLParser(text)
        fragment.strip_tags(_REMOVE_TAGS)
        body = fragment.body
        if body is None:
            return ""
        return "\n\n".join(b.text for b in node_text_blocks(body) if _keep(b))
    return text
