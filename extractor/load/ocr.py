"""Pages with no text layer, read by OCR when the optional engine is installed (`budget-extract[ocr]`)."""

from __future__ import annotations


def engine():
    """The OCR engine, or None when the `ocr` extra is not installed."""
    return None


def read_page(engine, page, number: int):
    raise NotImplementedError
