"""What every loader returns, and the one error type for a file we cannot read."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the schemas' import is heavy: `run` finds its files before it needs them)
    from schemas import Geometry


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
    # Files other than plain text: where each piece of ``text`` was printed (pages, boxes, OCR confidence).
    geometry: Geometry | None = None
    # What a person should know about how the file was read (pages with no text layer, unmapped glyphs …).
    notes: tuple[str, ...] = field(default=())
    # The name its result is written under, when not the file's stem: a file found in a sub-folder keeps its path
    # there (``2023/预算``), files that would share a name their suffix (``预算.xlsx``); see ``discover``.
    label: str | None = None

    @property
    def name(self) -> str:
        return self.label or self.path.stem
