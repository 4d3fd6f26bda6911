"""A card and its project's row in the 项目支出表: matched by 项目编码 first, then by name (as cards print it: a year
before it, 项目 / 专项 after it, a bracketed note such as （续建）), and, where several rows share the name, by the card's
实施单位 against the row's 项目单位. A card whose project is in no row, or in rows it cannot tell apart, is said so
(cross.card_project, a warning): never silence.

The documents are generated here (hand-written fixtures in the shape of other provinces' tables and cards).
"""

from __future__ import annotations

import pytest

from textlayouts import pipes, run_text


def _table(rows: list[tuple[str, str, str, str]], code_column: bool = True, unit_column: bool = True) -> str:
    head = ["项目编码"] * code_column + ["项目名称"] + ["项目单位"] * unit_column + ["合计", "财政拨款"]
    lines = ["青山县文化旅游局2025年项目支出表", "单位：万元", "\t".join(head)]
    for code, name, unit, total in rows:
        lines.append("\t".join([code] * code_column + [name] + [unit] * unit_column + [total, total]))
    total = sum(float(r[3]) for r in rows)
    lines.append("\t".join([""] * code_column + ["合计"] + [""] * unit_column + [f"{total:.2f}"] * 2))
    return "\n".join(lines) + "\n\n"


def _card(name: str, total: str, code: str = "", unit: str = "青山县文化馆") -> str:
    return "\n".join(["项目支出绩效目标表", f"项目名称\t{name}"] + ([f"项目编码\t{code}"] if code else [])
                     + [f"实施单位\t{unit}", f"项目资金（万元）\t年度资金总额\t{total}", f"\t其中：财政拨款\t{total}",
                        "年度目标\t完成年度任务。", "一级指标\t二级指标\t三级指标\t指标值",
                        "产出指标\t数量指标\t演出场次\t≥300场"]) + "\n\n"


ROWS = [("34122525P000000100011", "文化惠民演出", "青山县文化馆", "1922.22"),
        ("34122525P000000100012", "非遗保护传承", "青山县非遗保护中心", "85.50")]


def _run(tmp_path, text: str, layout: str = "tab"):
    text = "青山县文化旅游局2025年部门预算\n\n" + text
    return run_text(tmp_path, pipes(text) if layout == "pipe" else text, "doc.txt")[0]


def _flags(result) -> list[tuple[str, str | None]]:
    return sorted((f.check, f.found) for f in result.flags)


@pytest.mark.parametrize("layout", ["tab", "pipe"])
@pytest.mark.parametrize("card_name", ["2025年文化惠民演出专项", "文化惠民演出", "惠民演出工程"])
def test_a_card_is_matched_by_its_project_code_whatever_its_name(tmp_path, card_name, layout):
    ok = _run(tmp_path, _table(ROWS) + _card(card_name, "1922.22", ROWS[0][0]), layout)
    assert _flags(ok) == []
    off = _run(tmp_path, _table(ROWS) + _card(card_name, "1932.22", ROWS[0][0]), layout)
    assert _flags(off) == [("cross.card_budget", "1932.22")]


@pytest.mark.parametrize("card_name", ["2025年文化惠民演出", "文化惠民演出（续建）", "文化惠民演出项目", "文化惠民演出专项资金",
                                       "文化惠民 演出"])
def test_a_card_is_matched_by_its_name_as_cards_print_it(tmp_path, card_name):
    result = _run(tmp_path, _table(ROWS, code_column=False) + _card(card_name, "1932.22"))
    assert _flags(result) == [("cross.card_budget", "1932.22")]


TWO_UNITS = [("", "文化惠民演出", "青山县文化馆", "1922.22"), ("", "文化惠民演出", "青山县剧团", "300.00")]


@pytest.mark.parametrize("layout", ["tab", "pipe"])
@pytest.mark.parametrize("amounts,wrong", [
    (("1922.22", "300.00"), []), (("1922.22", "350.00"), ["350.00"]), (("300.00", "1922.22"), ["1922.22", "300.00"]),
])
def test_cards_of_one_name_are_told_apart_by_their_implementing_unit(tmp_path, amounts, wrong, layout):
    cards = _card("文化惠民演出", amounts[0], unit="青山县文化馆") + _card("文化惠民演出", amounts[1], unit="青山县剧团")
    result = _run(tmp_path, _table(TWO_UNITS, code_column=False) + cards, layout)
    assert _flags(result) == [("cross.card_budget", w) for w in sorted(wrong)]


def test_cards_of_one_name_a_table_prints_no_unit_for_are_said_not_checked(tmp_path):
    cards = _card("文化惠民演出", "1922.22") + _card("文化惠民演出", "350.00", unit="青山县剧团")
    result = _run(tmp_path, _table(TWO_UNITS, code_column=False, unit_column=False) + cards)
    flags = [f for f in result.flags if f.check == "cross.card_project"]
    assert len(flags) == 2 and all(f.severity == "warning" and "2 行" in f.message for f in flags)
    assert not [f for f in result.flags if f.check == "cross.card_budget"]


def test_a_card_whose_project_is_in_no_row_is_said_so(tmp_path):
    result = _run(tmp_path, _table(ROWS) + _card("乡村旅游示范点建设", "300.00", "34122525P000000100099"))
    (flag,) = result.flags
    assert (flag.check, flag.severity) == ("cross.card_project", "warning")
    assert "乡村旅游示范点建设" in flag.message and "没有找到" in flag.message


def test_a_document_with_no_project_table_says_nothing_of_its_cards_projects(tmp_path):
    result = _run(tmp_path, _card("乡村旅游示范点建设", "300.00"))
    assert _flags(result) == []
