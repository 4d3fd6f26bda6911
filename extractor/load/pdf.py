"""PDF disclosures: the text layer (pdfplumber) read into the canonical text, with every piece's page and box.

A page's characters are read in the direction its text runs (a landscape table
printed on a rotated page reads like any other); seals, watermarks and text at
another angle are kept apart so that they never land inside a table cell, and
written as a line per page at the end of the text. Pages with no text layer are
read by OCR when it is installed, and named otherwise.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections import Counter
from pathlib import Path

from schemas import Geometry, PageInfo, kind_for_title

from .base import Document, LoadError
from .borderless import PAGE_NUMBER as _PAGE_NUMBER, SpacedBlock, borderless_runs, header_words, repeats_header, segments, \
    stands_alone, values_under_heads
from .canonical import Glyph, TextBuilder, fold_char
from .layout import Line, PageBlocks, TableBlock, TableCell, group_lines, join_paragraph_lines, ruled_tables, stitch, \
    spaced_frame, write_cell, write_glyph_line, write_spaced_lines, write_table
from .wrapped import centred_heads, drop_columns_of_rows_taken, wrapped_tables

DEFAULT_MAX_PAGES = 500
OCR_HINT = "install OCR with pip install 'budget-extract[ocr]' to read them"


def max_pages() -> int:
    try:
        return int(os.environ.get("BUDGET_EXTRACT_MAX_PAGES", DEFAULT_MAX_PAGES))
    except ValueError:
        return DEFAULT_MAX_PAGES


def load_pdf(path: Path, data: bytes, sha256: str) -> Document:
    pdf = _open(path, data)
    try:
        doc = _read(path, pdf, sha256, data)
    finally:
        pdf.close()
    if _cut_short(data):
        # A download cut short still opens (pdfminer rebuilds what it can): say that pages may be missing.
        doc = Document(doc.path, doc.text, doc.encoding, doc.sha256, doc.geometry,
                       doc.notes + (f"{path}: the file seems cut short (no %%EOF at its end): pages or parts "
                                    f"of them may be missing; {len(doc.geometry.pages)} page(s) read",))
    return doc


def _open(path: Path, data: bytes):
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    # pdfminer logs a warning per font it cannot fully parse (a browser's Type 3 fonts: "Could not get FontBBox"),
    # which would print as lines of their own between ours; the characters are still read.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        count = len(pdf.pages)
    except Exception as exc:  # pdfminer raises many kinds for a broken file; each is a one-line error here
        cause = exc.__cause__ or exc.__context__ or exc
        if isinstance(exc, PDFPasswordIncorrect) or isinstance(cause, PDFPasswordIncorrect) or \
                "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise LoadError(path, "encrypted PDF: it needs a password to open; save an unprotected copy") from None
        if _cut_short(data):  # the cross-reference table and the trailer are at the end: a cut loses them
            raise LoadError(path, f"damaged PDF, cannot be opened: it is cut short (no %%EOF at its end; a download "
                                  f"that stopped?) ({_why(exc)})") from None
        raise LoadError(path, f"damaged PDF, cannot be opened ({_why(exc)})") from None
    if count == 0:
        pdf.close()
        raise LoadError(path, "PDF has no pages")
    limit = max_pages()
    if count >= limit:
        pdf.close()
        raise LoadError(path, f"PDF has {count} pages, more than the limit of {limit - 1} for one disclosure "
                              f"(set BUDGET_EXTRACT_MAX_PAGES to raise it)")
    return pdf


def _cut_short(data: bytes) -> bool:
    return b"%%EOF" not in data[-4096:]


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {text}"[:160] if text else name


def _read(path: Path, pdf, sha256: str, data: bytes = b"") -> Document:
    from . import ocr

    pages: list[PageInfo] = []
    read: list[tuple[int, PageBlocks]] = []
    unread: list[int] = []
    unmapped = Counter()
    engine = None
    second = SecondReading(data)
    for number, page in enumerate(pdf.pages, 1):
        try:
            blocks, info, missing = read_page(page, number, second)
        except LoadError:
            raise
        except Exception as exc:
            raise LoadError(path, f"damaged PDF: page {number} cannot be read ({_why(exc)})") from None
        if missing:
            unmapped[number] = missing
        if blocks is None and not page.images:  # a blank page: nothing printed, nothing to read
            pages.append(info)
            page.close()
            continue
        if blocks is None:  # no text layer: a scan
            if engine is None:
                engine = ocr.engine()
            if engine:
                blocks = ocr.read_page(engine, page, number)
                info.text = "ocr"
                info.label = _take_page_number(blocks, info.height, _OCR_PAGE_NUMBER)
            else:
                info.text = "none"
                unread.append(number)
        pages.append(info)
        if blocks is not None:
            read.append((number, blocks))
        page.close()  # frees the page's parsed objects: memory stays flat over long documents
    second.close()
    take_running_lines(read, pages)
    out = TextBuilder()
    write_pages(out, read, pages)
    text = out.text()
    if unmapped and sum(unmapped.values()) > 0.5 * max(1, sum(1 for ch in text if not ch.isspace())):
        raise LoadError(path, f"no readable text: {sum(unmapped.values())} character(s) have no Unicode "
                              f"mapping{_unmapped_cause(pdf)}")
    if not text.strip():
        if any(p.text == "ocr" for p in pages):
            raise LoadError(path, "OCR found no text on its scanned pages")
        if unread:
            raise LoadError(path, f"no text layer on any of its {len(pages)} page(s) (a scanned document); "
                                  f"{OCR_HINT}")
        raise LoadError(path, "PDF has no readable text")
    notes = []
    if unread:
        notes.append(f"{path}: page(s) {_ranges(unread)} of {len(pages)} have no text layer (scanned) and were "
                     f"not read; {OCR_HINT}")
    if unmapped:
        total = sum(unmapped.values())
        notes.append(f"{path}: {total} character(s) on page(s) {_ranges(sorted(unmapped))} have no Unicode "
                     f"mapping{_unmapped_cause(pdf)}; they read as �")
    import hashlib

    geometry = Geometry(kind="pdf", text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), pages=pages,
                        runs=out.runs, ocr=out.ocr)
    return Document(path=path, text=text, encoding="pdf", sha256=sha256, geometry=geometry, notes=tuple(notes))


def _ranges(numbers: list[int]) -> str:
    out, start, prev = [], None, None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(out)


# -- one page --------------------------------------------------------------------------------------


def read_page(page, number: int, second: SecondReading | None = None) -> tuple[PageBlocks | None, PageInfo, int]:
    """The page's blocks (None when it has no text layer), its description, and its unmapped glyphs.

    Characters pdfminer finds no Unicode for take the one pdfium reads at their place (``second``).
    """
    rotation = int(getattr(page, "rotation", 0) or 0) % 360
    # pdfplumber's page size and every box it gives are those of the page as displayed: turned by /Rotate
    # (its MediaBox swapped for 90 and 270, the characters placed by pdfminer's turned CTM).
    width, height = float(page.width), float(page.height)
    chars = [c for c in page.chars if c.get("text")]
    if second is not None and any(c["text"].startswith("(cid:") for c in chars):
        chars = second.fill(page, number, chars)
    info = PageInfo(number=number, width=round(width, 1), height=round(height, 1), rotation=rotation)
    if not any(not c["text"].isspace() for c in chars):
        return None, info, 0
    reading = _dominant_direction(chars)
    info.reading = reading
    frame = Frame(reading, width, height)
    glyphs, overlay, missing = [], [], 0
    for c in chars:
        g = frame.glyph(c)
        if g.text == "\ufffd":
            missing += 1
        if _direction(c) != reading or _is_stamp_colour(c.get("non_stroking_color")):
            overlay.append(g)
        else:
            glyphs.append(g)
    edges = [e for e in (frame.edge(e) for e in page.edges if _is_rule(e)) if e is not None]
    frame_width = height if reading in (90, 270) else width
    middle = _two_up(glyphs, edges, frame_width, frame.frame_height)
    if middle is not None:
        # Two pages printed side by side on one sheet (2-up): each half read as a page, the left one first.
        halves = []
        for inside in (lambda x: x <= middle, lambda x: x > middle):
            half = layout_page([g for g in glyphs if inside(g.xc)],
                               [e for e in edges if inside((e["x0"] + e["x1"]) / 2)])
            halves.append((half, _take_page_number(half, frame.frame_height)))
        blocks = PageBlocks([b for half, _ in halves for b in half.blocks], list(overlay),
                            [ln for half, _ in halves for ln in half.running])
        labels = [label for _, label in halves if label]
        info.label = " / ".join(labels) if labels else None
        return blocks, info, missing
    blocks = layout_page(glyphs, edges, overlay)
    info.label = _take_page_number(blocks, frame.frame_height)
    return blocks, info, missing


def _two_up(glyphs: list[Glyph], edges: list[dict], width: float, height: float) -> float | None:
    """The middle of a sheet holding two pages side by side (printed 2-up), or None.

    A landscape sheet whose text leaves a gutter down its middle that nothing crosses, each half holding text,
    set as pages are: the same margin on the left of each half, or a page number at the foot of each."""
    if width <= height:
        return None
    middle, gutter = width / 2, 0.01 * width
    printed = [g for g in glyphs if not g.text.isspace()]
    if any(g.x0 < middle + gutter and g.x1 > middle - gutter for g in printed) \
            or any(e["x0"] < middle - gutter and e["x1"] > middle + gutter for e in edges):
        return None
    left = [g for g in printed if g.x1 <= middle]
    right = [g for g in printed if g.x0 >= middle]
    if len(left) < 10 or len(right) < 10:
        return None
    if abs(min(g.x0 for g in left) - (min(g.x0 for g in right) - middle)) <= 0.02 * width:
        return middle

    def numbered(half: list[Glyph], centre: float) -> bool:
        foot = [ln for ln in group_lines([g for g in half if g.top > 0.85 * height])]
        return any(_PAGE_NUMBER.match(ln.text().strip()) and abs((ln.x0 + ln.x1) / 2 - centre) <= 0.1 * width
                   for ln in foot)

    return middle if numbered(left, width / 4) and numbered(right, 3 * width / 4) else None


# A page number as OCR reads a printed "— 3 —": its dashes as -, — or 1 ("-31", "-3—"), beside the text layer's forms.
_OCR_PAGE_NUMBER = re.compile(rf"{_PAGE_NUMBER.pattern}|^[-—–一_~]+\s*\d{{1,3}}\s*[-—–一_~1lI|]*$")


def _take_page_number(blocks: PageBlocks, height: float, pattern: re.Pattern = _PAGE_NUMBER) -> str | None:
    """The page number printed at the head or foot of the page ("— 7 —", "第 7 页 共 31 页"), taken out.

    It is furniture, not part of any table or sentence, and a line of it between two pages of a table
    would cut the table in two for the reader. It is kept in the page's description (``label``).
    """
    lines = [i for i, b in enumerate(blocks.blocks) if isinstance(b, Line)]
    for i in (lines[-1:] + lines[:1]) if lines else []:
        line = blocks.blocks[i]
        at_edge = line.bottom > 0.88 * height or line.top < 0.08 * height
        if at_edge and pattern.match(line.text().strip()) and i in (0, len(blocks.blocks) - 1):
            del blocks.blocks[i]
            return line.text().strip()
    return None


def layout_page(glyphs: list[Glyph], edges: list[dict], overlay: list[Glyph] = ()) -> PageBlocks:
    """Blocks in reading order: ruled tables, borderless tables and text lines, top to bottom."""
    tables, rest = ruled_tables(edges, glyphs)
    lines = [ln for ln in group_lines(rest) if ln.text().strip()]
    wrapped, lines = wrapped_tables(lines)
    loose, lines = borderless_runs(lines)
    for block in loose:
        block.moves = centred_heads(block.lines)
    blocks: list[Line | TableBlock | SpacedBlock] = [*tables, *wrapped, *loose, *lines]
    blocks.sort(key=lambda b: b.top)
    return PageBlocks(blocks, list(overlay))


def write_pages(out: TextBuilder, read: list[tuple[int, PageBlocks]], pages: list[PageInfo]) -> None:
    """Every page's blocks in order; a table continued on the next page joined to its first part."""
    join_column_pages(read)
    items: list[tuple[int, Line | TableBlock]] = [(n, b) for n, blocks in read for b in blocks.blocks]
    items = stitch_tables(items)
    _take_repeated_headers(items)
    _figures_under_heads(items)
    margins = _right_margins(items, pages)
    overlay = {n: blocks.overlay for n, blocks in read}
    i = 0
    while i < len(items):
        number, block = items[i]
        if isinstance(block, TableBlock):
            out.write("\n")
            write_table(out, block, number)
            out.write("\n")
            i += 1
            _end_pages(out, overlay, items, i, number)
            continue
        if isinstance(block, SpacedBlock):
            out.write("\n")
            write_spaced_lines(out, block.lines, number, block.moves, block.frame)
            out.write("\n")
            i += 1
            _end_pages(out, overlay, items, i, number)
            continue
        run, furniture = [], []
        while i < len(items) and isinstance(items[i][1], Line):
            page, line = items[i]
            # A page number between two pages of a paragraph is written after the paragraph.
            (furniture if _PAGE_NUMBER.match(line.text()) else run).append((page, line))
            i += 1
        for group in join_paragraph_lines(run, margins):
            last = group[0][0]
            for page, line in group:
                write_glyph_line(out, line.glyphs, page)
                last = page
            out.write("\n")
            for page, line in [f for f in furniture if f[0] <= last]:
                write_glyph_line(out, line.glyphs, page)
                out.write("\n")
            furniture = [f for f in furniture if f[0] > last]
        for page, line in furniture:
            write_glyph_line(out, line.glyphs, page)
            out.write("\n")
        _end_pages(out, overlay, items, i, (run or furniture)[-1][0])
    # What was printed over the pages (seals, watermarks, text at another angle) comes last, a line per
    # page: kept, and never between a title and its table or inside a table that runs over pages. So do a
    # table's header rows printed again on the pages it runs over, a line per row.
    for number, glyphs in sorted(overlay.items()):
        _write_overlay(out, glyphs, number)
    for number, blocks in read:
        for line in blocks.running:
            write_glyph_line(out, line.glyphs, number)
            out.write("\n")
    for _, block in items:
        if isinstance(block, TableBlock):
            for number, row in block.repeated:
                _write_repeated_row(out, row, number)
        elif isinstance(block, SpacedBlock):
            for number, line in block.repeated:
                write_glyph_line(out, line.glyphs, number)
                out.write("\n")


