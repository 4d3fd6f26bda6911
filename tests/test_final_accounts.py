"""Final accounts (决算) print the budget's (预算) tables under their own titles (支出决算表, 收入支出决算总表 …) and
columns (决算数): each is read as its budget twin — the same table kind, the same column keys, so a query by kind
or key finds both, and the checks between tables are made — and the document's year is read from its title
(…2025年部门决算公开). The document's ``stage`` (budget / final_accounts) says which it is, in the result and in
the documents and long-format facts exports, so that a batch holding both can be split. Documents generated here
(a made-up bureau, figures made up to add up), once as a budget and once as final accounts.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import read_generated

from extractor.chunk import document_meta, split_lines
from schemas import kind_for_title

DEPT = "某市交通运输局"
SERVICE = "\n编制单位：某市交通运输局    单位：万元\n"
FUNCTIONAL = [  # code, name, 合计, 基本支出, 项目支出
    ("", "合计", "3543.85", "1363.35", "2180.50"),
    ("208", "社会保障和就业支出", "125.30", "125.30", ""),
    ("20805", "行政事业单位养老支出", "125.30", "125.30", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "125.30", "125.30", ""),
    ("210", "卫生健康支出", "49.20", "49.20", ""),
    ("21011", "行政事业单位医疗", "49.20", "49.20", ""),
    ("2101101", "行政单位医疗", "18.30", "18.30", ""),
    ("2101102", "事业单位医疗", "30.90", "30.90", ""),
    ("214", "交通运输支出", "3283.95", "1103.45", "2180.50"),
    ("21401", "公路水路运输", "3283.95", "1103.45", "2180.50"),
    ("2140101", "行政运行", "380.45", "380.45", ""),
    ("2140104", "公路建设", "1200.00", "", "1200.00"),
    ("2140106", "公路养护", "1362.34", "512.34", "850.00"),
    ("2140112", "公路运输管理", "245.66", "210.66", "35.00"),
    ("2140199", "其他公路水路运输支出", "95.50", "", "95.50"),
    ("221", "住房保障支出", "85.40", "85.40", ""),
    ("22102", "住房改革支出", "85.40", "85.40", ""),
    ("2210201", "住房公积金", "85.40", "85.40", ""),
]


def bureau(stage: str, title: str | None = None, this_year: str = "{stage}数") -> str:
    """The bureau's disclosure with the national titles of ``stage`` (预算 or 决算): 收入支出{stage}总表, 收入{stage}表,
    支出{stage}表, 一般公共预算财政拨款基本支出{stage}明细表, “三公”经费支出{stage}表, 项目支出{stage}表.
    ``this_year``: the summary's amount columns (决算数, 本年决算数 …)."""
    amount = this_year.format(stage=stage)
    title = f"{DEPT}2025年部门{stage}公开" if title is None else title
    parts = [title, "",
             f"表1 收入支出{stage}总表", SERVICE, "收入\t\t支出\t", f"项目\t{amount}\t项目\t{amount}",
             "一、一般公共预算拨款收入\t3293.85\t一、社会保障和就业支出\t125.30",
             "二、政府性基金预算拨款收入\t\t二、卫生健康支出\t49.20",
             "三、事业收入\t50.00\t三、交通运输支出\t3283.95",
             "\t\t四、住房保障支出\t85.40",
             "本年收入合计\t3343.85\t本年支出合计\t3543.85",
             "上年结转结余\t200.00\t年终结转结余\t",
             "收入总计\t3543.85\t支出总计\t3543.85", "",
             f"表2 收入{stage}表", SERVICE, "科目编码\t科目名称\t合计\t上年结转\t一般公共预算拨款收入\t事业收入",
             "\t合计\t3543.85\t200.00\t3293.85\t50.00",
             "214\t交通运输支出\t3283.95\t200.00\t3033.95\t50.00",
             "208\t社会保障和就业支出\t125.30\t\t125.30\t",
             "210\t卫生健康支出\t49.20\t\t49.20\t",
             "221\t住房保障支出\t85.40\t\t85.40\t", "",
             f"表3 支出{stage}表", SERVICE, "科目编码\t科目名称\t合计\t基本支出\t项目支出",
             *("\t".join(row) for row in FUNCTIONAL), "",
             f"表4 一般公共预算财政拨款基本支出{stage}明细表", SERVICE,
             "经济分类科目编码\t经济分类科目名称\t合计\t人员经费\t公用经费",
             "\t合计\t1363.35\t1302.07\t61.28",
             "301\t工资福利支出\t1302.07\t1302.07\t",
             "30101\t基本工资\t1302.07\t1302.07\t",
             "302\t商品和服务支出\t61.28\t\t61.28",
             "30201\t办公费\t61.28\t\t61.28", "",
             f"表5 “三公”经费支出{stage}表", "\n编制单位：某市交通运输局    单位：元\n", f"项目\t2025年{stage}数",
             "合计\t292,800.00", "1、因公出国（境）费\t0.00", "2、公务用车购置及运行维护费\t228,800.00",
             "其中：（1）公务用车购置费\t0.00", "（2）公务用车运行维护费\t228,800.00", "3、公务接待费\t64,000.00", "",
             f"表6 项目支出{stage}表", SERVICE, "项目名称\t合计\t一般公共预算\t上年结转",
             "合计\t2180.50\t1980.50\t200.00",
             "国省干线公路建设项目\t1200.00\t1000.00\t200.00",
             "农村公路养护工程\t850.00\t850.00\t",
             "公路应急保障经费\t95.50\t95.50\t",
             "道路运输安全监管\t35.00\t35.00\t", ""]
    return "\n".join(parts)


