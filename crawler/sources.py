"""Link discovery from source documents: feeds, listing pages, sitemaps.

Real feeds are messy: junk before the XML declaration, HTML entities such as
``&nbsp;`` that XML does not know, bare ampersands, undeclared namespace
prefixes, truncated documents (the fetcher caps bodies). The parser here is a
small non-namespace-aware expat tree builder fed a *sanitised* string:

* the DOCTYPE (and with it every entity declaration) is cut out before expat
  sees the text, and expat is additionally told to refuse entity declarations
  and external entities -- so billion-laughs and XXE documents cannot expand;
* unknown named entities become their HTML meaning or literal text;
* elements completed before a syntax error are kept, so a truncated feed still
  yields the items it did deliver.
"""

from __future__ import annotations

import codecs
import html.entities
import json
import re
import threading
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from xml.parsers import expat

from selectolax.lexbor import LexborHTMLParser

from .urls import canonicalize

__all__ = ["Link", "SourceError", "parse_feed", "parse_listing", "parse_sitemap"]

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # sitemaps.org: 50 MB uncompressed per file
# Text is fed to expat in pieces of this many characters, and loops look at ``cancel``
# every _CHECK_EVERY items, so a parse running in a thread stops soon after it is told to.
_PARSE_CHUNK = 256 * 1024
_CHECK_EVERY = 500


class SourceError(Exception):
    """The document is not a feed/sitemap at all; the message is one line."""


def _stop_if(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise SourceError("parsing cancelled")


@dataclass(frozen=True)
class Link:
    url: str  # canonical (via urls.canonicalize), absolute
    published: str | None = None  # ISO date/datetime when the source gives one
    title: str | None = None


# ----------------------------------------------------------------- XML reading


@dataclass
class _El:
    tag: str  # local name, lower-case ("dc:date" -> "date")
    qname: str  # as written, lower-case
    attrs: dict[str, str]
    children: list[_El] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.text_parts).strip()

    def all_text(self) -> str:
        """Own and descendants' text, depth first; iterative, as a hostile feed can nest
        a title's children deeper than Python's recursion limit."""
        parts: list[str] = []
        stack: list[_El | str] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
                continue
            # Own text first, then each child's, as the recursive form did.
            stack.extend(reversed(node.children))
            stack.append("".join(node.text_parts))
        return " ".join(p.strip() for p in parts if p.strip())

    def find(self, *names: str) -> _El | None:
        for child in self.children:
            if child.tag in names or child.qname in names:
                return child
        return None

    def findall(self, *names: str) -> list[_El]:
        return [c for c in self.children if c.tag in names or c.qname in names]

    def iter(self, *names: str):
        stack = [self]
        while stack:
            el = stack.pop()
            if el.tag in names:
                yield el
            stack.extend(reversed(el.children))


class _Forbidden(Exception):
    pass


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ENCODING_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# Located with find/regex-free scans (see _cut_doctypes, _split_cdata): the obvious
# patterns "<!DOCTYPE(...|\[.*?\])*>" and "<!\[CDATA\[.*?\]\]>" rescan to the end of the
# text from every unterminated opener, so a 0.5 MB feed of openers took 90 s.
_DOCTYPE_OPEN = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(r"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9._-]*;)?")
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_BUILTIN = {"amp", "lt", "gt", "quot", "apos"}