def join_column_pages(read: list[tuple[int, PageBlocks]]) -> None:
    """A sheet wider than the page, printed without fitting it to the width: the columns that do not fit are
    printed on the next page, on the same rows (the same row rules, top to bottom), with the row codes and
    names printed again or not. Such a part is the right-hand columns of the table on the page before: its
    cells are written in that table's rows, after its columns (each on the page it is printed on), and what
    stands above it (the rest of a title cut by the page's edge, the unit line) is that page's furniture.
    Left apart, each part was a table of its own: sums that do not hold, a title cut in two read as a table
    that could not be read."""
    hosts: dict[int, list[TableBlock]] = {}
    for k in range(1, len(read)):
        (before, page), (number, blocks) = read[k - 1], read[k]
        if number != before + 1:
            continue
        first = next((b for b in blocks.blocks if isinstance(b, TableBlock)), None)
        if first is None or not first.rules:
            continue
        candidates = [b for b in page.blocks if isinstance(b, TableBlock)] + hosts.get(before, [])
        host = next((t for t in candidates if _same_rows(t, first)), None)
        if host is None or _titled_otherwise(host, page, first, blocks):
            continue
        repeated = _repeated_columns(host, first)
        if repeated is None:
            continue
        _append_columns(host, first, repeated, number)
        hosts.setdefault(number, []).append(host)
        blocks.blocks.remove(first)
        above = [b for b in blocks.blocks if isinstance(b, Line) and b.bottom <= first.bottom]
        blocks.blocks = [b for b in blocks.blocks if not any(b is a for a in above)]
        blocks.running.extend(above)