def read(text: str, name: str = "bureau"):
    return read_generated(text, name)


def facts(result) -> set[tuple]:
    """(table kind, row, column key, value) of every figure: what a query by kind and key sees."""
    return {(t.kind, r.code or r.item or r.label.text, key, str(v.value))
            for t in result.tables for r in t.rows for key, v in r.values.items()}


@pytest.mark.parametrize("budget, final", [
    ("收入支出预算总表", "收入支出决算总表"),
    ("收入预算表", "收入决算表"),
    ("支出预算表", "支出决算表"),
    ("表3 支出预算表", "表3 支出决算表"),
    ("附表3-1：支出预算表", "附表3-1：支出决算表"),
    ("某市交通运输局支出预算表", "某市交通运输局支出决算表"),
    ("财政拨款收入支出预算总表", "财政拨款收入支出决算总表"),
    ("一般公共预算财政拨款支出预算表", "一般公共预算财政拨款支出决算表"),
    ("一般公共预算财政拨款基本支出预算表", "一般公共预算财政拨款基本支出决算表"),
    ("一般公共预算财政拨款基本支出预算明细表", "一般公共预算财政拨款基本支出决算明细表"),
    ("表5 基本支出预算表", "表5 基本支出决算表"),
    ("“三公”经费支出预算表", "“三公”经费支出决算表"),
    ("一般公共预算财政拨款“三公”经费支出预算表", "一般公共预算财政拨款“三公”经费支出决算表"),
    ("政府性基金预算财政拨款收入支出预算表", "政府性基金预算财政拨款收入支出决算表"),
    ("政府性基金预算财政拨款支出预算表", "政府性基金预算财政拨款支出决算表"),
    ("国有资本经营预算财政拨款支出预算表", "国有资本经营预算财政拨款支出决算表"),
    ("项目支出预算表", "项目支出决算表"),
    ("项目支出预算明细表", "项目支出决算明细表"),
])
def test_a_final_accounts_title_is_its_budget_twins_kind(budget, final):
    assert kind_for_title(budget) is not None
    assert kind_for_title(final) == kind_for_title(budget)


def test_final_accounts_are_read_as_their_budget_twin():
    budget, final = read(bureau("预算")), read(bureau("决算"))
    kinds = ["income_expenditure_summary", "income_summary", "expenditure_summary",
             "general_budget_basic_expenditure", "three_public_costs", "project_expenditure"]
    assert [t.kind for t in final.tables] == [t.kind for t in budget.tables] == kinds
    assert facts(final) == facts(budget)
    summary = final.tables[0]
    assert {key for r in summary.rows for key in r.values} == {"income_amount", "expenditure_amount"}
    assert summary.columns == {"income_amount": "收入/决算数", "expenditure_amount": "支出/决算数"}
    assert ("three_public_costs", "total", "total", "292800.00") in facts(final)
    assert [f.message for f in final.flags if f.severity == "error"] == []


