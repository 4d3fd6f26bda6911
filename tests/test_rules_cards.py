"""Performance-target cards in the three tabular templates."""

from __future__ import annotations

from decimal import Decimal

from conftest import result_for, text_for


def card(doc, name):
    for c in result_for(doc).cards:
        if c.project_name and c.project_name.text == name:
            return c
    raise AssertionError(name)


def test_000_card_fields_budget_plan_and_indicators():
    c = card("000", "财政资助困难居民参加城乡居民医保重点保障经费")
    assert c.project_code.text == "13108224P00000110029M"
    assert c.budget.total.value == Decimal("751.80") and c.budget.fiscal.value == Decimal("751.80")
    assert c.budget.other is None
    # The percentages sit one cell right of their periods; they belong to 10月底 and 12月底.
    assert [(s.period, s.percent.value) for s in c.spending_plan] == [("10月底", 100), ("12月底", 100)]
    first = c.indicators[0]
    assert (first.level1, first.level2, first.name.text) == ("产出指标", "数量指标", "参保人数")
    assert (first.comparator, first.value.value, first.unit) == ("≥", Decimal("430000"), "人")
    assert first.value.source_text(text_for("000")) == "430000"
    assert c.indicators[4].qualitative == "就医成本降低" and c.indicators[4].value is None


def test_000_indicator_cut_by_a_page_break_is_joined():
    c = card("000", "医保局人员全额保障经费")
    ind = next(i for i in c.indicators if i.name and i.name.text.startswith("劳务派遣人员工资足额发放"))
    assert ind.name.text == "劳务派遣人员工资足额发放率"
    assert len(ind.name.parts) == 2


def test_000_period_and_percentage_in_one_row():
    c = card("000", "临时用工特定经费")
    assert [s.period for s in c.spending_plan] == ["3月底", "6月底", "10月底", "12月底"]
    assert c.spending_plan[-1].percent.value == 100


def test_002_three_column_target_template():
    c = card("002", "城乡居民医疗救助")
    assert c.budget.total.raw == "280" and c.budget.fiscal.raw == "280.000000"
    ind = c.indicators[0]
    assert (ind.comparator, ind.value.value, ind.unit) == ("≥", Decimal("2000"), "人")
    timing = next(i for i in c.indicators if i.level2 == "时效指标")
    assert timing.value is None and timing.qualitative == "9月之前"


def test_003_key_value_card_and_lost_cells_restored():
    c = card("003", "欺诈骗取医保基金行为举报奖励")
    b = c.budget
    assert [str(x.value) for x in (b.total, b.fiscal, b.carryover, b.other)] == ["5.00", "5.00", "0.00", "0.00"]
    assert c.department.text == "[066]泗县医疗保障局" and c.implementing_unit.text == "泗县医疗保障局"
    sustain = next(i for i in c.indicators if i.level2 == "可持续影响指标")
    assert sustain.level1 == "效益指标" and sustain.qualitative == "影响程度较高"
    assert any("lost empty cell" in n for n in c.notes)
    cost = next(i for i in c.indicators if i.level2 == "成本指标")
    assert (cost.comparator, cost.value.value, cost.unit) == ("≤", Decimal("50000"), "元")


def test_003_row_missing_its_leading_cell_is_right_aligned():
    c = [c for c in result_for("003").cards if c.project_name.text == "医用网络使用维护费"][0]
    last = c.indicators[-1]
    assert (last.level1, last.level2, last.name.text, last.value.value) == ("满意度指标", "满意度指标", "服务对象满意度", 90)


def test_003_cost_indicator_in_yuan_kept_as_printed():
    c = card("003", "2024_城乡医疗救助")
    cost = next(i for i in c.indicators if i.level2 == "成本指标")
    assert cost.value.value == Decimal("49650000") and cost.unit == "元" and cost.comparator is None


def test_a_lone_last_piece_of_a_row_that_lost_cells_is_the_last_columns_rest(tmp_path):
    """000 prints "3])", the rest of a basis cut by a page break, under a repeated header one column narrower. With
    the repeated header gone, the row "| | | | | | 3]) |" is read under the first page's wider header: its piece
    is the last column's rest, not a target's ("100%3])" lost the figure 100)."""
    from layout_variants import corpus_variant

    from extractor.pipeline import run_file

    path = tmp_path / "000_no_header.txt"
    path.write_text(corpus_variant("000", "page_furniture_no_header"), encoding="utf-8")
    c = next(c for c in run_file(path).cards if c.project_name and c.project_name.text == "村卫生室一体化网络连接专项经费")
    checked = next(i for i in c.indicators if i.name and i.name.text == "验收达标情况")
    assert checked.target.text == "100%" and checked.value.value == 100
    assert checked.basis.text.endswith("3])")
