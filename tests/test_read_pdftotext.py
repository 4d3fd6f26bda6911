"""Real converter output: what `pdftotext -layout` makes of a PDF's tables, read as the original text is.

`pdftotext -layout` gives every character one column and places each word where its left edge falls,
so a page's columns are squeezed under long words and stretched elsewhere, differently on every page:
header cells centred in wide cells stand beside the labels they name, a group's word (收入, 支出) stands
over none of its columns, a figure too wide for its cell is printed on two lines, a page continued
without its header has columns of its own, and rows may come out above a page's repeated header.

The small tables below are hand-written fixtures (marked as such): excerpts cut from pdftotext's output
of PDFs generated from the corpus (``benchmarks/bench_converters.py``), each shortened to the lines one
rule needs; the figures are the corpus's own. The whole pipeline on real pdftotext output is tested in
``test_real_converters.py`` (a fixture) and ``test_converters.py`` (PDFs printed and converted there).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.load import Document
from extractor.pipeline import extract_document
from verify import verify_result


def read(text: str, name: str = "fixture"):
    doc = Document(path=Path(f"/nonexistent/{name}.txt"), text=text, encoding="utf-8",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(doc), text)


def table(result, kind: str):
    return next(t for t in result.tables if t.kind == kind)


def values(result, kind: str) -> dict:
    return {(r.side + ":" if r.side else "") + (r.code or r.item or (r.label.text if r.label else "?")):
            {k: str(v.value) for k, v in r.values.items()} for r in table(result, kind).rows}


def errors(result) -> list[str]:
    return sorted(f.check for f in result.flags if f.severity == "error")


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 003): header cells wrapped a
# character or two per line ("科目编" / "码", "基本支" / "出"), "科目名称" centred in its wide cell and so
# printed to the right of every name under it, and a total row whose code cell is empty.
CENTRED_NAME_HEADER = """泗县医疗保障局2024年支出总表
单位：万元
科目编                                              基本支      项目支    事业单位经营支   上缴上级支   对附属单位补助
                          科目名称             合计
 码                                                出        出        出        出        支出
208       社会保障和就业支出                    5                  5
210       卫生健康支出                       2800.56   660.56   2140
21011     行政事业单位医疗                     387.94    30.94    357
2101101   行政单位医疗                       362.52    5.52     357
2101102   事业单位医疗                       25.42     25.42
21015     医疗保障管理事务                     652.62    629.62   23
          合计                           2805.56   660.56   2145
"""


def test_a_header_centred_beyond_the_names_under_it_names_their_column():
    result = read(CENTRED_NAME_HEADER)
    rows = table(result, "expenditure_summary").rows
    total = next(r for r in rows if r.item == "total")
    assert total.label.text == "合计"
    assert {k: str(v.value) for k, v in total.values.items()} == {"total": "2805.56", "basic": "660.56",
                                                                  "project": "2145"}
    assert [r.label.text for r in rows if r.code][:3] == ["社会保障和就业支出", "卫生健康支出", "行政事业单位医疗"]
    assert values(result, "expenditure_summary")["2101102"] == {"total": "25.42", "basic": "25.42"}
    assert not any(k.startswith("列") for r in rows for k in r.values)


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 003): the group words 收入 and
# 支出 stand over none of their columns, and the wrapped "预算" / "数" cells have the full-height "项目"
# on the line between their pieces.
GROUP_WORDS_OVER_NO_COLUMN = """泗县医疗保障局2024年财政拨款收支总表
单位：万元
                              收入                                                 支出
                                              预算                                                                         预算
                         项目                                              项目
                                               数                                                                          数
一、本年收入                                      2805.56   一、本年支出                                                         2805.56
（一）一般公共预算拨款                                 2805.56   （一）一般公共服务支出
（二）政府性基金预算拨款                                          （二）外交支出
                                                      （八）社会保障和就业支出                                                   5
                                                      （九）卫生健康支出                                                      2800.56
收入总计                                        2805.56   支出总计                                                           2805.56
"""


def test_group_words_standing_over_no_column_head_the_columns_nearest_them():
    got = values(read(GROUP_WORDS_OVER_NO_COLUMN), "fiscal_appropriation_summary")
    assert got["income:一、本年收入"] == {"income_amount": "2805.56"}
    assert got["income:（一）一般公共预算拨款"] == {"income_amount": "2805.56"}
    assert got["expenditure:（九）卫生健康支出"] == {"total": "2800.56"}
    assert got["expenditure:（八）社会保障和就业支出"] == {"total": "5"}
    assert got["expenditure:支出总计"] == {"total": "2805.56"}


# Hand-written fixture (cut from real pdftotext -layout output of a PDF of corpus 003): the table goes on
# after a form feed with no header, and pdftotext placed the new page's columns elsewhere.
PAGE_WITH_ITS_OWN_COLUMNS = """泗县医疗保障局2024年一般公共预算基本支出表
单位：万元
部门预算支出经济分类科目                                     本年一般公共预算基本支出

