"""The pipeline for one document: load → chunk → extract (rules | llm) → verify → result.

``extract_document`` is the deterministic path. ``process_document`` adds the
LLM reader according to the backend:

- ``rules``: the deterministic reader only; sections it cannot read are flagged.
- ``auto`` (default): the rules first, then the LLM for the sections the rules
  could not read or whose values failed verification — when a model is configured.
- ``llm``: every table and card section by the LLM.

``cross_check`` also runs the LLM on every section the rules read, and the
verifier flags where the two disagree. Later stages (review) take the result;
they never reach back into loading or chunking.
"""

from __future__ import annotations

import asyncio
import gc
from contextlib import contextmanager
from copy import deepcopy
from pathlib import Path

from schemas import (
    ContentsEntry, DocumentInfo, ExtractionResult, Geometry, HintUse, LayoutHint, LlmCall, LlmUsage, Section,
    spec_for,
)
from verify import verify_result
from verify.choose import choose_readings
from verify.grounding import amount_slots

from .chunk import Chunk, chunk_document, contents_entries, document_meta, line_titles, split_lines
from .geometry import place_values
from .load import Document, load_document
from .options import Backend, RunOptions, Taught  # noqa: F401  (defined where `run`'s own process imports them)
from .rules import Unreadable, inherit_units, name_entities, read_table, unread_for
from .rules_cards import inherit_card_units, read_cards


def extract_document(doc: Document, hints: tuple[LayoutHint, ...] = (),
                     taught: Taught = frozenset()) -> ExtractionResult:
    """The deterministic reader over every section (no model, no verification)."""
    return _extract(doc, use_rules=True, hints=hints, taught=taught)[0]


def _extract(doc: Document, use_rules: bool, hints: tuple[LayoutHint, ...] = (),
             taught: Taught = frozenset()) -> tuple[ExtractionResult, dict[str, Chunk]]:
    lines = split_lines(doc.text)
    # A hint taught by this store's decision on this very version of the document is not offered to it: that
    # decision applies there (its values shown as corrected). Elsewhere — another document, another version,
    # another store that imported the hint — it is offered.
    offered = tuple(h for h in hints if (h.kind, h.header, doc.name, doc.sha256) not in taught)
    meta = document_meta(lines, doc.text)
    result = ExtractionResult(document=DocumentInfo(
        name=doc.name, path=str(doc.path), sha256=doc.sha256, encoding=doc.encoding, length=len(doc.text),
        department=meta.department, department_code=meta.department_code, year=meta.year, stage=meta.stage,
    ), geometry=result_geometry(doc.geometry) if doc.geometry is not None else None)
    titles = line_titles(lines)
    result.contents = [ContentsEntry(kind=k, title=t, span=s) for k, t, s in contents_entries(lines, titles)]
    chunks: dict[str, Chunk] = {}
    # Spreadsheets, CSV and Word tables keep every cell: a cell's column is where it stands.
    explicit = doc.geometry is not None and doc.geometry.kind in ("xlsx", "xls", "csv", "docx")
    for chunk in chunk_document(doc.text, lines, titles):
        status, note, backend = "text", None, None
        if chunk.is_table:
            chunks[chunk.id] = chunk
            status, note, backend = _read_section(chunk, result, use_rules, offered, explicit)
        # (Made once what became of the section is known: a field set on a model afterwards costs as much again.)
        result.sections.append(Section(id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span,
                                       title_span=chunk.title_span, status=status, backend=backend, note=note))
    inherit_units(result.tables)
    inherit_card_units(result.cards)
    choose_readings(result)
    name_entities(result.tables, chunks)
    note_hints(result, hints, offered)
    return result, chunks