def _titled_otherwise(host: TableBlock, page: PageBlocks, first: TableBlock, blocks: PageBlocks) -> bool:
    """Whether the table at the top of the next page has a title of its own, naming another kind of table than
    the host's (表3 部门支出总表 after 表2 部门收入总表: the two often print the same codes on the same rows). A
    title repeated on every page of one sheet names the same kind; a title cut by the page's edge names none."""
    def kinds(lines) -> set[str]:
        return {k for line in lines if (k := kind_for_title(line.text())) is not None}

    over_first = kinds(b for b in blocks.blocks if isinstance(b, Line) and b.bottom <= first.top)
    over_host = kinds(b for b in page.blocks if isinstance(b, Line) and b.bottom <= host.top)
    return bool(over_first) and bool(over_host) and not over_first & over_host


def _same_rows(first: TableBlock, then: TableBlock) -> bool:
    return len(first.rules) == len(then.rules) >= 4 and all(abs(a - b) <= 1.0 for a, b in zip(first.rules, then.rules))


_CODE = re.compile(r"^\d{3,}$")


def _cell_text(cell) -> str:
    return "".join(g.text for line in cell.lines for g in line if not g.text.isspace())


def _repeated_columns(first: TableBlock, then: TableBlock) -> int | None:
    """How many of ``then``'s first columns print ``first``'s first columns again, row by row (0: none), or
    None when ``then`` is no part of ``first``: a column of row codes of its own, or no figure."""
    def columns(table: TableBlock) -> dict[float, dict[int, str]]:
        return {top: {table.column(c.x0): _cell_text(c) for c in row} for top, row in zip(table.row_tops, table.rows)}

    a, b = columns(first), columns(then)
    repeated = 0
    while repeated < then.width - 1 and any(row.get(repeated) for row in b.values())             and all(b[top].get(repeated, "") == a.get(top, {}).get(repeated, "") for top in b):
        repeated += 1
    rest = [text for row in b.values() for c, text in row.items() if c >= repeated and text]
    figures = [top for top, row in a.items() if any(_FIGURE.fullmatch(t) for t in row.values())]
    body = [text for top in figures for c, text in b.get(top, {}).items() if c >= repeated and text]
    if any(_CODE.match(t) for t in rest) or not figures or not all(_FIGURE.fullmatch(t) for t in body):
        return None  # a table of its own, or words where the table prints its figures
    return repeated


