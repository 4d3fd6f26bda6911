"""Stage 6 — export: one line per extracted number, from the result files of `run`."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from schemas import Amount, Decision, ExtractionResult, PerformanceCard, Table, Text, spec_for

from .export_kinds import (CARD_FIELDS, CLAIM_FIELDS, DOCUMENT_FIELDS, EXPORT_KINDS, FACT_COLUMNS,  # noqa: F401
                           FACT_FIELDS, FLAG_FIELDS, flat)
from .load import SUPPORTED_SUFFIXES
from .load.base import shown
from .writing import public_mode, temporary_prefix, write_atomic, write_temporary  # noqa: F401


# A value's status, from most to least decided: what a person said wins over what the verifier found.
VALUE_STATUSES = ("rejected", "corrected", "flagged", "accepted", "verified")


@dataclass(frozen=True)
class ValueStatus:
    status: str
    flags: tuple[str, ...] = ()  # flags that need review and involve the value
    decision: Decision | None = None  # the person's decision behind "accepted", "corrected" or "rejected"
    original: Amount | None = None  # what the reader read, when a person corrected it


def value_statuses(result: ExtractionResult) -> dict[str, ValueStatus]:
    """The status of every value a flag or a decision touches, by path; a value not listed is verified."""
    open_flags: dict[str, list[str]] = {}
    accepted: dict[str, Decision | None] = {}
    for flag in result.flags:
        for ref in flag.fields:
            if flag.status in ("open", "stale"):
                open_flags.setdefault(ref.path, []).append(flag.id)
            elif flag.status in ("accepted", "rejected"):
                # A rejection puts the fault on the withdrawn value; the person let the others stand as read.
                accepted.setdefault(ref.path, flag.decision)
    out: dict[str, ValueStatus] = {}
    for path, decision in accepted.items():
        out[path] = ValueStatus("accepted", decision=decision)
    for path, ids in open_flags.items():
        out[path] = ValueStatus("flagged", tuple(ids))
    by_seq = {d.seq: d for d in result.decisions}
    for c in result.corrections:
        # A correction that still fails a check is no verified value: flagged, with the correction beside it.
        state = "flagged" if c.path in open_flags else "corrected"
        out[c.path] = ValueStatus(state, tuple(open_flags.get(c.path, ())), by_seq.get(c.seq), c.original)
    in_force: dict[str, Decision] = {}
    for d in result.decisions:  # the latest fix or reject of a value is the one in force
        if d.field and d.action in ("fix", "reject") and not d.stale:
            in_force[d.field] = d
    for path, d in in_force.items():
        if d.action == "reject":
            out[path] = ValueStatus("rejected", tuple(open_flags.get(path, ())), d)
    return out


_VERIFIED = ValueStatus("verified")


def _fact(doc: str, kind: str, title: str, code, label, column: str, column_label: str, amount: Amount, unit,
          path: str, status: ValueStatus, entity: Text | None = None, entity_role: str | None = None,
          texts: dict[str, str] | None = None) -> dict:
    d = status.decision
    withdrawn = status.status == "rejected"
    original = status.original or (amount if withdrawn else None)
    moved = d is not None and d.action == "move" and status.status in ("corrected", "flagged")
    return {
        "document": doc, "table": kind, "title": title, "entity": entity.text if entity else None,
        "entity_role": entity_role, "row_code": code, "row_label": label, "row_texts": texts,
        "column": column, "column_label": column_label, "value": None if withdrawn else str(amount.value),
        "unit": unit, "span": list(amount.span), "field": path, "status": status.status,
        "flags": list(status.flags), "original_value": str(original.value) if original else None,
        "original_column": d.before if moved else None,  # a value a person moved: the column it was read in
        "decision": d.seq if d else None, "reviewer": d.reviewer if d else None, "note": d.note if d else None,
    }


def table_facts(doc: str, table: Table, paths: dict[int, str], statuses: dict[str, ValueStatus]) -> Iterator[dict]:
    spec = spec_for(table.kind)
    for row, (entity, entity_role) in zip(table.rows, row_entities(table)):
        label = row.label.text if row.label else None
        texts = row_texts(row)
        for key, amount in row.values.items():
            col = spec.column(key)
            unit = table.unit if col.type == "amount" else "%" if col.type == "percent" else None
            path = paths[id(amount)]
            yield _fact(doc, table.kind, table.title, row.code, label, key, table.columns.get(key, col.zh), amount, unit,
                        path, statuses.get(path, _VERIFIED), entity, entity_role, texts)


def row_entities(table: Table) -> list[tuple[Text | None, str | None]]:
    """Whose each line of a table is (entity, role): the table's, or — in a table printed in blocks per unit (301001
    本级 and its 类款项 lines, 301002 … and its own) — the unit whose block holds the line, so that facts summed by code
    can be told apart by unit."""
    from verify.values import unit_blocks

    units = unit_blocks(table.rows)
    if units is None:
        return [(table.entity, table.entity_role)] * len(table.rows)
    names = {}
    for row, unit in zip(table.rows, units):
        if unit is not None and row.item == "department" and row.label is not None:
            names.setdefault(unit, row.label)
    return [(names[unit], "unit") if unit in names else (table.entity, table.entity_role) for unit in units]


def row_texts(row) -> dict[str, str] | None:
    """The words a table's line prints beside its numbers, by column key (a project's 类型, 项目单位, 资金来源, 项目级次 …;
    a column the registry does not know by its header path): the same on each of the line's facts. None without any."""
    return {key: text.text for key, text in row.texts.items()} or None


