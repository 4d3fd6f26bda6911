"""Spreadsheets (.xlsx with openpyxl, .xls with xlrd): every sheet's cells into the canonical text.

A sheet's rows become tab-separated rows, every cell kept, a merged cell's text
in its top-left cell (the others are empty, as the file stores them). Rows with
a single cell above a sheet's first row of several cells (its title, 单位：万元)
are text lines; a sheet titled only on its tab gets its name as the title line. Numbers are written as the sheet shows them: the cell's number
format gives the decimals and the thousands separator, so 2805.5600000000004
stored reads 2805.56, and 8 formatted 0.00 reads 8.00. Runs map each cell's text
to its sheet (the "page") and its cell.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from schemas import Geometry, PageInfo
from schemas.tables import kind_for_title

from .base import Document, LoadError
from .canonical import TextBuilder


def load_sheet(path: Path, data: bytes, sha256: str, kind: str) -> Document:
    unsaved: dict[str, list[str]] = {}  # sheet -> cells holding a formula with no saved value
    sheets = _xlsx(path, data, unsaved) if kind == "xlsx" else _xls(path, data)
    out = TextBuilder()
    pages = []
    exact: list[tuple[int, int]] = []
    for number, (name, grid) in enumerate(sheets, 1):
        rows = len(grid)
        cols = max((len(r) for r in grid), default=0)
        pages.append(PageInfo(number=number, width=cols, height=rows, name=name,
                              formulas_unsaved=unsaved.get(name) or None))
        if titled_by_name(name, grid):
            out.write(f"{name.strip()}\n")
        write_sheet(out, grid, number, exact)
    text = out.text()
    if not text.strip():
        raise LoadError(path, "the workbook has no cells with text or numbers")
    geometry = Geometry(kind=kind, text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), pages=pages,
                        runs=out.runs, exact=exact)
    notes = tuple(f"{path}: sheet {name}: cell(s) {', '.join(cells)} hold formulas with no saved value, read as "
                  f"empty (flagged source.formula_unsaved): open and save the file in Excel or LibreOffice, then run "
                  f"again" for name, cells in unsaved.items())
    return Document(path=path, text=text, encoding=kind, sha256=sha256, geometry=geometry, notes=notes)


def titled_by_name(name: str, grid: list[list[str]]) -> bool:
    """Whether a sheet's name is its table's title: the name is a table's title (表6-一般公共预算基本支出表) and no
    line above the sheet's first row of several cells names a table. The name is then written as the title line,
    so the table is read as the kind it is (workbooks whose sheets are titled only on their tabs)."""
    if kind_for_title(name) is None:
        return False
    for row in grid:
        printed = [v for v in row if v]
        if len(printed) > 1:
            return True
        if printed and kind_for_title(printed[0]) is not None:
            return False
    return True


def write_sheet(out: TextBuilder, grid: list[list[str]], sheet: int, exact: list[tuple[int, int]] | None = None) -> None:
    """The grid's rows as lines of tab-separated cells; ``exact`` gets the spans of numbers shown whole."""
    width = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in grid), default=0)
    in_table = False
    for r, row in enumerate(grid):
        cells = [(c, row[c]) for c in range(min(width, len(row))) if row[c]]
        if not cells:
            if in_table:
                out.write("\n")
            in_table = False
            continue
        if len(cells) == 1 and not in_table:
            c, value = cells[0]
            _write_cell(out, value, sheet, r, c, exact)
            out.write("\n")
            continue
        if not in_table:
            out.write("\n")
        in_table = True
        for c in range(width):
            if c:
                out.write("\t")
            value = row[c] if c < len(row) else ""
            if value:
                _write_cell(out, value, sheet, r, c, exact)
        out.write("\n")
    out.write("\n")


