"""Reading a file's bytes safely: regular files only, names we can write down, a size limit."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from .base import LoadError, shown  # noqa: F401 - shown is part of this module's interface

# The disclosures are 50 KB – 2 MB of text. A run takes about 50 bytes of memory per input byte (10 MB: 0.5 GB,
# 20 MB: 1 GB), so larger input is refused unless asked for (--max-size, BUDGET_EXTRACT_MAX_SIZE): see docs/reliability.md.

DEFAULT_MAX_SIZE = 10 * 1024 * 1024


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
    """A size as people say it: 1.5 MB, 20 KB, 300 bytes (a small --max-size must not read as 0.0 MB)."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def check_name(path: Path) -> None:
    """A name we can write down: UTF-8 (results, the review store and exports are UTF-8 text)."""
    if not is_utf8_name(path):
        raise LoadError(path, "the file name is not valid UTF-8 (shown escaped); rename it, e.g. "
                              "`convmv -f gbk -t utf-8 --notest FILE` for names from a Chinese Windows")


def is_utf8_name(name: Path | str) -> bool:
    """False for a name in bytes that are not UTF-8 (decoded as surrogates): such a file is never read nor stored."""
    try:
        str(name).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