_BUDGET_KEYS = ("total", "fiscal", "carryover", "other")
_TASK_ZH = ("总额", "财政拨款", "上年结转", "其他资金")


def card_facts(doc: str, card: PerformanceCard, paths: dict[int, str],
               statuses: dict[str, ValueStatus]) -> Iterator[dict]:
    code = card.project_code.text if card.project_code else None
    name = card.project_name.text if card.project_name else card.title

    def fact(label, column, column_label, amount, unit):
        path = paths[id(amount)]
        return _fact(doc, card.kind, card.title, code, label, column, column_label, amount, unit, path,
                     statuses.get(path, _VERIFIED))

    for key, zh in zip(_BUDGET_KEYS, ("预算数", "财政资金", "上年结转", "其他资金")):
        amount = getattr(card.budget, key)
        if amount is not None:
            yield fact(name, f"budget_{key}", zh, amount, card.unit)
    for source, amount in card.budget.sources.items():
        yield fact(name, "budget_source", f"资金来源 {source}", amount, card.unit)
    for key, zh in zip(_BUDGET_KEYS, ("实施期预算数", "实施期财政资金", "实施期上年结转", "实施期其他资金")):
        if card.midterm_budget is not None and (amount := getattr(card.midterm_budget, key)) is not None:
            yield fact(name, f"midterm_budget_{key}", zh, amount, card.unit)
    for step in card.spending_plan:
        yield fact(step.period, "spending_plan", f"资金支出计划 {step.period}", step.percent, "%")
    if card.execution_weight is not None:
        yield fact(name, "execution_weight", "执行率分值", card.execution_weight, None)
    for ind in card.indicators:
        if ind.value is not None:
            # The comparator is part of what the target says (≥ 95 is not 95): in the column's label.
            label = f"指标值 {ind.comparator}" if ind.comparator else "指标值"
            yield fact(ind.name.text if ind.name else None, "indicator_value", label, ind.value, ind.unit)
        if ind.weight is not None:
            yield fact(ind.name.text if ind.name else None, "indicator_weight", "权重", ind.weight, None)
    for task in card.tasks:
        for key, zh in zip(_BUDGET_KEYS, _TASK_ZH):
            if (amount := getattr(task.budget, key)) is not None:
                yield fact(task.name.text if task.name else None, f"task_{key}", f"任务预算 {zh}", amount, card.unit)
    for key, zh in zip(_BUDGET_KEYS, _TASK_ZH):
        if card.tasks_total is not None and (amount := getattr(card.tasks_total, key)) is not None:
            yield fact("金额合计", f"task_{key}", f"任务预算 {zh}", amount, card.unit)