科目编码                  科目名称                       合计                              人员经费                        公用经费

301                   工资福利支出                     520.64                          520.64

30101                 基本工资                       181.28                          181.28

30102                 津贴补贴                       30.47                           30.47
\f30103            奖金                   95.29    95.29

30106            伙食补助费              20.59    20.59

30107            绩效工资               193.01   193.01

302              商品和服务支出          46.23             46.23

30201            办公费              45.23             45.23

30202            印刷费              1                 1
                 合计                566.87   520.64   46.23
"""


def test_a_page_without_its_header_is_read_in_its_own_columns_matched_in_order():
    got = values(read(PAGE_WITH_ITS_OWN_COLUMNS), "general_budget_basic_expenditure")
    assert got["30101"] == {"total": "181.28", "personnel": "181.28"}
    assert got["30106"] == {"total": "20.59", "personnel": "20.59"}
    assert got["302"] == {"total": "46.23", "public": "46.23"}
    assert got["30202"] == {"total": "1", "public": "1"}
    assert got["total"] == {"total": "566.87", "personnel": "520.64", "public": "46.23"}


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 000): the total "10022.09" did
# not fit its cell and came out as "10022.0" above the row's line and "9" below it.
FIGURE_WRAPPED_IN_ITS_CELL = """部门预算支出总表
单位：万元
                                                 功能分类科目                              基本支       项目支       经营支   上解上级支   对附属单位补助
    序号                                                                      合计
          科目编码                                         科目名称                           出         出         出      出        支出
    栏次         1                                          2                   3         4         5       6      7        8
                                                                           10022.0
1                   合计                                                               1548.86   8473.23
                                                                           9
2        201        一般公共服务支出                                               8.00                8.00
5        208        社会保障和就业支出                                              211.87    201.87    10.00
"""


def test_a_figure_wrapped_over_two_lines_of_its_cell_is_joined_with_a_note():
    result = read(FIGURE_WRAPPED_IN_ITS_CELL)
    total = next(r for r in table(result, "expenditure_summary").rows if r.item == "total")
    assert {k: str(v.value) for k, v in total.values.items()} == {
        "total": "10022.09", "basic": "1548.86", "project": "8473.23"}
    assert [result_text(FIGURE_WRAPPED_IN_ITS_CELL, p) for p in total.values["total"].parts] == ["10022.0", "9"]
    assert any("10022.0" in n and "'9'" in n for n in total.notes)
    assert "read.unparsed" not in errors(result)


def result_text(text: str, part: tuple[int, int]) -> str:
    return text[part[0]:part[1]]


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 002): on the second page the
# converter printed a row above the repeated header, and placed that page's columns elsewhere.
ROW_ABOVE_REPEATED_HEADER = """部门预算收支总表
单位：万元
                       收入                                                      支出
    序号
                  项目                  预算数                                 项目                  预算数
    栏次            1                    2                                   3                       4
1        一、一般公共预算拨款收入                 2267.56           一、一般公共服务支出
2        二、政府性基金预算拨款收入                                   二、外交支出
8                                                             八、社会保障和就业支出                   207.69

                                                                   —2—
\f10                                                  十、卫生健康支出
                        收入                                                      支出
    序号
                   项目                  预算数                                 项目                  预算数
    栏次            1                    2                                   3                       4
11                                          十一、节能环保支出
12       本年收入合计                       2267.56            本年支出合计                        207.69
"""


def test_a_row_printed_above_a_pages_repeated_header_is_a_row():
    got = values(read(ROW_ABOVE_REPEATED_HEADER), "income_expenditure_summary")
    assert "expenditure:十、卫生健康支出" in got
    assert got["income:本年收入合计"] == {"income_amount": "2267.56"}
    assert got["expenditure:本年支出合计"] == {"expenditure_amount": "207.69"}
    assert got["expenditure:八、社会保障和就业支出"] == {"expenditure_amount": "207.69"}


# Hand-written fixture (cut from pdftotext -layout of a borderless PDF of corpus 002): "支出" is centred over
# its six columns in the PDF but, the columns under long words squeezed, stands far right of the first of
# them; each side begins with its own "项目". The 栏次 numbers, centred in their cells, stand a few
# columns off the left-aligned figures they number.
SIDE_BY_SIDE = """部门预算财政拨款收支总表
单位：万元
                         收入                                                                                       支出
    序号
                    项目               金额                 项目                        合计           一般公共预算财政拨款               政府性基金预算财政拨款   国有资本经营预算财政拨款
    栏次              1                 2                   3                         4                     5                      6         7
