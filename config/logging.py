"""A log formatter that writes one JSON object per line, for log collectors."""

from __future__ import annotations

import datetime
import json
import logging

# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((key, value) for key, value in vars(record).items() if key not in _STANDARD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # default=str: a stray object in `extra` must never make a log line fail.
        return json.dumps(entry, default=str, ensure_ascii=False)