def _write_cell(out: TextBuilder, value: str, sheet: int, row: int, col: int,
                exact: list[tuple[int, int]] | None) -> None:
    start = out.pos
    out.write(" ".join(value.replace("\t", " ").split()))
    if out.pos > start:
        out.runs.append((start, out.pos, sheet, float(col), float(row), float(col + 1), float(row + 1)))
        if exact is not None and isinstance(value, WholeNumber):
            exact.append((start, out.pos))


class WholeNumber(str):
    """A number cell shown in the General format: every digit the cell holds (up to the 11 significant digits General
    shows), so the figure is the number itself, not one rounded for printing — 1.5 is 1.50 exactly, not 1.5 ± 0.05."""


# -- .xlsx -----------------------------------------------------------------------------------------


def _xlsx(path: Path, data: bytes, unsaved: dict[str, list[str]]) -> list[tuple[str, list[list[str]]]]:
    """The sheets' cells as shown; ``unsaved`` gets, by sheet, the cells that hold a formula with no saved value.

    A file written by a program that does not calculate (openpyxl, many exporters) stores its formulas without
    their results: such a cell reads as empty. It is never computed here (that would be a number the file does
    not hold); it is named, so a person can open and save the file where it is calculated.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged file
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise LoadError(path, "encrypted workbook: save an unprotected copy") from None
        raise LoadError(path, f"damaged .xlsx workbook ({type(exc).__name__}: {str(exc)[:120]})") from None
    sheets = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        grid: list[list[str]] = []
        for row in ws.iter_rows():
            grid.append([shown(cell.value, cell.number_format) for cell in row])
        sheets.append((ws.title, grid))
    formulas = _formula_cells(data) if _has_formulas(data) else {}
    for title, grid in sheets:
        empty = [ref for ref, (r, c) in formulas.get(title, {}).items()
                 if r >= len(grid) or c >= len(grid[r]) or not grid[r][c]]
        if empty:
            unsaved[title] = empty
    return sheets


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the .xlsx holds a formula (cheap: the raw XML, before loading it again)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist()
                       if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _formula_cells(data: bytes) -> dict[str, dict[str, tuple[int, int]]]:
    """Every formula cell by sheet: its reference and its (row, column) in the grid (from A1 = (0, 0))."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    out.setdefault(ws.title, {})[cell.coordinate] = (cell.row - 1, cell.column - 1)
    return out


# -- .xls ------------------------------------------------------------------------------------------


def _xls(path: Path, data: bytes) -> list[tuple[str, list[list[str]]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:
        raise LoadError(path, f"damaged or unsupported .xls workbook ({type(exc).__name__}: {str(exc)[:120]})") from None
    sheets = []
    for sh in book.sheets():
        if getattr(sh, "visibility", 0):
            continue
        grid = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                fmt = "General"
                try:
                    fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                except (IndexError, KeyError, AttributeError):
                    pass
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                    except (ValueError, OverflowError):
                        pass
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                row.append(shown(value, fmt))
            grid.append(row)
        sheets.append((sh.name, grid))
    return sheets


# -- numbers as the sheet shows them ---------------------------------------------------------------

_SECTION = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def shown(value, number_format: str | None) -> str:
    """A cell's value as the sheet displays it (Decimal arithmetic: no float noise)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return _number(value, number_format or "General")
    return str(value).strip()


def _number(value, fmt: str) -> str:
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    code = _SECTION.sub("", fmt.split(";")[0]).strip()
    if code.lower() in ("general", "@", ""):
        # General shows at most 11 significant digits: what lies beyond is the float's noise.
        if number and number.adjusted() < 10:
            number = number.quantize(Decimal(1).scaleb(number.adjusted() - 10), rounding=ROUND_HALF_UP)
        text = format(number, "f")
        return WholeNumber(text.rstrip("0").rstrip(".") if "." in text else text)
    percent = "%" in code
    if percent:
        number *= 100
    places = len(re.match(r"[0#?]*", code.split(".", 1)[1]).group(0)) if "." in code else 0
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number:,.{places}f}" if "," in code.split(".")[0] else f"{number:.{places}f}"
    return text + ("%" if percent else "")