_FIGURE = re.compile(r"-?[\d,]*\d(\.\d+)?%?")


def _append_columns(first: TableBlock, then: TableBlock, repeated: int, number: int) -> None:
    shift = first.xs[-1] - then.xs[repeated]
    start = then.xs[repeated] - 2.0
    rows = dict(zip(first.row_tops, first.rows))
    for top, row in zip(then.row_tops, then.rows):
        cells = [TableCell(c.x0 + shift, c.x1 + shift, c.lines, number) for c in row if c.x0 >= start]
        if cells:
            rows.setdefault(min(first.rules, key=lambda y: abs(y - top)), []).extend(cells)
    first.xs = first.xs + [x + shift for x in then.xs[repeated + 1:]]
    first.row_tops = sorted(rows)
    first.rows = [rows[top] for top in first.row_tops]


def _take_repeated_headers(items) -> None:
    """A borderless table continued at the top of the next page, its header printed again over it (a browser
    repeats <thead>): the lines repeating the header are taken out, so that the continuation follows the
    first part as in a text disclosure (a row cut by the page break then reads as one, not as a header's
    tail), written in the first part's columns. Only when nothing stands between the two parts: a title and
    unit line printed again start a part of their own, header and all, as the text path has it."""
    words: set[str] = set()
    for k, (number, block) in enumerate(items):
        before = items[k - 1] if k else None
        if isinstance(block, SpacedBlock) and before is not None and before[0] == number - 1 \
                and isinstance(before[1], SpacedBlock) and words:
            head = 0
            while head < len(block.lines) - 1 and repeats_header(block.lines[head], words):
                head += 1
            if head:
                block.repeated = [(number, line) for line in block.lines[:head]]
                block.lines = block.lines[head:]
                block.top = block.lines[0].top
                block.frame = before[1].frame or spaced_frame(before[1].lines, before[1].moves)
                continue
            if _prints_amount(block.lines[0]):
                # No header printed again: rows the page break cut off. Written in the page's own columns, a row
                # that starts in a right-hand column (a 款 code under a 类 printed on the page before) would
                # start the line, and its code parts fall into the columns of the amounts.
                block.frame = before[1].frame or spaced_frame(before[1].lines, before[1].moves)
                continue
        if isinstance(block, SpacedBlock):
            words = header_words([[s.text() for s in segments(line)] for line in block.lines])
        elif isinstance(block, TableBlock):
            words = header_words([["".join(g.text for ln in cell.lines for g in ln if not g.text.isspace())
                                   for cell in row] for row in block.rows])
        else:
            words = set()


