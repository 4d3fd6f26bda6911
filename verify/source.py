"""Checks on how the source file was read: pages left unread, values OCR was unsure of.

Only results read from a PDF carry the geometry these look at; a text source has none.
"""

from __future__ import annotations

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
