"""Exports as files a person or a database opens directly: an Excel workbook and an SQLite database.

Both carry the same facts as `export --what facts` (people's decisions applied,
each value with its status) plus the flags and the decisions. Both are written
beside the target and renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from schemas import ExtractionResult, spec_for
from verify.grounding import amount_slots

from .export import FACT_FIELDS, FLAG_FIELDS, public_mode, result_facts, result_flags, value_paths, value_statuses

# Fill colours per status: what a reader should look at first is the loudest.
STATUS_FILL = {
    "flagged": "F8B4B4",  # red: needs review
    "accepted": "C6EFCE",  # green: a person confirmed the document says this
    "corrected": "BDD7EE",  # blue: a person's correction replaces the reading
    "rejected": "D9D9D9",  # grey: withdrawn, no value exported
}
LEGEND = [
    ("verified", "no colour", "read from the source and consistent with every sum the document promises"),
    ("flagged", "red", "a check failed: see the comment and the flags sheet; needs review"),
    ("accepted", "green", "a person confirmed the document really prints this value"),
    ("corrected", "blue", "a person corrected a misreading; the comment gives the value read"),
    ("rejected", "grey", "a person found the value wrong with no correction; it is withdrawn (cell left empty)"),
]


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that becomes ``path`` only if the block finishes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        os.chmod(tmp, public_mode())
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31]
    name, n = clean, 2
    while name in taken:
        name = f"{clean[:28]}~{n}"
        n += 1
    taken.add(name)
    return name


def _number(value: Decimal) -> tuple[Decimal, str]:
    """The value and an Excel number format that prints it with the decimals the document printed."""
    places = max(0, -value.as_tuple().exponent)
    return value, "0" if places == 0 else "0." + "0" * places


def write_xlsx(results: list[ExtractionResult], path: Path) -> None:
    """One sheet per table kind (a row per table line, a column per template column), cards, flags, legend."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    legend = wb.active
    legend.title = "legend"
    legend.append(["status", "colour", "meaning"])
    for row in LEGEND:
        legend.append(list(row))
    fills = {s: PatternFill("solid", start_color=c, end_color=c) for s, c in STATUS_FILL.items()}
    for status, fill in fills.items():
        legend.cell(row=[r[0] for r in LEGEND].index(status) + 2, column=2).fill = fill
    bold = Font(bold=True)
    taken = {"legend"}
    sheets = {}
    rows: dict[str, int] = {}
    for result in results:
        paths, statuses = value_paths(result), value_statuses(result)
        for table in result.tables:
            spec = spec_for(table.kind)
            ws = sheets.get(table.kind)
            if ws is None:
                ws = sheets[table.kind] = wb.create_sheet(_sheet_title(spec.zh, taken))
                ws.append(["document", "table", "unit", "code", "line", *[c.zh for c in spec.columns]])
                for cell in ws[1]:
                    cell.font = bold
                ws.freeze_panes = "F2"
            for row in table.rows:
                label = row.label.text if row.label else (row.item or "")
                ws.append([result.document.name, table.title, table.unit, row.code, label])
                # Counting rows ourselves: openpyxl's max_row rescans every cell, quadratic over a corpus.
                rows[table.kind] = r = rows.get(table.kind, 1) + 1
                for i, col in enumerate(spec.columns, start=6):
                    amount = row.values.get(col.key)
                    if amount is None:
                        text = row.texts.get(col.key)
                        if text is not None:
                            ws.cell(row=r, column=i, value=text.text)
                        continue
                    _put(ws.cell(row=r, column=i), amount, statuses.get(paths[id(amount)]), fills, Comment)
    cards = wb.create_sheet(_sheet_title("绩效目标表 cards", taken))
    card_columns = ["document", "title", "row_code", "row_label", "column", "column_label", "value", "unit",
                    "status", "original_value", "flags", "decision", "reviewer", "note", "field"]
    cards.append(card_columns)
    for cell in cards[1]:
        cell.font = bold
    value_column = card_columns.index("value") + 1
    card_row = 1
    for result in results:
        card_kinds = {c.kind for c in result.cards}
        statuses = value_statuses(result)
        amounts = {slot.path: slot.amount for slot in amount_slots(result)}
        for fact in result_facts(result):
            if fact["table"] not in card_kinds:
                continue
            cards.append([", ".join(fact[k]) if k == "flags" else (None if k == "value" else fact[k])
                          for k in card_columns])
            card_row += 1
            _put(cards.cell(row=card_row, column=value_column), amounts[fact["field"]],
                 statuses.get(fact["field"]), fills, Comment)
    flags = wb.create_sheet("flags")
    flags.append(list(FLAG_FIELDS))
    for cell in flags[1]:
        cell.font = bold
    for result in results:
        for flag in result_flags(result):
            flags.append([json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in flag.values()])
    for ws in wb.worksheets:
        _fit_columns(ws)
        if ws.title != "legend" and ws.freeze_panes is None:
            ws.freeze_panes = "A2"
    with _replacing(path) as tmp:
        wb.save(tmp)


