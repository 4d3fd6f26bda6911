"""A 支出总表 printed in blocks per unit, as many provinces print it: the 合计, the department's line (301 某局, or
none), then each unit's line (301001 某局本级 …) followed by that unit's own 类 / 款 / 项 lines — the same codes again
under each unit. Each block's lines belong to their unit: keyed by the unit's code and their own (the value paths,
and so the export's ``field``, read ``expenditure_summary[301002/208].total``), the unit named in every message about
them; the department's line is the sum of the units' lines, each unit's line the sum of its block's 类 lines, the
hierarchy checked within each block, the 合计 against the department's line; the 收支总表's classes against the sum over
the units. Documents generated here (a made-up bureau, figures computed to add up).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import read_generated

from extractor.export import result_facts

NAMES = {"208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出",
         "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101102": "事业单位医疗",
         "214": "交通运输支出", "21401": "公路水路运输", "2140101": "行政运行", "2140106": "公路养护"}
# Each unit's 项 lines: (code, 基本支出, 项目支出).
UNITS = [("301001", "某市交通运输局本级", [("2080505", "45.20", "0"), ("2101101", "18.30", "0"),
                                          ("2140101", "380.45", "1200.00")]),
         ("301002", "某市公路事业发展中心", [("2080505", "60.00", "0"), ("2101102", "22.50", "0"),
                                            ("2140106", "512.34", "850.00")]),
         ("301003", "某市道路运输服务中心", [("2080505", "20.10", "0"), ("2101102", "8.40", "0")])]
CLASSES = ["208", "210", "214"]


def _lines(items):
    """Every code of a unit's block with its (基本, 项目), the 类 and 款 summed from their 项."""
    sums: dict[str, list[Decimal]] = {}
    for code, basic, project in items:
        for size in (3, 5, 7):
            line = sums.setdefault(code[:size], [Decimal(0), Decimal(0)])
            line[0] += Decimal(basic)
            line[1] += Decimal(project)
    return dict(sorted(sums.items()))


def _amounts(basic, project):
    shown = lambda v: f"{v:.2f}" if v else ""
    return [f"{basic + project:.2f}", shown(basic), shown(project)]


def _code_cells(code, parts):
    if not parts:
        return [code]
    if len(code) == 6 or len(code) == 3 and not code.startswith("2"):
        return [code, "", ""]  # a unit's or the department's code in the 类 cell
    return [code if len(code) == 3 else "", code[3:5] if len(code) == 5 else "", code[5:] if len(code) == 7 else ""]


def document(dept_line: bool = True, parts: bool = False, change: tuple[str, str, str] | None = None) -> str:
    """The bureau's 收支总表 and its 支出总表 in unit blocks; ``change``: (unit code, row code, new 合计) prints one
    figure otherwise."""
    blocks = [(code, name, _lines(items)) for code, name, items in UNITS]
    unit_sums = {code: [sum(v[i] for c, v in lines.items() if len(c) == 3) for i in (0, 1)]
                 for code, _name, lines in blocks}
    basic, project = (sum(s[i] for s in unit_sums.values()) for i in (0, 1))
    head = ["科目编码", "", "", "科目名称"] if parts else ["科目编码", "科目名称"]
    rows = ["\t".join(head + ["合计", "基本支出", "项目支出"])]
    if parts:
        rows.append("\t".join(["类", "款", "项", "", "", "", ""]))
    blank = [""] * (3 if parts else 1)
    rows.append("\t".join(blank + ["合计"] + _amounts(basic, project)))
    if dept_line:
        rows.append("\t".join(_code_cells("301", parts) + ["某市交通运输局"] + _amounts(basic, project)))
    for code, name, lines in blocks:
        rows.append("\t".join(_code_cells(code, parts) + [name] + _amounts(*unit_sums[code])))
        for c, (b, p) in lines.items():
            cells = _amounts(b, p)
            if change and change[:2] == (code, c):
                cells[0] = change[2]
            rows.append("\t".join(_code_cells(c, parts) + [NAMES[c]] + cells))
    per_class = {c: sum(sum(lines.get(c, [0, 0])) for _u, _n, lines in blocks) for c in CLASSES}
    total = basic + project
    summary = ["收入\t\t支出\t", "项目\t预算数\t项目\t预算数",
               f"一、一般公共预算拨款收入\t{total:.2f}\t一、{NAMES['208']}\t{per_class['208']:.2f}",
               f"\t\t二、{NAMES['210']}\t{per_class['210']:.2f}",
               f"\t\t三、{NAMES['214']}\t{per_class['214']:.2f}",
               f"本年收入合计\t{total:.2f}\t本年支出合计\t{total:.2f}",
               f"收入总计\t{total:.2f}\t支出总计\t{total:.2f}"]
    return ("某市交通运输局2025年部门预算公开\n\n表1 部门收支总表\n\n编制单位：某市交通运输局    单位：万元\n\n"
            + "\n".join(summary) + "\n\n表3 部门支出总表\n\n编制单位：某市交通运输局    单位：万元\n\n"
            + "\n".join(rows) + "\n")


