"""The report's page images: for a PDF source, each page as the reader prints it, every value's box on it.

Pages are rendered with pypdfium2 (which pdfplumber already uses) into a folder
beside the report (``<report>_pages/<document>/<n>.jpg``), referenced relatively
and loaded lazily: a batch of 400 documents stays one fast HTML page plus image
files, instead of one page of several hundred megabytes. Only pages that hold a
value or a place a flag points at are rendered. Boxes are placed in percent of
the page, so they stay on their numbers at any zoom.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from importlib.resources import files
from pathlib import Path

SCALE = 1.5  # 108 dots per inch: small print stays legible
QUALITY = 70

CSS = files("extractor").joinpath("report_assets/pages.css").read_text(encoding="utf-8")
JS = files("extractor").joinpath("report_assets/pages.js").read_text(encoding="utf-8")


def page_images_html(page, folder: Path, prefix: str) -> str:
    """The pages pane of one document (``page``: the report's DocPage), its images written to ``folder``.

    Empty when the document is not a PDF, its source is unavailable, or nothing is on its pages.
    """
    result = page.result
    geometry = result.geometry
    if geometry is None or geometry.kind != "pdf" or page.source.text is None:
        return ""
    boxes = _boxes(page)
    if not boxes:
        return ""
    wanted = sorted({b[0] for b in boxes})
    written = _render(Path(page.source.path), wanted, folder / page.key)
    if not written:
        return ""
    sizes = {p.number: p for p in geometry.pages}
    figures = []
    for number in wanted:
        if number not in written:
            continue
        info = sizes.get(number)
        name, frame = written[number]
        if info is None or not frame.width or not frame.height:
            continue
        marks = "".join(_box_html(b, frame) for b in boxes if b[0] == number)
        src = f"{prefix}/{page.key}/{name}"
        figures.append(f'<figure class="pg" data-page="{number}" style="aspect-ratio:{frame.width / frame.height:.4f}">'
                       f'<img src="{escape(src)}" loading="lazy" alt="page {number}">'
                       f'<figcaption>p. {number}{" · OCR" if info.text == "ocr" else ""}</figcaption>{marks}</figure>')
    return f'<div class="pages" id="pages-{page.key}">{"".join(figures)}</div>'


def tabs_html() -> str:
    return ('<div class="srctabs" role="group" aria-label="show"><button type="button" data-tab="pages" '
            'aria-pressed="true">Pages 页面</button><button type="button" data-tab="text" aria-pressed="false">'
            'Text 原文</button></div>')


def _boxes(page) -> list[tuple[int, tuple, str, str, str]]:
    """(page, bbox, span key, class, title) for every value shown and every place a flag points at."""
    from .report import cell_title, span_key, worst

    geometry = page.result.geometry
    out = []
    seen = set()
    for key, entries in page.values.items():
        status = worst([st for _, _, st in entries])
        path, amount = entries[0][0], entries[0][1]
        boxes = geometry.values.get(path) or [b for part in amount.parts for b in geometry.boxes(tuple(part))]
        title = cell_title(status, amount).split("\n")[0] if status.status != "verified" else amount.raw
        for b in boxes:
            cls = f"box st-{status.status}" + (" ocr" if b.source == "ocr" else "")
            extra = f" · OCR {b.confidence:.2f}" if b.confidence is not None else ""
            out.append((b.page, b.bbox, key, cls, title + extra))
        seen.add(key)
    for flag in page.result.flags:
        for span in flag.spans:
            key = span_key(span)
            if key in seen or span[1] - span[0] > 400:  # a whole section: no box says more than its text
                continue
            seen.add(key)
            for b in geometry.boxes(tuple(span)):
                out.append((b.page, b.bbox, key, "box region", f"{flag.id} {flag.check}"))
    return out


@dataclass(frozen=True)
class ImageFrame:
    """A page image in points: its size, and where its top-left corner is in the frame of the boxes."""

    width: float
    height: float
    left: float = 0.0
    top: float = 0.0


def _box_html(box, frame: ImageFrame) -> str:
    _, (x0, top, x1, bottom), key, cls, title = box
    pad = 0.8
    x0, x1, top, bottom = x0 - frame.left, x1 - frame.left, top - frame.top, bottom - frame.top
    width, height = frame.width, frame.height
    style = (f"left:{(x0 - pad) / width * 100:.3f}%;top:{(top - pad) / height * 100:.3f}%;"
             f"width:{(x1 - x0 + 2 * pad) / width * 100:.3f}%;height:{(bottom - top + 2 * pad) / height * 100:.3f}%")
    return f'<div class="{cls}" data-span="{key}" style="{style}" title="{escape(title)}"></div>'


def image_frame(page) -> ImageFrame:
    """What pdfium renders of a page (its CropBox, turned by /Rotate), in the boxes' frame.

    The boxes are in points from the top-left corner of the page as displayed, measured on its MediaBox
    (as pdfminer places the characters); the image shows the CropBox, which may be smaller.
    """
    ml, mb, mr, mt = page.get_mediabox()
    cl, cb, cr, ct = page.get_cropbox()
    cl, cb, cr, ct = max(cl, ml), max(cb, mb), min(cr, mr), min(ct, mt)
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return ImageFrame(ct - cb, cr - cl, cb - mb, cl - ml)
    if rotation == 180:
        return ImageFrame(cr - cl, ct - cb, mr - cr, cb - mb)
    if rotation == 270:
        return ImageFrame(ct - cb, cr - cl, mt - ct, mr - cr)
    return ImageFrame(cr - cl, ct - cb, cl - ml, mt - ct)


def _render(pdf: Path, numbers: list[int], folder: Path) -> dict[int, tuple[str, ImageFrame]]:
    """Each wanted page as a JPEG in ``folder`` (kept when already rendered from the same file), with its frame."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{pdf.stat().st_size}-{pdf.stat().st_mtime_ns}"
    done = {}
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except Exception:  # the report still shows the text; the pages pane is left out
        return {}
    try:
        for number in numbers:
            name = f"{number}.jpg"
            target = folder / name
            marker = folder / f".{number}.stamp"
            if not (target.is_file() and marker.is_file() and marker.read_text() == stamp):
                if not 1 <= number <= len(doc):
                    continue
                image = doc[number - 1].render(scale=SCALE, grayscale=True).to_pil()
                image.save(target, format="JPEG", quality=QUALITY, optimize=True)
                marker.write_text(stamp)
            if 1 <= number <= len(doc):
                done[number] = (name, image_frame(doc[number - 1]))
    finally:
        doc.close()
    return done