def _fit_columns(ws, widest: int = 60) -> None:
    """Columns as wide as their longest text (Chinese characters count double), within reason."""
    from openpyxl.utils import get_column_letter
    from rich.cells import cell_len

    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 500)):
        for cell in row:
            if cell.value is not None:
                widths[cell.column] = max(widths.get(cell.column, 0), cell_len(str(cell.value)))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(widest, width + 2)



def _put(cell, amount, status, fills, Comment) -> None:
    state = status.status if status else "verified"
    if state != "rejected":
        cell.value, cell.number_format = _number(amount.value)
    if state in fills:
        cell.fill = fills[state]
    note = _cell_note(state, status, amount)
    if note:
        cell.comment = Comment(note, "budget-extract")


def _cell_note(state: str, status, amount) -> str:
    if state == "flagged":
        return f"flagged: {', '.join(status.flags)} (see the flags sheet)"
    d = status.decision if status else None
    who = f" by {d.reviewer}" if d and d.reviewer else ""
    if state == "corrected" and d is not None and d.action == "move":
        return f"moved{who}: read under {d.before}; the document prints it under {d.after}" + \
            (f" — {d.note}" if d.note else "")
    if state == "corrected":
        return f"corrected{who}: it was read as {status.original.value}" + (f" — {d.note}" if d and d.note else "")
    if state == "rejected":
        return f"rejected{who}: read as {amount.value}, withdrawn" + (f" — {d.note}" if d and d.note else "")
    if state == "accepted":
        return f"accepted{who}: the document prints this" + (f" — {d.note}" if d and d.note else "")
    return ""


def write_sqlite(results: list[ExtractionResult], path: Path) -> None:
    """Tables documents, facts, flags and decisions, ready for SQL."""
    with _replacing(path) as tmp:
        db = sqlite3.connect(tmp)
        try:
            _fill_database(db, results)
            db.commit()
        finally:
            db.close()


def _fill_database(db: sqlite3.Connection, results: list[ExtractionResult]) -> None:
    fact_cols = [c for c in FACT_FIELDS if c != "span"] + ["span_start", "span_end"]
    db.execute("CREATE TABLE documents (name TEXT PRIMARY KEY, sha256 TEXT, path TEXT, department TEXT, year INTEGER, "
               "unit TEXT)")
    db.execute(f"CREATE TABLE facts ({', '.join(_q(c) for c in fact_cols)})")
    db.execute(f"CREATE TABLE flags ({', '.join(_q(c) for c in FLAG_FIELDS)}, PRIMARY KEY (document, id))")
    db.execute("CREATE TABLE decisions (document TEXT, seq INTEGER, action TEXT, flag_id TEXT, \"check\" TEXT, "
               "field TEXT, before TEXT, after TEXT, reviewer TEXT, note TEXT, time TEXT, document_sha256 TEXT, "
               "stale INTEGER, stale_reason TEXT, PRIMARY KEY (document, seq))")
    for result in results:
        doc = result.document
        db.execute("INSERT INTO documents VALUES (?,?,?,?,?,?)",
                   (doc.name, doc.sha256, doc.path, doc.department, doc.year, doc.unit))
        rows = []
        for fact in result_facts(result):
            start, end = fact.pop("span")
            fact["flags"] = json.dumps(fact["flags"])
            rows.append([*(fact[c] for c in fact_cols[:-2]), start, end])
        db.executemany(f"INSERT INTO facts VALUES ({','.join('?' * len(fact_cols))})", rows)
        db.executemany(f"INSERT INTO flags VALUES ({','.join('?' * len(FLAG_FIELDS))})",
                       [[json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in f.values()]
                        for f in result_flags(result)])
        db.executemany("INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       [(doc.name, d.seq, d.action, d.flag_id, d.check, d.field, d.before, d.after, d.reviewer,
                         d.note, d.time, d.document_sha256, int(d.stale), d.stale_reason) for d in result.decisions])
    db.execute("CREATE INDEX facts_by_status ON facts (status)")


def _q(name: str) -> str:
    return f'"{name}"'
