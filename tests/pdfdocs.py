"""Test data: the corpus documents printed to PDF as publishers' software would (generated, never committed).

reportlab draws each document: its text lines as paragraphs, its tables (pipe or
tab rows) as tables, ruled or borderless, with merged header cells, tables broken
over pages, landscape pages for wide tables, page numbers, and on request a red
seal over a table, a watermark, a page turned by /Rotate, and a font whose text
layer maps some characters to radical code points (⻔ for 门, ⽀ for 支).
Its built-in CID font STSong-Light needs no font file.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


@dataclass
class Options:
    ruled: bool = True
    radicals: dict[str, str] = field(default_factory=dict)  # character -> the code point its text layer gives
    seal_on: tuple[int, ...] = ()  # pages with a red seal drawn over them
    watermark: bool = False
    rotate_pages: tuple[int, ...] = ()  # pages given /Rotate 90 (their text then runs up the displayed page)
    repeat_header: bool = False  # re-flow each document table as one, repeating its header on every page
    digits_font: str | None = None  # another font for amount cells ("Helvetica")
    page_numbers: bool = True
    landscape_wide: bool = True  # tables of 8 or more columns on landscape pages


# -- the corpus text into blocks ---------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "text" or "table"
    lines: list = field(default_factory=list)  # text: [str]; table: [[cell, …]]


def blocks_of(text: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        cells = _cells(line)
        if cells is not None:
            if not blocks or blocks[-1].kind != "table":
                blocks.append(Block("table"))
            if cells:
                blocks[-1].lines.append(cells)
        elif line.strip():
            if not blocks or blocks[-1].kind != "text":
                blocks.append(Block("text"))
            blocks[-1].lines.append(line.strip())
        elif blocks and blocks[-1].kind == "table":
            blocks.append(Block("text"))
    return [b for b in blocks if b.lines]


def _cells(line: str) -> list[str] | None:
    s = line.strip()
    if s.startswith("|"):
        if re.fullmatch(r"\|[\s\-:|]+\|?", s):
            return []  # the markdown separator row
        body = s[1:-1] if s.endswith("|") and len(s) > 1 else s[1:]
        return [c.strip() for c in body.split("|")]
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return None


def _is_lanci(row: list[str]) -> bool:
    values = [c for c in row if c]
    return bool(values) and (values[0] in ("栏次", "档次") or values == [str(i) for i in range(1, len(values) + 1)])


def header_rows(rows: list[list[str]]) -> int:
    """Leading rows with no amount in them (the 栏次 row of 1, 2, 3 … counts as a header row)."""
    n = 0
    for row in rows:
        values = [c for c in row if c]
        if any(_AMOUNT.match(c) for c in values) and values != [str(i) for i in range(1, len(values) + 1)] \
                and not (values and values[0] in ("栏次", "档次")):
            break
        n += 1
    return n


def spans(rows: list[list[str]], header: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged header cells as a publisher's template has them, from where the text leaves cells empty."""
    out = []
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    taken = set()
    # The 栏次 row (1, 2, 3 …) numbers the columns; it is never merged and merges nothing above it.
    header = next((r for r in range(header) if _is_lanci(grid[r])), header)
    for r in range(min(header, len(grid)) - 1):
        for c in range(width):
            if not grid[r][c] or (r, c) in taken:
                continue
            below = grid[r + 1]
            # Across: empty cells to the right with sub-headers under them.
            end = c
            while end + 1 < width and not grid[r][end + 1] and below[end + 1] and (r, end + 1) not in taken:
                end += 1
            # Down: an empty cell under a header whose neighbours below have text.
            down = r
            if end == c and r + 1 < header and not below[c]:
                down = r + 1
            if end > c or down > r:
                out.append(((c, r), (end, down)))
                taken.update((rr, cc) for rr in range(r, down + 1) for cc in range(c, end + 1))
    return out


# -- fonts ---------------------------------------------------------------------------------------


def _register_fonts(text: str, radicals: dict[str, str]) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    if not radicals:
        return "STSong-Light", "STSong-Light"
    name = "STSong-Pub-" + "".join(f"{ord(k):x}" for k in sorted(radicals))
    pdfmetrics.registerFont(_PublisherFont(name, _to_unicode(text, radicals)))
    return name, name


