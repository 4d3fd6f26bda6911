"""Re-verify a result file that a person (or a model) may have edited, against its source document."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from schemas import ExtractionResult
from verify import verify_result

from .export import ResultFileError, results_folder
from .export import read_result as _read_result
from .geometry import place_values
from .load import LoadError, load_document


class ReverifyError(Exception):
    pass


def read_result(path: Path) -> ExtractionResult:
    """The result file at ``path`` (``export.read_result``, the one loader of result files)."""
    try:
        return _read_result(path)
    except ResultFileError as exc:
        raise ReverifyError(str(exc)) from None


def text_copy(result: ExtractionResult, result_dir: Path) -> tuple[Path, str] | None:
    """The canonical text `run` wrote beside the result of a PDF or a spreadsheet, and its sha256.

    ``result_dir``: the results folder, or the result file's own folder. They differ for a document found in a
    sub-folder: its ``text_file`` (``2023/预算.txt``) is in the results folder, beside its result
    (``2023/预算.json``). The copy found is used only if its sha256 is the one recorded.
    """
    g = result.geometry
    if g is None or not g.text_file:
        return None
    path = result_dir / g.text_file
    beside = result_dir / PurePosixPath(g.text_file).name
    return (beside if not path.exists() and beside.exists() else path), g.text_sha256


def read_source(src: Path, sha256: str, where: Path | str, copy: tuple[Path, str] | None = None) -> str:
    """The text of the document a result was read from (``sha256``); refused if it changed since.

    For a PDF or a spreadsheet that is the canonical text made from it: the ``copy`` written beside
    the result when the original is unchanged and the copy intact, else the original read again,
    which must give the same text.
    """
    if copy is not None:
        text = _intact_copy(src, sha256, where, copy)
        if text is not None:
            return text
    try:
        doc = load_document(src)
    except LoadError as exc:
        raise ReverifyError(f"{where}: its source {exc}") from None
    if doc.sha256 != sha256:
        raise _changed(src, doc.sha256, sha256, where)
    if copy is not None and doc.geometry is not None and doc.geometry.text_sha256 != copy[1]:
        raise ReverifyError(f"{where}: its source {src} reads differently with this version of budget-extract "
                            f"and the text copy {copy[0]} is missing or changed; run `budget-extract run` again")
    return doc.text


def _changed(src: Path, found: str, sha256: str, where: Path | str) -> ReverifyError:
    return ReverifyError(f"{where}: its source {src} has changed since the result was written "
                         f"(sha256 {found[:12]}… ≠ {sha256[:12]}…); run `budget-extract run` again")


def _intact_copy(src: Path, sha256: str, where: Path | str, copy: tuple[Path, str]) -> str | None:
    import hashlib

    try:
        original = src.read_bytes()
    except OSError:
        return None  # load_document says what is wrong with it
    found = hashlib.sha256(original).hexdigest()
    if found != sha256:
        raise _changed(src, found, sha256, where)
    try:
        data = copy[0].read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != copy[1]:
        return None
    return data.decode("utf-8")


def reverify_file(path: Path, source: Path | None = None, decisions=None,
                  result: ExtractionResult | None = None) -> ExtractionResult:
    """Verify a result file again (``result``: its content, when already read); with ``decisions`` from the review
    store, re-apply them too."""
    result = result if result is not None else read_result(path)
    text = read_source(source or Path(result.document.path), result.document.sha256, path,
                       text_copy(result, results_folder(path, result.document.name)))
    verify_result(result, text)
    if decisions is not None:
        from .review.apply import apply_decisions

        apply_decisions(result, text, decisions)
    return place_values(result)
