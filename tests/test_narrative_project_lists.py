"""Every amount the explanation (说明) prints is a claim: the projects it lists (项目支出…，主要为A x万元、B y万元) are
compared by name with the project table, else with their cards (绩效目标表); the figures nothing can be compared with
are `unchecked`, with the reason — never left out (docs/verify.md, "The narrative")."""

from __future__ import annotations

import pytest

from conftest import result_for
from county_budget import narrative_flags, run


def _claims(result, *raws: str):
    by_raw = {c.value.raw: c for c in result.claims}
    return [by_raw[r] for r in raws]


# ------------------------------------------------------------------ the corpus

def test_the_trials_list_of_projects_in_000_is_compared_with_the_cards():
    # "项目支出8473.23万元，主要为城乡居民医疗保险财政补助重点保障经费6432万元、财政资助困难居民参加城乡居民医保重点
    # 保障经费751.8万元、城乡困难群众医疗救助全额保障经费700万元、医保局人员全额保障经费415.08万元。" — 000 prints no
    # project table; each name is a card's, whose budget is 6282.00, 751.80, 700.00, 415.08.
    listed = _claims(result_for("000"), "6432", "751.8", "700", "415.08")
    assert [c.subject for c in listed] == ["项目:城乡居民医疗保险财政补助重点保障经费", "项目:财政资助困难居民参加城乡居民医保重点保障经费",
                                           "项目:城乡困难群众医疗救助全额保障经费", "项目:医保局人员全额保障经费"]
    assert [c.status for c in listed] == ["flagged", "verified", "verified", "verified"]


def test_002s_list_adds_up_to_its_total_and_its_spelling_differs_from_the_card():
    # "项目支出741.07万元，主要为…472万元、…88.45万元、…85.62万元、医疗保障运行经费65万元、医疗保障运行及审计30万元": the
    # card says 医疗保障运行与审计; the three shortened names are each held by two cards (not compared), but the five
    # add up to 741.07.
    listed = _claims(result_for("002"), "472", "88.45", "85.62", "65", "30")
    assert listed[4].subject == "项目:医疗保障运行与审计"
    assert [c.status for c in listed] == ["verified"] * 5


def test_003s_project_budgets_and_procurement_sources_are_checked():
    result = result_for("003")
    # "3.“2024-城乡医疗救助”项目。…（6）年度预算安排。项目预算安排资金1760.0万元" — the table prints 2024_城乡医疗救助.
    budgets = [c for c in result.claims if c.value.raw in ("5.0", "18.0", "1760.0", "357.0")]
    assert [(c.subject, c.status) for c in budgets] == [
        ("项目:欺诈骗取医保基金行为举报奖励", "verified"), ("项目:公务用车更新配备", "verified"),
        ("项目:2024_城乡医疗救助", "verified"), ("项目:离休医疗费补助", "verified"), ("项目:医用网络使用维护费", "verified")]
    procured = [c for c in result.claims if c.subject.startswith("政府采购") and c.kind == "amount"]
    assert {c.subject for c in procured} >= {"政府采购一般公共预算", "政府采购政府性基金预算", "政府采购单位资金"}
    assert all(c.status == "verified" for c in procured)


def test_no_money_figure_of_the_corpus_narratives_is_left_out():
    for doc in ("000", "001", "002", "003"):
        result = result_for(doc)
        for claim in result.claims:
            assert claim.status != "unchecked" or claim.reason, claim


# ------------------------------------------------------- wordings of the lists

@pytest.mark.parametrize("sentence", [
    "项目支出550.00万元，主要用于高标准农田建设项目500.00万元、农村人居环境整治项目50.00万元。",
    "项目支出550.00万元，主要为高标准农田建设500.00万元、农村人居环境整治50.00万元。",  # names shortened
    "项目支出550.00万元，包括：高标准农田建设项目500.00万元，农村人居环境整治项目50.00万元。",
    "安排项目支出550.00万元，其中高标准农田建设项目500.00万元、农村人居环境整治项目50.00万元。",
    "项目支出550.00万元，占41.84%，主要用于高标准农田建设项目500.00万元和农村人居环境整治项目50.00万元。",
    "项目支出550.00万元，用于高标准农田建设项目、农村人居环境整治项目，分别为500.00万元、50.00万元。",
])
def test_a_list_of_projects_is_compared_with_the_project_table(sentence):
    result = run(sentence, projects=True)
    listed = _claims(result, "500.00", "50.00")
    assert [c.subject for c in listed] == ["项目:高标准农田建设项目", "项目:农村人居环境整治项目"]
    assert [c.status for c in listed] == ["verified", "verified"] and narrative_flags(result) == []


def test_a_listed_projects_wrong_amount_is_an_error():
    result = run("项目支出550.00万元，主要用于高标准农田建设项目510.00万元、农村人居环境整治项目40.00万元。", projects=True)
    assert narrative_flags(result, "narrative.table") == [
        "说明：项目:高标准农田建设项目 510.00 万元 ≠ 项目支出表 高标准农田建设项目 合计 500.00 万元",
        "说明：项目:农村人居环境整治项目 40.00 万元 ≠ 项目支出表 农村人居环境整治项目 合计 50.00 万元"]


