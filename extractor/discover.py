"""Which files a `run` reads: the files named, and the files inside the folders named.

Every file found in a folder is either read or listed with the reason it is not:
a kind we do not read (.doc, .zip, an image), an Office lock file, a hidden file.
``--include``/``--exclude`` globs match a file's path relative to the folder
(and its name); ``--recursive`` goes into sub-folders, and without it the
sub-folders left unsearched are named. The output folder is never searched, so
a rerun does not read its own results.

Each file gets the name its result is written under (``OUT/<name>.json``): its
stem, or for a file in a sub-folder its path in the folder (``2023/预算``), so
that ``a/预算.txt`` and ``b/预算.txt`` keep a result each. Files that would still
share a name (``预算.docx`` beside ``预算.xlsx``) keep their suffix in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from .load import SUPPORTED_SUFFIXES, shown

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
    # Without --recursive: each folder named whose sub-folders were not searched, with those sub-folders.
    unsearched: list[tuple[Path, list[Path]]] = field(default_factory=list)
    names: dict[Path, str] = field(default_factory=dict)  # each file's result name (see ``result_names``)
    # Files whose names would have been the same: one line each, naming the results they get instead.
    renamed: list[str] = field(default_factory=list)


def discover(paths: list[Path], recursive: bool = False, include: list[str] = (), exclude: list[str] = (),
             out: Path | None = None) -> Found:
    found = Found()
    skip_dir = out.resolve() if out is not None and out.exists() else None
    relative: dict[Path, str] = {}  # a file found in a folder: its path there
    for path in paths:
        if not path.is_dir():
            found.files.append(path)  # named on the command line: loading says what is wrong with it
            continue
        before = len(found.files)
        walk = sorted(path.rglob("*") if recursive else path.iterdir())
        not_searched = []
        for item in walk:
            # Not only regular files: a FIFO or a broken link named like a document gets its error line.
            if item.is_dir():
                if not recursive and not item.name.startswith(".") and not _is_within(item, skip_dir):
                    not_searched.append(item)
                continue
            if _is_within(item, skip_dir):
                continue
            rel = item.relative_to(path).as_posix()
            if include and not any(fnmatch(rel, g) or fnmatch(item.name, g) for g in include):
                continue
            if any(fnmatch(rel, g) or fnmatch(item.name, g) for g in exclude):
                continue
            reason = _not_read(item)
            if reason is None:
                found.files.append(item)
                relative.setdefault(item, rel)
            else:
                found.skipped.append(f"skipped: {item}: {reason}")
        if len(found.files) == before:
            found.empty_folders.append(path)
        if not_searched:
            found.unsearched.append((path, not_searched))
    found.names, found.renamed = result_names(found.files, relative)
    return found


def result_names(files: list[Path], relative: dict[Path, str]) -> tuple[dict[Path, str], list[str]]:
    """The name each file's result is written under, and a line for each group of files whose names would have
    been the same. A file in a folder's sub-folder keeps its path in the folder (``2023/预算``); files that would
    still share a name keep their suffix too (``预算.docx``, ``预算.xlsx``). Files named more than once are one
    file; two files that share even that (``a/预算.txt`` and ``b/预算.txt`` both named on the command line) are
    left alike, and the batch reads the first of them only, saying so."""
    def stem_of(path: Path) -> str:
        rel = relative.get(path)
        return str(PurePosixPath(rel).with_suffix("")) if rel is not None else path.stem

    def full_name(path: Path) -> str:
        return relative.get(path, path.name)

    unique = list(dict.fromkeys(files))
    by_stem: dict[str, list[Path]] = {}
    for path in unique:
        by_stem.setdefault(stem_of(path), []).append(path)
    names, renamed = {}, []
    for stem, group in by_stem.items():
        distinct = list({_identity(p): p for p in group}.values())
        if len(distinct) > 1 and len({full_name(p) for p in distinct}) == len(distinct):
            for path in group:
                names[path] = full_name(path)
            renamed.append(f"note: {', '.join(shown(p) for p in distinct)} would share the result name {stem}: "
                           f"their results are {', '.join(shown(full_name(p)) + '.json' for p in distinct)}")
        else:
            for path in group:
                names[path] = stem
    return names, renamed


def _identity(path: Path):
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): loading says so
        return path


def _is_within(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return False
    return resolved == folder or folder in resolved.parents


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
