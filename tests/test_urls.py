from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.urls import canonicalize, host_key, is_private_address


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM/a", "http://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com:80/x", "https://example.com:80/x"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/%7Euser/%e2%82%ac", "https://example.com/~user/%E2%82%AC"),
        ("https://example.com/a b/ü", "https://example.com/a%20b/%C3%BC"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/a%2Fb", "https://example.com/a%2Fb"),  # %2F stays: it is data
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://EXAMPLE.com./x", "https://example.com/x"),
        ("https://user:pw@example.com/x", "https://example.com/x"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
        ("  https://example.com/\n  a \t", "https://example.com/a"),
        ("https://example.com/p?", "https://example.com/p"),
        ("https://example.com/p?a=1&&b=2", "https://example.com/p?a=1&b=2"),
        ("https://example.com/p?q=a+b&x=%41", "https://example.com/p?q=a+b&x=A"),
    ],
)
def test_canonical_forms(url, expected):
    assert canonicalize(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://ex.com/a?utm_source=rss&utm_medium=feed&id=7&utm_campaign=x",
            "https://ex.com/a?id=7",
        ),
        ("https://ex.com/a?fbclid=abc&gclid=def&page=2", "https://ex.com/a?page=2"),
        ("https://ex.com/a?mc_cid=1&mc_eid=2&igshid=3&_ga=4&yclid=5&spm=6", "https://ex.com/a"),
        ("https://ex.com/a?UTM_Source=x&b=1", "https://ex.com/a?b=1"),
        ("https://ex.com/a?utm%5Fsource=x&b=1", "https://ex.com/a?b=1"),
        ("https://ex.com/a?ref=rss", "https://ex.com/a"),
        ("https://ex.com/a?ref_src=twsrc%5Etfw", "https://ex.com/a"),
        ("https://ex.com/a?ref=twitter&x=1", "https://ex.com/a?x=1"),
        ("https://github.com/o/r/blob/x?ref=main", "https://github.com/o/r/blob/x?ref=main"),
        ("https://medium.com/p/1?source=rss----abc---4", "https://medium.com/p/1"),
        ("https://ex.com/search?source=catalog", "https://ex.com/search?source=catalog"),
        # Order of the kept parameters is preserved (no sorting).
        ("https://ex.com/a?z=1&utm_term=q&a=2", "https://ex.com/a?z=1&a=2"),
    ],
)
def test_tracking_parameters_removed(url, expected):
    assert canonicalize(url) == expected


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("/news/1", "https://ex.com/list/", "https://ex.com/news/1"),
        ("2", "https://ex.com/list/page", "https://ex.com/list/2"),
        ("../up", "https://ex.com/a/b/c", "https://ex.com/a/up"),
        ("//cdn.ex.com/x", "https://ex.com/", "https://cdn.ex.com/x"),
        ("?page=2", "https://ex.com/list?page=1", "https://ex.com/list?page=2"),
        ("https://other.org/y", "https://ex.com/", "https://other.org/y"),
    ],
)
def test_relative_resolution(url, base, expected):
    assert canonicalize(url, base) == expected


@pytest.mark.parametrize(
    "url",
    [
        "mailto:a@b.c",
        "javascript:void(0)",
        "ftp://ex.com/file",
        "file:///etc/passwd",
        "data:text/html,hi",
        "",
        "   ",
        "http://",
        "https:///path",
        "http://exa mple.com/",
        "http://ex.com:99999/",
        "http://ex.com:abc/",
        "http://[::1/",
        "http://[zzzz::1]/",
        "tel:+123",
        "#only-a-fragment",
    ],
)
def test_rejected(url):
    assert canonicalize(url) is None


def test_non_string_input_is_none():
    assert canonicalize(None) is None  # type: ignore[arg-type]
    assert canonicalize(b"https://ex.com/") is None  # type: ignore[arg-type]


def test_host_key():
    assert host_key("https://Example.com/a?b") == "https://example.com:443"
    assert host_key("http://example.com/") == "http://example.com:80"
    assert host_key("http://example.com:8080/") == "http://example.com:8080"
    assert host_key("http://[::1]:81/") == "http://[::1]:81"
    assert host_key("ftp://example.com/") == ""
    assert host_key("garbage") == ""
    assert host_key("http://ex.com:notaport/") == ""


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True),
        ("127.1", True),  # inet_aton shorthand, still loopback
        ("2130706433", True),  # 127.0.0.1 as an integer
        ("0x7f.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("0.0.0.0", True),
        ("::1", True),
        ("[::1]", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("api.localhost", True),
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
        ("example.com", False),
        ("", False),
    ],
)
def test_is_private_address(host, private):
    assert is_private_address(host) is private


# ------------------------------------------------------------- properties

_url_chars = st.characters(codec="utf-8", exclude_categories=("Cs",))
_hosts = st.sampled_from(
    ["example.com", "EXAMPLE.com", "bücher.de", "127.0.0.1", "[::1]", "a-b.c_d.org", "x"]
)
_segments = st.text(_url_chars, max_size=12)
_structured = st.builds(
    lambda scheme, host, port, path, query, frag: (
        f"{scheme}://{host}{port}/{'/'.join(path)}" + (f"?{query}" if query else "")
        + (f"#{frag}" if frag else "")
    ),
    st.sampled_from(["http", "https", "HTTP", "ftp", "javascript"]),
    _hosts,
    st.sampled_from(["", ":80", ":443", ":8080", ":0", ":99999"]),
    st.lists(st.sampled_from(["a", ".", "..", "%7e", "%2F", "%", "é", " ", "x%20y"]), max_size=5),
    st.lists(
        st.sampled_from(["utm_source=x", "a=1", "ref=rss", "b=%41", "c", "=", "&", "q=a+b"]),
        max_size=4,
    ).map("&".join),
    st.text(_url_chars, max_size=5),
)
_any_url = st.one_of(_structured, st.text(_url_chars, max_size=60))
_bases = st.one_of(st.none(), st.sampled_from(["https://ex.com/a/b", "http://[::1]:8/", "junk"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_any_url, _bases)
def test_canonicalize_never_raises_and_is_idempotent(url, base):
    out = canonicalize(url, base)
    if out is None:
        return
    assert isinstance(out, str)
    parts = urlsplit(out)
    assert parts.scheme in ("http", "https")
    assert parts.hostname
    assert "#" not in out
    assert out.isascii()
    assert " " not in out
    assert "utm_" not in (parts.query or "")
    assert canonicalize(out) == out
    # Resolving an absolute URL against any base changes nothing.
    assert canonicalize(out, "https://other.example/x/") == out


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_helpers_never_raise(text):
    assert isinstance(host_key(text), str)
    assert isinstance(is_private_address(text), bool)