1        一、一般公共预算拨款                2267.56   一、一般公共服务支出
2        二、政府性基金预算拨款                         二、外交支出
8                                            八、社会保障和就业支出                         207.69        207.69
10                                           十、卫生健康支出                            2106.10       2106.10
12       本年收入合计                    2267.56   本年支出合计                              2313.79       2313.79
"""


def test_side_by_side_tables_split_where_each_side_repeats_its_first_leaf():
    result = read(SIDE_BY_SIDE)
    got = values(result, "fiscal_appropriation_summary")
    assert got["income:一、一般公共预算拨款"] == {"income_amount": "2267.56"}
    assert got["expenditure:十、卫生健康支出"] == {"total": "2106.10", "general_budget": "2106.10"}
    assert got["expenditure:本年支出合计"] == {"total": "2313.79", "general_budget": "2313.79"}
    assert not any(k.startswith("列") or "/" in k for row in got.values() for k in row)


# Hand-written fixture (modelled on pdftotext -layout, which places each page on its own): the second
# page prints the same header six columns further right, and its rows with it.
HEADER_PRINTED_ELSEWHERE = """一般公共预算基本支出表
单位：万元
科目编码      科目名称                    合计        人员经费      公用经费
301       工资福利支出                  520.64    520.64
30101     基本工资                    181.28    181.28

                                 —2—
\f      科目编码      科目名称                    合计        人员经费      公用经费
      302       商品和服务支出                 117.81              117.81
      30201     办公费                     117.81              117.81
"""


def test_a_page_printing_its_header_elsewhere_is_read_where_its_header_stands():
    got = values(read(HEADER_PRINTED_ELSEWHERE), "general_budget_basic_expenditure")
    assert got["301"] == {"total": "520.64", "personnel": "520.64"}
    assert got["302"] == {"total": "117.81", "public": "117.81"}
    assert got["30201"] == {"total": "117.81", "public": "117.81"}


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 002): a figure cut after its
# point at the end of its cell, its decimals on the next line ("159." / "15").
FIGURE_CUT_AFTER_ITS_POINT = """部门预算支出总表
单位：万元
序号    科目编码      科目名称                合计        基本支出      项目支出
1     210       卫生健康支出              1861.10   1701.95   159.
                                                                15
2     21015     医疗保障管理事务            1861.10   1701.95   159.15
"""


def test_a_figure_cut_after_its_point_takes_the_digits_printed_under_it():
    result = read(FIGURE_CUT_AFTER_ITS_POINT)
    got = values(result, "expenditure_summary")
    assert got["210"] == {"total": "1861.10", "basic": "1701.95", "project": "159.15"}
    assert "read.unparsed" not in errors(result)


# Hand-written fixture (cut from real pdftotext -layout output of a PDF of corpus 003): a side-by-side
# table goes on after a form feed with no header, its income side empty on that page and its columns
# placed elsewhere: the page's label and figure columns are matched to the header's by kind, in order.
SIDE_BY_SIDE_CONTINUED = """泗县医疗保障局2024年财政拨款收支总表
单位：万元
收入                                                  支出
项目                           预算数                    项目                       预算数
一、本年收入                       2805.56                一、本年支出                   2805.56
（一）一般公共预算拨款                  2805.56                （一）一般公共服务支出
\f（二）政府性基金预算拨款    （二）外交支出
（三）国有资本经营预算拨款   （八）社会保障和就业支出       5
                （九）卫生健康支出          2800.56
                （十）节能环保支出