_AMOUNT = re.compile(r"-?[\d,]*\d\.\d+")


def _prints_amount(line: Line) -> bool:
    """A line with an amount (a figure with decimals) among its words: a table's row, not its header."""
    return any(_AMOUNT.fullmatch(s.text()) for s in segments(line))


def _figures_under_heads(items) -> None:
    """A borderless table of a row or two, its figures set flush right under headers centred over wide columns:
    each figure written under its header (``values_under_heads``). Not a part the next page may continue (a
    header and a first row at a page's foot): its columns are written as its other parts' are."""
    for k, (number, block) in enumerate(items):
        if not isinstance(block, SpacedBlock) or block.moves or block.frame is not None:
            continue
        after = next(((n, b) for n, b in items[k + 1:] if not (isinstance(b, Line) and _PAGE_NUMBER.match(b.text()))),
                     None)
        if after is not None and after[0] != number and isinstance(after[1], (SpacedBlock, TableBlock)):
            continue
        block.moves = values_under_heads(block.lines)


def _write_repeated_row(out: TextBuilder, row, number: int) -> None:
    for k, cell in enumerate(sorted(row, key=lambda c: c.x0)):
        if k:
            out.write(" ")
        write_cell(out, cell.lines, number)
    out.write("\n")


def take_running_lines(read: list[tuple[int, PageBlocks]], pages: list[PageInfo]) -> None:
    """Take out a running header or footer: the first (or last) line of nearly every page, at the head (or
    foot) of the page, at one height, printing the same text, or the same text but for numbers that change
    from page to page (a page count "3/14"), as a browser prints the date, the title, the address and the page.

    Between two pages of a table such lines would cut it apart, or be read into a row split by the break;
    they are written after the document's text with the overlay, a line per page; a header's first
    occurrence stays in place. A title or a unit line repeated over the pages of one table only is not on
    nearly every page, and stays.
    """
    if len(read) < 3:
        return
    height = {p.number: p.width if p.reading in (90, 270) else p.height for p in pages}
    for at_top in (True, False):
        edge: dict[int, Line] = {}
        for number, blocks in read:
            if not blocks.blocks:
                continue
            block = blocks.blocks[0 if at_top else -1]
            h = height.get(number, 0.0)
            if isinstance(block, Line) and (block.top < 0.1 * h if at_top else block.bottom > 0.9 * h):
                edge[number] = block
        shapes = Counter(_shape(line.text()) for line in edge.values())
        for shape, count in shapes.items():
            if count < 0.8 * len(read) or not shape.strip("#"):
                continue
            lines = {n: line for n, line in edge.items() if _shape(line.text()) == shape}
            tops = [line.top for line in lines.values()]
            texts = {"".join(line.text().split()) for line in lines.values()}
            if max(tops) - min(tops) > 2.0 or not (len(texts) == 1 or len(texts) >= 0.8 * count):
                continue
            # A running header stays where it first stands (it may be the title of a document that is one
            # table over all its pages); its repetitions go. A footer goes from every page.
            first = min(lines) if at_top else None
            for number, blocks in read:
                if number in lines and number != first:
                    blocks.blocks.remove(lines[number])
                    blocks.running.append(lines[number])


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _end_pages(out: TextBuilder, overlay: dict, items, i: int, number: int) -> None:
    """A blank line after the last block of a page (or of pages a table ran over)."""
    if i < len(items) and items[i][0] == number:
        return
    out.write("\n")


