"""Pages with no text layer (scans), read by OCR when the optional engine is installed.

``pip install 'budget-extract[ocr]'`` installs rapidocr-onnxruntime, whose wheel
ships its detection, direction and recognition models (PP-OCRv4, ONNX): nothing
is downloaded at run time. Each recognised line becomes glyphs with boxes on the
page (in PDF points) and the line's confidence, and goes through the same
layout as a text layer; a borderless (word-position) table reader turns the
lines of a scanned table into rows of cells. Values read this way carry
``source: "ocr"`` and their confidence in the result, and the verifier flags
those read with low confidence (``source.ocr_low_confidence``).
"""

from __future__ import annotations

from functools import lru_cache

from .canonical import Glyph, fold_char
from .layout import PageBlocks

RESOLUTION = 200  # dots per inch the page is rendered at for OCR


@lru_cache(maxsize=1)
def engine():
    """The OCR engine, or None when the `ocr` extra is not installed."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    return RapidOCR()


def read_page(ocr, page, number: int) -> PageBlocks:
    from .pdf import layout_page

    image = page.to_image(resolution=RESOLUTION).original.convert("RGB")
    scale = 72.0 / RESOLUTION
    return layout_page(recognise(ocr, image, scale), rules(image, scale))


def recognise(ocr, image, scale: float) -> list[Glyph]:
    """Glyphs of every line the engine reads in ``image``; ``scale`` turns its pixels into page points."""
    import numpy as np

    found, _ = ocr(np.asarray(image))
    glyphs: list[Glyph] = []
    for box, text, score in found or []:
        xs = [p[0] * scale for p in box]
        ys = [p[1] * scale for p in box]
        glyphs += _line_glyphs(text, min(xs), min(ys), max(xs), max(ys), float(score))
    return glyphs


def rules(image, scale: float) -> list[dict]:
    """The table rules printed on a scanned page, as edges in page points (for the ruled-table reader).

    Long thin runs of dark pixels, found by opening the image with a long flat (or tall narrow)
    kernel: text is too short to survive it, table lines are not.
    """
    try:
        import cv2
        import numpy as np
    except ImportError:  # OpenCV comes with the OCR engine; without it scanned tables are read by word position
        return []
    gray = np.asarray(image.convert("L"))
    height, width = gray.shape
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    edges: list[dict] = []
    for orientation, kernel in (("h", (max(30, width // 30), 1)), ("v", (1, max(30, height // 40)))):
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if orientation == "h":
                mid = (y + h / 2) * scale
                x0, x1, top, bottom = x * scale, (x + w) * scale, mid, mid
            else:
                mid = (x + w / 2) * scale
                x0, x1, top, bottom = mid, mid, y * scale, (y + h) * scale
            edges.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                          "height": bottom - top, "orientation": orientation, "object_type": "line"})
    return edges


def _line_glyphs(text: str, x0: float, top: float, x1: float, bottom: float, score: float) -> list[Glyph]:
    """A recognised line cut into characters: a Chinese character takes a full width, others half."""
    text = "".join(fold_char(ch) for ch in text.strip())
    if not text:
        return []
    units = [1.0 if _wide(ch) else 0.5 for ch in text]
    per = (x1 - x0) / sum(units)
    size = bottom - top
    out, x = [], x0
    for ch, u in zip(text, units):
        w = per * u
        out.append(Glyph(ch, x, top, x + w, bottom, size, (round(x, 1), round(top, 1), round(x + w, 1),
                                                           round(bottom, 1)), confidence=score))
        x += w
    return out


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")