"""


def test_a_continued_page_whose_one_side_is_empty_is_matched_to_the_header_by_kind():
    got = values(read(SIDE_BY_SIDE_CONTINUED), "fiscal_appropriation_summary")
    assert got["expenditure:（九）卫生健康支出"] == {"total": "2800.56"}
    assert got["expenditure:（八）社会保障和就业支出"] == {"total": "5"}
    assert "income:（三）国有资本经营预算拨款" in got
    assert "income:（二）政府性基金预算拨款" in got and "expenditure:（二）外交支出" in got


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 000): the total's label stands
# where the code goes, and its two widest figures wrapped in their cells ("10022.0" / "9").
TOTAL_UNDER_THE_CODE = """部门预算收入总表
单位：万元
                                    功能分类科目                                                      本年收入
                                                                                                                                上年结
    序号                                             合计                 财政拨款收       财政专户收   事业收     经营收   上级补助收   附属单位上缴收   其他收
          科目编码                          科目名称                 小计                                                                  转
                                                                        入           入      入       入      入        入       入
    档次         1                             2       3         4              5     6      7       8      9        10      11      12
                                                  10022.0   10017.0
1                  合计                                                 10017.09                                                  5.00
                                                  9         9
2        201       一般公共服务支出                       8.00      8.00      8.00
3        20132     组织事务                           8.00      8.00      8.00
4        2013299   其他组织事务支出                       8.00      8.00      8.00
5        208       社会保障和就业支出                      211.87    206.87    206.87                                                    5.00
6        20805     行政事业                           201.87    201.87    201.87
"""


def test_a_total_printed_under_the_code_keeps_its_label_and_its_wrapped_figures():
    result = read(TOTAL_UNDER_THE_CODE)
    total = next(r for r in table(result, "income_summary").rows if r.item == "total")
    assert total.label.text == "合计"
    assert {k: str(v.value) for k, v in total.values.items()} == {
        "total": "10022.09", "income_subtotal": "10017.09", "fiscal_appropriation": "10017.09", "carryover": "5.00"}
    got = values(result, "income_summary")
    assert got["208"] == {"total": "211.87", "income_subtotal": "206.87", "fiscal_appropriation": "206.87",
                          "carryover": "5.00"}


# Hand-written fixture (cut from our PDF loader's text of a borderless PDF of corpus 000): the full-height
# 序号 cell was written on a line of its own, apart from the header's other lines, so no header word stands
# over the row numbers.
SEQ_WRITTEN_APART = """部门预算一般公共预算财政拨款基本支出表
单位：万元
序号

          科目编码              科目名称                合计     人员经费    公用经费
 栏次         1                     2                    3           4           5
1                     合计                            1548.86    1425.50     123.36
2         301         工资福利支出                    1384.23    1384.23
3         30101       基本工资                        344.63     344.63
4         30102       津贴补贴                        189.44     189.44
"""


def test_row_numbers_under_no_header_word_are_the_rows_sequence_not_figures():
    result = read(SEQ_WRITTEN_APART)
    assert values(result, "general_budget_basic_expenditure")["301"] == {"total": "1384.23", "personnel": "1384.23"}
    assert not any(k.startswith("列") for r in table(result, "general_budget_basic_expenditure").rows for k in r.values)


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 000): the next page, with no
# header, prints only spending lines, and the converter laid them out from its left margin, where the
# income side's names stand on the header's page.
SPENDING_WHERE_INCOME_STOOD = """部门预算财政拨款收支总表
单位：万元
                                            收入                                          支出
    序号                                                                                                        一般公共预算财             政府性基金预算         国有资本经营预
                                      项目            金额                            项目                 合计
                                                                                                                政拨款                 财政拨款           算财政拨款
    栏次                                 1              2                           3                  4                   5                6          7
                                                   10008.0
1        一、一般公共预算拨款                                              一、一般公共服务支出                      8.00         8.00
                                                   9
2        二、政府性基金预算拨款                               9.00          二、外交支出
8                                                                八、社会保障和就业支出                     211.87       211.87

                                                                            —6—