def _decode_xml(body: bytes) -> str:
    """Bytes -> str using BOM / XML declaration, never failing."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(enc, errors="replace")
    start = body.find(b"<")
    head = body[max(0, start) : max(0, start) + 200]
    declared = None
    m = _ENCODING_DECL.match(head)
    if m:
        declared = m.group(1).decode("ascii").lower()
    if declared and declared.startswith(("utf-16", "utf-32", "ucs")) and head[:1] == b"<":
        declared = None  # an ASCII "<?xml" cannot be UTF-16: the declaration lies
    for enc in (declared, "utf-8"):
        if not enc:
            continue
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    # Feeds that say utf-8 but are really cp1252 are the common case here.
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError:
        return body.decode("utf-8", errors="replace")


def _fix_entity(match: re.Match[str]) -> str:
    ref = match.group(1)
    if ref is None:
        return "&amp;"  # bare ampersand
    if ref.startswith("#"):
        try:
            code = int(ref[2:-1], 16) if ref[1] in "xX" else int(ref[1:-1])
            ch = chr(code)
        except (ValueError, OverflowError):
            return ""
        if code == 0 or 0xD800 <= code <= 0xDFFF or _BAD_CHARS.match(ch):
            return ""
        return match.group(0)
    name = ref[:-1]
    if name in _XML_BUILTIN:
        return match.group(0)
    value = html.entities.html5.get(ref)
    if value is not None:
        return "".join(f"&#{ord(c)};" for c in value)
    return "&amp;" + ref  # undefined entity: keep as literal text


def _sanitize(text: str) -> str:
    # Junk before the first tag (PHP warnings, blank lines, BOM remnants).
    lt = text.find("<")
    if lt == -1:
        raise SourceError("no markup found")
    text = text[lt:]
    text = _XML_DECL.sub("", text, count=1)
    text = _cut_doctypes(text)
    text = _BAD_CHARS.sub("", text)
    # Entities are fixed outside CDATA only: "AT&T" inside CDATA is already literal.
    parts = _split_cdata(text)
    for i in range(0, len(parts), 2):
        parts[i] = _ENTITY.sub(_fix_entity, parts[i])
    return "".join(parts)


def _cut_doctypes(text: str) -> str:
    """Remove every ``<!DOCTYPE ...>`` (with its ``[internal subset]``) in one pass.

    An internal subset runs to the first ``]`` and the declaration to the next ``>``;
    an unterminated one takes the rest of the text with it (nothing after it could be
    parsed anyway). Each character is looked at a bounded number of times.
    """
    out: list[str] = []
    pos = 0
    while True:
        m = _DOCTYPE_OPEN.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        out.append(text[pos : m.start()])
        i = m.end()
        gt = text.find(">", i)
        bracket = text.find("[", i, gt if gt != -1 else len(text))
        if bracket != -1:
            close = text.find("]", bracket + 1)
            gt = text.find(">", close + 1) if close != -1 else -1
        if gt == -1:
            break
        pos = gt + 1
    return "".join(out)


_CDATA_OPEN = "<![CDATA["
_CDATA_CLOSE = "]]>"


def _split_cdata(text: str) -> list[str]:
    """``[outside, cdata, outside, cdata, ..., outside]`` like ``re.split`` with a group.

    An opener without a closer is ordinary text (as the regex treated it); once no
    closer is left, no later opener can have one, so the scan stops there: linear.
    """
    parts: list[str] = []
    pos = 0
    while True:
        start = text.find(_CDATA_OPEN, pos)
        if start == -1:
            break
        end = text.find(_CDATA_CLOSE, start + len(_CDATA_OPEN))
        if end == -1:
            break
        parts.append(text[pos:start])
        parts.append(text[start : end + len(_CDATA_CLOSE)])
        pos = end + len(_CDATA_CLOSE)
    parts.append(text[pos:])
    return parts


def _parse_xml(text: str, cancel: threading.Event | None = None) -> _El:
    """Parse sanitised XML into an _El tree; keep what was complete on error."""
    parser = expat.ParserCreate()  # no namespace processing: unbound prefixes are fine
    try:
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    except AttributeError:  # pragma: no cover - very old expat
        pass
    root: list[_El] = []
    stack: list[_El] = []
    # Text since the last tag, as (element, its text_parts length before it): when the
    # document breaks off there, that text is cut short ("https://news.exa") and is
    # dropped. Chunked feeding hands it over at every chunk end, so it is tracked.
    open_text: list[tuple[_El, int]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        open_text.clear()
        qname = name.lower()
        el = _El(qname.rsplit(":", 1)[-1], qname, {k.lower(): v for k, v in attrs.items()})
        if stack:
            stack[-1].children.append(el)
        elif not root:
            root.append(el)
        stack.append(el)

    def end(name: str) -> None:
        open_text.clear()
        if stack:
            stack.pop()

    def chars(data: str) -> None:
        if stack:
            if not open_text:
                open_text.append((stack[-1], len(stack[-1].text_parts)))
            stack[-1].text_parts.append(data)

    def forbid(*_args: object) -> None:
        raise _Forbidden("entity declarations are not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = lambda *a: 0  # never load external entities
    parser.buffer_text = True
    try:
        for start_at in range(0, len(text), _PARSE_CHUNK):
            parser.Parse(text[start_at : start_at + _PARSE_CHUNK], False)
            _stop_if(cancel)
        parser.Parse("", True)
    except expat.ExpatError:
        if not root:
            raise SourceError("not XML") from None
        # Truncated or broken after some content: keep what we have, except the text
        # the break cut short.
        for el, keep in open_text:
            del el.text_parts[keep:]
    except _Forbidden as exc:
        raise SourceError(str(exc)) from None
    if not root:
        raise SourceError("empty document")
    return root[0]


def _load(body: bytes, what: str, cancel: threading.Event | None = None) -> _El:
    if not body or not body.strip():
        raise SourceError(f"empty {what}")
    text = _decode_xml(body)
    if _looks_like_html(text):
        raise SourceError(f"HTML page, not a {what}")
    text = _sanitize(text)
    _stop_if(cancel)
    root = _parse_xml(text, cancel)
    if root.tag == "html":
        raise SourceError(f"HTML page, not a {what}")
    return root


def _looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:256].lower()
    return head.startswith(("<!doctype html", "<html"))


# ------------------------------------------------------------------- dates


def _iso(value: str | None) -> str | None:
    """Normalise RFC 822 / ISO 8601 / W3C dates to ISO; None when unparseable.

    Aware datetimes are converted to UTC so strings sort and compare.
    """
    if not value:
        return None
    value = " ".join(value.split())
    if not value:
        return None
    dt: datetime | None = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    iso_candidate = value.replace("Z", "+00:00").replace("z", "+00:00")
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]", iso_candidate):
        # fromisoformat in 3.11 is strict about fractions and offsets; help it.
        fixed = re.sub(r"(\.\d{1,6})\d*", r"\1", iso_candidate)
        fixed = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", fixed)
        try:
            dt = datetime.fromisoformat(fixed)
        except ValueError:
            dt = None
    if dt is None:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            dt = None
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
        return dt.isoformat().replace("+00:00", "Z")
    return dt.isoformat()


def _clean_title(value: str | None) -> str | None:
    if not value:
        return None
    text = " ".join(value.split())
    if "<" in text and ">" in text:
        # Titles in CDATA sometimes carry markup.
        text = " ".join(re.sub(r"<[^<>]+>", " ", text).split())  # [^<>]: linear
    return text or None


# ------------------------------------------------------------------- feeds


def parse_feed(body: bytes, base_url: str, cancel: threading.Event | None = None) -> list[Link]:
    """Items of an RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed, in document order.

    ``cancel``: set it (from another thread) to make the parse stop with SourceError.
    """
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return _json_feed(body, base_url, cancel)
    root = _load(body, "feed", cancel)
    if root.tag == "rss":
        channel = root.find("channel")
        items = (channel.findall("item") if channel is not None else []) or list(
            root.iter("item")
        )
        base = base_url
    elif root.tag == "rdf":
        items = list(root.iter("item"))
        base = base_url
    elif root.tag == "feed":
        items = root.findall("entry")
        base = canonicalize(root.attrs.get("xml:base", ""), base_url) or base_url
    elif root.tag in ("urlset", "sitemapindex"):
        raise SourceError(f"sitemap ({root.tag}), not a feed")
    else:
        raise SourceError(f"unknown feed root <{root.qname}>")
    links: list[Link] = []
    seen: set[str] = set()
    for n, item in enumerate(items):
        if n % _CHECK_EVERY == 0:
            _stop_if(cancel)
        link = _atom_entry(item, base) if item.tag == "entry" else _rss_item(item, base)
        if link is not None and link.url not in seen:
            seen.add(link.url)
            links.append(link)
    return links


def _json_feed(body: bytes, base_url: str,
               cancel: threading.Event | None = None) -> list[Link]:
    """JSON Feed (jsonfeed.org) 1.x: ``items[].url``, ``date_published``, ``title``."""
    try:
        doc = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError):
        raise SourceError("invalid JSON") from None
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        raise SourceError("JSON but not a JSON Feed")
    items = doc.get("items")
    links: list[Link] = []
    seen: set[str] = set()
    for n, item in enumerate(items if isinstance(items, list) else []):
        if n % _CHECK_EVERY == 0:
            _stop_if(cancel)
        if not isinstance(item, dict):
            continue
        raw = item.get("url") or item.get("external_url") or item.get("id")
        url = canonicalize(raw, base_url) if isinstance(raw, str) else None
        if url is None or url in seen:
            continue
        seen.add(url)
        date_value = item.get("date_published") or item.get("date_modified")
        title = item.get("title")
        links.append(
            Link(
                url,
                _iso(date_value) if isinstance(date_value, str) else None,
                _clean_title(title) if isinstance(title, str) else None,
            )
        )
    return links


def _rss_item(item: _El, base: str) -> Link | None:
    candidates: list[str] = []
    for el in item.findall("link"):
        if el.qname == "link" and el.text:
            candidates.append(el.text)
        elif el.attrs.get("href"):  # atom:link inside RSS
            if el.attrs.get("rel", "alternate") == "alternate":
                candidates.append(el.attrs["href"])
    if item.attrs.get("rdf:about"):
        candidates.append(item.attrs["rdf:about"])
    guid = item.find("guid")
    if (
        guid is not None
        and guid.attrs.get("ispermalink", "true").lower() != "false"
        and guid.text.lower().startswith(("http://", "https://"))  # never resolve "post-1"
    ):
        candidates.append(guid.text)
    origlink = item.find("origlink")  # feedburner:origLink, the real article URL
    if origlink is not None and origlink.text:
        candidates.insert(0, origlink.text)
    url = _first_url(candidates, base)
    if url is None:
        return None
    published = None
    for name in ("pubdate", "dc:date", "date", "published", "updated", "dc:created", "issued"):
        el = item.find(name)
        if el is not None:
            published = _iso(el.text)
            if published:
                break
    title_el = item.find("title")
    return Link(url, published, _clean_title(title_el.text if title_el is not None else None))


def _atom_entry(entry: _El, base: str) -> Link | None:
    base = canonicalize(entry.attrs.get("xml:base", ""), base) or base
    alternates: list[str] = []
    others: list[str] = []
    for el in entry.findall("link"):
        href = el.attrs.get("href") or el.text
        if not href:
            continue
        rel = el.attrs.get("rel", "alternate").lower()
        if rel == "alternate":
            kind = el.attrs.get("type", "text/html").lower()
            (alternates if "html" in kind else others).append(href)
        elif rel not in ("self", "edit", "replies", "enclosure", "license", "via"):
            others.append(href)
    origlink = entry.find("origlink")
    if origlink is not None and origlink.text:
        alternates.insert(0, origlink.text)
    id_el = entry.find("id")
    if id_el is not None and id_el.text.startswith(("http://", "https://")):
        others.append(id_el.text)
    url = _first_url(alternates + others, base)
    if url is None:
        return None
    published = None
    for name in ("published", "issued", "created", "updated", "modified", "dc:date"):
        el = entry.find(name)
        if el is not None:
            published = _iso(el.text)
            if published:
                break
    title_el = entry.find("title")
    return Link(url, published, _clean_title(title_el.all_text() if title_el is not None else None))


def _first_url(candidates: list[str], base: str) -> str | None:
    for cand in candidates:
        url = canonicalize(cand.strip(), base)
        if url is not None:
            return url
    return None


# ----------------------------------------------------------------- listings


def parse_listing(body: bytes, base_url: str, link_selector: str,
                  cancel: threading.Event | None = None) -> list[Link]:
    """Anchors picked by ``link_selector`` on an HTML listing page.

    The selector may name the anchors themselves or containers (``article``,
    ``.post``); for containers every anchor inside counts, and a ``<time
    datetime>`` inside the container becomes the link's date. Any http(s) link is
    kept (news sites link articles on CDNs and sister domains); the listing URL
    itself, fragments-only and duplicates are dropped; document order is kept.
    """
    if not body:
        return []
    tree = LexborHTMLParser(body)
    base_el = tree.css_first("base[href]")
    base = base_url
    if base_el is not None:
        base = canonicalize(base_el.attributes.get("href") or "", base_url) or base_url
    try:
        matches = tree.css(link_selector or "a")
    except Exception as exc:  # noqa: BLE001 - selectolax raises its own error types
        raise SourceError(f"bad link selector {link_selector!r}: {exc}") from None
    own = canonicalize(base_url)
    links: list[Link] = []
    seen: set[str] = set()
    for n, node in enumerate(matches):
        if n % _CHECK_EVERY == 0:
            _stop_if(cancel)
        if node.tag == "a":
            anchors = [node]
            container = None
        else:
            anchors = node.css("a[href]")
            container = node
        published = None
        if container is not None:
            time_el = container.css_first("time[datetime]")
            if time_el is not None:
                published = _iso(time_el.attributes.get("datetime"))
        for a in anchors:
            href = a.attributes.get("href")
            if not href or href.lstrip().startswith("#"):
                continue
            url = canonicalize(href, base)
            if url is None or url == own or url in seen:
                continue
            seen.add(url)
            title = _clean_title(a.text(separator=" ")) or _clean_title(a.attributes.get("title"))
            links.append(Link(url, published, title))
    return links


# ----------------------------------------------------------------- sitemaps


def _gunzip(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    d = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = d.decompress(body, limit + 1)
    except zlib.error as exc:
        raise SourceError(f"broken gzip: {exc}") from None
    if len(out) > limit:
        raise SourceError(f"sitemap larger than {limit} bytes uncompressed")
    return out


def parse_sitemap(body: bytes, base_url: str,
                  cancel: threading.Event | None = None) -> tuple[list[Link], list[str]]:
    """(article links, child sitemap URLs) from a sitemap, sitemap index, Google
    News sitemap, gzip'd sitemap or plain-text sitemap (one URL a line)."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body)
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] != b"<" and stripped[:4].lower() == b"http" and b"<" not in stripped[:2048]:
        return _text_sitemap(stripped, base_url, cancel), []
    root = _load(body, "sitemap", cancel)
    if root.tag == "sitemapindex":
        children: list[str] = []
        for sm in root.findall("sitemap"):
            loc = sm.find("loc")
            url = _loc_url(loc, base_url)
            if url and url not in children:
                children.append(url)
        return [], children
    if root.tag != "urlset":
        if root.tag in ("rss", "feed", "rdf"):
            raise SourceError(f"feed (<{root.qname}>), not a sitemap")
        raise SourceError(f"unknown sitemap root <{root.qname}>")
    links: list[Link] = []
    seen: set[str] = set()
    for n, entry in enumerate(root.findall("url")):
        if n % _CHECK_EVERY == 0:
            _stop_if(cancel)
        loc = entry.find("loc")
        url = _loc_url(loc, base_url)
        if url is None or url in seen:
            continue
        seen.add(url)
        published = None
        title = None
        news = entry.find("news")
        if news is not None:
            pub = news.find("publication_date")
            published = _iso(pub.text) if pub is not None else None
            title_el = news.find("title")
            title = _clean_title(title_el.text) if title_el is not None else None
        if published is None:
            lastmod = entry.find("lastmod")
            published = _iso(lastmod.text) if lastmod is not None else None
        links.append(Link(url, published, title))
    return links, []


def _loc_url(loc: _El | None, base_url: str) -> str | None:
    """<loc> must be absolute; a root-relative path is forgiven, prose is not."""
    if loc is None:
        return None
    text = loc.text
    if not text.lower().startswith(("http://", "https://", "/")):
        return None
    return canonicalize(text, base_url)


def _text_sitemap(body: bytes, base_url: str,
                  cancel: threading.Event | None = None) -> list[Link]:
    links: list[Link] = []
    seen: set[str] = set()
    for n, line in enumerate(body.decode("utf-8", errors="replace").splitlines()):
        if n % _CHECK_EVERY == 0:
            _stop_if(cancel)
        url = canonicalize(line.strip(), base_url) if line.strip() else None
        if url and url not in seen:
            seen.add(url)
            links.append(Link(url))
    return links
