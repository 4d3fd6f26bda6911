"""Performance-target cards whose indicator rows are read from where words stand on the page: space-aligned text
(``pdftotext -layout``) and PDFs without rules. Each test is one kind of layout that lost a card's figure before;
the figure must be read, or stay flagged ``read.unparsed`` — never turned into a guess."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from extractor.load import Document
from extractor.pipeline import extract_document
from verify import verify_result


def read(text: str, name: str = "fixture"):
    doc = Document(path=Path(f"/nonexistent/{name}.txt"), text=text, encoding="utf-8",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(doc), text)


def unparsed(result) -> list[str]:
    return [f.found for f in result.flags if f.check == "read.unparsed"]


# Hand-written fixture (cut from the pdftotext_full layout variant of corpus 000): a card continued on the next page,
# which is laid out anew (no header printed again, its columns further left), the first row's basis cut by the page
# break: the basis's tail, at the top of the new page, stands where the page before printed the targets. The page's
# running title is printed on every page (the pages before and after the card's are cut to it).
CARD_CONTINUED_ON_OTHER_COLUMNS = """— 65 —

\f三河市医疗保障局2024年部门预算

                                                                         23、医保基金使用情况专项审计经费绩效目标表

                                                                                                                                                                                 单位：万元


 项目编码             13108224P00001410239C                         项目名称                     医保基金使用情况专项审计经费
 预算规模及 资金用途  预算数                             2.96       其中：财政资金                          2.96                其他资金
                      开展医保基金使用情况专项审计工作，全年支付金额 2.96 万元。
 资金支出计 划 (%)    3 月底                                        6 月底                       10 月底                        12 月底
                                                                                                                                           100%
 绩效目标             1.通过对医保基金使用情况专项审计，保障参保人员权益。 2.清理违法违规现象，减少欺诈骗保案件的发生。 3.确保医疗保障基金安全平稳运行。
 一级指标             二级指标                      三级指标        绩效指标描述                                                指标值                          指标值确定 依据
                                                                                                                                                                《廊坊市人民政府办公室关于
                                                                                                                                                                开展医保医疗领域专项治理工
 产出指标             数量指标                      审计数量        审计定点医药机构数量                                        ≥100 家                         作方案》 《三河市人民政府办
                                                                                                                                                                公室关于开展“打击欺诈骗保维
                                                                                                                                                                护基金安全”专项行动的实施方
                                                                                                                                                                案》
                      质量指标                      完成率          实际审计数量占计划审计数量的比率                            ≥95%                            《廊坊市人民政府办

— 66 —

\f三河市医疗保障局2024年部门预算

\f                                                                                                                                室关于开展 医保医疗领域专项治理 工作方案》 《三河市人民政府
                                                                                                                                办公室关于开展 “打击欺诈骗保维护基金安全” 专项行动的实施方
                                                                                                                                案》
                                                                                                                                《廊坊市人民政府办公室关于开展 医保医疗领域专项治理 工作方
                      时效指标                      完成时间        审计完成时间                 2021 年 12 月底完成            案》 《三河市人民政府办公室关于开展 “打击欺诈骗保维护基金安
                                                                                                                                全” 专项行动的实施方案》
                      成本指标                      单位成本控制数  审计单位成本控制数           ≤3.57 万元                     《廊坊市人民政府办

— 67 —

