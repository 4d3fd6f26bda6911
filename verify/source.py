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


def check_source(result: ExtractionResult, slots, flagger: Flagger, views=(), text: str | None = None) -> None:
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
    _say_ocr_may_have_misread(geometry, flagger)
    _ocr_structure(geometry, views, flagger)
    if text is not None:
        _ocr_numbers_unread(result, geometry, text, flagger)
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


# Checks of the document's own arithmetic: a failure may be OCR's misread digit as well as the document's fault.
_ARITHMETIC = ("table.", "cross.", "narrative.", "card.")


def _say_ocr_may_have_misread(geometry, flagger: Flagger) -> None:
    """An arithmetic error over figures OCR read says so: a digit misread with high confidence breaks a sum as a
    fault of the document would, and only the page can tell them apart."""
    for key, flag in list(flagger.flags.items()):
        if flag.severity != "error" or not flag.check.startswith(_ARITHMETIC):
            continue
        if not _read_by_ocr(flag.spans, geometry):
            continue
        flagger.flags[key] = flag.model_copy(update={
            "message": flag.message + "（所涉数字由 OCR 从扫描页识别，也可能是识别错误：请对照原页核对）",
            "message_en": flag.message_en + " (figures read by OCR from a scanned page: this may be a misread digit; "
                                            "check against the page)"})


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


# -- what OCR read: every number it read is a value or flagged; a table whose rows OCR may have garbled is
# a reading doubt, not a fault of the document -------------------------------------------------------------------

# Amount-shaped: a decimal or thousands-separated number (codes, years, 栏次 and page numbers are whole numbers).
_OCR_AMOUNT = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d,]*\.?\d)")
_TWO_NUMBERS = re.compile(r"\d[\d,]*\.\d+\s*[\d.]|\d\.\d+\.\d")  # 3637.28 1415.06, 20.060.00
_TOTAL_LABEL = re.compile(r"^(合计|总计|小计)")


def _ocr_ranges(geometry) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end, _ in sorted(geometry.ocr):
        if out and start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _read_by_ocr(spans, geometry) -> bool:
    return any(geometry.ocr_confidence(tuple(s)) is not None for s in spans)


def _grounded_spans(obj, out: list[tuple[int, int]]) -> None:
    """The spans of every piece of text and every amount in ``obj`` (a result's tables, cards, claims)."""
    from pydantic import BaseModel

    from schemas.common import _Grounded

    if isinstance(obj, _Grounded):
        out.extend(tuple(p) for p in obj.parts)
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            _grounded_spans(getattr(obj, name), out)
    elif isinstance(obj, dict):
        for v in obj.values():
            _grounded_spans(v, out)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            if isinstance(v, (BaseModel, dict, list, tuple)):
                _grounded_spans(v, out)


def _ocr_numbers_unread(result: ExtractionResult, geometry, text: str, flagger: Flagger) -> None:
    """An amount OCR read in a table (a table's rows, or a line of cells) that no value, label or unreadable cell
    holds: printed, read, then lost (a header merged by OCR moved the columns). One flag per page, naming them."""
    taken: list[tuple[int, int]] = []
    for part in (result.tables, result.cards, result.claims):
        _grounded_spans(part, taken)
    taken.sort()
    starts = [s for s, _ in taken]
    tables = sorted(tuple(t.span) for t in result.tables)

    def held(start: int, end: int) -> bool:
        import bisect

        i = bisect.bisect_right(starts, end)
        return any(s < end and start < e for s, e in taken[max(0, i - 64):i])

    def in_table(start: int) -> bool:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        return "\t" in text[line_start:line_end if line_end >= 0 else len(text)] or \
            any(s <= start < e for s, e in tables)

    lost: dict[int, list[tuple[int, int, str]]] = {}
    for lo, hi in _ocr_ranges(geometry):
        for m in _OCR_AMOUNT.finditer(text, lo, hi):
            if held(m.start(), m.end()) or not in_table(m.start()):
                continue
            boxes = geometry.boxes((m.start(), m.end()))
            page = boxes[0].page if boxes else 0
            lost.setdefault(page, []).append((m.start(), m.end(), m.group()))
    for page, numbers in sorted(lost.items()):
        shown = "、".join(n for _, _, n in numbers[:12]) + (" …" if len(numbers) > 12 else "")
        flagger.add("source.ocr_unread", "error",
                    f"第 {page} 页（OCR 识别的扫描页）：表中读出的 {len(numbers)} 个数字 {shown} 没有读入任何数值"
                    f"（OCR 可能合并了表头或单元格，列没有对上）：请对照原页核对",
                    f"page {page} (a scan read by OCR): {len(numbers)} number(s) OCR read in a table, "
                    f"{shown.replace('、', ', ')}, went into no value (OCR may have merged header cells or cells, "
                    f"so the columns did not line up): check them against the page",
                    spans=[(s, e) for s, e, _ in numbers], key=f"ocr page {page}")