class _PublisherFont:
    """STSong-Light with a /ToUnicode map of its own, as a publisher's font has: some glyphs map to radicals."""

    def __new__(cls, name: str, cmap: bytes):
        from reportlab.pdfbase.cidfonts import CIDFontInfo, UnicodeCIDFont, structToPDF
        from reportlab.pdfbase.pdfdoc import PDFStream

        class Font(UnicodeCIDFont):
            def addObjects(self, doc):
                internal = "F" + repr(len(doc.fontMapping) + 1)
                info = copy.deepcopy(CIDFontInfo[self.face.name])
                info["Name"] = "/" + internal
                info["Encoding"] = "/" + self.encodingName
                obj = structToPDF(info)
                obj.dict["ToUnicode"] = doc.Reference(PDFStream(content=cmap))
                doc.idToObject["BasicFonts"].dict[internal] = doc.Reference(obj, internal)
                doc.fontMapping[self.name] = "/" + internal

        font = Font("STSong-Light")
        font.name = font.fontName = name
        return font


def _to_unicode(text: str, swap: dict[str, str]) -> bytes:
    """A ToUnicode CMap from the font's CIDs (as pdfminer decodes UniGB-UCS2-H) to code points."""
    from pdfminer.cmapdb import CMapDB

    cmap = CMapDB.get_cmap("UniGB-UCS2-H")
    pairs = {}
    for ch in sorted(set(text) | set("0123456789.,-—% ：:（）()")):
        if len(ch.encode("utf-16-be")) != 2:
            continue
        cids = list(cmap.decode(ch.encode("utf-16-be")))
        if len(cids) == 1:
            pairs.setdefault(cids[0], swap.get(ch, ch))
    lines = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Pub-UCS def /CMapType 2 def",
             b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    items = sorted(pairs.items())
    for i in range(0, len(items), 100):
        chunk = items[i:i + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        lines += [b"<%04X> <%s>" % (cid, u.encode("utf-16-be").hex().upper().encode()) for cid, u in chunk]
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


# -- drawing ---------------------------------------------------------------------------------------


def render(text: str, path: Path, options: Options = Options()) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Paragraph, Spacer

    font, _ = _register_fonts(text, options.radicals)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=6.5, leading=8, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, alignment=1)  # headers centred over their cells
    state = {"page": 0}

    def on_page(canvas, doc):
        state["page"] += 1
        n = state["page"]
        if options.page_numbers:
            canvas.setFont(font, 8)
            canvas.drawCentredString(canvas._pagesize[0] / 2, 20, f"— {n} —")
        if n in options.seal_on:
            _seal(canvas, font)
        if options.watermark:
            _watermark(canvas, font)

    def on_page_end(canvas, doc):
        # The document template sets each page's /Rotate from its own ``rotation`` as the page ends.
        doc.rotation = 90 if state["page"] in options.rotate_pages else 0

    portrait, wide = A4, landscape(A4)
    doc = BaseDocTemplate(str(path), pagesize=portrait, leftMargin=36, rightMargin=36, topMargin=40,
                          bottomMargin=40, title="budget", author="test", invariant=1)
    doc.addPageTemplates([
        PageTemplate("portrait", [Frame(36, 40, portrait[0] - 72, portrait[1] - 80, id="p")], onPage=on_page,
                     onPageEnd=on_page_end, pagesize=portrait),
        PageTemplate("landscape", [Frame(36, 40, wide[0] - 72, wide[1] - 80, id="l")], onPage=on_page,
                     onPageEnd=on_page_end, pagesize=wide),
    ])
    story = []
    current = "portrait"
    blocks = blocks_of(text)
    if options.repeat_header:
        blocks = _one_table_per_title(blocks)
    for block in blocks:
        if block.kind == "text":
            for line in block.lines:
                story.append(Paragraph(escape(line), body))
            continue
        width = max(len(r) for r in block.lines)
        want = "landscape" if options.landscape_wide and width >= 8 else "portrait"
        if want != current:
            story.append(NextPageTemplate(want))
            from reportlab.platypus import PageBreak

            story.append(PageBreak())
            current = want
        frame_width = (wide if want == "landscape" else portrait)[0] - 72
        story.append(Spacer(1, 4))
        story.append(_table(block.lines, cell, head, font, frame_width, options))
        story.append(Spacer(1, 4))
    doc.build(story)
    return path


