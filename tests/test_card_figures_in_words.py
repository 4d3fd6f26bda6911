"""Every figure printed on a card ends in a field or a flag — also the figures a card prints in words' company: after
a key and its colon in a paragraph (年度预算（万元）：95.00), in a budget line whose clauses a form's cells leave apart by
spaces (年度资金总额：95.00    其中：财政拨款：95.00 …), after the period of a spending plan printed as a sentence or as
cells of a period and its share (一季度25%，二季度50% …). Each such form of another template is read into its field;
one no field takes is flagged read.unparsed (trial26 #13). Also: 当年财政拨款 / 上年结转资金 and 执行率分值 (trial26 #08),
a target per some count (1000元/生·年), and a plan by quarters that reads only as cumulative (trial26 #14).

The cards are generated here, in several forms each.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from schemas import PerformanceCard
from verify import verify_result
from textlayouts import pipes, run_text

HEAD = """东岭区教育局2024年部门预算

东岭区教育局2024年项目支出预算表

单位：万元

项目类型\t项目名称\t项目单位\t合计\t一般公共预算
其他运转类\t教育督导评估\t东岭区教育督导室\t85.00\t85.00
合计\t\t\t85.00\t85.00

项目支出绩效目标表（2024年度）

项目名称：教育督导评估
主管部门：东岭区教育局
实施单位：东岭区教育督导室
"""
GRID = """年度目标：完成全区45所中小学校督导评估，促进教育质量提升。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t督导评估学校数量\t≥45所
产出指标\t质量指标\t督导报告合格率\t100%
满意度指标\t服务对象满意度指标\t学校满意度\t≥90%
"""
COMMA_BUDGET = "项目资金（万元）：年度资金总额85.00，其中：财政拨款85.00，上年结转0.00，其他资金0.00\n"


def _card(tmp_path, lines: str, name: str = "card.txt"):
    result = run_text(tmp_path, HEAD + lines + GRID, name)[0]
    (card,) = result.cards
    return result, card


def _checks(result, check: str) -> list[str]:
    return sorted(f.found for f in result.flags if f.check == check)


def _budget(card: PerformanceCard) -> tuple:
    b = card.budget
    return tuple(None if a is None else str(a.value) for a in (b.total, b.fiscal, b.carryover, b.other))


@pytest.mark.parametrize("gap", ["  ", "    ", "\u3000", "\t"])
@pytest.mark.parametrize("fiscal,carryover", [("财政拨款", "上年结转"), ("当年财政拨款", "上年结转资金")])
@pytest.mark.parametrize("colon", ["：", ""])
def test_a_budget_line_whose_clauses_spaces_part_is_read_clause_by_clause(tmp_path, gap, fiscal, carryover, colon):
    line = gap.join([f"项目资金（万元）：年度资金总额{colon}95.00", f"其中：{fiscal}{colon}90.00",
                     f"{carryover}{colon}5.00", f"其他资金{colon}0.00"])
    result, card = _card(tmp_path, line + "\n")
    assert _budget(card) == ("95.00", "90.00", "5.00", "0.00")
    assert _checks(result, "read.unparsed") == []
    assert _checks(result, "cross.card_budget") == ["95.00"]  # the card's 95.00 ≠ the project table's 85.00


@pytest.mark.parametrize("label", ["年度预算", "项目总金额", "项目资金", "年度预算数", "预算金额"])
@pytest.mark.parametrize("form", ["{label}（万元）：{t}", "{label}（万元）: {t}", "{label}：{t}万元", "{label}（万元）\t{t}",
                                  "| {label}（万元） | {t} |"])
def test_a_budget_total_under_another_templates_label_is_read(tmp_path, label, form):
    result, card = _card(tmp_path, form.format(label=label, t="95.00") + "\n")
    assert _budget(card) == ("95.00", None, None, None)
    assert _checks(result, "read.unparsed") == []
    assert _checks(result, "cross.card_budget") == ["95.00"]


def test_a_budget_groups_label_over_its_keys_is_no_total(tmp_path):
    rows = "项目资金（万元）\t年度资金总额\t85.00\n\t其中：当年财政拨款\t80.00\n\t上年结转资金\t5.00\n\t其他资金\t0.00\n"
    result, card = _card(tmp_path, rows)
    assert _budget(card) == ("85.00", "80.00", "5.00", "0.00")
    assert _checks(result, "read.unparsed") == [] and _checks(result, "card.budget") == []


PLAN_FORMS = {
    "paragraph": "资金支出计划：{a}{x}，{b}{y}，{c}{z}，{d}{w}\n",
    "semicolons": "资金支出计划：{a}：{x}；{b}：{y}；{c}：{z}；{d}：{w}\n",
    "tab row": "资金支出计划\t{a}{x}\t{b}{y}\t{c}{z}\t{d}{w}\n",
    "pipe row": "| 资金支出计划 | {a} {x} | {b} {y} | {c} {z} | {d} {w} |\n",
}
QUARTERS = ("一季度", "二季度", "三季度", "四季度")
MONTH_ENDS = ("3月底", "6月底", "9月底", "12月底")


def _plan(tmp_path, form: str, periods, shares):
    text = PLAN_FORMS[form].format(**dict(zip("abcd", periods)), **dict(zip("xyzw", (f"{s}%" for s in shares))))
    return _card(tmp_path, COMMA_BUDGET + text)


@pytest.mark.parametrize("form", PLAN_FORMS)
@pytest.mark.parametrize("periods,shares,cumulative,warned", [
    (QUARTERS, (25, 50, 75, 90), True, ["90%"]),  # the trial's: rising past 100 in all — cumulative, short of 100%
    (QUARTERS, (25, 50, 75, 100), True, []),  # trial26 #14: cumulative, ends at 100%
    (QUARTERS, (25, 25, 25, 25), False, []),  # shares of the year
    (QUARTERS, (10, 20, 30, 40), False, []),  # rising shares that add up to 100%
    (QUARTERS, (20, 30, 30, 10), False, ["90%"]),  # shares short of the year
    (MONTH_ENDS, (25, 50, 75, 100), True, []),
    (MONTH_ENDS, (25, 50, 75, 90), True, ["90%"]),
])
def test_a_spending_plan_printed_with_its_periods_is_read(tmp_path, form, periods, shares, cumulative, warned):
    result, card = _plan(tmp_path, form, periods, shares)
    assert [(s.period, int(s.percent.value)) for s in card.spending_plan] == list(zip(periods, shares))
    assert all(s.cumulative is cumulative for s in card.spending_plan)
    assert _checks(result, "read.unparsed") == []
    assert _checks(result, "card.spending_plan") == warned


def test_a_plan_by_quarters_in_a_header_row_that_reads_only_as_cumulative_is_cumulative(tmp_path):
    rows = "资金支出计划（%）\t第一季度\t第二季度\t第三季度\t第四季度\n\t25%\t50%\t75%\t100%\n"
    result, card = _card(tmp_path, COMMA_BUDGET + rows)
    assert [s.cumulative for s in card.spending_plan] == [True] * 4
    assert _checks(result, "card.spending_plan") == []


@pytest.mark.parametrize("line,figures", [
    ("项目概算（万元）：300.00", ["300.00"]),
    ("预算调整数：12.00    绩效评价得分：88", ["12.00", "88"]),
    ("资金使用进度：上半年40%，下半年", ["40"]),
    ("1-3月：25%，全年完成", ["25"]),
])
def test_a_figure_after_its_key_that_no_field_takes_is_flagged(tmp_path, line, figures):
    result, card = _card(tmp_path, COMMA_BUDGET + line + "\n")
    assert _checks(result, "read.unparsed") == sorted(figures)
    assert sorted(t.text for t in card.unparsed) == sorted(figures)


@pytest.mark.parametrize("line", [
    "说明：此项目为局机关网络机房建设资金，预计资金支出时间为 12 月底，支出金额为 8 万元。",
    "第 38 页，共 78 页",
    "目标 1",
    "备注：预计 2023 年 6 月底支付资金的 50%, 年底支付 100%。",
])
def test_figures_inside_words_are_words(tmp_path, line):
    result, _ = _card(tmp_path, COMMA_BUDGET + line + "\n")
    assert _checks(result, "read.unparsed") == []


def test_the_verifier_finds_figures_after_their_keys_whatever_reader_filled_the_card(tmp_path):
    result, card = _card(tmp_path, "年度预算（万元）：95.00\n资金支出计划：一季度25%，二季度50%，三季度75%，四季度100%\n")
    text = (tmp_path / "card.txt").read_text(encoding="utf-8")
    card.budget.total, card.spending_plan, card.unparsed = None, [], []  # as a model that left them out would
    again = verify_result(result.model_copy(update={"flags": []}), text)
    assert _checks(again, "read.unparsed") == ["100", "25", "50", "75", "95.00"]


SHANDONG = """| 项目名称 | 教育督导评估 | 项目编码 | 371102240001 |  |  |
|---|---|---|---|---|---|
| 项目资金（万元） | 年度资金总额 | 85.00 | {score_key} | {score} |  |
|  | 其中：当年财政拨款 | 80.00 |  |  |  |
|  | 上年结转资金 | 5.00 |  |  |  |
|  | 其他资金 | 0.00 |  |  |  |
| 一级指标 | 二级指标 | 三级指标 | 指标值 | 分值 | 备注 |
| 产出指标 | 数量指标 | 督导评估学校数量 | ≥45所 | 40 |  |
| 产出指标 | 成本指标 | 生均资助标准 | {standard} | 20 |  |
| 满意度指标 | 服务对象满意度指标 | 学校满意度 | ≥90% | 30 |  |
"""


@pytest.mark.parametrize("score_key", ["执行率分值", "预算执行率分值"])
@pytest.mark.parametrize("score,warned", [("10", []), ("20", ["110"])])
def test_the_execution_rates_points_count_with_the_indicators_weights(tmp_path, score_key, score, warned):
    text = "项目支出绩效目标表\n\n" + SHANDONG.format(score_key=score_key, score=score, standard="1000元/生·年")
    result = run_text(tmp_path, text, "card.md")[0]
    (card,) = result.cards
    assert card.execution_weight.value == Decimal(score)
    assert _budget(card) == ("85.00", "80.00", "5.00", "0.00")
    assert _checks(result, "card.weights") == warned
    assert _checks(result, "read.unparsed") == [] and _checks(result, "card.budget") == []


@pytest.mark.parametrize("standard,value,unit", [
    ("1000元/生·年", "1000", "元/生·年"), ("≤50元/人·次", "50", "元/人·次"), ("3万元/公里", "3", "万元/公里"),
    ("200元每人", "200", "元每人"), ("≥1.5万元/所", "1.5", "万元/所"),
])
def test_a_target_per_some_count_is_read_as_its_value_and_unit(tmp_path, standard, value, unit):
    text = "项目支出绩效目标表\n\n" + SHANDONG.format(score_key="执行率分值", score="10", standard=standard)
    result = run_text(tmp_path, text, "card.md")[0]
    ind = result.cards[0].indicators[1]
    assert (str(ind.value.value), ind.unit) == (value, unit)
    assert _checks(result, "read.unparsed") == []


def test_the_execution_weight_is_left_out_of_a_card_that_prints_none(tmp_path):
    _, card = _card(tmp_path, COMMA_BUDGET)
    assert card.execution_weight is None and "execution_weight" not in card.model_dump_json()


def test_pipes_layout_of_the_space_parted_budget_is_read(tmp_path):
    line = "项目资金（万元）：年度资金总额：95.00    其中：财政拨款：95.00    上年结转：0.00    其他资金：0.00\n"
    result = run_text(tmp_path, pipes(HEAD + GRID.replace("年度目标", line + "年度目标")), "card.txt")[0]
    assert _budget(result.cards[0]) == ("95.00", "95.00", "0.00", "0.00")


def test_the_execution_weight_is_grounded_and_exported(tmp_path):
    from extractor.export import count_facts, result_facts

    text = "项目支出绩效目标表\n\n" + SHANDONG.format(score_key="执行率分值", score="10", standard="≥50元/人")
    result = run_text(tmp_path, text, "card.md")[0]
    facts = [f for f in result_facts(result) if f["column"] == "execution_weight"]
    assert [(f["value"], f["status"], f["field"]) for f in facts] == [("10", "verified", f"performance_target[{result.cards[0].section_id}].execution_weight")]
    assert count_facts(result) == len(list(result_facts(result)))
