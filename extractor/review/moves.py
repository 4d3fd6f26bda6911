"""`review move`: a value the reader put in the wrong column (a misreading), moved to the column the document
prints it under — in one row, or down the whole table when the same misplacement repeats (``--all-rows``).

A move is a decision like a fix: recorded in the trail (read as A, the document prints it under B), re-applied
by every rerun while the document still says what it was made on, and shown as ``corrected`` in exports. A
move down a whole table also teaches a layout hint for the table's header (``schemas.hints``), so the next
document printed from the same template is read with it as one more candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas import ColumnMove, Decision, ExtractionResult, Flag, HintOrigin, LayoutHint, Table, spec_for

from .apply import apply_decisions, rows_by_key, split_path
from .service import (
    EXIT_USAGE, ReviewError, flag_changes, heal, open_flag, resettle,
)
from .store import ReviewStore, now_iso


@dataclass
class Moved:
    path: str  # where the reader read it
    value: str  # as the document prints it
    row: str  # the row, for people: its code and label


@dataclass
class MovePlan:
    """What a move will do, worked out before anything is recorded: the dry run shows it."""

    document: str
    flag: Flag
    view: str  # the table as paths name it: expenditure_summary, or expenditure_summary#2
    kind: str
    source: str  # the column the reader put the values in
    target: str  # the column the document prints them under
    source_label: str
    target_label: str
    all_rows: bool
    header: str | None  # the table's header signature (the key of the hint a move down the table teaches)
    moves: list[Moved] = field(default_factory=list)
    left: list[tuple[Moved, str]] = field(default_factory=list)  # rows of that column not moved, and why
    # What then verifies (the trial re-verification): flags it closes, flags it opens, the flag's status.
    closes: list[Flag] = field(default_factory=list)
    opens: list[Flag] = field(default_factory=list)
    status: str | None = None

    @property
    def field(self) -> str:
        return f"{self.view}[*].{self.source}" if self.all_rows else self.moves[0].path

    def values(self) -> dict[str, str]:
        return {m.path: m.value for m in self.moves}


@dataclass
class MoveOutcome:
    plan: MovePlan
    decision: Decision
    status: str | None
    closed: list[Flag]
    opened: list[Flag]
    hint: LayoutHint | None


def plan_move(store: ReviewStore, ref: str, field_arg: str | None, to_column: str, all_rows: bool,
              document: str | None = None) -> MovePlan:
    """The move a person asks for, and what then verifies (nothing is recorded)."""
    heal(store)
    doc, result, text, flag = open_flag(store, ref, document)
    plan = _plan(result, flag, field_arg, to_column, all_rows)
    _preview(store, result, text, plan)
    return plan


def _plan(result: ExtractionResult, flag: Flag, field_arg: str | None, to_column: str, all_rows: bool) -> MovePlan:
    rows = rows_by_key(result)
    path = _table_field(flag, field_arg, rows)
    key, source = split_path(path)
    table, _ = rows[key]
    view = key[:key.index("[")]
    target, target_label = resolve_column(table, to_column)
    source_label = table.columns.get(source) or spec_for(table.kind).column(source).zh
    if target == source:
        raise ReviewError(f"{path} is already read under {source_label} ({source})", EXIT_USAGE)
    plan = MovePlan(result.document.name, flag, view, table.kind, source, target, source_label, target_label,
                    all_rows, table.header)
    printed = {c.path: str(c.original.value) for c in result.corrections if not c.moved_from}
    keys = [k for k in rows if k.startswith(f"{view}[")] if all_rows else [key]
    for k in keys:
        _, row = rows[k]
        amount = row.values.get(source)
        if amount is None:
            continue
        p = f"{k}.{source}"
        moved = Moved(p, printed.get(p, str(amount.value)), _row_name(row))
        if target in row.values or target in row.texts:
            there = row.values.get(target) or row.texts.get(target)
            plan.left.append((moved, f"{target_label} already holds {getattr(there, 'value', None) or there.text}"))
        else:
            plan.moves.append(moved)
    if not plan.moves:
        why = plan.left[0][1] if plan.left else "nothing to move"
        raise ReviewError(f"{path}: cannot move it to {target_label} ({target}): {why}; move that value first "
                          f"(review move … --to-column another column), or fix it", EXIT_USAGE)
    return plan


def _preview(store: ReviewStore, result: ExtractionResult, text: str, plan: MovePlan) -> None:
    """Re-verify a copy with the move in force: which flags it closes and opens."""
    trial = result.model_copy(deep=True)
    before = {f.id: f for f in result.flags}
    fake = Decision(seq=max((d.seq for d in store.decisions()), default=0) + 1, action="move", flag_id=plan.flag.id,
                    subject=plan.flag.subject, check=plan.flag.check, field=plan.field, before=plan.source,
                    after=plan.target, values=plan.values(), time=now_iso(), document_sha256=result.document.sha256)
    apply_decisions(trial, text, [*store.decisions(plan.document), fake])
    after = {f.id: f for f in trial.flags}
    plan.closes, plan.opens = flag_changes(before, after, {plan.flag.id})
    plan.status = after[plan.flag.id].status if plan.flag.id in after else None


def move(store: ReviewStore, ref: str, field_arg: str | None, to_column: str, all_rows: bool, *,
         document: str | None = None, reviewer: str | None = None, note: str | None = None) -> MoveOutcome:
    """Record the move and re-verify the document with it; a move down the table teaches a layout hint."""
    heal(store)
    with store.transaction():
        doc, result, text, flag = open_flag(store, ref, document)
        plan = _plan(result, flag, field_arg, to_column, all_rows)
        before = {f.id: f for f in result.flags}
        decision = store.record(document=doc.name, document_sha256=result.document.sha256, flag=flag, action="move",
                                values=plan.values(), field=plan.field, before=plan.source, after=plan.target,
                                reviewer=reviewer, note=note)
        hint = None
        if all_rows and plan.header:
            origin = HintOrigin(document=doc.name, document_sha256=result.document.sha256, decision=decision.seq,
                                reviewer=reviewer, note=note, time=decision.time)
            hint = LayoutHint.make(plan.kind, plan.header, [ColumnMove(
                read_as=plan.source, printed_under=plan.target, read_as_label=plan.source_label,
                printed_under_label=plan.target_label)], origin)
            store.add_hint(hint, decision=decision.seq)
    result = resettle(store, doc.name, result, text)
    after = {f.id: f for f in result.flags}
    closed, opened = flag_changes(before, after, {flag.id})
    now = after.get(flag.id)
    return MoveOutcome(plan, decision, now.status if now else None, closed, opened, hint)


def _table_field(flag: Flag, field_arg: str | None, rows: dict) -> str:
    """The value to move: given by its number or key in `review show`, or the flag's only table value."""
    paths = [ref.path for ref in flag.fields]
    in_tables = [p for p in paths if _in_table(p, rows)]
    if field_arg is None:
        if len(in_tables) == 1:
            return in_tables[0]
        if not in_tables:
            raise ReviewError(f"{flag.id} involves no value read from a table; `review move` moves a table's "
                              f"value to another column", EXIT_USAGE)
        raise ReviewError(f"{flag.id} involves {len(in_tables)} values: choose one with --field "
                          f"({', '.join(in_tables)})", EXIT_USAGE)
    if field_arg.isdigit() and 1 <= int(field_arg) <= len(paths):
        path = paths[int(field_arg) - 1]
    elif field_arg in paths:
        path = field_arg
    else:
        raise ReviewError(f"{flag.id} involves no field {field_arg!r}; its fields: {', '.join(paths) or 'none'}",
                          EXIT_USAGE)
    if not _in_table(path, rows):
        raise ReviewError(f"{path} is not a value read from a table's row; `review move` moves a table's value to "
                          f"another column (correct a card's value with `review fix`)", EXIT_USAGE)
    return path


