"""Plain-text disclosures (.txt, .md): bytes decoded to the text that every span points into."""

from __future__ import annotations

import codecs
from pathlib import Path

from .base import Document, LoadError


def load_text(path: Path, data: bytes, sha256: str) -> Document:
    text, encoding = decode_bytes(path, data)
    return Document(path=path, text=text, encoding=encoding, sha256=sha256)


def decode_bytes(path: Path | str, data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else GB18030 (a superset of GBK).

    charset-normalizer is asked only when both fail, so that the common cases
    stay fast and deterministic; its guess must still decode every byte.
    Offsets are string indices into the returned text, newlines untouched.
    """
    if not data.strip():
        raise LoadError(path, "empty file")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LoadError(path, "binary data, not a text file")
    if data.startswith(codecs.BOM_UTF8):
        return _nonempty(path, _strict(path, data[len(codecs.BOM_UTF8):], "utf-8")), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _nonempty(path, _strict(path, data, "utf-32")), "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _nonempty(path, _strict(path, data, "utf-16")), "utf-16"
    for encoding in ("utf-8", "gb18030"):
        text = _cut_tail(data, encoding)
        if text is None:
            continue
        if encoding == "gb18030" and not _looks_chinese(text):
            break
        return text, encoding
    guess = _guess_encoding(data)
    if guess is None:
        raise LoadError(path, "undecodable bytes: not UTF-8, GBK/GB18030 or another known text encoding")
    return _strict(path, data, guess), guess


def _cut_tail(data: bytes, encoding: str) -> str | None:
    """The text, or None when it is not in ``encoding``.

    A file cut short in the middle of its last character (a truncated download) still decodes: the broken
    character becomes "\ufffd", the mark converters use for a cut line, so the cut is visible, not dropped.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 4 or exc.end < len(data):
            return None
        try:
            return data[:exc.start].decode(encoding) + "\ufffd"
        except UnicodeDecodeError:
            return None


def _nonempty(path: Path | str, text: str) -> str:
    if not text.strip():
        raise LoadError(path, "empty file")
    return text


def _strict(path: Path | str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(path, f"undecodable bytes at offset {exc.start} for {encoding}") from exc


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes almost any byte string; accept it only when the result reads as Chinese text."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return cjk > 0 and printable >= 0.98 * len(text) and cjk >= 0.05 * len(text)


def _guess_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # imported late: only needed for unusual files

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    text = str(best)
    if sum(1 for ch in text if not (ch.isprintable() or ch in "\r\n\t")) > 0.02 * max(len(text), 1):
        return None
    return best.encoding
