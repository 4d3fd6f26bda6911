"""Re-verify a result file that a person (or a model) may have edited, against its source document."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from schemas import ExtractionResult
from verify import verify_result

from .load import LoadError, load_document


class ReverifyError(Exception):
    pass


def read_result(path: Path) -> ExtractionResult:
    try:
        return ExtractionResult.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReverifyError(f"{path}: result file is missing; run `budget-extract run` again") from None
    except OSError as exc:
        raise ReverifyError(f"{path}: cannot read: {exc.strerror}") from None
    except ValidationError as exc:
        raise ReverifyError(f"{path}: not a result file: {exc.errors()[0]['msg']}") from None


def read_source(src: Path, sha256: str, where: Path | str) -> str:
    """The text of the document a result was read from (``sha256``); refused if it changed since."""
    try:
        doc = load_document(src)
    except LoadError as exc:
        raise ReverifyError(f"{where}: its source {exc}") from None
    if doc.sha256 != sha256:
        raise ReverifyError(f"{where}: its source {src} has changed since the result was written "
                            f"(sha256 {doc.sha256[:12]}… ≠ {sha256[:12]}…); "
                            f"run `budget-extract run` again")
    return doc.text


def reverify_file(path: Path, source: Path | None = None, decisions=None) -> ExtractionResult:
    """Verify a result file again; with ``decisions`` from the review store, re-apply them too."""
    result = read_result(path)
    text = read_source(source or Path(result.document.path), result.document.sha256, path)
    verify_result(result, text)
    if decisions is not None:
        from .review.apply import apply_decisions

        apply_decisions(result, text, decisions)
    return result