def _write_overlay(out: TextBuilder, glyphs: list[Glyph], number: int) -> None:
    stamp = [g for g in glyphs if not g.text.isspace()]
    if stamp:
        write_glyph_line(out, stamp, number)
        out.write("\n")




def stitch_tables(items: list[tuple[int, Line | TableBlock]]) -> list[tuple[int, Line | TableBlock]]:
    """Join a table's parts on consecutive pages when nothing but page numbers stands between them.

    The page numbers are kept, as lines after the table. Parts separated by more (a repeated title,
    a unit line) stay apart as the page prints them, but get the same columns.
    """
    out: list[tuple[int, Line | TableBlock]] = []
    for number, block in items:
        if isinstance(block, TableBlock):
            k = len(out) - 1
            between = []
            while k >= 0 and isinstance(out[k][1], Line):
                between.append(out[k][1])
                k -= 1
            if k >= 0 and out[k][0] != number and isinstance(out[k][1], TableBlock):
                prev_number, prev = out[k]
                last_page = prev.pages[-1] if prev.pages else prev_number
                joined = stitch(prev, block, last_page, number) if last_page == number - 1 else None
                if joined is not None:
                    if all(_PAGE_NUMBER.match(line.text()) for line in between):
                        out[k] = (prev_number, joined)
                        continue
                    prev.xs = block.xs = joined.xs  # apart, with the same columns
                elif last_page == number - 1 and not (prev.ruled or block.ruled) \
                        and all(_PAGE_NUMBER.match(line.text()) or _stray_label(line) for line in between):
                    _take_reprinted_rows(prev, block, number)
        out.append((number, block))
    return _furniture_after_tables(out)


