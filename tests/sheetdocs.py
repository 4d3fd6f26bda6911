"""Test data: a corpus document as the spreadsheet a finance bureau attaches (generated, never committed).

Text lines go in column A, one a row; each table follows with a blank row after it,
its numbers stored as numbers with the number format that prints them as the
document does (8 as 8.00 with "0.00"), its merged header cells merged.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from pdfdocs import blocks_of, header_rows, spans

_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?$")


def number_and_format(value: str):
    """A printed amount as the number a spreadsheet stores and the format that shows it the same way."""
    if not _NUMBER.match(value) or len(value) > 12:
        return value, None
    places = len(value.split(".")[1]) if "." in value else 0
    number = float(Decimal(value)) if places else int(value)
    return number, ("0." + "0" * places) if places else "General"


def workbook(text: str, path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "预算公开表"
    r = 1
    for block in blocks_of(text):
        if block.kind == "text":
            for line in block.lines:
                ws.cell(r, 1, line)
                r += 1
            continue
        width = max(len(row) for row in block.lines)
        grid = [row + [""] * (width - len(row)) for row in block.lines]
        header = header_rows(grid)
        for i, row in enumerate(grid):
            for c, value in enumerate(row):
                if not value:
                    continue
                number, fmt = number_and_format(value) if i >= header else (value, None)
                cell = ws.cell(r + i, c + 1, number)
                if fmt:
                    cell.number_format = fmt
        for (c0, r0), (c1, r1) in spans(grid, header):
            ws.merge_cells(start_row=r + r0, start_column=c0 + 1, end_row=r + r1, end_column=c1 + 1)
        r += len(grid) + 1  # a blank row after the table
    book.save(path)
    return path


def workbook_xls(text: str, path: Path) -> Path:
    """The same as an Excel 97–2003 .xls (xlwt), as older bureaus still attach."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("预算公开表")
    styles: dict[str, object] = {}
    r = 0
    for block in blocks_of(text):
        if block.kind == "text":
            for line in block.lines:
                ws.write(r, 0, line)
                r += 1
            continue
        width = max(len(row) for row in block.lines)
        grid = [row + [""] * (width - len(row)) for row in block.lines]
        header = header_rows(grid)
        merged = {}
        for (c0, r0), (c1, r1) in spans(grid, header):
            merged[(r0, c0)] = (r1, c1)
        covered = {(rr, cc) for (r0, c0), (r1, c1) in merged.items() for rr in range(r0, r1 + 1)
                   for cc in range(c0, c1 + 1)} - set(merged)
        for i, row in enumerate(grid):
            for c, value in enumerate(row):
                if (i, c) in covered:
                    continue
                number, fmt = number_and_format(value) if i >= header and value else (value, None)
                style = styles.setdefault(fmt, xlwt.easyxf(num_format_str=fmt)) if fmt else None
                if (i, c) in merged:
                    r1, c1 = merged[i, c]
                    ws.write_merge(r + i, r + r1, c, c1, number)
                elif value:
                    ws.write(r + i, c, number, style) if style else ws.write(r + i, c, number)
        r += len(grid) + 1
    book.save(str(path))
    return path


def word_document(text: str, path: Path) -> Path:
    """The document as a .docx: paragraphs, and its tables as Word tables with merged header cells."""
    import docx

    document = docx.Document()
    for block in blocks_of(text):
        if block.kind == "text":
            for line in block.lines:
                document.add_paragraph(line)
            continue
        width = max(len(row) for row in block.lines)
        grid = [row + [""] * (width - len(row)) for row in block.lines]
        table = document.add_table(rows=len(grid), cols=width)
        for i, row in enumerate(grid):
            for c, value in enumerate(row):
                if value:
                    table.cell(i, c).text = value
        for (c0, r0), (c1, r1) in spans(grid, header_rows(grid)):
            table.cell(r0, c0).merge(table.cell(r1, c1))
    document.save(str(path))
    return path