def _table(rows: list[list[str]], style, head, font: str, frame_width: float, options: Options):
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    header = header_rows(grid)
    natural = [max(stringWidth(grid[r][c], font, 6.5) for r in range(len(grid))) + 6 for c in range(width)]
    # Amount columns never wrap; the rest share what is left.
    fixed = [min(n, 60) if all(_AMOUNT.match(grid[r][c]) or not grid[r][c] for r in range(header, len(grid)))
             else None for c, n in enumerate(natural)]
    fixed = [max(f, 34) if f is not None else None for f in fixed]
    left = frame_width - sum(f for f in fixed if f is not None)
    flexible = [natural[c] for c in range(width) if fixed[c] is None]
    total = sum(flexible) or 1
    widths = [fixed[c] if fixed[c] is not None else max(24.0, left * natural[c] / total) for c in range(width)]
    if not options.ruled:
        # Without rules, columns fitted to their content (as a spreadsheet's "autofit" prints them).
        body = [max([stringWidth(grid[r][c], font, 6.5) for r in range(len(grid))
                     if (r, c) not in _spanned(grid, header)] + [18]) + 14 for c in range(width)]
        if sum(body) <= frame_width:
            widths = body
    if sum(widths) > frame_width:
        scale = frame_width / sum(widths)
        widths = [w * scale for w in widths]
    data = []
    for r, row in enumerate(grid):
        out = []
        for c, value in enumerate(row):
            if r >= header and _AMOUNT.match(value) and options.digits_font:
                out.append(value)
            else:
                out.append(Paragraph(escape(value), head if r < header else style) if value else "")
        data.append(out)
    commands = [("FONT", (0, 0), (-1, -1), options.digits_font or font, 6.5),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    if options.ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)))
    for start, end in spans(grid, header):
        commands.append(("SPAN", start, end))
    table = Table(data, colWidths=widths, repeatRows=header if options.repeat_header else 0, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _spanned(grid: list[list[str]], header: int) -> set[tuple[int, int]]:
    """Cells whose text heads several columns (it need not fit in one)."""
    out = set()
    for (c0, r0), (c1, r1) in spans(grid, header):
        if c1 > c0:
            out.add((r0, c0))
    return out


def _one_table_per_title(blocks: list[Block]) -> list[Block]:
    """Each document table re-flowed as one table: its page pieces joined, their repeated headers dropped."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "table" and out and out[-1].kind == "table":
            prev = out[-1]
            header = header_rows(block.lines)
            if block.lines[:header] == prev.lines[:header] and max(map(len, block.lines)) == max(map(len, prev.lines)):
                prev.lines.extend(block.lines[header:])
                continue
        if block.kind == "text" and out and out[-1].kind == "table" and _furniture(block):
            continue  # the running lines between two pages of one table
        out.append(copy.deepcopy(block))
    return out


def _furniture(block: Block) -> bool:
    return all(re.match(r"^(\d{3} \S+|预算年度|单位：|部门：|部门名称)", line) for line in block.lines)


def _seal(canvas, font: str) -> None:
    """A red round seal with its name around the rim and a star, drawn over the middle of the page."""
    import math

    w, h = canvas._pagesize
    cx, cy, radius = w * 0.55, h * 0.55, 60
    canvas.saveState()
    canvas.setStrokeColorRGB(0.9, 0.1, 0.1)
    canvas.setFillColorRGB(0.9, 0.1, 0.1)
    canvas.setLineWidth(2.5)
    canvas.circle(cx, cy, radius, stroke=1, fill=0)
    name = "泗县医疗保障局预算专用章"
    for i, ch in enumerate(name):
        angle = 200 - i * (220 / (len(name) - 1))
        x = cx + (radius - 14) * math.cos(math.radians(angle))
        y = cy + (radius - 14) * math.sin(math.radians(angle))
        canvas.saveState()
        canvas.translate(x, y)
        canvas.rotate(angle - 90)
        canvas.setFont(font, 10)
        canvas.drawCentredString(0, 0, ch)
        canvas.restoreState()
    star = canvas.beginPath()
    for k in range(10):
        r = 14 if k % 2 == 0 else 6
        a = math.radians(90 + k * 36)
        (star.moveTo if k == 0 else star.lineTo)(cx + r * math.cos(a), cy + r * math.sin(a))
    star.close()
    canvas.drawPath(star, stroke=0, fill=1)
    canvas.restoreState()


def _watermark(canvas, font: str) -> None:
    w, h = canvas._pagesize
    canvas.saveState()
    canvas.setFillColorRGB(0.88, 0.88, 0.88)
    canvas.translate(w / 2, h / 2)
    canvas.rotate(35)
    canvas.setFont(font, 48)
    canvas.drawCentredString(0, 0, "公开文件 2024")
    canvas.restoreState()


def scanned(pdf: Path, path: Path, resolution: int = 150, pages: tuple[int, ...] | None = None) -> Path:
    """The PDF as a scanner makes it: every page (or ``pages``, 1-based) an image, with no text layer.

    Rendering needs a Chinese font on the machine (the generated PDFs use a font they do not embed):
    Debian's fonts-wqy-microhei, for example.
    """
    import io

    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    source = pdfium.PdfDocument(str(pdf))
    c = canvas.Canvas(str(path))
    for i in range(len(source)):
        page = source[i]
        width, height = page.get_size()
        c.setPageSize((width, height))
        if pages is None or i + 1 in pages:
            image = page.render(scale=resolution / 72).to_pil().convert("L")
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width, height)
        c.showPage()
    c.save()
    return path
