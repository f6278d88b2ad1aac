from __future__ import annotations

import gzip
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.sources import Link, SourceError, parse_feed, parse_listing, parse_sitemap

BASE = "https://news.example.com/feed"

RSS = b"""\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Example News</title>
  <link>https://news.example.com/</link>
  <atom:link href="https://news.example.com/feed" rel="self"/>
  <item>
    <title><![CDATA[AT&T CFO <b>steps down</b>]]></title>
    <link>https://news.example.com/2024/01/att-cfo?utm_source=rss&amp;utm_medium=feed</link>
    <guid isPermaLink="false">post-1</guid>
    <pubDate>Tue, 02 Jan 2024 10:00:00 +0100</pubDate>
  </item>
  <item>
    <title>Relative link item</title>
    <link>/2024/01/relative</link>
    <dc:date>2024-01-03T05:00:00Z</dc:date>
  </item>
  <item>
    <title>Only a permalink guid</title>
    <guid>https://news.example.com/2024/01/guid-only</guid>
  </item>
  <item>
    <title>Duplicate of first</title>
    <link>https://news.example.com/2024/01/att-cfo</link>
  </item>
  <item><title>No link at all</title></item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">
  <title>Blog</title>
  <link rel="self" href="https://blog.example.org/atom.xml"/>
  <entry>
    <title type="html">CEO &lt;em&gt;resigns&lt;/em&gt;</title>
    <link rel="edit" href="https://blog.example.org/api/1"/>
    <link rel="alternate" type="text/html" href="posts/ceo-resigns"/>
    <id>tag:blog.example.org,2024:1</id>
    <published>2024-03-01T09:30:00+02:00</published>
    <updated>2024-03-02T00:00:00Z</updated>
  </entry>
  <entry>
    <title>Updated only</title>
    <link href="https://blog.example.org/posts/second"/>
    <updated>2024-03-05T12:00:00.123456789Z</updated>
  </entry>
  <entry>
    <title>id is the link</title>
    <id>https://blog.example.org/posts/third</id>
  </entry>
</feed>
"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://slash.example.net/">
    <title>Slash</title>
    <items><rdf:Seq><rdf:li rdf:resource="https://slash.example.net/story/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://slash.example.net/story/1">
    <title>Story one</title>
    <link>https://slash.example.net/story/1?from=rss</link>
    <dc:date>2024-02-10T08:00:00+00:00</dc:date>
  </item>
  <item rdf:about="https://slash.example.net/story/2">
    <title>Story two</title>
    <dc:date>2024-02-11</dc:date>
  </item>
</rdf:RDF>
"""

LISTING = b"""<!doctype html>
<html><head><title>Newsflash</title></head>
<body>
  <nav><a href="/">Home</a><a href="/newsflash/">Newsflash</a></nav>
  <div class="flash">
    <h2><a href="/2024/05/cto-leaves?utm_campaign=x">CTO <b>leaves</b></a></h2>
    <time datetime="2024-05-01T10:00:00Z">1 May</time>
  </div>
  <div class="flash">
    <h2><a href="https://other-site.example/story">Elsewhere</a></h2>
  </div>
  <div class="flash">
    <a href="#comments">Comments</a>
    <a href="javascript:void(0)">Share</a>
    <a href="mailto:tips@example.com">Tip us</a>
    <a href="/2024/05/cto-leaves">Dup</a>
    <a href="/newsflash/">Self</a>
    <a href="/2024/05/cfo-joins" title="CFO joins"><img src="x.png"></a>
  </div>
</body></html>
"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example.com/a</loc><lastmod>2024-04-01</lastmod></url>
  <url><loc> https://news.example.com/b?utm_source=sm </loc>
       <lastmod>2024-04-02T10:00:00+00:00</lastmod></url>
  <url><loc>https://news.example.com/a</loc></url>
  <url><loc>not a url at all</loc></url>
</urlset>
"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example.com/sitemap-2024-05.xml</loc></sitemap>
  <sitemap><loc>https://news.example.com/sitemap-2024-04.xml.gz</loc>
           <lastmod>2024-04-30</lastmod></sitemap>
  <sitemap><loc>/sitemap-news.xml</loc></sitemap>
</sitemapindex>
"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example.com/2024/06/ceo-out</loc>
    <news:news>
      <news:publication><news:name>Example</news:name><news:language>en</news:language>
      </news:publication>
      <news:publication_date>2024-06-01T08:15:00+02:00</news:publication_date>
      <news:title>CEO out after ten years</news:title>
    </news:news>
    <lastmod>2024-06-03</lastmod>
  </url>
</urlset>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel>
  <item><title>&lol9;</title><link>https://news.example.com/bomb</link></item>
</channel></rss>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel>
  <item><title>&xxe;</title><link>https://news.example.com/xxe</link></item>
</channel></rss>
"""

