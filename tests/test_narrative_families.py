"""Families of narrative (说明) wordings other provinces, cities and counties print, each checked against the tables.

Every test puts one generated paragraph after the tables of a generated county department (``county_budget``: the
tables alone raise no flag) and plants a figure the tables do not bear out, or states the right one; each wording
family is run in several variants. A figure that names a table line is compared with it, an empty line as 0; a
figure the tables do not print is said to be so.
"""

from __future__ import annotations

import pytest

from county_budget import narrative_flags, run


@pytest.mark.parametrize("name", ["单位资金", "事业收入"])
def test_non_fiscal_income_named_unit_funds_does_not_tie_the_summary_to_the_fiscal_tables(name):
    # 20.00 万元 of non-fiscal income: the summary and the expenditure summary rightly exceed the fiscal tables.
    result = run("", non_fiscal=name)
    assert [f.message for f in result.flags] == []


def _errors(result):
    return [f.message for f in result.flags if f.check == "narrative.table" and f.severity == "error"]


# ------------------------------------------------------------ empty and absent lines

@pytest.mark.parametrize("sentence,line", [
    ("2025年本部门因公出国（境）费1.00万元。", "因公出国（境）费"),
    ("2025年公务用车购置费5.00万元。", "公务用车购置费"),
    ("“三公”经费预算15.50万元，其中：因公出国（境）费2.00万元，公务用车购置及运行维护费12.00万元，公务接待费3.50万元。",
     "因公出国（境）费"),
    ("收入预算1319.56万元，其中：一般公共预算拨款收入1264.56万元，政府性基金预算拨款收入50.00万元，"
     "国有资本经营预算拨款收入5.00万元。", "国有资本经营预算拨款收入"),
    ("2025年国有资本经营预算拨款支出33.00万元。", "国有资本经营预算财政拨款支出表（空表）"),
    ("本年度国有资本经营预算财政拨款支出预算为3.00万元。", "国有资本经营预算财政拨款支出表（空表）"),
])
def test_a_figure_for_a_line_the_tables_print_empty_is_compared_with_zero(sentence, line):
    errors = [m for m in _errors(run(sentence)) if "空（0）" in m]
    assert len(errors) == 1 and line in errors[0], _errors(run(sentence))


@pytest.mark.parametrize("sentence", ["2025年本部门因公出国（境）费0.00万元。", "2025年因公出国（境）费0万元，公务用车购置费0万元。",
                                      "国有资本经营预算拨款支出0万元。"])
def test_a_zero_for_a_line_printed_empty_agrees(sentence):
    assert narrative_flags(run(sentence)) == []


@pytest.mark.parametrize("name", ["文化旅游体育与传媒支出", "教育支出", "交通运输支出"])
def test_a_figure_for_a_line_no_table_prints_is_said_to_be_unchecked(name):
    flags = [f for f in run(f"2025年{name}8.00万元。").flags if f.check == "narrative.table"]
    assert len(flags) == 1 and flags[0].severity == "warning" and "未列此项" in flags[0].message and name in flags[0].message


# ------------------------------------------------------------ totals in the words templates use

_TOTALS = {
    "1314.56": ["收支总预算", "收入总额", "支出总额", "收入预算", "支出预算", "财政拨款收入", "财政拨款收支预算",
                "财政拨款支出总额"],
    "1264.56": ["一般公共预算拨款支出", "一般公共预算财政拨款支出", "一般公共预算当年拨款", "一般公共预算当年拨款支出",
                "一般公共预算支出"],
    "50.00": ["政府性基金预算拨款支出", "政府性基金预算财政拨款支出", "政府性基金预算支出"],
    "15.50": ["一般公共预算“三公”经费预算", "一般公共预算安排“三公”经费", "“三公”经费财政拨款预算数为", "财政拨款“三公”经费支出预算",
              "“三公”经费支出预算", "“三公”经费预算为"],
}
_YEARS = ["2025年", "全年", "本年度", "今年", "本部门2025年"]
_CASES = [(total, year, words) for total, wordings in _TOTALS.items() for i, words in enumerate(wordings)
          for year in _YEARS[i % 3:][:3]]


