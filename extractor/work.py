"""One document, pure: a path in, its verified result out — the unit of work of a batch.

Nothing here touches shared state: no review store, no model, no other document.
So ``run --jobs N`` maps these functions over a process pool, and a team with a
cluster can map them with the engine it already runs (see docs/dask.md):

- ``read_document(path, …)`` reads and verifies one file, applies the people's
  decisions it is given, and returns everything the parent writes: the result
  file's text, the review queue's rows and the counts for the summary.
- ``extract_file(path)`` is the bare function: the verified ``ExtractionResult``.
- ``extract_to_folder(path, out)`` writes ``out/<name>.json`` itself (for workers
  that write their own results; ``budget-extract review sync OUT`` then builds
  the review store).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .load import LoadError, load_document
from .options import RunOptions

# The readers (pipeline, export) are imported where a document is read: `run`'s own process imports this module
# for Outcome and Tally, and reads nothing itself at --jobs N (the pool's server imports them for its workers).


def llm_unanswered(result, answered: set[str] | None = None) -> list:
    """The sections the model was asked about and answered nothing for: each request failed (an HTTP error, a
    timeout, no connection), so the section note names the LLM reader's failure and no call got a 200."""
    if result.llm is None:
        return []
    if answered is None:
        answered = {c.section_id for c in result.llm.calls if c.status == 200}
    return [s for s in result.sections if s.id not in answered and s.note
            and (s.note.startswith("LLM reader failed") or "LLM reader: " in s.note)]


@dataclass
class Tally:
    """What one document adds to a batch's summary line: counts only, so it travels cheaply between processes."""

    documents: int = 0
    tables: int = 0
    cards: int = 0
    facts: int = 0
    claims: int = 0  # figures the explanation states
    claims_unchecked: int = 0  # of those, the ones nothing could be compared with
    unread: int = 0
    errors: int = 0
    warnings: int = 0
    decided: int = 0
    stale: int = 0
    outdated: int = 0  # earlier decisions no longer in force with nothing to ask: their values were corrected and hold
    no_tables: int = 0  # documents in which no budget table or card was found at all
    nothing_read: int = 0  # documents from which no table and no card was read (a person did not acknowledge it)
    nothing_read_no_tables: int = 0  # of those, the ones with no budget table at all (summed up under no_tables)
    truncated: int = 0  # documents that stop inside a table while their contents list more
    llm_calls: int = 0
    llm_reused: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    llm_asked: int = 0  # sections sent to the model
    llm_unanswered: int = 0  # of those, the ones no request got an answer for (HTTP errors, timeouts, no connection)
    hinted: int = 0  # tables read as a layout hint says
    unhinted: int = 0  # tables a layout hint matched or nearly matched and was not used on (Table.hint: why)

    @classmethod
    def of(cls, result) -> Tally:
        from .export import count_facts

        t = cls(documents=1, tables=len(result.tables), cards=len(result.cards), unread=len(result.unread),
                facts=count_facts(result))
        t.claims = len(result.claims)
        t.claims_unchecked = sum(1 for c in result.claims if c.status == "unchecked")
        t.hinted = sum(1 for table in result.tables if table.hint is not None and table.hint.used)
        t.unhinted = sum(1 for table in result.tables if table.hint is not None and not table.hint.used)
        for f in result.flags:
            if f.status in ("open", "stale"):
                t.errors += f.severity == "error"
                t.warnings += f.severity == "warning"
            else:
                t.decided += 1
            t.stale += f.status == "stale"
            t.no_tables += f.check == "document.no_tables"
            t.truncated += f.check == "completeness.truncated" and f.severity == "error"  # a doubt is no cut
        asked = {f.decision.seq for f in result.flags if f.status == "stale" and f.decision is not None}
        t.outdated = sum(1 for d in result.decisions if d.stale and d.seq not in asked)
        acknowledged = any(f.check == "document.no_tables" and f.status not in ("open", "stale") for f in result.flags)
        t.nothing_read = int(not result.tables and not result.cards and not acknowledged)
        t.nothing_read_no_tables = int(t.nothing_read and t.no_tables > 0)
        if result.llm is not None:
            t.llm_calls = len(result.llm.calls)
            t.llm_reused = sum(1 for c in result.llm.calls if c.source != "network")
            t.prompt_tokens, t.completion_tokens = result.llm.prompt_tokens, result.llm.completion_tokens
            answered = {c.section_id for c in result.llm.calls if c.status == 200}
            unanswered = llm_unanswered(result, answered)
            t.llm_asked, t.llm_unanswered = len(answered) + len(unanswered), len(unanswered)
        return t

    def add(self, other: Tally) -> None:  # noqa: D102
        for name in TALLY_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def counts(self) -> dict[str, int]:
        """The counts by name, in the order of the fields (what the run manifest keeps of a document)."""
        return {name: getattr(self, name) for name in TALLY_FIELDS}


TALLY_FIELDS = tuple(f.name for f in fields(Tally))


