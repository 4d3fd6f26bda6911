"""Re-verify a result file that a person (or a model) may have edited, against its source document."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from schemas import ExtractionResult
from verify import verify_result

from .load import LoadError, load_document


class ReverifyError(Exception):
    pass


def reverify_file(path: Path, source: Path | None = None, decisions=None) -> ExtractionResult:
    """Verify a result file again; with ``decisions`` from the review store, re-apply them too."""
    try:
        result = ExtractionResult.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReverifyError(f"{path}: cannot read: {exc.strerror}") from None
    except ValidationError as exc:
        raise ReverifyError(f"{path}: not a result file: {exc.errors()[0]['msg']}") from None
    src = source or Path(result.document.path)
    try:
        doc = load_document(src)
    except LoadError as exc:
        raise ReverifyError(f"{path}: its source {exc}") from None
    if doc.sha256 != result.document.sha256:
        raise ReverifyError(f"{path}: its source {src} has changed since the result was written "
                            f"(sha256 {doc.sha256[:12]}… ≠ {result.document.sha256[:12]}…); run `budget-extract run` again")
    verify_result(result, doc.text)
    if decisions is not None:
        from .review.apply import apply_decisions

        apply_decisions(result, doc.text, decisions)
    return result
