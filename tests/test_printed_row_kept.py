"""A row whose printed figures do not add up is read where it is printed, and flagged (trial23 finding 1).

A 合计 column printed in 元 beside the others in 万元, a decimal slip (5.90 for 0.59), a typo in a part's cell: the row's
sum fails. Its figures stay under the headers they are printed under and the row is flagged (``table.row_sum``); no
reading that takes them elsewhere is exported as verified only because the sums then hold — in particular not one that
empties the row's 合计 (its sum is then not checked at all, which is not holding).

The tables are generated here (hand-written fixtures, labelled as such): the “三公”经费支出表 and a 支出总表 with an
item-number column (序号), a group header over some columns and a 栏次 row, and the 三公 table with a header of one
row, printed with pipes, tabs and aligned by spaces (``layout_variants``' pdftotext model), the slip in different
cells and rows.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.export import result_facts
from extractor.load import Document
from extractor.pipeline import extract_document
from layout_variants import SpaceLayout, _place, _space_header, width
from verify import verify_result

# Hand-written fixture: the 三公 table of examples/000 (序号, 项目, a 资金性质 group over its four columns, a 栏次 row
# numbering the columns from 项目). Each row: (序号, label, item key, 合计, 一般公共预算).
THREE_PUBLIC_TITLE = "部门预算财政拨款“三公”经费支出表"
THREE_PUBLIC_KEYS = ("total", "general_budget", "government_fund", "state_capital")
THREE_PUBLIC_GROUPED = [["序号", "项目", "资金性质", "", "", ""],
                        ["", "", "合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"],
                        ["栏次", "1", "2", "3", "4", "5"]]
THREE_PUBLIC_FLAT = [["序号", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"],
                     ["栏次", "1", "2", "3", "4", "5"]]
THREE_PUBLIC_ROWS = [("1", "合计", "total", "5.72"), ("2", "“三公”经费小计", "subtotal", "5.72"),
                     ("3", "一、因公出国（境）费", "outbound", ""), ("4", "其中：教学科研人员因公出国（境）费", "outbound_teaching", ""),
                     ("5", "其他因公出国（境）费", "outbound_other", ""), ("6", "二、公务用车购置及运维费", "vehicle", "5.13"),
                     ("7", "其中：公务用车购置费", "vehicle_purchase", ""), ("8", "公务用车运行维护费", "vehicle_operation", "5.13"),
                     ("9", "三、公务接待费", "reception", "0.59")]

# Hand-written fixture: a 支出总表 whose lines all print 合计 and 基本支出 only (every row's blanks come after its figures),
# 序号, a 功能分类科目 group over 科目编码 | 科目名称, a 栏次 row. Each row: (序号, code, name, 合计).
SUMMARY_TITLE = "部门预算支出总表"
SUMMARY_KEYS = ("total", "basic", "project")
SUMMARY_HEADER = [["序号", "功能分类科目", "", "合计", "基本支出", "项目支出"],
                  ["", "科目编码", "科目名称", "", "", ""],
                  ["栏次", "1", "2", "3", "4", "5"]]
SUMMARY_ROWS = [("1", "208", "社会保障和就业支出", "201.87"), ("2", "20805", "行政事业单位养老支出", "201.87"),
                ("3", "2080501", "行政单位离退休", "36.37"), ("4", "2080505", "机关事业单位基本养老保险缴费支出", "143.06"),
                ("5", "2080506", "机关事业单位职业年金缴费支出", "22.44"), ("6", "210", "卫生健康支出", "53.68"),
                ("7", "21011", "行政事业单位医疗", "53.68"), ("8", "2101101", "行政单位医疗", "53.68")]


def _money(text: str) -> str:
    return f"{Decimal(text):,.2f}"


def _slipped(text: str) -> str:
    """The figure with its decimal point one place off: 0.59 → 5.90, 22.44 → 224.40."""
    return f"{Decimal(text) * 10:.2f}"


# Slips: (name, the figures a row prints in its first two amount columns from the two equal ones it should print).
SLIPS = {
    "total_in_yuan": lambda a: (_money(str(Decimal(a) * 10000)), a),  # 合计 in 元, the parts in 万元
    "decimal_in_total": lambda a: (_slipped(a), a),  # 合计 5.90 | 一般公共预算 0.59
    "typo_in_part": lambda a: (a, _slipped(a)),  # 合计 0.59 | 一般公共预算 5.90
}


def _three_public(grouped: bool, slip: str, rows: set[str]) -> tuple[list[list[str]], dict]:
    """The table's printed rows, and what each printed figure is: {(item, column): value}."""
    printed = [list(r) for r in (THREE_PUBLIC_GROUPED if grouped else THREE_PUBLIC_FLAT)]
    expected = {}
    for seq, label, item, amount in THREE_PUBLIC_ROWS:
        figures = SLIPS[slip](amount) if amount and (item in rows or "all" in rows) else (amount, amount)
        printed.append([seq, label, *figures, "", ""])
        for key, figure in zip(THREE_PUBLIC_KEYS, figures):
            if figure:
                expected[(item, key)] = Decimal(figure.replace(",", ""))
    return printed, expected