def _take_reprinted_rows(first: TableBlock, then: TableBlock, number: int) -> None:
    """The rows a continuation prints again at its top (a browser repeats a ``<thead>`` on every page it
    runs over: a card's 项目名称, 主管部门, 项目来源), taken out as page furniture, when the two parts are
    laid out on columns too different to be joined: each row's cells read the same, in the same order.
    Left in, they read as a second card (or table) of the same name."""
    head = 0
    while head < len(first.rows) and head + 1 < len(then.rows) \
            and _row_words(first.rows[head]) and _row_words(first.rows[head]) == _row_words(then.rows[head]):
        head += 1
    if head:
        then.repeated = then.repeated + [(number, row) for row in then.rows[:head]]
        taken, then.rows = then.rows[:head], then.rows[head:]
        if then.pages:
            then.pages = then.pages[head:]
        drop_columns_of_rows_taken(then, taken)


def _stray_label(line: Line) -> bool:
    """A short label left out of a table at a page's foot (a level alone in its row: 生态效益指标); a title or a
    unit line is never one, and nor is a sentence."""
    text = line.text().strip()
    return len(text) <= 12 and not stands_alone(text) and not any(ch.isdigit() for ch in text)


def _row_words(row) -> tuple[str, ...]:
    texts = ("".join(g.text for line in cell.lines for g in line if not g.text.isspace())
             for cell in sorted(row, key=lambda c: c.x0))
    return tuple(t for t in texts if t)


def _furniture_after_tables(items):
    return items


