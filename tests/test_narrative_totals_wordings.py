"""The headline totals of the 说明 in the wordings counties print (trial26 findings 01, 03, 04).

Every test puts one paragraph after the tables of a generated county department (``county_budget``: 收支总表 收入总计 =
支出总计 = 1314.56 万元 = 基本支出 764.56 + 项目支出 550.00; 一般公共预算拨款收入 1264.56 + 政府性基金预算拨款收入 50.00).
Before, 收支预算总额, 收入、支出预算总计 (收、支…各增加), 部门预算总收入 and 部门预算支出 were claims compared with nothing
(`unchecked`), so a wrong headline figure raised no flag; a part the verifier could not name (财政专户管理资金) made a
true list an error; and a side-by-side 人员经费 | 公用经费 table's 公用经费合计 line was never looked at.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from county_budget import _ECONOMIC, document, narrative_flags, run
from test_final_accounts import _FLAT


def _claims(result) -> list[tuple[str, str, str, str]]:
    return [(c.kind, c.subject, str(c.value.value), c.status) for c in result.claims]


# The whole budget (收入总计 = 支出总计) as provinces word it.
TOTAL_WORDINGS = [
    "2025年部门收支预算总额{v}万元。",
    "某县农业农村局2025年收支预算总计{v}万元。",
    "本部门2025年度收入、支出预算总计{v}万元。",
    "2025年收入和支出预算总额{v}万元。",
    "2025年部门收支总预算{v}万元。",
]


@pytest.mark.parametrize("said", TOTAL_WORDINGS)
def test_the_whole_budget_in_each_wording_is_compared_with_the_summary_total(said):
    result = run(said.format(v="1314.56"))
    assert narrative_flags(result) == []
    assert _claims(result) == [("amount", "收支总预算", "1314.56", "verified")]


@pytest.mark.parametrize("said", TOTAL_WORDINGS)
def test_a_wrong_whole_budget_in_each_wording_is_an_error(said):
    result = run(said.format(v="1341.56"))
    assert narrative_flags(result, "narrative.table") == [
        "说明：收支总预算 1341.56 万元 ≠ 收支总表 收入总计 收入 预算数 1314.56 万元"]
    assert _claims(result) == [("amount", "收支总预算", "1341.56", "flagged")]


@pytest.mark.parametrize("change", ["与上年相比收、支预算总计各增加114.56万元", "收入、支出预算总计各比上年增加114.56万元",
                                    "比上年增加114.56万元"])
def test_the_change_of_both_totals_and_its_rate_are_the_whole_budgets(change):
    said = f"2025年度收入、支出预算总计1314.56万元，{change}，增长{{rate}}%。"
    held = run(said.format(rate="9.55"))  # 114.56 / (1314.56 − 114.56) = 9.547%
    assert narrative_flags(held) == []
    assert [c[:2] for c in _claims(held)] == [("amount", "收支总预算"), ("change", "收支总预算"),
                                            ("percent", "收支总预算")]
    assert _claims(held)[2][3] == "verified"
    wrong = narrative_flags(run(said.format(rate="8.80")), "narrative.change")
    assert wrong == ["说明：收支总预算 增长 8.80% ≠ 增加 114.56 / 上年 1200.00 = 9.55%"]


@pytest.mark.parametrize("said, subjects", [
    ("2025年部门预算总收入{v}万元，总支出{v}万元。", ["收入", "支出"]),
    ("2025年部门预算收入{v}万元，部门预算支出{v}万元。", ["收入", "支出"]),
    ("本单位2025年预算总收入{v}万元。", ["收入"]),
])
def test_department_income_and_expenditure_totals_are_compared(said, subjects):
    held = run(said.format(v="1314.56"))
    assert narrative_flags(held) == []
    assert [(c[1], c[3]) for c in _claims(held)] == [(s, "verified") for s in subjects]
    wrong = run(said.format(v="1341.56"))
    assert len(narrative_flags(wrong, "narrative.table")) == len(subjects)
    assert [c[3] for c in _claims(wrong)] == ["flagged"] * len(subjects)


@pytest.mark.parametrize("said", ["2025年基本支出764.56万元，基本支出比上年增加64.56万元。",
                                  "2025年基本支出764.56万元，较2024年预算增加64.56万元。"])
def test_a_change_names_its_subject_before_or_after_what_it_is_compared_with(said):
    assert [(c[0], c[1]) for c in _claims(run(said))] == [("amount", "基本支出"), ("change", "基本支出")]


@pytest.mark.parametrize("lead", ["2025年部门预算支出", "本部门2025年预算支出", "2025年部门支出预算"])
def test_a_department_expenditure_total_with_its_parts_is_checked_both_ways(lead):
    said = lead + "{v}万元，其中：基本支出764.56万元，项目支出550.00万元。"
    held = run(said.format(v="1314.56"))
    assert narrative_flags(held) == []
    assert _claims(held)[0] == ("amount", "支出", "1314.56", "verified")
    wrong = run(said.format(v="1341.56"))
    assert narrative_flags(wrong, "narrative.parts") == [
        "说明：支出 1341.56 ≠ 基本支出 764.56 + 项目支出 550.00 = 1314.56（差 27.00，舍入容差 0.015）"]
    assert len(narrative_flags(wrong, "narrative.table")) == 1


# ------------------------------------------------------------------ 财政专户管理资金, and parts not named

INCOME = "2025年收入预算1314.56万元，其中：一般公共预算拨款收入1264.56万元，政府性基金预算拨款收入50.00万元，{part}。"


@pytest.mark.parametrize("words", ["财政专户管理资金", "财政专户管理资金收入", "财政专户核拨收入"])
def test_the_special_account_is_a_source_of_income(words):
    result = run(INCOME.format(part=f"{words}0万元"))  # the 收支总表 prints 四、财政专户管理资金收入 empty
    assert narrative_flags(result) == []
    assert ("amount", "财政专户管理资金收入", "0.00", "verified") in _claims(result)
    assert _claims(result)[0] == ("amount", "收入", "1314.56", "verified")


def test_special_account_money_arranged_for_a_project_is_no_income():
    result = run("高标准农田建设项目500.00万元，其中一般公共预算拨款安排495.00万元，财政专户管理资金安排5.00万元。")
    funding = [c for c in result.claims if c.value.value == 5]
    assert len(funding) == 1 and funding[0].status == "unchecked" and "项目资金的来源" in funding[0].reason


WHOLE = "2025年收入预算1334.56万元，其中：一般公共预算拨款收入1264.56万元，政府性基金预算拨款收入50.00万元，{part}。"


@pytest.mark.parametrize("name", ["纳入专户管理的非税收入", "自有资金", "其他资金"])
def test_a_part_the_verifier_cannot_name_does_not_make_a_true_list_an_error(name):
    # 1334.56 = 1264.56 + 50.00 + 20.00: the third part is the 收支总表's line 五, under a name no subject has.
    result = run(WHOLE.format(part=f"{name}20.00万元"), non_fiscal="单位资金")
    assert narrative_flags(result) == []
    claims = {c.subject: c for c in result.claims}
    assert claims["收入"].status == "verified"
    assert claims[name].status == "unchecked" and claims[name].reason  # said as not compared, never verified


@pytest.mark.parametrize("name", ["纳入专户管理的非税收入", "自有资金"])
def test_a_short_list_with_a_part_not_named_is_a_warning_that_says_so(name):
    result = run(WHOLE.format(part=f"{name}25.00万元"), non_fiscal="单位资金")
    flags = [f for f in result.flags if f.check == "narrative.parts"]
    assert len(flags) == 1 and flags[0].severity == "warning", [f.message for f in flags]
    assert f"未能识别名目的“{name}”25.00" in flags[0].message and "不断定说明有误" in flags[0].message


def test_a_short_list_with_every_part_named_is_still_an_error():
    result = run(WHOLE.format(part="事业收入15.00万元"), non_fiscal="事业收入")
    flags = [f for f in result.flags if f.check == "narrative.parts"]
    assert len(flags) == 1 and flags[0].severity == "error"


# ------------------------------------------------------------------ side-by-side 人员经费 | 公用经费

def _side_by_side(lines: str = "人员经费合计|公用经费合计") -> str:
    """The generated document with its basic table printed as the national template's 决算 tables are: 人员经费 and
    公用经费 side by side, each half with its own 合计 line, and no 一般公共预算支出表 (so no other table prints the
    general budget's basic total)."""
    personnel = [(c, n, p) for c, n, _t, p, _u in _ECONOMIC if p]
    public = [(c, n, u) for c, n, _t, _p, u in _ECONOMIC if u]
    rows = []
    for i in range(max(len(personnel), len(public))):
        left = personnel[i] if i < len(personnel) else ("", "", "")
        right = public[i] if i < len(public) else ("", "", "")
        rows.append("| " + " | ".join([*left, *right]) + " |")
    first, second = lines.split("|")
    table = "\n".join(["表6 一般公共预算基本支出表", "", "单位：万元", "",
                       "| 人员经费 |  |  | 公用经费 |  |  |", "| 科目编码 | 科目名称 | 预算数 | 科目编码 | 科目名称 | 预算数 |",
                       "|---|---|---|---|---|---|", *rows, f"|  | {first} | 670.00 |  | {second} | 94.56 |"]) + "\n\n"
    text = document("{narrative}")
    text = re.sub(r"表5 一般公共预算支出表.*?(?=表6 )", "", text, flags=re.S)
    return re.sub(r"表6 一般公共预算基本支出表.*?(?=表7 )", lambda _m: table, text, flags=re.S)


def _run_text(text: str):
    from extractor.load import Document
    from extractor.pipeline import extract_document
    from verify import verify_result

    source = Document(path=Path("某县农业农村局2025年部门预算.txt"), text=text, encoding="utf-8",
                      sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(source), text)


BASIC = "2025年一般公共预算基本支出{whole}万元，其中：人员经费670.00万元，公用经费{public}万元。"


@pytest.mark.parametrize("lines", ["人员经费合计|公用经费合计", "人员经费小计|公用经费小计"])
def test_each_half_of_a_side_by_side_basic_table_gives_its_total(lines):
    result = _run_text(_side_by_side(lines).replace("{narrative}", BASIC.format(whole="764.56", public="94.56")))
    assert narrative_flags(result) == []
    assert [(c[1], c[3]) for c in _claims(result)] == [
        ("一般公共预算基本支出", "verified"), ("人员经费", "verified"), ("公用经费", "verified")]


def test_a_wrong_part_of_a_side_by_side_table_is_compared_with_its_own_half():
    result = _run_text(_side_by_side().replace("{narrative}", BASIC.format(whole="764.56", public="90.00")))
    table = narrative_flags(result, "narrative.table")
    assert len(table) == 1 and table[0].startswith("说明：公用经费 90.00 万元 ≠") and "公用经费合计" in table[0] \
        and "94.56" in table[0], table
    assert len(narrative_flags(result, "narrative.parts")) == 1  # 670.00 + 90.00 is not 764.56 either


def test_a_whole_the_table_prints_only_as_its_parts_is_compared_with_their_sum():
    result = _run_text(_side_by_side().replace("{narrative}", BASIC.format(whole="746.56", public="94.56")))
    table = narrative_flags(result, "narrative.table")
    assert len(table) == 1 and table[0].startswith("说明：一般公共预算基本支出 746.56 万元 ≠") \
        and table[0].endswith("= 764.56 万元"), table
    assert "未列此项" not in " ".join(narrative_flags(result))


# ------------------------------------------------------------------ 决算 disclosures

# The 三公 决算 table of test_final_accounts, 预算数 beside 决算数.
THREE_PUBLIC = _FLAT.format(budget="预算数", final="决算数")

_FINAL = """某县农业农村局2025年度部门决算公开

表1 收入支出决算总表

单位：万元

| 收入 |  | 支出 |  |
| 项目 | 决算数 | 项目 | 决算数 |
|---|---|---|---|
| 一、一般公共预算财政拨款收入 | 1314.56 | 一、农林水支出 | 1314.56 |
| 本年收入合计 | 1314.56 | 本年支出合计 | 1314.56 |
| 年初结转和结余 |  | 年末结转和结余 |  |
| 总计 | 1314.56 | 总计 | 1314.56 |

表2 一般公共预算财政拨款“三公”经费支出决算表

单位：万元

{three_public}
第三部分 2025年度部门决算情况说明

一、收入支出决算总体情况说明

{said}
"""


@pytest.mark.parametrize("said, subject, value", [
    ("2025年度收入、支出决算总计{v}万元。", "收支总预算", "1314.56"),
    ("2025年度部门决算收入总计{v}万元。", "收入", "1314.56"),
    ("2025年度“三公”经费支出决算{v}万元，完成预算的90.24%。", "三公经费", "18.50"),
])
def test_a_final_accounts_disclosure_states_its_own_year_in_its_final_figures(said, subject, value):
    from conftest import read_generated

    held = read_generated(_FINAL.format(said=said.format(v=value), three_public=THREE_PUBLIC), "某县农业农村局2025年度部门决算")
    assert held.document.stage == "final_accounts"
    assert [(c.subject, c.status) for c in held.claims if c.kind == "amount"] == [(subject, "verified")]
    wrong = read_generated(_FINAL.format(said=said.format(v="1.00"), three_public=THREE_PUBLIC), "某县农业农村局2025年度部门决算")
    assert [(c.subject, c.status) for c in wrong.claims if c.kind == "amount"] == [(subject, "flagged")]


def test_a_final_figure_in_a_budget_disclosure_is_still_another_years():
    result = run("2024年度收入、支出决算总计1200.00万元。")
    assert [(c.status, "另一年度" in (c.reason or "")) for c in result.claims] == [("unchecked", True)]
