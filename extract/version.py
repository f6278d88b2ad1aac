"""The version stamped on everything `extract/` derives from a page.

Bump it whenever extraction or detection changes its output, so `exodus reextract`
knows which stored results are stale.
"""

EXTRACTOR_VERSION = "2"
