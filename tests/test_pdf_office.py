"""PDFs as office suites print them (LibreOffice from .docx/.xlsx, WPS, fpdf2), drawn here with reportlab.

Each PDF is drawn line by line at the positions such a program gives them: borderless tables whose rows and the
titles between them are set at one pitch in one size of type, a title whose words are spaced apart like cells
(a justified or distributed paragraph), ... Each test says what the reader got wrong before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

FONT = "STSong-Light"
SIZE = 10.5
PITCH = 24.0  # an office suite's default row height with its padding: titles and rows alike


def _canvas(path: Path, landscape: bool = False):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turned
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=turned(A4) if landscape else A4, invariant=1)
    c.setFont(FONT, SIZE)
    return c


def _width(text: str, size: float = SIZE) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, FONT, size)


class Page:
    """Lines drawn top down at the suite's pitch; each line is cells at their column (left or right edge)."""

    def __init__(self, canvas, height: float = 842.0, top: float = 70.0):
        self.c, self.height, self.y = canvas, height, top

    def row(self, cells: list[tuple[str, float, str]], lines: int = 1, top: bool = False) -> None:
        """``cells``: (text, x, "l"|"r"|"c"); a text with "\\n" is a cell wrapped over its lines, centred in the
        row like the one-line cells beside it, or set at the row's top (``top``: a Word table's default)."""
        for text, x, align in cells:
            parts = text.split("\n")
            first = self.y if top else self.y + (lines - len(parts)) * SIZE * 1.15 / 2
            for k, part in enumerate(parts):
                y = self.height - (first + k * SIZE * 1.15) - SIZE
                w = _width(part)
                left = x if align == "l" else x - w if align == "r" else x - w / 2
                self.c.drawString(left, y, part)
        self.y += PITCH + (lines - 1) * SIZE * 1.15

    def spaced(self, words: list[str], x: float, gap: float) -> None:
        """A line whose words stand apart (a justified, distributed or tab-set title)."""
        left = x
        for word in words:
            self.c.drawString(left, self.height - self.y - SIZE, word)
            left += _width(word) + gap
        self.y += PITCH


def _read(path: Path):
    from extractor.pipeline import run_file

    return run_file(path)


def _values(result, kind: str) -> dict[str, dict[str, str]]:
    tables = [t for t in result.tables if t.kind == kind]
    assert len(tables) == 1, [t.kind for t in result.tables]
    return {(r.code or ("合计" if r.label and "合计" in r.label.text.replace(" ", "") else r.item)):
            {k: str(v.value) for k, v in r.values.items()} for r in tables[0].rows}


_EXPENDITURE = [("", "合计", "1368.06", "868.06", "500.00"), ("213", "农林水支出", "1234.56", "734.56", "500.00"),
                ("21301", "农业农村", "1234.56", "734.56", "500.00"), ("2130101", "行政运行", "734.56", "734.56", ""),
                ("2130153", "农田建设", "500.00", "", "500.00"), ("208", "社会保障和就业支出", "133.50", "133.50", ""),
                ("20805", "行政事业单位养老支出", "133.50", "133.50", ""),
                ("2080505", "机关事业单位基本养老保险缴费支出", "133.50", "133.50", "")]
_SANGONG = ["60.00", "0.00", "50.00", "0.00", "50.00", "10.00"]


