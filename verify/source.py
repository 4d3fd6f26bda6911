"""Checks on how the source file was read: pages left unread, values OCR was unsure of.

Only results read from a PDF carry the geometry these look at; a text source has none.
"""

from __future__ import annotations

import re

from schemas import ExtractionResult

from .flags import Flagger
from .values import Val

# Below this confidence an OCR'd value is flagged for a person to check against the page.
OCR_CONFIDENCE = 0.9


def check_source(result: ExtractionResult, slots, flagger: Flagger) -> None:
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
            _formulas_unsaved(geometry, page, flagger)
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


_ROW = re.compile(r"\d+$")


def _formulas_unsaved(geometry, page, flagger: Flagger) -> None:
    """Cells of a sheet holding formulas the file stores no result for: read as empty, one flag per row.

    Any sum they take part in fails or is blank because of them, not because of the document's arithmetic."""
    by_row: dict[int, list[str]] = {}
    for ref in page.formulas_unsaved:
        by_row.setdefault(int(_ROW.search(ref).group(0)), []).append(ref)
    for row, refs in sorted(by_row.items()):
        runs = sorted(r for r in geometry.runs if r[2] == page.number and int(r[4]) == row - 1)
        at = (runs[0][0], runs[-1][1]) if runs else (0, 0)
        cells = ", ".join(refs)
        flagger.add("source.formula_unsaved", "error",
                    f"工作表 {page.name} 第 {row} 行的单元格 {cells} 是公式，但文件没有保存其计算结果，读作空（未代为计算）；"
                    f"请在 Excel 或 LibreOffice 中打开并保存后重新运行。涉及这些单元格的合计检查因此不可信",
                    f"sheet {page.name}, row {row}: cell(s) {cells} hold formulas with no saved value and read as "
                    f"empty (never computed for you): open and save the file in Excel or LibreOffice, then run "
                    f"again. Sums these cells take part in fail because of this, not the document's arithmetic",
                    spans=[at], key=f"sheet {page.number} row {row}")
