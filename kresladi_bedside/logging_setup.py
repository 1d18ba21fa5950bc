"""Logs for IT: rotating text files in the user log directory.

The clinical log (the store) is the record of what happened to a patient; these files are for
whoever keeps the workstation running, and they are read by people who have no business seeing a
PIN, a token or a patient's barcode. Every record passes through `RedactingFilter` before it is
written: sensitive `key=value` pairs, bearer tokens, barcode payloads (anything carrying GS, AIM
symbology prefixes, ISBT 128 data structures, GS1 element strings) and long digit runs (MRNs,
GSRNs, GTINs) are replaced, in the message, its arguments, extra fields and tracebacks.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

import platformdirs

from .config import APP_NAME

LOGGER_NAME = "kresladi_bedside"
LOG_FILENAME = "kresladi-bedside.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
REDACTED = "[redacted]"

SENSITIVE_KEYS = (
    "pin", "pins", "password", "passcode", "secret", "token", "access_token", "authorization",
    "api_key", "raw", "payload", "barcode", "scan", "mrn", "dob", "name", "patient", "gsrn",
    "identifiers", "din", "coi", "badge",
)
_KEYS = "|".join(sorted(SENSITIVE_KEYS, key=len, reverse=True))
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {REDACTED}"),
    # key=value, key: value, "key": "value", key='a b' — the value goes, the key stays
    (re.compile(
        rf"""(?ix)(?<![\w-])(["']?(?:{_KEYS})["']?)(\s*[:=]\s*)
        ( "[^"]*" | '[^']*' | \{{[^}}]*\}} | \[[^\]]*\] | [^\s,;)]+ )"""),
     rf"\1\2{REDACTED}"),
    # "badge N20002", "badges A1 and …": the word stays, the badge goes (issue 15)
    (re.compile(r"(?i)\b(badges?)(\s+)(?![:=\s])(?=[^\s,;)]*\d)([^\s,;)]+)"),
     rf"\1\2{REDACTED}"),
    # a bare badge number in the built-in form (one letter and 4-9 digits)
    (re.compile(r"(?<![\w-])[A-Za-z][0-9]{4,9}(?![\w-])"), REDACTED),
    # user:password@ in a URL
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@"), rf"\1{REDACTED}@"),
    # a payload with GS in it, whatever else it holds
    (re.compile(r"\S*\x1d\S*"), REDACTED),
    # AIM symbology identifier + payload: ]C0=W1234..., ]d2010..., ]Q1...
    (re.compile(r"\][A-Za-z][0-9A-Za-z]\S*"), REDACTED),
    # ISBT 128 data structures start with = or & and a second marker character
    (re.compile(r"(?<![\w=&])[=&][A-Za-z0-9<>#/+*%!;:$@\-][^\s]{3,}"), REDACTED),
    # GS1 element strings written with parentheses: (01)0301...(17)...
    (re.compile(r"(?:\(\d{2,4}\)[^\s(]+)+"), REDACTED),
    # MRNs, GSRNs, GTINs, serials: any run of 6+ digits
    (re.compile(r"(?<![\d.])\d{6,}(?![\d.])"), REDACTED),
    # other control characters (not newlines: tracebacks have them) become visible
    (re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"), "?"),
)
# LogRecord's own attributes ("name" is the logger's) are not extra fields to redact
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime"}


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record so nothing sensitive reaches a handler. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # bad %-arguments: keep what can be shown
            message = f"{record.msg} {record.args!r}"
        # one record, one line: a payload with CR/LF must not forge the next log line
        record.msg = redact(message).replace("\r", "\\r").replace("\n", "\\n")
        record.args = None
        for key in list(vars(record)):
            if key not in _RECORD_ATTRIBUTES and key.lower() in SENSITIVE_KEYS:
                setattr(record, key, REDACTED)
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            # the formatted, redacted text replaces the exception, whose str() holds the payload
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME))


def setup_it_logging(directory: Path | None = None, level: int = logging.INFO) -> Path:
    """Attach the rotating, redacting file handler to the program's logger; idempotent.
    Returns the log file's path."""
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILENAME
    logger = logging.getLogger(LOGGER_NAME)
    for handler in logger.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and \
                Path(handler.baseFilename) == path:
            return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    logger.setLevel(min(logger.level or level, level))
    return path
