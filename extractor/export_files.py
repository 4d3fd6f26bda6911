"""Exports as files a person or a database opens directly: an Excel workbook and an SQLite database.

Both carry the same facts as `export --what facts` (people's decisions applied,
each value with its status) plus the flags and the decisions. Both are written
one result at a time (memory does not grow with the number of results), beside
the target, and renamed into place, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from schemas import ExtractionResult, spec_for

from .export import (CLAIM_FIELDS, DOCUMENT_FIELDS, FACT_COLUMNS, FACT_FIELDS, FLAG_FIELDS, as_float, card_rows,
                     document_rows, fact_rows, needs_quoting, replacing, result_claims, result_document, result_flags,
                     table_rows, value_paths, value_statuses)
from .export_kinds import flat, generic_kinds

# Fill colours per status: what a reader should look at first is the loudest.
STATUS_FILL = {
    "flagged": "F8B4B4",  # red: needs review
    "accepted": "C6EFCE",  # green: a person confirmed the document says this
    "corrected": "BDD7EE",  # blue: a person's correction replaces the reading
    "rejected": "D9D9D9",  # grey: withdrawn, no value exported
}
LEGEND = [
    ("verified", "no colour", "read from the source and consistent with every sum the document promises"),
    ("flagged", "red", "a check failed: see the row's notes and the flags sheet; needs review"),
    ("accepted", "green", "a person confirmed the document really prints this value"),
    ("corrected", "blue", "a person corrected a misreading; the row's notes give the value read"),
    ("rejected", "grey", "a person found the value wrong with no correction; it is withdrawn (cell left empty)"),
]
NOTES = "notes 说明"
OTHER = "其他栏目 other columns"  # header: value of the columns the registry does not know, as printed
# The cards sheet: the card values' columns of the facts' long row, in its order.
CARD_COLUMNS = tuple(c for c in FACT_FIELDS if c in {"document", "title", "row_code", "row_label", "column_key",
                                                      "column_label", "value", "unit", "status", "flags",
                                                      "original_value", "field", "decision", "reviewer", "note"})
EXCEL_ROWS = 1_048_576  # the most rows a sheet holds in Excel


def write_xlsx(results: Iterable[ExtractionResult], path: Path, failed: dict | None = None) -> None:
    """One sheet per table kind (a row per table line, a column per template column), cards, claims, flags,
    documents (with the files whose last run failed: ``failed``, the run manifest's), legend.

    openpyxl's write-only mode: each row goes to the file as it is made. Why a value is coloured is said in
    the row's notes column (cards: its status, flags and decision columns), not in cell comments: openpyxl
    holds every comment in memory until the end, which grows with the number of results.
    """
    from openpyxl import Workbook

    book = _Book(Workbook(write_only=True))
    legend = book.sheet("legend", ["status", "colour", "meaning"], freeze=None)
    for status, colour, meaning in LEGEND:
        legend.append([status, book.cell(colour, status=status), meaning])
    facts = _FactSheets(book)
    cards = book.sheet("绩效目标表 cards", list(CARD_COLUMNS))
    claims = book.sheet("说明 claims", list(CLAIM_FIELDS))
    flags = book.sheet("flags", list(FLAG_FIELDS))
    documents = book.sheet("documents", list(DOCUMENT_FIELDS))
    others = {kind.name: book.sheet(kind.sheet_title, list(kind.fields)) for kind in generic_kinds()}
    tables: dict[str, _Sheet] = {}
    try:
        failed = dict(failed or {})
        _fill_workbook(book, results, tables, facts, cards, claims, flags, documents, failed, others)
        for row in document_rows((), failed):  # the files that could not be read: no facts
            documents.append(list(row.values()))
    except BaseException:
        book.abandon()
        raise
    book.move_to_end(*facts.sheets, cards, *others.values(), claims, flags, documents)
    with replacing(path) as tmp:
        try:
            book.save(tmp)
        except BaseException:
            book.abandon()
            raise


def _fill_workbook(book: _Book, results: Iterable[ExtractionResult], tables: dict, facts: _FactSheets, cards: _Sheet,
                   claims: _Sheet, flags: _Sheet, documents: _Sheet, failed: dict, others: dict | None = None) -> None:
    for result in results:
        doc = result.document.name
        paths, statuses = value_paths(result), value_statuses(result)
        for row in table_rows(result, paths, statuses):
            facts.append(row)
        for table in result.tables:
            spec = spec_for(table.kind)
            sheet = tables.get(table.kind)
            if sheet is None:
                header = ["document", "table", "entity", "unit", "code", "line", *[c.zh for c in spec.columns], OTHER,
                          NOTES]
                sheet = tables[table.kind] = book.sheet(spec.zh, header, freeze="G2")
            for row in table.rows:
                cells = [doc, table.title, table.entity.text if table.entity else None, table.unit, row.code, row.label.text if row.label else (row.item or "")]
                notes = []
                for col in spec.columns:
                    amount = row.values.get(col.key)
                    if amount is not None:
                        status = statuses.get(paths[id(amount)])
                        cells.append(book.amount(amount, status))
                        note = _cell_note(status.status if status else "verified", status, amount)
                        if note:
                            notes.append(f"{table.columns.get(col.key) or col.zh}: {note}")
                    else:
                        text = row.texts.get(col.key)
                        cells.append(text.text if text is not None else None)
                # Columns the registry does not know (a table of no known kind has only these): under their header.
                other = []
                for key in dict.fromkeys((*row.values, *row.texts)):
                    if spec.has_column(key):
                        continue
                    header = table.columns.get(key) or key
                    amount = row.values.get(key)
                    if amount is None:
                        other.append(f"{header}: {row.texts[key].text}")
                        continue
                    status = statuses.get(paths[id(amount)])
                    state = status.status if status else "verified"
                    other.append(f"{header}: {'' if state == 'rejected' else amount.value}")
                    note = _cell_note(state, status, amount)
                    if note:
                        notes.append(f"{header}: {note}")
                sheet.append([*cells, "; ".join(other) or None, "; ".join(notes) or None])
        for row in card_rows(result, paths, statuses):
            facts.append(row)
            cards.append([book.number(row["value"], row["status"]) if k == "value" else
                          ", ".join(row[k]) if k == "flags" else flat(row[k]) for k in CARD_COLUMNS])
        for flag in result_flags(result):
            flags.append([json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in flag.values()])
        for claim in result_claims(result):
            claims.append([_claim_cell(book, k, v) for k, v in claim.items()])
        documents.append(list(result_document(result, failed.pop(doc, None)).values()))
        for kind in generic_kinds():
            for row in kind.rows_of()(result):
                others[kind.name].append([flat(row[k]) for k in kind.fields])


class _Book:
    """A write-only workbook: its cells styled, its sheets sizing their columns from their first rows."""

    def __init__(self, wb):
        from openpyxl.styles import Font, PatternFill

        self.wb = wb
        self.bold = Font(bold=True)
        self.fills = {s: PatternFill("solid", start_color=c, end_color=c) for s, c in STATUS_FILL.items()}
        self.taken: set[str] = set()
        self.sheets: list[_Sheet] = []
        self.styles = None  # a sheet of the book: styled cells need one to register their styles with the book

    def sheet(self, title: str, header: list, freeze: str | None = "A2") -> _Sheet:
        ws = self.wb.create_sheet(_sheet_title(title, self.taken))
        self.styles = self.styles or ws
        if freeze:
            ws.freeze_panes = freeze
        sheet = _Sheet(ws)
        sheet.append([self.cell(h, bold=True) for h in header])
        self.sheets.append(sheet)
        return sheet

    def cell(self, value, bold: bool = False, status: str | None = None):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.styles, value=value)
        if bold:
            cell.font = self.bold
        if status in self.fills:
            cell.fill = self.fills[status]
        return cell

    def amount(self, amount, status):
        """A value's cell: the number with its printed decimals, coloured by status."""
        state = status.status if status else "verified"
        return self.number(None if state == "rejected" else amount.value, state)

    def number(self, value: Decimal | None, status: str = "verified"):
        """A number's cell, with the decimals the document printed, coloured by the value's status."""
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.styles)
        if value is not None:
            cell.value, cell.number_format = _number(value)
        if status in self.fills:
            cell.fill = self.fills[status]
        return cell

    def move_to_end(self, *sheets: _Sheet) -> None:
        for sheet in sheets:
            at = self.wb.worksheets.index(sheet.ws)
            self.wb.move_sheet(sheet.ws.title, len(self.wb.worksheets) - 1 - at)

    def abandon(self) -> None:
        """Close every sheet's stream, so that nothing complains about a half-written sheet at exit.

        A save that failed half-way (a full disk) leaves openpyxl's streams and archive open; finalised later,
        they would print tracebacks of their own under the one line that says what went wrong."""
        import gc

        hook, sys.unraisablehook = sys.unraisablehook, lambda _unraisable: None
        try:
            for sheet in self.sheets:
                try:
                    sheet.ws.close()
                except Exception:  # noqa: BLE001 - the error that made us give up is the one to report
                    pass
            self.sheets = []
            gc.collect()
        finally:
            sys.unraisablehook = hook

    def save(self, path: Path) -> None:
        for sheet in self.sheets:
            sheet.flush()
        self.wb.save(path)