\f17                 十七、金融支出
18                 十八、援助其他地区支出
19                 十九、自然资源海洋气象等支出
20                 二十、住房保障支出                                                                         110.60    110.60
21                 二十一、粮油物资储备支出
"""


def test_a_spending_line_printed_where_the_income_side_stood_is_read_as_spending():
    result = read(SPENDING_WHERE_INCOME_STOOD)
    got = values(result, "fiscal_appropriation_summary")
    assert got["expenditure:二十、住房保障支出"] == {"total": "110.60", "general_budget": "110.60"}
    assert got["expenditure:八、社会保障和就业支出"] == {"total": "211.87", "general_budget": "211.87"}
    assert not any(k.startswith("income:二十") for k in got)


# Hand-written fixture (cut from the pdftotext_full layout variant of corpus 000, a card printed as pdftotext
# -layout prints a PDF whose cells are centred in tall rows): no blank line parts the rows, the second row's
# name and description start on the line above its level name and target, right under the first row's
# wrapped description.
CENTRED_CARD_ROWS = """                                                        5、建档立卡人员提高待遇资金（扶贫资金）重点保障经费绩效目标表

                                                                                                                                                                   单位：万元


 项目编码               13108224P00000410557H                                   项目名称                   建档立卡人员提高待遇资金（扶贫资金）重点保障经费
 预算规模及 资金用途    预算数                                20.00             其中：财政 资金                     20.00               其他资金
                        让建档立卡贫困人口看得起病、方便看病、看得好病、尽量少生病，大幅度减轻建档立卡贫困人口个人就医费用。建档立卡人员提高待遇补助资金有效缓解建档立卡贫困
                        人口因病致贫、因病返贫问题。
 资金支出计 划（%）     3 月底                                                  6 月底                     10 月底                      12 月底
                                                                                                                     100%                         100%
 绩效目标               1.通过项目的开展提高建档立卡人员医疗保障待遇，提升健康扶贫效率。
 一级指标               二级指标                     三级指标                   绩效指标描述               指标值                       指标值确定 依据
 产出指标               数量指标                     参加城乡居民医保资助人数   财政资助建档立卡人员参加   ≤1000 人                     廊医保字【2021】40 号关于确定 2022 年
                                                                                城乡居民医保的参保人数                                  度城乡居民医保个人缴费标准的通知
                                                     项目受益建档立卡贫困户覆   受益城乡医保的建档立卡贫                                廊医保字【2021】28 号关于落实 2020 年
                        质量指标                     盖率                       困户覆盖率                           100%               度农村建档立卡贫困人口提高医疗保障待
                                                                                                                                        遇所需资金的
"""


def test_a_cards_cells_centred_in_tall_rows_start_the_row_below_where_the_row_above_has_ended():
    card = read(CENTRED_CARD_ROWS).cards[0]
    rows = [(i.name.text, i.description.text, i.target.text) for i in card.indicators]
    assert rows == [("参加城乡居民医保资助人数", "财政资助建档立卡人员参加城乡居民医保的参保人数", "≤1000 人"),
                    ("项目受益建档立卡贫困户覆盖率", "受益城乡医保的建档立卡贫困户覆盖率", "100%")]



# Hand-written fixture (cut from the pdftotext_full layout variant of corpus 002, a procurement table printed as
# pdftotext -layout prints a PDF): rows set apart by blank lines, a project name wrapped over five lines beside
# its one line of figures, and on the next page the header printed again with its cells wrapped at other
# characters ("2026年预留中小微" / "企业份额" as "2026年 预" / "留中 小" / "微企业 份" / "额").
PROCUREMENT_PAGES = """                                                                                          附表10：部门政府采购预算表
                                                                                                                                                                                                 单位：万元

             政府采购项目来源                                                                                                  政府采购金额（当年部门预算安排资金）                       2026年预留中小微
                                                                     政府采购目  计量                                                                                                         企业份额
                                                采购物品名称           录序号    单位   数量      单价               一般公  基金预算     国有资本  财政专户核               财政拨款结             非财政
            项目名称           预算资金                                                                     合计     共预算    拨款       经营预算      拨         单位资金      转                 拨款结
                                                                                                                      拨款                  拨款                                                      余
   合计                                                                                                     308.77   174.52                                                      134.25              307.51

   秦皇岛市医疗保障局本级小计                                                                               302.43   168.18                                                      134.25              301.17

   提前下达-冀财社【2024】158
   号-关于提前下达2025年中央
   财政医疗服务与保障能力提升      88.25  评审咨询服务               C20030900   项          1      88.25    88.25                                                                88.25               88.25
   补助资金（医疗保障服务能力
   建设部分）预算的通知

   下达2025年中央财政医疗服务
   与保障能力提升补助资金[医       83.64  其他服务                   C99000000   项          1      46.00    46.00                                                                46.00               46.00
   疗保障服务能力建设部分]预
   算

   年初预算（三                    11.46  复印纸                     A050401     批          1       3.09     3.09     3.09                                                                            3.09

