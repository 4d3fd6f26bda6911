"""A batch of documents through the pipeline: results written as each document finishes.

Each document is read by the pure ``work.read_document`` — in a pool of ``jobs``
worker processes, or in this process when ``jobs`` is 1. This process is the only
writer: as each document comes back, in whatever order, it writes the result file
and the document's review-queue rows in one transaction, so the files and the
store are the same whatever the number of jobs and the order documents finish in.
The files are written and flushed to disk by a thread, under temporary names,
while the next documents are read; the transaction renames them into place.

A document that needs the model is read here, by the one model reader of the run:
its requests overlap with the other documents' but one limit (``--concurrency``)
holds every request of the batch, however many processes read.

Whatever goes wrong with one document is one error line; the batch goes on.
"""

from __future__ import annotations

import asyncio
import decimal
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .load import SUPPORTED_SUFFIXES, LoadError, check_name, load_document, shown
from .options import RunOptions
from .pool import default_jobs, interruptible, make_pool, stop_now
from .work import Outcome, Tally, read_document, text_file_for
from .writing import write_atomic, write_temporary


@dataclass
class BatchReport(Tally):
    failed: int = 0
    notes: list[tuple[int, str]] = field(default_factory=list)  # (the file's place in the batch, the line)
    llm_reason: str = ""  # why the first section the model gave no answer for got none
    unchanged: int = 0  # documents whose result was kept: nothing that decides it changed since the last run

    @property
    def model_down(self) -> bool:
        """The model was asked and answered nothing at all: an endpoint that failed every request."""
        return bool(self.llm_asked) and self.llm_unanswered == self.llm_asked

    def note(self, place: int, message: str) -> None:
        self.notes.append((place, message))

    @property
    def messages(self) -> list[str]:
        """Error lines in the order of the files, whatever order the documents finished in."""
        return [m for _, m in sorted(self.notes, key=lambda n: n[0])]

    def summary(self) -> str:
        line = f"{self.documents} document(s)"
        if self.unchanged:
            line += f" ({self.unchanged} unchanged since the last run, not read again; --force reads them)"
        line += f": {self.tables} tables, {self.cards} cards, {self.facts} amounts"
        if self.claims:
            line += f", {self.claims} figure(s) stated in the text ({self.claims_unchecked} compared with nothing)"
        line += f"; {self.errors + self.warnings} open flag(s) ({self.errors} error(s), {self.warnings} warning(s))"
        if self.decided:
            line += f"; {self.decided} flag(s) decided in review"
        if self.stale:
            line += f"; {self.stale} earlier decision(s) stale (the values they were made on changed): review again"
        if self.outdated:
            line += (f"; {self.outdated} earlier decision(s) no longer apply: the values they were made on changed and "
                     f"now hold (nothing to review; the exports' decisions mark them stale)")
        if self.hinted:
            line += f"; {self.hinted} table(s) read as a layout hint says"
        if self.unhinted:
            line += f"; {self.unhinted} table(s) a layout hint was not used on (its result's Table.hint says why)"
        if self.unread:
            line += f"; {self.unread} section(s) not read"
        if self.no_tables:
            line += f"; {self.no_tables} document(s) with no budget table at all"
        if self.truncated:
            line += f"; {self.truncated} document(s) cut short inside a table"
        if self.llm_calls:
            line += (f"; LLM: {self.llm_calls} request(s), {self.llm_reused} from cache or recordings, "
                     f"{self.prompt_tokens} prompt + {self.completion_tokens} completion tokens")
        if self.llm_unanswered:
            every = "every one" if self.model_down else f"{self.llm_unanswered}"
            line += (f"; no answer from the model for {every} of the {self.llm_asked} section(s) sent to it "
                     f"({self.llm_reason})")
        # Each document once, under its most specific reason: one with no budget table at all is counted there.
        if self.nothing_read - self.nothing_read_no_tables:
            line += f"; {self.nothing_read - self.nothing_read_no_tables} document(s) from which nothing was read"
        if self.failed:
            line += f"; {self.failed} file(s) failed"
        return line

    def note_nothing_read(self, place: int, path: Path, tally: Tally) -> None:
        """One line for a document from which no table and no card was read, whatever its suffix: a run that read
        nothing is no success (its result, holding the flag that says so, is still written)."""
        if not tally.nothing_read:
            return
        if tally.unread and tally.llm_calls:
            why = f"the model filled none of its {tally.unread} section(s)"
        elif tally.unread:
            why = f"its {tally.unread} section(s) need a model (the LLM reader)"
        else:
            why = "no budget table or performance card found in it"
            if path.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".xls"):
                # A table extractor writes one file per table, with no title row: its name can carry the title.
                why += (" (no table title either: a table's title names its kind; name the file after it, "
                        "e.g. XX局2024年支出总表" + path.suffix.lower() + ", or add the title as its first row)")
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            why += (f" (read as text: {path.suffix or 'a name with no suffix'} is not a kind of file budget-extract "
                    f"reads: {', '.join(SUPPORTED_SUFFIXES)})")
        self.note(place, f"error: {shown(path)}: nothing read: {why}")


