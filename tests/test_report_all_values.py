"""The HTML report shows every value the facts export holds — also those under a column the registry has no key for
(every column of a table of no known kind, ``other_table``; last year's parts of a year-grouped 三公 table, kept under
their header path ``2024年预算数/公务接待费``), flagged ones coloured as flagged — and its counts, per document and for
the batch, are the facts export's, status by status (trial24 finding 08: the report left those values out, its
counts fell short of the export's and a document with flagged values said "0 flagged"); likewise a card's 资金来源
(the fiscal money as its sources) and its whole project period's budget.

Documents generated here (a made-up bureau, figures made up to add up, one figure changed in each so that a check
fails on values under such columns), run, reviewed and reported by the real CLI.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_cli import cli

OTHER_TABLE_ROWS = [  # code, name, 合计, 基本支出, 项目支出 — 2101102's 基本支出 printed 39.90 (30.90 adds up)
    ("", "合计", "3543.85", "1363.35", "2180.50"),
    ("208", "社会保障和就业支出", "125.30", "125.30", ""),
    ("20805", "行政事业单位养老支出", "125.30", "125.30", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "125.30", "125.30", ""),
    ("210", "卫生健康支出", "49.20", "49.20", ""),
    ("21011", "行政事业单位医疗", "49.20", "49.20", ""),
    ("2101101", "行政单位医疗", "18.30", "18.30", ""),
    ("2101102", "事业单位医疗", "30.90", "39.90", ""),
    ("214", "交通运输支出", "3369.35", "1188.85", "2180.50"),
    ("21401", "公路水路运输", "3369.35", "1188.85", "2180.50"),
    ("2140101", "行政运行", "1188.85", "1188.85", ""),
    ("2140104", "公路建设", "2180.50", "", "2180.50"),
]


def other_table_document() -> str:
    lines = ["表3 某某支出决算明细表", "", "编制单位：某市交通运输局    单位：万元", "",
             "\t".join(("科目编码", "科目名称", "合计", "基本支出", "项目支出"))]
    lines += ["\t".join(r) for r in OTHER_TABLE_ROWS]
    return "某市交通运输局2025年部门决算公开\n\n" + "\n".join(lines) + "\n"


def year_groups_document() -> str:
    """The 三公 table on one line, a group of six columns per year (in 元): this year's take the registry's keys,
    last year's parts keep their header paths. Last year's 公务接待费 is printed 75,000.00: its group does not add up."""
    top = "\t".join(["2024年预算数", *[""] * 5, "2025年预算数", *[""] * 5])
    names = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"]
    subs = ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""]
    last = ["335,000.00", "0.00", "265,000.00", "0.00", "265,000.00", "75,000.00"]
    this = ["292,800.00", "0.00", "228,800.00", "0.00", "228,800.00", "64,000.00"]
    return ("某市交通运输局2025年部门预算\n\n表九 一般公共预算“三公”经费支出预算表\n\n单位：元\n\n"
            f"{top}\n{chr(9).join(names * 2)}\n{chr(9).join(subs * 2)}\n{chr(9).join(last + this)}\n")


# Cards whose budget has parts beyond the four a card's budget grid shows: the fiscal money as its sources (here the
# total 1932.22 is not their sum: they are flagged), and the whole project period's budget beside the year's.
CARD_WITH_SOURCES = """青山县文化旅游局2025年部门预算

项目支出绩效目标表
项目名称\t文化惠民演出\t\t\t\t
项目资金（万元）\t年度资金总额:\t1932.22\t\t\t
\t其中:一般公共预算\t1800.00\t\t\t
\t政府性基金预算\t100.00\t\t\t
\t上年结转\t22.22\t\t\t
\t其他资金\t0.00\t\t\t
年度目标\t全年组织送戏下乡演出300场。\t\t\t\t
一级指标\t二级指标\t三级指标\t指标值\t\t
产出指标\t数量指标\t送戏下乡演出场次\t≥300场\t\t
"""
CARD_WITH_PERIOD = """青山县文化旅游局2025年部门预算

青山县文化旅游局2025年项目支出表
单位：万元
项目名称\t合计\t财政拨款\t上年结转
文化惠民演出\t1922.22\t1900.00\t22.22
合计\t1922.22\t1900.00\t22.22

项目支出绩效目标表
项目名称\t文化惠民演出\t\t\t
实施单位\t青山县文化馆\t项目期\t3年\t
项目资金（万元）\t\t实施期资金总额\t年度资金总额\t
\t资金总额\t5500.00\t1922.22\t
\t其中：财政拨款\t5400.00\t1900.00\t
\t上年结转\t100.00\t22.22\t
年度目标\t全年组织送戏下乡演出不少于300场，丰富群众文化生活。\t\t\t
一级指标\t二级指标\t三级指标\t实施期指标值\t年度指标值
产出指标\t数量指标\t送戏下乡演出场次\t≥900场\t≥300场
\t成本指标\t项目总成本\t≤5500万元\t≤1922.22万元
满意度指标\t服务对象满意度指标\t群众满意度\t≥95%\t≥95%
"""
# A 收支总表 printed as one column, 收入 above 支出: read on its two sides (income_amount above, expenditure_amount
# below), each shown in its half of the report's summary.
VERTICAL_SUMMARY = """某市交通运输局2025年部门预算公开

表1 部门收支总表

单位：万元

项目\t预算数
一、收入
（一）一般公共预算拨款收入\t3293.85
（三）事业收入\t50.00
本年收入合计\t3343.85
上年结转结余\t200.00
收入总计\t3543.85
二、支出
（一）社会保障和就业支出\t125.30
（二）交通运输支出\t3418.55
本年支出合计\t3543.85
支出总计\t3543.85
"""
DOCUMENTS = ["other_table", "year_groups", "card_sources", "card_period", "vertical_summary"]


class Cells(HTMLParser):
    """The value cells of a document's page: (path, status) of each."""

    def __init__(self):
        super().__init__()
        self.cells: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-path" in a:
            self.cells.append((a["data-path"], a["data-status"]))


