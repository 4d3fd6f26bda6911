"""What every loader returns, and the one error type for a file we cannot read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from schemas import Geometry


class LoadError(Exception):
    """A file we cannot read as a disclosure. The message is one line naming the file."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


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

    @property
    def name(self) -> str:
        return self.path.stem