HTML_AS_FEED = b"""<!DOCTYPE html>
<html lang="en"><head><title>Page not found</title></head>
<body><p>Sorry &amp; goodbye</p></body></html>
"""


# ------------------------------------------------------------------- feeds


def test_rss2():
    links = parse_feed(RSS, BASE)
    assert links == [
        Link(
            "https://news.example.com/2024/01/att-cfo",
            "2024-01-02T09:00:00Z",
            "AT&T CFO steps down",
        ),
        Link("https://news.example.com/2024/01/relative", "2024-01-03T05:00:00Z",
             "Relative link item"),
        Link("https://news.example.com/2024/01/guid-only", None, "Only a permalink guid"),
    ]


def test_atom():
    links = parse_feed(ATOM, "https://blog.example.org/atom.xml")
    assert [link.url for link in links] == [
        "https://blog.example.org/posts/ceo-resigns",
        "https://blog.example.org/posts/second",
        "https://blog.example.org/posts/third",
    ]
    # published wins over updated; offsets are normalised to UTC.
    assert links[0].published == "2024-03-01T07:30:00Z"
    assert links[0].title == "CEO resigns"
    # nanosecond fractions (seen in the wild) are tolerated.
    assert links[1].published == "2024-03-05T12:00:00.123456Z"
    assert links[2].published is None


def test_rdf():
    links = parse_feed(RDF, "https://slash.example.net/index.rdf")
    assert links == [
        Link("https://slash.example.net/story/1", "2024-02-10T08:00:00Z", "Story one"),
        Link("https://slash.example.net/story/2", "2024-02-11", "Story two"),
    ]


def test_junk_before_declaration_and_html_entities():
    body = (
        b"\n\nWarning: Cannot modify header information in /var/www/x.php on line 3\n"
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b"<rss><channel><item><title>Caf&eacute; &nbsp;&mdash; R&D & more &bogus;</title>"
        b"<link>https://ex.com/a?x=1&y=2</link></item></channel></rss>"
    )
    (link,) = parse_feed(body, "https://ex.com/feed")
    assert link.url == "https://ex.com/a?x=1&y=2"
    assert link.title == "Caf\u00e9 \u2014 R&D & more &bogus;"


def test_declared_latin1_and_undeclared_prefix():
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        "<rss><channel><item><title>Gr\u00fc\u00dfe</title>"
        "<media:thumbnail url='x'/><link>https://ex.com/g</link></item></channel></rss>"
    ).encode("latin-1")
    (link,) = parse_feed(body, "https://ex.com/feed")
    assert link.title == "Gr\u00fc\u00dfe"


def test_truncated_feed_keeps_complete_items():
    body = RSS[: RSS.index(b"<title>Only a permalink")]
    links = parse_feed(body, BASE)
    assert [link.url for link in links] == [
        "https://news.example.com/2024/01/att-cfo",
        "https://news.example.com/2024/01/relative",
    ]