def page_cells(html: str) -> Counter:
    parser = Cells()
    parser.feed(html)
    return Counter(parser.cells)


def stated_counts(html: str) -> tuple[int, Counter]:
    """What a document's page says it holds: "N values: 3 flagged, 20 verified"."""
    m = re.search(r"(\d+) values: ([^.]*)\.", html)
    assert m, "the page states no count of its values"
    by_status = Counter({s: int(n) for n, s in re.findall(r"(\d+) (\w+)", m.group(2))})
    return int(m.group(1)), by_status


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> dict:
    src = tmp_path_factory.mktemp("docs")
    (src / "other_table.txt").write_text(other_table_document(), encoding="utf-8")
    (src / "year_groups.txt").write_text(year_groups_document(), encoding="utf-8")
    (src / "card_sources.txt").write_text(CARD_WITH_SOURCES, encoding="utf-8")
    (src / "card_period.txt").write_text(CARD_WITH_PERIOD, encoding="utf-8")
    (src / "vertical_summary.txt").write_text(VERTICAL_SUMMARY, encoding="utf-8")
    out = tmp_path_factory.mktemp("results")
    cli("run", *(src / f"{doc}.txt" for doc in DOCUMENTS), "--out", out, check=False)
    # A person accepts one flag on the other_table: its values read "accepted" in the export and the report alike.
    flags = json.loads(cli("review", "list", "--db", out, "--json").stdout)
    accepted = next(f for f in flags if f["document"] == "other_table" and f["check"] == "table.hierarchy")
    cli("review", "accept", accepted["id"], "--db", out, "--reviewer", "tester")
    report = out / "report"
    cli("report", out, "-o", report)
    facts = [json.loads(line) for line in cli("export", out, "--what", "facts").stdout.splitlines()]
    return {"report": report, "facts": facts, "index": (report / "index.html").read_text(encoding="utf-8")}


def facts_of(reported: dict, doc: str) -> list[dict]:
    return [f for f in reported["facts"] if f["document"] == doc]


def page(reported: dict, doc: str) -> str:
    return (reported["report"] / "documents" / f"{doc}.html").read_text(encoding="utf-8")


def test_the_documents_hold_flagged_values_under_columns_the_registry_does_not_know(reported):
    """What the other tests rely on: each document has such values, flagged ones among them."""
    other = facts_of(reported, "other_table")
    assert {f["table_kind"] for f in other} == {"other_table"}
    assert {"flagged", "accepted", "verified"} <= {f["status"] for f in other}
    paths = [f for f in facts_of(reported, "year_groups") if f["column_key"].startswith("2024年预算数/")]
    assert paths and any(f["status"] == "flagged" for f in paths), paths
    sources = [f for f in facts_of(reported, "card_sources") if f["column_key"] == "budget_source"]
    assert len(sources) == 2 and all(f["status"] == "flagged" for f in sources), sources
    assert [f["value"] for f in facts_of(reported, "card_period") if f["column_key"].startswith("midterm_budget_")] == \
        ["5500.00", "5400.00", "100.00"]
    vertical = facts_of(reported, "vertical_summary")
    # (printed as one list, it is read on its two sides: each half of the report's summary holds its own)
    assert {(f["table_kind"], f["column_key"]) for f in vertical} == {("income_expenditure_summary", "income_amount"),
                                                            ("income_expenditure_summary", "expenditure_amount")}, vertical


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_fact_is_on_its_documents_page_with_its_status(reported, doc):
    facts = facts_of(reported, doc)
    html = page(reported, doc)
    assert page_cells(html) == Counter((f["field"], f["status"]) for f in facts)
    assert "Other values 其他数值" not in html  # each in its table's or card's grid, none left for the catch-all list


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_a_page_counts_its_values_as_the_facts_export_does(reported, doc):
    facts = facts_of(reported, doc)
    total, by_status = stated_counts(page(reported, doc))
    assert total == len(facts)
    assert by_status == Counter(f["status"] for f in facts)


def test_an_unknown_column_is_shown_under_its_header_path(reported):
    html = page(reported, "year_groups")
    heads = [unescape(h) for h in re.findall(r"<th[^>]*>([^<]*)</th>", html)]
    for f in facts_of(reported, "year_groups"):
        if f["column_key"].startswith("2024年预算数/"):
            assert f["column_label"] in heads, f["column_label"]
    other = page(reported, "other_table")
    assert all(h in [unescape(x) for x in re.findall(r"<th[^>]*>([^<]*)</th>", other)]
               for h in ("合计", "基本支出", "项目支出"))
    # The flagged figure is in its cell, coloured as flagged.
    assert re.search(r'<td class="val st-flagged"[^>]*>39\.90</td>', other)


def test_the_index_counts_as_the_facts_export_does(reported):
    index = reported["index"]
    facts = reported["facts"]
    statuses = Counter(f["status"] for f in facts)
    for status in ("rejected", "corrected", "flagged", "accepted", "verified"):
        assert f'<span class="count st-{status}">{statuses[status]} {status}</span>' in index
    assert f"<b>{len(facts)}</b> values" in index
    for doc in DOCUMENTS:
        row = re.search(rf'<tr><td><a href="documents/{doc}\.html">.*?</tr>', index).group(0)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)  # document, department, year, tables, cards, values, flagged …
        doc_facts = facts_of(reported, doc)
        assert (cells[5], cells[6]) == (str(len(doc_facts)), str(sum(f["status"] == "flagged" for f in doc_facts))), row
