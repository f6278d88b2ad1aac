"""When a crawl pass over a source counts as a failure, and why.

"It ran without an exception" is not health: a listing whose selector matches nothing,
or a feed URL that now serves an HTML page, lists zero links every pass and would look
like a quiet source for ever. Zero links from a document that did change is a failure.
"""

from __future__ import annotations

from typing import Protocol

NO_LINKS = ("no article links listed (a link_selector that matches nothing, or not a "
            "feed/sitemap?)")


class PassStats(Protocol):
    listed: int
    fetched: int
    not_modified: int
    robots: int
    failed: int
    error: str | None
    failures: list[str]
    unchanged: bool  # a source document answered 304: listing nothing is expected


def failure_reason(stats: PassStats) -> str | None:
    """None for a healthy pass; else one line saying what is wrong."""
    if stats.error:
        return stats.error
    if stats.listed == 0 and not stats.unchanged:
        return NO_LINKS
    if stats.failed and not (stats.fetched or stats.not_modified or stats.robots):
        first = stats.failures[0] if stats.failures else ""
        return f"every article fetch failed ({stats.failed}; first: {first})"
    return None
