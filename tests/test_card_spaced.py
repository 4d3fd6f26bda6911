"""Space-aligned cards (``pdftotext -layout`` of a ruled card) in the shapes converters leave them.

- A key and its value one space apart (年度绩效目标 全年组织…: the value filled its cell to the edge) keeps the card a
  card: the goal is read and the indicator grid under it stays in the card, never a narrative of no checks.
- Two header words one space apart (权重（%） 评分标准) head two columns.
- A card broken over a page in its key–value part goes on after the page's furniture: its other budget lines, goal
  and indicators are the card's.

The cards are generated here (hand-written fixtures in the shapes of other provinces' cards).
"""

from __future__ import annotations

import re

import pytest

from textlayouts import left_aligned, run_text

KEYS = """项目名称\t文化惠民演出\t项目编码\t34122525P000000100011
主管部门\t青山县文化旅游局\t实施单位\t青山县文化馆
资金来源\t年度资金总额\t1922.22\t财政拨款\t1900.00
\t上年结转\t22.22\t其他资金\t0.00
"""
GOAL = "年度绩效目标\t全年组织送戏下乡演出不少于300场，丰富群众文化生活。\n"
GRID = """一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重（%）\t评分标准
产出指标\t数量指标\t送戏下乡演出场次\t≥\t300\t场\t40\t完成得满分
产出指标\t成本指标\t项目总成本\t≤\t1922.22\t万元\t30\t超支不得分
满意度指标\t服务对象满意度指标\t群众满意度\t≥\t95\t%\t30\t每低1%扣1分
"""
WANT = [("送戏下乡演出场次", "≥", "300", "场", "40", "完成得满分"), ("项目总成本", "≤", "1922.22", "万元", "30", "超支不得分"),
        ("群众满意度", "≥", "95", "%", "30", "每低1%扣1分")]


def _spaced(*blocks: str) -> str:
    return "\n\n".join(left_aligned(b, gap=5) for b in blocks)


def _read(tmp_path, body: str):
    return run_text(tmp_path, "青山县文化旅游局2025年部门预算\n\n项目支出绩效目标表\n单位：万元\n\n" + body, "card.txt")[0]


def _got(card):
    return [(i.name.text, i.comparator, i.value.raw, i.unit, i.weight.raw if i.weight else None,
             i.scoring.text if i.scoring else None) for i in card.indicators]


@pytest.mark.parametrize("key", ["年度绩效目标", "年度目标", "绩效目标"])
def test_a_goal_one_space_after_its_key_keeps_the_grid_under_it_in_the_card(tmp_path, key):
    goal = re.sub(r"^\S+\s+", f"{key} ", left_aligned(GOAL))
    result = _read(tmp_path, _spaced(KEYS) + "\n\n" + goal + "\n\n" + _spaced(GRID))
    assert [s.kind for s in result.sections if s.kind != "front_matter"] == ["performance_target"]
    (card,) = result.cards
    assert [g.text for g in card.goals] == ["全年组织送戏下乡演出不少于300场，丰富群众文化生活。"]
    assert _got(card) == WANT
    assert [f.check for f in result.flags] == []


def test_two_header_words_one_space_apart_head_two_columns(tmp_path):
    grid = re.sub(r"权重（%）\s+评分标准", "权重（%） 评分标准", _spaced(GRID))
    result = _read(tmp_path, _spaced(KEYS, GOAL) + "\n\n" + grid)
    (card,) = result.cards
    assert _got(card) == WANT
    assert [f.check for f in result.flags] == []


FULL = """项目名称\t文化惠民演出
项目编码\t34122525P000000100011
实施单位\t青山县文化馆
项目资金（万元）\t年度资金总额:\t1922.22
\t其中:财政拨款\t1900.00
\t上年结转\t22.22
\t其他资金\t0.00
年度目标\t全年组织送戏下乡演出不少于300场，丰富群众文化生活。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t送戏下乡演出场次\t≥300场
\t成本指标\t项目总成本\t≤1922.22万元
满意度指标\t服务对象满意度指标\t群众满意度\t≥95%
"""


@pytest.mark.parametrize("furniture", [
    "— 12 —\n\n青山县文化旅游局2025年部门预算公开\n\n", "第 3 页，共 9 页\n青山县文化旅游局2025年部门预算\n", "— 12 —\n\n",
], ids=["dash_number_and_running_title", "page_of_and_running_title", "number_only"])
@pytest.mark.parametrize("cut", ["年度资金总额", "其中:财政拨款", "年度目标"])
def test_a_card_broken_over_a_page_in_its_key_value_part_goes_on_after_the_furniture(tmp_path, cut, furniture):
    lines = FULL.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if cut in line) + 1
    # Each page is aligned on its own, as pdftotext lays out each page.
    body = left_aligned("".join(lines[:at])) + "\n\n" + furniture + left_aligned("".join(lines[at:]))
    result = _read(tmp_path, body)
    assert [s.kind for s in result.sections if s.kind != "front_matter"] == ["performance_target"]
    (card,) = result.cards
    b = card.budget
    assert [str(x.value) for x in (b.total, b.fiscal, b.carryover, b.other)] == ["1922.22", "1900.00", "22.22", "0.00"]
    assert [g.text for g in card.goals] == ["全年组织送戏下乡演出不少于300场，丰富群众文化生活。"]
    assert [(i.name.text, i.value.raw) for i in card.indicators] == [
        ("送戏下乡演出场次", "300"), ("项目总成本", "1922.22"), ("群众满意度", "95")]
    assert [f.check for f in result.flags] == []


WRAPPED_LEVELS = """一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t送戏下乡演出场次\t≥300场
效益指标\t社会效益指标\t群众文化生活水平\t有所提升
\t可持续影响指\t文化下乡活动频次\t≥3次/年
\t标\t\t
满意度指标\t服务对象满意\t群众满意度\t≥95%
\t度指标\t\t
"""


def test_a_level_name_wrapped_in_its_narrow_column_is_joined_and_no_row_lost(tmp_path):
    result = _read(tmp_path, _spaced(FULL.split("一级指标")[0] + WRAPPED_LEVELS))
    (card,) = result.cards
    got = [(i.level2, i.name.text, i.target.text) for i in card.indicators]
    assert got == [("数量指标", "送戏下乡演出场次", "≥300场"), ("社会效益指标", "群众文化生活水平", "有所提升"),
                   ("可持续影响指标", "文化下乡活动频次", "≥3次/年"), ("服务对象满意度指标", "群众满意度", "≥95%")]
    assert [f.check for f in result.flags] == []
