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

import math
import re
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
    image, back = deskew(image)
    edges = rules(image, scale)
    glyphs = recognise(ocr, image, scale, [e for e in edges if e["orientation"] == "v"])
    if back is not None:  # laid out straight; each character's box is where the page shows it
        glyphs = [_on_page(g, back, scale) for g in glyphs]
    return layout_page(glyphs, edges)


def deskew(image):
    """The page turned straight when the scan is slightly askew (0.1° to 5°, measured on its long horizontal
    rules), and the transform back to the page's pixels; the page itself and None when it is straight.

    On a skewed scan a table's rules slant: rows drift into each other, and cells' lines merge."""
    try:
        import cv2
        import numpy as np
    except ImportError:
        return image, None
    gray = np.asarray(image.convert("L"))
    height, width = gray.shape
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    flat = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(30, width // 30), 1)))
    flat = cv2.dilate(flat, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))  # pieces of a slanted rule rejoin
    contours, _ = cv2.findContours(flat, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    angles = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w < width // 5:
            continue
        vx, vy, _, _ = cv2.fitLine(contour, cv2.DIST_L2, 0, 0.01, 0.01).flatten()
        angle = math.degrees(math.atan2(float(vy), float(vx)))
        angle = (angle + 90) % 180 - 90
        if abs(angle) < 10:
            angles.append(angle)
    if len(angles) < 2:
        return image, None
    angle = sorted(angles)[len(angles) // 2]
    if not 0.1 <= abs(angle) <= 5:
        return image, None
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    straight = cv2.warpAffine(np.asarray(image), matrix, (width, height), flags=cv2.INTER_LINEAR,
                              borderValue=(255, 255, 255))
    from PIL import Image

    return Image.fromarray(straight), cv2.invertAffineTransform(matrix)


def _on_page(g: Glyph, back, scale: float) -> Glyph:
    """``g`` laid out on the straightened page, its box turned back to where the scan shows it."""
    x0, top, x1, bottom = (v / scale for v in g.box)
    xs, ys = [], []
    for x, y in ((x0, top), (x1, top), (x0, bottom), (x1, bottom)):
        xs.append(back[0][0] * x + back[0][1] * y + back[0][2])
        ys.append(back[1][0] * x + back[1][1] * y + back[1][2])
    box = (round(min(xs) * scale, 1), round(min(ys) * scale, 1), round(max(xs) * scale, 1), round(max(ys) * scale, 1))
    return Glyph(g.text, g.x0, g.top, g.x1, g.bottom, g.size, box, g.confidence)


def recognise(ocr, image, scale: float, verticals: list[dict] = ()) -> list[Glyph]:
    """Glyphs of every line the engine reads in ``image``; ``scale`` turns its pixels into page points.

    A line the engine reads across a table's vertical rule (two cells as one: `3637.28 1415.06`, `20.060.00`,
    a header's `项目 预算数`) is cut at the rule (``verticals``: the rules found in the image)."""
    import numpy as np

    found, _ = ocr(np.asarray(image))
    glyphs: list[Glyph] = []
    for box, text, score in found or []:
        xs = [p[0] * scale for p in box]
        ys = [p[1] * scale for p in box]
        x0, top, x1, bottom = min(xs), min(ys), max(xs), max(ys)
        mid = (top + bottom) / 2
        cuts = sorted(e["x0"] for e in verticals if e["top"] < mid < e["bottom"] and x0 + 2 < e["x0"] < x1 - 2)
        for piece, px0, px1 in split_at_rules(text, x0, x1, cuts):
            glyphs += _line_glyphs(piece, px0, top, px1, bottom, float(score))
    return glyphs


_NUMBERISH = re.compile(r"^[\d.,]+$")
_AMOUNT = re.compile(r"^-?\d[\d,]*\.\d+$|^-?\d$|^-$")


def split_at_rules(text: str, x0: float, x1: float, cuts: list[float]) -> list[tuple[str, float, float]]:
    """``text``, recognised over [x0, x1], cut at the rules ``cuts`` into the pieces on each side of them.

    Characters are placed in proportion to their width (a Chinese character a full unit, others half). The cut is
    made at the character boundary nearest the rule, preferring a space, or a boundary that leaves a whole
    amount on both sides (`20.06` | `0.00`, not `20.060` | `.00`), within a character and a half of it."""
    text = text.strip()
    if not cuts or len(text) < 2:
        return [(text, x0, x1)]
    units = [1.0 if _wide(ch) else 0.5 for ch in text]
    per = (x1 - x0) / sum(units)
    edges = [x0]
    for u in units:
        edges.append(edges[-1] + u * per)
    out, start, left = [], 0, x0
    for rule in cuts:
        best, cut = None, None
        for k in range(start + 1, len(text)):
            distance = abs(edges[k] - rule) / (per or 1.0)
            if distance > 1.5:
                continue
            a, b = text[start:k].strip(), text[k:].split(" ")[0].strip() if text[k:].strip() else ""
            whole = text[k - 1] == " " or text[k] == " " or (bool(_AMOUNT.match(a.split(" ")[-1]))
                                                              and bool(_AMOUNT.match(b)))
            cost = distance + (0.0 if whole else 1.0)
            if best is None or cost < best:
                best, cut = cost, k
        if cut is None or not text[start:cut].strip() or not text[cut:].strip():
            continue
        if best >= 1.0 and _NUMBERISH.match(text[max(start, cut - 1):cut + 1]):
            continue  # no whole amount on each side: one number printed over the rule, not two cells
        piece_end = min(edges[cut], rule - 0.5)
        out.append((text[start:cut].strip(), left, max(left + 0.5, piece_end)))
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
        left = max(edges[start], rule + 0.5)
    out.append((text[start:].strip(), left, max(left + 0.5, x1)))
    return [p for p in out if p[0]]


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
