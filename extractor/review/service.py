"""What the review commands and `run` do to the store and the result files, one transaction at a time.

The trail is the truth. A decision is recorded and committed first; then, in a
second transaction, the document is re-verified with every decision of the trail
in force, its result file rewritten atomically and its queue rows replaced. A
process that dies in between leaves a file behind the trail, never ahead of it;
every command reconciles on opening the store (``heal``): a file written with
fewer decisions than the trail holds, or claiming decisions the trail lacks, is
rebuilt from its source and the trail, and a file changed on disk gets its queue
rows rebuilt from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from schemas import Decision, ExtractionResult, Flag, parse_amount, spec_for

from ..export import is_pretty, result_json, write_atomic
from ..geometry import place_values
from ..reverify import ReverifyError, read_result, read_source, text_copy
from .apply import (CORRECTABLE_HINT, apply_decisions, fold, in_terms_of, slots_by_path, source_values, stable_paths,
                    to_stable, undone_moves)
from .errors import EXIT_NOT_FOUND, EXIT_PROBLEM, EXIT_USAGE, ReviewError  # noqa: F401 - re-exported
from .store import ReviewStore



@dataclass
class Outcome:
    """What a decision did: the decisions recorded, and how the document's flags moved."""

    document: str
    flag_id: str
    decisions: list[Decision]
    status: str | None  # the flag's status afterwards (None: it no longer fires)
    closed: list[Flag] = field(default_factory=list)  # other flags the decision closed
    opened: list[Flag] = field(default_factory=list)  # flags that fire now and did not before
    unchanged: bool = False  # nothing to record: the flag already had this decision
    twins: list[Flag] = field(default_factory=list)  # the same question elsewhere in the document, decided alike


def settle(store: ReviewStore, result: ExtractionResult, text: str, result_path: Path,
           source: Path | None = None, pretty: bool | None = None) -> ExtractionResult:
    """Apply the document's decisions, write its result file, and mirror it in the queue (in a transaction).

    The file is compact, or indented with ``pretty``; by default a rewrite keeps the layout it had.
    """
    decisions = store.decisions(result.document.name)
    apply_decisions(result, text, decisions)
    place_values(result)
    written = result_json(result, is_pretty(result_path) if pretty is None else pretty)
    write_atomic(result_path, written)
    store.sync(result, result_path, source, written, trail_seq=max((d.seq for d in decisions), default=0))
    return result


def _identity(d: Decision) -> tuple:
    # Not its paths: a result keys a card's values by its section, the trail by the card's identity.
    return (d.seq, d.action, d.subject, d.after, d.time)


def agrees_with_trail(result: ExtractionResult, trail: list[Decision]) -> bool:
    """The file carries exactly the decisions of the trail in force for its document, no more and no fewer."""
    return {_identity(d) for d in result.decisions} == {_identity(d) for d in fold(in_terms_of(result, trail)).all()}


def rebuild(store: ReviewStore, name: str, path: Path, result: ExtractionResult | None = None) -> None:
    """Rewrite a document's result file from its source and the trail (call inside a transaction)."""
    result = result or load_result(path)
    known = store.document(name)
    source = known.source if known and known.sha256 == result.document.sha256 else Path(result.document.path)
    text = source_text(result, source, path)
    settle(store, result, text, path, source)


def load_result(path: Path) -> ExtractionResult:
    try:
        return read_result(path)
    except ReverifyError as exc:
        raise ReviewError(str(exc)) from None


def source_text(result: ExtractionResult, source: Path, result_path: Path | None = None) -> str:
    try:
        return read_source(source, result.document.sha256, result.document.name,
                           text_copy(result, result_path.parent) if result_path is not None else None)
    except ReverifyError as exc:
        raise ReviewError(str(exc)) from None