class _Sheet:
    """A write-only sheet. Its column widths must be set before its first row is written, so its first rows wait
    (``SAMPLE`` of them) and size the columns: as wide as their longest text, Chinese characters counting double."""

    SAMPLE = 200
    WIDEST = 60

    def __init__(self, ws):
        self.ws = ws
        self.waiting: list[list] | None = []
        self.widths: dict[int, int] = {}

    def append(self, values: list) -> None:
        row = [self._safe(v) for v in values]
        if self.waiting is None:
            self.ws.append(row)
            return
        self.waiting.append(row)
        self._measure(row)
        if len(self.waiting) >= self.SAMPLE:
            self.flush()

    def flush(self) -> None:
        if self.waiting is None:
            return
        from openpyxl.utils import get_column_letter

        for column, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = min(self.WIDEST, width + 2)
        for row in self.waiting:
            self.ws.append(row)
        self.waiting = None

    def _measure(self, row: list) -> None:
        from rich.cells import cell_len

        for i, v in enumerate(row, start=1):
            value = getattr(v, "value", v)
            if value is not None:
                self.widths[i] = max(self.widths.get(i, 0), cell_len(str(value)))

    def _safe(self, value):
        """Text a spreadsheet would take for a formula is stored as text, marked so Excel keeps it as text."""
        text = value if isinstance(value, str) else getattr(value, "value", None)  # a value, or a cell's
        if not isinstance(text, str) or not needs_quoting(text):
            return value  # the cell of nearly every value: nothing to mark
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=value) if isinstance(value, str) else value
        cell.data_type = "s"  # openpyxl makes every text starting with = a formula
        cell.quotePrefix = True
        return cell