def test_projects_no_table_or_card_names_are_unchecked_and_a_partial_list_is_no_fault():
    result = run("项目支出550.00万元，主要包括种子补贴200.00万元、农机购置补贴100.00万元。", projects=True)
    listed = _claims(result, "200.00", "100.00")
    assert [(c.subject, c.status) for c in listed] == [("项目:种子补贴", "unchecked"), ("项目:农机购置补贴", "unchecked")]
    assert all("没有名称可确定对应" in c.reason for c in listed)
    assert narrative_flags(result) == []  # 300.00 short of 550.00: 主要包括 names the notable ones


def test_a_list_beyond_its_total_is_an_error_whatever_the_names():
    result = run("项目支出550.00万元，主要包括种子补贴400.00万元、农机购置补贴300.00万元。", projects=True)
    assert narrative_flags(result, "narrative.parts") == [
        "说明：项目支出 550.00 ≠ 项目:种子补贴 400.00 + 项目:农机购置补贴 300.00 = 700.00（差 -150.00，舍入容差 0.015）"]


# ------------------------------------------------------------------- the cards

_CARD = """
项目支出绩效目标表

(2025年度)

项目名称		{name}		
主管部门及代码		[101]某县农业农村局	实施单位	某县农业农村局
项目资金 (万元)		年度资金总额:	{budget}	
		其中:财政拨款	{budget}	
		上年结转	0.00	
		其他资金	0.00	
年度目标	完成建设任务			
绩效指标	一级指标	二级指标	三级指标	指标值
	产出指标	数量指标	建设面积	≥1000亩
	满意度指标	满意度指标	群众满意度	≥90%
"""


def _with_cards(sentence: str, *cards: tuple[str, str]) -> str:
    return sentence + "\n" + "".join(_CARD.format(name=n, budget=b) for n, b in cards)


def test_a_listed_project_with_no_project_table_is_compared_with_its_card():
    sentence = "项目支出550.00万元，主要为农村人居环境整治及提升项目50.00万元、高标准农田建设项目480.00万元。"
    result = run(_with_cards(sentence, ("农村人居环境整治与提升项目", "50.00"), ("高标准农田建设项目", "500.00")))
    listed = _claims(result, "50.00", "480.00")
    # 及 for 与: one name spelled two ways.
    assert [(c.subject, c.status) for c in listed] == [("项目:农村人居环境整治与提升项目", "verified"),
                                                       ("项目:高标准农田建设项目", "flagged")]
    flag = next(f for f in result.flags if f.check == "narrative.table")
    # A card may hold only part of a project's money: a warning, not an error.
    assert flag.severity == "warning" and "绩效目标表 高标准农田建设项目 预算数 500.00" in flag.message


def test_two_cards_of_one_name_are_not_compared_one_by_one():
    sentence = "项目支出550.00万元，主要为高标准农田建设项目480.00万元。"
    result = run(_with_cards(sentence, ("高标准农田建设项目", "300.00"), ("高标准农田建设项目", "200.00")))
    claim = _claims(result, "480.00")[0]
    assert claim.status == "unchecked" and "有 2 张名为“高标准农田建设项目”的绩效目标表" in claim.reason


def test_a_project_budget_under_its_quoted_heading_is_that_projects():
    text = "（一）项目情况\n\n1.“高标准农田建设”项目。\n\n（1）项目概述。建设高标准农田。\n\n（6）年度预算安排。项目预算安排资金500.0万元\n"
    claim = _claims(run(text, projects=True), "500.0")[0]
    assert (claim.subject, claim.status) == ("项目:高标准农田建设项目", "verified")


# ------------------------------------------------------------ other amounts

@pytest.mark.parametrize("sentence", [
    "政府采购预算100.00万元。其中，一般公共预算安排100.00万元，政府性基金预算安排0万元。",
    "政府采购预算总额100.00万元，其中一般公共预算拨款100.00万元、政府性基金预算拨款0万元。",
])
def test_procurement_by_source_is_the_procurement_tables(sentence):
    result = run(sentence, extra=True)
    sources = [c for c in result.claims if c.subject.startswith("政府采购") and c.subject != "政府采购"]
    assert [c.subject for c in sources] == ["政府采购一般公共预算", "政府采购政府性基金预算"]
    assert [c.status for c in sources] == ["verified", "verified"] and narrative_flags(result) == []
    wrong = run(sentence.replace("安排100.00", "安排90.00").replace("拨款100.00", "拨款90.00"), extra=True)
    assert narrative_flags(wrong, "narrative.table") == [
        "说明：政府采购一般公共预算 90.00 万元 ≠ 政府采购预算表 合计 一般公共预算拨款 100.00 万元"]


@pytest.mark.parametrize("sentence, words", [
    ("委托业务费共计安排321.58万元，主要用于对外委托的辅助性工作。", "委托业务费"),
    ("单价50万元以上的通用设备0台（套）。", "单价"),
    ("年度救助限额5000元。", "年度救助限额"),
])
def test_a_figure_whose_words_name_nothing_known_is_unchecked_with_the_reason(sentence, words):
    result = run(sentence)
    claim = next(c for c in result.claims if c.value.raw in ("321.58", "50", "5000"))
    assert (claim.subject, claim.status) == (words, "unchecked")
    assert claim.reason.startswith(f"“{words}”不是已知的科目") and narrative_flags(result) == []
