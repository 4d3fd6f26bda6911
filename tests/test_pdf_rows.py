"""Rows and columns of PDF tables whatever their rows' height, their header's shape or a cell's overflow.

Each PDF is drawn here with reportlab as a publisher's software draws it: borderless or 三线表 (three rules:
above the header, under it, under the table), rows set tall (30–40 pt rows at 9 pt type), a table of one row
under a merged group header with its figures set flush right in wide columns, a ruled cell whose name is wider
than the cell. Each test says what the reader got wrong before: figures in the wrong column, the 合计 row
written on one line with the next table's title, a character of a name read as the 合计 cell's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

FONT = "STSong-Light"

_TITLE_BASIC = "示例县卫生健康委员会2025年一般公共预算基本支出表"
_TITLE_SANGONG = "示例县卫生健康委员会2025年一般公共预算“三公”经费支出表"
_BASIC = [
    ("301", "工资福利支出", "1200.00", "1200.00", ""),
    ("30101", "基本工资", "500.00", "500.00", ""),
    ("30102", "津贴补贴", "700.00", "700.00", ""),
    ("302", "商品和服务支出", "200.06", "", "200.06"),
    ("30201", "办公费", "50.00", "", "50.00"),
    ("30211", "差旅费", "30.00", "", "30.00"),
    ("30217", "公务接待费", "5.00", "", "5.00"),
    ("30231", "公务用车运行维护费", "15.06", "", "15.06"),
    ("30299", "其他商品和服务支出", "100.00", "", "100.00"),
    ("303", "对个人和家庭的补助", "15.00", "15.00", ""),
    ("30302", "退休费", "15.00", "15.00", ""),
    ("", "合计", "1415.06", "1215.00", "200.06"),
]
_SANGONG_HEAD = [["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"],
                 ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""]]
_SANGONG_ROW = ["20.06", "0.00", "15.06", "0.00", "15.06", "5.00"]
_SANGONG_SPANS = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (4, 0)), ((5, 0), (5, 1))]


def _table(rows, widths, style: str, row_height: float | None, header_rows: int, spans=(), name_align="LEFT",
           digits: str = FONT):
    from reportlab.platypus import Table, TableStyle

    commands = [("FONT", (0, 0), (-1, -1), FONT, 9), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONT", (0, header_rows), (-1, -1), digits, 9),  # a sans font's digits: wider than STSong's
                ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTRE"),  # headers centred over their cells
                ("ALIGN", (0, header_rows), (-1, -1), "RIGHT"),  # figures flush right
                ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if name_align:
        commands.append(("ALIGN", (0, header_rows), (1, -1), name_align))
    if style == "three":  # 三线表: a rule over the header, one under it, one under the table
        commands += [("LINEABOVE", (0, 0), (-1, 0), 1.0, (0, 0, 0)),
                     ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.5, (0, 0, 0)),
                     ("LINEBELOW", (0, -1), (-1, -1), 1.0, (0, 0, 0))]
    elif style == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)))
    commands += [("SPAN", a, b) for a, b in spans]
    table = Table(rows, colWidths=widths, rowHeights=row_height, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def _pdf(path: Path, story_of) -> Path:
    """A one-page-at-a-time A4 document: a title (14 pt) and 单位 line over each table, as disclosures set them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=14, leading=20, alignment=1)
    unit = ParagraphStyle("unit", fontName=FONT, fontSize=9, leading=13, alignment=2)
    story = []
    for item in story_of():
        if isinstance(item, str):
            story.append(Paragraph(item, title))
            story.append(Paragraph("单位：万元", unit))
        else:
            story.append(item)
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=40,
                      invariant=1).build(story)
    return path


def _values(result, kind: str) -> dict[str, dict[str, str]]:
    table = next(t for t in result.tables if t.kind == kind)
    return {(r.code or ("合计" if r.label and "合计" in r.label.text.replace(" ", "") else r.item)):
            {k: str(v.value) for k, v in r.values.items()} for r in table.rows}


def _read(path: Path):
    from extractor.pipeline import run_file

    return run_file(path)