@pytest.mark.parametrize("total,year,words", _CASES)
def test_a_total_in_the_words_templates_use_is_checked_against_its_table(total, year, words):
    wrong = f"{float(total) + 1:.2f}"
    errors = _errors(run(f"{year}{words}{wrong}万元。"))
    assert len(errors) == 1 and f" {wrong} 万元 ≠ " in errors[0] and errors[0].endswith(f" {total} 万元"), errors
    assert narrative_flags(run(f"{year}{words}{total}万元。")) == []


@pytest.mark.parametrize("sentence", [
    "1. 农林水（类）农业农村（款）行政运行（项）2025年预算565.56万元。",
    "1. 农林水支出（类）农业农村（款）行政运行（项）2025年预算565.56万元。",
    "1. 农林水（类）农业农村（款）行政运行（项）2025年预算数为565.56万元。",
    "（1）农林水支出（类）农业农村（款）行政运行（项）预算数为565.56万元，比2024年预算数增加5.00万元，增长0.89%。",
    "农林水支出（类）农业农村（款）行政运行（项）：2025年预算安排565.56万元。",
    "行政运行（2130101）565.56万元，主要用于机关运转。",
    "一是行政运行（2130101）预算数为565.56万元。",
])
def test_a_functional_line_in_the_words_templates_use_is_checked(sentence):
    errors = _errors(run(sentence))
    assert len(errors) == 1 and "2130101" in errors[0] and "565.56" in errors[0] and "564.56" in errors[0], errors
    assert narrative_flags(run(sentence.replace("565.56", "564.56"))) == []


# ------------------------------------------------------------ the budget a whole or a heading names

@pytest.mark.parametrize("words", ["一般公共预算拨款支出", "一般公共预算当年拨款", "一般公共预算财政拨款支出"])
def test_parts_under_a_general_budget_whole_are_the_general_budgets(words):
    # The paragraph before states the department's totals; the parts belong to the general-budget whole.
    text = (f"一、收支预算总体情况。2025年收入总计1334.56万元，支出总计1334.56万元。\n"
            f"二、一般公共预算支出情况。2025年{words}1264.56万元，其中：基本支出764.56万元，项目支出{{p}}万元。")
    assert narrative_flags(run(text.format(p="500.00"), non_fiscal="事业收入")) == []
    flags = narrative_flags(run(text.format(p="510.00"), non_fiscal="事业收入"))
    assert len(flags) == 2 and any("项目支出 510.00 万元 ≠ 一般公共预算财政拨款支出表" in m for m in flags), flags


_GB_HEADINGS = ["（二）一般公共预算当年拨款结构情况", "五、一般公共预算支出预算情况",
                "四、关于2025年一般公共预算当年拨款情况说明\n\n（一）结构情况", "3. 一般公共预算财政拨款支出情况"]


@pytest.mark.parametrize("heading", _GB_HEADINGS)
def test_a_heading_that_names_the_general_budget_sets_the_table_its_figures_are_checked_against(heading):
    # With 20.00 万元 of non-fiscal income on 213 the department's 213 (1084.56) is not the general budget's (1064.56).
    right = run(f"{heading}\n\n社会保障和就业支出120.00万元；农林水支出1064.56万元。", non_fiscal="事业收入")
    assert narrative_flags(right) == []
    wrong = _errors(run(f"{heading}\n\n农林水支出1074.56万元。", non_fiscal="事业收入"))
    assert len(wrong) == 1 and wrong[0].endswith("一般公共预算财政拨款支出表 213 农林水支出 合计 1064.56 万元"), wrong
    assert all(c.fund == "一般公共预算" for c in right.claims)


@pytest.mark.parametrize("heading", ["六、部门支出预算情况", "七、支出预算情况"])
def test_a_heading_that_names_no_budget_leaves_the_department_tables(heading):
    flags = _errors(run(f"五、一般公共预算支出预算情况\n\n基本支出764.56万元。\n\n{heading}\n\n农林水支出1064.56万元。",
                        non_fiscal="事业收入"))
    assert len(flags) == 1 and flags[0].endswith("支出总表 213 农林水支出 合计 1084.56 万元"), flags


# ------------------------------------------------------------ a stated zero