def _in_table(path: str, rows: dict) -> bool:
    key, column = split_path(path)
    return key in rows and column in rows[key][1].values


def columns_offered(table: Table) -> list[tuple[str, str]]:
    """(key, header as printed) of every column a value of the table can go to: the header's, in print order,
    then the registry's other amount columns."""
    spec = spec_for(table.kind)
    out = [(k, label) for k, label in table.columns.items() if spec.column(k).type != "text"]
    out += [(c.key, c.zh) for c in spec.columns if c.key not in table.columns and c.type != "text"]
    return out


def resolve_column(table: Table, text: str) -> tuple[str, str]:
    """A column named by its key or by its header text (as printed, or the registry's name); (key, label)."""
    offered = columns_offered(table)
    wanted = _squash(text)
    for test in (lambda k, label: k == text,
                 lambda k, label: _squash(label) == wanted or _squash(spec_for(table.kind).column(k).zh) == wanted,
                 lambda k, label: wanted and wanted in _squash(label)):
        found = [(k, label) for k, label in offered if test(k, label)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ReviewError(f"--to-column {text!r} matches {len(found)} columns: "
                              f"{', '.join(f'{k} ({label})' for k, label in found)}; give its key", EXIT_USAGE)
    shown = ", ".join(f"{k} ({label})" for k, label in offered)
    raise ReviewError(f"--to-column {text!r}: no such column in {table.title or table.kind}; its columns: {shown}",
                      EXIT_USAGE)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s).replace("（", "(").replace("）", ")")


def _row_name(row) -> str:
    label = "".join(row.label.text.split()) if row.label else ""
    return " ".join(x for x in (row.code, label) if x) or (row.item or "")