FORMS = [(True, False), (False, False), (True, True), (False, True)]
FORM_IDS = ["dept-line", "no-dept-line", "dept-line-parts", "no-dept-line-parts"]


def _errors(result):
    return [f.message for f in result.flags if f.severity == "error"]


@pytest.mark.parametrize("dept_line,parts", FORMS, ids=FORM_IDS)
def test_consistent_unit_blocks_read_clean(dept_line, parts):
    result = read_generated(document(dept_line, parts), "unit_blocks")
    assert [t.kind for t in result.tables] == ["income_expenditure_summary", "expenditure_summary"]
    assert _errors(result) == []


@pytest.mark.parametrize("dept_line,parts", FORMS, ids=FORM_IDS)
def test_each_blocks_lines_are_their_units_in_the_export(dept_line, parts):
    """The export's ``field`` (the value path decisions use) names each line's unit by its code; the unit's own
    line (its name) is at ``[301002]``; each line's ``entity`` is its unit (``entity_role`` unit)."""
    result = read_generated(document(dept_line, parts), "unit_blocks")
    facts = [f for f in result_facts(result) if f["table"] == "expenditure_summary" and f["column"] == "total"]
    by_field = {f["field"]: f for f in facts}
    for code, name, items in UNITS:
        assert by_field[f"expenditure_summary[{code}].total"]["row_label"] == name
        assert (by_field[f"expenditure_summary[{code}].total"]["entity"],
                by_field[f"expenditure_summary[{code}].total"]["entity_role"]) == (name, "unit")
        for c in _lines(items):
            fact = by_field[f"expenditure_summary[{code}/{c}].total"]
            assert fact["row_code"] == c
            assert (fact["entity"], fact["entity_role"]) == (name, "unit")  # whose line it is, for a sum by code
    assert by_field["expenditure_summary[301002/2080505].total"]["value"] == "60.00"
    assert by_field["expenditure_summary[301003/2080505].total"]["value"] == "20.10"
    assert all("#" not in f["field"] for f in facts)  # no line told apart by its position alone


CHANGES = {"leaf of the 2nd unit": ("301002", "2080505", "61.00"),
           "class of the 3rd unit": ("301003", "208", "21.10"),
           "the 2nd unit's line": ("301002", None, None),
           "the 合计": ("total", None, None)}


@pytest.mark.parametrize("dept_line,parts", FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_figure_in_any_block_is_flagged(dept_line, parts, change):
    unit, code, new = CHANGES[change]
    text = document(dept_line, parts, (unit, code, new) if code else None)
    if code is None:  # the 合计 / the unit's line: its 合计 cell one more
        marker = "\t合计\t" if unit == "total" else f"\t{dict((c, n) for c, n, _i in UNITS)[unit]}\t"
        start = text.index(marker, text.index("项目支出", text.index("表3"))) + len(marker)  # after the header
        figure = text[start:text.index("\t", start)]
        text = text[:start] + f"{Decimal(figure) + 1:.2f}" + text[start + len(figure):]
    result = read_generated(text, "unit_blocks")
    flagged = [f for f in result.flags if f.severity == "error"]
    assert flagged, change
    if code is not None:  # the unit is named where its line is
        name = dict((c, n) for c, n, _i in UNITS)[unit]
        assert any(name in f.message and code in f.message for f in flagged), [f.message for f in flagged]


def test_one_unit_alone_keeps_its_lines_as_the_departments():
    """A single unit's block (合计 / 301 / 301001 本级 / its lines): its lines are the department's, keyed by code."""
    global UNITS
    saved = UNITS
    UNITS = UNITS[:1]
    try:
        result = read_generated(document(True, False), "unit_blocks")
    finally:
        UNITS = saved
    facts = [f["field"] for f in result_facts(result) if f["table"] == "expenditure_summary"]
    assert "expenditure_summary[208].total" in facts
    assert _errors(result) == []
