"""A document that prints a kind for the whole department (部门汇总) and again for each of its units.

Generated here: each unit's lines are given, the consolidated table is their sum (so a generated document adds up),
and a fault is planted by changing one unit's figure. The unit is named by a 单位名称： line over each table, or by
the titles only. The consolidated table must equal the units' sum; every table records its unit, and the export
tells the units apart.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from conftest import verify_text
from extractor.export import FACT_FIELDS, fact_rows, render

DEPT = "白沙镇人民政府"
# unit -> {code: (name, basic, project)}
UNITS = {
    f"{DEPT}本级": {"2010301": ("行政运行", "600.00", "0.00"), "2010302": ("一般行政管理事务", "0.00", "200.00")},
    "白沙镇中心小学": {"2050202": ("小学教育", "400.00", "0.00")},
    "白沙镇卫生院": {"2100302": ("乡镇卫生院", "150.00", "30.00")},
}
PARENTS = {"201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "205": "教育支出", "20502": "普通教育",
           "210": "卫生健康支出", "21003": "基层医疗卫生机构"}


def _lines(rows: dict[str, tuple[str, Decimal, Decimal]]) -> list[str]:
    """The table's lines, 合计 first, then each 类 / 款 / 项 with the sums of its codes."""
    sums: dict[str, list[Decimal]] = {}
    for code, (_name, basic, project) in rows.items():
        for prefix in ("", code[:3], code[:5], code):
            acc = sums.setdefault(prefix, [Decimal(0), Decimal(0)])
            acc[0] += basic
            acc[1] += project
    out = []
    for key in sorted(sums, key=lambda k: (k != "", k)):
        basic, project = sums[key]
        name = "合计" if key == "" else rows[key][0] if key in rows else PARENTS[key]
        out.append(f"{key}\t{name}\t{basic + project:.2f}\t{basic:.2f}\t{project:.2f}")
    return out


def build(fault: tuple[str, str, str] | None = None, label: bool = True, drop: str | None = None,
          summary: bool = False) -> str:
    """The document; ``fault``: (unit, code, new basic) changes one unit's figure after the consolidated table is
    summed; ``drop``: a unit whose table is not printed; ``summary``: a consolidated 支出总表 before them."""
    units = {u: {c: (n, Decimal(b), Decimal(p)) for c, (n, b, p) in rows.items()} for u, rows in UNITS.items()}
    whole = {c: r for rows in units.values() for c, r in rows.items()}
    if fault:
        unit, code, basic = fault
        name, _b, project = units[unit][code]
        units[unit][code] = (name, Decimal(basic), project)
    parts = [f"{DEPT}2025年部门预算公开", ""]
    if summary:
        parts += [f"{DEPT}2025年支出总表", "单位：万元", "科目编码\t科目名称\t合计\t基本支出\t项目支出", *_lines(whole), ""]
    for name, rows in [("部门汇总", whole), *units.items()]:
        if name == drop:
            continue
        if label:
            parts += [f"{DEPT}2025年一般公共预算支出表", f"单位名称：{name}\t\t\t\t单位：万元"]
        else:
            title = f"{DEPT}2025年一般公共预算支出表（部门汇总）" if name == "部门汇总" else f"{name}2025年一般公共预算支出表"
            parts += [title, "单位：万元"]
        parts += ["科目编码\t科目名称\t合计\t基本支出\t项目支出", *_lines(rows), ""]
    return "\n".join(parts) + "\n"


def _flags(result, check="cross.units"):
    return [f for f in result.flags if f.check == check]


@pytest.mark.parametrize("label", [True, False], ids=["unit_line", "unit_in_title"])
def test_each_table_records_its_unit_and_which_is_the_consolidated_one(label):
    result = verify_text("003", build(label=label))
    tables = [t for t in result.tables if t.kind == "general_budget_expenditure"]
    assert [(t.entity.text, t.entity_role) for t in tables] == [
        ("部门汇总", "consolidated"), (f"{DEPT}本级", "unit"), ("白沙镇中心小学", "unit"), ("白沙镇卫生院", "unit")]
    text = build(label=label)
    assert all(text[t.entity.span[0]:t.entity.span[1]] == t.entity.text for t in tables)
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


@pytest.mark.parametrize("label", [True, False], ids=["unit_line", "unit_in_title"])
def test_a_unit_that_does_not_add_up_to_the_consolidated_table_is_an_error(label):
    result = verify_text("003", build(fault=("白沙镇中心小学", "2050202", "390.00"), label=label))
    flags = _flags(result)
    assert flags and all(f.severity == "error" for f in flags)
    school = next(f for f in flags if "2050202" in f.message and "基本支出" in f.message)
    assert "400.00 ≠ 各单位之和" in school.message and "白沙镇中心小学 390.00" in school.message
    assert "= 390.00（差 10.00）" in school.message
    # Only the lines the fault touches: 合计, 205, 20502, 2050202, each in 合计 and 基本支出.
    assert len(flags) == 8


def test_a_unit_whose_table_is_not_printed_is_a_warning_not_an_error():
    result = verify_text("003", build(drop="白沙镇卫生院"))
    flags = _flags(result)
    assert [f.severity for f in flags] == ["warning"]
    assert "似有单位的表未印出" in flags[0].message and "2100302" in flags[0].message


def test_unit_tables_are_not_compared_with_the_departments_other_tables():
    result = verify_text("003", build(summary=True))
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


