"""Reading pages saved on disk (`exodus article`, `exodus reextract --from-dir`) with a cap.

A `.html.gz` of 1 MB can inflate to gigabytes, and a stray multi-gigabyte `.html` would be
read whole; both are cut at ``limit`` bytes (the extractor ignores anything past its own
cap anyway), so memory stays bounded whatever the folder holds.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from extract.article import MAX_BYTES

__all__ = ["SavedPage", "BadGzip", "read_saved_page"]

_CHUNK = 1 << 16


class BadGzip(ValueError):
    """The file says gzip (.gz) but does not decompress; the message says why."""


@dataclass(frozen=True)
class SavedPage:
    data: bytes
    truncated: bool  # the page was larger than the limit and was cut


def read_saved_page(path: Path, limit: int = MAX_BYTES) -> SavedPage:
    """The page's bytes, gunzipped when the name ends in ``.gz``, at most ``limit``.

    Raises OSError when the file cannot be read and BadGzip when it is not gzip.
    """
    with path.open("rb") as fh:
        if not path.name.endswith(".gz"):
            data = fh.read(limit + 1)
            return SavedPage(data[:limit], len(data) > limit)
        return _gunzip(fh, limit)


def _gunzip(fh, limit: int) -> SavedPage:  # noqa: ANN001 - a binary file object
    out = bytearray()
    d = zlib.decompressobj(zlib.MAX_WBITS | 16)
    pending = b""
    started = False
    try:
        while True:
            if not pending:
                pending = fh.read(_CHUNK)
                if not pending:
                    break
            started = True
            # max_length bounds each step's output: no chunk can inflate past the cap.
            out += d.decompress(pending, limit + 1 - len(out))
            if len(out) > limit:
                return SavedPage(bytes(out[:limit]), True)
            pending = d.unconsumed_tail
            if d.eof:
                rest = d.unused_data + pending
                pending = b""
                if rest.lstrip(b"\x00").startswith(b"\x1f\x8b"):  # another gzip member
                    d = zlib.decompressobj(zlib.MAX_WBITS | 16)
                    pending = rest.lstrip(b"\x00")
                    continue
                break
    except zlib.error as exc:
        raise BadGzip(str(exc)) from None
    if not started:
        raise BadGzip("empty file")
    if not d.eof:
        raise BadGzip("compressed data ends early")
    return SavedPage(bytes(out), False)