def heal(store: ReviewStore, folders: list[Path] = (), problems: list[str] | None = None) -> list[str]:
    """Reconcile the result files with the trail and the queue with the files; names healed.

    A file behind the trail (a command died after committing its decision) or claiming decisions the trail
    lacks is rebuilt; a file changed behind the store's back that agrees with the trail only gets its queue
    rows rebuilt. What cannot be rebuilt (its source is gone or changed) is said in ``problems``.
    """
    healed = []
    documents = store.documents()
    known = {d.result.resolve(): d.name for d in documents}
    at = {d.name: d.result.resolve() for d in documents}
    # A store copied with its results folder (``cp -r X Y``) still names X's files: where X has its own store and
    # Y the same file, the store uses its own folder's — never another store's results, never the two in turn.
    moved = _own_copies(store, documents)
    changed = dict((path.resolve(), name) for name, path in store.stale_results() if name not in moved)
    changed.update((path, name) for name, path in moved.items())
    for folder in {*(p.parent for p in known), *folders}:
        for path in folder.glob("*.json") if folder.is_dir() else ():
            if path.resolve() not in known and _looks_like_result(path):
                changed[path.resolve()] = path.stem
    behind = {name for name in store.behind_trail()}
    behind_paths = {d.result.resolve(): d.name for d in store.documents() if d.name in behind}
    if not changed and not behind_paths:
        return healed
    with store.transaction():
        for path, name in {**behind_paths, **changed}.items():
            if not path.exists():
                store.forget(name)
                healed.append(name)
                continue
            try:
                result = load_result(path)
                name = result.document.name
                if at.get(name) not in (None, path) and at[name].exists() and moved.get(name) != path:
                    continue  # another file of a document the store has at its own path (the last run's): kept
                if name in behind or not agrees_with_trail(result, store.decisions(name)):
                    rebuild(store, name, path, result)
                else:
                    store.sync(result, path)
            except ReviewError as exc:
                if problems is not None:
                    problems.append(f"{name}: its result file does not agree with the review trail and cannot be "
                                    f"rebuilt: {exc}")
                continue
            healed.append(name)
    return healed


def _own_copies(store: ReviewStore, documents) -> dict[str, Path]:
    """Documents whose recorded result is in a folder with another review store, while the same file (the same
    path under its results folder) is in this store's folder: name → this folder's file."""
    home = store.path.resolve().parent
    out = {}
    for d in documents:
        result = d.result.resolve()
        if result.is_relative_to(home):
            continue
        other = next((p for p in result.parents if (p / store.path.name).is_file()), None)
        if other is None or (other / store.path.name).resolve() == store.path.resolve():
            continue
        mine = home / result.relative_to(other)
        if mine.is_file():
            out[d.name] = mine
    return out


def _looks_like_result(path: Path) -> bool:
    with open(path, "rb") as fh:
        return b'"schema_version"' in fh.read(64)


def find_one(store: ReviewStore, ref: str, document: str | None = None):
    matches = store.find(ref, document)
    if not matches and ref and not ref.startswith("F"):
        matches = store.find("F" + ref, document)  # ids are shown with their leading F; people drop it
    if not matches:
        where = f" in {document}" if document else ""
        raise ReviewError(f"no flag {ref}{where}: `budget-extract review list --db {store.arg}` shows the ones "
                          f"that need review (--status all: every flag)", EXIT_NOT_FOUND)
    if len(matches) > 1:
        shown = ", ".join(f"{q.document}:{q.id}" for q in matches[:5])
        raise ReviewError(f"{ref} matches {len(matches)} flags ({shown}{' …' if len(matches) > 5 else ''}); "
                          f"give more of the id, or --document NAME", EXIT_NOT_FOUND)
    return matches[0]


class Opened(NamedTuple):
    """A flag the queue names, found in its document's current result, with the text that result spans into."""

    doc: object  # the store's row for the document
    result: ExtractionResult
    text: str
    flag: Flag


