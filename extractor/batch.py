"""A batch of documents through the pipeline: results written as each document finishes.

Documents go through one at a time on the CPU; their LLM requests overlap,
bounded by the reader's concurrency, so a batch waits on the model as little as it can.
"""

from __future__ import annotations

import asyncio
import decimal
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .export import write_atomic
from .load import LoadError, load_document, shown
from .pipeline import RunOptions, process_document

# A file name may be at most 255 bytes: the result's (<stem>.json) must fit too.
NAME_MAX = 255


@dataclass
class BatchReport:
    documents: int = 0
    tables: int = 0
    cards: int = 0
    facts: int = 0
    unread: int = 0
    errors: int = 0
    warnings: int = 0
    failed: int = 0
    decided: int = 0
    stale: int = 0
    llm_calls: int = 0
    llm_reused: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    messages: list[str] = field(default_factory=list)

    def add(self, result) -> None:
        from .export import result_facts

        self.documents += 1
        self.tables += len(result.tables)
        self.cards += len(result.cards)
        self.unread += len(result.unread)
        self.facts += sum(1 for _ in result_facts(result))
        open_flags = [f for f in result.flags if f.status in ("open", "stale")]
        self.decided += sum(1 for f in result.flags if f.status not in ("open", "stale"))
        self.stale += sum(1 for f in result.flags if f.status == "stale")
        self.errors += sum(1 for f in open_flags if f.severity == "error")
        self.warnings += sum(1 for f in open_flags if f.severity == "warning")
        if result.llm is not None:
            self.llm_calls += len(result.llm.calls)
            self.llm_reused += sum(1 for c in result.llm.calls if c.source != "network")
            self.prompt_tokens += result.llm.prompt_tokens
            self.completion_tokens += result.llm.completion_tokens

    def summary(self) -> str:
        line = f"{self.documents} document(s): {self.tables} tables, {self.cards} cards, {self.facts} amounts"
        line += f"; {self.errors + self.warnings} open flag(s) ({self.errors} error(s), {self.warnings} warning(s))"
        if self.decided:
            line += f"; {self.decided} flag(s) decided in review"
        if self.stale:
            line += f"; {self.stale} earlier decision(s) stale (the document changed): review again"
        if self.unread:
            line += f"; {self.unread} section(s) not read"
        if self.llm_calls:
            line += (f"; LLM: {self.llm_calls} request(s), {self.llm_reused} from cache or recordings, "
                     f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens")
        if self.failed:
            line += f"; {self.failed} file(s) failed"
        return line


async def run_batch(files: list[Path], out: Path, options: RunOptions, reader=None,
                    advance: Callable[[], None] = lambda: None, in_flight: int = 8, store=None,
                    max_size: int | None = None) -> BatchReport:
    """Every file through the pipeline; at most ``in_flight`` documents are held in memory at once.

    With a review ``store``, each result is written with the decisions people
    made on earlier runs applied, and its flags enter the review queue. Whatever
    goes wrong with one document is one error line; the batch goes on.
    """
    report = BatchReport()
    _remove_leftovers(out)
    seen: dict[str, Path] = {}
    todo: list[Path] = []
    for path in files:
        if path.stem in seen and seen[path.stem].resolve() != path.resolve():
            report.messages.append(f"error: {shown(path)}: same name as {shown(seen[path.stem])}; its result "
                                   f"would overwrite that one — skipped")
            report.failed += 1
            advance()
            continue
        seen[path.stem] = path
        todo.append(path)
    gate = asyncio.Semaphore(max(1, in_flight))

    async def one(path: Path) -> None:
        async with gate:
            try:
                _check_result_name(path)
                doc = load_document(path, max_size)
                await _one(doc, out, options, reader, report, advance, store)
            except LoadError as exc:
                report.messages.append(f"error: {exc}")
                report.failed += 1
                advance()
            except Exception as exc:  # noqa: BLE001 - one document's failure must not end the batch
                report.messages.append(_unexpected(path, exc))
                report.failed += 1
                advance()

    await asyncio.gather(*(one(path) for path in todo))
    return report


async def _one(doc, out: Path, options: RunOptions, reader, report: BatchReport, advance, store) -> None:
    result = await process_document(doc, options, reader)
    path = out / f"{doc.name}.json"
    report.messages.extend(f"warning: {note}" for note in doc.notes)
    if result.geometry is not None:
        # A PDF's or a spreadsheet's text, which every span points into: verify, review and report read it.
        result.geometry.text_file = f"{doc.name}.txt"
        write_atomic(out / result.geometry.text_file, doc.text)
    if store is None:
        write_atomic(path, result.model_dump_json(indent=1))
    else:
        from .review.service import settle

        with store.transaction():
            settle(store, result, doc.text, path, doc.path)
    report.add(result)
    for section in result.sections:
        if section.status == "unfilled" and section.note and "replay:" in section.note:
            report.messages.append(f"error: {shown(doc.path)}: section {section.id}: {section.note}")
            report.failed += 1
    advance()


def _check_result_name(path: Path) -> None:
    if len(os.fsencode(f"{path.stem}.json")) > NAME_MAX:
        raise LoadError(path, f"the name is too long for its result file ({path.stem}.json would be over "
                              f"{NAME_MAX} bytes); rename it")


def _unexpected(path: Path, exc: BaseException) -> str:
    """One line for a failure we did not foresee: the file, what happened, and that the rest went on."""
    if isinstance(exc, decimal.DecimalException):
        what = f"{type(exc).__name__}: a number too long or too large to compute with"
    elif isinstance(exc, OSError) and exc.strerror:
        what = f"{exc.strerror}" + (f": {shown(exc.filename)}" if exc.filename else "")
    else:
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        what = f"{type(exc).__name__}" + (f": {shown(first)}" if first else "")
    return f"error: {shown(path)}: could not be processed ({what}); the rest of the batch went on"


def _remove_leftovers(out: Path, older_than: float = 60.0) -> None:
    """Temporary files of a run that was killed while writing (never mistaken for results: they are not *.json)."""
    import time

    if not out.is_dir():
        return
    for tmp in out.glob(".*.json.*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > older_than:
                tmp.unlink()
        except FileNotFoundError:  # another run removed it first
            pass