\f三河市医疗保障局2024年部门预算
"""


def test_a_cells_tail_on_a_page_laid_out_anew_goes_to_the_field_whose_column_it_stands_in_there():
    result = read(CARD_CONTINUED_ON_OTHER_COLUMNS)
    card = result.cards[0]
    rows = {i.name.text: i for i in card.indicators}
    assert list(rows) == ["审计数量", "完成率", "完成时间", "单位成本控制数"]
    done = rows["完成率"]
    assert (done.comparator, done.value.value, done.unit) == ("≥", Decimal("95"), "%")
    assert done.target.text == "≥95%"
    assert "医保医疗领域专项治理" in done.basis.text
    assert rows["单位成本控制数"].value.value == Decimal("3.57")
    assert card.unparsed == [] and unparsed(result) == []


# Hand-written fixtures: cards as the PDF loader writes a borderless card's rows (tab-separated cells, a blank line
# where the page broke), each part of the card set on columns of its own. The header is printed again on the new
# page, one of its words set on a line of its own: the reader of rows reads such a word as a row.
_CARD_HEAD = """项目支出绩效目标表
项目名称\t人员经费\t\t\t\t
预算规模及资金用途\t预算数\t12.00\t其中：财政资金\t12.00\t
绩效目标\t保障人员工资按时足额发放。\t\t\t\t
"""

# 三级指标 centred higher than the header's other words, which wrap; under the header, the tail of the last name the
# page break cut (劳务派遣人员工资足额发放 / 率).
HEADER_WORD_ABOVE = _CARD_HEAD + """一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据
产出指标\t数量指标\t劳务派遣人员数量\t反映劳务派遣人员数量情况\t≤40人\t依据2024年实际支出
\t质量指标\t劳务派遣人员工资足额发放\t反映工资足额发放率情况\t100%\t工资发放表

\t\t三级指标\t\t\t
一级指标\t二级指标\t\t绩效指标描述\t指标值\t指标值确定依据
\t\t率\t\t\t
\t时效指标\t发放工资时间\t每月按时发放工资时间\t≤30日\t工资发放表
满意度指标\t服务对象满意度指标\t发放人员满意度\t反映发放人员满意度情况\t≥95%\t调查问卷
"""

# 一级指标 merged over the header printed again and the first row under it (whose level cell is empty, the level
# merged from the page before), so written in that row; the first part's grid has a column no cell fills.
HEADER_WORD_BELOW = _CARD_HEAD + """一级指标\t二级指标\t三级指标\t绩效指标描述\t\t指标值\t指标值确定依据
产出指标\t数量指标\t评估医药机构数量\t反映评估医药机构数量情况\t\t≥170个\t实施细则