@pytest.mark.parametrize("this_year", ["本年{stage}数", "{stage}数"])
def test_a_final_accounts_amount_column_has_the_budget_columns_key(this_year):
    summary = read(bureau("决算", this_year=this_year)).tables[0]
    assert set(summary.columns) == {"income_amount", "expenditure_amount"}, summary.columns


def test_a_final_accounts_table_is_checked_against_the_others():
    """支出决算表 is the expenditure summary: the 收支总表's lines are checked against it."""
    text = bureau("决算").replace("三、交通运输支出\t3283.95", "三、交通运输支出\t3273.95")
    result = read(text)
    assert any("交通运输支出" in f.message and "3273.95" in f.message and "3283.95" in f.message
               for f in result.flags if f.check == "cross.summary"), [f.message for f in result.flags]


def meta(text: str):
    return document_meta(split_lines(text), text)


@pytest.mark.parametrize("title, year, stage", [
    ("某市交通运输局2025年部门决算公开", 2025, "final_accounts"),
    ("某市交通运输局\n2025年度部门决算", 2025, "final_accounts"),
    ("某市交通运输局 2024 年部门预算公开", 2024, "budget"),
    ("某市交通运输局2025年度部门预算", 2025, "budget"),
])
def test_the_documents_title_gives_its_year_and_stage(title, year, stage):
    m = meta(title + "\n\n按照《地方预决算公开操作规程》规定，现将本部门情况公开如下：\n")
    assert (m.department, m.year, m.stage) == (DEPT, year, stage)


def test_a_title_that_does_not_say_leaves_the_stage_to_the_tables():
    # The title names no stage (公开材料); the tables' titles do — but not the funds' names (一般公共预算…).
    m = meta(bureau("决算", title=f"{DEPT}2025年公开材料"))
    assert m.stage == "final_accounts"
    assert meta(bureau("预算", title="公开材料")).stage == "budget"
    # Tables of both, or of neither: it cannot tell.
    both = bureau("预算", title="公开材料").replace("表3 支出预算表", "表3 支出决算表")
    assert meta(both).stage is None
    neither = "公开材料\n\n按照《地方预决算公开操作规程》\n\n表1 一般公共预算财政拨款支出表\n单位：万元\n"
    assert meta(neither).stage is None


def test_the_stage_is_in_the_result_file():
    result = read(bureau("决算"))
    assert (result.document.year, result.document.stage) == (2025, "final_accounts")
    assert json.loads(result.model_dump_json())["document"]["stage"] == "final_accounts"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """A budget and its final accounts, and a file that does not say which it is, run into one folder."""
    from test_cli import cli

    tmp = tmp_path_factory.mktemp("final_accounts")
    src, out = tmp / "in", tmp / "out"
    src.mkdir()
    (src / "预算.txt").write_text(bureau("预算"), encoding="utf-8")
    (src / "决算.txt").write_text(bureau("决算"), encoding="utf-8")
    # A table of neither (a fund's name is no stage), under a title that names none.
    (src / "说明.txt").write_text(f"{DEPT}公开材料\n\n一般公共预算财政拨款支出表\n单位：万元\n科目编码\t科目名称\t合计\n"
                                "\t合计\t125.30\n208\t社会保障和就业支出\t125.30\n", encoding="utf-8")
    cli("run", src, "--out", out)
    return out