@pytest.mark.parametrize("zero", ["0", "0.00", "0.0"])
@pytest.mark.parametrize("reception", ["3.10", "3.40", "3.60"])
def test_a_bare_zero_among_figures_to_the_cent_is_zero_to_the_cent(zero, reception):
    # No 三公 table: the stated parts against the stated whole are the only check; 15.50 ≠ 0 + 12.00 + 3.10.
    flags = narrative_flags(run(f"“三公”经费预算15.50万元，其中：因公出国（境）费{zero}万元，公务用车购置及运行维护费12.00万元，"
                                f"公务接待费{reception}万元。", three_public=False), "narrative.parts")
    assert len(flags) == 1 and "舍入容差 0.020" in flags[0] and "因公出国(境)费 0.00 +" in flags[0], flags


# ------------------------------------------------------------ shares and 分别 lists

def _share_errors(result):
    return [f.message for f in result.flags if f.check == "narrative.share" and f.severity == "error"]


@pytest.mark.parametrize("share", ["占支出总额的{p}%", "占总支出的{p}%", "占支出预算的比重为{p}%", "占部门预算的{p}%",
                                   "占比{p}%", "占{p}%"])
def test_a_share_that_names_its_whole_or_follows_it_is_checked(share):
    text = "支出预算1314.56万元，其中：基本支出764.56万元，" + share + "。"
    assert narrative_flags(run(text.format(p="58.16"))) == []
    errors = _share_errors(run(text.format(p="59.16")))
    assert len(errors) == 1 and "59.16%" in errors[0] and "58.16%" in errors[0], errors


@pytest.mark.parametrize("share", ["占一般公共预算支出的{p}%", "占一般公共预算当年拨款的{p}%"])
def test_a_share_of_a_named_whole_no_sentence_states_is_checked_against_its_table(share):
    text = "卫生健康支出50.00万元，" + share + "。"
    assert narrative_flags(run(text.format(p="3.95"))) == []
    errors = _share_errors(run(text.format(p="4.95")))
    assert len(errors) == 1 and "一般公共预算财政拨款支出表 合计 合计 1264.56" in errors[0], errors


@pytest.mark.parametrize("heading", ["（二）一般公共预算当年拨款结构情况", "五、一般公共预算支出情况",
                                     "2025年一般公共预算当年拨款1264.56万元。结构情况："])
def test_a_share_under_a_heading_with_no_stated_whole_is_checked_against_the_tables_total(heading):
    # The national template's 结构情况: the classes' shares of the general budget, its total stated nowhere near.
    text = heading + ("\n\n社会保障和就业支出120.00万元，占{a}%；卫生健康支出50.00万元，占3.95%；农林水支出1064.56万元，"
                      "占{b}%；住房保障支出30.00万元，占2.37%。")
    assert narrative_flags(run(text.format(a="9.49", b="84.18"))) == []
    errors = _share_errors(run(text.format(a="10.49", b="84.18")))
    assert len(errors) == 1 and "社会保障和就业支出 120.00 占 10.49%" in errors[0] and "9.49%" in errors[0], errors


@pytest.mark.parametrize("verb", ["，分别为", "分别为", "，分别是", "分别安排"])
@pytest.mark.parametrize("joiner", ["、", "和"])
@pytest.mark.parametrize("lead", ["主要用于", ""])
def test_a_respectively_list_of_amounts_pairs_names_and_figures(verb, joiner, lead):
    text = (f"2025年一般公共预算支出1264.56万元，{lead}社会保障和就业支出、卫生健康支出、农林水支出{joiner}住房保障支出"
            f"{verb}120.00万元、50.00万元、1064.56万元、{{h}}万元。")
    assert narrative_flags(run(text.format(h="30.00"))) == []
    flags = narrative_flags(run(text.format(h="31.00")))
    assert any("住房保障支出 31.00 万元 ≠ 一般公共预算财政拨款支出表 221 住房保障支出 合计 30.00" in m for m in flags), flags
    assert any(m.startswith("说明：一般公共预算支出 1264.56 ≠ ") for m in flags), flags


@pytest.mark.parametrize("gap", ["、", "，"])
def test_a_respectively_list_of_shares_pairs_with_the_amounts_before_it(gap):
    text = f"支出预算1314.56万元，其中基本支出764.56万元、项目支出550.00万元，分别占58.16%{gap}{{p}}%。"
    assert narrative_flags(run(text.format(p="41.84"))) == []
    errors = _share_errors(run(text.format(p="42.84")))
    assert len(errors) == 1 and "项目支出 550.00 占 42.84%" in errors[0], errors