class _FactSheets:
    """The facts' long table (``FACT_COLUMNS``, as every format writes it): the sheet ``facts``, then — past the rows
    a sheet holds in Excel — ``facts 2``, ``facts 3`` …, each with the header. The value's cell is coloured by its
    status, as in the tables' sheets; lists and objects are JSON, as in CSV."""

    def __init__(self, book: _Book):
        self.book = book
        self.sheets: list[_Sheet] = []
        self._next_sheet()

    def _next_sheet(self) -> None:
        title = f"facts {len(self.sheets) + 1}" if self.sheets else "facts"
        self.sheets.append(self.book.sheet(title, list(FACT_FIELDS), freeze="B2"))
        self.rows = 1  # the header

    def append(self, row: dict) -> None:
        if self.rows >= EXCEL_ROWS:
            self._next_sheet()
        self.sheets[-1].append([self._cell(name, row[name], row["status"]) for name in FACT_FIELDS])
        self.rows += 1

    def _cell(self, name: str, value, status: str):
        if name == "value":
            return self.book.number(value, status)
        return self.book.number(value) if name == "original_value" and value is not None else flat(value)


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31]
    name, n = clean, 2
    while name in taken:
        name = f"{clean[:28]}~{n}"
        n += 1
    taken.add(name)
    return name


def _claim_cell(book: _Book, key: str, value):
    """A claim's cell: its value a number with the decimals printed, coloured by status; lists as text."""
    if key == "value":
        cell = book.cell(None)
        cell.value, cell.number_format = _number(Decimal(value))
        return cell
    if key == "status" and value in STATUS_FILL:
        return book.cell(value, status=value)
    return ", ".join(map(str, value)) if isinstance(value, list) and key == "flags" else \
        json.dumps(value) if isinstance(value, list) else value


def _number(value: Decimal) -> tuple[Decimal, str]:
    """The value and an Excel number format that prints it with the decimals the document printed."""
    places = max(0, -value.as_tuple().exponent)
    return value, "0" if places == 0 else "0." + "0" * places


def _cell_note(state: str, status, amount) -> str:
    d = status.decision if status else None
    who = f" by {d.reviewer}" if d and d.reviewer else ""
    if state == "flagged":
        note = f"flagged: {', '.join(status.flags)} (see the flags sheet)"
        if d is not None and status.original is not None:  # a person's correction that still fails a check
            note += (f"; moved{who} from {d.before}" if d.action == "move" else
                     f"; corrected{who}: it was read as {status.original.value}, and still fails")
        return note
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