def test_every_documents_export_says_the_stage(batch, tmp_path):
    import duckdb
    import openpyxl
    import pyarrow.parquet as pq
    from test_cli import cli

    expected = {"预算": ("budget", 2025), "决算": ("final_accounts", 2025), "说明": (None, None)}
    rows = csv.DictReader(io.StringIO(cli("export", batch, "--what", "documents", "--format", "csv").stdout))
    assert {r["document"]: (r["stage"] or None, int(r["year"]) if r["year"] else None) for r in rows} == expected
    lines = cli("export", batch, "--what", "documents", "--format", "jsonl").stdout.splitlines()
    assert {d["document"]: (d["stage"], d["year"]) for d in map(json.loads, lines)} == expected
    for fmt in ("sqlite", "duckdb", "xlsx"):
        cli("export", batch, "--format", fmt, "-o", tmp_path / f"all.{fmt}")
    db = sqlite3.connect(tmp_path / "all.sqlite")
    assert {r[0]: (r[1], r[2]) for r in db.execute("SELECT document, stage, year FROM documents")} == expected
    duck = duckdb.connect(str(tmp_path / "all.duckdb"), read_only=True)
    assert {r[0]: (r[1], r[2]) for r in duck.execute("SELECT document, stage, year FROM documents").fetchall()} \
        == expected
    sheet = list(openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)["documents"].iter_rows(values_only=True))
    at = {name: sheet[0].index(name) for name in ("document", "stage", "year")}
    assert {r[at["document"]]: (r[at["stage"]], r[at["year"]]) for r in sheet[1:]} == expected
    cli("export", batch, "--what", "documents", "--format", "parquet", "-o", tmp_path / "documents.parquet")
    table = pq.read_table(tmp_path / "documents.parquet").to_pylist()
    assert {r["document"]: (r["stage"], r["year"]) for r in table} == expected


def test_the_long_format_facts_split_budget_from_final_accounts(batch, tmp_path):
    import duckdb
    import pyarrow.parquet as pq
    from test_cli import cli

    cli("export", batch, "--format", "duckdb", "-o", tmp_path / "all.duckdb")
    duck = duckdb.connect(str(tmp_path / "all.duckdb"), read_only=True)
    by_stage = dict(duck.execute("SELECT stage, count(*) FROM facts WHERE year = 2025 GROUP BY stage").fetchall())
    assert set(by_stage) == {"budget", "final_accounts"} and by_stage["budget"] == by_stage["final_accounts"]
    # The same department-year, kind and key in both: the stage tells them apart.
    assert duck.execute("SELECT stage, sum(value) FROM facts WHERE table_kind = 'expenditure_summary' "
                        "AND column_key = 'total' AND row_code = '214' GROUP BY stage ORDER BY stage").fetchall() \
        == [("budget", Decimal("3283.95")), ("final_accounts", Decimal("3283.95"))]
    cli("export", batch, "--format", "parquet", "-o", tmp_path / "facts.parquet")
    rows = pq.read_table(tmp_path / "facts.parquet", columns=["document", "year", "stage"]).to_pylist()
    assert {(r["document"], r["year"], r["stage"]) for r in rows} == {("预算", 2025, "budget"),
                                                                       ("决算", 2025, "final_accounts"),
                                                                       ("说明", None, None)}


# A final account's 三公 table prints the year's budget beside what was spent: the national template's one line
# (预算数 over 合计 | 因公出国（境）费 | 公务用车购置及运行费 (小计 | 购置费 | 运行费) | 公务接待费, then 决算数 over the same),
# or item lines with 预算数 | 决算数 side by side. 决算数 合计 = 18.50 (budget 20.50).
_GROUPED = """| 预算数 |  |  |  |  |  | 决算数 |  |  |  |  |  |
| 合计 | 因公出国（境）费 | 公务用车购置及运行费 |  |  | 公务接待费 | 合计 | 因公出国（境）费 | 公务用车购置及运行费 |  |  | 公务接待费 |
|  |  | 小计 | 公务用车购置费 | 公务用车运行费 |  |  |  | 小计 | 公务用车购置费 | 公务用车运行费 |  |
|---|---|---|---|---|---|---|---|---|---|---|---|
| 20.50 | 0.00 | 13.50 | 0.00 | 13.50 | 7.00 | 18.50 | 0.00 | 12.00 | 0.00 | 12.00 | 6.50 |
"""
_FLAT = """项目\t{budget}\t{final}
合计\t20.50\t18.50
一、因公出国（境）费\t0.00\t0.00
二、公务用车购置及运行费\t13.50\t12.00
其中：公务用车购置费\t0.00\t0.00
公务用车运行费\t13.50\t12.00
三、公务接待费\t7.00\t6.50
"""
_NARRATIVE = "2025年度“三公”经费支出决算18.50万元。其中：公务用车购置及运行费12.00万元；公务接待费6.50万元。\n\n"