— 41 —

             政府采购项目来源                                                                                                  政府采购金额（当年部门预算安排资金）                       2026年 预
                                                采购物品名称         政府采购目  计量   数量      单价               一般公  基金预 算    国有资 本 财政专 户                财政拨 款    留中 小
            项目名称           预算资金                                录序号    单位                       合计     共预算    拨款       经营 预      核拨        单位 资金    结转      微企业 份
                                                                                                                      拨款                算拨 款                                            额
   保）日常公用经 费项目                                                     01

   年初预算（三 保）日常公用       11.46  财产保险 服务              C180401 02  项          1       0.10     0.10     0.10
   经 费项目

   年初预算（三 保）日常公用       11.46  票据印刷 服务              C230901 02  项          1       0.18     0.18     0.18                                                                   0.18
   经 费项目

   年初预算（三 保）日常公用       11.46  车辆维修 和保养服 务       C231203 01  项          1       0.50     0.50     0.50                                                                   0.50
   经 费项目
"""


def _procurement_rows():
    rows = table(read(PROCUREMENT_PAGES), "government_procurement").rows
    return [(r.label.text if r.label else "", {k: str(v.value) for k, v in r.values.items()}) for r in rows]


def test_a_name_wrapped_over_many_lines_beside_one_line_of_figures_is_one_row():
    rows = _procurement_rows()
    assert rows[1] == ("秦皇岛市医疗保障局本级小计", {"total": "302.43", "general_budget": "168.18",
                                                  "fiscal_carryover": "134.25", "sme_reserved": "301.17"})
    label, got = rows[2]
    assert label == "提前下达-冀财社【2024】158号-关于提前下达2025年中央财政医疗服务与保障能力提升补助资金（医疗保障服务能力建设部分）预算的通知"
    assert got["total"] == "88.25" and got["quantity"] == "1"


def test_a_header_printed_again_wrapped_otherwise_keeps_the_first_pages_columns():
    rows = _procurement_rows()
    later = [got for label, got in rows if label.startswith("年初预算（三 保）")]
    assert [got.get("sme_reserved") for got in later] == [None, "0.18", "0.50"]
    assert not any("/" in key for _, got in rows for key in got)


# Hand-written fixture (cut from the pdftotext_full layout variant of corpus 002, a card whose cells are centred
# in tall rows): the first row's name starts on the line under the indicator header, above the row's level
# names; further down, a row's two-line name starts right under the one-line row above it.
CARD_FIRST_ROW_BELOW_HEADER = """                                        7、提前下达-冀财社[2025]128号提前下达2026年中央财政医疗服务与保障能力提升补助资金(医疗保障服务能力建设部分)绩效目标表

                                                                                                                                                                                           单位：万元

项目编码            13030026P00000110103N                                       项目名称                        提前下达-冀财社[2025]128号提前下达2026年中央财政医疗服务与保障能力提升补助资金(医疗保
                                                                                                                障服务能力建设部分)
预算规模及资金用途  预算数                                  135.60              其中：财政资金                            135.60             其他资金
                    规范定点医药机构医疗服务行为，使其合理合规使用医保基金,保障医保资金安全平稳运行.
一级指标            二级指标                      三级指标                      绩效指标描述                                                 指标值                       指标值确定依据
                                                  合同约定期内开展内控审计的                                                                                              《医疗保障经办机构内部控制
产出指标            数量指标                      数量                          合同期内完成全市所有县区内控检查，并出具内控检查报告。       ≤10市本级及县区              管理规程(2025版)》的通知，
                                                                                                                                                                          三：强化内部控制的监督和检
                                                                                                                                                                          查。
                    时效指标                      电话咨询接听率                提升电话咨询接听率              ≥90%                         年度工作计划
                                                  市本级定点全覆盖稽核核查项    市本级 13 家医疗机构按照医
                    数量指标                      目项目周期内完成对定点医疗    保服务协议完成专项检查、投      13 家                        年度工作计划
                                                  机构的稽核检查                诉举报核查、日常检查、疑点
                                                                                数据核查等工作
                    质量指标                      市本级定点全覆盖稽核核查项    稽核监督检查能力提升，追回      有所提升                     年度工作计划
                                                  目稽核监督检查能力提升        医疗机构违规使用的医保基金