def test_a_respectively_list_whose_names_and_figures_do_not_pair_is_left_alone():
    result = run("主要用于社会保障和就业支出、卫生健康支出，分别为120.00万元、50.00万元、30.00万元。")
    # Compared with nothing, each figure is still a claim, unchecked with the reason.
    listed = [c for c in result.claims if c.value.value in (120, 50, 30)]
    assert [c.status for c in listed] == ["unchecked"] * 3 and all(c.reason for c in listed)
    assert narrative_flags(result) == []


# ------------------------------------------------------------ changes and rates

def _change_flags(result):
    return [f.message for f in result.flags if f.check == "narrative.change"]


@pytest.mark.parametrize("rate", ["降幅{r}%", "下降率为{r}%", "下降幅度为{r}%", "同比下降{r}%", "降幅达{r}%"])
def test_a_rate_in_the_words_templates_use_is_checked(rate):
    text = "“三公”经费预算15.50万元，比2024年减少2.50万元，" + rate + "。"
    assert narrative_flags(run(text.format(r="13.89"))) == []
    flags = _change_flags(run(text.format(r="23.89")))
    assert flags and all("23.89%" in m and "13.89%" in m for m in flags), flags


@pytest.mark.parametrize("last", ["上年预算数{p}万元", "2024年预算数为{p}万元", "上年预算{p}万元", "去年预算为{p}万元"])
@pytest.mark.parametrize("then,right,wrong", [("同比增长{x}%", "9.55", "10.55"), ("增幅{x}%", "9.55", "10.55"),
                                              ("增加{x}万元", "114.56", "124.56"), ("增长率为{x}%", "9.55", "10.55")])
def test_a_change_or_rate_after_last_years_stated_amount_is_checked_against_it(last, then, right, wrong):
    text = "2025年收支总预算1314.56万元，" + last.format(p="1200.00") + "，" + then + "。"
    assert narrative_flags(run(text.format(x=right))) == []
    flags = _change_flags(run(text.format(x=wrong)))
    assert len(flags) == 1 and wrong in flags[0] and right in flags[0] and "上年 1200.00" in flags[0], flags


@pytest.mark.parametrize("sentence", ["2024年“三公”经费预算{p}万元，2025年“三公”经费预算15.50万元。",
                                      "“三公”经费预算15.50万元，上年预算{p}万元。",
                                      "上年“三公”经费预算为{p}万元。", "2024年公务接待费预算{q}万元。"])
def test_last_years_stated_budget_is_checked_against_the_tables_last_year_column(sentence):
    assert narrative_flags(run(sentence.format(p="18.00", q="4.00"))) == []
    flags = _change_flags(run(sentence.format(p="19.00", q="5.00")))
    assert len(flags) == 1 and "上年" in flags[0] and ("18.00 万元" in flags[0] or "4.00 万元" in flags[0]), flags


def test_last_years_final_accounts_are_not_its_budget():
    result = run("2024年决算“三公”经费支出19.00万元。")
    assert [(c.status, "另一年度" in c.reason) for c in result.claims if c.value.value == 19] == [("unchecked", True)]
    assert narrative_flags(result) == []


@pytest.mark.parametrize("sep", ["；", "，"])
def test_each_parts_change_is_claimed_and_the_changes_add_up(sep):
    text = ("收支总预算1314.56万元，比上年增加114.56万元。其中：基本支出764.56万元，比上年增加64.56万元" + sep
            + "项目支出550.00万元，比上年增加{c}万元，增长{r}%。")
    assert narrative_flags(run(text.format(c="50.00", r="10.00"))) == []
    flags = _change_flags(run(text.format(c="60.00", r="12.24")))
    assert len(flags) == 1 and "基本支出 增加 64.56 + 项目支出 增加 60.00 = 124.56" in flags[0], flags


@pytest.mark.parametrize("first,second", [("一是", "二是"), ("1.", "2."), ("（1）", "（2）"), ("一方面", "另一方面")])
def test_the_changes_a_reason_lists_are_checked_against_the_table(first, second):
    text = (f"“三公”经费预算15.50万元，比上年减少2.50万元，主要原因是：{first}公务接待费减少0.50万元；"
            f"{second}公务用车运行维护费减少{{y}}万元。")
    assert narrative_flags(run(text.format(y="2.00"))) == []
    flags = _change_flags(run(text.format(y="3.00")))
    assert len(flags) == 1 and "公务用车运行维护费 比上年减少 3.00" in flags[0] and "-2.00" in flags[0], flags