def result_cards(result: ExtractionResult) -> Iterator[dict]:
    """One dict per indicator of each performance card (a card with none: one dict with no indicator), the card's own
    fields repeated on each: what the facts leave out, being numbers only — the target as printed and its comparator,
    the text targets (按时完成, 有所提升), the levels, the goals, the department, unit and period. The value and its
    status are the facts' (people's decisions applied: a corrected value replaces the reading, a rejected one is
    withdrawn)."""
    doc = result.document.name
    paths, statuses = value_paths(result), value_statuses(result)

    def text(t: Text | None) -> str | None:
        return t.text if t is not None else None

    for card in result.cards:
        total = card.budget.total
        base = {"document": doc, "kind": card.kind, "title": card.title, "project_code": text(card.project_code),
                "project_name": text(card.project_name), "department": text(card.department),
                "implementing_unit": text(card.implementing_unit), "project_period": text(card.project_period),
                "budget_total": _shown(total, paths, statuses), "budget_unit": card.unit,
                "goals": [g.text for g in card.goals], "midterm_goals": [g.text for g in card.midterm_goals]}
        if not card.indicators:
            yield base | dict.fromkeys(CARD_FIELDS[12:]) | {"flags": []}
            continue
        for n, ind in enumerate(card.indicators):
            path = paths.get(id(ind.value)) if ind.value is not None else None
            state = statuses.get(path, _VERIFIED) if path is not None else None
            yield base | {
                "indicator": n, "level1": ind.level1, "level2": ind.level2, "name": text(ind.name),
                "description": text(ind.description), "target": text(ind.target),
                "midterm_target": text(ind.midterm_target), "comparator": ind.comparator,
                "value": _shown(ind.value, paths, statuses), "unit": ind.unit, "qualitative": ind.qualitative,
                "basis": text(ind.basis), "scoring": text(ind.scoring), "weight": _shown(ind.weight, paths, statuses),
                "span": list(ind.target.span) if ind.target is not None else None, "field": path,
                "status": state.status if state is not None else None,
                "flags": list(state.flags) if state is not None else []}


def _shown(amount: Amount | None, paths: dict[int, str], statuses: dict[str, ValueStatus]) -> str | None:
    """An amount as the facts export it: its value, none when a person rejected it."""
    if amount is None:
        return None
    state = statuses.get(paths.get(id(amount), ""))
    return None if state is not None and state.status == "rejected" else str(amount.value)


def value_paths(result: ExtractionResult) -> dict[int, str]:
    """Each amount object of a result, by identity, to its stable path (the key decisions use)."""
    from verify.grounding import amount_slots

    return {id(slot.amount): slot.path for slot in amount_slots(result)}


def result_facts(result: ExtractionResult) -> Iterator[dict]:
    """One dict per value as read: with its status, and people's corrections in place (rejected values have none).
    The exports write ``fact_rows``, these values in the long row's columns."""
    doc = result.document.name
    paths, statuses = value_paths(result), value_statuses(result)
    for table in result.tables:
        yield from table_facts(doc, table, paths, statuses)
    for card in result.cards:
        yield from card_facts(doc, card, paths, statuses)


def fact_rows(result: ExtractionResult) -> Iterator[dict]:
    """The facts' long rows (``FACT_COLUMNS``), one per value: what every format writes for `--what facts`. Values
    as Python holds them (``value`` a ``Decimal``, ``flags`` a list, ``row_texts`` a dict); each writer puts them in
    its format's types."""
    paths, statuses = value_paths(result), value_statuses(result)
    yield from table_rows(result, paths, statuses)
    yield from card_rows(result, paths, statuses)


def table_rows(result: ExtractionResult, paths: dict[int, str], statuses: dict[str, ValueStatus]) -> Iterator[dict]:
    """The long rows of the values of a result's tables."""
    about = _about(result)
    for table in result.tables:
        spec = spec_for(table.kind)
        coded = spec.row_key in ("functional", "economic")
        names = {row.code: row.label.text for row in table.rows if row.code and row.label} if coded else {}
        for fact in table_facts(about["document"], table, paths, statuses):
            yield _long_row(fact, about, spec.zh, spec.row_key if coded and fact["row_code"] else None, names)


def card_rows(result: ExtractionResult, paths: dict[int, str], statuses: dict[str, ValueStatus]) -> Iterator[dict]:
    """The long rows of the values of a result's performance cards."""
    about = _about(result)
    for card in result.cards:
        zh = spec_for(card.kind).zh
        for fact in card_facts(about["document"], card, paths, statuses):
            yield _long_row(fact, about, zh, None, {})


def _about(result: ExtractionResult) -> dict:
    """The long row's columns that say which document a value is from."""
    doc = result.document
    return {"document": doc.name, "department": doc.department, "department_code": doc.department_code,
            "year": doc.year, "stage": doc.stage}


