"""Telling a monitoring user about new departures: an Atom feed file and a webhook.

After each crawl pass the outbox (storage/outbox.py) says which departures are new.
Each one is logged, the Atom file is rewritten from the database (atomically: a temp
file renamed over the old one, so a reader never sees half a feed), and each is POSTed
as JSON to the webhook. A failed delivery is logged and retried after the next pass; it
never stops a crawl. Delivery is recorded per channel, so a restart neither loses nor
repeats an announcement (a crash between a webhook's 2xx and its record can repeat that
one POST: receivers can de-duplicate on the `Idempotency-Key` header, the entry's `id`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx

from crawler.config import NotifySettings
from storage import Store, utcnow
from storage.outbox import (
    Announcement,
    claim_new,
    delivered_or_pending,
    mark,
    pending,
    skip_channel,
    still_owed,
    webhook_failed,
)

log = logging.getLogger("exodus.notify")

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:exodus,2024:departures"
WEBHOOK_GIVE_UP = 20  # failed passes before one delivery is abandoned (and logged)


def headline(a: Announcement) -> str:
    role = f" ({a.role})" if a.role else ""
    dest = f", for {a.destination}" if a.destination else ""
    return f"{a.person} leaves {a.company}{role}{dest}"


def summary(a: Announcement) -> str:
    parts = [f"{a.person}" + (f", {a.role}," if a.role else "") + f" has left {a.company}"
             + (f" for {a.destination}" if a.destination else "") + "."]
    if a.when_text:
        parts.append(f"When: {a.when_text}.")
    if a.evidence:
        parts.append(f'Evidence: "{a.evidence}"')
    if a.url:
        parts.append(f"Source: {a.url}")
    return " ".join(parts)


def payload(a: Announcement) -> dict[str, Any]:
    return {"event": "new_departure", "id": a.key, "departure_id": a.departure_id,
            "person": a.person, "company": a.company, "role": a.role,
            "destination": a.destination, "when": a.when_text, "evidence": a.evidence,
            "url": a.url, "first_seen": a.first_seen, "queued_at": a.queued_at,
            "status": a.status}


def atom_document(rows: list[Announcement]) -> bytes:
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", FEED_ID)
    sub(feed, "title", "exodus: new executive departures")
    sub(feed, "updated", rows[0].queued_at if rows else utcnow())
    author = sub(feed, "author")
    sub(author, "name", "exodus")
    for a in rows:
        entry = sub(feed, "entry")
        sub(entry, "id", a.key)
        sub(entry, "title", headline(a))
        sub(entry, "updated", a.queued_at)
        if a.url:
            sub(entry, "link", href=a.url)
        sub(entry, "summary", summary(a))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Notifier:
    """Announces new departures after each pass; one per process (the daemon shares it
    between its source jobs, and the lock keeps two jobs from sending the same rows)."""

    def __init__(self, settings: NotifySettings) -> None:
        self.settings = settings
        self._lock: asyncio.Lock | None = None

    async def after_pass(self, store: Store) -> list[Announcement]:
        """Announce what is new; returns the departures first announced by this call."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            new = claim_new(store)
            for a in new:
                log.info("new departure", extra={"person": a.person, "company": a.company,
                                                 "role": a.role, "id": a.departure_id,
                                                 "url": a.url})
            self._atom(store)
            await self._webhook(store)
        return new

    def _atom(self, store: Store) -> None:
        if not self.settings.atom_path:
            skip_channel(store, "atom")
            return
        path = Path(self.settings.atom_path)
        todo = pending(store, "atom")
        if not todo and path.exists():
            return
        rows = delivered_or_pending(store, "atom", self.settings.atom_entries)
        try:
            write_atomically(path, atom_document(rows))
        except OSError as exc:
            log.warning("atom feed not written", extra={"path": str(path),
                                                        "error": exc.strerror or str(exc)})
            return
        mark(store, "atom", todo, utcnow())

    async def _webhook(self, store: Store) -> None:
        url = self.settings.webhook_url
        if not url:
            skip_channel(store, "webhook")
            return
        todo = pending(store, "webhook")
        if not todo:
            return
        async with httpx.AsyncClient(timeout=self.settings.webhook_timeout_seconds,
                                     follow_redirects=False) as client:
            for a in todo:
                if not still_owed(store, "webhook", a):
                    continue
                error = await self._post(client, url, a)
                if error is None:
                    mark(store, "webhook", [a], utcnow())
                    continue
                attempts = webhook_failed(store, a, error)
                log.warning("webhook delivery failed", extra={
                    "person": a.person, "company": a.company, "error": error,
                    "attempts": attempts})
                if attempts >= WEBHOOK_GIVE_UP:
                    mark(store, "webhook", [a], "gave-up")
                    log.error("webhook delivery abandoned", extra={
                        "person": a.person, "company": a.company, "attempts": attempts})
                break  # the endpoint is failing: the rest wait for the next pass

    async def _post(self, client: httpx.AsyncClient, url: str, a: Announcement) -> str | None:
        """None on a 2xx; else the last error after the configured retries."""
        error = "not sent"
        for attempt in range(self.settings.webhook_retries + 1):
            if attempt:
                await asyncio.sleep(min(0.5 * 2 ** (attempt - 1), 10.0))
            try:
                res = await client.post(url, json=payload(a),
                                        headers={"Idempotency-Key": a.key})
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                continue
            if 200 <= res.status_code < 300:
                return None
            error = f"http {res.status_code}"
        return error
