"""Checks on how the source file was read: pages left unread, values OCR was unsure of.

Only results read from a PDF carry the geometry these look at; a text source has none.
"""

from __future__ import annotations

import re

from schemas import ExtractionResult

from .flags import Flagger, flag_id_for
from .values import Val

# Below this confidence an OCR'd value is flagged for a person to check against the page.
OCR_CONFIDENCE = 0.9


def check_source(result: ExtractionResult, slots, flagger: Flagger, views=()) -> None:
    geometry = result.geometry
    if geometry is None:
        return
    for page in geometry.pages:
        if page.text == "none":
            at = max((r[1] for r in geometry.runs if r[2] < page.number), default=0)
            flagger.add("source.page_unread", "error",
                        f"第 {page.number} 页没有文字层（扫描件），未读取；安装 OCR（pip install 'budget-extract[ocr]'）后可读取",
                        f"page {page.number} has no text layer (a scanned page) and was not read; "
                        f"install OCR (pip install 'budget-extract[ocr]') to read it",
                        spans=[(at, at)], key=f"page {page.number}")
    for page in geometry.pages:
        if page.formulas_unsaved:
            _formulas_unsaved(geometry, page, views, flagger)
    if not geometry.ocr:
        return
    for slot in slots:
        conf = min((c for part in slot.amount.parts for c in [geometry.ocr_confidence(tuple(part))]
                    if c is not None), default=None)
        if conf is None or conf >= OCR_CONFIDENCE:
            continue
        val = Val(path=slot.path, where=slot.where, what="", amount=slot.amount, places=0,
                  section_id=slot.section_id, en_where=slot.where)
        flagger.add("source.ocr_low_confidence", "warning",
                    f"{slot.where}: {slot.amount.raw} 由 OCR 识别，置信度 {conf:.2f} 低于 {OCR_CONFIDENCE}，请对照原页核对",
                    f"{slot.where}: {slot.amount.raw} was read by OCR with confidence {conf:.2f} (below "
                    f"{OCR_CONFIDENCE}): check it against the page", [val], expected=f"≥ {OCR_CONFIDENCE}",
                    found=f"{conf:.2f}")


_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _cell(ref: str) -> tuple[int, int]:
    """``C9`` → (row 8, column 2), from 0."""
    letters, digits = _REF.match(ref).groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def _formulas_unsaved(geometry, page, views, flagger: Flagger) -> None:
    """Cells of a sheet holding formulas the file stores no result for: read as empty, one flag per row.

    A table check that found such a cell blank ("合计为空，但各类之和不为零") is about the formula, not the
    document's arithmetic: it is taken into this flag (its values with it, so they stay flagged), and said so."""
    runs = [r for r in geometry.runs if r[2] == page.number]
    cells = {_cell(ref): ref for ref in page.formulas_unsaved}
    taken = _blank_flags_of(cells, runs, views, flagger)
    vals_by_path = {v.path: v for view in views for v in view.vals.values()}
    by_row: dict[int, list[str]] = {}
    for (row, _), ref in sorted(cells.items()):
        by_row.setdefault(row, []).append(ref)
    for row, refs in sorted(by_row.items()):
        spans = sorted((r[0], r[1]) for r in runs if int(r[4]) == row)
        at = (spans[0][0], spans[-1][1]) if spans else (0, 0)
        flags = [f for ref in refs for f in taken.get(ref, [])]
        vals = list({ref.path: vals_by_path[ref.path] for f in flags for ref in f.fields
                     if ref.path in vals_by_path}.values())
        cells_text = ", ".join(refs)
        also_zh = also_en = ""
        if flags:
            checks = ", ".join(dict.fromkeys(f.check for f in flags))
            also_zh = f"。它们读作空，{len(flags)} 项合计检查（{checks}）因此无法核对，不作为文件的错误报告"
            also_en = (f". Read as empty, they leave {len(flags)} sum check(s) ({checks}) that cannot be made; those "
                       f"are not reported as faults of the document")
        flagger.add("source.formula_unsaved", "error",
                    f"工作表 {page.name} 第 {row + 1} 行的单元格 {cells_text} 是公式，但文件没有保存其计算结果，读作空"
                    f"（未代为计算）；请在 Excel 或 LibreOffice 中打开并保存后重新运行{also_zh}",
                    f"sheet {page.name}, row {row + 1}: cell(s) {cells_text} hold formulas with no saved value and "
                    f"read as empty (never computed for you): open and save the file in Excel or LibreOffice, then "
                    f"run again{also_en}", vals, spans=[at], key=f"sheet {page.number} row {row + 1}")


def _blank_flags_of(cells: dict[tuple[int, int], str], runs, views, flagger: Flagger) -> dict[str, list]:
    """The flags a table check raised on a blank value that is one of ``cells`` (removed from ``flagger``), by cell.

    A table's row is found by the sheet row its line was written from, its column by the sheet column its other
    values were (the runs map each piece of text to its cell)."""
    at = {r[0]: (int(r[4]), int(r[3])) for r in runs}
    targets: list[tuple[str, str, str]] = []  # (row key, column, cell)
    for view in views:
        columns: dict[int, str] = {}
        for (_, column), val in view.vals.items():
            if val.amount.span[0] in at:
                columns.setdefault(at[val.amount.span[0]][1], column)
        rows: dict[int, str] = {}
        for key, row in view.rows:
            for start, (sheet_row, _) in at.items():
                if row.span[0] <= start < row.span[1]:
                    rows.setdefault(sheet_row, key)
        targets += [(rows[r], columns[c], ref) for (r, c), ref in cells.items() if r in rows and c in columns]
    taken: dict[str, list] = {}
    for flag in list(flagger.flags.values()):
        if "为空" not in flag.message:
            continue
        paths = sorted({ref.path for ref in flag.fields})
        for key, column, ref in targets:
            if flag_id_for(flagger.sha, flagger.name, flag.check, f"{key}.{column}", paths) == flag.id:
                del flagger.flags[flag.id]
                taken.setdefault(ref, []).append(flag)
                break
    return taken
