"""URL canonicalisation and host helpers.

One canonical spelling per page is what makes the archive deduplicate: the same
article reached through a feed (``?utm_source=rss``), a listing and a sitemap
must map to one key. Everything here is pure and never raises, because URLs come
from hostile or broken documents.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import unquote, urljoin, urlsplit

import idna

__all__ = [
    "canonicalize",
    "host_key",
    "is_private_address",
    "ip_is_private",
    "parse_ip_literal",
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
]

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Query keys that never change which document is served. Matched case-insensitively.
TRACKING_PARAMS = frozenset(
    """
    fbclid gclid gclsrc dclid gbraid wbraid msclkid yclid twclid ttclid li_fat_id
    igshid igsh mc_cid mc_eid _ga _gl _hsenc _hsmi __hstc __hssc __hsfp hsctatracking
    mkt_tok spm scm vero_id vero_conv oly_anon_id oly_enc_id rb_clickid s_cid wt.mc_id
    wt_mc ncid guccounter guce_referrer guce_referrer_sig soc_src soc_trk sr_share ocid
    at_medium at_campaign at_custom1 at_custom2 at_custom3 at_custom4 cmp cmpid ref_src
    ref_url smid wickedid _branch_match_id trkcampaign sc_cid xtor ns_mchannel
    ns_source ns_campaign ns_linkname ns_fee
    """.split()
)
# Key prefixes of whole tracking families (utm_source, pk_campaign, mtm_kwd, ...).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "piwik_", "matomo_", "itm_", "hmb_", "oly_")

# Keys that are tracking only when their value says so: ``?ref=rss`` is tracking,
# ``?ref=main`` on a code host is not.
_SOMETIMES_TRACKING = frozenset({"ref", "source", "src", "from", "via"})
_TRACKING_VALUE = re.compile(
    r"^(rss|atom|feed|feeds|twitter|twsrc|tw|x|facebook|fb|linkedin|reddit|hn|"
    r"hackernews|hacker_news|newsletter|email|e-mail|mail|social|share|sharing|"
    r"producthunt|techmeme|flipboard|google|googlenews|gnews|yahoo|msn|apple|"
    r"applenews|telegram|whatsapp|mastodon|bluesky|bsky|threads|instagram|youtube|"
    r"homepage|home|hp|nav|footer|header|sidebar|related|popular|trending|push|"
    r"app|ios|android|amp)([-_.:^%].*)?$",
    re.IGNORECASE,
)

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_PATH_SAFE = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
# Inside one query component '&' and '=' are structure; keep them literal but
# never decode %26/%3D into them (that would change meaning).
_HEX = frozenset("0123456789abcdefABCDEF")
_HOST_OK = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$")
# Tabs and line breaks never belong to a URL; feeds wrap long <link> texts
# and indent the continuation, so the indentation after a break goes too.
_WS = re.compile(r"[\r\n]+[ \t]*|\t")


def _normalize_percent(text: str, safe: frozenset[str]) -> str:
    """Return ``text`` with one canonical percent-encoding.

    Escapes of unreserved characters are decoded, other escapes upper-cased, stray
    '%' and characters outside ``safe`` (spaces, non-ASCII as UTF-8) are encoded.
    The output is a fixed point, which is what makes canonicalize idempotent.
    """
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "%":
            if i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
                code = int(text[i + 1 : i + 3], 16)
                decoded = chr(code)
                if code < 128 and decoded in _UNRESERVED:
                    out.append(decoded)
                else:
                    out.append("%" + text[i + 1 : i + 3].upper())
                i += 3
                continue
            out.append("%25")
        elif ch in safe:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, so ``/a/./b/../c`` and ``/a/c`` are one page."""
    if "." not in path:
        return path
    segments = path.split("/")
    out: list[str] = []
    for seg in segments[1:] if path.startswith("/") else segments:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    result = "/" + "/".join(out)
    if segments[-1] in (".", "..") and not result.endswith("/"):
        result += "/"
    return result


def _is_tracking(key: str, value: str) -> bool:
    lowered = key.lower()
    if lowered in TRACKING_PARAMS:
        return True
    if lowered.startswith(TRACKING_PREFIXES):
        return True
    if lowered in _SOMETIMES_TRACKING:
        return value == "" or bool(_TRACKING_VALUE.match(value))
    return False


