"""A card's target wrapped in its cell, as PDF → Markdown converters write it (pymupdf4llm: ``≤50<br>000元``) or as
``pdftotext -layout`` prints a cell over two lines: read as the figure the cell prints when the pieces join one way
only, its value grounded on both pieces; left unread and flagged where a break between two digits could part two
figures (``17<br>60``: one figure or two?).

The cards are generated here (hand-written fixtures in the shapes converters give).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from textlayouts import run_text

CARD = """# 项目支出绩效目标表

|项目名称|文化惠民演出|||
|---|---|---|---|
|实施单位|青山县文化馆|||
|项目资金(万元)|年度资金总额:|1922.22||
||其中:财政拨款|1922.22||
|年度目标|全年组织送戏下乡演出。|||
|一级指标|二级指标|三级指标|指标值|
|产出指标|数量指标|送戏下乡演出场次|{count}|
||成本指标|单个演出补助标准|{cost}|
|满意度指标|服务对象满意度指标|群众满意度|{share}|
"""
# (cell as printed, comparator, value, unit)
JOINS = {
    "count": [("≥300<br>场", "≥", "300", "场"), ("≥<br>300场", "≥", "300", "场"), ("≥1<br>,200场", "≥", "1200", "场")],
    "cost": [("≤50<br>000元", "≤", "50000", "元"), ("≤1.<br>5万元", "≤", "1.5", "万元"), ("≤5<br>万元", "≤", "5", "万元")],
    "share": [("≥95<br>%", "≥", "95", "%"), ("≥9<br>5.5%", None, None, None)],
}


def _read(tmp_path, count: str, cost: str, share: str):
    return run_text(tmp_path, "青山县文化旅游局2025年部门预算\n\n" + CARD.format(count=count, cost=cost, share=share),
                    "cards.md")


@pytest.mark.parametrize("n", [0, 1, 2])
def test_a_target_wrapped_in_its_cell_reads_as_the_figure_it_prints_grounded_on_its_pieces(tmp_path, n):
    count, cost = JOINS["count"][n], JOINS["cost"][n]
    share = JOINS["share"][0]
    result, text = _read(tmp_path, count[0], cost[0], share[0])
    (card,) = result.cards
    got = [(i.comparator, str(i.value.value), i.unit) for i in card.indicators]
    assert got == [(c, str(Decimal(v)), u) for _, c, v, u in (count, cost, share)]
    for ind in card.indicators:
        assert len(ind.value.parts) == 2 or "<br>" not in text[ind.value.span[0]:ind.value.span[1]]
        assert ind.value.source_text(text).replace(",", "") == ind.value.raw.replace(",", "")
    assert [f.check for f in result.flags] == []


def test_a_break_between_digits_that_could_part_two_figures_is_left_unread_and_flagged(tmp_path):
    result, _ = _read(tmp_path, "17<br>60场", "≤50<br>000元", "≥9<br>5.5%")
    (card,) = result.cards
    by_name = {i.name.text: i for i in card.indicators}
    for name in ("送戏下乡演出场次", "群众满意度"):
        assert by_name[name].value is None and by_name[name].qualitative is not None
    assert by_name["单个演出补助标准"].value.value == Decimal("50000")
    unparsed = sorted(f.found for f in result.flags if f.check == "read.unparsed")
    assert unparsed == sorted(["17", "60", "9", "5.5"])


def test_a_wrapped_cost_is_checked_against_the_budget(tmp_path):
    result, _ = _read(tmp_path, "≥300场", "≤2000<br>0000元", "≥95%")
    assert [(f.check, f.found) for f in result.flags] == [("card.cost", "2000 万元")]


@pytest.mark.parametrize("printed,read", [("1922.<br>22", "1922.22"), ("1,922<br>.22", "1,922.22"), ("19<br>22.22", None)])
def test_a_budget_figure_wrapped_in_its_cell_is_read_when_its_pieces_join_one_way(tmp_path, printed, read):
    text = "青山县文化旅游局2025年部门预算\n\n" + CARD.format(count="≥300场", cost="≤5万元", share="≥95%").replace(
        "年度资金总额:|1922.22", f"年度资金总额:|{printed}")
    result, source = run_text(tmp_path, text, "cards.md")
    (card,) = result.cards
    if read is None:
        assert card.budget.total is None
        assert sorted(f.found for f in result.flags if f.check == "read.unparsed") == ["19", "22.22"]
    else:
        assert card.budget.total.raw == read and card.budget.total.source_text(source) == read
        assert card.budget.total.value == Decimal("1922.22")
        assert [f.check for f in result.flags] == []
