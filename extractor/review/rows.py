"""A table row as printed beside the row as read, column by column: how a misreading shows at a glance.

"As printed" lays the cells of the row's source line on the table's columns
one by one, from the first column after the row's code and label, keeping the
empty cells the text keeps: what a reader that trusts positions would read. A
converter that dropped empty cells leaves fewer cells than columns, and the
figures slide left; the reader's reading ("as read") may have placed them
elsewhere, the other readings that verify as well are shown beside it, and a
person's move ("now") beside that.

Used by `review show` and by the HTML report for a misreading suspicion: a
``read.ambiguous`` flag, or a table or cross-table flag on a row whose printed
cells do not sit one per column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas import ExtractionResult, Flag, Row, Table, spec_for

from .apply import rows_by_key, split_path

SUSPECT_CHECKS = ("read.", "table.", "cross.")
_SPACES = re.compile(r" {2,}|\u3000+")


@dataclass
class Column:
    key: str
    label: str  # the header as printed
    printed: str = ""  # the cell the row prints in this column's place ("" none)
    read: str = ""  # what the reader read into it
    now: str = ""  # what it holds after people's decisions (a move, a fix)
    others: list[str] = field(default_factory=list)  # in each other reading that verifies as well


@dataclass
class RowView:
    path: str  # the row's key in value paths: expenditure_summary[2101501]
    table: str  # the table's name as printed
    row: str  # code and label
    line: int  # the source line number (1-based)
    source: str  # the line as printed
    cells: int  # cells the line prints for the table's columns
    columns: list[Column]
    decided: bool = False  # a person's decision changed the row ("now" differs from "read")

    @property
    def dropped(self) -> bool:
        """The line prints fewer cells than the table has columns: a converter dropped empty ones."""
        return self.cells < len(self.columns)

    @property
    def shifted(self) -> list[str]:
        """Columns whose reading is not what the printed position says."""
        return [c.key for c in self.columns if _norm(c.printed) != _norm(c.read)]

    @property
    def alternatives(self) -> int:
        return max((len(c.others) for c in self.columns), default=0)

    def suspicious(self) -> bool:
        return self.dropped or bool(self.shifted) or self.alternatives > 0 or self.decided

    def as_json(self) -> dict:
        return {"row": self.row, "path": self.path, "table": self.table, "line": self.line, "source": self.source,
                "cells_printed": self.cells, "columns_in_table": len(self.columns), "dropped": self.dropped,
                "shifted": self.shifted, "decided": self.decided,
                "columns": [{"key": c.key, "label": c.label, "printed": c.printed, "read": c.read, "now": c.now,
                             "other_readings": c.others} for c in self.columns]}


def _norm(text: str) -> str:
    return "".join(text.split())


def is_suspect(flag: Flag) -> bool:
    return flag.check.startswith(SUSPECT_CHECKS) and bool(flag.fields)


def row_views(result: ExtractionResult, text: str, flag: Flag, limit: int = 3) -> list[RowView]:
    """The rows a misreading suspicion involves, printed beside read (only rows that show something to see,
    except for ``read.ambiguous``, whose rows are always shown)."""
    if not is_suspect(flag) or not text:
        return []
    rows = rows_by_key(result)
    seen: list[str] = []
    for ref in flag.fields:
        key, _ = split_path(ref.path)
        if key in rows and key not in seen:
            seen.append(key)
    views = [row_view(result, text, key, *rows[key]) for key in seen]
    views = [v for v in views if v is not None and (flag.check == "read.ambiguous" or v.suspicious())]
    return views[:limit]


def row_view(result: ExtractionResult, text: str, key: str, table: Table, row: Row) -> RowView | None:
    spec = spec_for(table.kind)
    columns = [Column(k, label) for k, label in table.columns.items()]
    known = {c.key for c in columns}
    columns += [Column(c.key, c.zh) for c in spec.columns if c.key not in known
                and (c.key in row.values or c.key in row.texts)]
    if not columns:
        return None
    line_no, line_start, line = _line_of(text, row)
    span = (line_start, line_start + len(line))
    cells = [(s, e, t) for s, e, t in _cells(line, line_start) if not _is_row_name(s, span, row)]
    moved = {c.path: c for c in result.corrections if c.path.startswith(key + ".")}
    read = dict(row.values)
    for c in moved.values():  # as the reader read it: a person's moves and fixes undone
        _, col = split_path(c.path)
        read.pop(col, None)
        read[split_path(c.moved_from)[1] if c.moved_from else col] = c.original
    others = [r.values for r in row.alternatives] or [r.values for c in moved.values() for r in c.alternatives]
    for i, col in enumerate(columns):
        if i < len(cells):
            col.printed = cells[i][2]
        col.read = _shown(read.get(col.key)) or (row.texts[col.key].text if col.key in row.texts else "")
        col.now = _shown(row.values.get(col.key)) or (row.texts[col.key].text if col.key in row.texts else "")
        col.others = [_shown(values.get(col.key)) for values in others]
    label = "".join(row.label.text.split()) if row.label else ""
    name = " ".join(x for x in (row.code, label) if x) or (row.item or key)
    return RowView(key, table.title or spec.zh, name, line_no, line.rstrip(), len(cells), columns,
                   decided=bool(moved))


def plainly_under(text: str, table: Table, row: Row, column: str) -> bool:
    """The row's line prints one cell per column of the table (no empty cell dropped), and the figure read in
    ``column`` is the cell printed under it."""
    amount = row.values.get(column)
    columns = list(table.columns)
    if amount is None or column not in columns:
        return False
    _, line_start, line = _line_of(text, row)
    span = (line_start, line_start + len(line))
    cells = [(s, e, t) for s, e, t in _cells(line, line_start) if not _is_row_name(s, span, row)]
    if len(cells) != len(columns):
        return False
    s, e, _ = cells[columns.index(column)]
    return s <= amount.span[0] and amount.span[1] <= e


def _shown(amount) -> str:
    return amount.raw if amount is not None else ""


def _line_of(text: str, row: Row) -> tuple[int, int, str]:
    """The source line that prints most of the row's figures (a row cut by a page break prints on two)."""
    spans = [a.span for a in row.values.values()] or [row.span]
    starts: dict[int, int] = {}
    for s, _ in spans:
        start = text.rfind("\n", 0, s) + 1
        starts[start] = starts.get(start, 0) + 1
    start = max(starts, key=lambda k: (starts[k], -k))
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return text.count("\n", 0, start) + 1, start, text[start:end].rstrip("\r")