_LEVELS = (("lei", 3), ("kuan", 5), ("xiang", 7))  # 类, 款, 项: how many digits of the code each level is


def _long_row(fact: dict, about: dict, table_zh: str, classification: str | None, names: dict) -> dict:
    """A value as read (``_fact``) in the long row's columns, with its document and its code's levels."""
    code = fact["row_code"] if classification else None
    row = {**about, "table_kind": fact["table"], "table_zh": table_zh, "title": fact["title"],
           "entity": fact["entity"], "entity_role": fact["entity_role"],
           "row_code": fact["row_code"], "row_label": fact["row_label"], "row_texts": fact["row_texts"],
           "classification": classification}
    for level, digits in _LEVELS:
        part = code[:digits] if code and len(code) >= digits and code[:digits].isdigit() else None
        row[f"{level}_code"] = part
        row[f"{level}_name"] = names.get(part) if part else None
    text, original = fact["value"], fact["original_value"]
    row.update(column_key=fact["column"], column_label=fact["column_label"],
               value=None if text is None else Decimal(text), value_text=text, value_num=as_float(text),
               unit=fact["unit"], status=fact["status"], flags=fact["flags"],
               original_value=None if original is None else Decimal(original),
               original_column=fact["original_column"], field=fact["field"],
               span_start=fact["span"][0], span_end=fact["span"][1],
               decision=fact["decision"], reviewer=fact["reviewer"], note=fact["note"])
    return row


def as_float(value: str | None) -> float | None:
    """The float that reads back as ``value`` (``repr`` gives its digits again), or None: no value, or more
    significant digits than a float holds."""
    if value is None:
        return None
    number = float(value)
    return number if Decimal(repr(number)) == Decimal(value) else None


def count_facts(result: ExtractionResult) -> int:
    """How many facts ``result_facts`` gives, counted without building them (the batch summary needs only this)."""
    n = sum(len(row.values) for table in result.tables for row in table.rows)
    for card in result.cards:
        n += sum(1 for key in _BUDGET_KEYS if getattr(card.budget, key) is not None) + len(card.budget.sources)
        if card.midterm_budget is not None:
            n += sum(1 for key in _BUDGET_KEYS if getattr(card.midterm_budget, key) is not None)
        n += len(card.spending_plan) + (card.execution_weight is not None) + sum((ind.value is not None) + (ind.weight is not None) for ind in card.indicators)
        n += sum(1 for b in card.task_budgets() for key in _BUDGET_KEYS if getattr(b, key) is not None)
    return n




def result_claims(result: ExtractionResult) -> Iterator[dict]:
    """One dict per figure the explanation states (说明): what the verifier made of it — verified (a comparison with
    a table line, or with the whole, parts or base the text states, held), flagged, unchecked (nothing to compare
    it with) — with people's decisions on its flags applied, as for facts. Kept apart from the facts: a narrative
    figure restates a table's, and summing both would count it twice."""
    doc = result.document.name
    statuses = value_statuses(result)
    titles = {s.id: s.title for s in result.sections}
    for claim in result.claims:
        path = f"narrative[{claim.id}]"
        state = statuses.get(path)
        yield {"document": doc, "claim": claim.id, "section": titles.get(claim.section_id), "kind": claim.kind,
               "subject": claim.subject, "value": str(claim.value.value), "unit": claim.unit,
               "direction": claim.direction, "span": list(claim.value.span), "field": path,
               "status": state.status if state is not None else claim.status,
               "reason": claim.reason if state is None and claim.status == "unchecked" else None,
               "flags": list(state.flags) if state is not None else []}




def result_document(result: ExtractionResult, failed=None) -> dict:
    """The document's row of the documents table: ``ok`` (or ``nothing_read``: no table and no card was read), or
    ``error`` when its last run failed (``failed``, the manifest's row) and this result is from an earlier one."""
    doc = result.document
    status, error = ("ok" if result.tables or result.cards else "nothing_read"), None
    if failed is not None:
        status, error = "error", f"{failed.reason} (the result exported is from an earlier run that read it)"
    open_flags = [f for f in result.flags if f.status in ("open", "stale")]
    return {"document": doc.name, "status": status, "error": error, "path": doc.path, "sha256": doc.sha256,
            "encoding": doc.encoding, "department": doc.department, "department_code": doc.department_code,
            "year": doc.year, "stage": doc.stage, "unit": doc.unit, "tables": len(result.tables),
            "cards": len(result.cards), "facts": count_facts(result), "claims": len(result.claims),
            "open_errors": sum(f.severity == "error" for f in open_flags),
            "open_warnings": sum(f.severity == "warning" for f in open_flags)}


