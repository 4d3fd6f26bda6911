"""Where one table ends and the next begins, whatever the next one's title.

- Titles other provinces print for the tables we know (部门收支总体情况表, 国有资产占用情况表, 绩效目标申报表…)
  name their kind.
- A table whose title names no kind we know (机关运行经费预算表), or that prints only its number (表10), ends the
  table before it when a header stands under it: it becomes a table of its own (``other_table``), read under its
  header paths — never rows of the table before it, which would then be checked against figures that are not its.

The documents are generated here (hand-written fixtures in the shape of other provinces' disclosures).
"""

from __future__ import annotations

import pytest

from schemas import STANDARD_TABLE_KINDS, kind_for_title
from textlayouts import layouts, run_text

TITLES = [
    ("部门收支总体情况表", "income_expenditure_summary"),
    ("东岭区民政局2024年收入支出决算总表", "income_expenditure_summary"),
    ("部门收入总体情况表", "income_summary"),
    ("部门支出总体情况表", "expenditure_summary"),
    ("东岭区民政局2024年支出预算表", "expenditure_summary"),
    ("东岭区民政局2023年度支出决算表", "expenditure_summary"),
    ("财政拨款收支总体情况表", "fiscal_appropriation_summary"),
    ("东岭区民政局2024年基本支出预算表", "general_budget_basic_expenditure"),
    ("一般公共预算支出情况表", "general_budget_expenditure"),
    ("一般公共预算“三公”经费支出情况表", "three_public_costs"),
    ("项目支出预算汇总表", "project_expenditure"),
    ("政府采购预算明细表", "government_procurement"),
    ("政府采购计划表", "government_procurement"),
    ("国有资产占用情况表", "fixed_assets"),
    ("东岭区民政局2024年资产占用情况表", "fixed_assets"),
    ("国有资产占有使用情况表", "fixed_assets"),
    ("部门资产情况表", "fixed_assets"),
    ("项目支出绩效目标申报表", "performance_target"),
    ("部门整体支出绩效目标申报表", "department_performance_target"),
    # Tables of no kind we know, and titles that only look like ours.
    ("东岭区民政局2024年机关运行经费预算表", None),
    ("新增资产配置预算表", None),
    ("政府性基金预算支出预算表", "government_fund_expenditure"),
]


@pytest.mark.parametrize("title,kind", TITLES)
def test_titles_other_provinces_print_name_the_kind(title, kind):
    assert kind_for_title(title) == kind


def test_a_table_of_no_known_kind_is_no_standard_table_a_document_lacks():
    assert "other_table" not in STANDARD_TABLE_KINDS
    assert kind_for_title("其他表") is None  # no title names it: only the shape of a title and a header do


THREE_PUBLIC = """表9
东岭区民政局2024年“三公”经费支出预算表
单位：元
项目	2024年预算数	2023年预算数	增减
合计	80,000.00	100,000.00	-20,000.00
因公出国（境）费	0.00	0.00	0.00
公务用车购置及运行维护费	50,000.00	60,000.00	-10,000.00
其中：公务用车购置费	0.00	0.00	0.00
公务用车运行维护费	50,000.00	60,000.00	-10,000.00
公务接待费	30,000.00	40,000.00	-10,000.00
"""

ASSETS = """
表12
东岭区民政局2024年{title}
单位：万元
项目	数量	原值	净值
资产总额		1,500.00	900.00
房屋（平方米）	2,000	1,000.00	600.00
车辆（辆）	2	60.00	20.00
其中：一般公务用车	1	30.00	10.00
单位价值50万元以上通用设备（台套）	3	200.00	120.00
其他资产		240.00	160.00
"""

OTHER = """
{number}
{title}
单位：万元
项目	预算数	上年预算数
机关运行经费	120.00	130.00
其中：办公费	40.00	45.00
"""


LAYOUTS = layouts()


def _run(tmp_path, text: str):
    return run_text(tmp_path, "东岭区民政局2024年部门预算\n\n" + text)[0]


