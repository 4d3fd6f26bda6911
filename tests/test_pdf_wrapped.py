"""Borderless tables whose cells wrap (extractor/load/wrapped.py), on glyphs placed here by hand.

Each test lays out characters as a PDF would print them (10 pt type, a wrapped cell's lines 12 pt apart,
rows 6 pt of padding apart) and checks the rows and cells the loader makes of them. The full-size cases,
the corpus printed by reportlab and chromium, are in test_pdf.py and test_browser_pdf.py.
"""

from __future__ import annotations

import pytest

from extractor.load.canonical import Glyph, TextBuilder
from extractor.load.layout import group_lines, write_table
from extractor.load.wrapped import pieces, wrapped_tables

SIZE = 10.0


def glyphs(text: str, x: float, top: float, space_glyphs: bool = True) -> list[Glyph]:
    """``text`` from ``x`` on one line: CJK characters a full size wide, others half; a space printed as a
    glyph unless ``space_glyphs`` is false (then it is only a gap)."""
    out, at = [], x
    for ch in text:
        width = SIZE if ord(ch) > 0x2E80 else SIZE / 2
        if ch != " " or space_glyphs:
            out.append(Glyph(ch, at, top, at + width, top + SIZE, SIZE, (at, top, at + width, top + SIZE)))
        at += width
    return out


def column(texts: list[str], x: float, top: float, pitch: float = 12.0) -> list[Glyph]:
    """A cell's wrapped lines, one under another."""
    return [g for i, t in enumerate(texts) for g in glyphs(t, x, top + i * pitch)]


def table_text(all_glyphs: list[Glyph]) -> str:
    tables, _ = wrapped_tables(group_lines(all_glyphs))
    assert len(tables) == 1
    out = TextBuilder()
    write_table(out, tables[0], 1)
    return out.text()


def test_a_label_printed_one_character_a_line_is_one_cell_beside_its_centred_value():
    # 项目编码 in a narrow column, one character a line; the code and the name beside it centred in the row.
    page = (column(list("项目编码"), 10, 100) + glyphs("13108224P000", 40, 118)
            + glyphs("项目名称", 120, 118) + column(["村卫生室", "网络经费"], 170, 112)
            # the next row, after the row's padding
            + glyphs("预算数", 10, 154) + glyphs("8.23", 50, 154) + glyphs("其中：财政资金", 100, 154) + glyphs("8.23", 180, 154))
    rows = table_text(page).strip().split("\n")
    assert rows == ["项目编码\t13108224P000\t项目名称\t村卫生室网络经费", "预算数\t8.23\t其中：财政资金\t8.23"]


def test_rows_apart_by_their_padding_stay_apart_and_paragraphs_stay_out():
    page = (glyphs("绩效目标表", 10, 60) + glyphs("单位：万元", 10, 78)  # a title and a unit line: not the table
            + column(["数量", "指标"], 10, 100) + glyphs("保洁人员数量", 60, 106) + glyphs("≤4人", 160, 106)
            + column(["质量", "指标"], 10, 130) + glyphs("工资足额发放率", 60, 136) + glyphs("100%", 160, 136))
    rows = table_text(page).strip().split("\n")
    assert rows == ["数量指标\t保洁人员数量\t≤4人", "质量指标\t工资足额发放率\t100%"]
    _, rest = wrapped_tables(group_lines(page))
    assert [line.text() for line in rest] == ["绩效目标表", "单位：万元"]


def test_a_table_whose_cells_keep_to_one_line_is_left_to_the_space_aligned_reader():
    page = (glyphs("科目编码", 10, 100) + glyphs("科目名称", 60, 100) + glyphs("合计", 160, 100)
            + glyphs("208", 10, 116) + glyphs("社会保障和就业支出", 60, 116) + glyphs("5.00", 160, 116))
    tables, rest = wrapped_tables(group_lines(page))
    assert tables == [] and len(rest) == 2


