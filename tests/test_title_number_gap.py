"""The gap between a table's number and its title (trial 21d): "表1  收入总表" with two or more spaces, as
``pdftotext -layout`` prints a title, or "表1<TAB>收入总表", as a tab converter does, opens the table as one space
does; a contents page that lists the titles is matched to them.

Generated here (a hand-written fixture, not a real disclosure).
"""

from __future__ import annotations

import pytest

from textlayouts import run_text

TABLES = [
    ("一般公共预算支出表", ["科目编码\t科目名称\t合计\t基本支出\t项目支出",
                          "\t合计\t310.00\t250.00\t60.00",
                          "201\t一般公共服务支出\t310.00\t250.00\t60.00",
                          "20103\t政府办公厅（室）及相关机构事务\t310.00\t250.00\t60.00",
                          "2010301\t行政运行\t250.00\t250.00\t",
                          "2010350\t事业运行\t60.00\t\t60.00"]),
    ("政府性基金预算支出表", ["科目编码\t科目名称\t合计\t基本支出\t项目支出",
                            "\t合计\t40.00\t\t40.00",
                            "212\t城乡社区支出\t40.00\t\t40.00",
                            "21208\t国有土地使用权出让收入安排的支出\t40.00\t\t40.00",
                            "2120899\t其他国有土地使用权出让收入安排的支出\t40.00\t\t40.00"]),
    ("一般公共预算“三公”经费支出表", ["合计\t因公出国（境）费\t公务用车购置及运行维护费\t公务接待费",
                                   "9.00\t0.00\t6.00\t3.00"]),
]


def _document(number: str, gap: str) -> str:
    lines = ["示范县档案馆2025年部门预算", "", "目录"]
    lines += [f"{number.format(n)} 示范县档案馆2025年{name}" for n, (name, _rows) in enumerate(TABLES, start=1)]
    lines.append("")
    for n, (name, rows) in enumerate(TABLES, start=1):
        lines += ["", f"{number.format(n)}{gap}示范县档案馆2025年{name}", "单位：万元", *rows]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("number", ["表{}", "附表1-{}"])
@pytest.mark.parametrize("gap", [" ", "  ", "    ", "\t", "\u3000"])
def test_the_gap_after_a_tables_number_does_not_matter(tmp_path, number, gap):
    result, _text = run_text(tmp_path, _document(number, gap))
    assert [t.kind for t in result.tables] == [
        "general_budget_expenditure", "government_fund_expenditure", "three_public_costs"]
    assert [t.title.split(maxsplit=1)[0] for t in result.tables] == [number.format(n) for n in (1, 2, 3)]
    assert sum(len(r.values) for t in result.tables for r in t.rows) == 25
    assert not result.flags, [f.message for f in result.flags]


def test_a_tab_row_of_cells_is_still_a_row(tmp_path):
    """A row of cells whose first cell looks like a table's number stays a row of the table it is printed in."""
    text = _document("表{}", " ").replace("2010350\t事业运行", "2010350\t事业运行（表2附注）")
    result, _text = run_text(tmp_path, text)
    assert [t.kind for t in result.tables][:1] == ["general_budget_expenditure"]
    assert not result.flags, [f.message for f in result.flags]


@pytest.mark.parametrize("gap", [" ", "  "])
def test_the_last_entry_of_a_contents_list_followed_by_other_lines_opens_no_table(tmp_path, gap):
    """A contents page that lists the tables, then the explanation's own contents (prose and tab rows with page
    numbers): its last table entry is an entry, not the title of a table whose rows are the lines after it."""
    text = _document("表{}", gap)
    listed = "\n".join(f"表{n}{gap}示范县档案馆2025年{name}" for n, (name, _rows) in enumerate(TABLES, start=1))
    explanation = "\n".join(["", "部门预算情况说明", "一、部门职责及机构设置情况\t12", "二、部门预算安排的总体情况\t13",
                             "三、机关运行经费安排情况\t14", ""])
    text = text.replace("\n".join(f"表{n} 示范县档案馆2025年{name}" for n, (name, _rows) in enumerate(TABLES, start=1)),
                        listed + "\n" + explanation)
    result, _text = run_text(tmp_path, text)
    assert [(t.kind, t.title.split(maxsplit=1)[0]) for t in result.tables] == [
        ("general_budget_expenditure", "表1"), ("government_fund_expenditure", "表2"), ("three_public_costs", "表3")]
    assert sum(len(r.values) for t in result.tables for r in t.rows) == 25
    assert not result.flags, [f.message for f in result.flags]
