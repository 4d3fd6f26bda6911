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

from textlayouts import display_width, left_aligned, run_text

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


# An indicator whose 指标值 the document left empty, printed alone under a row: where the name above did not fill its
# column (a one-line name of the grid is wider), a row of its own, its missing value flagged; where a one-line name is
# just as wide, the layout cannot tell it from the name's wrapped rest: joined, and flagged as either. A name wider than
# every other (it wrapped), or a piece that reads as a fragment, is the rest of the name above, with no flag.
EMPTY_VALUE_GRIDS = {
    "narrower_than_a_name_below": ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t演出场次\t≥300场\n"
                                   "\t\t惠及群众人次\t\n\t质量指标\t演出合格率\t100%\n效益指标\t社会效益指标\t群众文化生活水平\t有所提升\n"),
    "last_row_of_a_level": ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t质量指标\t合格率\t100%\n"
                            "\t时效指标\t完成时间\t12月底前\n\t\t资金拨付时限\t\n效益指标\t社会效益指标\t群众满意程度\t提升\n"),
}
EMPTY_WANT = {"narrower_than_a_name_below": "惠及群众人次", "last_row_of_a_level": "资金拨付时限"}
TIE = ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t送戏下乡演出场次\t≥300场\n"
       "\t\t惠及群众人次\t\n\t质量指标\t演出合格率\t100%\n效益指标\t社会效益指标\t群众文化生活水平\t有所提升\n")


@pytest.mark.parametrize("gap", [2, 3, 5])
@pytest.mark.parametrize("grid", EMPTY_VALUE_GRIDS)
def test_an_indicator_with_an_empty_value_under_a_row_is_a_row_of_its_own_and_flagged(tmp_path, grid, gap):
    body = "\n\n".join(left_aligned(b, gap=gap) for b in (KEYS + GOAL, EMPTY_VALUE_GRIDS[grid]))
    result = _read(tmp_path, body)
    (card,) = result.cards
    names = [i.name.text for i in card.indicators]
    assert len(names) == 4 and EMPTY_WANT[grid] in names
    (empty,) = [i for i in card.indicators if i.name.text == EMPTY_WANT[grid]]
    assert empty.target is None and empty.level2 == card.indicators[names.index(EMPTY_WANT[grid]) - 1].level2
    assert [(f.check, EMPTY_WANT[grid] in f.message) for f in result.flags] == [("card.indicator_value", True)]


@pytest.mark.parametrize("gap", [2, 3, 5])
def test_a_lone_name_under_a_name_as_wide_as_the_columns_widest_is_joined_and_flagged_as_either(tmp_path, gap):
    result = _read(tmp_path, "\n\n".join(left_aligned(b, gap=gap) for b in (KEYS + GOAL, TIE)))
    (card,) = result.cards
    assert [i.name.text for i in card.indicators][0] == "送戏下乡演出场次惠及群众人次"
    (flag,) = result.flags
    assert flag.check == "card.indicator_name" and "惠及群众人次" in flag.message and "没有指标值" in flag.message


WRAPPED_NAMES = {
    # The wrapped first line is the widest in its column.
    "widest": ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t惠及群众人次（含线上\t10000人次\n\t\t观看）\t\n"
               "\t质量指标\t演出合格率\t100%\n", "惠及群众人次（含线上观看）"),
    # Two names wrapped at the same width: neither's first line says the other need not wrap.
    "two_wrapped": ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t送戏下乡演出场次合\t≥300场\n\t\t计\t\n"
                    "\t质量指标\t省级以上获奖剧目数量\t≥2个\n\t\t占比\t\n\t时效指标\t项目完成时间\t12月底前\n",
                    "送戏下乡演出场次合计"),
    # A grid with a description column: a row of its own would print its description; the name wrapped, though a
    # one-line name below is as wide.
    "tie_with_description": ("一级指标\t二级指标\t三级指标\t指标说明\t指标值\n产出指标\t质量指标\t城镇职工城乡居民医疗\t"
                             "参保人数覆盖情况\t≥95%\n\t\t参保人数覆盖率\t\t\n\t\t基本医疗保险征缴完成\t征缴情况\t≥95%\n",
                             "城镇职工城乡居民医疗参保人数覆盖率"),
    # A name's first line ending mid-sentence (a comma), as wide as a one-line name below.
    "ends_with_a_comma": ("一级指标\t二级指标\t三级指标\t指标值\n效益指标\t社会效益指标\t对党委政府政策的宣贯，\t较高\n"
                          "\t\t保障离休干部利益\t\n\t可持续影响指标\t补助补贴政策长期保障作用\t较高\n",
                          "对党委政府政策的宣贯，保障离休干部利益"),
    # The rest of a name that reads as no name: it closes a bracket, though as wide as another name.
    "closes_a_bracket": ("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t惠及群众（含线上\t10000人次\n"
                         "\t\t观看）人次\t\n\t质量指标\t演出质量合格率\t100%\n", "惠及群众（含线上观看）人次"),
}


@pytest.mark.parametrize("grid", WRAPPED_NAMES)
def test_a_name_that_wrapped_stays_one_name(tmp_path, grid):
    text, want = WRAPPED_NAMES[grid]
    result = _read(tmp_path, "\n\n".join(left_aligned(b, gap=3) for b in (KEYS + GOAL, text)))
    (card,) = result.cards
    assert want in [i.name.text for i in card.indicators]
    assert all(i.target is not None for i in card.indicators)
    assert [f.check for f in result.flags] == []


@pytest.mark.parametrize("level2", ["服务对象满意度指标", "社会效益指标"])
def test_a_level_name_one_space_before_the_indicators_name_heads_its_own_column(tmp_path, level2):
    grid = left_aligned("一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t送戏下乡演出场次\t≥300场\n"
                        "\t成本指标\t项目总成本\t≤1900万元\n", gap=3)
    # The widest level name fills its column to the edge: one space before the name beside it.
    grid += "\n" + " " * (display_width("产出指标") + 3) + f"{level2} 群众满意度" + " " * 8 + "≥95%"
    result = _read(tmp_path, left_aligned(KEYS + GOAL, gap=3) + "\n\n" + grid + "\n")
    (card,) = result.cards
    assert [(i.level2, i.name.text) for i in card.indicators][-1] == (level2, "群众满意度")
