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
share a name keep their suffix in it (``预算.docx`` beside ``预算.xlsx``), or as many
of the folders they are in as tells them apart (``a/预算.txt b/预算.txt`` named on
the command line: ``a/预算``, ``b/预算``). No file is left without a result of its own.
"""

from __future__ import annotations

import os
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
    ".odt": "an OpenDocument text: save it as .docx or PDF",
    ".ods": "an OpenDocument spreadsheet: save it as .xlsx",
    ".html": "a web page: print it to PDF from the browser, or save it as .docx in LibreOffice Writer or Word",
    ".htm": "a web page: print it to PDF from the browser, or save it as .docx in LibreOffice Writer or Word",
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
    # Files given more than once (a folder and the file's own path): one line each; each is read once.
    repeated: list[str] = field(default_factory=list)


def discover(paths: list[Path], recursive: bool = False, include: list[str] = (), exclude: list[str] = (),
             out: Path | None = None) -> Found:
    found = Found()
    skip_dir = out.resolve() if out is not None and out.exists() else None
    relative: dict[Path, str] = {}  # a file found in a folder: its path there
    folders: dict[Path, Path] = {}  # and that folder
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
            if not _selected(rel, item.name, include, exclude):
                continue
            reason = _not_read(item)
            if reason is None:
                found.files.append(item)
                relative.setdefault(item, rel)
                folders.setdefault(item, path)
            else:
                found.skipped.append(f"skipped: {item}: {reason}")
        if len(found.files) == before:
            found.empty_folders.append(path)
        if not_searched:
            found.unsearched.append((path, not_searched))
    found.files, found.repeated = _once_each(found.files)
    # A .json file named on the command line is refused by the batch (a result given to `run`): it takes no name.
    documents = [f for f in found.files if f.suffix.lower() != ".json"]
    found.names, found.renamed = result_names(documents, relative, folders)
    return found


def _selected(rel: str, name: str, include, exclude) -> bool:
    """Whether --include/--exclude let a file in a folder through (``rel``: its path in the folder)."""
    if include and not any(fnmatch(rel, g) or fnmatch(name, g) for g in include):
        return False
    return not any(fnmatch(rel, g) or fnmatch(name, g) for g in exclude)


def _once_each(files: list[Path]) -> tuple[list[Path], list[str]]:
    """The files with each one kept once, at its first place (a folder and a file in it both given: one document,
    read and counted once), and a line for each file given more than once."""
    kept: dict = {}
    repeated = []
    for path in files:
        first = kept.setdefault(resolved(path), path)
        if first is not path and path.exists():  # a missing file named twice: loading says so, once
            repeated.append(f"note: {shown(path)} was given more than once (by its folder and by its own path, "
                            f"or twice): read once")
    return list(kept.values()), list(dict.fromkeys(repeated))


def in_scope(path: Path, folder: Path, recursive: bool = False, include=(), exclude=()) -> bool:
    """Whether a run given ``folder`` (with these options) looks at a file at ``path`` (absolute; it may be gone):
    inside the folder (in a sub-folder only with ``recursive``), not hidden, let through by the globs."""
    try:
        rel = path.relative_to(folder)
    except ValueError:
        return False
    if not rel.parts or (len(rel.parts) > 1 and not recursive) or path.name.startswith((".", "~$")):
        return False
    return _selected(rel.as_posix(), path.name, include, exclude)


def _empty(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def result_names(files: list[Path], relative: dict[Path, str],
                 folders: dict[Path, Path] | None = None) -> tuple[dict[Path, str], list[str]]:
    """The name each file's result is written under, and a line for each group of files whose names would have
    been the same.

    A file's name is its stem, or for a file found in a folder its path there (``2023/预算``). Files that would
    share a name are told apart the least way that does it, the same way for each file of the group: by their
    suffixes (``预算.docx``, ``预算.xlsx``), else by as many of the folders they are in as it takes (``a/预算.txt``
    and ``b/预算.txt`` named on the command line → ``a/预算`` and ``b/预算``, as ``--recursive`` from their common
    folder names them), else by both. Files named more than once are one file.
    ``folders``: for a file found in a folder, that folder (its path there is ``relative[file]``).
    """
    unique = list(dict.fromkeys(files))
    own = {path: _own_name(path, relative.get(path)) for path in unique}  # the first rung of each file's ladder
    ladder = _Ladders(relative, folders or {})
    # Group the files by the name each would get on its own; a group whose files clash is named together, at the
    # first rung of the ladder where its files differ. A name a group then takes that another file already has
    # merges the two groups, until every distinct file has a name of its own.
    groups: list[list[Path]] = []
    by_first: dict[str, list[Path]] = {}
    for path in unique:
        by_first.setdefault(own[path], []).append(path)
    groups = list(by_first.values())
    while True:
        names: dict[Path, str] = {}
        rung: dict[int, int] = {}
        for g, group in enumerate(groups):
            if len(group) == 1:  # nearly every file: its own name, no ladder to climb
                names[group[0]] = own[group[0]]
                continue
            rung[g] = _first_distinct_rung(group, ladder)
            for path in group:
                names[path] = ladder[path][min(rung[g], len(ladder[path]) - 1)]
        owner: dict[str, int] = {}
        merge = None
        for g, group in enumerate(groups):
            for path in group:
                other = owner.setdefault(names[path], g)
                if other != g:
                    merge = (other, g)
                    break
            if merge:
                break
        if merge is None:
            break
        a, b = merge
        groups[a] = groups[a] + groups[b]
        del groups[b]
    renamed = []
    for g, group in enumerate(groups):
        if len(group) < 2:  # nearly every file: a name of its own, nothing to tell apart
            continue
        distinct = list({resolved(p): p for p in group}.values())
        # Files that are all empty are each refused when read and write no result: no name to tell apart.
        if len(distinct) > 1 and not all(_empty(p) for p in distinct):
            first = own[distinct[0]]
            renamed.append(f"note: {', '.join(shown(p) for p in distinct)} would share the result name {first}: "
                           f"their results are {', '.join(shown(names[p]) + '.json' for p in distinct)}")
    return names, renamed


def _own_name(path: Path, rel: str | None) -> str:
    """A file's name on its own (the first rung of its ladder): its stem, or its path in its folder without the
    suffix."""
    tail = PurePosixPath(rel) if rel is not None else PurePosixPath(path.name)
    return str(tail.with_suffix("")) if tail.suffix else str(tail)


class _Ladders(dict):
    """Each file's ladder of names (``_name_ladder``), made when first looked up: only files whose names would
    clash climb one."""

    def __init__(self, relative: dict[Path, str], folders: dict[Path, Path]):
        super().__init__()
        self.relative, self.folders = relative, folders

    def __missing__(self, path: Path) -> list[str]:
        self[path] = ladder = _name_ladder(path, self.relative.get(path), self.folders.get(path))
        return ladder


def _name_ladder(path: Path, rel: str | None, folder: Path | None) -> list[str]:
    """The names a file may get, from the shortest: its stem (its path in its folder), with its suffix, then with
    one more of the folders above it each time, without and with its suffix."""
    tail = PurePosixPath(rel) if rel is not None else PurePosixPath(path.name)
    if folder is None:
        folder = path.parents[len(tail.parts) - 1]
    # A hidden folder's name is not hidden in a result's path: results under ``OUT/.cache/`` would be passed over.
    above = tuple("_" + part[1:] if part.startswith(".") else part for part in Path(os.path.abspath(folder)).parts[1:])
    ladder = []
    for k in range(len(above) + 1):
        lead = PurePosixPath(*above[len(above) - k:]) if k else PurePosixPath()
        ladder.append(str(lead / tail.with_suffix("")) if tail.suffix else str(lead / tail))
        ladder.append(str(lead / tail))
    return ladder


def _first_distinct_rung(group: list[Path], ladder: dict[Path, list[str]]) -> int:
    """The first rung at which the group's distinct files all have names of their own (0 for one file)."""
    if len(group) < 2:
        return 0
    distinct = list({resolved(p): p for p in group}.values())
    if len(distinct) < 2:
        return 0
    longest = max(len(ladder[p]) for p in distinct)
    for r in range(longest):
        if len({ladder[p][min(r, len(ladder[p]) - 1)] for p in distinct}) == len(distinct):
            return r
    return longest - 1


def resolved(path: Path) -> Path:
    """The file a path names, as one absolute path whatever way it is spelled (the key that tells two spellings of a
    file apart from two files)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): loading says so
        return Path(os.path.abspath(path))


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
