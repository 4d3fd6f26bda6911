"""A card whose fields are printed as paragraphs, not rows (a Word template's 项目名称：… / 项目资金（万元）：年度资金总额
1200.00，其中：… above its indicator grid), and a department card's budget by the nature of its income and spending
(按收入性质分 | 一般公共预算 | 事业收入 | 上年结转, 按支出性质分 | 基本支出 | 项目支出). Each field is read at its characters and
checked like the same field printed in rows; a figure no field takes is flagged, never dropped (trial24 findings 12, 16).

The cards are generated here (hand-written fixtures in the shapes the findings met).
"""

from __future__ import annotations

import pytest

from textlayouts import run_text

HEAD = """某市交通运输局2025年部门预算

表7 项目支出表

单位：万元

项目名称\t合计\t一般公共预算\t上年结转
合计\t1200.00\t1000.00\t200.00
国省干线公路建设项目\t1200.00\t1000.00\t200.00

"""
GRID = """绩效指标：
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t完成里程\t≥120公里
产出指标\t质量指标\t验收合格率\t100%
产出指标\t成本指标\t项目成本\t≤1200万元
效益指标\t社会效益指标\t群众出行条件\t明显改善
满意度指标\t服务对象满意度指标\t群众满意度\t≥95%
"""
GOAL = "完成国省干线公路建设项目，保障道路安全畅通。"
# The same card's fields in the layouts templates and converters print them as paragraphs.
FIELDS = {
    "full_width": f"""项目支出绩效目标表
项目名称：国省干线公路建设项目
主管部门：某市交通运输局
实施单位：某市交通运输局本级
项目资金（万元）：年度资金总额{{total}}，其中：财政拨款1000.00，上年结转200.00，其他资金0.00
年度绩效目标：{GOAL}
""",
    "half_width": f"""项目支出绩效目标表
项目名称:国省干线公路建设项目
主管部门: 某市交通运输局
实施单位:某市交通运输局本级
项目资金(万元):年度资金总额{{total}},其中:财政拨款1000.00,上年结转200.00,其他资金0.00
年度绩效目标:{GOAL}
""",
    "next_line": f"""项目支出绩效目标表
项目名称：
国省干线公路建设项目
主管部门：
某市交通运输局
实施单位：
某市交通运输局本级
项目资金（万元）：
年度资金总额{{total}}，其中：财政拨款1000.00，上年结转200.00，其他资金0.00
年度绩效目标：
{GOAL}
""",
    "line_per_part": f"""项目支出绩效目标表
项目名称：国省干线公路建设项目
主管部门：某市交通运输局
实施单位：某市交通运输局本级
年度资金总额：{{total}}万元
其中：财政拨款：1000.00万元
上年结转：200.00万元
其他资金：0.00万元
年度绩效目标：{GOAL}
""",
    "figure_next_line": f"""项目支出绩效目标表
项目名称：国省干线公路建设项目
主管部门：某市交通运输局
实施单位：某市交通运输局本级
年度资金总额：
{{total}}
财政拨款：
1000.00
上年结转：
200.00
其他资金：
0.00
年度绩效目标：{GOAL}
""",
    # Two fields on one spaced line (项目属性 … 项目期) among the paragraphs: the fields after it are still the card's,
    # not prose after a table.
    "spaced_pair": f"""项目支出绩效目标表
项目名称：国省干线公路建设项目
主管部门：某市交通运输局
实施单位：某市交通运输局本级
项目属性：延续项目      项目期：1年
项目资金（万元）：年度资金总额{{total}}，其中：财政拨款1000.00，上年结转200.00，其他资金0.00
年度绩效目标：{GOAL}
""",
    # A Word table whose rows hold key and value in one cell (项目期：1年), the goal a row of one cell.
    "cells": f"""项目支出绩效目标表
项目名称：国省干线公路建设项目
主管部门：某市交通运输局
实施单位：某市交通运输局本级
项目属性：延续项目      项目期：1年
项目资金（万元）\t年度资金总额\t{{total}}
\t其中：财政拨款\t1000.00
\t上年结转\t200.00
\t其他资金\t0.00
年度绩效目标：{GOAL}\t
""",
}


def _run(tmp_path, layout: str, total: str = "1200.00", fields: str | None = None):
    text = HEAD + (fields or FIELDS[layout]).format(total=total) + GRID
    return run_text(tmp_path, text, "card.txt")


def _printed(text: str, field) -> str:
    return text[field.span[0]:field.span[1]]


@pytest.mark.parametrize("layout", FIELDS)
def test_the_fields_printed_as_paragraphs_are_read_at_their_characters(tmp_path, layout):
    result, text = _run(tmp_path, layout)
    (card,) = result.cards
    fields = {name: getattr(card, name) for name in ("project_name", "department", "implementing_unit")}
    assert {k: v.text for k, v in fields.items()} == {
        "project_name": "国省干线公路建设项目", "department": "某市交通运输局", "implementing_unit": "某市交通运输局本级"}
    assert all(_printed(text, v) == v.text for v in fields.values())
    budget = {part: getattr(card.budget, part) for part in ("total", "fiscal", "carryover", "other")}
    assert {k: str(v.value) for k, v in budget.items()} == {
        "total": "1200.00", "fiscal": "1000.00", "carryover": "200.00", "other": "0.00"}
    assert all(_printed(text, v) == v.raw for v in budget.values())
    assert [g.text for g in card.goals] == [GOAL] and _printed(text, card.goals[0]) == GOAL
    assert len(card.indicators) == 5 and card.unit == "万元"
    assert [(f.check, f.found) for f in result.flags] == []  # matched with its project's row, nothing left unread


