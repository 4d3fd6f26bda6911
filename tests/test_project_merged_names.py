"""A 项目支出表 project funded from two sources, its name printed once over both lines (a merged cell, which a
converter writes on the first line only; trial 21d): the second line carries the project's name, noted as such,
never an unnamed row.

Generated here (a hand-written fixture, not a real disclosure).
"""

from __future__ import annotations

import pytest

from extractor.export import result_facts
from textlayouts import layouts, run_text

TABLE = """示范县水务局2025年部门预算

表9 示范县水务局2025年项目支出表
单位：万元
项目名称\t项目类型\t资金来源\t合计\t一般公共预算\t政府性基金预算
河道清淤\t特定目标类\t本级财力\t60.00\t60.00\t
农村饮水安全\t特定目标类\t本级财力\t150.00\t150.00\t
\t\t上级转移支付\t45.00\t45.00\t
\t\t土地出让收入\t30.00\t\t30.00
水利工程运行维护\t其他运转类\t本级财力\t25.00\t25.00\t
合计\t\t\t310.00\t280.00\t30.00
"""


@pytest.mark.parametrize("form", ["tab", "pipe"])
def test_the_lines_under_a_merged_name_carry_it(tmp_path, form):
    result, _text = run_text(tmp_path, layouts()[form](TABLE))
    (table,) = [t for t in result.tables if t.kind == "project_expenditure"]
    named = [(r.label.text if r.label else None, str(r.values["total"].value)) for r in table.rows if "total" in r.values]
    assert named == [("河道清淤", "60.00"), ("农村饮水安全", "150.00"), ("农村饮水安全", "45.00"),
                     ("农村饮水安全", "30.00"), ("水利工程运行维护", "25.00"), ("合计", "310.00")]
    carried = [r for r in table.rows if any("merged over both" in n for n in r.notes)]
    assert len(carried) == 2
    assert not result.flags, [f.message for f in result.flags]
    facts = [f for f in result_facts(result) if f["table"] == "project_expenditure"]
    assert all(f["row_label"] for f in facts)