@pytest.mark.parametrize("grid", [_GROUPED, _FLAT.format(budget="预算数", final="决算数"),
                                  _FLAT.format(budget="年初预算数", final="决算数"),
                                  _FLAT.format(budget="预算数", final="本年决算数")])
def test_a_final_accounts_table_printing_the_budget_beside_takes_its_keys_from_the_final_figures(grid):
    text = (f"{DEPT}2025年部门决算公开\n\n一、“三公”经费说明\n\n{_NARRATIVE}"
            f"表7 一般公共预算财政拨款“三公”经费支出决算表\n{SERVICE}\n{grid}")
    result = read_generated(text)
    (table,) = [t for t in result.tables if t.kind == "three_public_costs"]
    values = {(r.item, k): v.raw for r in table.rows for k, v in r.values.items()}
    total = next(v for (item, k), v in values.items() if k == "total" and item in ("total", None))
    assert total == "18.50"
    assert "20.50" in {v for (_i, k), v in values.items() if "预算" in k}  # the budget kept, under its header
    assert not [f for f in result.flags if f.severity == "error"]
    # The explanation states the 决算 figures: compared with them, they hold.
    assert {c.value.raw: c.status for c in result.claims if c.value.raw in ("12.00", "6.50")} == \
        {"12.00": "verified", "6.50": "verified"}


def test_a_final_accounts_tables_are_named_and_expected_as_a_final_accounts():
    """A 决算 names its tables 支出决算表, 收入支出决算总表 …, and has no 政府采购预算表, 政府购买服务 or asset table:
    its completeness names each by the 决算 name and does not call those missing (trial 26, finding 11). Its
    项目支出决算表, printed, is listed all the same."""
    final, budget = read(bureau("决算")), read(bureau("预算"))
    named = {t.kind: (t.zh, t.status) for t in final.completeness}
    assert named["expenditure_summary"] == ("支出决算表", "present")
    assert named["income_expenditure_summary"] == ("收入支出决算总表", "present")
    assert named["project_expenditure"] == ("项目支出决算表", "present")
    assert named["fiscal_appropriation_summary"] == ("财政拨款收入支出决算总表", "missing")
    assert not {"government_procurement", "purchased_services", "fixed_assets"} & set(named)
    assert not any(zh.endswith(("预算表", "总表")) and "决算" not in zh for zh, _ in named.values()), named
    budget_named = {t.kind: (t.zh, t.status) for t in budget.completeness}
    assert budget_named["expenditure_summary"] == ("支出总表", "present")
    assert budget_named["government_procurement"] == ("政府采购预算表", "missing")


def test_a_final_accounts_listing_a_table_it_does_not_print_is_told_so():
    """A table a 决算 is not expected to have, listed in its contents and not printed, is still listed missing."""
    contents = "目录\n一、收入支出决算总表\n二、政府采购情况表\n\n"
    text = bureau("决算").replace("表1 收入支出决算总表", contents + "表1 收入支出决算总表", 1)
    named = {t.kind: (t.zh, t.status) for t in read(text).completeness}
    assert named.get("government_procurement") == ("政府采购情况表", "listed_missing"), named


def test_the_report_of_a_final_accounts_names_its_tables_as_a_final_accounts(batch, tmp_path):
    from test_cli import cli

    cli("report", batch, "-o", tmp_path / "report")
    page = next((tmp_path / "report" / "documents").glob("决算*.html")).read_text(encoding="utf-8")
    line = page[page.index('class="completeness"'):]
    line = line[:line.index("</p>")]
    for name in ("支出决算表", "收入支出决算总表", "财政拨款收入支出决算总表", "项目支出决算表"):
        assert f">{name}<" in line, line
    assert "政府采购" not in line and "预算表" not in line, line
    assert "<small>支出决算表 · expenditure_summary" in page
