"""A target whose comparator is printed in words inside its cell (不超过2000万元, 不少于300场, 达到100%, 10项以上, 控制在3天
以内, 约500人), or with a note (≥95%（含）), or a negative bound (≤-5%): the number, its comparator and its unit are read.
A target of two numbers (90%-95%, 3-5天, ≥90%且≤100%) or a change (较上年增长10%) is not one figure: its numbers are
flagged read.unparsed, never dropped. A date (12月31日前, 2025年12月底前) is words about a time, not a quantity.

The card is generated here (a hand-written fixture in a tab template other provinces print).
"""

from __future__ import annotations

import pytest

from textlayouts import left_aligned, pipes, run_text

CARD = """项目支出绩效目标表
项目名称\t文化惠民演出
项目资金（万元）\t年度资金总额\t1922.22
\t其中：财政拨款\t1922.22
年度目标\t全年组织送戏下乡演出300场。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t送戏下乡演出场次\t{target}
\t成本指标\t项目总成本\t{cost}
"""
LAYOUTS = {"tab": lambda t: t, "pipe": pipes, "spaced": left_aligned}


def _run(tmp_path, target: str, cost: str = "≤1900万元", layout: str = "tab"):
    text = "青山县文化旅游局2025年部门预算\n\n" + LAYOUTS[layout](CARD.format(target=target, cost=cost))
    return run_text(tmp_path, text, "card.txt")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("target,want", [
    ("不少于300场", ("≥", "300", "场")), ("不低于95%", ("≥", "95", "%")), ("达到100%", ("≥", "100", "%")),
    ("大于等于300场", ("≥", "300", "场")), ("10项以上", ("≥", "10", "项")), ("3天以内", ("≤", "3", "天")),
    ("控制在3天以内", ("≤", "3", "天")), ("≤10个工作日内", ("≤", "10", "个工作日")), ("不超过30天", ("≤", "30", "天")),
    ("约500人", ("≈", "500", "人")), ("≥95%（含）", ("≥", "95", "%")), ("≤-5%", ("≤", "-5", "%")),
    ("不少于 300 场", ("≥", "300", "场")), ("3日内", ("≤", "3", "日")), ("90%以上", ("≥", "90", "%")),
])
def test_a_comparator_in_words_in_the_cell_is_read_with_its_number(tmp_path, target, want, layout):
    result, text = _run(tmp_path, target, layout=layout)
    ind = result.cards[0].indicators[0]
    assert (ind.comparator, ind.value.raw, ind.unit) == want
    assert text[slice(*ind.value.span)] == want[1]
    assert ind.target.text == target
    assert [f.check for f in result.flags] == []


@pytest.mark.parametrize("cost", ["不超过2000万元", "不高于2000万元", "小于等于2000万元", "控制在2000万元以内",
                                  "不超过20000000元", "2000万元以内"])
def test_a_cost_in_words_over_the_budget_is_flagged(tmp_path, cost):
    result, _ = _run(tmp_path, "≥300场", cost=cost)
    assert [f.check for f in result.flags] == ["card.cost"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("target,numbers", [
    ("90%-95%", ["90", "95"]), ("3-5天", ["3", "5"]), ("≥90%且≤100%", ["90", "100"]), ("较上年增长10%", ["10"]),
    ("提高5个百分点", ["5"]), ("1:1", ["1", "1"]),
])
def test_a_target_of_two_numbers_or_a_change_has_its_numbers_flagged_not_dropped(tmp_path, target, numbers, layout):
    result, text = _run(tmp_path, target, layout=layout)
    ind = result.cards[0].indicators[0]
    assert ind.value is None and ind.target.text == target
    flags = [f for f in result.flags if f.check == "read.unparsed"]
    assert [f.found for f in flags] == numbers
    assert all(text[slice(*f.spans[0])] == f.found for f in flags)


@pytest.mark.parametrize("target", ["12月31日前", "2025年12月底前", "第3季度", "按时完成", "二级及以上"])
def test_a_date_or_words_are_no_unread_number(tmp_path, target):
    result, _ = _run(tmp_path, target)
    assert result.cards[0].indicators[0].qualitative == target
    assert [f.check for f in result.flags] == []


def test_an_indicators_comparator_reaches_the_exported_fact(tmp_path):
    from extractor.export import result_facts

    result, _ = _run(tmp_path, "不少于300场")
    facts = {f["row_label"]: f for f in result_facts(result) if f["column"] == "indicator_value"}
    assert (facts["送戏下乡演出场次"]["column_label"], facts["送戏下乡演出场次"]["value"]) == ("指标值 ≥", "300")
    assert facts["项目总成本"]["column_label"] == "指标值 ≤"
