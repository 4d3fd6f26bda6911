"""Secrets never leave the Authorization header: everything a server or a library says is scrubbed of them.

A server may echo the key in an error body ("Incorrect API key provided: sk-…"), or a model may repeat
it in an answer; an exception may carry a URL or a header. Every such text goes through ``Scrubber``
before it is stored (results, cache, recordings, the review store), printed or logged.
"""

from __future__ import annotations

import logging

REDACTED = "[redacted]"


class Scrubber:
    """Replaces every known secret (the key, and each Authorization value seen) in text and bytes."""

    def __init__(self, *secrets: str | None):
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """A secret and its bare token ("Bearer sk-…" and "sk-…"); very short values are not secrets."""
        if not secret:
            return
        for value in (secret, secret.split(" ", 1)[-1] if " " in secret else secret):
            value = value.strip()
            if len(value) >= 8:
                self._secrets.add(value)

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def text(self, s: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in s:
                s = s.replace(secret, REDACTED)
        return s

    def bytes(self, b: bytes) -> bytes:
        for secret in sorted(self._secrets, key=len, reverse=True):
            raw = secret.encode("utf-8")
            if raw in b:
                b = b.replace(raw, REDACTED.encode())
        return b


def scrub_logs(scrubber: Scrubber):
    """Scrub every log record made from now on, whichever library makes it; returns the way to undo it.

    A filter on a logger would miss its children ("openai._base_client"): the record factory sees them all.
    """
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if scrubber:
            message = record.getMessage()
            clean = scrubber.text(message)
            if clean != message:
                record.msg, record.args = clean, ()
            if record.exc_info and record.exc_info[1] is not None:
                text = scrubber.text(str(record.exc_info[1]))
                if text != str(record.exc_info[1]):
                    record.exc_info, record.exc_text = None, None
                    record.msg = f"{record.msg} ({text})"
        return record

    logging.setLogRecordFactory(factory)
    return lambda: logging.setLogRecordFactory(previous)
