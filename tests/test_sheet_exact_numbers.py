"""A number a spreadsheet holds and shows in the General format is the number itself, not a figure rounded for
printing: 1.5 there is 1.50 exactly, so a 三公 小计 0.10 off its parts is an error, whereas the same figures typed
as text (printed to one decimal) allow each their rounding. A number formatted to fewer decimals than it holds
(0.00 over 1.454) keeps the rounding the format gave it.

The workbooks are generated here (hand-written fixtures in the shape of a 三公 sheet a data team writes with
openpyxl or pandas: numbers in the General format).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

ROWS = [("“三公”经费 小计", "subtotal"), ("一、因公出国(境)费", "outbound"), ("二、公务用车购置及运维费", "vehicle"),
        ("其中：公务用车购置费", "vehicle_purchase"), ("公务用车运行维护费", "vehicle_operation"),
        ("三、公务接待费", "reception")]


def _workbook(path, values: dict[str, object], number_format: str = "General"):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "三公经费"
    ws.append(["部门预算财政拨款“三公”经费支出表"])
    ws.append(["单位：万元"])
    ws.append(["项目", "合计", "一般公共预算财政拨款"])
    for label, item in ROWS:
        ws.append([label, values[item], values[item]])
        for cell in ws[ws.max_row][1:]:
            cell.number_format = number_format
    wb.save(path)
    return path


def _items_errors(path):
    from extractor.pipeline import run_file

    return [f for f in run_file(path).flags if f.check == "table.items" and f.severity == "error"]


OFF_BY_A_TENTH = {"subtotal": 1.5, "outbound": 0, "vehicle": 1.2, "vehicle_purchase": 0, "vehicle_operation": 1.2,
                  "reception": 0.4}


def test_a_subtotal_a_tenth_off_its_parts_in_general_numbers_is_an_error(tmp_path):
    errors = _items_errors(_workbook(tmp_path / "off.xlsx", OFF_BY_A_TENTH))
    assert errors and "1.5" in errors[0].message


def test_general_numbers_that_add_up_raise_nothing(tmp_path):
    assert not _items_errors(_workbook(tmp_path / "ok.xlsx", {**OFF_BY_A_TENTH, "subtotal": 1.6}))


def test_the_same_figures_as_text_allow_their_printed_rounding(tmp_path):
    """Typed as text, "1.5" is a figure printed to one decimal: 1.5 against 1.2 + 0.4 is within its rounding."""
    as_text = {k: str(v) for k, v in OFF_BY_A_TENTH.items()}
    assert not _items_errors(_workbook(tmp_path / "text.xlsx", as_text, number_format="@"))


@pytest.mark.parametrize("number_format", ["0.00", "#,##0.00"])
def test_a_number_shown_to_fewer_decimals_than_it_holds_keeps_its_rounding(tmp_path, number_format):
    """1.454 + 0.224 = 1.678 shown 1.45 + 0.22 against a 小计 1.68: the format rounded them; no error."""
    values = {"subtotal": 1.678, "outbound": 0, "vehicle": 1.454, "vehicle_purchase": 0, "vehicle_operation": 1.454,
              "reception": 0.224}
    path = _workbook(tmp_path / "rounded.xlsx", values, number_format)
    assert not _items_errors(path)
    from extractor.load import load_document

    geometry = load_document(path).geometry
    assert not geometry.exact  # shown rounded: not the numbers themselves
    assert Decimal("1.45") in {Decimal(t) for t in load_document(path).text.split() if t[:1].isdigit()}
