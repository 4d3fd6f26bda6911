"""Rows of a card whose cells wrap over lines and are centred in their rows (``pdftotext -layout`` of a ruled card),
and the check that keeps a target that took another row's words from passing as verified.

- A target whose unit is a unit of measure with other words run on after it (``49650000元效果显``) is flagged
  ``card.indicator_unit``; its value is not verified as read.

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
