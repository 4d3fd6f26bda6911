"""Stage 6 — export: one line per extracted number, from the result files of `run`."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from schemas import Amount, ExtractionResult, PerformanceCard, Table, spec_for

FACT_FIELDS = ("document", "table", "title", "row_code", "row_label", "column", "column_label", "value", "unit", "span")


def _fact(doc: str, kind: str, title: str, code, label, column: str, column_label: str, amount: Amount, unit) -> dict:
    return {
        "document": doc, "table": kind, "title": title, "row_code": code, "row_label": label,
        "column": column, "column_label": column_label, "value": str(amount.value), "unit": unit,
        "span": list(amount.span),
    }


def table_facts(doc: str, table: Table) -> Iterator[dict]:
    spec = spec_for(table.kind)
    for row in table.rows:
        label = row.label.text if row.label else None
        for key, amount in row.values.items():
            col = spec.column(key)
            unit = table.unit if col.type == "amount" else None
            yield _fact(doc, table.kind, table.title, row.code, label, key, table.columns.get(key, col.zh), amount, unit)


def card_facts(doc: str, card: PerformanceCard) -> Iterator[dict]:
    code = card.project_code.text if card.project_code else None
    name = card.project_name.text if card.project_name else card.title
    for key, zh in (("total", "预算数"), ("fiscal", "财政资金"), ("carryover", "上年结转"), ("other", "其他资金")):
        amount = getattr(card.budget, key)
        if amount is not None:
            yield _fact(doc, card.kind, card.title, code, name, f"budget_{key}", zh, amount, card.unit)
    for step in card.spending_plan:
        yield _fact(doc, card.kind, card.title, code, step.period, "spending_plan", f"资金支出计划 {step.period}",
                    step.percent, "%")
    for ind in card.indicators:
        if ind.value is not None:
            yield _fact(doc, card.kind, card.title, code, ind.name.text if ind.name else None, "indicator_value",
                        "指标值", ind.value, ind.unit)


def result_facts(result: ExtractionResult) -> Iterator[dict]:
    doc = result.document.name
    for table in result.tables:
        yield from table_facts(doc, table)
    for card in result.cards:
        yield from card_facts(doc, card)


FLAG_FIELDS = ("document", "id", "check", "severity", "message", "message_en", "expected", "found", "spans",
               "status")


def result_flags(result: ExtractionResult) -> Iterator[dict]:
    doc = result.document.name
    for flag in result.flags:
        yield {"document": doc, "id": flag.id, "check": flag.check, "severity": flag.severity,
               "message": flag.message, "message_en": flag.message_en, "expected": flag.expected,
               "found": flag.found, "spans": [list(s) for s in flag.spans], "status": flag.status}


def load_results(folder: Path) -> list[ExtractionResult]:
    results = []
    for path in sorted(folder.glob("*.json")):
        results.append(ExtractionResult.model_validate_json(path.read_text(encoding="utf-8")))
    return results


def render(rows: Iterable[dict], fields: tuple[str, ...], fmt: str) -> str:
    buf = io.StringIO()
    if fmt == "jsonl":
        for row in rows:
            buf.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v) if isinstance(v, list) else v for k, v in row.items()})
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buf.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write next to the target, then rename: a crash never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