def failed_document(row) -> dict:
    """The documents-table row of a file that could not be read (the manifest's ``error`` row): no facts."""
    return {**dict.fromkeys(DOCUMENT_FIELDS), "document": row.name, "status": "error", "error": row.reason,
            "path": row.source}


def document_rows(results: Iterable[ExtractionResult], failed: dict | None = None) -> Iterator[dict]:
    """A row per result, then a row per file whose last run failed and that has no result at all."""
    failed = dict(failed or {})
    for result in results:
        yield result_document(result, failed.pop(result.document.name, None))
    for row in failed.values():
        yield failed_document(row)




def result_flags(result: ExtractionResult) -> Iterator[dict]:
    doc = result.document.name
    for flag in result.flags:
        d = flag.decision
        yield {"document": doc, "id": flag.id, "check": flag.check, "severity": flag.severity,
               "message": flag.message, "message_en": flag.message_en, "expected": flag.expected,
               "found": flag.found, "spans": [list(s) for s in flag.spans], "status": flag.status,
               "fields": [ref.path for ref in flag.fields],
               "decision": d.seq if d else None, "action": d.action if d else None,
               "decided_field": d.field if d else None, "before": d.before if d else None,
               "after": d.after if d else None, "reviewer": d.reviewer if d else None,
               "note": d.note if d else None, "decided_at": d.time if d else None,
               "stale_reason": d.stale_reason if d else None}


class ResultFileError(Exception):
    """A file in a results folder that is not a result: one line naming it."""


