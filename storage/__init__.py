"""The SQLite archive and departure register (through sqlite-utils)."""

from storage.errors import StorageError
from storage.store import Finding, PageVersion, Store, UrlState, utcnow

__all__ = ["Finding", "PageVersion", "StorageError", "Store", "UrlState", "utcnow"]