"""


def test_pieces_under_a_cards_header_begin_its_first_row():
    card = read(CARD_FIRST_ROW_BELOW_HEADER).cards[0]
    first = card.indicators[0]
    assert (first.level1, first.level2, first.name.text) == ("产出指标", "数量指标", "合同约定期内开展内控审计的数量")


def test_centred_cells_split_a_run_of_lines_between_two_rows_by_where_each_rows_line_stands():
    card = read(CARD_FIRST_ROW_BELOW_HEADER).cards[0]
    assert [(i.name.text, i.target.text) for i in card.indicators[1:]] == [
        ("电话咨询接听率", "≥90%"),
        ("市本级定点全覆盖稽核核查项目项目周期内完成对定点医疗机构的稽核检查", "13 家"),
        ("市本级定点全覆盖稽核核查项目稽核监督检查能力提升", "有所提升")]


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 003, cells centred in their rows):
# the two-line name of the 质量指标 row is printed one line above and one line below the row's own line, which
# it leaves empty ("自己救助对象年度合规费用" / 质量指标 … ≥70% / "救助比率"), the upper half right under the row
# above; the 可持续影响指标 row's name stands between the halves of its wrapped level name.
CARD_CELL_HALVES_AROUND_ITS_ROW = """项目支出绩效目标表
(2024年度)
项目名称                                                                          2024_城乡医疗救助
主管部门                                               [066]泗县医疗                                泗县城乡居民基本医疗保险管
                                                                            实施单位
及代码                                                    保障局                                      理服务中心
项目来源                                               本级申报项目                    项目期                        1年
项目资金 (
                                                   年度资金总额:        1760.00
万元)
                                                   其中:财政拨款        1760.00
                                                   上年结转           0.00
                                                   其他资金           0.00
          整体上减轻我县困难群众就医负担,完善社会救助体系。进而提升困难群众生
年度目标
          活质量和幸福指数。
绩效指标      一级指标                                     二级指标           三级指标                      指标值
          产出指标                                     数量指标           全年救助人数                    ≥155000人次
                                                                  自己救助对象年度合规费用
                                                   质量指标                                     ≥70%
                                                                  救助比率
                                                   时效指标           救助资金使用年度                  2024年
                                                   成本指标           救助资金使用金额                  49650000元
          效益指标                                     经济效益指标         有效减轻困难群众就医负担              效果显著
                                                   社会效益指标         对完善社会救助体系的影响              效果显著
                                                   生态效益指标
                                                   可持续影响指
                                                                  对健全医疗保障体系的作用              成效明显
                                                   标
          满意度指标                                    满意度指标          救助对象对救助工作满意度              ≥85%
"""


def test_a_card_cell_printed_in_halves_around_its_rows_line_belongs_to_that_row():
    card = read(CARD_CELL_HALVES_AROUND_ITS_ROW).cards[0]
    rows = [(i.level2, i.name.text if i.name else None, i.target.text if i.target else None) for i in card.indicators]
    assert rows[:4] == [("数量指标", "全年救助人数", "≥155000人次"), ("质量指标", "自己救助对象年度合规费用救助比率", "≥70%"),
                        ("时效指标", "救助资金使用年度", "2024年"), ("成本指标", "救助资金使用金额", "49650000元")]


# The head of 002's procurement table as pdftotext -layout prints it from a ruled PDF (its header cells wrapped
# one character a line), with the two total lines under it: the start of the fixtures below.
PROCUREMENT_HEAD = """部门政府采购预算表
单位：万元
                                                 政
             政府采购项目来源                      采     府                                                                               政府采购金额（当年部门预算安排资金）                                        2026年预留中小微企业份额
                                           购     采     计
                                           物     购     量
                                                                    数量        单价
                                           品     目     单
                                  预算资      名     录     位                                                               一般公共预算           基金预算    国有资本经营预     财政专户    单位资      财政拨款                         非财政拨款
             项目名称                                                                                      合计
                                   金       称     序                                                                       拨款              拨款       算拨款        核拨      金        结转                            结余
                                                 号
合计                                                                                            308.77                  174.52                                                134.25                    307.51
秦皇岛市医疗保障局本级小计                                                                                 302.43                  168.18                                                134.25                    301.17
"""


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 002): a procurement row whose
# catalogue code and item name wrapped in their narrow columns, one character or a few digits a line; the
# code's last digit ("1") stands alone on the line under the row's figures.
CODE_DIGITS_WRAPPED = PROCUREMENT_HEAD + """                                           复     A05
年初预算（三                            11.46    印     040   批        1            3.09             3.09                    3.09                                                                            3.09
                                           纸     1