def _right_margins(items, pages: list[PageInfo]) -> dict[int, float]:
    """The right edge of the text on each page, where several lines of pages of the same width end.

    A margin that only one line reaches (a title on a landscape page of tables) is no margin: lines
    there are never joined.
    """
    width_of = {p.number: round(p.height if p.reading in (90, 270) else p.width) for p in pages}
    ends: dict[int, list[tuple[float, float]]] = {}
    for number, block in items:
        # Only lines across most of the page can show where its text wraps (a title never does).
        if isinstance(block, Line) and block.x1 - block.x0 >= 0.6 * width_of.get(number, 0):
            ends.setdefault(width_of.get(number, 0), []).append((block.x1, block.size))
    margin = {}
    for w, xs in ends.items():
        right = max(x for x, _ in xs)
        near = sorted(x for x, size in xs if x >= right - 3 * size)
        if len(near) >= 3:
            margin[w] = near[len(near) // 2]  # the median: a line that overhangs (a hanging comma) is no margin
    return {n: margin.get(w, 0.0) for n, w in width_of.items()}


# -- characters pdfminer cannot map ------------------------------------------------------------------


def _unmapped_cause(pdf) -> str:
    """Where the missing mappings come from, as far as the file tells: its encryption, or its fonts."""
    if getattr(pdf.doc, "encryption", None):
        return (" (the PDF is encrypted with an owner password: it opens without one, but its fonts' text "
                "could not be decoded; save an unprotected copy (print to PDF) and read that)")
    return " in the PDF's fonts"


class SecondReading:
    """pdfium's reading of the characters pdfminer leaves as ``(cid:N)``.

    pdfminer maps a CID font's codes to Unicode through the font's character collection (Registry and
    Ordering); when those strings cannot be read (a file encrypted with an owner password only, whose
    writer left the font's strings unencrypted: decrypted, they are garbage), every character of the font
    is unmapped, though a viewer shows it. pdfium reads such fonts from their encoding: each unmapped
    character takes the character pdfium reads at its place, or stays unmapped.
    """

    def __init__(self, data: bytes):
        self.data, self.doc = data, None

    def fill(self, page, number: int, chars: list[dict]) -> list[dict]:
        found: dict[tuple[int, int], list] = {}
        for item in self._chars(number, int(getattr(page, "rotation", 0) or 0) % 360):
            found.setdefault((int(item[0] // _CELL), int(item[1] // _CELL)), []).append(item)
        if not found:
            return chars
        out = []
        for c in chars:
            if c["text"].startswith("(cid:"):
                text = _at(found, c)
                if text:
                    c = {**c, "text": text}
            out.append(c)
        return out

    def _chars(self, number: int, rotation: int) -> list[tuple[float, float, float, str]]:
        """(x, y, size, text) of the page's characters, in pdfminer's frame (turned by /Rotate, y up)."""
        if not self.data:
            return []
        try:
            import pypdfium2 as pdfium

            if self.doc is None:
                self.doc = pdfium.PdfDocument(self.data)
            page = self.doc[number - 1]
            x0, y0, x1, y1 = page.get_mediabox()
            textpage = page.get_textpage()
            out = []
            for i in range(textpage.count_chars()):
                text = textpage.get_text_range(i, 1)
                if len(text) != 1 or text.isspace() or text == "�":
                    continue
                left, bottom, right, top = textpage.get_charbox(i, loose=True)
                x, y = (left + right) / 2, (bottom + top) / 2
                x, y = {90: (y - y0, x1 - x), 180: (x1 - x, y1 - y), 270: (y1 - y, x - x0)}.get(rotation, (x - x0, y - y0))
                out.append((x, y, max(right - left, top - bottom), text))
            return out
        except Exception:  # pdfium cannot read it either: the characters stay unmapped, and are counted
            return []

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc = None


_CELL = 24.0  # points: pdfium's characters bucketed by place, so each is looked up near its own


def _at(found: dict[tuple[int, int], list], c: dict) -> str | None:
    """The character pdfium reads nearest the centre of ``c``, within half its size."""
    x, y = (float(c["x0"]) + float(c["x1"])) / 2, (float(c["y0"]) + float(c["y1"])) / 2
    best, text = min(0.5 * float(c.get("size") or 1.0), _CELL), None
    cx, cy = int(x // _CELL), int(y // _CELL)
    for key in [(cx + i, cy + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]:
        for fx, fy, _, ft in found.get(key, ()):
            d = math.hypot(fx - x, fy - y)
            if d < best:
                best, text = d, ft
    return fold_char(text) if text else None


# -- the page's reading frame ----------------------------------------------------------------------


def _direction(char: dict) -> int:
    """The direction a character's baseline runs, in degrees counter-clockwise, to the nearest 90 (or -1)."""
    a, b = char["matrix"][0], char["matrix"][1]
    if a == 0 and b == 0:
        return 0
    angle = math.degrees(math.atan2(b, a)) % 360
    nearest = round(angle / 90) * 90 % 360
    return nearest if abs((angle - nearest + 180) % 360 - 180) < 3 else -1


def _dominant_direction(chars: list[dict]) -> int:
    counts = Counter(_direction(c) for c in chars if not c["text"].isspace())
    counts.pop(-1, None)
    return counts.most_common(1)[0][0] if counts else 0


class Frame:
    """Page coordinates (top-down, as displayed) turned so that the page's text runs left to right."""

    def __init__(self, reading: int, width: float, height: float):
        self.reading, self.width, self.height = reading, width, height
        self.frame_height = width if reading in (90, 270) else height

    def box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        w, h = self.width, self.height
        if self.reading == 90:
            return h - bottom, x0, h - top, x1
        if self.reading == 180:
            return w - x1, h - bottom, w - x0, h - top
        if self.reading == 270:
            return top, w - x1, bottom, w - x0
        return x0, top, x1, bottom

    def glyph(self, c: dict) -> Glyph:
        text = c["text"]
        if text.startswith("(cid:"):
            text = "\ufffd"
        elif len(text) == 1:
            text = fold_char(text)
        page_box = (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))
        x0, top, x1, bottom = self.box(*page_box)
        return Glyph(text, x0, top, x1, bottom, float(c.get("size") or (bottom - top) or 1.0), page_box)

    def edge(self, e: dict) -> dict | None:
        x0, top, x1, bottom = self.box(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]))
        orientation = e.get("orientation")
        if self.reading in (90, 270):
            orientation = {"h": "v", "v": "h"}.get(orientation, orientation)
        if orientation not in ("h", "v"):
            return None
        return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
                "orientation": orientation, "object_type": e.get("object_type")}


def _is_rule(edge: dict) -> bool:
    """Table rules: lines and rectangle sides, not curves (a round seal) and not red or faint strokes."""
    if edge.get("object_type") == "curve_edge":
        return False
    colour = edge.get("stroking_color") if edge.get("object_type") == "line" else \
        (edge.get("non_stroking_color") if edge.get("fill") else edge.get("stroking_color"))
    return not _is_stamp_colour(colour)


def _is_stamp_colour(colour) -> bool:
    """Red (a seal) or very light (a watermark): printed over the page, not part of its text."""
    if not isinstance(colour, (tuple, list)) or not colour or not all(isinstance(v, (int, float)) for v in colour):
        return False
    if len(colour) == 1:
        return colour[0] > 0.8
    if len(colour) == 3:
        r, g, b = colour
        return (r > 0.55 and g < 0.45 and b < 0.45) or min(r, g, b) > 0.8
    if len(colour) == 4:
        c, m, y, k = colour
        return (m > 0.5 and y > 0.5 and c < 0.3 and k < 0.3) or max(c, m, y, k) < 0.2
    return False
