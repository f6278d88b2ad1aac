"""robots.txt policy (RFC 9309) on top of protego.

Kept apart from the fetcher so the status-code rules are testable without a
network: which answers mean "allow all", which mean "stay away", and how an HTML
page served at /robots.txt is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from protego import Protego

log = logging.getLogger("exodus.fetch")

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB, may ignore the rest


def product_token(user_agent: str) -> str:
    """The robots.txt name of a User-Agent: ``exodus/0.1 (+https://...)`` -> ``exodus``.

    Matching the full header would let ``User-agent: github`` rules hit us just
    because our contact URL mentions github.com.
    """
    first = user_agent.strip().split(None, 1)[0] if user_agent.strip() else "*"
    return first.split("/", 1)[0].lower() or "*"


@dataclass
class RobotsRules:
    """Rules for one scheme://host:port; ``mode`` is "parsed", "allow" or "deny"."""

    mode: str
    reason: str = ""
    parser: Protego | None = None
    fetched_at: float = 0.0
    sitemaps: list[str] = field(default_factory=list)

    @classmethod
    def allow_all(cls, reason: str, fetched_at: float = 0.0) -> RobotsRules:
        return cls("allow", reason, fetched_at=fetched_at)

    @classmethod
    def deny_all(cls, reason: str, fetched_at: float = 0.0) -> RobotsRules:
        return cls("deny", reason, fetched_at=fetched_at)

    @classmethod
    def parse(cls, body: bytes, fetched_at: float = 0.0) -> RobotsRules:
        text = _decode(body[:ROBOTS_MAX_BYTES])
        if len(body) > ROBOTS_MAX_BYTES:
            # Drop the cut-off last line rather than parse half a rule.
            text = text.rsplit("\n", 1)[0]
        if _looks_like_html(text):
            # Sites that route every 404 to their home page; the document holds no
            # rules, so it means what a 404 means.
            return cls.allow_all("robots.txt is HTML", fetched_at)
        try:
            parser = Protego.parse(text)
        except Exception as exc:  # noqa: BLE001 - a broken file must not stop the crawl
            log.debug("robots parse failed: %r", exc)
            return cls.allow_all("robots.txt unparsable", fetched_at)
        return cls("parsed", "", parser, fetched_at, list(parser.sitemaps))

    def can_fetch(self, url: str, user_agent: str) -> bool:
        if self.mode == "allow":
            return True
        if self.mode == "deny":
            return False
        assert self.parser is not None
        try:
            return self.parser.can_fetch(url, product_token(user_agent))
        except Exception:  # noqa: BLE001
            return True

    def crawl_delay(self, user_agent: str) -> float:
        """Crawl-delay, or the gap implied by Request-rate; 0 when unspecified."""
        if self.parser is None:
            return 0.0
        token = product_token(user_agent)
        delay = 0.0
        try:
            value = self.parser.crawl_delay(token)
            if value is not None:
                delay = max(delay, float(value))
            rate = self.parser.request_rate(token)
            if rate is not None and rate.requests > 0:
                delay = max(delay, rate.seconds / rate.requests)
        except Exception:  # noqa: BLE001
            return 0.0
        return delay if delay == delay and delay >= 0 else 0.0  # NaN guard


def rules_for_status(status: int | None, body: bytes, content_type: str, now: float):
    """Map a robots.txt fetch outcome to rules (RFC 9309 2.3.1).

    2xx: parse. 4xx (except 429): "unavailable", allow all. 429, 5xx, network
    failure: "unreachable", disallow all -- the server is struggling or hiding
    its rules, and crawling it anyway is what gets crawlers banned.
    """
    if status is None:
        return RobotsRules.deny_all("robots.txt unreachable", now)
    if 200 <= status < 300:
        if "html" in content_type.lower() and _looks_like_html(_decode(body[:2048])):
            return RobotsRules.allow_all("robots.txt is HTML", now)
        return RobotsRules.parse(body, now)
    if status == 429 or status >= 500:
        return RobotsRules.deny_all(f"robots.txt http {status}", now)
    if 400 <= status < 500:
        return RobotsRules.allow_all(f"robots.txt http {status}", now)
    # 1xx/3xx left over (redirect limit hit): treat as unavailable.
    return RobotsRules.allow_all(f"robots.txt http {status}", now)


def _decode(body: bytes) -> str:
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    return "<head" in head or "<body" in head
