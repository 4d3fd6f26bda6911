"""A classification table printing names only (no 科目编码): its levels come from the names' indentation.

Generated here from a tree of lines whose parents are the sums of their children; a fault is planted by changing
one leaf. Indentation printed as full-width spaces or as spaces inside tab cells is read; a table whose names show no
levels, and whose 合计 is not simply the sum of every line, is flagged as not checked — never verified silently.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import verify_text

# (level, name, amount for leaves)
TREE = [
    (0, "一般公共服务支出", None), (1, "政府办公厅（室）及相关机构事务", None), (2, "行政运行", "400.00"),
    (2, "事业运行", "120.00"), (0, "社会保障和就业支出", None), (1, "行政事业单位养老支出", None),
    (2, "机关事业单位基本养老保险缴费支出", "100.00"), (2, "机关事业单位职业年金缴费支出", "50.00"),
]


def _sums(tree, leaf_change=None):
    """Each line's amount: a leaf's own, a parent's the sum of the lines one level down under it."""
    amounts = [Decimal(a) if a else None for _l, _n, a in tree]
    if leaf_change:
        name, value = leaf_change
        amounts = [Decimal(value) if n == name else a for (_l, n, _a), a in zip(tree, amounts)]
    out = list(amounts)
    for i in range(len(tree) - 1, -1, -1):
        if out[i] is None:
            level = tree[i][0]
            total, j = Decimal(0), i + 1
            while j < len(tree) and tree[j][0] > level:
                if tree[j][0] == level + 1:
                    total += out[j]
                j += 1
            out[i] = total
    return out


def build(indent: str = "\u3000", leaf_change=None, parents_from_truth=True) -> str:
    """A 一般公共预算支出表 of names; ``leaf_change`` (name, value) changes a leaf after its parents were summed."""
    true = _sums(TREE)
    shown = _sums(TREE, leaf_change)
    lines = ["某镇2025年一般公共预算支出表", "单位：万元", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
             f"\t合计\t{sum(a for (l, _n, _a), a in zip(TREE, true) if l == 0):.2f}"
             f"\t{sum(a for (l, _n, _a), a in zip(TREE, true) if l == 0):.2f}\t0.00"]
    for (level, name, _a), t, s in zip(TREE, true, shown):
        value = t if parents_from_truth and _a is None else s
        lines.append(f"\t{indent * level}{name}\t{value:.2f}\t{value:.2f}\t0.00")
    return "\n".join(lines) + "\n"


def _hierarchy(result):
    return [f for f in result.flags if f.check == "table.hierarchy"]


@pytest.mark.parametrize("indent", ["\u3000", "  "], ids=["fullwidth", "spaces"])
def test_indented_names_are_checked_as_a_hierarchy(indent):
    assert not _hierarchy(verify_text("003", build(indent)))
    flags = _hierarchy(verify_text("003", build(indent, leaf_change=("行政运行", "410.00"))))
    assert flags and all(f.severity == "error" for f in flags)
    assert any("政府办公厅（室）及相关机构事务 · 合计 520.00 ≠ 下级科目之和 行政运行 410.00 + 事业运行 120.00" in f.message
               for f in flags)


def test_names_without_indentation_leave_the_hierarchy_unchecked_and_say_so():
    result = verify_text("003", build(indent=""))
    flags = _hierarchy(result)
    assert [f.severity for f in flags] == ["warning"]
    assert "未核对" in flags[0].message
    table = next(t for t in result.tables if t.kind == "general_budget_expenditure")
    leaf = next(r for r in table.rows if r.label and r.label.text == "行政运行")
    flagged = {ref.path for ref in flags[0].fields}
    assert any(p.endswith("[行政运行].total") for p in flagged), flagged
    assert leaf.values["total"].value == Decimal("400.00")


def test_a_flat_list_of_names_adding_up_to_its_total_needs_no_warning():
    text = "某镇2025年一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n" \
           "\t合计\t670.00\t670.00\t0.00\n\t一般公共服务支出\t520.00\t520.00\t0.00\n" \
           "\t社会保障和就业支出\t150.00\t150.00\t0.00\n"
    assert not _hierarchy(verify_text("003", text))


def test_an_indentation_that_skips_a_level_is_not_taken_for_a_hierarchy():
    text = build().replace("\t\u3000政府办公厅", "\t政府办公厅")  # 款 at the 类's level: 行政运行 two levels below it
    flags = _hierarchy(verify_text("003", text))
    assert [f.severity for f in flags] == ["warning"]


CODES = ["201", "20103", "2010301", "2010350", "208", "20805", "2080505", "2080506"]


def _coded_summary() -> str:
    """The same lines as a coded 支出总表 (its codes are what the names-only table's lines are matched to)."""
    lines = ["某镇2025年部门支出总表", "单位：万元", "科目编码\t科目名称\t合计\t基本支出\t项目支出"]
    true = _sums(TREE)
    lines.append(f"\t合计\t{sum(a for (l, _n, _a), a in zip(TREE, true) if l == 0):.2f}"
                 f"\t{sum(a for (l, _n, _a), a in zip(TREE, true) if l == 0):.2f}\t0.00")
    for code, (_l, name, _a), value in zip(CODES, TREE, true):
        lines.append(f"{code}\t{name}\t{value:.2f}\t{value:.2f}\t0.00")
    return "\n".join(lines) + "\n\n"


def test_unindented_names_take_the_codes_other_tables_print_for_them():
    assert not _hierarchy(verify_text("003", _coded_summary() + build(indent="")))
    flags = _hierarchy(verify_text("003", _coded_summary() + build(indent="", leaf_change=("行政运行", "410.00"))))
    assert flags and all(f.severity == "error" for f in flags)
    assert any("520.00 ≠ 下级科目之和（层级按他表同名科目的编码）" in f.message for f in flags)


def test_a_name_the_other_tables_give_two_codes_is_not_matched():
    summary = _coded_summary().replace("2080506\t机关事业单位职业年金缴费支出", "2080506\t行政运行")
    text = summary + build(indent="").replace("机关事业单位职业年金缴费支出", "行政运行")
    flags = _hierarchy(verify_text("003", text))
    assert "warning" in [f.severity for f in flags]
