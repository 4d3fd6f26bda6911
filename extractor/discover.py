"""Which files a `run` reads: the files named, and the files inside the folders named.

Every file found in a folder is either read or listed with the reason it is not:
a kind we do not read (.doc, .zip, an image), an Office lock file, a hidden file.
``--include``/``--exclude`` globs match a file's path relative to the folder
(and its name); ``--recursive`` goes into sub-folders. The output folder is
never searched, so a rerun does not read its own results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from .load import SUPPORTED_SUFFIXES

_KNOWN_OTHER = {
    ".doc": "a Word 97–2003 .doc file: save it as .docx or PDF",
    ".wps": "a WPS document: save it as .docx or PDF",
    ".et": "a WPS spreadsheet: save it as .xlsx",
    ".ofd": "an OFD file: print it to PDF",
    ".zip": "a zip archive: unpack it",
    ".rar": "a rar archive: unpack it",
    ".7z": "a 7z archive: unpack it",
    ".html": "a web page: save the disclosure itself (PDF or spreadsheet)",
    ".htm": "a web page: save the disclosure itself (PDF or spreadsheet)",
    ".jpg": "an image: put scanned pages in a PDF to read them with OCR",
    ".jpeg": "an image: put scanned pages in a PDF to read them with OCR",
    ".png": "an image: put scanned pages in a PDF to read them with OCR",
    ".tif": "an image: put scanned pages in a PDF to read them with OCR",
    ".tiff": "an image: put scanned pages in a PDF to read them with OCR",
}


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line each: the file and why it is not read
    empty_folders: list[Path] = field(default_factory=list)


def discover(paths: list[Path], recursive: bool = False, include: list[str] = (), exclude: list[str] = (),
             out: Path | None = None) -> Found:
    found = Found()
    skip_dir = out.resolve() if out is not None and out.exists() else None
    for path in paths:
        if not path.is_dir():
            found.files.append(path)  # named on the command line: loading says what is wrong with it
            continue
        before = len(found.files)
        walk = sorted(path.rglob("*") if recursive else path.iterdir())
        for item in walk:
            # Not only regular files: a FIFO or a broken link named like a document gets its error line.
            if item.is_dir():
                continue
            if skip_dir is not None and skip_dir in item.resolve().parents:
                continue
            rel = item.relative_to(path).as_posix()
            if include and not any(fnmatch(rel, g) or fnmatch(item.name, g) for g in include):
                continue
            if any(fnmatch(rel, g) or fnmatch(item.name, g) for g in exclude):
                continue
            reason = _not_read(item)
            if reason is None:
                found.files.append(item)
            else:
                found.skipped.append(f"skipped: {item}: {reason}")
        if len(found.files) == before:
            found.empty_folders.append(path)
    return found


def _not_read(path: Path) -> str | None:
    name, suffix = path.name, path.suffix.lower()
    if name.startswith("~$"):
        return "an Office lock file (the document is open in Office), not a document"
    if name.startswith("."):
        return "a hidden file"
    if suffix in SUPPORTED_SUFFIXES:
        return None
    if suffix in _KNOWN_OTHER:
        return _KNOWN_OTHER[suffix]
    return f"not a kind of file budget-extract reads ({', '.join(SUPPORTED_SUFFIXES)})"
