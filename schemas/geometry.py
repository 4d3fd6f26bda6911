"""Where the text of a PDF or a spreadsheet was printed: pages, boxes, and what OCR read.

A result read from a plain-text file has no geometry. One read from a PDF (or a
spreadsheet) spans into the *canonical text* the loader made of it; ``runs``
map every piece of that text back to its page and box, and ``values`` give each
value of the result its box, so a person can find the number on the page.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr, model_serializer

from .common import Span

# [start, end, page, x0, top, x1, bottom]: characters [start, end) of the canonical text were printed on
# ``page`` (1-based) inside the box. PDF boxes are in points from the top-left corner of the page as displayed;
# spreadsheet boxes are in cells (column, row, column + 1, row + 1; 0-based).
Run = tuple[int, int, int, float, float, float, float]


class PageInfo(BaseModel):
    number: int = Field(description="1-based page (or sheet) number")
    width: float
    height: float
    rotation: int = Field(0, description="the page's /Rotate, in degrees")
    reading: int = Field(0, description="the direction its text runs, in degrees counter-clockwise (0: left to right)")
    text: Literal["layer", "ocr", "none"] = Field(
        "layer", description="where its text came from: the PDF's text layer, OCR, or nowhere (a scan not read)")
    name: str | None = Field(None, description="a spreadsheet's sheet name")
    formulas_unsaved: list[str] | None = Field(
        None, description="a spreadsheet's cells holding a formula with no saved value (read as empty; never computed)")
    label: str | None = Field(None, description='the page number printed on it ("— 7 —"), left out of the text')

    @model_serializer(mode="wrap")
    def _drop_none(self, handler):
        return {k: v for k, v in handler(self).items() if v is not None}


class Box(BaseModel):
    page: int
    bbox: tuple[float, float, float, float] = Field(description="x0, top, x1, bottom (see Run)")
    source: Literal["ocr"] | None = Field(None, description='"ocr" when the characters were read from a page image')
    confidence: float | None = Field(None, description="OCR's confidence in the characters (0–1)")
    cell: str | None = Field(None, description='a spreadsheet cell reference, e.g. "B7"')

    @model_serializer(mode="wrap")
    def _drop_none(self, handler):
        return {k: v for k, v in handler(self).items() if v is not None}


class Geometry(BaseModel):
    kind: Literal["pdf", "xlsx", "xls", "csv", "docx"]
    text_file: str | None = Field(None, description="the canonical text, written beside the result file")
    text_sha256: str = Field(description="sha256 of the canonical text (UTF-8)")
    pages: list[PageInfo] = Field(default_factory=list)
    runs: list[Run] = Field(default_factory=list, description="pieces of the canonical text and their boxes, in order")
    ocr: list[tuple[int, int, float]] = Field(
        default_factory=list, description="[start, end, confidence]: characters read by OCR, in order")
    exact: list[tuple[int, int]] = Field(
        default_factory=list, exclude_if=lambda v: not v,
        description="[start, end): numbers a spreadsheet holds as numbers and shows whole (General format): the "
                    "number itself, not a figure rounded for printing — checked with no rounding slack")
    values: dict[str, list[Box]] = Field(default_factory=dict,
                                         description="each value's path to its box, one per part of its span")
    _starts: list[int] | None = PrivateAttr(None)

    def boxes(self, span: Span) -> list[Box]:
        """The boxes of the characters in ``span``: one per page and printed line (a value split by a page break,
        or wrapped in its cell, has two)."""
        start, end = span
        if end <= start:
            return []
        runs = self.runs
        # Read from pydantic's store of private values: ``self._starts`` goes through BaseModel.__getattr__, and
        # this is asked for every part of every value of a PDF's or a spreadsheet's result.
        starts = self.__pydantic_private__["_starts"]
        if starts is None or len(starts) != len(runs):
            starts = self._starts = [r[0] for r in runs]
        merged: list[list[float]] = []  # [page, x0, top, x1, bottom]: one box per page and printed line
        # By index from the first run that may hold ``start``: a slice of the runs would copy the rest of the list.
        for k in range(max(0, bisect_right(starts, start) - 1), len(runs)):
            s, e, page, x0, top, x1, bottom = runs[k]
            if s >= end:
                break
            if e <= start:
                continue
            box = next((b for b in merged if b[0] == page and top < b[4] and b[2] < bottom), None)
            if box is None:
                merged.append([page, x0, top, x1, bottom])
            else:
                box[1], box[2], box[3], box[4] = min(box[1], x0), min(box[2], top), max(box[3], x1), max(box[4], bottom)
        ocr = self.ocr_confidence(span)
        return [Box(page=int(b[0]), bbox=(round(b[1], 1), round(b[2], 1), round(b[3], 1), round(b[4], 1)),
                    source="ocr" if ocr is not None else None, confidence=ocr,
                    cell=_cell_ref(b[1:]) if self.kind in ("xlsx", "xls", "csv") else None) for b in merged]

    def ocr_confidence(self, span: Span) -> float | None:
        """The lowest OCR confidence among the characters of ``span``; None when none was read by OCR."""
        start, end = span
        low = None
        for s, e, conf in self.ocr:
            if s < end and start < e:
                low = conf if low is None else min(low, conf)
        return low


def _cell_ref(box: list[float]) -> str:
    col, row = int(box[0]), int(box[1])
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"
