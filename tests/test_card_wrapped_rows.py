"""Rows of a card whose cells wrap over lines and are centred in their rows (``pdftotext -layout`` of a ruled card),
and the check that keeps a target that took another row's words from passing as verified.

- A target whose unit is a unit of measure with other words run on after it (``49650000元效果显``) is flagged
  ``card.indicator_unit``; its value is not verified as read.
- A row's cells centred about its line — split about it when of an even number of lines, leaving it empty in their
  column — are that row's: the upper half is held for it, not joined to the row above nor read as a row of its own
  (the trial: ``救助资金使用金 49650000`` / ``成本指标`` / ``额 元`` then ``有效减轻困难群 效果显`` / ``经济效益指标`` /
  ``众就医负担 著`` was one indicator, ``救助资金使用金额有效减轻困难群`` ``49650000元效果显``, verified).

The cards are generated here (hand-written fixtures in the shapes converters give).
"""

from __future__ import annotations

import pytest

from textlayouts import pipes, run_text

CARD = """项目支出绩效目标表
项目名称\t城乡医疗救助
实施单位\t青山县医疗保障服务中心
项目资金(万元)\t年度资金总额:\t1760.00
\t其中:财政拨款\t1760.00
年度目标\t减轻困难群众就医负担。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t全年救助人数\t≥155000人次
\t成本指标\t救助资金使用金额\t{target}
效益指标\t经济效益指标\t有效减轻困难群众就医负担\t效果显著
"""


def _run(tmp_path, target: str, layout=lambda t: t):
    return run_text(tmp_path, "青山县医疗保障局2025年部门预算\n\n" + layout(CARD.format(target=target)), "card.txt")[0]


@pytest.mark.parametrize("layout", [lambda t: t, pipes], ids=["tab", "pipe"])
@pytest.mark.parametrize("target,unit,rest", [("1760000元效果显", "元", "效果显"), ("≥100人参加", "人", "参加"),
                                              ("≤3年效果", "年", "效果"), ("1700万元显著", "万元", "显著")])
def test_a_unit_with_other_words_run_on_after_it_is_flagged_and_its_value_not_verified(tmp_path, target, unit, rest,
                                                                                       layout):
    from extractor.export import value_statuses

    result = _run(tmp_path, target, layout)
    (card,) = result.cards
    ind = card.indicators[1]
    assert ind.value is not None and ind.unit.startswith(unit) and ind.unit.endswith(rest)
    (flag,) = [f for f in result.flags if f.check == "card.indicator_unit"]
    assert f"“{unit}”之后的“{rest}”" in flag.message and repr(rest) in flag.message_en
    assert flag.severity == "warning" and flag.expected == unit
    path = f"performance_target[{card.section_id}].indicators[1].value"
    assert [ref.path for ref in flag.fields] == [path]
    assert value_statuses(result)[path].status == "flagged"


@pytest.mark.parametrize("target", ["1760000元", "≤20元/人", "≤5个工作日", "2025年度", "≥10个村", "≥50家企业", "≥3艘",
                                    "≥2万份", "≥1.2万人次", "≤0.25万元/m²", "≥12公里", "100%"])
def test_a_unit_as_units_are_printed_is_not_flagged(tmp_path, target):
    result = _run(tmp_path, target)
    (card,) = result.cards
    assert card.indicators[1].value is not None
    assert [f.check for f in result.flags if f.check == "card.indicator_unit"] == []


# --- Rows whose cells wrap and are centred in them, as pdftotext -layout prints a ruled card -------------------------
# A row's one-line cells (its levels) stand on its middle line; a cell of an odd number of lines is centred on that
# line, one of an even number is split about it, leaving it empty in its column (the trial's card: 救助资金使用金
# 49650000 / 成本指标 / 额 元).

_COLUMNS = {"level1": 8, "level2": 18, "name": 34, "target": 56}
_HEAD = """项目支出绩效目标表
项目名称                        城乡医疗救助
实施单位                        青山县医疗保障服务中心
项目资金(万元)     年度资金总额:       1760.00
                   其中:财政拨款       1760.00
年度目标           减轻困难群众就医负担。
        一级指标  二级指标        三级指标              指标值"""


def _width(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2e80)


def _cell_lines(pieces: list[str], middle: int) -> dict[int, str]:
    """The lines a cell of ``pieces`` takes about its row's middle line: an odd number centred on it, an even number
    split about it."""
    n, half = len(pieces), len(pieces) // 2
    if n % 2:
        return {middle - half + i: p for i, p in enumerate(pieces)}
    return {**{middle - half + i: p for i, p in enumerate(pieces[:half])},
            **{middle + 1 + i: p for i, p in enumerate(pieces[half:])}}


def _row_lines(level1: str | None, level2: str, name: list[str], target: list[str]) -> list[dict[str, str]]:
    tallest = max(len(name), len(target))
    height = tallest if tallest % 2 else tallest + 1
    middle = height // 2
    lines: list[dict[str, str]] = [{} for _ in range(height)]
    lines[middle]["level2"] = level2
    if level1:
        lines[middle]["level1"] = level1
    for column, pieces in (("name", name), ("target", target)):
        for i, piece in _cell_lines(pieces, middle).items():
            lines[i][column] = piece
    return lines