# ------------------------------------------------------------ 机关运行经费, 空表, 政府采购, 固定资产

@pytest.mark.parametrize("words", ["机关运行经费财政拨款预算", "机关运行经费预算", "机关运行经费安排", "本部门机关运行经费预算为"])
def test_office_running_costs_are_checked_against_the_table_that_titles_them(words):
    text = "2025年" + words + "{a}万元，比上年预算增加{c}万元。"
    assert narrative_flags(run(text.format(a="94.56", c="4.56"), extra=True)) == []
    flags = narrative_flags(run(text.format(a="95.56", c="6.56"), extra=True))
    assert any(m.endswith("≠ 机关运行经费预算表 机关运行经费 2025年预算数 94.56 万元") for m in flags), flags
    assert any("6.56" in m and "94.56 − 上年 90.00 = 4.56" in m for m in flags), flags


@pytest.mark.parametrize("statement,table", [
    ("本部门2025年无政府性基金预算拨款安排的支出，故《政府性基金预算支出表》为空表。", "政府性基金预算财政拨款支出表"),
    ("因此，2025年政府性基金预算财政拨款支出预算表为空表。", "政府性基金预算财政拨款支出表"),
    ("“三公”经费预算为0，故“三公”经费支出表为空表。", "“三公”经费支出表"),
    ("所以《一般公共预算“三公”经费支出预算表》是空表。", "“三公”经费支出表"),
    ("本部门无政府采购预算，故政府采购预算表为空表。", "政府采购预算表"),
])
def test_a_table_the_text_calls_empty_that_prints_figures_is_an_error(statement, table):
    errors = _errors(run(statement, extra=True))
    assert len(errors) == 1 and "为空表" in errors[0] and table in errors[0], errors


@pytest.mark.parametrize("statement", ["本部门无国有资本经营预算拨款，故《国有资本经营预算支出表》为空表。",
                                       "2025年国有资本经营预算财政拨款支出预算表为空表。"])
def test_a_table_the_text_calls_empty_that_is_empty_agrees(statement):
    result = run(statement)
    assert narrative_flags(result) == [] and [c.subject for c in result.claims] == ["国有资本经营预算支出"]


@pytest.mark.parametrize("total", ["政府采购预算总额", "政府采购预算合计", "政府采购预算", "政府采购支出总额"])
@pytest.mark.parametrize("parts", ["货物{g}万元、工程0万元、服务70.00万元", "货物类{g}万元，服务类70.00万元",
                                   "政府采购货物{g}万元、政府采购服务70.00万元"])
def test_a_procurement_total_and_its_categories_are_checked(total, parts):
    text = f"2025年{total}{{t}}万元，其中：{parts}。"
    assert narrative_flags(run(text.format(t="100.00", g="30.00"), extra=True)) == []
    flags = narrative_flags(run(text.format(t="110.00", g="30.00"), extra=True))
    assert any(m.endswith("≠ 政府采购预算表 合计 合计 100.00 万元") for m in flags), flags
    flags = narrative_flags(run(text.format(t="100.00", g="40.00"), extra=True))
    assert any(m.startswith("说明：政府采购 100.00 ≠ ") for m in flags), flags


@pytest.mark.parametrize("words", ["本部门固定资产总额", "截至2024年底，本部门固定资产总额", "上年末固定资产金额为", "固定资产原值"])
def test_fixed_assets_in_the_words_templates_use_are_checked(words):
    assert narrative_flags(run(f"{words}350.00万元。", extra=True)) == []
    errors = _errors(run(f"{words}360.00万元。", extra=True))
    assert len(errors) == 1 and errors[0].endswith("350.00 万元"), errors


# ------------------------------------------------------------ projects

@pytest.mark.parametrize("opener", ["其中：", "主要用于：", "主要包括", "具体为："])
@pytest.mark.parametrize("sep", ["，", "、", "；"])
def test_projects_named_in_the_text_are_checked_against_the_project_table(opener, sep):
    text = f"2025年项目支出550.00万元，{opener}高标准农田建设项目{{a}}万元{sep}农村人居环境整治项目50.00万元。"
    assert narrative_flags(run(text.format(a="500.00"), projects=True)) == []
    flags = narrative_flags(run(text.format(a="510.00"), projects=True))
    assert any("高标准农田建设项目 510.00 万元 ≠ 项目支出表 高标准农田建设项目" in m for m in flags), flags
    assert any(m.startswith("说明：项目支出 550.00 ≠ ") and "= 560.00" in m for m in flags), flags