def test_the_export_tells_the_units_apart():
    result = verify_text("003", build())
    assert "entity" in FACT_FIELDS and "entity_role" in FACT_FIELDS
    rows = list(csv.DictReader(io.StringIO(render(fact_rows(result), FACT_FIELDS, "csv"))))
    school = [(r["entity"], r["entity_role"]) for r in rows if r["row_code"] == "2050202" and r["column_key"] == "total"]
    assert sorted(school) == [("白沙镇中心小学", "unit"), ("部门汇总", "consolidated")]


def test_a_single_table_per_kind_names_no_role():
    text = f"{DEPT}2025年一般公共预算支出表\n编制单位：{DEPT}\t\t单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n" \
           + "\n".join(_lines({c: (n, Decimal(b), Decimal(p)) for c, (n, b, p) in UNITS[f"{DEPT}本级"].items()})) + "\n"
    result = verify_text("003", text)
    table = result.tables[0]
    assert table.entity.text == DEPT and table.entity_role is None
    assert not _flags(result)


def test_the_departments_table_beside_its_own_offices_is_the_consolidated_one():
    # Titles only, the department's with no 汇总: 白沙镇人民政府 over 白沙镇人民政府本级 and the units.
    text = build(label=False).replace("（部门汇总）", "")
    result = verify_text("003", text)
    roles = [(t.entity.text, t.entity_role) for t in result.tables]
    assert roles[0] == (DEPT, "consolidated") and all(r == "unit" for _n, r in roles[1:])
    assert not _flags(result)
    faulty = build(fault=("白沙镇卫生院", "2100302", "140.00"), label=False).replace("（部门汇总）", "")
    assert [f.severity for f in _flags(verify_text("003", faulty))] and \
        all(f.severity == "error" for f in _flags(verify_text("003", faulty)))


def test_tables_for_several_units_none_consolidated_are_not_summed_and_say_so():
    text = build(label=True).replace("单位名称：部门汇总", "单位名称：白沙镇教育系统")
    result = verify_text("003", text)
    assert all(t.entity_role is None for t in result.tables)
    flags = _flags(result)
    assert [f.severity for f in flags] == ["warning"] and "没有一张标明是部门汇总" in flags[0].message


def test_units_tables_under_one_title_are_not_run_together():
    """单位名称：部门汇总 … 单位名称：XX小学 … with the title printed once: never one table of every unit's rows."""
    lines, seen = [], False
    for line in build(label=True).split("\n"):
        if line.endswith("一般公共预算支出表"):
            if seen:
                continue
            seen = True
        lines.append(line)
    result = verify_text("003", "\n".join(lines))
    assert not [t for t in result.tables if t.kind == "general_budget_expenditure"]
    assert len(result.unread) == 1 and "several units" in result.unread[0].reason
    assert [f.check for f in result.flags] == ["completeness.unread"]


def test_the_report_says_whose_table_each_is(tmp_path):
    from test_cli import cli

    source = tmp_path / "units.txt"
    source.write_text(build(), encoding="utf-8")
    cli("run", source, "--out", tmp_path / "out", check=False)
    cli("report", tmp_path / "out", "-o", tmp_path / "report")
    html = (tmp_path / "report" / "documents" / "units.html").read_text(encoding="utf-8")
    assert "编制单位 for: 部门汇总 (部门汇总 consolidated)" in html
    assert "编制单位 for: 白沙镇中心小学 (单位 unit&#x27;s own)" in html


@pytest.mark.parametrize("label", [True, False], ids=["unit_line", "unit_in_title"])
def test_tables_the_model_reads_record_their_unit_as_the_rules_do(label, tmp_path):
    """With --backend llm every table is the model's: whose table it is still comes from the document's own lines
    (单位名称：…, the title), not from the model, and the consolidated one is still summed from its units. The
    fake server on loopback answers each table with the rules' reading of it (a hand-written fixture)."""
    import asyncio
    import hashlib
    import re

    from fake_openai import FakeOpenAI
    from test_llm_faults import settings

    from extractor.llm.reader import LlmReader
    from extractor.load import Document
    from extractor.pipeline import RunOptions, process_document

    text = build(fault=("白沙镇中心小学", "2050202", "390.00"), label=label)
    truth = verify_text("003", text)
    truth_tables = [t for t in truth.tables if t.kind == "general_budget_expenditure"]

    def respond(body):
        user = body["messages"][1]["content"]
        # The model is shown the table's lines, not the 单位名称 line: each unit's 合计 line tells them apart.
        table = next(t for t in truth_tables if "\t".join(["合计", *(a.raw for a in t.rows[0].values.values())]) in user)
        return {"rows": [{"label": r.label.text if r.label else None, **({"code": r.code} if r.code else {}),
                          **{c: a.raw for c, a in r.values.items()}} for r in table.rows]}

    async def go(fake):
        reader = LlmReader(settings(fake, tmp_path))
        try:
            doc = Document(path=tmp_path / "units.txt", text=text, encoding="utf-8",
                           sha256=hashlib.sha256(text.encode()).hexdigest())
            return await process_document(doc, RunOptions(backend="llm"), reader)
        finally:
            await reader.aclose()

    with FakeOpenAI() as fake:
        fake.responder = respond
        result = asyncio.run(go(fake))
    tables = [t for t in result.tables if t.kind == "general_budget_expenditure"]
    assert all(next(iter(next(iter(t.rows)).values.values())).backend == "llm" for t in tables)
    assert [(t.entity.text, t.entity_role) for t in tables] == [(t.entity.text, t.entity_role) for t in truth_tables]
    assert [t.entity_role for t in tables] == ["consolidated", "unit", "unit", "unit"]
    assert sorted(f.message for f in _flags(result)) == sorted(f.message for f in _flags(truth))