def _spaced_title_pdf(path: Path, wrap: bool) -> Path:
    """A 支出总表 and, right under its last row at the rows' pitch, the “三公” table's title printed in the rows'
    type with its words spaced apart; ``wrap``: the names wrapped in a narrow column (a Word table's cells)."""
    c = _canvas(path)
    page = Page(c)
    page.spaced(["示例区农业农村局", "2025", "年支出总表"], 150, 14)
    page.row([("单位：万元", 520, "r")])
    columns = [60, 125, 390, 465, 540] if not wrap else [70, 150, 300, 400, 500]
    page.row([("科目编码", columns[0], "l"), ("科目名称", columns[1], "l"), ("合计", columns[2], "r"),
              ("基本支出", columns[3], "r"), ("项目支出", columns[4], "r")])
    for code, name, *amounts in _EXPENDITURE:
        lines = 1
        if wrap and len(name) > 5:
            name = "\n".join(name[k:k + 5] for k in range(0, len(name), 5))
            lines = name.count("\n") + 1
        page.row([(code, columns[0], "l"), (name, columns[1], "l")]
                 + [(a, x, "r") for a, x in zip(amounts, columns[2:]) if a], lines)
    page.spaced(["示例区农业农村局", "2025年一般公共预算“三公”经费支出表"], 110, 12)
    page.row([("单位：万元", 520, "r")])
    heads = [("合计", 80), ("因公出国（境）费", 160), ("公务用车购置及运行维护费", 300), ("公务接待费", 480)]
    page.row([(h, x, "c") for h, x in heads])
    page.row([("小计", 250, "c"), ("购置费", 310, "c"), ("运行维护费", 380, "c")])
    page.row([(a, x, "r") for a, x in zip(_SANGONG, [100, 200, 270, 330, 410, 500])])
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("wrap", [False, True], ids=["one-line-cells", "wrapped-cells"])
def test_a_title_whose_words_are_spaced_apart_ends_the_table_above_it(tmp_path, wrap):
    """LibreOffice prints a Word title paragraph between two borderless tables at the rows' pitch and in their
    type, its words set apart (东湖示范区农业农村局 | 2025 | 年支出总表): it was read as a row of the table above,
    and the next table's rows were appended to that table, verified (found by a new user: 支出总表 exported as
    收入总表 rows, the card appended to the 基本支出表 and lost)."""
    result = _read(_spaced_title_pdf(tmp_path / "spaced.pdf", wrap))
    expenditure = _values(result, "expenditure_summary")
    assert expenditure["213"] == {"total": "1234.56", "basic": "734.56", "project": "500.00"}
    assert expenditure["合计"]["total"] == "1368.06"
    assert "60.00" not in {v for row in expenditure.values() for v in row.values()}
    sangong = _values(result, "three_public_costs")
    assert list(sangong.values())[0]["total"] == "60.00"
    assert list(sangong.values())[0]["reception"] == "10.00"
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