def _summary(slip: str, rows: set[str]) -> tuple[list[list[str]], dict]:
    printed = [list(r) for r in SUMMARY_HEADER]
    expected = {}
    for seq, code, name, amount in SUMMARY_ROWS:
        figures = SLIPS[slip](amount) if code in rows or "all" in rows else (amount, amount)
        printed.append([seq, code, name, *figures, ""])
        for key, figure in zip(SUMMARY_KEYS, figures):
            expected[(code, key)] = Decimal(figure.replace(",", ""))
    return printed, expected


def _document(title: str, rows: list[list[str]], style: str) -> str:
    """The table under its title and unit, with pipes, tabs, or aligned by spaces as pdftotext -layout prints it."""
    lines = [title, "", "单位：万元", ""]
    if style == "tabs":
        lines += ["\t".join(r) for r in rows]
    elif style == "spaces":
        lines += _spaced(rows)
    else:
        lines += ["| " + " | ".join(r) + " |" for r in rows[:1]] + ["|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines) + "\n"


def _spaced(rows: list[list[str]]) -> list[str]:
    """``pdftotext -layout`` of the table (``layout_variants``' model of it): each header cell centred in the box of
    the columns and rows it spans, the 栏次 numbers centred in their columns, figures right-aligned, words left."""
    lanci = next(i for i, r in enumerate(rows) if r[0] == "栏次")
    body = rows[lanci + 1:]
    figure = [j > 1 and any(c and c[0].isdigit() and "." in c for c in (r[j] for r in body)) for j in range(len(rows[0]))]
    widths = [max(10, *(width(r[j]) for r in body)) for j in range(len(rows[0]))]
    starts = [2]
    for w in widths[:-1]:
        starts.append(starts[-1] + w + 3)
    lay = SpaceLayout(starts=starts, widths=widths, margin=2, width=starts[-1] + widths[-1] - 2, row_gap=False,
                      valign="top", text_cols=set(), centre_numbers=False)
    out = _space_header(rows[:lanci], lay)
    out.append(_place([(starts[j] + (widths[j] - width(c)) // 2, c) for j, c in enumerate(rows[lanci]) if c]))
    for r in body:
        out.append(_place([(starts[j] + (widths[j] - width(c) if figure[j] else 0), c) for j, c in enumerate(r) if c]))
    return out


def _read(text: str):
    doc = Document(path=Path("/nonexistent/fixture.txt"), text=text, encoding="utf-8",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(doc), text)


def _facts(result, kind: str) -> dict:
    """{(row key, column): (value, status)} of the table's facts (row key: the item, or the code)."""
    out = {}
    for f in result_facts(result):
        if f["table"] == kind and f["value"] is not None:
            row = f["field"].split("[", 1)[1].split("]", 1)[0]
            out[(row, f["column"])] = (Decimal(f["value"]), f["status"])
    return out


def _row_sum_flagged(result, kind: str, row: str) -> bool:
    return any(f.check == "table.row_sum" and any(r.path.startswith(f"{kind}[{row}].") for r in f.fields)
               for f in result.flags)


def _ambiguous_rows(result, kind: str) -> set[str]:
    return {r.path.split("[", 1)[1].split("]", 1)[0] for f in result.flags if f.check == "read.ambiguous"
            for r in f.fields if r.path.startswith(f"{kind}[")}


def _check(result, kind: str, expected: dict, slipped: set[str]) -> None:
    got = _facts(result, kind)
    assert {k: v for k, (v, _s) in got.items()} == expected, "figures read away from where they are printed"
    wrong = [(k, s) for k, (_v, s) in got.items() if k[0] in slipped and s == "verified"]
    assert not wrong, f"a row that does not add up has verified figures: {wrong}"
    unflagged = [r for r in slipped if not _row_sum_flagged(result, kind, r)]
    assert not unflagged, f"rows whose sum fails, not flagged table.row_sum: {unflagged}"


@pytest.mark.parametrize("style", ["pipes", "tabs", "spaces"])
@pytest.mark.parametrize("slip, rows", [
    ("total_in_yuan", {"all"}),  # every filled row: the 合计 column in 元 (V2, X2)
    ("decimal_in_total", {"reception"}),  # one row's 合计 (V1)
    ("decimal_in_total", {"vehicle_operation"}),
    ("typo_in_part", {"reception"}),  # one row's 一般公共预算 cell (X3)
    ("typo_in_part", {"subtotal"}),
])
def test_three_public_row_that_does_not_add_up_is_read_where_printed_and_flagged(style, slip, rows):
    printed, expected = _three_public(True, slip, rows)
    result = _read(_document(THREE_PUBLIC_TITLE, printed, style))
    slipped = {r[2] for r in THREE_PUBLIC_ROWS if r[3]} if "all" in rows else rows
    _check(result, "three_public_costs", expected, slipped)
    # The header's empty cells before its filled ones say the converter kept empty cells: nothing to doubt.
    assert not _ambiguous_rows(result, "three_public_costs")


@pytest.mark.parametrize("style", ["pipes", "tabs"])
@pytest.mark.parametrize("slip, rows", [("total_in_yuan", {"all"}), ("decimal_in_total", {"reception"}),
                                        ("typo_in_part", {"reception"})])
def test_three_public_with_a_header_of_one_row_never_verifies_a_reading_that_empties_the_total(style, slip, rows):
    """No header cell says the converter kept empty cells: the rows could have lost theirs, so a reading with the
    row's figures one column to the right is proposed. It adds up only by leaving 合计 blank: named on the row
    (``read.ambiguous``), never taken."""
    printed, expected = _three_public(False, slip, rows)
    result = _read(_document(THREE_PUBLIC_TITLE, printed, style))
    slipped = {r[2] for r in THREE_PUBLIC_ROWS if r[3]} if "all" in rows else rows
    _check(result, "three_public_costs", expected, slipped)
    assert _ambiguous_rows(result, "three_public_costs") == slipped  # the other reading named on each such row


@pytest.mark.parametrize("style", ["pipes", "tabs", "spaces"])
@pytest.mark.parametrize("slip, rows", [("total_in_yuan", {"all"}), ("decimal_in_total", {"2080506"}),
                                        ("typo_in_part", {"2080505"}), ("decimal_in_total", {"208"})])
def test_summary_row_that_does_not_add_up_is_read_where_printed_and_flagged(style, slip, rows):
    printed, expected = _summary(slip, rows)
    result = _read(_document(SUMMARY_TITLE, printed, style))
    slipped = {r[1] for r in SUMMARY_ROWS} if "all" in rows else rows
    _check(result, "expenditure_summary", expected, slipped)
    assert not _ambiguous_rows(result, "expenditure_summary")


def test_the_tables_as_printed_read_in_place_and_verified():
    """The fixtures without a slip: every figure where it is printed, verified (the tests above fail for the slip)."""
    for style in ("pipes", "tabs", "spaces"):
        printed, expected = _three_public(True, "total_in_yuan", set())
        got = _facts(_read(_document(THREE_PUBLIC_TITLE, printed, style)), "three_public_costs")
        assert {k: v for k, (v, _s) in got.items()} == expected and {s for _v, s in got.values()} == {"verified"}
        printed, expected = _summary("total_in_yuan", set())
        got = _facts(_read(_document(SUMMARY_TITLE, printed, style)), "expenditure_summary")
        assert {k: v for k, (v, _s) in got.items()} == expected and {s for _v, s in got.values()} == {"verified"}