@pytest.mark.parametrize("words", ["高标准农田建设项目预算", "高标准农田建设项目安排", "高标准农田建设经费"])
def test_a_project_named_alone_is_checked(words):
    assert narrative_flags(run(f"{words}500.00万元。", projects=True)) == []
    errors = _errors(run(f"{words}510.00万元。", projects=True))
    assert len(errors) == 1 and errors[0].endswith("500.00 万元"), errors


def test_a_list_of_some_projects_short_of_the_total_is_no_fault():
    text = "2025年项目支出550.00万元，主要用于：高标准农田建设项目500.00万元，农田水利维修20.00万元。"
    assert narrative_flags(run(text, projects=True)) == []


@pytest.mark.parametrize("words,right,wrong", [("收支总预算", "0.13", "0.15"), ("收支总预算", "0.1315", "0.1325"),
                                               ("一般公共预算拨款支出", "0.1265", "0.1275"), ("支出预算", "0.13", "0.14")])
def test_a_figure_in_yi_yuan_is_compared_in_wan(words, right, wrong):
    assert narrative_flags(run(f"2025年{words}{right}亿元。")) == []
    errors = _errors(run(f"2025年{words}{wrong}亿元。"))
    assert len(errors) == 1 and f"{wrong} 亿元 ≠ " in errors[0], errors


# ------------------------------------------------------------ messages

def test_a_change_against_a_table_in_yuan_is_worded_in_wan_with_the_tables_figures_beside():
    flags = _change_flags(run("“三公”经费预算15.50万元，比上年减少3.50万元。", yuan=True))
    assert flags == ["说明：三公经费 比上年减少 3.50 ≠ “三公”经费支出表 合计 15.50 万元（155,000.00 元） − "
                     "上年 18.00 万元（180,000.00 元） = -2.50"], flags


@pytest.mark.parametrize("said,verb", [("增长", "下降"), ("上升", "下降")])
def test_a_rate_of_the_right_size_in_the_wrong_direction_says_so(said, verb):
    flags = _change_flags(run(f"“三公”经费预算15.50万元，比上年减少2.50万元，{said}13.89%。"))
    assert flags and all(f"应为{verb}" in m for m in flags), flags


@pytest.mark.parametrize("opener", ["结构情况：", "其中：", "主要用于"])
def test_some_of_the_classes_the_table_prints_short_of_the_whole_are_no_fault(opener):
    # Two of the four classes the general-budget table prints: the notable ones, not the whole breakdown.
    text = f"2025年一般公共预算当年拨款1264.56万元。{opener}社会保障和就业支出120.00万元；农林水支出{{a}}万元。"
    assert narrative_flags(run(text.format(a="1064.56"))) == []
    errors = _errors(run(text.format(a="1074.56")))
    assert len(errors) == 1 and "农林水支出 1074.56 万元 ≠ " in errors[0], errors
    over = narrative_flags(run("2025年一般公共预算支出1264.56万元，其中：社会保障和就业支出1200.00万元，农林水支出1064.56万元。"))
    assert any(m.startswith("说明：一般公共预算支出 1264.56 ≠ ") for m in over), over


# ------------------------------------------------------------ what each claim records

def test_the_new_comparisons_record_their_outcome_on_the_claim():
    result = run("五、一般公共预算支出情况\n\n2025年因公出国（境）费0万元。农林水支出1064.56万元，占84.18%。"
                 "“三公”经费预算15.50万元，上年预算18.00万元，同比下降13.89%。2025年教育支出8.00万元。")
    status = {(c.kind, c.subject): c.status for c in result.claims}
    assert status[("amount", "因公出国(境)费")] == "verified"  # 0 against a line printed empty
    assert status[("share", "农林水支出")] == "verified"  # against the general budget's total, stated nowhere
    assert status[("previous", "三公经费")] == "verified"  # against the 三公 table's 上年 column
    assert status[("percent", "三公经费")] == "verified"
    assert status[("amount", "教育支出")] == "flagged"  # a warning names it: no table prints the line
    assert all(c.fund == "一般公共预算" for c in result.claims)
