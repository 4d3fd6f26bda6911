"""三公 vehicle lines named the ways templates name them, read alike as lines and as columns (the registry's one
wording). Hand-written tables, figures made up for the test."""

from __future__ import annotations

import pytest

from conftest import verify_text

LINES = """某市示范医疗保障局2025年一般公共预算“三公”经费支出表
单位：万元
项目\t预算数
合计\t30.00
一、因公出国（境）费\t
二、{parent}\t25.00
其中：公务用车购置费\t
{operation}\t{value}
三、公务接待费\t5.00
"""
ONE_ROW = """某市示范医疗保障局2025年一般公共预算“三公”经费支出表
单位：万元
合计\t因公出国（境）费\t{parent}\t\t\t公务接待费
\t\t小计\t{purchase}\t{operation}\t
30.00\t0.00\t25.00\t0.00\t{value}\t5.00
"""


@pytest.mark.parametrize("parent,operation", [
    ("公务用车购置及运行费", "公务用车运行费"), ("公务用车购置及运行维护费", "公务用车运行维护费"),
    ("公务用车购置及运维费", "公务用车运维费"), ("公务用车购置和运行费", "运行费")])
def test_the_vehicle_operation_line_is_read_as_such(parent, operation):
    for value, errors in (("25.00", 0), ("24.00", 1)):
        result = verify_text("003", LINES.format(parent=parent, operation=operation, value=value))
        table = next(t for t in result.tables if t.kind == "three_public_costs")
        assert [r.item for r in table.rows] == ["total", "outbound", "vehicle", "vehicle_purchase",
                                                "vehicle_operation", "reception"]
        assert len([f for f in result.flags if f.severity == "error"]) == errors, [f.message for f in result.flags]


@pytest.mark.parametrize("parent,purchase,operation", [
    ("公务用车购置及运行费", "购置费", "运行费"), ("公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费"),
    ("公务用车购置及运维费", "购置费", "运维费")])
def test_the_one_row_layout_reads_the_same_items(parent, purchase, operation):
    for value, errors in (("25.00", 0), ("24.00", 1)):
        result = verify_text("003", ONE_ROW.format(parent=parent, purchase=purchase, operation=operation, value=value))
        table = next(t for t in result.tables if t.kind == "three_public_costs")
        assert set(table.columns) == {"total", "outbound", "vehicle", "vehicle_purchase", "vehicle_operation",
                                      "reception"}
        assert len([f for f in result.flags if f.severity == "error"]) == errors, [f.message for f in result.flags]