def test_a_centred_group_word_heads_the_leaf_columns_under_it_from_the_first():
    # 合计 is printed over both header rows (centred lower than 本年收入, higher than the leaves); 本年收入
    # is centred over 小计 and 财政拨款; the body's amounts are right-aligned in their columns.
    page = (glyphs("本年收入", 115, 100) + glyphs("科目", 10, 108) + glyphs("合计", 60, 108)
            + glyphs("小计", 100, 116) + glyphs("财政拨款", 140, 116)
            + column(["卫生健", "康支出"], 10, 130) + glyphs("9682.62", 50, 136) + glyphs("9682.62", 90, 136)
            + glyphs("9682.62", 140, 136))
    rows = table_text(page).strip().split("\n")
    assert rows == ["科目\t合计\t本年收入\t", "\t\t小计\t财政拨款", "卫生健康支出\t9682.62\t9682.62\t9682.62"]


def test_a_line_cut_where_no_space_was_printed_and_kept_where_one_was():
    spaced = group_lines(glyphs("3 月底", 10, 100))[0]
    assert len(pieces(spaced)) == 1
    set_close = group_lines(glyphs("5 6", 10, 100, space_glyphs=False))[0]  # two narrow columns' numbers
    assert [p.text() for p in pieces(set_close)] == ["5", "6"]


def test_characters_printed_one_above_another_are_not_read_as_one_line():
    # Cells centred at many heights chain the overlap that makes a line: 物品 over 名称 must not read 物名品称.
    page = (glyphs("物品", 10, 100) + glyphs("单", 60, 105) + glyphs("名称", 10, 110) + glyphs("价", 60, 115)
            + glyphs("复印纸", 10, 140) + glyphs("3.09", 60, 140))
    text = table_text(page)
    assert "物品名称" in text and "单价" in text and "物名" not in text


def test_rows_set_with_little_padding_are_told_apart_by_the_values_in_them():
    # A browser's default padding: rows 4 pt apart, a wrapped cell's lines 1.5 pt apart (found by a new user:
    # every row of such a table ran into one). Two amounts one above the other are two rows, and their gap
    # is the page's row gap; a wrapped name's lines sit closer than that.
    row = SIZE + 4.0
    page = (glyphs("科目名称", 10, 100) + glyphs("合计", 110, 100) + glyphs("小计", 160, 100)
            + column(["机关事业单位基本养", "老保险缴费支出"], 10, 100 + row, pitch=SIZE + 1.5)
            + glyphs("50.00", 110, 100 + row + 5.75) + glyphs("50.00", 160, 100 + row + 5.75))
    top = 100 + row + (SIZE + 1.5) + row  # under the wrapped row's second line, 4 pt of padding on
    for k, (name, a, b) in enumerate([("行政运行", "600.00", "580.00"), ("医疗救助", "400.00", "365.44"),
                                      ("信息化建设", "11.00", "11.00"), ("其他支出", "20.00", "20.00")]):
        page += glyphs(name, 10, top + k * row) + glyphs(a, 110, top + k * row) + glyphs(b, 160, top + k * row)
    rows = table_text(page).strip().split("\n")
    assert rows == ["科目名称\t合计\t小计", "机关事业单位基本养老保险缴费支出\t50.00\t50.00",
                    "行政运行\t600.00\t580.00", "医疗救助\t400.00\t365.44", "信息化建设\t11.00\t11.00",
                    "其他支出\t20.00\t20.00"]


def test_a_title_set_close_above_a_table_stays_out_of_it():
    # A title and unit line set tight above the header, in the table's type: never a header word or a
    # cell's first line (found by a new user: 一般公共预算支出表's title glued into the header, its rows
    # then read into the table before it).
    page = (glyphs("测试县2025年一般公共预算支出表", 30, 88) + glyphs("单位：万元", 10, 100)
            + column(["科目", "名称"], 10, 112) + glyphs("合计", 110, 118)
            + glyphs("卫生健康支出", 10, 140) + glyphs("1180.00", 110, 140))
    tables, rest = wrapped_tables(group_lines(page))
    assert [line.text() for line in rest] == ["测试县2025年一般公共预算支出表", "单位：万元"]
    out = TextBuilder()
    write_table(out, tables[0], 1)
    assert out.text().strip().split("\n") == ["科目名称\t合计", "卫生健康支出\t1180.00"]