def _centred_card(rows: list[tuple]) -> str:
    out = []
    for row in rows:
        for cells in _row_lines(*row):
            line = ""
            for column in ("level1", "level2", "name", "target"):
                if column in cells:
                    line += " " * max(_COLUMNS[column] - _width(line), 2 if line else 0) + cells[column]
            out.append(line)
    return _HEAD + "\n" + "\n".join(out) + "\n"


FIRST = ("产出指标", "数量指标", ["全年救助人数"], ["≥155000人次"])
LAST = ("满意度指标", "满意度指标", ["救助对象满意度"], ["≥85%"])
# (the cost row's name and target as wrapped, the next row's): the trial's, and its kin.
WRAPS = {
    "name_and_target_split_in_two": (["救助资金使用金", "额"], ["49650000", "元"], ["有效减轻困难群", "众就医负担"], ["效果显", "著"]),
    "name_split_figure_on_the_middle_line": (["救助资金使用金", "额"], ["49650000元"], ["有效减轻困难群", "众就医负担"], ["效果显著"]),
    "figure_on_the_first_line": (["救助资金使用金额"], ["49650000", "元"], ["有效减轻困难群众就医负担"], ["效果显", "著"]),
    "name_in_three_figure_on_the_first_line": (["救助资金", "使用金", "额"], ["49650000", "元"], ["有效减轻困", "难群众就", "医负担"],
                                               ["效果显", "著"]),
    "name_in_four_figure_on_the_second_line": (["救助资", "金使用", "金额", "合计"], ["49650000", "元"],
                                               ["有效减", "轻困难", "群众就", "医负担"], ["效果显", "著"]),
}


@pytest.mark.parametrize("wrap", WRAPS)
def test_rows_whose_cells_are_centred_about_their_line_keep_their_own_cells(tmp_path, wrap):
    cost_name, cost_target, next_name, next_target = WRAPS[wrap]
    rows = [FIRST, (None, "成本指标", cost_name, cost_target), ("效益指标", "经济效益指标", next_name, next_target), LAST]
    result, _ = run_text(tmp_path, "青山县医疗保障局2025年部门预算\n\n" + _centred_card(rows), "card.txt")
    (card,) = result.cards
    got = [(i.level1, i.level2, i.name.text, i.target.text) for i in card.indicators]
    assert got == [("产出指标", "数量指标", "全年救助人数", "≥155000人次"),
                   ("产出指标", "成本指标", "".join(cost_name), "".join(cost_target)),
                   ("效益指标", "经济效益指标", "".join(next_name), "".join(next_target)),
                   ("满意度指标", "满意度指标", "救助对象满意度", "≥85%")]
    cost = card.indicators[1]
    assert (cost.value.value, cost.unit) == (49650000, "元")
    # The cost is the document's own fault (4965 万元 against a budget of 1760 万元): now said, not hidden.
    assert [f.check for f in result.flags] == ["card.cost"]


# Hand-written fixture (cut from pdftotext -layout of a ruled PDF of corpus 003: the trial's card; of the fields above its
# grid, only its name and budget kept). Its header is set wider than its rows; the 成本指标 row's name and target are
# split about its line; 效益指标, the name of a group of four rows, falls on the 经济效益指标 row's lower half;
# 可持续影响指 / 标 and 满意度指 / 标 are levels wrapped in their narrow columns, the second split about its row's line.
TRIAL_CARD = """项目支出绩效目标表
 项目名称                                                                          2024_城乡医疗救助
项目资金 (万元)                                           年度资金总额:       1760.00
绩效指标       一级指标                                           二级指标          三级指标        指标值
                                                                        全年救助
           产出指标                                           数量指标                      ≥155000人次
                                                                        人数

                          自己救助对象年
                  质量指标    度 合规费用救助    ≥70%
                             比率
                          救助资金使用年
                  时效指标               2024年
                             度
                          救助资金使用金    49650000
                  成本指标
                             额          元
                          有效减轻困难群    效果显
                经济效益指标
         效益指标              众 就医负担     著
                社会效益指标    对完善社会救助    效果显
                生态效益指标     体系 的影响     著
                可持续影响指    对健全医疗保障    成效明
                   标       体系 的作用     显
         满意度指             救助对象对救助
                  满意度指标               ≥85%
           标               工作 满意度
"""


def test_the_trials_card_keeps_the_cost_row_apart_from_the_row_below_it(tmp_path):
    result, _ = run_text(tmp_path, "泗县医疗保障局2024年部门预算\n\n" + TRIAL_CARD, "card.txt")
    (card,) = result.cards
    rows = {i.level2: (i.level1, i.name.text, i.target.text) for i in card.indicators if i.level2}
    assert rows["成本指标"] == ("产出指标", "救助资金使用金额", "49650000元")
    assert rows["经济效益指标"] == ("效益指标", "有效减轻困难群众 就医负担", "效果显著")
    assert rows["可持续影响指标"] == ("效益指标", "对健全医疗保障体系 的作用", "成效明显")
    assert rows["满意度指标"] == ("满意度指标", "救助对象对救助工作 满意度", "≥85%")
    cost = next(i for i in card.indicators if i.level2 == "成本指标")
    assert (cost.value.value, cost.unit) == (49650000, "元")
    assert "card.cost" in [f.check for f in result.flags] and "card.indicator_unit" not in [f.check for f in result.flags]
