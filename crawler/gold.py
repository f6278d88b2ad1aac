"""Loading the project's gold example (seeds/gold) into a database.

The gold rows are the labels, not a detector run: they let a reviewer compare what the
detector finds on the crawled copy of the seed article with what it should find.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.errors import ExodusError
from extract.names import company_key, person_key
from storage import Finding, Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOLD = SEEDS / "gold"


def read_gold(folder: Path = GOLD) -> tuple[dict, str, list[Finding]]:
    try:
        meta = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        text = (folder / meta["article"]["file"]).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError) as exc:
        raise ExodusError(f"{folder}: cannot read the gold example ({exc})") from None
    found = [
        Finding(person=d["person"], company=d["company"], person_key=person_key(d["person"]),
                company_key=company_key(d["company"]), role=d.get("role"),
                destination=d.get("destination"), when_text=d.get("when"),
                sentence=d["evidence"], confidence=1.0, gold=True)
        for d in meta["departures"]
    ]
    return meta["article"], text, found


def load_gold(store: Store, folder: Path = GOLD) -> int:
    """Store the gold article and its departures; idempotent (fixed timestamps)."""
    article, text, found = read_gold(folder)
    stamp = article["seen_at"]
    article_id = store.save_article(
        url=article["url"], page_id=None, title=article["title"],
        published=article.get("published"), authors=[], lang="en", text=text,
        extractor_version="gold", extracted_at=stamp,
    )
    store.replace_findings(article_id, found, stamp, "gold")
    return len(found)
