"""The SQLite archive and departure register (through sqlite-utils)."""

from storage.errors import StorageError
from storage.store import Finding, PageVersion, Store, UrlState, iso_utc, site_of, utcnow

__all__ = ["Finding", "PageVersion", "StorageError", "Store", "UrlState", "iso_utc", "site_of",
           "utcnow"]