# Files written and flushed to disk at once (flushing is waiting on the disk, milliseconds a file, not work).
WRITING_THREADS = 4


async def run_batch(files: list[Path], out: Path, options: RunOptions, reader=None,
                    advance: Callable[[], None] = lambda: None, in_flight: int = 8, store=None,
                    jobs: int | None = 1, pretty: bool = False, max_size: int | None = None,
                    names: dict[Path, str] | None = None, report: BatchReport | None = None,
                    manifest=None, force: bool = False) -> BatchReport:
    """Every file through the pipeline, ``jobs`` documents at once; at most ``in_flight`` held in memory.

    ``jobs`` None: as many as the machine has cores, fewer for a small batch (``default_jobs``).
    With a review ``store``, each result is written with the decisions people
    made on earlier runs applied, and its flags enter the review queue.
    ``names``: the name each file's result is written under, ``OUT/<name>.json``
    (default: the file's stem; ``discover`` gives ``2023/预算`` for a file in a sub-folder).
    ``report``: the caller's, to count in (what was written before an interrupt is known).
    ``manifest``: the results folder's ``rerun.Manifest``: each document's outcome is recorded there, and a
    document whose result nothing has changed since is not read again (unless ``force``).
    """
    report = report if report is not None else BatchReport()
    _remove_leftovers(out)
    names = {path: (names or {}).get(path, path.stem) for path in files}
    todo = _distinct_names(files, names, report, advance)
    disk = ThreadPoolExecutor(WRITING_THREADS, thread_name_prefix="write")
    writer = _Writer(out, options, reader, store, pretty, max_size, report, disk, manifest)
    if manifest is not None and not force:
        todo = [(place, path) for place, path in todo if not writer.keep(place, path, names[path], advance)]
    jobs = max(1, min(jobs or default_jobs(len(todo)), len(todo) or 1))
    gate = asyncio.Semaphore(max(in_flight, 2 * jobs))
    if manifest is not None:
        writer.settings  # hashes the tool's code (0.07 s) now, while the pool's server imports and this process waits
    pool = make_pool(jobs) if jobs > 1 else None
    loop = asyncio.get_running_loop()

    async def one(place: int, path: Path) -> None:
        async with gate:
            try:
                check_name(path)  # before its name is looked up in the review store, which holds UTF-8 text
                args = (path, options, writer.decisions(names[path]), pretty, writer.model, max_size, names[path])
                if pool is None:
                    outcome = read_document(*args)
                else:
                    outcome = await loop.run_in_executor(pool, interruptible, read_document, *args)
                await writer.write(place, outcome, names[path])
            except LoadError as exc:
                writer.failed(place, path, names[path], f"error: {exc}")
            except Exception as exc:  # noqa: BLE001 - one document's failure must not end the batch
                writer.failed(place, path, names[path], _unexpected(path, exc))
            advance()

    try:
        await asyncio.gather(*(one(place, path) for place, path in todo))
    except asyncio.CancelledError:  # Ctrl-C or SIGTERM: stop now, not after the documents being read
        if pool is not None:
            stop_now(pool)
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        disk.shutdown(wait=True)  # an interrupted run's files being written are removed when done (_Writer._stage)
        if manifest is not None:
            manifest.flush()  # the rows of the last documents (an interrupted run's too)
    return report


def _distinct_names(files: list[Path], names: dict[Path, str], report: BatchReport,
                    advance) -> list[tuple[int, Path]]:
    """The files to read, with their places in the batch; a .json file (a result given to `run`) and a second file
    with the same result name are not read, each with an error line."""
    seen: dict[str, Path] = {}
    todo = []
    for place, path in enumerate(files):
        name = names[path]
        if path.suffix.lower() == ".json":  # named on the command line: a folder's .json files are passed over
            report.note(place, f"error: {shown(path)}: a .json file, not a document: `budget-extract run` reads "
                               f"documents (PDF, spreadsheets, Word, CSV, text); a result of `run` is re-checked "
                               f"with `budget-extract verify`")
            report.failed += 1
            advance()
            continue
        if name in seen and seen[name].resolve() == path.resolve():  # the same file given twice: read once
            advance()
            continue
        if name in seen:
            report.note(place, f"error: {shown(path)}: same name as {shown(seen[name])}; its result would "
                               f"overwrite that one — skipped")
            report.failed += 1
            advance()
            continue
        seen[name] = path
        todo.append((place, path))
    return todo


