"""The income sources a narrative names (trial24 finding 11), and lines named with their level.

Every test puts one paragraph after the tables of a generated county department (``county_budget``): 收入 1334.56 =
一般公共预算拨款收入 1264.56 + 政府性基金预算拨款收入 50.00 + a 20.00 non-fiscal income printed as the 收支总表's line
五 and a column of the 收入总表, under the name the test gives it (事业收入, 单位资金, 事业单位经营收入 …).
Each source the registry reads as a column of the 收入总表 is a subject: compared with its 收支总表 line (else its
收入总表 column) and counted as a part of 收入. Before, 事业收入 / 单位资金 / 事业单位经营收入 were not read, so a
true sentence got a `narrative.parts` error blaming the document.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from county_budget import document, narrative_flags, run

WHOLE = "2025年收入预算1334.56万元，其中：一般公共预算拨款收入1264.56万元，政府性基金预算拨款收入50.00万元，{part}。"

# The printed name of the non-fiscal line, the words the sentence uses for it, and the claim's subject.
SOURCES = [
    ("事业收入", "事业收入", "事业收入"),
    ("单位资金", "单位资金", "单位资金收入"),
    ("单位资金", "单位资金收入", "单位资金收入"),
    ("事业单位经营收入", "事业单位经营收入", "事业单位经营收入"),
    ("事业单位经营收入", "经营收入", "事业单位经营收入"),
    ("上级补助收入", "上级补助收入", "上级补助收入"),
    ("附属单位上缴收入", "附属单位上缴收入", "附属单位上缴收入"),
    ("其他收入", "其他收入", "其他收入"),
]


def _claims(result) -> dict[str, tuple[str, str]]:
    return {c.subject: (str(c.value.value), c.status) for c in result.claims}


@pytest.mark.parametrize("printed, words, subject", SOURCES)
def test_a_true_source_is_a_part_of_income_and_verified(printed, words, subject):
    result = run(WHOLE.format(part=f"{words}20.00万元"), non_fiscal=printed)
    assert narrative_flags(result) == []
    claims = _claims(result)
    assert claims[subject] == ("20.00", "verified")
    assert claims["收入"] == ("1334.56", "verified")  # its parts add up: the source is one of them


@pytest.mark.parametrize("printed, words, subject", SOURCES)
def test_a_wrong_source_is_flagged_against_its_line_and_the_whole(printed, words, subject):
    result = run(WHOLE.format(part=f"{words}25.00万元"), non_fiscal=printed)
    table = narrative_flags(result, "narrative.table")
    assert table == [f"说明：{subject} 25.00 万元 ≠ 收支总表 五、{printed} 收入 预算数 20.00 万元"]
    parts = narrative_flags(result, "narrative.parts")
    assert len(parts) == 1 and f"{subject} 25.00" in parts[0] and "差 -5.00" in parts[0]
    assert _claims(result)[subject] == ("25.00", "flagged")


def _run_text(text: str):
    from extractor.load import Document
    from extractor.pipeline import extract_document
    from verify import verify_result

    source = Document(path=Path("某县农业农村局2025年部门预算.txt"), text=text, encoding="utf-8",
                      sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(source), text)


@pytest.mark.parametrize("stated, holds", [("20.00", True), ("25.00", False)])
def test_a_source_the_summary_does_not_print_is_compared_with_the_income_table(stated, holds):
    # The 收支总表 prints the line as 单位资金; the 收入总表 prints its column as 事业收入.
    text = document(WHOLE.format(part=f"事业收入{stated}万元"), non_fiscal="事业收入")
    text = text.replace("| 五、事业收入 |", "| 五、单位资金 |", 1)
    result = _run_text(text)
    table = narrative_flags(result, "narrative.table")
    if holds:
        assert narrative_flags(result) == []
        assert _claims(result)["事业收入"] == ("20.00", "verified")
    else:
        assert len(table) == 1 and table[0].startswith("说明：事业收入 25.00 万元 ≠ 收入总表") and "20.00" in table[0], table


def test_the_parts_of_unit_funds_are_its_parts_not_more_income():
    # 单位资金 20.00 = 事业收入 15.00 + 其他收入 5.00: 收入 = 一般 + 基金 + 单位资金, the two not counted again.
    result = run(WHOLE.format(part="单位资金收入20.00万元，其中事业收入15.00万元，其他收入5.00万元"), non_fiscal="单位资金")
    assert narrative_flags(result, "narrative.parts") == []
    assert _claims(result)["单位资金收入"] == ("20.00", "verified")
    assert _claims(result)["收入"] == ("1334.56", "verified")


def test_parts_of_unit_funds_that_do_not_add_up_are_flagged():
    result = run(WHOLE.format(part="单位资金收入20.00万元，其中事业收入15.00万元，其他收入6.00万元"), non_fiscal="单位资金")
    parts = narrative_flags(result, "narrative.parts")
    assert len(parts) == 1 and parts[0].startswith("说明：单位资金收入 20.00 ≠ 事业收入 15.00 + 其他收入 6.00 = 21.00")


def test_unit_funds_arranged_for_projects_is_no_income_claim():
    result = run("项目支出550.00万元，其中一般公共预算拨款安排500.00万元，单位资金安排50.00万元。")
    assert "单位资金收入" not in _claims(result)


@pytest.mark.parametrize("sentence, subject, value", [
    ("农林水支出（类）1064.56万元，主要用于行政运行、其他农业农村支出；其中行政运行（项）564.56万元。", "213", "1064.56"),
    ("农林水支出（类）1064.56万元，主要用于行政运行、其他农业农村支出；其中行政运行（项）564.56万元。", "2130101", "564.56"),
    ("农林水（类）1064.56万元。", "213", "1064.56"),
    ("农业农村（款）1064.56万元。", "21301", "1064.56"),
    ("住房公积金（项）预算数为30.00万元。", "2210201", "30.00"),
])
def test_a_line_named_with_its_level_is_read_and_verified(sentence, subject, value):
    result = run(sentence)
    assert narrative_flags(result) == []
    found = {("213" if c.subject == "农林水支出" else c.subject): (str(c.value.value), c.status) for c in result.claims}
    assert found[subject] == (value, "verified")


@pytest.mark.parametrize("sentence, expected", [
    ("农林水支出（类）1000.00万元。", "说明：农林水支出 1000.00 万元 ≠ 支出总表 213 农林水支出 合计 1064.56 万元"),
    ("农林水支出（类）1064.56万元，其中行政运行（项）600.00万元。", "说明：2130101 600.00 万元 ≠ 支出总表 2130101 行政运行 合计 564.56 万元"),
])
def test_a_wrong_figure_of_a_line_named_with_its_level_is_flagged(sentence, expected):
    table = narrative_flags(run(sentence), "narrative.table")
    assert table == [expected]


def test_a_level_name_the_tables_do_not_print_is_no_claim():
    result = run("公路养护（项）1362.34万元。")
    assert [(c.subject, c.status) for c in result.claims] == [("公路养护（项）", "unchecked")] and result.claims[0].reason
    assert narrative_flags(result) == []


@pytest.mark.parametrize("stated, holds", [("15.00", True), ("16.00", False)])
def test_a_part_of_unit_funds_is_compared_with_its_line_under_unit_funds(stated, holds):
    # 五、单位资金 20.00 / 其中：事业收入 15.00 / 其他收入 5.00 in the 收支总表 (the 收入总表 prints 单位资金 only).
    text = document(WHOLE.format(part=f"单位资金收入20.00万元，其中事业收入{stated}万元，其他收入5.00万元"),
                    non_fiscal="单位资金")
    line = "| 五、单位资金 | 20.00 | 五、住房保障支出 | 30.00 |"
    text = text.replace(line, f"{line}\n| 其中：事业收入 | 15.00 | | |\n| 其他收入 | 5.00 | | |", 1)
    result = _run_text(text)
    if holds:
        assert narrative_flags(result) == []
        assert _claims(result)["事业收入"] == ("15.00", "verified")
    else:
        assert narrative_flags(result, "narrative.table") == ["说明：事业收入 16.00 万元 ≠ 收支总表 其中：事业收入 收入 预算数 15.00 万元"]
        assert len(narrative_flags(result, "narrative.parts")) == 1
