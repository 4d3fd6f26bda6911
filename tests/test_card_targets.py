"""An indicator's target as printed: a comparator with no number, or no target at all, is flagged, never passed.

A new user's card printed `经办业务笔数 ≥` (the number was lost) and `经费支出合规性` with an empty 指标值; both were
stored as qualitative with no comparator and no flag. The card here is a hand-written fixture (labelled as
such: not a real disclosure) in the tab-separated template of the trial file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

CARD = """示范县测试局
2025年部门预算

项目支出绩效目标表

项目名称\t\t综合管理\t\t
主管部门及代码\t\t[801]示范县测试局\t实施单位\t示范县测试局
项目资金 (万元)\t\t年度资金总额:\t300.00\t
\t\t其中:财政拨款\t300.00\t
\t\t上年结转\t0.00\t
\t\t其他资金\t0.00\t
年度目标\t保障工作正常开展\t\t\t
绩效指标\t一级指标\t二级指标\t三级指标\t指标值
\t产出指标\t数量指标\t{name}\t{target}
\t\t时效指标\t经费支出时效性\t按时支出
\t\t成本指标\t项目总成本\t≤3000000元
\t满意度指标\t满意度指标\t群众满意度\t≥90%
"""


def _verified(name: str, target: str):
    from extractor.load import Document
    from extractor.pipeline import extract_document
    from verify import verify_result

    text = CARD.format(name=name, target=target)
    doc = Document(path=Path("card.txt"), text=text, encoding="utf-8", sha256=hashlib.sha256(text.encode()).hexdigest())
    result = verify_result(extract_document(doc), text)
    [card] = result.cards
    indicator = next(i for i in card.indicators if i.name and i.name.text == name)
    return indicator, [f for f in result.flags if f.check == "card.indicator_value"]


@pytest.mark.parametrize("target,comparator", [("≥", "≥"), ("≥人", "≥"), ("≥ 笔", "≥"), ("≤元", "≤"),
                                               ("≥较高", "≥"), ("＞＝ 次", "≥")])
def test_a_comparator_with_no_number_is_kept_and_flagged(target, comparator):
    indicator, flags = _verified("经办业务笔数", target)
    assert indicator.comparator == comparator and indicator.value is None
    assert indicator.target.text == target
    [flag] = flags
    assert flag.severity == "warning" and "经办业务笔数" in flag.message and "没有数字" in flag.message
    assert "no number" in flag.message_en


def test_an_indicator_with_no_target_is_flagged():
    indicator, flags = _verified("经费支出合规性", "")
    assert indicator.target is None and indicator.value is None
    [flag] = flags
    assert flag.severity == "warning" and "没有指标值" in flag.message and "no target value" in flag.message_en
    assert tuple(flag.spans[0]) == indicator.name.span


@pytest.mark.parametrize("target", ["≥100笔", "按时完成", "≤12月底"])
def test_a_target_with_a_number_or_in_words_is_not_flagged(target):
    indicator, flags = _verified("经办业务笔数", target)
    assert flags == []


@pytest.mark.parametrize("target,value,unit", [
    ("≥12笔", "12", "笔"), ("≥12件", "12", "件"), ("≥12所", "12", "所"), ("≥12篇", "12", "篇"), ("≥12册", "12", "册"),
    ("≥12期", "12", "期"), ("≥12公里", "12", "公里"), ("≥1,200笔", "1200", "笔"), ("≥ 1,200 笔", "1200", "笔"),
    ("≥1200人次", "1200", "人次")])
def test_a_target_in_any_measure_word_is_read_as_its_number_and_unit(target, value, unit):
    """Units are measure words of every kind; a new user's `≥12笔` and `≥ 1,200 笔` were stored as words, their
    number lost with no flag."""
    from decimal import Decimal

    indicator, flags = _verified("经办业务笔数", target)
    assert (indicator.value.value, indicator.unit, indicator.comparator) == (Decimal(value), unit, "≥")
    assert flags == []


# (3日内 and 90%以上 say a bound in words: read as ≤ 3 日 and ≥ 90 %, in test_card_target_words.py.)
@pytest.mark.parametrize("target", ["12月底前完成", "12月31日前", "2025年12月底前"])
def test_words_about_a_figure_stay_words(target):
    indicator, _flags = _verified("经办业务笔数", target)
    assert indicator.value is None and indicator.qualitative == target


@pytest.mark.parametrize("cell,numbers", [("≥12笔", ["12"]), ("≥ 1,200 篇", ["1,200"]), ("≤3所", ["3"]),
                                          ("2024 年部门", []), ("12月底前完成", []), ("2025 年全年接听量 135222 人次", [])])
def test_the_verifier_counts_a_figure_in_a_measure_word_but_not_a_number_in_words(cell, numbers):
    """What the verifier checks no field left out (read.unparsed), whatever reader filled the card."""
    from schemas.cards import figures

    assert [text for _span, text in figures([(0, cell)])] == numbers
