"""Stage 3a — the deterministic reader for standard tables: cells aligned to headers, nothing guessed.

Every amount it emits is the text of the source at the amount's parts. Where a
section cannot be read (a flattened layout, a header it does not recognise) it
says so with the section, span and reason instead of guessing.
"""

from __future__ import annotations

import re

from schemas import Amount, Row, Table, Text, Unread, parse_amount, spec_for
from schemas.tables import TableSpec

from .chunk import Chunk
from .grid import Cell, Layout, RawRow, build_layout, segment_rows

_TOTAL_LABEL = re.compile(r"^(合计|总计|小计|本年收入合计|本年支出合计|收入总计|支出总计)$|(合计|小计|总计)$")
_FRESH_LINE = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|其中|\d+、)")
_DASHES = re.compile(r"^[-—–－]+$")


class Unreadable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_table(chunk: Chunk) -> Table:
    """Fill the chunk's table schema, or raise ``Unreadable`` with the reason."""
    spec = spec_for(chunk.kind)
    if not chunk.has_rows:
        raise Unreadable("no table rows: the layout is flattened into lines (needs the LLM reader)")
    rows = _raw_rows(spec, chunk)
    if rows is None:
        raise Unreadable("no header row this reader recognises")
    columns: dict[str, str] = {}
    table_rows = []
    for raw in rows:
        for i, key in raw.layout.keys.items():
            columns.setdefault(key, raw.layout.key_labels.get(key, key))
        table_rows.extend(_interpret(spec, raw))
    return Table(
        section_id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span, unit=_unit(chunk),
        note=" ".join(n.text.strip() for n in chunk.notes) or None,
        columns=columns,  # in the order the columns are printed, left to right
        rows=table_rows,
        empty=not any(r.values or r.texts or r.label for r in table_rows),
    )


def _unit(chunk: Chunk) -> str:
    for line in chunk.lines[:12]:
        m = re.search(r"单位[：:]\s*(万元|元|千元|亿元)", line.text)
        if m:
            return m.group(1)
    return "万元"


def _raw_rows(spec: TableSpec, chunk: Chunk) -> list[RawRow] | None:
    layout: Layout | None = None
    rows: list[RawRow] = []
    for n, data, header, lanci, header_lines in segment_rows(chunk.segments):
        if header or lanci:
            layout = build_layout(spec, header or [[]], lanci, header_lines)
        if layout is None:
            return None
        for raw in data:
            raw.layout = layout
            if rows and raw.first_in_segment and n > 0 and _is_continuation(spec, raw):
                _merge_into(rows[-1], raw)
            elif not raw.is_blank:
                rows.append(raw)
    if layout is None or not (layout.keys or spec.row_key == "item"):
        return None
    return rows


def _is_continuation(spec: TableSpec, raw: RawRow) -> bool:
    """The first row on a page continues the last row of the previous page.

    Such a row has no 序号 and no code of its own and does not start a new line
    item; in tables without either, its first amount column is empty too.
    """
    lay = raw.layout
    if lay.seq is not None and raw.cell(lay.seq).text:
        return False
    if lay.code is not None and raw.cell(lay.code).text:
        return False
    labels = [raw.cell(i).text for i in ({lay.label} | set(lay.labels_by_side.values())) if i is not None]
    if any(_FRESH_LINE.match(t) or _TOTAL_LABEL.search(t) for t in labels if t):
        return False
    if lay.seq is None and lay.code is None:
        amount_cols = [i for i, k in sorted(lay.keys.items()) if spec.column(k).type != "text"]
        if amount_cols and raw.cell(amount_cols[0]).text:
            return False
    return any(c.text for c in raw.cells)


def _merge_into(prev: RawRow, cont: RawRow) -> None:
    width = max(len(prev.cells), len(cont.cells))
    prev.cells += [Cell("", [], prev.line.end)] * (width - len(prev.cells))
    for i, cell in enumerate(cont.cells):
        prev.cells[i] = prev.cells[i].joined(cell)
    prev.merged_from.append(cont.line)