def open_flag(store: ReviewStore, ref: str, document: str | None = None) -> Opened:
    queued = find_one(store, ref, document)
    doc = store.document(queued.document)
    result = load_result(doc.result)
    text = source_text(result, doc.source, doc.result)
    flag = next((f for f in result.flags if f.id == queued.id), None)
    if flag is None:  # the file changed under us since heal(): another process's run
        raise ReviewError(f"{queued.id}: no longer in {doc.result}; run `budget-extract review list` again")
    return Opened(doc, result, text, flag)


def decide(store: ReviewStore, ref: str, action: str, *, document: str | None = None, fields: list[str] = (),
           all_fields: bool = False, value: str | None = None, reviewer: str | None = None,
           note: str | None = None) -> Outcome:
    """Record a person's decision on a flag and re-verify its document with it.

    The decision is committed to the trail first; the result file is rewritten afterwards, in a second
    transaction, from the trail: a process killed in between leaves a file the next command rebuilds.
    """
    heal(store)
    with store.transaction():
        doc, result, text, flag = open_flag(store, ref, document)
        before = {f.id: f for f in result.flags}
        plan = _plan(result, flag, action, list(fields), all_fields, value)
        if not plan:
            return Outcome(doc.name, flag.id, [], flag.status, unchanged=True)
        recorded = _record(store, result, flag, action, plan, reviewer, note)
        twins = twins_of(result, flag, decided=action == "reopen")
        for twin in twins:
            recorded += _record(store, result, twin, action, _twin_plan(flag, twin, plan), reviewer, note)
        if action == "reopen":  # a move taken back takes back the layout hint it taught
            store.forget_hints_of(undone_moves(store.decisions(doc.name)))
    result = resettle(store, doc.name, result, text)
    after = {f.id: f for f in result.flags}
    now = after.get(flag.id)
    twin_ids = {t.id for t in twins}
    closed, opened = flag_changes(before, after, {flag.id, *twin_ids})
    return Outcome(doc.name, flag.id, recorded, now.status if now else None, closed, opened,
                   twins=[after[i] for i in twin_ids if i in after])


@dataclass
class Preview:
    """What a decision would record (``--dry-run``): nothing is written."""

    document: str
    flag: Flag
    action: str
    plan: Plan  # one (field, before, after) per decision; empty: the flag already has this decision
    twins: list[Flag]  # the same question elsewhere in the document, that the decision would settle alike


def preview(store: ReviewStore, ref: str, action: str, *, document: str | None = None, fields: list[str] = (),
            all_fields: bool = False, value: str | None = None) -> Preview:
    """The decisions ``decide`` would record, checked as it checks them (an unknown field or a correction to
    the value already read is refused alike), without recording anything."""
    heal(store)
    doc, result, _text, flag = open_flag(store, ref, document)
    plan = _plan(result, flag, action, list(fields), all_fields, value)
    twins = twins_of(result, flag, decided=action == "reopen") if plan else []
    return Preview(doc.name, flag, action, plan, twins)


def resettle(store: ReviewStore, name: str, result: ExtractionResult, text: str) -> ExtractionResult:
    """The document's file rebuilt from the trail, every decision in force (its own transaction)."""
    with store.transaction():
        # Whatever another command wrote in between, the file is rebuilt from the trail, every decision in force.
        now = store.document(name)
        sha = result.document.sha256
        result = load_result(now.result)
        if result.document.sha256 != sha:
            text = source_text(result, now.source, now.result)
        settle(store, result, text, now.result)
    return result


def flag_changes(before: dict[str, Flag], after: dict[str, Flag], left_out: set[str]) -> tuple[list[Flag], list[Flag]]:
    """Flags a decision closed (they needed review and now do not), and flags it opened."""
    closed = [f for i, f in after.items() if i not in left_out and f.status != "open" and i in before
              and before[i].status in ("open", "stale") and f.status != before[i].status]
    opened = [f for i, f in after.items() if i not in left_out and f.status in ("open", "stale")
              and (i not in before or before[i].status not in ("open", "stale"))]
    return closed, opened