def _three_public_is_untouched(result):
    three = [t for t in result.tables if t.kind == "three_public_costs"]
    assert len(three) == 1
    assert [r.label.text for r in three[0].rows] == ["合计", "因公出国（境）费", "公务用车购置及运行维护费",
                                                     "其中：公务用车购置费", "公务用车运行维护费", "公务接待费"]
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("title", ["国有资产占用情况表", "资产占用情况表"])
def test_an_asset_table_after_the_three_public_costs_is_read_as_the_fixed_assets_table(tmp_path, title, layout):
    result = _run(tmp_path, LAYOUTS[layout](THREE_PUBLIC + ASSETS.format(title=title)))
    _three_public_is_untouched(result)
    assets = [t for t in result.tables if t.kind == "fixed_assets"]
    assert len(assets) == 1
    rows = {r.label.text: r for r in assets[0].rows}
    assert str(rows["房屋（平方米）"].values["quantity"].value) == "2000"
    assert {k: str(v.value) for k, v in rows["资产总额"].values.items()} == {"original_value": "1500.00",
                                                                          "net_value": "900.00"}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("number,title", [
    ("表10", "东岭区民政局2024年机关运行经费预算表"),  # a title of no kind we know
    ("", "附表3 机关运行经费预算表"),
    ("", "十、机关运行经费安排情况表"),  # a numbered heading that names a table
    ("表10", ""),  # only the table's number over its header
    ("预算10表", ""),
])
def test_a_table_of_no_known_kind_ends_the_table_before_it_and_is_read_under_its_header(tmp_path, number, title,
                                                                                        layout):
    text = OTHER.format(number=number, title=title).replace("\n\n", "\n")
    result = _run(tmp_path, LAYOUTS[layout](THREE_PUBLIC + text))
    _three_public_is_untouched(result)
    other = [t for t in result.tables if t.kind == "other_table"]
    assert len(other) == 1
    assert other[0].title == (title or number)
    rows = {r.label.text: r for r in other[0].rows}
    assert {k: str(v.value) for k, v in rows["机关运行经费"].values.items()} == {"预算数": "120.00", "上年预算数": "130.00"}
    assert rows["其中：办公费"].memo


def test_prose_that_points_at_a_table_opens_none(tmp_path):
    """"如下表" over a table's header is a sentence of the narrative, not the table's title."""
    result = _run(tmp_path, THREE_PUBLIC + "\n二、机关运行经费\n本部门机关运行经费安排情况如下表\n项目\t预算数\n机关运行经费\t120.00\n")
    assert not [t for t in result.tables if t.kind == "other_table"]


def test_a_table_number_printed_again_over_the_same_header_is_the_table_going_on(tmp_path):
    """A page that prints the table's number again over the header it printed first: the same table, one section."""
    page2 = "\x0c表9\n项目\t2024年预算数\t2023年预算数\t增减\n公务接待费\t30,000.00\t40,000.00\t-10,000.00\n"
    text = THREE_PUBLIC.replace("公务接待费\t30,000.00\t40,000.00\t-10,000.00\n", "") + page2
    result = _run(tmp_path, text)
    _three_public_is_untouched(result)
    assert [s.kind for s in result.sections if s.kind not in ("narrative", "front_matter")] == ["three_public_costs"]


def test_a_table_of_no_known_kind_is_read_by_the_rules_when_the_model_reads_the_rest(tmp_path):
    """No form asks a model for a table of no known kind: with --backend llm the rules still read it (its figures are
    kept, not left unread for a model that would be given nothing to fill)."""
    from extractor.load import load_document
    from extractor.pipeline import _extract

    path = tmp_path / "doc.txt"
    path.write_text(THREE_PUBLIC + OTHER.format(number="表10", title="机关运行经费预算表"), encoding="utf-8")
    result, _ = _extract(load_document(path), use_rules=False)
    assert [u.kind for u in result.unread] == ["three_public_costs"]
    assert [t.kind for t in result.tables] == ["other_table"]
