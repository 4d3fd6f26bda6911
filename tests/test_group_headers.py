"""Borderless and 三线表 tables whose header has a group word centred over sub-columns, set in small type with
little leading: 公务用车购置及运行维护费 over 小计 / 公务用车购置费 / 公务用车运行维护费 (三公), 基本支出 over 小计 / 人员经费 /
公用经费, 本年拨款 over 小计 / 一般公共预算 / 政府性基金预算 (项目支出表).

Each PDF is drawn here (reportlab, and chromium where the machine has it) with one table a page, as many publishers
print them: with no two rows of figures on the page, the reader had nothing telling it how far apart rows are, and
took the group word, a point above the word under it, for that cell's first line (公务用车购置及运行维护费公务用车购置费):
the vehicle column was lost and its 15.06 verified under a column no one knows (小计). Rows set with no padding (a
browser's table at 7 pt) put two projects' names as close as a wrapped name's lines, and their amounts ran together
(1922.22300.00). Figures made up for the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

FONT = "STSong-Light"
_DEPT = "示例县卫生健康委员会2025年"
_SANGONG = ("一般公共预算“三公”经费支出表",
            [["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"],
             ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""]],
            [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (4, 0)), ((5, 0), (5, 1))],
            [["20.06", "0.00", "15.06", "0.00", "15.06", "5.00"]], [1.2, 1.6, 1, 1.5, 1.8, 1.2], 0)
_SANGONG_WANT = {None: dict(zip(("total", "outbound", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"),
                                ("20.06", "0.00", "15.06", "0.00", "15.06", "5.00")))}
_GPB_ROWS = [("210", "卫生健康支出", "3456.78", "1234.56", "1034.50", "200.06", "2222.22"),
             ("21001", "卫生健康管理事务", "1534.56", "1234.56", "1034.50", "200.06", "300.00"),
             ("2100101", "行政运行", "1234.56", "1234.56", "1034.50", "200.06", ""),
             ("2100199", "其他卫生健康管理事务支出", "300.00", "", "", "", "300.00"),
             ("21004", "公共卫生", "1922.22", "", "", "", "1922.22"),
             ("2100408", "基本公共卫生服务", "1922.22", "", "", "", "1922.22"),
             ("", "合计", "3456.78", "1234.56", "1034.50", "200.06", "2222.22")]
_GPB = ("一般公共预算支出表",
        [["功能分类科目", "", "合计", "基本支出", "", "", "项目支出"],
         ["科目编码", "科目名称", "", "小计", "人员经费", "公用经费", ""]],
        [((0, 0), (1, 0)), ((2, 0), (2, 1)), ((3, 0), (5, 0)), ((6, 0), (6, 1))],
        [list(r) for r in _GPB_ROWS], [1, 2.6, 1, 1, 1, 1, 1], 2)
_GPB_WANT = {(c or "合计"): {k: v for k, v in zip(("total", "basic", "personnel", "public", "project"), vs) if v}
             for c, _, *vs in _GPB_ROWS}
_PROJ_ROWS = [("基本公共卫生服务", "1922.22", "1922.22", "1922.22", "", ""),
              ("卫生健康信息化建设", "300.00", "250.00", "200.00", "50.00", "50.00"),
              ("合计", "2222.22", "2172.22", "2122.22", "50.00", "50.00")]
_PROJ = ("项目支出表",
         [["项目名称", "合计", "本年拨款", "", "", "上年结转"], ["", "", "小计", "一般公共预算", "政府性基金预算", ""]],
         [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (4, 0)), ((5, 0), (5, 1))],
         [list(r) for r in _PROJ_ROWS], [2.6, 1, 1, 1.3, 1.4, 1], 1)
_PROJ_WANT = {n: {k: v for k, v in zip(("total", "current_appropriation", "current_general_budget",
                                        "current_government_fund", "carryover"), vs) if v} for n, *vs in _PROJ_ROWS}


def _values(result, kind: str) -> dict:
    table = next(t for t in result.tables if t.kind == kind)
    out = {}
    for r in table.rows:
        label = r.label.text.replace(" ", "") if r.label else None
        key = r.code or ("合计" if label == "合计" and kind != "project_expenditure" else label)
        out[key] = {k: str(v.value) for k, v in r.values.items()}
    return out


def _read(path: Path):
    from extractor.pipeline import run_file

    return run_file(path)


def _assert_read(result, name: str, tables) -> None:
    for kind, want in tables:
        assert _values(result, kind) == want, (name, kind)
    assert not [f for f in result.flags if f.severity == "error" or f.check.startswith("read.")], name


def _reportlab(path: Path, tables, style: str, size: float, landscape: bool) -> Path:
    """One table a page, ``size`` pt type with 0.3 pt padding above and below (rows as close as the type allows)."""
    from reportlab.lib import pagesizes
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    page = pagesizes.landscape(pagesizes.A4) if landscape else pagesizes.A4
    width = page[0] - 80
    title = ParagraphStyle("title", fontName=FONT, fontSize=size + 6, leading=(size + 6) * 1.3, alignment=1)
    unit = ParagraphStyle("unit", fontName=FONT, fontSize=size, leading=size * 1.3, alignment=2)
    story = []
    for name, head, spans, body, rel, labels in tables:
        n = len(head)
        commands = [("FONT", (0, 0), (-1, -1), FONT, size), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEADING", (0, 0), (-1, -1), size * 1.05), ("ALIGN", (0, 0), (-1, n - 1), "CENTRE"),
                    ("ALIGN", (0, n), (-1, -1), "RIGHT"), ("TOPPADDING", (0, 0), (-1, -1), 0.3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0.3), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2)] + [("SPAN", a, b) for a, b in spans]
        if labels:
            commands.append(("ALIGN", (0, n), (labels - 1, -1), "LEFT"))
        if style == "three":
            commands += [("LINEABOVE", (0, 0), (-1, 0), 1.0, (0, 0, 0)),
                         ("LINEBELOW", (0, n - 1), (-1, n - 1), 0.5, (0, 0, 0)),
                         ("LINEBELOW", (0, -1), (-1, -1), 1.0, (0, 0, 0))]
        table = Table(head + body, colWidths=[width * r / sum(rel) for r in rel])
        table.setStyle(TableStyle(commands))
        if story:
            story.append(PageBreak())
        story += [Paragraph(_DEPT + name, title), Paragraph("单位：万元", unit), table]
    SimpleDocTemplate(str(path), pagesize=page, leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=40,
                      invariant=1).build(story)
    return path


@pytest.mark.parametrize("style", ["none", "three"])
@pytest.mark.parametrize("landscape", [False, True])
def test_a_group_word_set_close_over_its_sub_columns_heads_them(tmp_path, style, landscape):
    """7 pt type, 0.3 pt padding, each table on a page of its own: the 三公 table's group word was read as the first
    line of 公务用车购置费 (the vehicle figure 15.06 verified under 小计, a column of no known meaning, and no
    公务用车购置及运行维护费 for the explanation to be checked against)."""
    path = _reportlab(tmp_path / f"group_{style}_{landscape}.pdf", [_SANGONG, _GPB, _PROJ], style, 7, landscape)
    _assert_read(_read(path), path.name, [("three_public_costs", _SANGONG_WANT),
                                          ("general_budget_expenditure", _GPB_WANT),
                                          ("project_expenditure", _PROJ_WANT)])


def _table_html(name, head, spans, body, rel, labels) -> str:
    covered, merged = set(), {}
    for (c0, r0), (c1, r1) in spans:
        merged[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    rows = []
    for r, row in enumerate(head):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            down, across = merged.get((r, c), (1, 1))
            cells.append(f"<th rowspan={down} colspan={across}>{text}</th>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body_rows = ["<tr>" + "".join(f"<td{' class=n' if c >= labels else ''}>{x}</td>" for c, x in enumerate(row))
                 + "</tr>" for row in body]
    return (f'<div class="pb"><h3>{_DEPT}{name}</h3><div class="unit">单位：万元</div><table><thead>{"".join(rows)}'
            f'</thead><tbody>{"".join(body_rows)}</tbody></table></div>')


def test_a_browsers_group_words_set_close_over_their_sub_columns_head_them(tmp_path):
    """The same tables as a browser prints them at 7 pt (th centred, td flush right, cell padding 0 or 1 px, one
    table a page), borderless and 三线表, portrait and landscape. Besides the 三公 table's group word, rows with no
    padding put 基本公共卫生服务 one pixel over 卫生健康信息化建设, read as one wrapped name, and every amount of the
    two rows ran together (1922.22300.00: read.unparsed, the column sums blamed on the document)."""
    from htmldocs import CJK_FONTS, browser_page, print_pdf, require_browser

    require_browser()
    fonts = ", ".join(f'"{f}"' for f in CJK_FONTS)
    tables = "".join(_table_html(*t) for t in (_SANGONG, _GPB, _PROJ))
    paths = []
    with browser_page() as page:
        for style, rules in [("none", ""), ("three", "table { border-top: 1pt solid #000; border-bottom: 1pt solid "
                                                     "#000; } thead { border-bottom: 0.5pt solid #000; }")]:
            for padding in ("0px 2px", "1px 3px"):
                for landscape in (False, True):
                    html = (f'<!doctype html><html><head><meta charset="utf-8"><style>body {{ font-family: {fonts}; '
                            f"font-size: 7pt; }} h3 {{ text-align: center; font-size: 13pt; }} .unit {{ text-align: "
                            f"right; }} table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: "
                            f"{padding}; font-weight: normal; line-height: 1.1; }} td.n {{ text-align: right; }} "
                            f".pb + .pb {{ page-break-before: always; }} {rules}</style></head><body>{tables}"
                            f"</body></html>")
                    name = f"group_{style}_{padding.split()[0]}_{'landscape' if landscape else 'portrait'}.pdf"
                    paths.append(print_pdf(page, html, tmp_path / name, landscape=landscape))
    for path in paths:
        _assert_read(_read(path), path.name, [("three_public_costs", _SANGONG_WANT),
                                              ("general_budget_expenditure", _GPB_WANT),
                                              ("project_expenditure", _PROJ_WANT)])



def _print_narrow(text: str, path: Path) -> Path:
    """A disclosure as another province's template prints it: borderless tables whose amount columns are just
    wide enough for their figures (30 pt at 6.5 pt type: header cells wrap, 人员经 / 费), figures flush right with
    thousands separators (2,800.56), headers centred, codes and names flush left, wide tables on landscape pages."""
    import re
    from xml.sax.saxutils import escape

    from pdfdocs import _AMOUNT, blocks_of, header_rows, spans
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph,
                                    Spacer, Table, TableStyle)

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=6.5, leading=7.8, wordWrap="CJK")
    head, amount = ParagraphStyle("head", parent=cell, alignment=1), ParagraphStyle("amount", parent=cell, alignment=2)

    def numbered(canvas, doc):
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(canvas._pagesize[0] / 2, 20, f"— {doc.page} —")

    portrait, wide = A4, landscape(A4)
    doc = BaseDocTemplate(str(path), pagesize=portrait, leftMargin=36, rightMargin=36, topMargin=40, bottomMargin=40,
                          invariant=1)
    doc.addPageTemplates([PageTemplate("portrait", [Frame(36, 40, portrait[0] - 72, portrait[1] - 80)],
                                       onPage=numbered, pagesize=portrait),
                          PageTemplate("landscape", [Frame(36, 40, wide[0] - 72, wide[1] - 80)], onPage=numbered,
                                       pagesize=wide)])
    story, current = [], "portrait"
    for block in blocks_of(text):
        if block.kind == "text":
            story += [Paragraph(escape(line), body) for line in block.lines]
            continue
        width = max(len(r) for r in block.lines)
        rows = [r + [""] * (width - len(r)) for r in block.lines]
        h = header_rows(rows)
        money = [any("." in r[c] for r in rows[h:]) and all(_AMOUNT.match(r[c]) or not r[c] for r in rows[h:])
                 for c in range(width)]
        rows = rows[:h] + [[re.sub(r"^(\d+)(?=\d{3}(\.|$))", lambda m: f"{int(m[1]):,}", v) if money[c] else v
                            for c, v in enumerate(r)] for r in rows[h:]]
        want = "landscape" if width >= 8 else "portrait"
        if want != current:
            story += [NextPageTemplate(want), PageBreak()]
            current = want
        frame = (wide if want == "landscape" else portrait)[0] - 72
        natural = [max(stringWidth(r[c], FONT, 6.5) for r in rows[h:] or rows) + 8 for c in range(width)]
        widths = [max(n, 30 if money[c] else 40) for c, n in enumerate(natural)]
        if sum(widths) > frame:
            widths = [w * frame / sum(widths) for w in widths]
        data = [[Paragraph(escape(v), head if r < h else amount if money[c] else cell) if v else ""
                 for c, v in enumerate(row)] for r, row in enumerate(rows)]
        table = Table(data, colWidths=widths)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 3)] + [("SPAN", a, b) for a, b in spans(rows, h)]))
        story += [Spacer(1, 4), table, Spacer(1, 4)]
    doc.build(story)
    return path


def test_a_column_empty_on_a_page_keeps_out_of_the_column_of_a_word_over_both_header_rows(tmp_path):
    """003 printed with amount columns just wide enough for their figures: 一般公共预算支出表's header wraps, the table
    is read by the page's geometry, and its first page holds only rows with no basic spending (208 … 2080109: 5 under
    合计 and 项目支出). 合计, centred over both header rows, stands over none of its figures (5, set flush right); the
    empty 小计 column took 合计's column and 公用经费 项目支出's, and the rows continued on the next page were read in
    those columns: 660.56 as 人员经费, 2140 under no header, 29 new error flags blaming the document (cross.same_code
    2140 ≠ 533.75). A column under a word over both rows is that word's, found or not under its figures."""
    from layout_invariance import compare, run_text
    from layout_variants import corpus_text

    text = corpus_text("003")
    path = _print_narrow(text, tmp_path / "003_narrow.pdf")
    variant = _read(path)
    wanted = {k: v for k, v in _facts(run_text("003", text, tmp_path).result).items()
              if k[0] in ("general_budget_expenditure", "expenditure_summary")}
    got = {k: v for k, v in _facts(variant).items() if k[0] in ("general_budget_expenditure", "expenditure_summary")}
    assert got == wanted
    assert not [f for f in variant.flags if f.severity == "error" and not f.check.startswith("read.")]


def _facts(result) -> dict:
    from layout_invariance import facts

    return dict(facts(result))