def test_cells_set_close_without_a_space_are_cut_apart():
    # 1 px of padding each side: a code touches its name, one column's amount the next one's.
    line = group_lines(glyphs("2101101", 10, 100) + glyphs("行政单位医疗", 46.5, 100)
                       + glyphs("234.56", 108, 100) + glyphs("234.56", 139.5, 100))[0]
    assert [p.text() for p in pieces(line)] == ["2101101", "行政单位医疗", "234.56", "234.56"]


def test_a_browsers_footer_in_smaller_type_does_not_join_the_table_above_it():
    # Found by a new user: chromium's footer (the address and "1/3", 8 pt) set close under a table's last
    # row became a row of it, so it was not taken out as a running line and cut the table off from its
    # 合计 on the next page.
    from extractor.load.borderless import borderless_runs

    page = (glyphs("行政运行", 10, 100) + glyphs("600.00", 110, 100) + glyphs("580.00", 160, 100)
            + glyphs("医疗救助", 10, 116) + glyphs("400.00", 110, 116) + glyphs("365.44", 160, 116))
    footer = [Glyph(g.text, g.x0, 140, g.x1 * 0.8 + g.x0 * 0.2, 148, 8.0, g.box) for g in glyphs("file:///a.html", 10, 140)]
    footer += [Glyph(g.text, g.x0, 140, g.x1, 148, 8.0, g.box) for g in glyphs("1/3", 170, 140)]
    blocks, rest = borderless_runs(group_lines(page + footer))
    assert len(blocks) == 1 and len(blocks[0].lines) == 2
    assert len(rest) == 1 and rest[0].text().startswith("file:///a.html")


