"""Space-aligned tables (``pdftotext -layout``-like) whose codes print their levels a space apart (201 03 01).

Generated here: the same tables laid out with text left-aligned and figures right-aligned, once with 7-digit codes
and once with the codes in levels (which makes the code column wider and moves every column after it). Both must
read the same values under the same columns, with no flag.
"""

from __future__ import annotations

import unicodedata

import pytest

from conftest import verify_text

# (code, name, personnel, public, project): the 合计 and the 类 / 款 lines are summed from the 项 lines.
LEAVES = [("2010301", "行政运行", 330, 70, 0), ("2010350", "事业运行", 100, 20, 0),
          ("2080505", "机关事业单位基本养老保险缴费支出", 100, 0, 0), ("2080506", "机关事业单位职业年金缴费支出", 50, 0, 0),
          ("2130705", "对村民委员会和村党支部的补助", 0, 0, 600), ("2210201", "住房公积金", 60, 0, 0)]
NAMES = {"201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "208": "社会保障和就业支出",
         "20805": "行政事业单位养老支出", "213": "农林水支出", "21307": "农村综合改革", "221": "住房保障支出",
         "22102": "住房改革支出"}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _lines() -> list[tuple[str, str, list[int]]]:
    sums: dict[str, list[int]] = {}
    for code, _name, *figures in LEAVES:
        for key in ("", code[:3], code[:5], code):
            acc = sums.setdefault(key, [0, 0, 0])
            for i, f in enumerate(figures):
                acc[i] += f
    names = {**NAMES, **{c: n for c, n, *_f in LEAVES}, "": "合计"}
    return [(k, names[k], sums[k]) for k in sorted(sums, key=lambda k: (k != "", k))]


def _cell(text: str, width: int, figure: bool) -> str:
    pad = " " * (width - _width(text))
    return pad + text if figure else text + pad


def _laid_out(header: list[list[str]], rows: list[list[str]]) -> str:
    """Rows of cells laid out in columns two spaces apart, figures right-aligned (as a PDF converter does)."""
    n = max(len(r) for r in header + rows)
    widths = [max(_width(r[k]) for r in header + rows if k < len(r)) + 2 for k in range(n)]
    out = []
    for r in header + rows:
        out.append("".join(_cell(c, widths[k], c[:1].isdigit() and r not in header) + "  "
                           for k, c in enumerate(r)).rstrip())
    return "\n".join(out)


def _code(code: str, levels: bool) -> str:
    return " ".join(filter(None, [code[:3], code[3:5], code[5:]])) if levels else code


def document(levels: bool) -> str:
    lines = _lines()
    money = lambda v: f"{v:.2f}" if v else ""  # noqa: E731
    detail = [[_code(c, levels), n, money(sum(f)), money(f[0]), money(f[1]), money(f[2])] for c, n, f in lines]
    summary = [[_code(c, levels), n, money(sum(f)), money(f[0] + f[1]), money(f[2])] for c, n, f in lines]
    return "\n".join([
        "某镇人民政府2025年部门支出总表", "", "单位：万元",
        _laid_out([["科目编码", "科目名称", "合计", "基本支出", "项目支出"]], summary), "",
        "某镇人民政府2025年一般公共预算支出表", "", "单位：万元",
        _laid_out([["科目编码", "科目名称", "合计", "基本支出", "", "项目支出"],
                   ["", "", "", "人员经费", "公用经费", ""]], detail), ""]) + "\n"


def _values(result) -> dict:
    return {(t.kind, r.code or r.item, k): v.value for t in result.tables for r in t.rows for k, v in r.values.items()}


@pytest.mark.parametrize("levels", [False, True], ids=["codes", "code_levels"])
def test_codes_printed_in_levels_read_like_plain_codes(levels):
    text = document(levels)
    assert ("201 03 01" in text) == levels
    result = verify_text("003", text)
    assert not result.flags, [f.message for f in result.flags]
    values = _values(result)
    assert values == _values(verify_text("003", document(False)))
    assert values[("general_budget_expenditure", "total", "public")] == 90
    assert values[("general_budget_expenditure", "total", "project")] == 600
    assert values[("general_budget_expenditure", "2010301", "personnel")] == 330
