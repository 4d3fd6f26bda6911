"""`review sync DIR`: the review store built from result files that were written elsewhere.

Workers of a cluster (see docs/dask.md) write ``DIR/<name>.json`` with no store at
hand. Afterwards one process — the store's one writer — brings each result into
the store as `run` would have: the trail is the truth, so a file is taken as it is
only when it carries exactly the decisions the store's trail holds for its document
(none, for a worker's file). Any other file — one with decisions people made on
earlier versions, or one written under another store that carries decisions this
trail lacks — is re-verified against its source with the trail's decisions in force
and rewritten. A document with a table whose header a layout hint of the store
names, read without it (the workers had no store), is read again with the hints.
Then its flags enter the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from schemas import ExtractionResult, LayoutHint

from ..export import result_paths
from ..reverify import ReverifyError, read_result, read_source, text_copy
from ..work import Tally
from .service import agrees_with_trail, settle
from .store import ReviewStore


def sync_folder(store: ReviewStore, folder: Path, report, advance: Callable[[], None] = lambda: None) -> None:
    """Every result file of ``folder`` into ``store``, one transaction per document; problems become lines."""
    hints = tuple(store.hints())
    taught = store.taught_here()
    for place, path in enumerate(result_paths(folder)):
        try:
            result = read_result(path)
            name = result.document.name
            decisions = store.decisions(name)
            untried = result.llm is None and hints_untried(result, hints, taught)
            foreign = _not_in_trail(result, decisions)
            if foreign:
                report.note(place, _kept_aside(path, foreign))
            with store.transaction():
                if untried or not agrees_with_trail(result, decisions):
                    known = store.document(name)
                    source = known.source if known and known.sha256 == result.document.sha256 \
                        else Path(result.document.path)
                    text = read_source(source, result.document.sha256, path, text_copy(result, folder))
                    if untried:
                        result = _read_with_hints(source, result, hints, taught, path)
                    settle(store, result, text, path, source)
                else:
                    store.sync(result, path)
            report.add(Tally.of(result))
        except ReverifyError as exc:
            report.note(place, f"error: {exc}")
            report.failed += 1
        advance()


def _not_in_trail(result: ExtractionResult, decisions) -> list:
    """The decisions a file carries that the store's trail does not hold (made under another store)."""
    held = {(d.seq, d.time, d.action, d.subject) for d in decisions}
    return [d for d in result.decisions if (d.seq, d.time, d.action, d.subject) not in held]


def _kept_aside(path: Path, foreign: list) -> str:
    """A file carrying another store's decisions is rewritten from this store's trail (the trail is the truth);
    the file as it was is kept beside it first, so a person's values are never dropped silently."""
    from ..export import write_atomic
    from ..load import shown

    aside = path.with_name(path.name + ".other-trail")
    write_atomic(aside, path.read_text(encoding="utf-8"))
    said = "; ".join(f"{d.action} {d.field or d.check}" + (f" → {d.after}" if d.after else "")
                     + (f" by {d.reviewer}" if d.reviewer else "") for d in foreign[:3])
    more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
    return (f"note: {shown(path)} carries {len(foreign)} decision(s) this store's trail lacks ({said}{more}): not "
            f"adopted — the trail is the truth, and the file is rewritten from it; the file as it was is kept as "
            f"{shown(aside)}")


def hints_untried(result: ExtractionResult, hints: tuple[LayoutHint, ...], taught) -> bool:
    """A table whose header a hint names was read without the hints (nothing records what became of one)."""
    doc = result.document
    wanted = {(h.kind, h.header) for h in hints if (h.kind, h.header, doc.name, doc.sha256) not in taught}
    return any(t.hint is None and (t.kind, t.header) in wanted for t in result.tables)


def _read_with_hints(source: Path, result: ExtractionResult, hints, taught, where: Path) -> ExtractionResult:
    """The document read again by the rules with the store's hints offered (the verifier still chooses)."""
    from ..load import LoadError, load_document
    from ..pipeline import RunOptions, extract_and_verify
    from ..work import _canonical

    try:
        doc = load_document(source)
    except LoadError as exc:
        raise ReverifyError(f"{where}: its source {exc}") from None
    if doc.sha256 != result.document.sha256:
        raise ReverifyError(f"{where}: its source {source} has changed since the result was written; run "
                            f"`budget-extract run` again")
    again = extract_and_verify(doc, RunOptions(backend="rules", hints=hints, taught=taught))
    _canonical(again, doc)
    again.document = result.document  # the path as the workers recorded it
    return again