def _record(store: ReviewStore, result: ExtractionResult, flag: Flag, action: str, plan: Plan,
            reviewer: str | None, note: str | None) -> list[Decision]:
    # The trail keys a card's values by the card's identity, not its section (``apply.stable_paths``).
    aliases = stable_paths(result)
    values = {to_stable(p, aliases): v for p, v in source_values(result, flag.fields).items()}
    return [store.record(document=result.document.name, document_sha256=result.document.sha256, flag=flag,
                         action=action, values=values, field=to_stable(path, aliases), before=was, after=after,
                         reviewer=reviewer, note=note)
            for path, was, after in plan]


def twins_of(result: ExtractionResult, flag: Flag, decided: bool = False) -> list[Flag]:
    """Flags asking the very same question elsewhere in the document (003 prints its cards twice).

    Same check, same message, same values in the same order: one answer settles them all (and
    reopening one reopens them all: ``decided`` picks the twins that have a decision).
    """
    values = [ref.value for ref in flag.fields]
    aliases = stable_paths(result)
    cards = _cards_asked(flag, aliases)
    return [f for f in result.flags
            if f.id != flag.id and (f.decision is not None if decided else f.status in ("open", "stale"))
            and f.check == flag.check
            and f.message == flag.message and [ref.value for ref in f.fields] == values
            and _cards_asked(f, aliases) == cards]


def _cards_asked(flag: Flag, aliases: dict[str, str]) -> set[str]:
    """The cards a flag's values are on, by identity (a card printed twice is one card): a question about
    another project's card — another 项目编码, or the same name with another budget — is another question."""
    out = set()
    for ref in flag.fields:
        head = ref.path.partition("]")[0] + "]"
        if head in aliases:
            out.add(re.sub(r"#\d+\]$", "]", aliases[head]))
        elif ref.path.startswith(("performance_target[", "department_performance_target[")):
            out.add(head)  # a card with no identity: only itself
    return out


def _twin_plan(flag: Flag, twin: Flag, plan: Plan) -> Plan:
    """The same decision, on the twin's value in the same place."""
    where = {ref.path: i for i, ref in enumerate(flag.fields)}
    return [(twin.fields[where[path]].path if path is not None else None, was, after) for path, was, after in plan]


Plan = list[tuple[str | None, str | None, str | None]]  # (field, before, after) per decision to record


def _plan(result: ExtractionResult, flag: Flag, action: str, fields: list[str], all_fields: bool,
          value: str | None) -> Plan:
    if action == "accept":
        if flag.status == "accepted":
            return []
        return [(None, None, None)]
    if action == "reopen":
        if flag.decision is None:
            raise ReviewError(f"{flag.id} has no decision to reopen (it is {flag.status})", EXIT_USAGE)
        return [(None, None, None)]
    slots = slots_by_path(result)
    printed = {c.path: str(c.original.value) for c in result.corrections}  # what the document says
    if action == "fix":
        path = _one_field(flag, fields, slots)
        new = correction_value(path, value, unit_of_field(result, slots[path].section_id, path))
        current = slots[path].amount.value
        if new == current and str(new) == str(current):
            raise ReviewError(f"{path} is already {current}; nothing to correct", EXIT_USAGE)
        return [(path, printed.get(path, str(current)), _printed(new))]
    if action == "reject":
        paths = _reject_fields(flag, fields, all_fields, slots)
        return [(p, printed.get(p, str(slots[p].amount.value)), None) for p in paths]
    raise ReviewError(f"unknown action {action!r}", EXIT_USAGE)  # pragma: no cover - the CLI offers four


