"""Tables printed with a group of columns per year (the national template's 三公 table on one line: 2024年预算数 |
2025年预算数, each over 合计 | 因公出国（境）费 | 公务用车购置及运行维护费 (小计 | 购置费 | 运行维护费) | 公务接待费; an
expenditure table with last year's 合计 before this year's 合计 | 基本支出 | 项目支出).

This year's keys (total, reception, basic …) hold this year's figures, never the first group's; last year's 合计 is
``previous_year`` and its parts keep their header paths; each group's own sum is checked, so a changed figure in
either group is flagged — and nothing is flagged when both add up. Documents generated here (a made-up bureau).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import read_generated


TITLE = "某市交通运输局2025年部门预算\n\n"
THREE_PUBLIC_HEAD = {
    "years": ("2024年预算数", "2025年预算数"),
    "relative": ("上年预算数", "本年预算数"),
}


def three_public(groups: tuple[str, str], last: list[str], this: list[str], sep: str = "\t") -> str:
    """The 三公 table on one line, a group of six columns per year, in 元."""
    top = sep.join([groups[0], *[""] * 5, groups[1], *[""] * 5])
    names = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"]
    subs = ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""]
    return (f"{TITLE}表九 一般公共预算“三公”经费支出预算表\n\n单位：元\n\n{top}\n{sep.join(names * 2)}\n"
            f"{sep.join(subs * 2)}\n{sep.join(last + this)}\n")


LAST = ["335,000.00", "0.00", "265,000.00", "0.00", "265,000.00", "70,000.00"]
THIS = ["292,800.00", "0.00", "228,800.00", "0.00", "228,800.00", "64,000.00"]


def read(text: str, name: str = "year_groups"):
    return read_generated(text, name)


def values(result, kind: str, row_index: int = 0) -> dict[str, Decimal]:
    table = next(t for t in result.tables if t.kind == kind)
    return {k: a.value for k, a in table.rows[row_index].values.items()}


def errors(result) -> list[str]:
    return [f"{f.check}: {f.message}" for f in result.flags if f.severity == "error"]


@pytest.mark.parametrize("style", ["years", "relative"])
def test_three_public_year_groups_this_years_keys_hold_this_years_figures(style):
    result = read(three_public(THREE_PUBLIC_HEAD[style], LAST, THIS))
    got = values(result, "three_public_costs")
    assert got["total"] == Decimal("292800.00")
    assert got["vehicle"] == Decimal("228800.00")
    assert got["vehicle_operation"] == Decimal("228800.00")
    assert got["reception"] == Decimal("64000.00")
    assert got["previous_year"] == Decimal("335000.00")
    # Last year's parts are kept, under their header paths: no printed number is dropped.
    assert sorted(v for k, v in got.items() if k.startswith(THREE_PUBLIC_HEAD[style][0])) == sorted(
        Decimal(x.replace(",", "")) for x in LAST[1:])
    assert errors(result) == []


@pytest.mark.parametrize("group,cell", [(0, 5), (1, 5), (1, 2)])
def test_three_public_year_groups_a_changed_figure_is_flagged_in_its_group(group, cell):
    last, this = list(LAST), list(THIS)
    changed = (last, this)[group]
    changed[cell] = "99,000.00"
    result = read(three_public(THREE_PUBLIC_HEAD["years"], last, this))
    assert any(e.startswith("table.row_sum") for e in errors(result)), errors(result)


def expenditure(last_total: str = "2964.46") -> str:
    return (f"{TITLE}表五 一般公共预算支出预算表\n\n单位：万元\n\n"
            "科目编码\t科目名称\t2024年预算数\t2025年预算数\t\t\n"
            "\t\t合计\t合计\t基本支出\t项目支出\n"
            f"\t合计\t{last_total}\t3293.85\t1313.35\t1980.50\n"
            "208\t社会保障和就业支出\t112.77\t125.30\t125.30\t\n"
            "214\t交通运输支出\t2851.69\t3168.55\t1188.05\t1980.50\n")


def test_expenditure_year_groups_read_this_years_total_and_last_years_apart():
    result = read(expenditure())
    total_row = values(result, "general_budget_expenditure", 0)
    assert total_row["total"] == Decimal("3293.85")
    assert total_row["previous_year"] == Decimal("2964.46")
    assert total_row["basic"] + total_row["project"] == total_row["total"]
    assert errors(result) == []


def test_expenditure_year_groups_last_years_total_is_still_checked_down_the_codes():
    result = read(expenditure(last_total="2965.46"))
    assert any("2965.46" in e for e in errors(result)), errors(result)