def _read_section(chunk: Chunk, result: ExtractionResult, use_rules: bool, offered: tuple[LayoutHint, ...],
                  explicit: bool) -> tuple[str, str | None, str | None]:
    """Read a table or card section into ``result`` (its table, its cards, or why it is unread): the section's
    status, note and backend."""
    if not use_rules and spec_for(chunk.kind).llm:
        note = "left to the LLM reader (--backend llm)"
        result.unread.append(unread_for(chunk, note))
        return "unread", note, None
    try:
        if spec_for(chunk.kind).card:
            result.cards.extend(read_cards(chunk))
            return "extracted", None, "rules"
        table = read_table(chunk, offered, explicit_cells=explicit)
        result.tables.append(table)
        return ("empty", table.note, "rules") if table.empty else ("extracted", None, "rules")
    except Unreadable as exc:
        result.unread.append(unread_for(chunk, exc.reason))
        return "unread", exc.reason, None


def result_geometry(geometry: Geometry) -> Geometry:
    """The result's own copy of the loader's geometry: what the result records on it (each value's boxes, the
    text file's name) never reaches the document's. Its lists are new; a run, an OCR range and an exact span are
    tuples, shared (a deep copy went through every number of every run: 2–20 ms for a PDF or a spreadsheet)."""
    return geometry.model_copy(update={
        "pages": deepcopy(geometry.pages), "runs": list(geometry.runs), "ocr": list(geometry.ocr),
        "exact": list(geometry.exact), "values": deepcopy(geometry.values)})


def note_hints(result: ExtractionResult, hints: tuple[LayoutHint, ...], offered: tuple[LayoutHint, ...]) -> None:
    """Every table a hint was tried on, or matched and not tried, says what became of it and why (``Table.hint``).

    The verifier has chosen by now: a hinted reading it kept says so (``verify.choose``); one it did not keep says
    why; a hint for the table's header that was not offered, or moved nothing, says that. A table whose header is
    near a hint's but not the same names the nearest, so a person sees why it was not offered.
    """
    by_id = {h.id: h for h in hints}
    for table in result.tables:
        if table.hint is not None:
            table.hint = _settled(table, table.hint, by_id.get(table.hint.id))
            continue
        same_kind = [h for h in hints if h.kind == table.kind]
        if not same_kind:
            continue
        hint = next((h for h in same_kind if h.header == table.header), None)
        if hint is None:
            near = _near(same_kind, table.header)
            if near is not None:
                table.hint = HintUse(id=near.id, used=False, moves=near.describe(), note=(
                    f"not offered: the table's header is not the one the hint was taught on (hints are matched by "
                    f"header); this table's: {table.header}; the hint's: {near.header}"))
        elif hint not in offered:
            taught_by = f" #{hint.origin.decision}" if hint.origin and hint.origin.decision else ""
            table.hint = HintUse(id=hint.id, used=False, moves=hint.describe(), note=(
                f"not offered: taught on this very version of the document, where the move decision{taught_by} "
                f"that taught it applies instead"))
        else:
            table.hint = HintUse(id=hint.id, used=False, moves=hint.describe(), note=(
                "not used: it moves nothing in this table (no row has a figure in a column it moves with nothing "
                "where it goes)"))


def _settled(table, use: HintUse, hint: LayoutHint | None) -> HintUse:
    """A hinted reading the verifier kept, checked row by row: rows it placed elsewhere are counted."""
    if not use.used:
        return use if use.note else use.model_copy(update={"note": "not used: the verifier kept the reader's own "
                                                                   "reading"})
    if hint is None:
        return use
    still = [row for row in table.rows if any(
        m.read_as in row.values and m.printed_under not in row.values and m.printed_under not in row.texts
        for m in hint.moves)]
    placed = [row for row in table.rows if any(m.printed_under in row.values for m in hint.moves)]
    if still and not placed:
        return use.model_copy(update={"used": False, "note": "not used: each row's own relations place its figures "
                                                             "as the reader read them"})
    note = use.note or "used: the verifier kept the hinted reading"
    if still:
        note += (f"; {len(still)} row(s) left as read (each printed one cell per column, or its own relations "
                 f"prefer it)")
    return use.model_copy(update={"note": note})


