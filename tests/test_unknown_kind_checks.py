"""A table of no known kind (``other_table``: a title the registry does not name, e.g. 某某支出明细表, or
某某支出决算明细表) is checked by the relations every budget table keeps: its classification codes
add up column by column, and its 合计 column is the sum of the amount columns printed flat beside it — where its own
total line adds up so. A figure changed in it is flagged; the table as printed raises nothing. Documents generated
here (a made-up bureau, figures made up to add up).
"""

from __future__ import annotations

import pytest
from conftest import read_generated


ROWS = [  # code, name, 合计, 基本支出, 项目支出
    ("", "合计", "3543.85", "1363.35", "2180.50"),
    ("208", "社会保障和就业支出", "125.30", "125.30", ""),
    ("20805", "行政事业单位养老支出", "125.30", "125.30", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "125.30", "125.30", ""),
    ("210", "卫生健康支出", "49.20", "49.20", ""),
    ("21011", "行政事业单位医疗", "49.20", "49.20", ""),
    ("2101101", "行政单位医疗", "18.30", "18.30", ""),
    ("2101102", "事业单位医疗", "30.90", "30.90", ""),
    ("214", "交通运输支出", "3369.35", "1188.85", "2180.50"),
    ("21401", "公路水路运输", "3369.35", "1188.85", "2180.50"),
    ("2140101", "行政运行", "1188.85", "1188.85", ""),
    ("2140104", "公路建设", "2180.50", "", "2180.50"),
]


def document(title: str, rows=ROWS, header=("合计", "基本支出", "项目支出")) -> str:
    lines = [f"{title}", "", "编制单位：某市交通运输局    单位：万元", "", "\t".join(("科目编码", "科目名称", *header))]
    lines += ["\t".join(r) for r in rows]
    return "某市交通运输局2025年部门决算公开\n\n" + "\n".join(lines) + "\n"


def read(text: str):
    return read_generated(text, "unknown_kind")


def errors(result, check: str) -> list[str]:
    return [f.message for f in result.flags if f.check == check and f.severity == "error"]


def changed(code: str, column: int, value: str):
    return [r if r[0] != code else (*r[:column], value, *r[column + 1:]) for r in ROWS]


@pytest.mark.parametrize("title", ["表3 某某支出明细表", "表3 某某支出决算明细表"])
def test_unknown_kind_as_printed_raises_nothing(title):
    result = read(document(title))
    assert [t.kind for t in result.tables] == ["other_table"]
    # (A document holding no standard table is flagged as such: that is about the document, not this table.)
    assert [f.message for f in result.flags if f.check.startswith("table.")] == []


@pytest.mark.parametrize("title", ["表3 某某支出明细表", "表3 某某支出决算明细表"])
def test_unknown_kind_row_that_does_not_add_up_is_flagged(title):
    result = read(document(title, changed("2101102", 3, "39.90")))
    assert any("2101102" in m and "39.90" in m for m in errors(result, "table.row_sum")), result.flags
    assert any("21011" in m for m in errors(result, "table.hierarchy")), result.flags


def test_unknown_kind_codes_that_do_not_add_up_are_flagged():
    result = read(document("表3 某某支出明细表", changed("2140104", 2, "2190.50")[:]))
    # 2140104's 合计 no longer matches its row nor its 款 21401.
    assert any("21401" in m for m in errors(result, "table.hierarchy")), result.flags


def test_unknown_kind_flat_columns_that_are_not_parts_of_the_total_are_not_summed():
    """Columns printed flat that are parts of each other (人员经费 beside 工资福利支出): the total line does not add up
    by them, so no row relation is taken from them — and no error blames the document."""
    rows = [("", "合计", "100.00", "60.00", "50.00"), ("208", "社会保障和就业支出", "100.00", "60.00", "50.00")]
    result = read(document("表3 某某支出明细表", rows, header=("合计", "人员经费", "工资福利支出")))
    assert errors(result, "table.row_sum") == []
