"""The 政府采购预算表 as other templates head it: the amount under 采购预算金额 / 采购金额 / 预算金额 (not 合计), and
a memo column 其中：面向中小企业预留 beside the sources. Hand-written documents (a made-up department, figures made up;
one purchase's 数量 × 单价 deliberately wrong: 300 × 0.06 = 18.00, printed 19.80)."""

from __future__ import annotations

import pytest

from conftest import read_generated

COLUMNS = ["项目名称", "采购品目", "采购方式", "数量", "单价", "{amount}", "一般公共预算", "其中：面向中小企业预留"]
ROWS = [["教育督导评估", "台式计算机", "协议供货", "10", "0.55", "5.50", "5.50", "5.50"],
        ["教育督导评估", "打印设备", "协议供货", "2", "0.40", "0.80", "0.80", ""],
        ["义务教育公用经费补助", "课桌椅", "公开招标", "300", "0.06", "19.80", "19.80", "10.00"],
        ["合计", "", "", "", "", "26.10", "26.10", "15.50"]]


def _document(amount: str, drop: tuple[str, ...] = (), sep: str = "\t") -> str:
    keep = [i for i, c in enumerate(COLUMNS) if c not in drop]

    def line(cells):
        picked = [cells[i] for i in keep]
        return f"| {' | '.join(picked)} |" if sep == "|" else "\t".join(picked)

    lines = [line([c.format(amount=amount) for c in COLUMNS])]
    if sep == "|":
        lines.append("|" + " --- |" * len(keep))
    lines += [line(r) for r in ROWS]
    return "东岭区示范教育局2024年部门预算\n\n东岭区示范教育局2024年政府采购预算表\n\n单位：万元\n\n" + "\n".join(lines) + "\n"


def _procurement(result):
    (table,) = [t for t in result.tables if t.kind == "government_procurement"]
    return table


@pytest.mark.parametrize("amount", ["采购预算金额", "采购金额", "预算金额", "金额", "合计"])
@pytest.mark.parametrize("drop", [(), ("其中：面向中小企业预留",), ("采购方式",)])
@pytest.mark.parametrize("sep", ["\t", "|"])
def test_the_purchase_amount_is_the_total_and_quantity_times_price_is_checked(amount, drop, sep):
    result = read_generated(_document(amount, drop, sep))
    assert not [f for f in result.flags if f.check == "completeness.unread"]
    table = _procurement(result)
    assert [r.values["total"].raw for r in table.rows] == ["5.50", "0.80", "19.80", "26.10"]
    wrong = [f for f in result.flags if f.check == "table.quantity_price"]
    assert len(wrong) == 1 and "19.80" in wrong[0].message


def test_the_sme_reserve_printed_as_a_memo_column_is_read_and_checked_against_the_purchase():
    result = read_generated(_document("采购预算金额"))
    table = _procurement(result)
    assert [r.values["sme_reserved"].raw for r in table.rows if "sme_reserved" in r.values] == ["5.50", "10.00", "15.50"]
    assert not [f for f in result.flags if f.severity == "error" and f.check != "table.quantity_price"]
    over = read_generated(_document("采购预算金额").replace("5.50\t5.50\t5.50", "5.50\t5.50\t6.50")
                          .replace("26.10\t26.10\t15.50", "26.10\t26.10\t16.50"))
    assert [f for f in over.flags if f.check == "table.subset"]


def test_a_data_line_under_a_memo_label_is_still_no_header():
    """其中 as the first cell is a line's label (其中：公务用车运行维护费), never a header row."""
    from extractor.cells import split_cells
    from extractor.chunk import split_lines
    from extractor.grid import is_header_row

    (line,) = [ln for ln in split_lines("其中：公务用车运行维护费\t项目\t合计\n") if ln.text]
    assert not is_header_row(split_cells(line))
    (line,) = [ln for ln in split_lines("项目名称\t合计\t其中：面向中小企业预留\n") if ln.text]
    assert is_header_row(split_cells(line))