@pytest.mark.parametrize("layout", FIELDS)
def test_a_changed_budget_figure_is_flagged(tmp_path, layout):
    result, _ = _run(tmp_path, layout, total="1300.00")
    (card,) = result.cards
    assert str(card.budget.total.value) == "1300.00"
    flags = sorted((f.check, f.found) for f in result.flags)
    assert ("card.budget", "1300.00") in flags and all(found == "1300.00" for _, found in flags)
    assert any(check.startswith("cross.card") for check, _ in flags)  # ≠ the project's row (1200.00)


def test_a_figure_under_a_key_the_card_does_not_know_is_flagged_never_dropped(tmp_path):
    fields = FIELDS["full_width"].replace("其他资金0.00", "基建拨款0.00")
    result, text = _run(tmp_path, "", fields=fields)
    (card,) = result.cards
    assert card.budget.other is None
    (flag,) = result.flags
    assert (flag.check, flag.found) == ("read.unparsed", "0.00")
    assert text[flag.spans[0][0]:flag.spans[0][1]] == "0.00" and "基建拨款0.00" in text


@pytest.mark.parametrize("other", ["其他资金：0.00元", "其他资金：\n0.00元", "其他资金：0.00元，基建拨款1.00"])
def test_a_figure_in_another_unit_than_the_cards_is_flagged_not_read(tmp_path, other):
    fields = FIELDS["line_per_part"].replace("其他资金：0.00万元", other)
    result, _ = _run(tmp_path, "", fields=fields)
    (card,) = result.cards
    assert card.budget.other is None and card.unit == "万元"
    unread = ["0.00", "1.00"] if "1.00" in other else ["0.00"]
    assert [t.text for t in card.unparsed] == unread  # each once
    assert [(f.check, f.found) for f in result.flags] == [("read.unparsed", x) for x in unread]


def test_a_card_cut_before_its_grid_is_not_read_by_its_paragraphs_alone(tmp_path):
    # Fields as paragraphs and one stray row, no indicator grid: unread, as a flattened card (a person looks).
    text = HEAD + FIELDS["next_line"].format(total="1200.00") + "项目属性：延续项目      项目期：1年\n"
    result, _ = run_text(tmp_path, text, "card.txt")
    assert result.cards == []
    assert [f.check for f in result.flags] == ["completeness.unread"]


DEPT = """某市交通运输局2025年部门预算

2025年部门整体支出绩效目标表
单位：万元
部门名称\t某市交通运输局
{budget}年度主要任务\t任务名称\t主要内容\t预算金额
\t国省干线公路建设\t完成国省干线改造\t1200.00
年度总体目标\t保障全市公路安全畅通。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t干线公路改造里程\t≥120公里
"""
# The budget by the nature of its income and of its spending, as blocks under the budget's key; or side by side.
BY_NATURE = {
    "blocks": """年度预算申请\t资金总额\t3543.85
\t按收入性质分\t一般公共预算\t3293.85
\t\t事业收入\t{income}
\t\t上年结转\t200.00
\t按支出性质分\t基本支出\t1363.35
\t\t项目支出\t2180.50
""",
    "side_by_side": """年度预算申请\t资金总额\t3543.85\t\t
\t按收入性质分\t\t按支出性质分\t
\t一般公共预算\t3293.85\t基本支出\t1363.35
\t事业收入\t{income}\t项目支出\t2180.50
\t上年结转\t200.00\t\t
""",
    "sentence": """年度预算申请：资金总额3543.85；按收入性质分：一般公共预算3293.85，事业收入{income}，上年结转200.00；按支出性质分：基本支出1363.35，项目支出2180.50
""",
}


def _dept(tmp_path, layout: str, income: str = "50.00"):
    text = DEPT.format(budget=BY_NATURE[layout].format(income=income))
    return run_text(tmp_path, text, "dept.txt")


@pytest.mark.parametrize("layout", BY_NATURE)
def test_a_department_cards_income_by_nature_is_read_and_adds_up(tmp_path, layout):
    result, text = _dept(tmp_path, layout)
    (card,) = result.cards
    b = card.budget
    assert (str(b.total.value), str(b.carryover.value), str(b.other.value)) == ("3543.85", "200.00", "50.00")
    assert {k: str(v.value) for k, v in b.sources.items()} == {"一般公共预算": "3293.85"}
    assert b.fiscal is None and _printed(text, b.other) == "50.00"
    assert card.notes == ["budget: 其他资金 is the card's 事业收入 50.00"]
    # 基本支出 / 项目支出 have no field of the card's: flagged unread, never a false budget error.
    assert sorted((f.check, f.found) for f in result.flags) == [("read.unparsed", "1363.35"),
                                                                 ("read.unparsed", "2180.50")]


@pytest.mark.parametrize("layout", BY_NATURE)
def test_a_changed_income_figure_is_flagged(tmp_path, layout):
    result, _ = _dept(tmp_path, layout, income="60.00")
    flags = sorted((f.check, f.found) for f in result.flags)
    assert flags == [("card.budget", "3543.85"), ("read.unparsed", "1363.35"), ("read.unparsed", "2180.50")]