def _clean_query(query: str) -> str:
    kept: list[str] = []
    for part in query.split("&"):
        if not part:
            continue
        key, sep, value = part.partition("=")
        # Decide on a decoded-ish key so "utm%5Fsource" is caught too.
        norm_key = _normalize_percent(key, _QUERY_SAFE - {"&", "="})
        norm_value = _normalize_percent(value, _QUERY_SAFE - {"&"})
        probe_key = norm_key.replace("%5F", "_").replace("%2E", ".")
        if _is_tracking(probe_key, norm_value):
            continue
        kept.append(norm_key + sep + norm_value)
    return "&".join(kept)


def _normalize_host(host: str) -> str | None:
    """Lower-case ASCII host or IDNA-encode a Unicode one; None when unusable."""
    if "%" in host:
        host = unquote(host, errors="strict")
    host = host.rstrip(".")
    if not host:
        return None
    if host.isascii():
        host = host.lower()
    else:
        try:
            host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            try:
                host = host.encode("idna").decode("ascii").lower()
            except UnicodeError:
                return None
    if not _HOST_OK.match(host) or len(host) > 253:
        return None
    return host


def canonicalize(url: str, base: str | None = None) -> str | None:
    """Return the canonical absolute http(s) form of ``url``, or None.

    Never raises: links come from arbitrary pages and one bad href must not cost
    the whole listing.
    """
    try:
        return _canonicalize(url, base)
    except Exception:  # noqa: BLE001 - the contract is "None on garbage"
        return None


def _canonicalize(url: str, base: str | None) -> str | None:
    if not isinstance(url, str):
        return None
    url = _WS.sub("", url).strip(" \x00\x0b\x0c")
    if not url:
        return None
    if base:
        base = _WS.sub("", base).strip()
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return None
    netloc = parts.netloc.rpartition("@")[2]  # drop credentials
    if not netloc:
        return None
    if netloc.startswith("["):
        end = netloc.find("]")
        if end == -1:
            return None
        literal = netloc[1:end]
        try:
            ip6 = ipaddress.IPv6Address(literal.split("%", 1)[0])
        except ValueError:
            return None
        host_out = f"[{ip6.compressed}]"
        port_text = netloc[end + 1 :]
        if port_text and not port_text.startswith(":"):
            return None
        port_text = port_text[1:]
    else:
        host_text, _, port_text = netloc.partition(":")
        host = _normalize_host(host_text)
        if host is None:
            return None
        host_out = host
    port: int | None = None
    if port_text:
        if not port_text.isdigit() or len(port_text) > 5:
            return None
        port = int(port_text)
        if not 0 < port < 65536:
            return None
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host_out = f"{host_out}:{port}"
    path = _normalize_percent(parts.path, _PATH_SAFE) or "/"
    if not path.startswith("/"):
        path = "/" + path
    path = _remove_dot_segments(path)
    query = _clean_query(parts.query) if parts.query else ""
    return f"{scheme}://{host_out}{path}" + (f"?{query}" if query else "")


def host_key(url: str) -> str:
    """``scheme://host:port`` with the effective port: the unit of politeness and of
    robots.txt (RFC 9309 scopes robots.txt to scheme, host and port). Returns ""
    for unusable input so callers can still use it as a dict key."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".").lower()
        if scheme not in _DEFAULT_PORTS or not host:
            return ""
        port = parts.port or _DEFAULT_PORTS[scheme]
        if ":" in host:
            host = f"[{host}]"
        return f"{scheme}://{host}:{port}"
    except (ValueError, AttributeError):
        return ""


def parse_ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    host = host.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # Legacy forms the resolver still accepts: 127.1, 0x7f.0.0.1, 2130706433.
    if re.fullmatch(r"(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}", host, re.I):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def ip_is_private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Anything that is not a public unicast address counts as private here."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return ip_is_private(mapped)
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def is_private_address(host: str) -> bool:
    """True for loopback/private/link-local literals and ``localhost`` names.

    Pure and offline: a hostname that merely *resolves* to a private address is
    not caught here; the fetcher resolves redirect targets for that.
    """
    if not host:
        return False
    host = host.strip().lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = parse_ip_literal(host)
    return ip is not None and ip_is_private(ip)
