"""The SQLite archive and departure register (through sqlite-utils).

`storage.store` (and with it sqlite-utils and numpy, a quarter of a second) is imported
on first use of one of its names, so commands that never open the database start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storage.errors import StorageError

if TYPE_CHECKING:
    from storage.store import Finding, PageVersion, Store, UrlState, iso_utc, site_of, utcnow

__all__ = ["Finding", "PageVersion", "StorageError", "Store", "UrlState", "iso_utc", "site_of",
           "utcnow"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from storage import store

        return getattr(store, name)
    raise AttributeError(f"module 'storage' has no attribute {name!r}")