def _overflowing_pdf(path: Path, ruled: bool) -> Path:
    """A spreadsheet printed without its row heights set: rows at the default pitch, a cell's text wrapped over
    two lines centred on its row, so its lines print over the rows above and below (over the rules, ``ruled``);
    in a narrow column two rows' wrapped names meet, the first one's tail printed over the second one's head
    (村局 over 东湖示范区…)."""
    c = _canvas(path)
    pitch, leading = 14.7, 12.6
    page = Page(c)
    rules: list[float] = []

    def grid(xs: list[float]) -> None:
        if ruled:
            c.setLineWidth(0.5)
            for y in rules:
                c.line(xs[0], page.height - y, xs[-1], page.height - y)
            for x in xs:
                c.line(x, page.height - rules[0], x, page.height - rules[-1])
        rules.clear()

    def row(cells: list[tuple[str, float, str]]) -> None:
        rules.extend([page.y - 2.1] if not rules else [])
        rules.append(page.y - 2.1 + pitch)
        for text, x, align in cells:
            parts = text.split("\n")
            for k, part in enumerate(parts):
                top = page.y + (k - (len(parts) - 1) / 2) * leading
                w = _width(part)
                left = x if align == "l" else x - w
                c.drawString(left, page.height - top - SIZE, part)
        page.y += pitch

    def title(text: str) -> None:
        page.y += pitch
        c.drawString(297 - _width(text) / 2, page.height - page.y - SIZE, text)
        page.y += pitch
        c.drawString(540 - _width("单位：万元"), page.height - page.y - SIZE, "单位：万元")
        page.y += pitch

    title("示例区农业农村局2025年支出总表")
    row([("科目编码", 60, "l"), ("科目名称", 125, "l"), ("合计", 330, "r"), ("基本支出", 420, "r"),
         ("一般公共预算\n项目支出", 510, "r")])
    names = {"2080505": "机关事业单位基本养老保\n险缴费支出"}
    for code, name, *amounts in _EXPENDITURE:
        row([(code, 60, "l"), (names.get(code, name), 125, "l")]
            + [(a, x, "r") for a, x in zip(amounts, [330, 420, 510]) if a])
    grid([55, 120, 260, 340, 430, 520])
    title("示例区农业农村局2025年项目支出表")
    row([("单位名称", 60, "l"), ("项目名称", 150, "l"), ("合计", 360, "r"), ("一般公共预算拨款", 480, "r")])
    for unit, project, amount in [("示例区农业农村局", "高标准农田建设项目", "300.00"),
                                  ("示例区农业农村局", "农业技术推广项目", "200.00"), ("", "合计", "500.00")]:
        unit = unit and "示例区农业农\n村局"
        row([(unit, 60, "l"), (project, 150, "l"), (amount, 360, "r"), (amount, 480, "r")])
    grid([55, 145, 280, 370, 490])
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("ruled", [False, True], ids=["borderless", "ruled"])
def test_wrapped_text_printed_over_the_next_row_stays_in_its_own_row(tmp_path, ruled):
    """LibreOffice prints a spreadsheet's wrapped cells over the rows above and below when the row heights are not
    set. Borderless, the overlapping lines were read as one line (208052080505221 | …缴费支出住房保障支出 |
    88.2088.2045.30), and the project rows as part of the header (300.00200.00合计): four printed amounts in no
    value and no flag. Ruled, a line printed across a rule went to the cell its middle fell in: a garbled column
    key (合计/本年收入一般公共预算拨款…), row labels cut in two (…保险缴 | 费支出), 12 false sum errors."""
    result = _read(_overflowing_pdf(tmp_path / "overflow.pdf", ruled))
    expenditure = _values(result, "expenditure_summary")
    assert expenditure["2080505"] == {"total": "133.50", "basic": "133.50"}
    assert expenditure["20805"] == {"total": "133.50", "basic": "133.50"}
    assert expenditure["213"] == {"total": "1234.56", "basic": "734.56", "project": "500.00"}
    table = next(t for t in result.tables if t.kind == "expenditure_summary")
    assert table.columns["project"].replace("\n", "") == "一般公共预算项目支出", table.columns
    label = next(r.label.text for r in table.rows if r.code == "2080505")
    assert label.replace("\n", "") == "机关事业单位基本养老保险缴费支出"
    projects = next(t for t in result.tables if t.kind == "project_expenditure")
    # The unit's name, wrapped over two lines, stays whole in its own row (the row is labelled by its project).
    assert [r.label.text.replace("\n", "") for r in projects.rows if r.label][:2] == ["高标准农田建设项目", "农业技术推广项目"]
    assert [r.texts["project_unit"].text.replace("\n", "") for r in projects.rows[:2]] == ["示例区农业农村局"] * 2
    printed = sorted(str(v.value) for r in projects.rows for v in r.values.values())
    assert printed == ["200.00", "200.00", "300.00", "300.00", "500.00", "500.00"]
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


def _columns_over_pages_pdf(path: Path, repeat_labels: bool) -> Path:
    """A ruled sheet wider than the page, printed without fitting it to the width: the 项目支出 column on the next
    page, on the same rows (``repeat_labels``: the code and name columns printed again, a sheet's 打印标题列), the
    title's merged cell printed whole on the first page and its tail again on the next (2025年支出总表)."""
    c = _canvas(path)
    height, pitch = 842.0, 15.0
    head = [("科目编码", "科目名称", "合计", "基本支出", "项目支出")]
    rows = head + [tuple(r) for r in _EXPENDITURE]
    rules = [100.0 + k * pitch for k in range(len(rows) + 1)]

    def part(columns: list[int], xs: list[float], title: str, unit: bool) -> None:
        c.setFont(FONT, 14)
        c.drawString(xs[-1] - _width(title, 14) if unit else 300 - _width(title, 14) / 2, height - 70, title)
        c.setFont(FONT, SIZE)
        if unit:
            c.drawString(xs[-1] - _width("单位：万元"), height - 90, "单位：万元")
        c.setLineWidth(0.5)
        for y in rules:
            c.line(xs[0], height - y, xs[-1], height - y)
        for x in xs:
            c.line(x, height - rules[0], x, height - rules[-1])
        for k, row in enumerate(rows):
            for col, left, right in zip(columns, xs, xs[1:]):
                text = row[col]
                x = right - 3 - _width(text) if k and col >= 2 else left + 3
                c.drawString(x, height - rules[k] - 11.5, text)
        c.showPage()

    part([0, 1, 2, 3], [54, 130, 330, 430, 530], "示例区农业农村局2025年支出总表", False)
    part([0, 1, 4] if repeat_labels else [4], [54, 130, 330, 430] if repeat_labels else [54, 154], "2025年支出总表", True)
    c.save()
    return path