def result_paths(folder: Path) -> list[Path]:
    """The result files of a results folder, in name order, its sub-folders included: `run --recursive` writes
    a document found in a sub-folder under the same sub-folder (``OUT/2023/预算.json``). Hidden files and folders
    (temporary ones) are not results."""
    return sorted(p for p in folder.rglob("*.json")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def results_folder(path: Path, name: str) -> Path:
    """The folder `run` wrote the result at ``path`` into (where its review store is): the result's own folder,
    less the sub-folders its document ``name`` holds (``2023/预算`` for a file found in a sub-folder)."""
    parts = tuple(name.split("/"))
    if len(parts) > 1 and (*path.parent.parts, path.stem)[-len(parts):] == parts:
        return path.parents[len(parts) - 1]
    return path.parent


def read_result(path: Path) -> ExtractionResult:
    """A result file written by `run` (or edited since); anything else is a ``ResultFileError``: one line naming
    the file and saying what it is instead. Every command that reads result files reads them here."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ResultFileError(f"{shown(path)}: result file is missing; run `budget-extract run` again") from None
    except IsADirectoryError:
        raise ResultFileError(f"{shown(path)}: a folder, not a result file (give the <name>.json files in it)") \
            from None
    except OSError as exc:
        raise ResultFileError(f"{shown(path)}: cannot read: {exc.strerror or exc}") from None
    # A person's editor may have saved it with a byte-order mark (Windows Notepad): that is still the result.
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return ExtractionResult.model_validate_json(data)
    except ValidationError as exc:
        what = _not_a_result(data, exc)
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            what += "; it looks like a document: `budget-extract run` reads documents"
        raise ResultFileError(f"{shown(path)}: not a result file ({what})") from None


def _not_a_result(data: bytes, exc: ValidationError) -> str:
    """What a file that failed to load as a result is, in a few words (binary, not UTF-8, not JSON, other JSON)."""
    if data.startswith(b"SQLite format 3\x00"):
        return "an SQLite database, not JSON: the review store is not a result"
    if b"\x00" in data[:4096]:
        return "binary data, not JSON"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"not UTF-8 text: byte {bad.start} is 0x{data[bad.start]:02x}"
    errors = exc.errors()
    first = errors[0]
    if first["type"] == "json_invalid":
        return "not valid JSON: " + first["msg"].removeprefix("Invalid JSON: ")
    where = ".".join(map(str, first["loc"]))
    more = f", and {len(errors) - 1} more problem(s)" if len(errors) > 1 else ""
    what = " ".join(str(first["msg"]).split())  # one line, whatever a validator said
    return f"JSON, but not in the result's shape: {where + ': ' if where else ''}{what}{more}"


def iter_results(folder: Path) -> Iterator[ExtractionResult]:
    """The results of a folder one at a time, in name order: an export holds one result in memory, not all."""
    for path in result_paths(folder):
        yield read_result(path)


def load_results(folder: Path) -> list[ExtractionResult]:
    return list(iter_results(folder))


# A text cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def needs_quoting(text: str) -> bool:
    """A text a spreadsheet would run as a formula: it starts with = + - @ (or a tab or CR) and is not a number."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def spreadsheet_safe(value):
    """A CSV cell as a spreadsheet must show it: a formula-like text gets a leading ' (numbers stay numbers)."""
    return "'" + value if isinstance(value, str) and needs_quoting(value) else value


def write_rows(rows: Iterable[dict], fields: tuple[str, ...], fmt: str, fh: TextIO) -> None:
    """JSON lines, or CSV safe to open in a spreadsheet, written to ``fh`` one row at a time."""
    if fmt == "jsonl":
        for row in rows:  # a Decimal as its string, exact ("9.00"): JSON numbers would lose the printed decimals
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow([spreadsheet_safe(flat(row[k])) for k in fields])
    else:
        raise ValueError(f"unknown format {fmt!r}")


def render(rows: Iterable[dict], fields: tuple[str, ...], fmt: str) -> str:
    buf = io.StringIO()
    write_rows(rows, fields, fmt, buf)
    return buf.getvalue()


def result_json(result, pretty: bool = False) -> str:
    """A result file's text: compact by default (half the size and time of an indented one); ``pretty`` for people."""
    return result.model_dump_json(indent=1) if pretty else result.model_dump_json()


def result_bytes(result, pretty: bool = False) -> bytes:
    """``result_json`` as the file's bytes: pydantic writes UTF-8, so the writer of a batch (and a pool's pipe) gets
    them without a decode to text and an encode back."""
    return result.__pydantic_serializer__.to_json(result, indent=1 if pretty else None)


def is_pretty(path: Path) -> bool:
    """Whether a result file on disk was written with --pretty (a rewrite keeps its layout)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == b"{\n"
    except OSError:
        return False


def output_file_problem(path: Path, example: str = "facts.csv") -> str | None:
    """Why an export cannot be written to the file ``path``, or None; checked before the work starts (the rename
    at the end would fail only after it)."""
    try:
        if path.is_dir():
            return f"is a folder; give the file to write, e.g. -o {shown(path / example)}"
        if path.exists() and not path.is_file():
            return "exists and is not a regular file (a device, FIFO or socket); give a file to write"
    except OSError as exc:
        return f"cannot be checked: {exc.strerror or exc}"
    return parent_problem(path)


def parent_problem(path: Path) -> str | None:
    """Why nothing can be created at ``path`` (its folders are made as needed), or None: the nearest folder of it
    that exists must be a folder this process may create files in (tried with an empty temporary file)."""
    parent = path.parent
    try:
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            return f"{shown(parent)} is a file, not a folder"
        fd, probe = tempfile.mkstemp(dir=parent, prefix=".budget-extract-probe.", suffix=".tmp")
    except OSError as exc:
        return f"cannot write in {shown(parent)}: {exc.strerror or exc}"
    os.close(fd)
    os.unlink(probe)
    return None


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that becomes ``path`` only if the block finishes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path), suffix=".tmp")
    os.close(fd)
    try:
        os.chmod(tmp, public_mode())
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        # With the file, what a database engine wrote beside it (SQLite's journal, DuckDB's write-ahead log).
        for leftover in (tmp, *(tmp + side for side in _ENGINE_SIDE_FILES)):
            Path(leftover).unlink(missing_ok=True)
        raise


_ENGINE_SIDE_FILES = ("-journal", "-wal", "-shm", ".wal")


def kind_rows(kind: str, results: Iterable[ExtractionResult], failed: dict | None = None) -> Iterator[dict]:
    """The rows of an export kind over a folder's results; ``documents`` also lists the files that failed."""
    if kind == "documents":
        yield from document_rows(results, failed)
        return
    rows = EXPORT_KINDS[kind].rows_of()
    for result in results:
        yield from rows(result)