def _near(hints: list[LayoutHint], header: str | None) -> LayoutHint | None:
    """The hint whose header is nearest ``header``, if it is near (most of the text alike)."""
    from difflib import SequenceMatcher

    if not header:
        return None
    ratio, best = max(((SequenceMatcher(None, h.header, header).ratio(), h) for h in hints), key=lambda x: x[0])
    return best if ratio >= 0.75 else None


# Reading a document makes hundreds of thousands of short-lived objects (lines, cells, values), nearly all
# freed by reference counting as soon as their stage is done with them. At Python's default (a pass over the
# young objects every 700 allocations) the collector keeps walking the ones still in use: about 6% of a
# document's CPU. While a document is read it runs every 200,000 instead (a corpus document makes fewer, so
# its live objects are walked once, after it; at 50,000 they were walked several times, 1.7 ms of a
# document's 29), and the setting is put back afterwards. Peak memory is unchanged (cycles are rare here).
READING_GC_THRESHOLD = 200_000


@contextmanager
def collecting_less_often():
    young, *older = gc.get_threshold()
    gc.set_threshold(max(young, READING_GC_THRESHOLD), *older)
    try:
        yield
    finally:
        gc.set_threshold(young, *older)


def run_file(path: Path | str, verify: bool = True) -> ExtractionResult:
    """Rules and verification only: what `run` does when no model is configured."""
    with collecting_less_often():
        doc = load_document(path)
        result = extract_document(doc)
        return place_values(verify_result(result, doc.text)) if verify else result


def extract_and_verify(doc: Document, options: RunOptions) -> ExtractionResult:
    """The readers' part that needs no model: read every section the backend gives the rules, then verify."""
    result, _ = _extract(doc, use_rules=options.backend != "llm", hints=options.hints, taught=options.taught)
    return place_values(verify_result(result, doc.text))


def needs_model(result: ExtractionResult, options: RunOptions) -> bool:
    """Whether a model reader has anything to read in this verified result."""
    return bool(_llm_targets(result, options)) or (
        options.cross_check and any(s.status in ("extracted", "empty") for s in result.sections))


def llm_usage(settings) -> LlmUsage:
    """The record of a model reader's work on a document, before any request."""
    return LlmUsage(model=settings.model, endpoint_kind=settings.endpoint_kind, mode=settings.mode)


async def process_document(doc: Document, options: RunOptions, reader=None) -> ExtractionResult:
    result, chunks = _extract(doc, use_rules=options.backend != "llm", hints=options.hints, taught=options.taught)
    verify_result(result, doc.text)
    if reader is None:
        return place_values(result)
    result.llm = llm_usage(reader.settings)
    targets = _llm_targets(result, options)
    alternates = [cid for cid in chunks if options.cross_check and cid not in targets
                  and spec_for(chunks[cid].kind).llm and _section(result, cid).status in ("extracted", "empty")]
    if not targets and not alternates:
        return place_values(result)
    outcomes = await asyncio.gather(*(reader.read(chunks[cid], doc.text, doc.name) for cid in [*targets, *alternates]))
    for outcome in outcomes:
        result.llm.calls.extend(LlmCall(section_id=outcome.section_id, **vars(call)) for call in outcome.calls)
        if outcome.section_id in alternates:
            _keep_alternate(result, outcome)
        else:
            _apply(result, outcome, doc.text)
    # Whose table each is, the model's among the rules': read from the document's lines as the rules read it.
    name_entities(result.tables, chunks)
    return place_values(verify_result(result, doc.text))


def _section(result: ExtractionResult, section_id: str) -> Section:
    return next(s for s in result.sections if s.id == section_id)


def _llm_targets(result: ExtractionResult, options: RunOptions) -> list[str]:
    """Sections for the model: the unread ones, and (auto) those whose own values failed verification."""
    # (A table of no known kind has no form for a model: what the rules could not read of it stays unread.)
    targets = [u.section_id for u in result.unread if spec_for(u.kind).llm]
    if options.backend == "auto":
        read = {s.id for s in result.sections if s.status == "extracted" and spec_for(s.kind).llm}
        failed = {f.section_id for f in result.flags if f.severity == "error" and f.check.startswith(("table.", "ground.", "card."))}
        targets += sorted(read & failed)
    return targets