def write_sqlite(results: Iterable[ExtractionResult], path: Path, failed: dict | None = None) -> None:
    """Tables documents, facts, claims, flags and decisions, ready for SQL; one result's rows at a time.
    ``failed``: the files whose last run failed (the run manifest's), listed among the documents."""
    with replacing(path) as tmp:
        db = sqlite3.connect(tmp)
        try:
            _fill_database(db, results, dict(failed or {}))
            db.commit()
        finally:
            db.close()


def _fill_database(db: sqlite3.Connection, results: Iterable[ExtractionResult], failed: dict) -> None:
    integers = ("year", "tables", "cards", "facts", "claims", "open_errors", "open_warnings")
    db.execute("CREATE TABLE documents (" + ", ".join(
        f"{c} {'INTEGER' if c in integers else 'TEXT'}" + (" PRIMARY KEY" if c == "document" else "")
        for c in DOCUMENT_FIELDS) + ")")
    claim_cols = [c for c in CLAIM_FIELDS if c != "span"] + ["span_start", "span_end"]
    claim_cols.insert(claim_cols.index("value") + 1, "value_num")
    claim_typed = {"value": "TEXT", "value_num": "REAL", "span_start": "INTEGER", "span_end": "INTEGER"}
    db.execute("CREATE TABLE claims (" + ", ".join(" ".join(filter(None, (_q(c), claim_typed.get(c))))
                                                   for c in claim_cols) + ")")
    # The amounts are TEXT, exact as printed ("9.00"): a REAL column would make them binary floats. Beside each,
    # value_num is the number to compare, sort and chart with in SQL — a float that reads back as the value
    # (NULL for a value a float cannot hold to its last digit), never the record.
    columns = ", ".join(f"{_q(name)} {_SQLITE_TYPES[kind]}" for name, kind, _ in FACT_COLUMNS)
    db.execute(f"CREATE TABLE facts ({columns})")
    db.execute(f"CREATE TABLE flags ({', '.join(_q(c) for c in FLAG_FIELDS)}, PRIMARY KEY (document, id))")
    db.execute("CREATE TABLE decisions (document TEXT, seq INTEGER, action TEXT, flag_id TEXT, \"check\" TEXT, "
               "field TEXT, before TEXT, after TEXT, reviewer TEXT, note TEXT, time TEXT, document_sha256 TEXT, "
               "stale INTEGER, stale_reason TEXT, PRIMARY KEY (document, seq))")
    for kind in generic_kinds():
        db.execute(f"CREATE TABLE {_q(kind.name)} ({', '.join(_q(c) for c in kind.fields)})")
    for result in results:
        doc = result.document
        _insert_document(db, result_document(result, failed.pop(doc.name, None)))
        db.executemany(f"INSERT INTO facts VALUES ({','.join('?' * len(FACT_FIELDS))})",
                       [[flat(row[c]) for c in FACT_FIELDS] for row in fact_rows(result)])
        claims = []
        for claim in result_claims(result):
            start, end = claim.pop("span")
            claim["flags"], claim["value_num"] = json.dumps(claim["flags"]), as_float(claim["value"])
            claims.append([*(claim[c] for c in claim_cols[:-2]), start, end])
        db.executemany(f"INSERT INTO claims VALUES ({','.join('?' * len(claim_cols))})", claims)
        db.executemany(f"INSERT INTO flags VALUES ({','.join('?' * len(FLAG_FIELDS))})",
                       [[json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in f.values()]
                        for f in result_flags(result)])
        for kind in generic_kinds():
            db.executemany(f"INSERT INTO {_q(kind.name)} VALUES ({','.join('?' * len(kind.fields))})",
                           [[flat(row[k]) for k in kind.fields] for row in kind.rows_of()(result)])
        db.executemany("INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       [(doc.name, d.seq, d.action, d.flag_id, d.check, d.field, d.before, d.after, d.reviewer,
                         d.note, d.time, d.document_sha256, int(d.stale), d.stale_reason) for d in result.decisions])
    for row in document_rows((), failed):  # the files that could not be read: no facts
        _insert_document(db, row)
    db.execute("CREATE INDEX facts_by_status ON facts (status)")


# The facts' column types in SQLite: exact decimals as their text (SQLite has no exact decimal), lists as JSON.
_SQLITE_TYPES = {"string": "TEXT", "int32": "INTEGER", "int64": "INTEGER", "double": "REAL", "decimal": "TEXT",
                 "list": "TEXT", "json": "TEXT"}


def _q(name: str) -> str:
    return f'"{name}"'


def _insert_document(db: sqlite3.Connection, row: dict) -> None:
    db.execute(f"INSERT INTO documents VALUES ({','.join('?' * len(DOCUMENT_FIELDS))})",
               [row[c] for c in DOCUMENT_FIELDS])
