"""Stage 1 — load: a file on disk to the text that every span points into.

One loader per kind of file, chosen by what the bytes are (``%PDF``, a zip
container, an OLE2 container), not only by the name:

- plain text (.txt, .md): decoded as it is (``text.py``);
- PDF: the text layer, or OCR for scanned pages (``pdf.py``);
- spreadsheets (.xlsx, .xls, .csv) and Word tables (.docx) (``sheet.py``, ``csvfile.py``, ``docx.py``).

A PDF or a spreadsheet becomes a *canonical text*: text outside tables as lines,
each table as tab-separated rows with every cell kept. ``Document.geometry``
maps its characters back to pages and boxes. Anything we cannot read raises
``LoadError``: one line naming the file and the problem.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .base import Document, LoadError, shown
from .files import DEFAULT_MAX_SIZE, check_name, max_size, open_regular, parse_size
from .text import decode_bytes, load_text

TEXT_SUFFIXES = (".txt", ".md")
PDF_SUFFIXES = (".pdf",)
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)
WORD_SUFFIXES = (".docx",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES + SHEET_SUFFIXES + CSV_SUFFIXES + WORD_SUFFIXES

# PDFs and workbooks are larger than text for the same disclosure (fonts, images, scans) and do not cost
# memory in proportion to their bytes; their scale is bounded by the page limit (pdf.py). Text keeps its limit.
DEFAULT_MAX_BINARY_SIZE = 256 * 1024 * 1024

__all__ = ["DEFAULT_MAX_SIZE", "Document", "LoadError", "SUPPORTED_SUFFIXES", "check_name", "decode_bytes",
           "load_document", "max_size", "open_regular", "parse_size", "shown", "sniff"]


def load_document(path: Path | str, limit: int | None = None) -> Document:
    """The document at ``path``; ``limit`` (bytes) overrides the size limit (BUDGET_EXTRACT_MAX_SIZE, 10 MB
    for text and CSV, 256 MB for PDFs and workbooks)."""
    import os

    path = Path(path)
    check_name(path)
    explicit = limit if limit is not None else (max_size() if os.environ.get("BUDGET_EXTRACT_MAX_SIZE") else None)
    data, _ = open_regular(path, explicit if explicit is not None else max(DEFAULT_MAX_SIZE, DEFAULT_MAX_BINARY_SIZE))
    sha256 = hashlib.sha256(data).hexdigest()
    kind = sniff(path, data)
    # A CSV's cells are held as text too: it has the text limit.
    if kind in ("text", "csv") and explicit is None and len(data) > DEFAULT_MAX_SIZE:
        from .files import _mb

        raise LoadError(path, f"too large: {_mb(len(data))}, above the limit of {_mb(DEFAULT_MAX_SIZE)} "
                              f"(raise it with --max-size or BUDGET_EXTRACT_MAX_SIZE)")
    if kind == "pdf":
        from .pdf import load_pdf

        return load_pdf(path, data, sha256)
    if kind in ("xlsx", "xls"):
        from .sheet import load_sheet

        return load_sheet(path, data, sha256, kind)
    if kind == "csv":
        from .csvfile import load_csv

        return load_csv(path, data, sha256)
    if kind == "docx":
        from .docx import load_docx

        return load_docx(path, data, sha256)
    return load_text(path, data, sha256)


def sniff(path: Path, data: bytes) -> str:
    """What the file is by its bytes: pdf, xlsx, xls, docx, csv or text; LoadError for what we cannot read."""
    suffix = path.suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path, data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # (The container's directory, which names the WordDocument stream, may stand anywhere in the file.)
        if suffix == ".doc" or b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data:
            named = f" (named {suffix})" if suffix not in (".doc", "") else ""
            raise LoadError(path, f"a Word 97–2003 .doc file{named}: save it as .docx or PDF to read it")
        return "xls"
    if suffix in PDF_SUFFIXES + SHEET_SUFFIXES + WORD_SUFFIXES:
        raise LoadError(path, f"not {_a(suffix[1:].upper())} file: {_looks_like(data)}")
    if suffix in WEB_SUFFIXES or (suffix not in TEXT_SUFFIXES + CSV_SUFFIXES and _is_html(data)):
        raise LoadError(path, WEB_PAGE)
    return "csv" if suffix in CSV_SUFFIXES else "text"


WEB_SUFFIXES = (".html", ".htm", ".xhtml", ".mht", ".mhtml")
# Its markup read as text gives nothing to trust; the two ways a person turns a page into a file this tool reads.
WEB_PAGE = ("a web page (HTML), which budget-extract does not read: print it to PDF from the browser, or open it in "
            "LibreOffice Writer or Word and save it as .docx, and run that")


def _is_html(data: bytes) -> bool:
    start = data[:512].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html")) or (b"<html" in start and b"<head" in data[:4096].lower())


def _zip_kind(path: Path, data: bytes) -> str:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        kind = _ZIP_KINDS.get(path.suffix.lower(), "file")
        raise LoadError(path, f"damaged {kind}: not a readable zip container ({exc}); a download cut short?") \
            from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "mimetype" in names and "content.xml" in names:
        kind = zipfile.ZipFile(io.BytesIO(data)).read("mimetype")[:100].decode("ascii", "replace")
        if kind.endswith("spreadsheet"):
            raise LoadError(path, "an OpenDocument spreadsheet (.ods): save it as .xlsx in LibreOffice or WPS to read it")
        raise LoadError(path, "an OpenDocument file (.odt): save it as .docx or PDF in LibreOffice or WPS to read it")
    raise LoadError(path, "a zip archive, not a spreadsheet or Word file: unpack it and pass the files inside")


_ZIP_KINDS = {".xlsx": "Excel workbook (.xlsx)", ".xlsm": "Excel workbook (.xlsm)", ".docx": "Word document (.docx)"}


def _a(word: str) -> str:
    """``word`` with its article as said aloud: a PDF, an XLSX (ex-), a DOCX."""
    return f"{'an' if word[:1] in 'AEFHILMNORSX' else 'a'} {word}"


def _looks_like(data: bytes) -> str:
    start = data[:512].lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        return "it is an HTML page (a failed download or a web page saved under this name)"
    if not data.strip():
        return "it is empty"
    if start.startswith(b"<?xml"):
        return "it is an XML file"
    return "its bytes are not of that format"