def _cells(line: str, offset: int) -> list[tuple[int, int, str]]:
    """The line's cells with their character ranges: by tabs, by pipes, or by runs of spaces; empty cells kept
    where the delimiters keep them."""
    if "\t" in line:
        pieces = _split(line, "\t")
    elif line.lstrip().startswith("|"):
        body_start = line.index("|") + 1
        body = line[body_start:].rstrip()
        if body.endswith("|"):
            body = body[:-1]
        pieces = [(s + body_start, e + body_start, t) for s, e, t in _split(body, "|")]
    else:
        pieces, at = [], 0
        for m in list(_SPACES.finditer(line)) + [None]:
            end = m.start() if m else len(line)
            if line[at:end].strip():
                pieces.append((at, end, line[at:end]))
            at = m.end() if m else at
    out = []
    for s, e, t in pieces:
        stripped = t.strip()
        lead = len(t) - len(t.lstrip())
        out.append((offset + s + lead, offset + s + lead + len(stripped), stripped))
    return out


def _split(line: str, sep: str) -> list[tuple[int, int, str]]:
    out, at = [], 0
    for piece in line.split(sep):
        out.append((at, at + len(piece), piece))
        at += len(piece) + 1
    return out


def _is_row_name(s: int, line: tuple[int, int], row: Row) -> bool:
    """A cell that is the row's 序号, code or label (or an empty cell among them), not one of its columns."""
    named = [b for t in (row.code_raw, row.label) if t is not None for a, b in t.parts if line[0] <= a < line[1]]
    return bool(named) and s < max(named)