@dataclass
class Outcome:
    """One document read: what the writer of the results and of the review store needs, and nothing more."""

    path: Path
    error: str | None = None  # the file could not be read: one line naming it
    needs_model: bool = False  # sections only a model can read: the caller reads the document with its reader
    text: bytes = b""  # the result file's text, UTF-8 encoded (bytes travel between processes without re-encoding)
    canonical_text: str | None = None  # a PDF's or a spreadsheet's text, written beside the result (text_file_for)
    queue: object = None  # the review queue's rows (``review.store.QueueRows``)
    decisions: tuple[int, ...] = ()  # the decisions applied (their numbers in the trail)
    tally: Tally = field(default_factory=Tally)
    warnings: tuple[str, ...] = ()  # what the loader noted about the file
    sha256: str = ""  # the document's bytes, as read (the run manifest keys the result by it)
    text_sha256: str = ""  # the result file's bytes (``text``): the review store and the run manifest record it
    canonical_sha256: str | None = None  # ``canonical_text`` as UTF-8, when there is one


# A file name may be at most 255 bytes: the result's (<stem>.json) must fit too.
NAME_MAX = 255


def check_result_name(path: Path) -> None:
    if len(os.fsencode(f"{path.stem}.json")) > NAME_MAX:
        raise LoadError(path, f"the name is too long for its result file ({path.stem}.json would be over "
                              f"{NAME_MAX} bytes); rename it")


def text_file_for(name: str) -> str:
    """The name of the canonical text written beside the result of a PDF or a spreadsheet."""
    return f"{name}.txt"


def extract_file(path: Path | str, options: RunOptions | None = None, max_size: int | None = None):
    """The verified result of one file, by the deterministic reader (raises ``LoadError`` for a bad file)."""
    from .pipeline import collecting_less_often, extract_and_verify

    path = Path(path)
    check_result_name(path)
    with collecting_less_often():
        return extract_and_verify(load_document(path, max_size), options or RunOptions(backend="rules"))


def read_document(path: Path, options: RunOptions, decisions: list = (), pretty: bool = False,
                  model=None, max_size: int | None = None, name: str | None = None) -> Outcome:
    """Read, verify and settle one document (the people's ``decisions`` on it applied), ready to be written.

    ``model``: the caller has a model reader (its ``LlmUsage`` record, see ``pipeline.llm_usage``).
    A document that needs it (sections the rules could not read, values that failed, or
    --cross-check) comes back with ``needs_model`` set, unsettled: the caller reads it with
    the model, where one limit holds every request of the batch.
    """
    from .pipeline import collecting_less_often

    with collecting_less_often():
        return _read_document(path, options, decisions, pretty, model, max_size, name)


def _read_document(path: Path, options: RunOptions, decisions: list, pretty: bool, model, max_size: int | None,
                   name: str | None) -> Outcome:
    from .export import result_bytes
    from .geometry import place_values
    from .pipeline import extract_and_verify, needs_model
    from .review.apply import apply_decisions
    from .review.store import QueueRows

    try:
        check_result_name(path)
        doc = replace(load_document(path, max_size), label=name)  # name: the result's, when not the stem
    except LoadError as exc:
        return Outcome(path, error=str(exc))
    result = extract_and_verify(doc, options)
    if model is not None:
        if needs_model(result, options):
            return Outcome(path, needs_model=True)
        result.llm = model.model_copy(deep=True)
    canonical = _canonical(result, doc)
    apply_decisions(result, doc.text, decisions)
    if decisions:
        place_values(result)  # again after the decisions: a correction has its own place
    text = result_bytes(result, pretty)
    return Outcome(path, text=text, canonical_text=canonical, queue=QueueRows.of(result),
                   decisions=tuple(d.seq for d in decisions), tally=Tally.of(result), warnings=tuple(doc.notes),
                   sha256=doc.sha256, text_sha256=hashlib.sha256(text).hexdigest(),
                   canonical_sha256=None if canonical is None else hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def _canonical(result, doc) -> str | None:
    """A PDF's or a spreadsheet's text, which every span points into (verify, review and report read it)."""
    if result.geometry is None:
        return None
    result.geometry.text_file = text_file_for(doc.name)
    return doc.text


def extract_to_folder(path: Path | str, out: Path | str, pretty: bool = False, name: str | None = None) -> str:
    """Read one file with the rules and write ``out/<name>.json`` atomically; returns a one-line outcome.

    For workers that write their own results (a Dask bag over file paths, …). ``name``: the result's name,
    as ``discover`` gives it (``a/预算`` for a file found in a sub-folder); by default the file's stem.
    No decisions are applied here: ``budget-extract review sync OUT`` applies
    those in force and builds the review queue afterwards.
    """
    from .pipeline import collecting_less_often

    with collecting_less_often():  # the result is gone when the setting is put back: nothing left to walk
        return _extract_to_folder(Path(path), Path(out), pretty, name)


def _extract_to_folder(path: Path, out: Path, pretty: bool, name: str | None) -> str:
    from .export import result_bytes, write_atomic
    from .pipeline import extract_and_verify

    try:
        check_result_name(path)
        doc = replace(load_document(path), label=name)
    except LoadError as exc:
        return f"error: {exc}"
    result = extract_and_verify(doc, RunOptions(backend="rules"))
    canonical = _canonical(result, doc)
    if canonical is not None:
        write_atomic(out / result.geometry.text_file, canonical)
    write_atomic(out / f"{result.document.name}.json", result_bytes(result, pretty))
    t = Tally.of(result)
    return f"{path}: {t.facts} amounts, {t.errors + t.warnings} open flag(s)"
