"""Plain-text disclosures (.txt, .md): bytes decoded to the text that every span points into."""

from __future__ import annotations

import codecs
from pathlib import Path

from .base import Document, LoadError, shown
from .markup import has_html_tables, with_tables_as_rows


def load_text(path: Path, data: bytes, sha256: str) -> Document:
    text, encoding = decode_bytes(path, data)
    if has_html_tables(text):
        # Markdown with its tables in HTML (MinerU, docling, marker): the tables as the canonical text's rows.
        text = with_tables_as_rows(text)
    notes = ()
    if encoding == MIXED:
        utf8, gbk = _lines_by_encoding(data)
        fewer, name = (utf8, "UTF-8") if len(utf8) <= len(gbk) else (gbk, "GB18030/GBK")
        notes = (f"{shown(path)}: lines in two encodings (GB18030/GBK and UTF-8: two files pasted together, or a line "
                 f"edited in another editor); each line was decoded in its own — {name} at line(s) {_listed(fewer)}",)
    return Document(path=path, text=text, encoding=encoding, sha256=sha256, notes=notes)


# A file whose lines are not all in one encoding: each line decoded in the one it is in (see ``_by_line``).
MIXED = "gb18030+utf-8"


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
        if encoding == "gb18030" and mixed_lines(data):
            # GB18030 decodes UTF-8 bytes too, as mojibake (行政运行 → 琛屾斂杩愯): such lines are read as UTF-8.
            return _by_line(data), MIXED
        return text, encoding
    mixed = _by_line(data)
    if mixed is not None:
        return mixed, MIXED
    guess = _guess_encoding(data)
    if guess is None:
        raise LoadError(path, "undecodable bytes: not UTF-8, GBK/GB18030 or another known text encoding")
    return _strict(path, data, guess), guess


def _utf8_line(line: bytes) -> str | None:
    """The line as UTF-8 when it is UTF-8 with Chinese in it. GBK bytes seldom are UTF-8, and when they are, they
    spell two-byte letters (Latin, Greek, Cyrillic: U+0080–U+07FF) more than ideographs."""
    if line.isascii():
        return None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    ideographs = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    letters = sum(1 for ch in text if "\u0080" <= ch <= "\u07ff")
    return text if ideographs and letters <= ideographs // 4 else None


def mixed_lines(data: bytes) -> bool:
    """Whether a file has lines in UTF-8 and others that are not (GB18030/GBK, or neither)."""
    utf8, other = _lines_by_encoding(data)
    return bool(utf8 and other)


def _lines_by_encoding(data: bytes) -> tuple[list[int], list[int]]:
    """The numbers (from 1) of the lines with non-ASCII bytes that are UTF-8 Chinese, and of the others."""
    utf8, other = [], []
    for n, line in enumerate(data.splitlines(), start=1):
        if not line.isascii():
            (utf8 if _utf8_line(line) is not None else other).append(n)
    return utf8, other


def _by_line(data: bytes) -> str | None:
    """The text of a file whose lines are UTF-8 or GB18030, each decoded in its own; None when some line is
    neither, or when the lines are not of both kinds."""
    if not mixed_lines(data):
        return None
    out = []
    for line in data.splitlines(keepends=True):
        text = _utf8_line(line)
        if text is None:
            try:
                text = line.decode("gb18030")
            except UnicodeDecodeError:
                return None
            if not line.isascii() and not _chinese_line(text):
                return None
        out.append(text)
    return "".join(out)


def _chinese_line(text: str) -> bool:
    """A line that GB18030 decoded into Chinese: some ideograph, nothing unprintable."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text) and all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _listed(numbers: list[int], limit: int = 10) -> str:
    shown_ = ", ".join(str(n) for n in numbers[:limit])
    return shown_ + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


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