@pytest.mark.parametrize("repeat_labels", [False, True], ids=["figures-only", "labels-repeated"])
def test_a_sheets_columns_printed_on_the_next_page_are_the_same_tables(tmp_path, repeat_labels):
    """LibreOffice prints the columns of a sheet wider than the page on the following page, on the same rows. Each
    part was read as a table of its own: 14 row-sum errors saying the document does not add up (合计 1234.56 ≠
    基本支出 734.56), and the title's cut half (2025年支出总表) flagged as a table that could not be read."""
    result = _read(_columns_over_pages_pdf(tmp_path / "wide.pdf", repeat_labels))
    expenditure = _values(result, "expenditure_summary")
    assert expenditure["213"] == {"total": "1234.56", "basic": "734.56", "project": "500.00"}
    assert expenditure["2130153"] == {"total": "500.00", "project": "500.00"}
    assert expenditure["合计"] == {"total": "1368.06", "basic": "868.06", "project": "500.00"}
    table = next(t for t in result.tables if t.kind == "expenditure_summary")
    cell = table.rows[1].values["project"]
    assert result.geometry.boxes(tuple(cell.span))[0].page == 2  # printed on the second page, boxed there
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


def _same_rows_next_page_pdf(path: Path, numbered: bool) -> Path:
    """A ruled 收入总表 and, on the next page at the same row rules, the 支出总表 of the same 科目 (the two often list
    the same codes), each under its own title (``numbered``: 表2 / 表3 before the name, as many templates do)."""
    c = _canvas(path)
    height, pitch = 842.0, 15.0
    rules = [100.0 + k * pitch for k in range(len(_EXPENDITURE) + 2)]

    def page(title: str, head: tuple[str, ...], rows: list[tuple[str, ...]], xs: list[float]) -> None:
        c.setFont(FONT, 14)
        c.drawString(300 - _width(title, 14) / 2, height - 70, title)
        c.setFont(FONT, SIZE)
        c.setLineWidth(0.5)
        for y in rules:
            c.line(xs[0], height - y, xs[-1], height - y)
        for x in xs:
            c.line(x, height - rules[0], x, height - rules[-1])
        for k, row in enumerate([head, *rows]):
            for col, (text, left, right) in enumerate(zip(row, xs, xs[1:])):
                x = right - 3 - _width(text) if k and col >= 2 else left + 3
                c.drawString(x, height - rules[k] - 11.5, text)
        c.showPage()

    prefix = ("表2 ", "表3 ") if numbered else ("", "")
    page(f"{prefix[0]}示例区农业农村局2025年收入总表", ("科目编码", "科目名称", "合计", "一般公共预算拨款"),
         [(code, name, total, total) for code, name, total, *_ in _EXPENDITURE], [54, 130, 330, 430, 530])
    page(f"{prefix[1]}示例区农业农村局2025年支出总表", ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
         _EXPENDITURE, [54, 130, 330, 400, 470, 540])
    c.save()
    return path