@dataclass
class _Writer:
    """The one writer of a batch: result files and the review store, one document at a time."""

    out: Path
    options: RunOptions
    reader: object
    store: object
    pretty: bool
    max_size: int | None
    report: BatchReport
    disk: ThreadPoolExecutor  # writes and flushes the files, so that reading goes on meanwhile
    manifest: object = None  # ``rerun.Manifest``: each document's outcome, and what a rerun may skip

    @cached_property
    def settings(self) -> str:
        from .rerun import run_settings

        return run_settings(self.options, self.pretty, self.max_size, self.model)

    def key(self, sha256: str, name: str, path: Path, decisions) -> str:
        from .rerun import document_key

        return document_key(self.settings, sha256, name, path, decisions)

    def keep(self, place: int, path: Path, name: str, advance) -> bool:
        """Whether the document's result is kept as it is (nothing that decides it changed): then it is counted
        and its lines said as if it had been read, and it is not read."""
        from .rerun import file_sha256

        # Only a regular file an earlier run read is hashed here: a FIFO or a device would block or never end
        # (reading it says what is wrong), and a first run would read every file twice.
        if not self.manifest.has_result(name):
            return False
        try:
            if not path.is_file():
                return False
            key = self.key(file_sha256(path), name, path, self.decisions(name))
        except (OSError, UnicodeError):  # reading it says what is wrong (a name that is not UTF-8 is read, as before)
            return False
        kept = self.manifest.unchanged(name, key, self.out, self.store)
        if kept is None:
            return False
        tally, warnings = kept
        tally = Tally(**tally)
        for warning in warnings:
            self.report.note(place, f"warning: {warning}")
        self.report.add(tally)
        self.report.unchanged += 1
        self.report.note_nothing_read(place, path, tally)
        advance()
        return True

    def failed(self, place: int, path: Path, name: str, line: str) -> None:
        """One error line for a file that could not be read, recorded in the manifest too (exports list it)."""
        self.report.note(place, line)
        self.report.failed += 1
        if self.manifest is not None:
            self.manifest.record_error(name, path, line.removeprefix("error: "))

    @property
    def model(self):
        if self.reader is None:
            return None
        from .pipeline import llm_usage

        return llm_usage(self.reader.settings)

    def decisions(self, name: str) -> list:
        return self.store.decisions(name) if self.store is not None else []

    async def write(self, place: int, outcome: Outcome, name: str) -> None:
        if outcome.error is not None:
            self.failed(place, outcome.path, name, f"error: {outcome.error}")
        elif outcome.needs_model:
            await self._read_with_model(place, outcome.path, name)
        else:
            staged = await self._stage(outcome)
            try:
                self._write(place, outcome, staged)
            finally:
                _discard(staged)  # what was not renamed into place: the document was read again, or a write failed

    async def _stage(self, outcome: Outcome) -> list[tuple[Path, Path]]:
        """The document's files written whole and flushed to disk under temporary names, by a thread."""
        future = self.disk.submit(_stage_files, self.out, outcome.queue.name, outcome.text, outcome.canonical_text)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:  # interrupted: the thread may be writing them still; they go when it is done
            future.add_done_callback(_discard_when_written)
            raise

    def _write(self, place: int, outcome: Outcome, staged: list[tuple[Path, Path]]) -> None:
        name = outcome.queue.name
        path = self.out / f"{name}.json"
        if self.store is not None:
            with self.store.transaction():
                decisions = self.store.decisions(name)
                if tuple(d.seq for d in decisions) != outcome.decisions:
                    # A person decided on this document while it was being read: settle it again, here.
                    outcome = read_document(outcome.path, self.options, decisions, self.pretty, self.model,
                                            self.max_size, name)
                    if outcome.error is not None or outcome.needs_model:
                        self.failed(place, outcome.path, name, f"error: {outcome.error or shown(outcome.path)}: "
                                                               f"changed while it was being read; run again")
                        return
                    _discard(staged)
                    staged[:] = _stage_files(self.out, name, outcome.text, outcome.canonical_text)
                _publish(staged)
                self.store.sync(outcome.queue, path, outcome.path, outcome.text,
                                trail_seq=max(outcome.decisions, default=0), written_sha256=outcome.text_sha256)
                self._record(outcome, name, decisions)
        else:
            _publish(staged)
            self._record(outcome, name, [])
        for warning in outcome.warnings:
            self.report.note(place, f"warning: {warning}")
        self.report.add(outcome.tally)
        self.report.note_nothing_read(place, outcome.path, outcome.tally)

    def _record(self, outcome: Outcome, name: str, decisions: list) -> None:
        """The document in the manifest, under the key of what decided its result (a rerun keeps it while that
        holds). Only a document the rules settled: one a model read is read again (from the cache)."""
        if self.manifest is not None:
            self.manifest.record_ok(name, outcome.path, outcome.sha256,
                                    self.key(outcome.sha256, name, outcome.path, decisions),
                                    outcome.text_sha256, outcome.canonical_sha256, outcome.tally.counts(),
                                    outcome.warnings)

    def _write_files(self, name: str, text: str, canonical_text: str | None) -> None:
        if canonical_text is not None:
            # A PDF's or a spreadsheet's text, which every span points into: verify, review and report read it.
            write_atomic(self.out / text_file_for(name), canonical_text)
        write_atomic(self.out / f"{name}.json", text)

    async def _read_with_model(self, place: int, path: Path, name: str) -> None:
        from .export import result_json
        from .pipeline import process_document

        doc = replace(load_document(path, self.max_size), label=name)
        result = await process_document(doc, self.options, self.reader)
        target = self.out / f"{doc.name}.json"
        canonical = None
        if result.geometry is not None:
            result.geometry.text_file = text_file_for(doc.name)
            canonical = doc.text
        if self.store is None:
            self._write_files(doc.name, result_json(result, self.pretty), canonical)
        else:
            from .review.service import settle

            with self.store.transaction():
                if canonical is not None:
                    write_atomic(self.out / result.geometry.text_file, canonical)
                settle(self.store, result, doc.text, target, doc.path, pretty=self.pretty)
        for warning in doc.notes:
            self.report.note(place, f"warning: {warning}")
        tally = Tally.of(result)
        self.report.add(tally)
        if self.manifest is not None:
            self.manifest.record_read(doc.name, doc.path, doc.sha256)
        if tally.llm_unanswered and not self.report.llm_reason:
            self.report.llm_reason = _unanswered_reason(result)
        self.report.note_nothing_read(place, doc.path, tally)
        missed = [s for s in result.sections if s.status == "unfilled" and s.note and "replay:" in s.note]
        for section in missed:
            self.report.note(place, f"error: {shown(doc.path)}: section {section.id}: {section.note}")
        self.report.failed += bool(missed)  # a line per section, but one file