"""


def test_digits_of_a_wrapped_code_under_a_row_are_a_piece_of_its_code_not_a_row():
    rows = table(read(CODE_DIGITS_WRAPPED), "government_procurement").rows
    assert [r.label.text if r.label else None for r in rows] == ["合计", "秦皇岛市医疗保障局本级小计", "年初预算（三"]
    last = rows[-1]
    assert last.texts["item_name"].text.endswith("纸") and last.texts["catalog_code"].text.endswith("1")
    assert {k: str(v.value) for k, v in last.values.items()} == {
        "project_budget": "11.46", "quantity": "1", "unit_price": "3.09", "total": "3.09", "general_budget": "3.09",
        "sme_reserved": "3.09"}


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 002): a procurement table whose
# cells are centred in tall rows, with no blank line between rows: each row's name, item and catalogue code
# are printed a piece a line above and below its line of figures (the item one character a line), so the
# lines between two rows hold the lower half of the one and the upper half of the next.
CENTRED_TABLE_ROWS = PROCUREMENT_HEAD + """                                           评
                                           审
提前下达-冀财社【2024】158号-关于提前下达                        C20
                                           咨
2025年中央财政医疗服务与保障能力提升补助资           88.25          030   项        1            88.25            88.25                                                                         88.25                     88.25
                                           询
金（医疗保障服务能力建设部分）预算的通知                             900
                                           服
                                           务
                                           其
                                                 C99
下达2025年中央财政医疗服务与保障能力提升补                    他
                                  83.64          000   项        1            46.00            46.00                                                                         46.00                     46.00
助资金[医疗保障服务能力建设部分]预算                        服
                                                 000
                                           务
"""


def test_pieces_between_rows_centred_in_their_cells_are_shared_out_column_by_column():
    rows = table(read(CENTRED_TABLE_ROWS), "government_procurement").rows
    got = [(r.label.text, r.texts["item_name"].text if "item_name" in r.texts else None,
            r.texts["catalog_code"].text if "catalog_code" in r.texts else None, str(r.values["total"].value))
           for r in rows]
    assert got == [
        ("合计", None, None, "308.77"), ("秦皇岛市医疗保障局本级小计", None, None, "302.43"),
        ("提前下达-冀财社【2024】158号-关于提前下达2025年中央财政医疗服务与保障能力提升补助资金（医疗保障服务能力建设部分）"
         "预算的通知", "评审咨询服务", "C20030900", "88.25"),
        ("下达2025年中央财政医疗服务与保障能力提升补助资金[医疗保障服务能力建设部分]预算", "其他服务", "C99000000", "46.00")]


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 002): a later page of a procurement
# table whose repeated header has the rest of the last row of the page before ("提升补助资金 （医疗保障服")
# printed on its last lines, among the header's own words.
ROW_IN_A_REPEATED_HEADER = PROCUREMENT_HEAD + """                                           评

— 22 —

                                            计
     政府采购项目来源                                                                           政府采购金额（当年部门预算安排资金）                       2026年预留中小微企业份额
                                 政府采购       量
                        采购物品名称                      数量    单价
                                 目录序号       单
    项目名称
                预算资                         位                                 一般公共预算拨    基金预算拨   国有资本经营预   财政专户核   单位资   财政拨款结           非财政拨款结
                                                                       合计
提升补助资金 （医疗保障服    金                                                               款         款       算拨款       拨      金      转                余
  务能力建设部分）
秦皇岛市医疗保险基金管理
                                                                6.34          6.34                                                       6.34
中心小计
年初预算（三保）日常公用                     A0504010
                26.91   复印纸                 批   1        2.00   2.00          2.00                                                       2.00
经费项目                             1
"""


def test_words_of_a_row_printed_among_a_repeated_headers_words_are_the_rows():
    t = table(read(ROW_IN_A_REPEATED_HEADER), "government_procurement")
    assert not any("提升" in key or "提升" in label for key, label in t.columns.items())
    assert any(r.label and "提升补助资金" in r.label.text for r in t.rows)


# Real converter output, not hand-written: the procurement section of ``pdftotext -layout`` on a ruled reportlab
# PDF of corpus 002 (``benchmarks/bench_converters.py --write``), three pages each laid out on its own grid. The
# last page's repeated header sets the words 非财政拨款结余 over the column that holds the 2026年预留中小微企业份额
# figures: read as printed, every row's total would be short of its sources by that figure.
PROCUREMENT_THREE_PAGES = Path(__file__).parent / "fixtures" / "002_procurement_pdftotext_layout.txt"


def test_a_later_page_whose_header_reads_otherwise_is_also_read_in_the_first_pages_columns():
    text = PROCUREMENT_THREE_PAGES.read_text(encoding="utf-8")
    rows = table(read(text), "government_procurement").rows
    last_page = rows[[r.label.text if r.label else "" for r in rows].index("中心小计") + 1:]
    assert len(last_page) >= 6
    assert all("sme_reserved" in r.values and "non_fiscal_balance" not in r.values for r in last_page if r.values)