@pytest.mark.parametrize("numbered", [False, True], ids=["titles", "numbered-titles"])
def test_a_table_with_its_own_title_on_the_next_page_is_not_the_columns_of_the_one_before(tmp_path, numbered):
    """The columns of a sheet wider than the page are joined to the table on the page before when they print its
    rows again; a 支出总表 under its own title (表3 部门支出总表) on the same rows as the 收入总表 before it is no such
    part: it was joined as three more columns of the 收入总表 — 18 row-sum errors blaming the document and the
    支出总表 reported missing (found by a new user)."""
    result = _read(_same_rows_next_page_pdf(tmp_path / "two.pdf", numbered))
    expenditure = _values(result, "expenditure_summary")
    assert expenditure["213"] == {"total": "1234.56", "basic": "734.56", "project": "500.00"}
    income = next(t for t in result.tables if t.kind == "income_summary")
    assert all(set(r.values) <= {"total", "general_budget"} for r in income.rows), income.columns
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


_BASIC = [("", "合计", "868.06", "718.00", "150.06"), ("301", "工资福利支出", "700.00", "700.00", ""),
          ("30101", "基本工资", "700.00", "700.00", ""), ("302", "商品和服务支出", "150.06", "", "150.06"),
          ("30201", "办公费", "150.06", "", "150.06"), ("303", "对个人和家庭的补助", "18.00", "18.00", ""),
          ("30305", "生活补助", "18.00", "18.00", "")]