def _basic_table(style: str, row_height: float | None, wrap: bool = False):
    """The 基本支出表; ``wrap``: its names in a column too narrow for them, wrapped over two or three lines."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11, wordWrap="CJK")
    head = [["科目编码", "科目名称", "合计", "人员经费", "公用经费"]]
    rows = head + [[c, Paragraph(n, cell) if wrap else n, t, p, g] for c, n, t, p, g in _BASIC]
    return _table(rows, [60, 60 if wrap else 170, 80, 80, 80], style, row_height, 1)


def _sangong_table(style: str, row_height: float | None):
    return _table(_SANGONG_HEAD + [_SANGONG_ROW], [40, 117, 44, 104, 131, 77], style, row_height, 2,
                  _SANGONG_SPANS, name_align=None, digits="Helvetica")


@pytest.mark.parametrize("style,row_height,wrap", [("none", 34, False), ("three", 34, False), ("none", 40, False),
                                                   ("three", 40, False), ("none", 40, True)])
def test_rows_set_tall_keep_their_columns_and_their_total(tmp_path, style, row_height, wrap):
    """Rows 34–40 pt high at 9 pt type: the gap between two rows is wider than the 2.5 lines that ended a table,
    so each row was read as a line of text (公用经费 stored as 人员经费, verified) and the 合计 row was written on
    one line with the next table's title; with names wrapped in their cells, each row holding one was a table
    of its own, and the 三公 table's group word (公务用车购置及运行维护费, a tall row above 小计) was left out of
    its header. Rows of one table are as far apart as its other rows are."""
    path = _pdf(tmp_path / f"tall_{style}_{row_height}_{wrap}.pdf",
                lambda: [_TITLE_BASIC, _basic_table(style, row_height, wrap), _TITLE_SANGONG,
                         _sangong_table(style, row_height)])
    from extractor.load import load_document

    text = load_document(path).text
    assert not any("合计" in line and "三公" in line for line in text.splitlines())
    result = _read(path)
    want = {(c or "合计"): {k: v for k, v in zip(("total", "personnel", "public"), (t, p, g)) if v}
            for c, _, t, p, g in _BASIC}
    assert _values(result, "general_budget_basic_expenditure") == want
    assert _values(result, "three_public_costs") == {None: dict(zip(
        ("total", "outbound", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"), _SANGONG_ROW))}
    assert not [f for f in result.flags if f.severity == "error" or f.check.startswith("read.")]


@pytest.mark.parametrize("style", ["none", "three"])
def test_a_one_row_table_under_a_merged_group_header_keeps_its_columns(tmp_path, style):
    """The 三公 table: one row, every figure flush right in a wide column, its header centred, 公务用车购置及运行
    维护费 merged over 小计 / 购置费 / 运维费. No figure stands under a header word; the figures were read a
    column off (接待费 15.06, 5.00 under no header) and three errors blamed the document."""
    path = _pdf(tmp_path / f"sangong_{style}.pdf", lambda: [_TITLE_SANGONG, _sangong_table(style, None)])
    result = _read(path)
    assert _values(result, "three_public_costs") == {None: {
        "total": "20.06", "outbound": "0.00", "vehicle": "15.06", "vehicle_purchase": "0.00",
        "vehicle_operation": "15.06", "reception": "5.00"}}
    assert not [f for f in result.flags if f.severity == "error" or f.check.startswith("read.")]


@pytest.mark.parametrize("over", [4, 12])
def test_a_name_wider_than_its_ruled_cell_is_read_in_its_cell(tmp_path, over):
    """A ruled table whose name column is too narrow for a name: its last character is printed over the rule,
    its centre in the 合计 cell. It was read there (出 80.30: read.unparsed) and the row's total lost, which two
    more errors blamed on the document. The word starts in the name's cell: the character is the name's."""
    rows = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["208", "社会保障和就业支出", "120.50", "120.50", ""],
            ["20805", "行政事业单位养老支出", "120.50", "120.50", ""],
            ["2080505", "机关事业单位基本养老保险缴费支出", "80.30", "80.30", ""],
            ["2080506", "机关事业单位职业年金缴费支出", "40.20", "40.20", ""],
            ["", "合计", "120.50", "120.50", ""]]
    # The column narrower than the long name (9 pt a character) and its 3 pt padding: by 4 pt, the name's last
    # character straddles the rule, its centre past it; by 12 pt, it is wholly past the rule and the one before
    # straddles it.
    name = 9 * len("机关事业单位基本养老保险缴费支出") - over
    path = _pdf(tmp_path / f"overflow{over}.pdf",
                lambda: ["示例县卫生健康委员会2025年部门支出总表",
                         _table(rows, [60, name, 70, 70, 70], "grid", None, 1)])
    result = _read(path)
    table = next(t for t in result.tables if t.kind == "expenditure_summary")
    row = next(r for r in table.rows if r.code == "2080505")
    assert row.label.text == "机关事业单位基本养老保险缴费支出"
    assert {k: str(v.value) for k, v in row.values.items()} == {"total": "80.30", "basic": "80.30"}
    assert not row.unparsed and not [f for f in result.flags if f.severity == "error"]


def test_a_browsers_one_row_table_under_a_merged_group_header_keeps_its_columns(tmp_path):
    """The same 三公 table as a browser prints it (chromium, 9 pt, th centred, td flush right, padding 2px 4px),
    borderless and 三线表: read 公务用车运行维护费 0.00, 公务接待费 15.06 and 5.00 under no header before."""
    from htmldocs import CJK_FONTS, browser_page, print_pdf, require_browser

    require_browser()
    fonts = ", ".join(f'"{f}"' for f in CJK_FONTS)
    head = ("<tr><th rowspan=2>合计</th><th rowspan=2>因公出国（境）费</th><th colspan=3>公务用车购置及运行维护费</th>"
            "<th rowspan=2>公务接待费</th></tr><tr><th>小计</th><th>公务用车购置费</th><th>公务用车运行维护费</th></tr>")
    row = "".join(f'<td class="n">{v}</td>' for v in _SANGONG_ROW)
    paths = []
    with browser_page() as page:
        for style, rules in [("none", ""), ("three", "table { border-top: 1pt solid #000; border-bottom: 1pt solid "
                                                     "#000; } thead { border-bottom: 0.5pt solid #000; }")]:
            html = (f'<!doctype html><html><head><meta charset="utf-8"><style>body {{ font-family: {fonts}; '
                    f"font-size: 9pt; }} h3 {{ text-align: center; font-size: 14pt; }} .unit {{ text-align: right; }}"
                    f" table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: 2px 4px; "
                    f"font-weight: normal; }} td.n {{ text-align: right; }} {rules}</style></head><body>"
                    f'<h3>{_TITLE_SANGONG}</h3><div class="unit">单位：万元</div><table><thead>{head}</thead>'
                    f"<tbody><tr>{row}</tr></tbody></table></body></html>")
            paths.append(print_pdf(page, html, tmp_path / f"sangong_{style}.pdf"))
    for path in paths:
        result = _read(path)
        assert _values(result, "three_public_costs") == {None: {
            "total": "20.06", "outbound": "0.00", "vehicle": "15.06", "vehicle_purchase": "0.00",
            "vehicle_operation": "15.06", "reception": "5.00"}}, path.name
        assert not [f for f in result.flags if f.severity == "error" or f.check.startswith("read.")], path.name


def test_a_title_after_a_table_row_read_as_text_is_never_joined_to_it():
    """A table row that reaches the right margin, read as a line of text, and the next table's title right under
    it, set larger: a wrapped paragraph's two lines as far as margins tell, but a row's cells stand apart and a
    title is set larger. They were written as one line (合计 1415.06 1215.00 200.06平安县…“三公”经费支出表)."""
    from extractor.load.canonical import Glyph
    from extractor.load.layout import Line, join_paragraph_lines

    def line(pieces: list[tuple[str, float]], top: float, size: float) -> Line:
        glyphs = []
        for text, x in pieces:
            for ch in text:
                width = size if ord(ch) > 0x2E80 else size / 2
                glyphs.append(Glyph(ch, x, top, x + width, top + size, size, (x, top, x + width, top + size)))
                x += width
        return Line(glyphs, top, top + size)

    text = [line([("第一段文字，其中公务用车购置及运行维护费十五万零六百元，公务接待费五万元，合计二十万零六百元整。", 40)], 60, 9),
            line([("以下为表格。", 40)], 71, 9)]
    row = line([("合计", 112), ("1415.06", 380), ("1215.00", 450), ("200.06", 525)], 100, 9)
    title = line([(_TITLE_SANGONG, 100)], 111, 14)
    margins = {1: row.x1}
    groups = join_paragraph_lines([(1, ln) for ln in [row, title]], margins)
    assert [len(g) for g in groups] == [1, 1]
    # A wrapped paragraph still joins: the rule keeps rows and titles apart, not prose.
    assert [len(g) for g in join_paragraph_lines([(1, ln) for ln in text], {1: text[0].x1})] == [2]
