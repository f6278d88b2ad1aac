"""Property and fuzz tests (hypothesis) beyond the ones in test_urls/test_decode/
test_article: content-type strings from hell, HTML-ish soup built from real fragments,
and canonicalisation properties that are not yet covered (tracking-parameter removal is
the only change to the query; no output ever carries a non-http scheme or credentials).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crawler.sources import SourceError, parse_feed, parse_listing, parse_sitemap
from crawler.urls import canonicalize
from extract.article import Article, extract_article
from extract.decode import decode_html

FAST = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_charsets = st.sampled_from(["utf-8", "gbk", "gb2312", "big5", "shift_jis", "utf-16",
                             "utf-32", "iso-8859-1", "koi8-r", "x-user-defined", "bogus",
                             "", "utf-8;;", '"utf-8"', "UTF-7", "cp1252\x00", "\u00e9"])
_content_types = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.builds(lambda t, c: f"{t}; charset={c}",
              st.sampled_from(["text/html", "application/xhtml+xml", "text/plain", "x/y"]),
              _charsets),
)


@FAST
@given(st.binary(max_size=5000), _content_types)
def test_decode_html_total(data, content_type):
    result = decode_html(data, content_type)
    assert isinstance(result.text, str)
    assert isinstance(result.encoding, str) and result.encoding
    "".encode(result.encoding)  # a codec Python knows


_cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=20,
               max_size=300)
_ascii_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200)


@FAST
@given(st.one_of(
    st.tuples(st.text(st.characters(exclude_categories=("Cs",)), max_size=2000),
              st.just("utf-8")),
    st.tuples(st.builds(lambda a, b: a + b, _ascii_text, _cjk), st.just("gb18030")),
))
def test_declared_and_true_encoding_round_trip(case):
    """Text encoded in the codec it is declared as comes back unchanged. (GB18030 bytes
    that also happen to be valid UTF-8, such as '一' * 20, are read as UTF-8 by design:
    a valid UTF-8 body outranks a declaration.)"""
    text, codec = case
    data = text.encode(codec)
    if codec != "utf-8":
        try:
            data.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    result = decode_html(data, f"text/html; charset={codec}")
    assert result.text.lstrip("\ufeff") == text.lstrip("\ufeff")


_fragments = st.sampled_from([
    "<html>", "</html>", "<head>", "<body>", "<article>", "</article>", "<div class='post'>",
    "</div>", "<p>", "</p>", "<h1>", "</h1>", "<br>", "<script>", "</script>", "<style>",
    "</style>", "<!--", "-->", "<![CDATA[", "]]>", "<table><tr><td>", "</td></tr></table>",
    "<meta charset='gbk'>", "<meta http-equiv='content-type' content='text/html; charset=big5'>",
    "<meta property='article:published_time' content='2024-02-30T99:00:00Z'>",
    "<link rel='canonical' href='javascript:alert(1)'>", "<link rel='canonical' href='//x'>",
    "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"articleBody\":",
    "<title>", "</title>", "<time datetime='0000-00-00'>", "</time>", "&amp;", "&#0;",
    "&#x110000;", "&nbsp;", "\x00", "\ufeff", "\ud7ff", "é", "中文", "<?xml version='1.0'?>",
    "<svg><foreignObject>", "<math><mi>", "<template>", "<noscript>", "<a href='#'>", "</a>",
    "Zhang Wei, the chief executive of Lantern Robotics, has resigned. ",
    "The company said in a statement that its plans were unchanged. ",
])
_soup = st.lists(_fragments, max_size=200).map("".join)


@FAST
@given(st.one_of(_soup, st.binary(max_size=3000).map(lambda b: b.decode("latin-1"))),
       st.sampled_from(["bytes", "str"]), _content_types,
       st.one_of(st.none(), st.sampled_from(["article", "div.post", "p", ">>>", "::x", ""])))
def test_extract_article_total(html, form, content_type, selector):
    data = html.encode("utf-8", "surrogatepass") if form == "bytes" else html
    art = extract_article(data, url="https://news.example.com/a?utm_source=x",
                          content_type=content_type, article_selector=selector)
    assert isinstance(art, Article)
    assert isinstance(art.text, str) and "\x00" not in art.text
    assert art.title is None or ("\x00" not in art.title and isinstance(art.title, str))
    assert art.published is None or (len(art.published) == 10 and art.published[4] == "-")
    assert all(isinstance(w, str) for w in art.warnings)
    if art.url is not None and art.url != "https://news.example.com/a?utm_source=x":
        assert urlsplit(art.url).scheme in ("http", "https")  # never javascript: or file:


_urls = st.one_of(
    st.text(max_size=80),
    st.builds(lambda s, h, p, q: f"{s}://{h}/{p}?{q}",
              st.sampled_from(["http", "https", "file", "ftp", "javascript", "data", "HTTPS"]),
              st.sampled_from(["ex.com", "user:pw@ex.com", "127.0.0.1", "[::1]", "EX.com."]),
              st.text(max_size=15), st.text(max_size=20)),
)


@FAST
@given(_urls, st.one_of(st.none(), st.sampled_from(["https://ex.com/a/", "file:///etc/",
                                                    "javascript:x"])))
def test_canonical_urls_are_only_http_and_carry_no_credentials(url, base):
    out = canonicalize(url, base)
    if out is None:
        return
    parts = urlsplit(out)
    assert parts.scheme in ("http", "https")
    assert parts.username is None and parts.password is None
    assert "@" not in parts.netloc


@FAST
@given(st.lists(st.sampled_from(["a=1", "b=2", "utm_source=x", "fbclid=y", "id=7", "q=a+b",
                                 "ref=rss", "page=3"]), max_size=6))
def test_only_tracking_parameters_are_removed(params):
    out = canonicalize("https://ex.com/p?" + "&".join(params))
    assert out is not None
    kept = [p for p in params if not p.startswith(("utm_", "fbclid")) and p != "ref=rss"]
    query = urlsplit(out).query
    assert (query.split("&") if query else []) == kept


@FAST
@given(st.binary(max_size=4000), st.sampled_from(["feed", "listing", "sitemap"]))
def test_source_parsers_raise_only_source_error(data, kind):
    try:
        if kind == "feed":
            links = parse_feed(data, "https://ex.com/feed")
        elif kind == "listing":
            links = parse_listing(data, "https://ex.com/", "a")
        else:
            links, children = parse_sitemap(data, "https://ex.com/sitemap.xml")
            assert all(urlsplit(c).scheme in ("http", "https") for c in children)
    except SourceError:
        return
    assert all(urlsplit(link.url).scheme in ("http", "https") for link in links)