def unit_of_field(result: ExtractionResult, section_id: str, path: str) -> str | None:
    """The unit a field's value is printed in: its table's (or card's) stated unit, % for a rate."""
    if ".spending_plan[" in path:
        return "%"
    table = next((t for t in result.tables if t.section_id == section_id), None)
    if table is not None:
        column = path.rsplit(".", 1)[-1]
        kind = spec_for(table.kind).column(column).type
        return "%" if kind == "percent" else None if kind == "count" else table.unit
    card = next((c for c in result.cards if c.section_id == section_id), None)
    return card.unit if card is not None and ".budget." in path else None


def correction_value(path: str, value: str | None, unit: str | None = None) -> Decimal:
    """A person's value for a field: a plain number in the field's unit (``unit``, as its table states it);
    a percentage within 0–100."""
    text = (value or "").strip()
    percent = ".spending_plan[" in path
    if percent and text.endswith("%"):
        text = text[:-1]
    new = parse_amount(text)
    if new is None:
        where = f"in {unit}, the unit it is printed in" if unit and unit != "%" else "in the unit it is printed in"
        unit = "a percentage, e.g. 75" if percent else f"a plain number {where}, e.g. 1234.56"
        raise ReviewError(f"{value!r} is not a value for {path}: give {unit}", EXIT_USAGE)
    if percent and not 0 <= new <= 100:
        raise ReviewError(f"{value!r}: a spending plan is a cumulative percentage, from 0 to 100", EXIT_USAGE)
    if new < 0 or (new == 0 and text.startswith(("-", "−"))):
        raise ReviewError(f"{value!r}: a correction cannot be negative (the tables and cards list amounts)", EXIT_USAGE)
    return new


def _printed(d: Decimal) -> str:
    return format(d, "f")


def _correctable(flag: Flag, slots: dict) -> list[str]:
    return [ref.path for ref in flag.fields if ref.path in slots]


def _field_arg(flag: Flag, arg: str) -> str:
    """A field given by its key (path) or by its number in `review show`."""
    paths = [ref.path for ref in flag.fields]
    if arg.isdigit() and 1 <= int(arg) <= len(paths):
        return paths[int(arg) - 1]
    if arg in paths:
        return arg
    raise ReviewError(f"{flag.id} involves no field {arg!r}; its fields: {', '.join(paths) or 'none'}", EXIT_USAGE)


def _one_field(flag: Flag, fields: list[str], slots: dict) -> str:
    correctable = _correctable(flag, slots)
    if len(fields) > 1:
        raise ReviewError("fix corrects one value at a time: give --field once", EXIT_USAGE)
    if fields:
        path = _field_arg(flag, fields[0])
        if path not in slots:
            raise ReviewError(f"{path} is a figure of the explanation text, read by the verifier; "
                              f"{CORRECTABLE_HINT}", EXIT_USAGE)
        return path
    if len(correctable) == 1:
        return correctable[0]
    if not correctable:
        raise ReviewError(f"{flag.id} involves no value that can be corrected ({CORRECTABLE_HINT}); "
                          f"accept or reject it", EXIT_USAGE)
    raise ReviewError(f"{flag.id} involves {len(correctable)} values: choose one with --field "
                      f"({', '.join(correctable)})", EXIT_USAGE)


def _reject_fields(flag: Flag, fields: list[str], all_fields: bool, slots: dict) -> list[str]:
    correctable = _correctable(flag, slots)
    if not correctable:
        raise ReviewError(f"{flag.id} involves no extracted value to withdraw; accept it to acknowledge it, "
                          f"or leave it open", EXIT_USAGE)
    if all_fields:
        return correctable
    if fields:
        paths = [_field_arg(flag, f) for f in fields]
        bad = [p for p in paths if p not in slots]
        if bad:
            raise ReviewError(f"{bad[0]} is a figure of the explanation text; {CORRECTABLE_HINT}", EXIT_USAGE)
        return list(dict.fromkeys(paths))
    if len(correctable) == 1:
        return correctable
    raise ReviewError(f"{flag.id} involves {len(correctable)} values: name the wrong one(s) with --field, "
                      f"or --all ({', '.join(correctable)})", EXIT_USAGE)
