"""Stage 1 — load: bytes on disk to the decoded text that every span points into."""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md")
# The disclosures are 50 KB – 2 MB of text. A run takes about 50 bytes of memory per input byte (10 MB: 0.5 GB,
# 20 MB: 1 GB), so larger input is refused unless asked for (--max-size, BUDGET_EXTRACT_MAX_SIZE): see README,
# "Reliability".
DEFAULT_MAX_SIZE = 10 * 1024 * 1024


def shown(path: Path | str | bytes) -> str:
    """A path as a message shows it, on one line: undecodable bytes as \\xNN, control characters escaped."""
    text = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if "\udc80" <= ch <= "\udcff":  # a byte of a name that is not UTF-8 (surrogateescape)
            out.append(f"\\x{ord(ch) - 0xdc00:02x}")
        elif not ch.isprintable():
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def parse_size(value: str | int | None) -> int | None:
    """ "20MB", "512k", "1G", "1048576" → bytes; None stays None."""
    if value is None or isinstance(value, int):
        return value
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*", value.lower())
    if not m:
        raise ValueError(f"{value!r} is not a size (e.g. 20MB, 512KB, 1GB, or a number of bytes)")
    return int(float(m.group(1)) * 1024 ** " kmgt".index(m.group(2) or " "))


def max_size() -> int:
    """The input size limit: BUDGET_EXTRACT_MAX_SIZE, else the default."""
    env = os.environ.get("BUDGET_EXTRACT_MAX_SIZE")
    try:
        return parse_size(env) if env else DEFAULT_MAX_SIZE
    except ValueError:
        return DEFAULT_MAX_SIZE


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


class LoadError(Exception):
    """A file we cannot read as a disclosure. The message is one line naming the file."""

    def __init__(self, path: Path | str | bytes, problem: str):
        self.path = shown(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True)
class Document:
    path: Path
    text: str
    encoding: str
    sha256: str

    @property
    def name(self) -> str:
        return self.path.stem


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def check_name(path: Path) -> None:
    """A name we can write down: UTF-8 (results, the review store and exports are UTF-8 text)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise LoadError(path, "the file name is not valid UTF-8 (shown escaped); rename it, e.g. "
                              "`convmv -f gbk -t utf-8 --notest FILE` for names from a Chinese Windows") from None


def open_regular(path: Path, limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most ``limit`` bytes, or a LoadError saying why not.

    Only regular files are read (a FIFO would block, /dev/zero never ends): the file is opened without
    blocking and what was opened is checked, so a name swapped in between changes nothing. The size is
    checked before reading and again while reading, for a file that grows.
    """
    limit = max_size() if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise LoadError(path, "a symlink to a missing file" if os.path.islink(path) else "no such file") from None
    except IsADirectoryError:
        raise LoadError(path, "is a directory, not a file (pass it to `run` to process the files inside)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LoadError(path, "a symlink loop") from None
        if exc.errno == errno.ENOTDIR:
            raise LoadError(path, "no such file (a part of the path is not a folder)") from None
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    st = os.fstat(fd)
    problem = None
    if stat.S_ISDIR(st.st_mode):
        problem = "is a directory, not a file (pass it to `run` to process the files inside)"
    elif not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        problem = f"{kind}, not a regular file; only regular files are read"
    elif st.st_size > limit:
        problem = (f"too large: {_mb(st.st_size)}, above the limit of {_mb(limit)} "
                   f"(raise it with --max-size or BUDGET_EXTRACT_MAX_SIZE)")
    if problem:
        os.close(fd)
        raise LoadError(path, problem)
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise LoadError(path, f"too large: more than the limit of {_mb(limit)} (it grew while being read)")
    return data, st


def load_document(path: Path | str, limit: int | None = None) -> Document:
    path = Path(path)
    check_name(path)
    data, _ = open_regular(path, limit)
    text, encoding = decode_bytes(path, data)
    return Document(path=path, text=text, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


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
