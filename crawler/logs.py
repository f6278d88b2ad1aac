"""Structured, quiet-by-default logging: one `key=value` line per event on stderr.

A daemon's log is read by grep and by log shippers, so every line carries the time,
level, logger and the event's fields rather than prose.
"""

from __future__ import annotations

import logging
import sys
import time

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _quote(value: object) -> str:
    text = str(value)
    if not text or any(c in text for c in ' "=\n'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        parts = [f"ts={stamp}Z", f"level={record.levelname.lower()}", f"logger={record.name}",
                 f"msg={_quote(record.getMessage())}"]
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                parts.append(f"{key}={_quote(value)}")
        if record.exc_info:
            parts.append(f"error={_quote(record.exc_info[1])}")
        return " ".join(parts)


def setup_logging(verbosity: int) -> None:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("exodus").setLevel(level)
    # Third-party chatter only when asked for everything.
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbosity > 2 else logging.WARNING)
