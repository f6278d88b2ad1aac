"""Time expressions of a departure.

``when_text`` keeps what the article says ("late 2022", "September 1") except that
expressions relative to the article ("early last year", "yesterday", "later this year")
are rewritten against the publication date when it is known ("early 2023"), because a
stored "last year" means nothing once the article is old.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_MONTHS = (
    "january february march april may june july august september october november december"
).split()


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", published)
    if not match:
        match = re.match(r"\s*(\d{4})", published)
        if not match:
            return None
        return date(int(match.group(1)), 1, 1)
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def resolve(text: str | None, published: str | None) -> str | None:
    """Rewrite relative parts of ``text`` against ``published`` (ISO date)."""
    if not text:
        return None
    text = " ".join(text.split())
    pub = parse_published(published)
    if pub is None:
        return text
    year = pub.year
    out = text
    out = re.sub(r"\blast year\b", str(year - 1), out, flags=re.I)
    out = re.sub(r"\b(this|the current) year\b", str(year), out, flags=re.I)
    out = re.sub(r"\bnext year\b", str(year + 1), out, flags=re.I)
    out = re.sub(r"\byesterday\b", (pub - timedelta(days=1)).isoformat(), out, flags=re.I)
    out = re.sub(r"\btoday\b", pub.isoformat(), out, flags=re.I)

    def _month(match: re.Match[str]) -> str:
        which, name = match.group(1).lower(), match.group(2)
        month = _MONTHS.index(name.lower()) + 1
        if which == "last":
            y = year if month < pub.month else year - 1
        elif which == "next":
            y = year if month > pub.month else year + 1
        else:
            y = year
        return f"{name} {y}"

    out = re.sub(
        r"\b(last|next|this)\s+(" + "|".join(_MONTHS) + r")\b", _month, out, flags=re.I
    )
    if re.fullmatch(r"(later|earlier|early|late|mid)?\s*(this|that)?\s*(month|week)", out, re.I):
        return f"{out} ({pub.year}-{pub.month:02d})"
    return out