def test_feedburner_origlink_preferred():
    body = (
        b'<rss xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel><item>'
        b"<link>https://feeds.feedburner.com/~r/x/~3/abc/</link>"
        b"<feedburner:origLink>https://ex.com/real</feedburner:origLink>"
        b"</item></channel></rss>"
    )
    assert parse_feed(body, "https://ex.com/feed")[0].url == "https://ex.com/real"


def test_billion_laughs_is_not_expanded():
    started = time.monotonic()
    try:
        links = parse_feed(BILLION_LAUGHS, BASE)
    except SourceError:
        links = None
    assert time.monotonic() - started < 3.0
    if links is not None:
        assert [link.url for link in links] == ["https://news.example.com/bomb"]
        assert links[0].title is not None and len(links[0].title) < 100


def test_external_entity_is_not_resolved():
    try:
        links = parse_feed(XXE, BASE)
    except SourceError:
        return
    assert all("root:" not in (link.title or "") for link in links)


def test_quadratic_blowup_attribute_does_not_hang():
    big = b"A" * 200_000
    body = b'<rss><channel><item><title x="' + big + b'">t</title><link>https://ex.com/q</link>'
    body += b"</item></channel></rss>"
    started = time.monotonic()
    assert parse_feed(body, BASE)[0].url == "https://ex.com/q"
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (HTML_AS_FEED, "HTML"),
        (b"<html><body>hi</body></html>", "HTML"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"just some text", "no markup"),
        (b"{\"json\": true}", "not a JSON Feed"),
        (b"{broken", "invalid JSON"),
        (b"<<<>>>", "not XML"),
        (SITEMAP, "sitemap"),
        (b"<opml><body/></opml>", "unknown feed root"),
    ],
)
def test_not_a_feed(body, message):
    with pytest.raises(SourceError, match=message) as info:
        parse_feed(body, BASE)
    assert "\n" not in str(info.value)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_parse_feed_only_raises_source_error(body):
    try:
        links = parse_feed(body, BASE)
    except SourceError:
        return
    assert all(isinstance(link, Link) for link in links)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(RSS)))
def test_any_truncation_of_a_feed_is_handled(cut):
    try:
        links = parse_feed(RSS[:cut], BASE)
    except SourceError:
        return
    assert len(links) <= 3


# ----------------------------------------------------------------- listing


def test_listing_with_container_selector():
    links = parse_listing(LISTING, "https://news.example.com/newsflash/", "div.flash")
    assert links == [
        Link("https://news.example.com/2024/05/cto-leaves", "2024-05-01T10:00:00Z", "CTO leaves"),
        Link("https://other-site.example/story", None, "Elsewhere"),
        Link("https://news.example.com/2024/05/cfo-joins", None, "CFO joins"),
    ]


def test_listing_with_anchor_selector_and_base_tag():
    html = (
        b'<html><head><base href="https://cdn.example.com/news/"></head><body>'
        b'<a class="t" href="one">One</a><a class="t" href="two">Two</a>'
        b'<a href="three">not selected</a></body></html>'
    )
    links = parse_listing(html, "https://www.example.com/list", "a.t")
    assert [link.url for link in links] == [
        "https://cdn.example.com/news/one",
        "https://cdn.example.com/news/two",
    ]


def test_listing_bad_selector():
    with pytest.raises(SourceError, match="selector"):
        parse_listing(LISTING, "https://news.example.com/", "a[[[")


def test_listing_empty_and_non_html():
    assert parse_listing(b"", "https://ex.com/", "a") == []
    assert parse_listing(b"\x00\xff binary", "https://ex.com/", "a") == []


# ---------------------------------------------------------------- sitemaps


def test_urlset():
    links, children = parse_sitemap(SITEMAP, "https://news.example.com/sitemap.xml")
    assert children == []
    assert links == [
        Link("https://news.example.com/a", "2024-04-01"),
        Link("https://news.example.com/b", "2024-04-02T10:00:00Z"),
    ]