def _apply(result: ExtractionResult, outcome, text: str) -> None:
    section = _section(result, outcome.section_id)
    was_unread = section.status in ("unread", "unfilled")
    if not outcome.filled:
        if was_unread:
            section.status = "unfilled"
            section.note = f"LLM reader: {outcome.error}"
            for u in result.unread:
                if u.section_id == section.id:
                    u.reason = f"{u.reason}; LLM reader: {outcome.error}"
        else:
            section.note = f"LLM reader failed ({outcome.error}); kept the rules' reading"
        return
    if not was_unread:
        why = _why_not_llm(result, outcome, text)
        if why is not None:
            section.note = why
            return
    _replace(result, outcome)
    section.status = "empty" if outcome.table is not None and outcome.table.empty else "extracted"
    section.backend = "llm"
    section.note = None
    result.unread = [u for u in result.unread if u.section_id != section.id]


def _replace(result: ExtractionResult, outcome) -> None:
    if outcome.table is not None:
        result.tables = [t for t in result.tables if t.section_id != outcome.section_id] + [outcome.table]
        result.tables.sort(key=lambda t: t.span)
    else:
        result.cards = [c for c in result.cards if c.section_id != outcome.section_id] + [outcome.card]
        result.cards.sort(key=lambda c: c.span)


def _standing(result: ExtractionResult, section_id: str) -> tuple[int, int]:
    """(values of the section no error flag touches, minus its error flags): higher is better."""
    errors = [f for f in result.flags if f.severity == "error" and f.section_id == section_id]
    doubted = {r.path for f in errors for r in f.fields}
    tables = [t for t in result.tables if t.section_id == section_id]
    cards = [c for c in result.cards if c.section_id == section_id]
    trial = result.model_copy(update={"tables": tables, "cards": cards})
    values = [slot.path for slot in amount_slots(trial)]
    return sum(1 for p in values if p not in doubted), -len(errors)


def _ungrounded(result: ExtractionResult, section_id: str) -> list[str]:
    """The section's values an error flag says are not what their cell prints (not in the source, misplaced)."""
    return sorted({r.path for f in result.flags if f.severity == "error" and f.section_id == section_id
                   and f.check.startswith("ground.") for r in f.fields})


def _why_not_llm(result: ExtractionResult, outcome, text: str) -> str | None:
    """Swap the LLM's reading in on a copy; None to keep it, else why the rules' reading stays.

    Readers propose and the verifier's relations choose, among readings grounded at the printed characters: a
    model's reading with a value its cell does not print (a publisher's typo "fixed", a figure from elsewhere)
    never wins, however many sums it makes hold — the document's own fault stays what a reviewer sees. Among
    grounded readings, the model's is kept only if more of the section's values verify.
    """
    trial = verify_result(_swapped(result, outcome), text)
    ungrounded = _ungrounded(trial, outcome.section_id)
    if ungrounded:
        return (f"the LLM's reading has {len(ungrounded)} value(s) not printed at their place "
                f"({', '.join(ungrounded[:3])}{', …' if len(ungrounded) > 3 else ''}); kept the rules' reading")
    if _standing(trial, outcome.section_id) > _standing(result, outcome.section_id):
        return None
    return "the LLM's reading verified no better than the rules'; kept the rules' reading"


def _swapped(result: ExtractionResult, outcome) -> ExtractionResult:
    trial = result.model_copy(deep=True)
    _replace(trial, outcome)
    return trial


def _keep_alternate(result: ExtractionResult, outcome) -> None:
    if outcome.table is not None:
        result.cross_check.append(outcome.table)
    elif outcome.card is not None:
        result.cross_check_cards.append(outcome.card)