def _columns_of(line: str, word: str, last: bool = False) -> range:
    """The character columns ``word`` takes in a space-aligned line (a CJK character two wide)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)

    at = width(line[:line.rindex(word) if last else line.index(word)])
    return range(at, at + width(word))


def test_a_header_centred_in_a_wide_column_is_written_over_its_flush_cells():
    # A browser's landscape table: headers centred in wide columns (th), codes right-aligned under 科目编码,
    # names set from their column's left edge, amounts right-aligned: where they stand, 科目名称 is over no name
    # and the names are under the group word above, so the space-aligned reader keyed them under it.
    from extractor.load.borderless import borderless_runs
    from extractor.load.layout import write_spaced_lines
    from extractor.load.wrapped import centred_heads

    page = (glyphs("经济分类科目", 130, 84) + glyphs("基本支出", 330, 84)
            + glyphs("科目编码", 20, 100) + glyphs("科目名称", 180, 100) + glyphs("合计", 320, 100)
            + glyphs("人员经费", 380, 100))
    for k, (code, name, amount) in enumerate([("301", "工资福利支出", "520.64"), ("30101", "基本工资", "181.28"),
                                              ("30102", "津贴补贴", "30.47")]):
        top = 116 + 16 * k
        page += glyphs(code, 100 - 5 * len(code), top) + glyphs(name, 106, top) \
            + glyphs(amount, 370 - 5 * len(amount), top) + glyphs(amount, 440 - 5 * len(amount), top)
    blocks, rest = borderless_runs(group_lines(page))
    assert len(blocks) == 1 and rest == []
    moves = centred_heads(blocks[0].lines)
    out = TextBuilder()
    write_spaced_lines(out, blocks[0].lines, 1, moves)
    header, *body = out.text().split("\n")[1:5]
    names = _columns_of(body[0], "工资福利支出")
    assert set(_columns_of(header, "科目名称")) & set(names)
    assert set(_columns_of(header, "科目编码")) & set(_columns_of(body[1], "30101"))
    assert set(_columns_of(header, "合计")) & set(_columns_of(body[0], "520.64"))
    assert set(_columns_of(header, "人员经费")) & set(_columns_of(body[0], "520.64", last=True))
    # Each character keeps its box on the page: only where it is written moved.
    assert {id(g) for g in page if g.text in "科目名称"} & set(moves)
    # Without the move, 科目名称 stands over no name.
    plain = TextBuilder()
    write_spaced_lines(plain, blocks[0].lines, 1)
    header0, body0 = plain.text().split("\n")[1:3]
    assert not set(_columns_of(header0, "科目名称")) & set(_columns_of(body0, "工资福利支出"))


def test_a_header_alone_at_the_foot_of_a_page_under_its_title_is_a_table():
    # An empty table's header at the foot of a page, its note (本表无数据) on the next: written as a line of
    # text its cells ran together and the section read as flattened lines (completeness.unread).
    from extractor.load.borderless import borderless_runs

    page = (glyphs("政府购买服务支出表", 10, 60) + glyphs("单位：万元", 10, 78)
            + glyphs("项目名称", 10, 100) + glyphs("一级目录名称", 90, 100) + glyphs("购买数量", 200, 100)
            + glyphs("购买金额", 280, 100) + glyphs("—7—", 150, 160))
    blocks, rest = borderless_runs(group_lines(page))
    assert len(blocks) == 1 and [ln.text() for ln in blocks[0].lines] == ["项目名称一级目录名称购买数量购买金额"]
    assert [ln.text() for ln in rest] == ["政府购买服务支出表", "单位：万元", "—7—"]
    # A line of words apart in the middle of a page, under no title, stays text.
    blocks, _ = borderless_runs(group_lines(glyphs("项目名称", 10, 100) + glyphs("一级目录名称", 90, 100)
                                             + glyphs("购买数量", 200, 100) + glyphs("说明文字", 10, 130)))
    assert blocks == []


def test_a_space_printed_inside_a_header_cell_does_not_cut_it_in_two():
    # chromium prints the th text 一般公共预算 财政拨款 with its space; written so, the space-aligned reader took
    # 财政拨款 (over the right-aligned amounts) for the column's header and dropped 一般公共预算.
    from extractor.load.layout import write_spaced_lines

    page = (glyphs("合 计", 10, 100) + glyphs("一般公共预算 财政拨款", 60, 100)
            + glyphs("8.00", 20, 116) + glyphs("8.00", 145, 116)
            + glyphs("5.00", 20, 132) + glyphs("5.00", 145, 132))
    out = TextBuilder()
    write_spaced_lines(out, group_lines(page), 1)
    header = out.text().split("\n")[0]
    assert header.split() == ["合计", "一般公共预算财政拨款"]
    # Two cells set close with no space printed between them stay two words.
    out = TextBuilder()
    write_spaced_lines(out, group_lines(glyphs("合 计", 10, 100, space_glyphs=False)
                                        + glyphs("8.00", 20, 116) + glyphs("5.00", 20, 132)), 1)
    assert out.text().split("\n")[0].split() == ["合", "计"]


def test_a_leaf_over_no_column_does_not_take_the_column_of_a_word_over_both_header_rows():
    # 序号 (one character a line) stands over both header rows, over the row numbers; 项目 and 金额 (income side, empty on this page)
    # head no printed cell. 项目 went to the nearest column no leaf headed, 序号's, and the 栏次 row's 1 with it.
    page = (column(["序", "号"], 10, 96, pitch=11) + glyphs("项目", 60, 110) + glyphs("金额", 110, 110)
            + glyphs("项目", 200, 110)
            + glyphs("15", 12, 136) + column(["十五、资源勘探工业", "信息等支出"], 160, 130)
            + glyphs("16", 12, 160) + glyphs("十六、商业服务业", 160, 160))
    rows = [row.split("\t") for row in table_text(page).strip().split("\n")]
    assert rows == [["序号", "项目", "金额", "项目"], ["15", "", "", "十五、资源勘探工业信息等支出"],
                    ["16", "", "", "十六、商业服务业"]]


def test_a_group_row_printed_again_above_a_repeated_header_goes_with_it():
    # Two parts of a table on one page, each with its two header rows (收入 … 支出 over 项目 金额 项目 合计):
    # the second part's group row was read as the last row of the first.
    def part(top: float, rows: list[tuple[str, str]]) -> list[Glyph]:
        out = glyphs("收入", 40, top) + glyphs("支出", 160, top)
        out += glyphs("项目", 10, top + 16) + glyphs("金额", 70, top + 16) + glyphs("项目", 130, top + 16) \
            + glyphs("合计", 220, top + 16)
        for k, (name, amount) in enumerate(rows):
            out += column([name[:4], name[4:]], 130, top + 36 + 30 * k) + glyphs(amount, 220, top + 42 + 30 * k)
        return out

    page = part(100, [("十、卫生健康支出", "9.00"), ("十一、节能环保支出", "8.00")]) \
        + part(200, [("十二、城乡社区支出", "7.00")])
    tables, _ = wrapped_tables(group_lines(page))
    assert len(tables) == 2
    texts = []
    for table in tables:
        out = TextBuilder()
        write_table(out, table, 1)
        texts.append(out.text().strip().split("\n"))
    assert texts[0] == ["收入\t\t支出\t", "项目\t金额\t项目\t合计", "\t\t十、卫生健康支出\t9.00",
                        "\t\t十一、节能环保支出\t8.00"]
    assert texts[1] == ["收入\t\t支出\t", "项目\t金额\t项目\t合计", "\t\t十二、城乡社区支出\t7.00"]


def test_a_header_printed_again_over_a_continued_borderless_table_is_taken_out():
    # A browser repeats <thead> at the top of the next page. Left in, the reader took the continuation's first
    # row (no amount) for the tail of the last row before the break (本年收入小计上年结转数).
    from extractor.load.pdf import layout_page, write_pages
    from schemas import PageInfo

    def header(top: float) -> list[Glyph]:
        return (glyphs("项目", 10, top) + glyphs("预算数", 110, top) + glyphs("项目", 160, top)
                + glyphs("预算数", 260, top))

    first = header(100) + glyphs("一、本年收入", 10, 116) + glyphs("2805.56", 115, 116) \
        + glyphs("一、本年支出", 160, 116) + glyphs("2805.56", 265, 116) \
        + glyphs("本年收入小计", 10, 132) + glyphs("2805.56", 115, 132) \
        + glyphs("本年支出小计", 160, 132) + glyphs("2805.56", 265, 132)
    # The continuation prints only on the expenditure side: written from its own left edge, its cells would
    # stand in the income side's columns.
    then = header(40) + glyphs("结转下年", 160, 56) + glyphs("年末结余", 160, 72) + glyphs("0.00", 275, 72)
    read = [(1, layout_page(first, [])), (2, layout_page(then, []))]
    out = TextBuilder()
    write_pages(out, read, [PageInfo(number=n, width=400, height=600) for n in (1, 2)])
    text = out.text()
    table, rest = text.split("结转下年")
    assert table.count("预算数") == 2 and rest.count("预算数") == 2  # the header once in place, then once after
    lines = text.split("\n")
    last = next(ln for ln in lines if "本年支出小计" in ln)
    carried = next(ln for ln in lines if "结转下年" in ln)
    assert _columns_of(carried, "结转下年")[0] == _columns_of(last, "本年支出小计")[0]


def test_codes_set_flush_left_and_flush_right_in_one_column_are_written_alike():
    # A spreadsheet's codes stored as numbers print flush right, those stored as text (2080502 with a space)
    # flush left; written where they stand they were two columns, one headed by nothing (列3), and the short
    # codes were read as amounts.
    from extractor.load.borderless import borderless_runs
    from extractor.load.layout import write_spaced_lines
    from extractor.load.wrapped import centred_heads

    page = glyphs("科目编码", 30, 100) + glyphs("科目名称", 100, 100) + glyphs("合计", 240, 100)
    for k, (code, flush_left, name, amount) in enumerate([
            ("208", False, "社会保障和就业支出", "207.69"), ("20805", False, "行政事业单位养老支出", "207.69"),
            ("208050 2", True, "事业单位离退休", "50.36"), ("210", False, "卫生健康支出", "2106.10")]):
        top = 116 + 16 * k
        x = 20 if flush_left else 90 - 5 * len(code)
        page += glyphs(code, x, top) + glyphs(name, 100, top) + glyphs(amount, 270 - 5 * len(amount), top)
    blocks, _ = borderless_runs(group_lines(page))
    assert len(blocks) == 1
    out = TextBuilder()
    write_spaced_lines(out, blocks[0].lines, 1, centred_heads(blocks[0].lines))
    body = out.text().split("\n")[1:5]
    ends = {_columns_of(line, code)[-1] for line, code in zip(body, ["208", "20805", "208050 2", "210"])}
    assert len(ends) == 1
    plain = TextBuilder()
    write_spaced_lines(plain, blocks[0].lines, 1)
    body = plain.text().split("\n")[1:5]
    assert len({_columns_of(line, code)[-1] for line, code in zip(body, ["208", "20805", "208050 2", "210"])}) == 2


def test_rows_set_on_other_columns_right_under_a_table_start_a_table_of_their_own():
    # A card's indicators drawn as a table of their own (other column widths) right under its head: read as
    # one table, a name and its description shared a column (符合资助参保条件的城乡居民参保率 反映…).
    head = []
    for k, cells in enumerate([("项目编码", "P001", "项目名称", "医疗救助"), ("预算数", "280", "财政资金", "280.00"),
                               ("一级指标", "二级指标", "三级指标", "指标值")]):
        head += [g for x, text in zip((10, 70, 150, 230), cells) for g in glyphs(text, x, 100 + 16 * k)]
    head += column(["资金", "用途"], 10, 148) + glyphs("救助", 70, 154) + glyphs("城乡居民", 150, 154) \
        + glyphs("100%", 230, 154)
    rows = []
    for k, (name, text, value) in enumerate([("参保率", "反映参保率", "100"), ("救助支出", "困难群众救助", "336"),
                                             ("满意率", "反映满意度", "90")]):
        rows += [g for x, t in zip((20, 50, 110, 190, 250), ("指标", name, text, "≥", value))
                 for g in glyphs(t, x, 180 + 16 * k)]
    tables, _ = wrapped_tables(group_lines(head + rows))
    assert len(tables) == 2
    out = TextBuilder()
    write_table(out, tables[1], 1)
    assert out.text().strip().split("\n") == ["指标\t参保率\t反映参保率\t≥\t100", "指标\t救助支出\t困难群众救助\t≥\t336",
                                              "指标\t满意率\t反映满意度\t≥\t90"]


def _texts(tables) -> list[list[str]]:
    texts = []
    for table in tables:
        out = TextBuilder()
        write_table(out, table, 1)
        texts.append(out.text().strip().split("\n"))
    return texts


def _indicator(x: list[float], top: float, cells: tuple[str, ...]) -> list[Glyph]:
    """A card's indicator row: each cell wrapped at four characters, centred in the row's height."""
    out, lines = [], [[c[i:i + 4] for i in range(0, len(c), 4)] for c in cells]
    tall = max(len(ls) for ls in lines)
    for at, ls in zip(x, lines):
        out += column(ls, at, top + 6 * (tall - len(ls)))
    return out


def test_indicator_rows_sharing_their_level_and_basis_are_not_a_header_printed_again():
    # Three of five cells repeat the row above (时效指标 … 按时完成 年度工作计划): a header printed again repeats
    # all its words but one. Cut there, the rows below were written on other columns, a level and a name in one.
    x = [10, 60, 120, 180, 240]
    page = []
    for k, (name, text) in enumerate([("培训完成时间", "全部培训结束截止"), ("宣传资料投放时间", "所有资料印制完成"),
                                      ("按时完成培训", "规定时限内完成")]):
        page += _indicator(x, 100 + 30 * k, ("时效指标", name, text, "按时完成", "年度工作计划"))
    tables, _ = wrapped_tables(group_lines(page))
    assert len(tables) == 1
    assert _texts(tables)[0][1] == "时效指标\t宣传资料投放时间\t所有资料印制完成\t按时完成\t年度工作计划"


def test_rows_set_across_the_columns_above_start_a_table_with_their_header():
    # Two tables of a card one under the other on one page, each sized to its own text: the second's header is
    # centred over its own columns and its cells stand across the gaps between the first's. Read as one table,
    # the first's columns took 时效指标 and 宣传资料投放时间 into one cell, 指标值 and 指标值确定依据 into another.
    above = [10, 60, 120, 180, 240]
    page = []
    for k, (name, value) in enumerate([("资料投放时间", "≤3天"), ("按时完成培训", "≤5天")]):
        page += _indicator(above, 100 + 44 * k, ("时效指标", name, "规定时限内完成", value, "年度工作计划"))
    below = [35, 95, 155, 215, 270]
    page += [g for at, t in zip(below, ("二级指标", "三级指标", "指标说明", "指标值", "确定依据")) for g in glyphs(t, at, 200)]
    for k, (name, value) in enumerate([("参保群众投诉率", "<1%"), ("参训人员满意度", "≥90%")]):
        page += _indicator(below, 220 + 44 * k, ("满意度指标", name, "反映满意情况", value, "年度工作计划"))
    tables, _ = wrapped_tables(group_lines(page))
    texts = _texts(tables)
    assert len(texts) == 2
    assert texts[0][0] == "时效指标\t资料投放时间\t规定时限内完成\t≤3天\t年度工作计划"
    assert texts[1] == ["二级指标\t三级指标\t指标说明\t指标值\t确定依据",
                        "满意度指标\t参保群众投诉率\t反映满意情况\t<1%\t年度工作计划",
                        "满意度指标\t参训人员满意度\t反映满意情况\t≥90%\t年度工作计划"]


def test_rows_set_in_the_gap_between_the_columns_above_start_a_table_of_their_own():
    # A card's head spread over wide columns (its names far left, its figures far right), its indicators drawn
    # under it as a table of their own, in the gap between them: written in the head's columns they were spread
    # over columns no header names.
    page = []
    for k, cells in enumerate([("项目名称", "城乡医疗救助", "项目期", "1年"), ("年度资金总额", "1760.00", "财政拨款", "1760.00"),
                               ("一级指标", "二级指标", "三级指标", "指标值")]):
        page += [g for at, t in zip((10, 40, 300, 360), cells) for g in glyphs(t, at, 100 + 16 * k)]
    page += column(["资金", "用途"], 10, 148) + glyphs("救助", 40, 154) + glyphs("城乡居民", 300, 154) \
        + glyphs("100%", 360, 154)
    for k, (level, name, value) in enumerate([("质量指标", "合规费用救助比率", "≥70%"), ("时效指标", "救助资金使用年度", "2024年"),
                                              ("成本指标", "救助资金使用金额", "49650000元")]):
        page += [g for at, t in zip((120, 170, 260), (level, name, value)) for g in glyphs(t, at, 180 + 16 * k)]
    tables, _ = wrapped_tables(group_lines(page))
    texts = _texts(tables)
    assert len(texts) == 2
    assert texts[1] == ["质量指标\t合规费用救助比率\t≥70%", "时效指标\t救助资金使用年度\t2024年",
                        "成本指标\t救助资金使用金额\t49650000元"]


def test_a_table_set_apart_under_another_on_columns_partly_its_own_starts_a_table():
    # Under a card's head, after more space than between its rows, the rest of its indicators drawn as a
    # table of their own: its values line up with the head's, its levels and names do not.
    x = [10, 60, 200, 260]
    page = _indicator(x, 40, ("项目资金", "年度资金总额", "1760.00", "1760.00")) \
        + _indicator(x, 70, ("绩效指标", "一级指标", "三级指标名称", "指标值")) \
        + _indicator(x, 100, ("产出指标", "数量指标", "全年救助人数", "≥155000人次"))
    for k, (level, name, value) in enumerate([("质量指标", "合规费用救助比率", "≥70%"), ("时效指标", "救助资金使用年度", "2024年"),
                                              ("成本指标", "救助资金使用金额", "≥49650000元")]):
        page += [g for at, t in zip((100, 150, 260), (level, name, value)) for g in glyphs(t, at, 156 + 16 * k)]
    tables, _ = wrapped_tables(group_lines(page))
    texts = _texts(tables)
    assert len(texts) == 2
    assert texts[1] == ["质量指标\t合规费用救助比率\t≥70%", "时效指标\t救助资金使用年度\t2024年",
                        "成本指标\t救助资金使用金额\t≥49650000元"]


@pytest.mark.parametrize("stray", [False, True])
def test_rows_a_continuation_prints_again_on_other_columns_are_taken_out(stray):
    # A browser repeats a card's <thead> (项目名称, 主管部门) at the top of the next page, and sizes the part's
    # columns to its own text: the repeated rows cannot be matched column by column. Left in, they read as a
    # second card of the same name.
    from extractor.load.pdf import layout_page, write_pages
    from schemas import PageInfo

    def head(x: list[float], top: float) -> list[Glyph]:
        return _indicator(x, top, ("项目名称", "城乡医疗救助", "项目期", "1年")) \
            + _indicator(x, top + 30, ("主管部门及代码", "泗县医疗保障局", "实施单位", "医保中心"))

    first = head([10, 80, 200, 260], 100) + _indicator([10, 80, 200, 260], 160, ("年度资金总额", "1760.00", "财政拨款", "1760.00"))
    if stray:  # a level alone in the last row, left out of the table at the page's foot
        first += glyphs("生态效益指标", 80, 190)
    then = head([10, 120, 220, 300], 40) + _indicator([10, 120, 220, 300], 100, ("年度目标", "减轻就医负担", "指标值", "≥85%"))
    read = [(1, layout_page(first, [])), (2, layout_page(then, []))]
    out = TextBuilder()
    write_pages(out, read, [PageInfo(number=n, width=400, height=600) for n in (1, 2)])
    text = out.text()
    body, after = text.split("≥85%")
    assert body.count("城乡医疗救助") == 1 and body.count("主管部门") == 1
    assert after.count("城乡医疗救助") == 1  # kept, after the document's text


def test_a_row_printed_again_over_a_two_level_header_keeps_its_own_row():
    # At the top of a page, a browser prints a card's first row again (its <thead>) right over its indicators'
    # two-level header (指标值 over 符号 值 单位). Taken for the header's top level, its words were written into
    # the cells of 一级指标, 二级指标 … (一级指标项目编码).
    page = [g for at, t in zip((10, 60, 150, 205), ("项目编码", "P0010003K", "项目名称", "城乡居民医疗救助"))
            for g in glyphs(t, at, 40)]
    page += [g for at, t in zip((10, 60, 110, 175, 290), ("一级指标", "二级指标", "三级指标", "指标值", "确定依据"))
             for g in glyphs(t, at, 56)]
    page += [g for at, t in zip((175, 215, 245), ("符号", "值", "单位")) for g in glyphs(t, at, 72)]
    for k, (name, cmp, value, unit) in enumerate([("医疗救助人数", "≥", "2000", "人"), ("资助参保人数", "≥", "9625", "人")]):
        page += _indicator([10, 60, 110, 175, 215, 245, 290], 90 + 30 * k,
                           ("产出指标", "数量指标", name, cmp, value, unit, "初步统计数据"))
    tables, _ = wrapped_tables(group_lines(page))
    rows = [row.split("\t") for text in _texts(tables) for row in text]
    cells = [c for row in rows for c in row]
    assert "项目编码" in cells and "一级指标" in cells and "城乡居民医疗救助" in cells
    assert not any("项目编码" in c and c != "项目编码" for c in cells)
    assert not any("指标值" in c and c != "指标值" for c in cells)


def test_a_letter_spaced_header_cell_with_punctuation_stays_one_cell():
    # 价 值 (金 额 单 位 : 万 元): a space printed between an ideograph and a punctuation mark is the cell's
    # letter-spacing too. Written, it cut the cell at the colon, and the reader named the column "(金额单位".
    from extractor.load.layout import write_spaced_lines

    page = (glyphs("项 目", 10, 100) + glyphs("价 值 (金 额 单 位 : 万 元)", 120, 100)
            + glyphs("资产总额", 10, 116) + glyphs("992.43", 200, 116)
            + glyphs("车辆", 10, 132) + glyphs("45.13", 205, 132))
    out = TextBuilder()
    write_spaced_lines(out, group_lines(page), 1)
    header = out.text().split("\n")[0]
    assert header.split() == ["项目", "价值(金额单位:万元)"]