def _two_up_pdf(path: Path) -> Path:
    """Two A4 pages printed side by side on one landscape sheet (2-up), each with its title, its table and its
    page number (- 2 -, - 3 -) at the same heights as the other's."""
    from reportlab.lib.pagesizes import A4, landscape

    c = _canvas(path, landscape=True)
    width, height = landscape(A4)
    size = 7.5

    def half(left: float, title: str, head: list[str], rows: list[tuple], number: int) -> None:
        xs = [left + 20, left + 70, left + 190, left + 260, left + 330]
        c.setFont(FONT, 11)
        c.drawString(left + 210 - _width(title, 11) / 2, height - 60, title)
        c.setFont(FONT, size)
        c.drawString(xs[-1] - _width("单位：万元", size), height - 78, "单位：万元")
        for k, row in enumerate([tuple(head)] + rows):
            y = height - 95 - k * 14
            for col, text in enumerate(row):
                x = xs[col] if col < 2 else xs[col] + 60 - _width(text, size)  # figures flush right
                c.drawString(x, y, text)
        c.drawString(left + 210 - _width(f"- {number} -", size) / 2, 25, f"- {number} -")

    half(0, "示例区农业农村局2025年支出总表", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"], _EXPENDITURE, 2)
    half(width / 2, "示例区农业农村局2025年一般公共预算基本支出表", ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
         _BASIC, 3)
    c.showPage()
    c.save()
    return path


def test_two_pages_printed_side_by_side_on_one_sheet_are_read_one_after_the_other(tmp_path):
    """A 2-up print (two pages per landscape sheet): its lines were read across both halves, the right page's title
    joined to the left one's (read as a contents entry), its table lost and the file reported truncated, and the
    left page's number read as a value of the right page's table."""
    result = _read(_two_up_pdf(tmp_path / "two_up.pdf"))
    expenditure = _values(result, "expenditure_summary")
    assert expenditure["213"] == {"total": "1234.56", "basic": "734.56", "project": "500.00"}
    basic = _values(result, "general_budget_basic_expenditure")
    assert basic["301"] == {"total": "700.00", "personnel": "700.00"}
    assert basic["合计"] == {"total": "868.06", "personnel": "718.00", "public": "150.06"}
    assert result.geometry.pages[0].label == "- 2 - / - 3 -"
    assert not [f for f in result.flags if f.severity == "error" or f.check.startswith("read.")], \
        [f.message for f in result.flags]


def _top_aligned_header_pdf(path: Path) -> Path:
    """A Word 项目支出表 through LibreOffice, borderless: each header cell at the top of its row, one of them wrapped
    (一般公共预算拨 / 款), and the last column (上年结转) empty in every row."""
    c = _canvas(path)
    page = Page(c)
    page.row([("示例区农业农村局2025年项目支出表", 300, "c")])
    page.row([("单位：万元", 520, "r")])
    columns = [90, 176.5, 263, 349.5, 436]  # LibreOffice's, names wrapped at seven characters
    page.row([("单位名称", columns[0], "l"), ("项目名称", columns[1], "l"), ("合计", columns[2], "l"),
              ("一般公共预算拨\n款", columns[3], "l"), ("上年结转", columns[4], "l")], lines=2, top=True)
    for unit, name, amount in [("示例区农业农\n村局", "高标准农田建设\n项目", "300.00"),
                               ("示例区农业农\n村局", "农业技术推广项\n目", "200.00"), ("", "合计", "500.00")]:
        page.row([(unit, columns[0], "l"), (name, columns[1], "l"), (amount, columns[2], "l"),
                  (amount, columns[3], "l")], lines=name.count("\n") + 1, top=True)
    c.showPage()
    c.save()
    return path


def test_a_header_word_over_an_empty_column_beside_a_wrapped_one_heads_its_own_column(tmp_path):
    """Word sets a table's cells at the top of their row: beside a wrapped header cell (一般公共预算拨 / 款) the
    one-line 上年结转 stood higher, was taken for a word over two levels, and headed the figures' column: the
    一般公共预算拨款 figures were verified as 上年结转's (found by a new user in a LibreOffice PDF of a .docx)."""
    result = _read(_top_aligned_header_pdf(tmp_path / "top.pdf"))
    table = next(t for t in result.tables if t.kind == "project_expenditure")
    projects = {row.label.text: {k: str(v.value) for k, v in row.values.items()} for row in table.rows}
    assert projects == {"高标准农田建设项目": {"total": "300.00", "current_general_budget": "300.00"},
                        "农业技术推广项目": {"total": "200.00", "current_general_budget": "200.00"},
                        "合计": {"total": "500.00", "current_general_budget": "500.00"}}
    assert not [k for row in table.rows for k in row.values if "carryover" in k]


def _tight_header_pdf(path: Path) -> Path:
    """Borderless tables from a spreadsheet whose rows have little padding: a 支出总表, then the one-line “三公”
    table, its header's words a couple of points above its row of figures (merged header cells, their words centred
    low in them)."""
    c = _canvas(path)
    height = 842.0

    def at(y: float, cells: list[tuple[str, float]]) -> None:
        for text, right in cells:
            c.drawString(right - _width(text), height - y - SIZE, text)

    def title(y: float, text: str) -> None:
        c.setFont(FONT, 14)
        c.drawString(150, height - y - 14, text)
        c.setFont(FONT, SIZE)
        at(y + 25, [("单位：万元", 540)])

    title(70, "示例区农业农村局2025年支出总表")
    columns = [110, 330, 400, 470, 540]
    at(115, [("科目编码", columns[0]), ("科目名称", columns[1]), ("合计", columns[2]), ("基本支出", columns[3]),
             ("项目支出", columns[4])])
    y = 115 + SIZE + 6
    for code, name, *amounts in _EXPENDITURE:
        at(y, [(code, columns[0]), (name, columns[1])] + [(a, x) for a, x in zip(amounts, columns[2:]) if a])
        y += SIZE + 6
    title(y + 20, "示例区农业农村局2025年一般公共预算“三公”经费支出表")
    heads = [("合计", 120), ("因公出国（境）费", 220), ("公务用车购置费", 320), ("公务用车运行维护费", 440), ("公务接待费", 540)]
    at(y + 70, heads)
    at(y + 70 + SIZE + 2, [(a, x) for a, (_, x) in zip(["60.00", "0.00", "0.00", "50.00", "10.00"], heads)])
    c.showPage()
    c.save()
    return path


def test_a_header_word_set_just_above_the_first_figures_is_not_wrapped_onto_them(tmp_path):
    """A header word over an amount a couple of points below it was taken for a cell wrapped onto its next line
    (公务接待费 / 10.00): the header and the row of figures became one row, and the table could not be read (a
    LibreOffice PDF of a borderless .xlsx: its 三公 table was unread). A label does not wrap into an amount."""
    result = _read(_tight_header_pdf(tmp_path / "tight.pdf"))
    sangong = list(_values(result, "three_public_costs").values())
    assert sangong == [{"total": "60.00", "outbound": "0.00", "vehicle_purchase": "0.00",
                        "vehicle_operation": "50.00", "reception": "10.00"}]
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]