def test_sitemap_index():
    links, children = parse_sitemap(SITEMAP_INDEX, "https://news.example.com/sitemap.xml")
    assert links == []
    assert children == [
        "https://news.example.com/sitemap-2024-05.xml",
        "https://news.example.com/sitemap-2024-04.xml.gz",
        "https://news.example.com/sitemap-news.xml",
    ]


def test_google_news_sitemap_prefers_publication_date():
    links, _ = parse_sitemap(NEWS_SITEMAP, "https://news.example.com/news.xml")
    assert links == [
        Link(
            "https://news.example.com/2024/06/ceo-out",
            "2024-06-01T06:15:00Z",
            "CEO out after ten years",
        )
    ]


def test_gzip_sitemap():
    links, _ = parse_sitemap(gzip.compress(SITEMAP), "https://news.example.com/s.xml.gz")
    assert [link.url for link in links] == [
        "https://news.example.com/a",
        "https://news.example.com/b",
    ]


def test_gzip_bomb_sitemap_refused():
    bomb = gzip.compress(b"<urlset>" + b" " * 60_000_000)
    with pytest.raises(SourceError, match="larger than"):
        parse_sitemap(bomb, "https://ex.com/s.xml.gz")


def test_text_sitemap():
    body = b"https://ex.com/1\nhttps://ex.com/2?utm_source=x\n\nhttps://ex.com/1\n"
    links, children = parse_sitemap(body, "https://ex.com/sitemap.txt")
    assert [link.url for link in links] == ["https://ex.com/1", "https://ex.com/2"]
    assert children == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (HTML_AS_FEED, "HTML"),
        (RSS, "feed"),
        (b"\x1f\x8b garbage", "gzip"),
        (b"<foo/>", "unknown sitemap root"),
    ],
)
def test_not_a_sitemap(body, message):
    with pytest.raises(SourceError, match=message):
        parse_sitemap(body, "https://ex.com/sitemap.xml")


def test_lying_utf16_declaration():
    body = b'<?xml version="1.0" encoding="UTF-16"?><rss><channel><item>'
    body += b"<link>https://ex.com/u</link></item></channel></rss>"
    assert parse_feed(body, BASE)[0].url == "https://ex.com/u"


def test_windows_1252_mislabelled_as_utf8():
    body = b"<rss><channel><item><title>Smart \x93quotes\x94</title>"
    body += b"<link>https://ex.com/q</link></item></channel></rss>"
    assert parse_feed(body, BASE)[0].title == "Smart \u201cquotes\u201d"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["a", "div", "article a", "*"]))
def test_parse_listing_never_raises_on_garbage(body, selector):
    links = parse_listing(body, "https://ex.com/list", selector)
    assert all(link.url.startswith(("http://", "https://")) for link in links)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_parse_sitemap_only_raises_source_error(body):
    try:
        links, children = parse_sitemap(body, "https://ex.com/sitemap.xml")
    except SourceError:
        return
    assert all(isinstance(link, Link) for link in links)
    assert all(isinstance(child, str) for child in children)


def test_non_url_guid_is_not_turned_into_a_link():
    body = b"<rss><channel><item><title>x</title><guid>post-1234</guid></item>"
    body += b"<item><guid>https://ex.com/real</guid></item></channel></rss>"
    assert [link.url for link in parse_feed(body, BASE)] == ["https://ex.com/real"]


def test_json_feed():
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": ['
        b'{"id": "1", "url": "https://ex.com/j1?utm_source=json", "title": "First",'
        b' "date_published": "2024-07-01T12:00:00+02:00"},'
        b'{"id": "https://ex.com/j2"}, {"id": 3}, "junk"]}'
    )
    assert parse_feed(body, "https://ex.com/feed.json") == [
        Link("https://ex.com/j1", "2024-07-01T10:00:00Z", "First"),
        Link("https://ex.com/j2"),
    ]
    with pytest.raises(SourceError, match="JSON"):
        parse_feed(b'{"json": true}', "https://ex.com/feed.json")