def _stage_files(out: Path, name: str, data: bytes, canonical_text: str | None) -> list[tuple[Path, Path]]:
    """(temporary file, its target) for the result and, first, a PDF's or a spreadsheet's text, which every span points
    into (verify, review and report read it): written whole and flushed to disk, not yet in place."""
    targets = ([(out / text_file_for(name), canonical_text)] if canonical_text is not None else []) + \
        [(out / f"{name}.json", data)]
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in targets:
            staged.append((write_temporary(target, content), target))
    except BaseException:
        _discard(staged)
        raise
    return staged


def _publish(staged: list[tuple[Path, Path]]) -> None:
    """Each staged file renamed onto its target, in order: a reader sees the old file or the new one, never a part."""
    for tmp, target in staged:
        os.replace(tmp, target)


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for tmp, _ in staged:
        tmp.unlink(missing_ok=True)  # gone already once renamed into place


def _discard_when_written(future: Future) -> None:
    if not future.cancelled() and future.exception() is None:
        _discard(future.result())


def _unanswered_reason(result) -> str:
    from .work import llm_unanswered

    note = llm_unanswered(result)[0].note
    reason = note.split("LLM reader: ", 1)[-1] if "LLM reader: " in note else note
    reason = reason.removeprefix("LLM reader failed (").removesuffix("); kept the rules' reading")
    return reason.split(";")[0].strip()[:160]


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
    for tmp in out.rglob(".*.json.*.tmp"):  # the sub-folders of --recursive too
        try:
            if time.time() - tmp.stat().st_mtime > older_than:
                tmp.unlink()
        except FileNotFoundError:  # another run removed it first
            pass