def _ocr_structure(geometry, views, flagger: Flagger) -> None:
    """A table read by OCR whose rows or cells OCR may have garbled: a row with figures but no code between coded
    rows (a short code like 303 dropped), a cell holding two numbers (two cells merged: `3637.28 1415.06`,
    `20.060.00`). The sums that fail on such a table are first a reading doubt: they are taken into one flag for
    the table, which names them and the doubts, and keeps their values flagged, instead of blaming the document."""
    from schemas import spec_for

    vals_by_path = {v.path: v for view in views for v in view.vals.values()}
    for view in views:
        vals = list(view.vals.values())
        if not vals or not _read_by_ocr([p for v in vals for p in v.amount.parts], geometry):
            continue
        doubts_zh, doubts_en, doubtful = [], [], []
        keyed = spec_for(view.table.kind).row_key in ("functional", "economic")
        coded = [i for i, (_, row) in enumerate(view.rows) if row.code]
        for i, (key, row) in enumerate(view.rows):
            label = (row.label.text if row.label else "").replace(" ", "")
            if keyed and row.values and not row.code and not row.memo and not _TOTAL_LABEL.match(label) \
                    and coded and coded[0] < i < coded[-1]:
                doubts_zh.append(f"“{label or view.row_zh(key)}”一行在有编码的行之间却没有编码")
                doubts_en.append(f"the line '{label or key}' has no code between lines that have one")
                doubtful += view.row_vals(key).values()
            for col, t in row.unparsed.items():
                if _TWO_NUMBERS.search(t.text):
                    doubts_zh.append(f"单元格“{t.text}”含两个数字（两格被合并）")
                    doubts_en.append(f"the cell '{t.text}' holds two numbers (two cells merged)")
                    doubtful += view.row_vals(key).values()
        if not doubts_zh:
            continue
        paths = {v.path for v in vals}
        taken = []
        for flag in list(flagger.flags.values()):
            if flag.severity != "error" or flag.check.startswith(("read.", "source.", "ground.")):
                continue
            if any(ref.path in paths for ref in flag.fields):
                del flagger.flags[flag.id]
                taken.append(flag)
        involved = list({v.path: v for v in [*doubtful, *(vals_by_path[r.path] for f in taken for r in f.fields
                                                            if r.path in vals_by_path)]}.values())
        also_zh = also_en = ""
        if taken:
            checks = ", ".join(dict.fromkeys(f.check for f in taken))
            also_zh = (f"；本表 {len(taken)} 项核对（{checks}）因此未通过，可能是识别所致，不作为文件的错误报告："
                       + "；".join(f.message for f in taken[:3]) + ("…" if len(taken) > 3 else ""))
            also_en = (f"; {len(taken)} check(s) ({checks}) fail on this table, possibly because of it, and are not "
                       f"reported as faults of the document: " + "; ".join(f.message_en for f in taken[:3])
                       + ("…" if len(taken) > 3 else ""))
        flagger.add("source.ocr_structure", "error",
                    f"{view.zh}（OCR 识别的扫描页）：" + "；".join(doubts_zh[:4]) + "，行或列可能识别有误" + also_zh
                    + "。请对照原页核对",
                    f"{view.name} (a scan read by OCR): " + "; ".join(doubts_en[:4]) + ": its lines or columns may be "
                    f"misread" + also_en + ". Check it against the page",
                    involved, key=f"{view.name} ocr")
