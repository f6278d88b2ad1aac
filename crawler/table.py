"""Plain-text tables for the terminal: fixed columns, long cells cut with an ellipsis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str, int]]) -> str:
    """columns: (key, header, max width); widths shrink to the widest cell."""
    widths = []
    for key, header, cap in columns:
        widest = max([len(header)] + [len(_cell(r.get(key), cap)) for r in rows])
        widths.append(min(cap, widest))
    lines = ["  ".join(h.ljust(w) for (_, h, _), w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(
            _cell(row.get(key), w).ljust(w) for (key, _, _), w in zip(columns, widths, strict=True)
        ).rstrip())
    return "\n".join(lines)


DEPARTURE_COLUMNS = (
    ("id", "id", 5),
    ("person", "person", 22),
    ("company", "company", 22),
    ("role", "role", 30),
    ("destination", "destination", 26),
    ("when_text", "when", 12),
    ("status", "status", 9),
    ("gold", "gold", 4),
    ("sources", "sources", 7),
    ("outlets", "outlets", 7),
    ("last_seen", "last seen", 20),
)
