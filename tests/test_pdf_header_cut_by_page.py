"""A ruled table whose header the page breaks: its first row let to break across pages (LibreOffice and Word do,
unless told not to), drawn here with reportlab as LibreOffice printed it for a new user (trial 23).

The header's first row prints its first line at the foot of one page (部门预算支出 | 本年一般公共) and its second at
the head of the next (经济分类科目 | 预算基本支出), over the row of leaf headers and the body. The loader wrote the
page break inside the header as the start of a new part of the table, so the reader took the lone line above it
for the whole header: the codes were read as amounts of a column 部门预算支出 and every 人员经费 and 公用经费 figure
was left under no header.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

FONT, SIZE = "STSong-Light", 10.5
XS = [85.0, 171.0, 257.0, 344.0, 430.0, 517.0]
ROW = 13.3  # a row: one line of type and its padding
HEIGHT = 842.0

BODY = [
    ("301", "工资福利支出", "520.64", "520.64", ""),
    ("30101", "基本工资", "181.28", "181.28", ""),
    ("30102", "津贴补贴", "339.36", "339.36", ""),
    ("302", "商品和服务支出", "117.81", "", "117.81"),
    ("30201", "办公费", "117.81", "", "117.81"),
    ("", "合计", "638.45", "520.64", "117.81"),
]


def _row(c, top: float, cells: list[str]) -> float:
    """A ruled row of the grid at ``top`` (from the page's top), its cells' text from their left edge."""
    bottom = top + ROW
    for x in XS:
        c.line(x, HEIGHT - top, x, HEIGHT - bottom)
    c.line(XS[0], HEIGHT - top, XS[-1], HEIGHT - top)
    c.line(XS[0], HEIGHT - bottom, XS[-1], HEIGHT - bottom)
    for x, text in zip(XS, cells):
        if text:
            c.drawString(x + 5.5, HEIGHT - top - 10.0, text)
    return bottom


def _header_cut_pdf(path: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=(595.0, HEIGHT), invariant=1)
    c.setFont(FONT, SIZE)
    c.drawString(90, HEIGHT - 700, "测试局2024年一般公共预算基本支出表")
    c.drawString(90, HEIGHT - 725, "单位：万元")
    _row(c, 750.0, ["部门预算支出", "", "本年一般公共", "", ""])  # the page's last row: the header's first line
    c.showPage()
    c.setFont(FONT, SIZE)
    top = _row(c, 72.0, ["经济分类科目", "", "预算基本支出", "", ""])  # ... and its second, on the next page
    top = _row(c, top, ["科目编码", "科目名称", "合计", "人员经费", "公用经费"])
    for row in BODY:
        top = _row(c, top, list(row))
    c.showPage()
    c.save()
    return path


def test_a_header_row_cut_by_the_page_heads_the_columns_under_it(tmp_path):
    from extractor.pipeline import run_file

    result = run_file(_header_cut_pdf(tmp_path / "header_cut.pdf"))
    tables = [t for t in result.tables if t.kind == "general_budget_basic_expenditure"]
    assert len(tables) == 1, [t.kind for t in result.tables]
    read = {r.code or "合计": {k: str(v.value) for k, v in r.values.items()} for r in tables[0].rows}
    expected = {code or "合计": {k: v for k, v in zip(("total", "personnel", "public"), amounts) if v}
                for code, _, *amounts in BODY}
    assert read == expected
    assert not [f for f in result.flags if f.check == "read.unplaced"]