def _text(cell: Cell) -> Text | None:
    if not cell.text:
        return None
    return Text(text=cell.text, span=cell.span, parts=cell.parts)


def _amount(cell: Cell, notes: list[str], key: str) -> Amount | None:
    if not cell.text or _DASHES.match(cell.text):
        return None
    value = parse_amount(cell.text)
    if value is None:
        notes.append(f"{key}: cell {cell.text!r} at {list(cell.span)} is not an amount; left out")
        return None
    # A cell joined across a page break keeps one part per piece, so ``raw`` is
    # still exactly the source text at the parts.
    return Amount(value=value, raw=cell.text, span=cell.span, parts=cell.parts)


def _code(cell: Cell, *more: Cell) -> tuple[str | None, Text | None]:
    cells = [c for c in (cell, *more) if c.text]
    if not cells:
        return None, None
    digits = "".join(re.sub(r"\s+", "", c.text) for c in cells)
    if not re.fullmatch(r"\d{3}(\d{2}){0,2}|\d{3}\d{2}\d{2}", digits):
        return None, None
    parts = [p for c in cells for p in c.parts]
    return digits, Text(text=" ".join(c.text for c in cells), span=(parts[0][0], parts[-1][1]), parts=parts)


def _interpret(spec: TableSpec, raw: RawRow) -> list[Row]:
    lay = raw.layout
    if spec.row_key == "two_sided":
        return [r for r in (_side_row(spec, raw, side) for side in ("income", "expenditure")) if r]
    notes: list[str] = []
    values: dict[str, Amount] = {}
    texts: dict[str, Text] = {}
    for i, key in lay.keys.items():
        col = spec.column(key)
        cell = raw.cell(i)
        if col.type == "text":
            if t := _text(cell):
                texts[key] = t
        elif a := _amount(cell, notes, key):
            values[key] = a
    _note_unmapped(raw, lay, notes)
    code, code_raw = _code(raw.cell(lay.code)) if lay.code is not None else (None, None)
    label = _text(raw.cell(lay.label))
    if label is None:
        # "合计" printed in the first cell of a table whose first column is not the label (类型, 品目).
        for key, t in list(texts.items()):
            if _TOTAL_LABEL.match(re.sub(r"\s+", "", t.text)):
                label = texts.pop(key)
                notes.append(f"{label.text!r} printed under {key}: read as the row label")
    if lay.code is not None and raw.cell(lay.code).text and code is None:
        notes.append(f"code cell {raw.cell(lay.code).text!r} is not a 3/5/7-digit classification code")
    if not (values or texts or label or code):
        return []
    item = spec.match_item(label.text) if label and spec.items else None
    if item is None and code is None and label and _TOTAL_LABEL.match(re.sub(r"\s+", "", label.text)):
        item = "total"
    return [Row(label=label, code=code, code_raw=code_raw, item=item, span=raw.span,
                values=values, texts=texts, notes=notes)]


def _side_row(spec: TableSpec, raw: RawRow, side: str) -> Row | None:
    lay = raw.layout
    notes: list[str] = []
    values = {}
    for i, key in lay.keys.items():
        if spec.column(key).side != side:
            continue
        if a := _amount(raw.cell(i), notes, key):
            values[key] = a
    label = _text(raw.cell(lay.labels_by_side.get(side)))
    if not (values or label):
        return None
    return Row(label=label, side=side, span=raw.span, values=values, notes=notes)


def _note_unmapped(raw: RawRow, lay: Layout, notes: list[str]) -> None:
    used = set(lay.keys) | {lay.seq, lay.code, lay.label}
    for i, cell in enumerate(raw.cells):
        if i not in used and cell.text and parse_amount(cell.text) is not None:
            notes.append(f"cell {cell.text!r} at {list(cell.span)} sits under no known column; left out")


def unread_for(chunk: Chunk, reason: str) -> Unread:
    return Unread(section_id=chunk.id, kind=chunk.kind, span=chunk.span, reason=reason)
