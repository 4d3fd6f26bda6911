"""Files written whole or not at all: light on purpose, for `run`'s own process (the one writer of a batch),
which writes every result and needs none of the readers or models ``export`` imports."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    umask = os.umask(0)  # read by setting it
    os.umask(umask)
    return umask


# Read once, when this module is imported (before a batch starts its writing threads): while one thread held the
# umask at 0 to read it, another thread's new folder (``mkdir`` below) would be writable by everyone.
PUBLIC_MODE = 0o666 & ~_umask()


def public_mode() -> int:
    """The mode a plain open() would give a new file (mkstemp's 0600 would hide results from colleagues)."""
    return PUBLIC_MODE


def temporary_prefix(path: Path) -> str:
    """``.<name>.`` — or, for a long name, a short hash of it: the temporary file's name must fit too."""
    import hashlib

    if len(os.fsencode(path.name)) <= 120:
        return f".{path.name}."
    return f".{hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]}{path.suffix}."


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write next to the target, then rename: a crash never leaves a half-written file."""
    tmp = write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_temporary(path: Path, data: str | bytes) -> Path:
    """``data`` (text is written as UTF-8) whole and flushed to disk beside ``path``, under a temporary name that is
    never taken for a result (``.<name>.….tmp``): ``os.replace`` it onto ``path`` to publish it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path), suffix=".tmp")
    try:
        os.chmod(tmp, public_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)