\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据
一级指标\t质量指标\t评估率\t反映评估医药机构的比率\t100%\t实施细则
\t时效指标\t完成时间\t评估的完成时间\t≤12月底\t实施细则
"""


def test_a_header_word_set_on_a_line_above_the_header_is_the_headers():
    result = read(HEADER_WORD_ABOVE)
    card = result.cards[0]
    rows = [(i.level2, i.name.text if i.name else None, i.target.text) for i in card.indicators]
    assert rows == [("数量指标", "劳务派遣人员数量", "≤40人"), ("质量指标", "劳务派遣人员工资足额发放率", "100%"),
                    ("时效指标", "发放工资时间", "≤30日"), ("服务对象满意度指标", "发放人员满意度", "≥95%")]
    assert [i.value.value for i in card.indicators] == [Decimal("40"), Decimal("100"), Decimal("30"), Decimal("95")]
    assert unparsed(result) == []


def test_a_header_word_written_in_the_row_under_the_header_is_the_headers_not_the_rows_level():
    result = read(HEADER_WORD_BELOW)
    card = result.cards[0]
    rows = [(i.level1, i.name.text, i.target.text, i.basis.text) for i in card.indicators]
    assert rows == [("产出指标", "评估医药机构数量", "≥170个", "实施细则"), ("产出指标", "评估率", "100%", "实施细则"),
                    ("产出指标", "完成时间", "≤12月底", "实施细则")]
    assert card.indicators[1].value.value == Decimal("100")
    assert unparsed(result) == []


# -- a card's continuation on a page of its own columns (glyphs placed by hand, as tests/test_pdf_wrapped.py does) --


def test_a_continuations_reprinted_first_row_takes_its_own_column_out_with_it():
    # A browser prints a card's first row again (its <thead>: 项目编码 and the code) over the card's continuation,
    # and sizes that part's columns to its own text: the code stands over a column of its own, which no indicator
    # row fills. Taken out as page furniture, the row left that column empty in every row below it, so each row's
    # name, description and target were written a column right of where the first page writes them.
    from extractor.load.canonical import TextBuilder
    from extractor.load.pdf import layout_page, write_pages
    from schemas import PageInfo
    from test_pdf_wrapped import _indicator, glyphs

    def first_row(code_at: float, top: float):
        return glyphs("项目编码", 10, top) + glyphs("P0010003K", code_at, top) + glyphs("项目名称", 330, top) \
            + glyphs("临时用工经费", 380, top)

    x1 = [10, 60, 130, 200, 290, 340]
    first = first_row(60, 40) + _indicator(x1, 70, ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "依据")) \
        + _indicator(x1, 100, ("产出指标", "数量指标", "保洁人员数量", "反映保洁人员数量情况", "≤4人", "按预算编制"))
    x2 = [10, 55, 190, 250, 320, 380]  # the continuation's own columns; its code stands at 120, in none of them
    then = first_row(120, 40) \
        + _indicator(x2, 70, ("", "时效指标", "发放工资时间", "按时发放工资时间", "≤30日", "工资表")) \
        + _indicator(x2, 100, ("效益指标", "社会效益指标", "部门正常运转率", "反映部门正常运转情况", "≥95%", "行业标准"))
    read = [(1, layout_page(first, [])), (2, layout_page(then, []))]
    out = TextBuilder()
    write_pages(out, read, [PageInfo(number=n, width=500, height=600) for n in (1, 2)])
    rows = [ln.split("\t") for ln in out.text().split("\n") if "\t" in ln]
    by_name = {next(c for c in row if c.endswith(("数量", "时间", "运转率"))): row for row in rows
               if any(c.endswith(("数量", "时间", "运转率")) for c in row)}
    first_page = by_name["保洁人员数量"]
    for name in ("发放工资时间", "部门正常运转率"):
        row = by_name[name]
        assert row.index(name) == first_page.index("保洁人员数量"), rows
        assert row.index(next(c for c in row if c.startswith(("≤", "≥")))) == first_page.index("≤4人"), rows


# Hand-written fixture: a card's budget lines as the PDF loader writes a borderless card, the label merged over
# them (项目资金(万元)) set right beside the first key, so read into its cell.
BUDGET_KEY_AFTER_ITS_LABEL = """项目支出绩效目标表
项目名称\t\t离休医疗费补助\t\t\t
项目资金(万元) 年度资金总额:\t\t\t\t357.00\t
其中:财政拨款\t\t\t\t357.00\t
上年结转\t\t\t\t0.00\t
一级指标\t二级指标\t三级指标\t指标值\t\t
产出指标\t数量指标\t政策补助补贴对象\t≥10人\t\t
"""


def test_a_budget_key_printed_after_its_groups_label_in_one_cell_keys_its_amount():
    result = read(BUDGET_KEY_AFTER_ITS_LABEL)
    card = result.cards[0]
    assert (card.budget.total.value, card.budget.fiscal.value) == (Decimal("357.00"), Decimal("357.00"))
    assert unparsed(result) == []


# Hand-written fixture: the card's next page, whose grid took in columns of its own (the rows under the header printed
# again there are set on other columns), so its first row, above that header, is wider than the header it follows.
ROW_WIDER_THAN_ITS_HEADER = _CARD_HEAD + """一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据
产出指标\t数量指标\t村卫生室医保结算系统数量\t反映结算系统数量情况\t335套\t采购项目情况表

\t成本指标\t\t\t\t项目支付时间\t反映资金支付时间情况\t≤12月\t采购项目情况表
一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据\t\t\t
效益指标\t社会效益指标\t业务保障能力正常运转\t反映正常运转的比率\t100%\t采购项目情况表\t\t\t
"""


def test_a_row_wider_than_its_header_is_read_by_its_words_not_its_cells_places():
    result = read(ROW_WIDER_THAN_ITS_HEADER)
    card = result.cards[0]
    rows = [(i.level2, i.name.text, i.target.text) for i in card.indicators]
    assert rows == [("数量指标", "村卫生室医保结算系统数量", "335套"), ("成本指标", "项目支付时间", "≤12月"),
                    ("社会效益指标", "业务保障能力正常运转", "100%")]
    assert card.indicators[1].value.value == Decimal("12")
    assert unparsed(result) == []


# Hand-written fixture (cut from corpus 000 printed borderless by chromium on landscape pages, as the PDF loader writes
# it): the budget's amount fills its cell to the edge, one space before the next key.
AMOUNT_ONE_SPACE_BEFORE_A_KEY = """17、会议室及机关办公设备资金绩效目标表
     项目编码                                    13108224P00001410234A                                 项目名称               会议室及机关办公设备资金
预算规模及资金用途   预算数                                                                  2.00 其中：财政资金                       2.00  其他资金
一级指标             二级指标             三级指标                  绩效指标描述                      指标值                     指标值确定依据
产出指标             数量指标             家居用具股室数量          反映家居用具股室数量情况          10 个                      按预算编制
满意度指标           服务对象满意度指标   工作人员满意度            反映工作人员满意度情况            ≥95%                       调查问卷
"""


def test_an_amount_one_space_before_the_next_key_is_its_own_cell():
    result = read(AMOUNT_ONE_SPACE_BEFORE_A_KEY)
    card = result.cards[0]
    assert (card.budget.total.value, card.budget.fiscal.value) == (Decimal("2.00"), Decimal("2.00"))
    assert [i.value.value for i in card.indicators] == [Decimal("10"), Decimal("95")]
    assert unparsed(result) == []


def test_a_header_printed_again_on_columns_of_its_own_under_a_cells_tail_starts_a_table():
    # A card's header printed again in the middle of a page (where the publisher's page broke), the rows under it set
    # on columns of their own, and right under it the tail of the last cell above it, one piece on a row of its own.
    # Read as one grid with the rows above, the columns of both ran together (on a landscape page chromium printed:
    # 一级指标二级指标三级指标 in one cell, ≥90% 经验测算 in another).
    from extractor.load.canonical import TextBuilder
    from extractor.load.layout import group_lines, write_table
    from extractor.load.wrapped import wrapped_tables
    from test_pdf_wrapped import _indicator, glyphs

    above = [55, 103, 170, 382, 780, 849]  # as chromium set them on a landscape page, half as wide again
    page = _indicator(above, 40, ("", "成本指标", "单位成本", "财政补助单位成本", "≥128元/人", "廊医保字关于印发"))
    page += _indicator(above, 80, ("效益指标", "社会效益指标", "享受待遇", "就医成本降低", "就医成本降低", "廊医保字关于印发"))
    below = [55, 148, 307, 595, 700, 760]
    page += [g for at, t in zip(below, ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"))
             for g in glyphs(t, at, 120)]
    page += glyphs("和城乡居民医疗保", 760, 136)
    page += _indicator(below, 152, ("满意度指标", "服务对象满意度指标", "群众满意程度", "群众对提供各种政务服务的满意程度", "≥90%", "经验测算"))
    tables, _ = wrapped_tables(group_lines(page))
    texts = []
    for table in tables:
        out = TextBuilder()
        write_table(out, table, 1)
        texts.append([row.split("\t") for row in out.text().strip().split("\n")])
    assert len(texts) == 2, texts  # the rows above on their columns, the header and the rows under it on theirs
    assert [c for c in texts[1][0] if c] == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    assert "≥90%" in texts[1][-1] and "≥128元/人" in texts[0][0]
