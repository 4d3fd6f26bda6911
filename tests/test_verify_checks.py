"""Each check: quiet on the unmodified corpus, and raised — pointing at the changed characters — by a one-value change."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from conftest import flags_covering, mutate, result_for, text_for, verify_text

# (document, value path, new printed text, check that must flag it)
MUTATIONS = [
    ("000", "expenditure_summary[2101501].basic", "1182.61", "table.row_sum"),
    ("000", "general_budget_basic_expenditure[30101].total", "344.53", "table.hierarchy"),
    ("000", "general_budget_basic_expenditure[total].personnel", "1425.60", "table.row_sum"),
    ("000", "three_public_costs[reception].total", "0.69", "table.items"),
    ("000", "three_public_costs[vehicle_operation].general_budget", "5.23", "table.items"),
    ("000", "fixed_assets[office_buildings].quantity", "3838.50", "table.subset"),
    ("000", "fixed_assets[vehicles].value", "23.94", "table.items"),
    ("000", "income_expenditure_summary[income:本年收入合计].income_amount", "10017.19", "table.summary"),
    ("000", "income_expenditure_summary[income:收入总计].income_amount", "10022.19", "table.balance"),
    ("003", "project_expenditure[公务用车更新配备].total", "19", "table.column_total"),
    ("003", "government_procurement[泗县医疗保障局-综合定额（事业）].total", "0.5", "table.column_total"),
    ("002", "government_procurement[提前下达-冀财社【2024】158号-关于提前下].unit_price", "88.35", "table.quantity_price"),
    ("002", "government_procurement[下达2025年中央财政医疗服务与保障能力提升补助].sme_reserved", "47.00", "table.subset"),
    ("000", "general_budget_expenditure[2101501].total", "1182.81", "cross.same_code"),
    ("002", "income_summary[2101599].total", "557.92", "cross.same_code"),
    ("000", "income_expenditure_summary[expenditure:二十、住房保障支出].expenditure_amount", "110.70", "cross.summary"),
    ("000", "fiscal_appropriation_summary[expenditure:八、社会保障和就业支出].general_budget", "211.97",
     "cross.summary"),
    ("000", "fiscal_appropriation_summary[income:一、一般公共预算拨款].income_amount", "10008.08", "cross.summary"),
    ("000", "fiscal_appropriation_summary[income:本年收入合计].income_amount", "10017.08", "cross.summary"),
    ("003", "general_budget_expenditure[total].personnel", "533.85", "cross.basic"),
    ("003", "project_expenditure[total].total", "2146", "cross.projects"),
    ("000", "general_budget_basic_expenditure[30217].total", "0.69", "cross.three_public"),
    ("003", "performance_target[s35-performance_target].budget.total", "19.00", "cross.card_budget"),
    ("002", "government_procurement[年初预算（三保）日常公用经费项目#2].project_budget", "11.56",
     "cross.procurement_project"),
    ("002", "government_procurement[医疗保障运行经费].project_budget", "66.00", "cross.procurement_card"),
    ("000", "performance_target[s18-performance_target].budget.fiscal", "751.90", "card.budget"),
    ("000", "performance_target[s20-performance_target].spending_plan[1]", "20", "card.spending_plan"),
    ("003", "performance_target[s39-performance_target].indicators[3].value", "3580000", "card.cost"),
]


@pytest.mark.parametrize("doc,path,new,check", MUTATIONS, ids=[f"{m[3]}:{m[0]}:{m[1]}" for m in MUTATIONS])
def test_a_changed_value_is_flagged_by_its_check(doc, path, new, check):
    result, span = mutate(doc, path, new)
    hits = flags_covering(result, span, check)
    assert hits, f"no {check} flag covers {span}; flags: {[f.message for f in result.flags]}"
    flag = hits[0]
    assert flag.severity in ("error", "warning") and flag.message and flag.message_en
    assert any(ref.path == path or ref.span == tuple(span) for ref in flag.fields) or check == "card.cost"


@pytest.mark.parametrize("check", sorted({m[3] for m in MUTATIONS} - {"card.spending_plan", "card.cost"}))
def test_the_unmodified_corpus_raises_no_such_flag(check):
    for doc in ("000", "001", "002", "003"):
        assert not [f for f in result_for(doc).flags if f.check == check], (doc, check)


def test_a_flag_names_every_value_involved():
    result, span = mutate("000", "expenditure_summary[2101501].basic", "1182.61")
    flag = next(f for f in flags_covering(result, span, "table.row_sum"))
    assert {r.path for r in flag.fields} == {
        "expenditure_summary[2101501].total", "expenditure_summary[2101501].basic"}
    text = text_for("000")
    for ref in flag.fields:
        assert ref.span is not None and tuple(ref.span) in [tuple(s) for s in flag.spans]
    total = next(r for r in flag.fields if r.path.endswith(".total"))
    assert text[total.span[0]:total.span[1]] == "1182.71"
    assert flag.message.startswith("部门预算支出总表 2101501 行政运行") or "2101501" in flag.message
    assert flag.expected == "1182.61" and flag.found == "1182.71"


def test_a_spending_plan_that_falls_back_is_flagged_and_a_steady_one_is_not():
    assert not [f for f in result_for("000").flags
                if f.check == "card.spending_plan" and f.section_id == "s20-performance_target"]
    result, span = mutate("000", "performance_target[s20-performance_target].spending_plan[1]", "20")
    assert "降为 20%" in flags_covering(result, span, "card.spending_plan")[0].message


def test_a_cost_indicator_within_the_budget_is_not_flagged():
    # 003 card 离休医疗费补助: 项目总成本 ≤ 3570000 元 = 357 万元, exactly its budget.
    assert not [f for f in result_for("003").flags if f.check == "card.cost"
                and f.section_id == "s39-performance_target"]


def test_docs_checks_md_is_current():
    from conftest import ROOT
    from verify.checks import checks_markdown

    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == checks_markdown() + "\n"


# Checks whose failing cases live in other test files.
TESTED_ELSEWHERE = {
    "ground.not_in_source": "test_verify_grounding.py",
    "ground.misplaced": "test_verify_grounding.py (positional grounding)",
    "ground.unrecorded_correction": "test_review_trial20.py, test_a_hand_edited_person_value_without_a_decision_is_"
                                    "flagged_not_verified",
    "read.ambiguous": "test_read_layouts.py", "read.unparsed": "test_read_layouts.py",
    "read.unplaced": "test_read_layouts.py", "read.unit": "test_units.py", "table.change": "test_year_columns.py",
    "read.unidentified": "this file, test_a_row_read_without_code_or_name_is_flagged",
    "cross.fund_source": "test_read_layouts.py",
    "completeness.truncated": "test_read_layouts.py", "document.no_tables": "test_read_layouts.py",
    "completeness.listed_missing": "test_verify_corpus.py (003's contents page)",
    "completeness.unread": "test_verify_corpus.py (001's flattened sections)",
    "llm.disagree": "test_llm_backends.py (--cross-check)",
    "review.stale": "test_review.py (a changed document makes its decisions stale)",
    "card.indicator_value": "this file, test_a_comparator_without_a_number_is_flagged",
    "narrative.table": "test_verify_narrative.py", "narrative.parts": "test_verify_narrative.py",
    "narrative.share": "test_verify_narrative.py", "narrative.change": "test_verify_narrative.py",
    "source.page_unread": "test_pdf.py, test_a_scanned_page_among_text_pages_is_named_and_flagged",
    "source.ocr_low_confidence": "test_pdf.py, test_values_ocr_read_with_low_confidence_are_flagged",
    "source.ocr_unread": "test_ocr_reading.py, test_an_amount_ocr_read_that_went_into_no_value_is_flagged",
    "source.ocr_structure": "test_ocr_reading.py, test_a_line_missing_its_code_on_an_ocr_page_is_a_reading_doubt…",
    "table.units": "test_table_columns.py, test_a_department_line_is_the_sum_of_its_units",
    "cross.units": "test_unit_tables.py, test_a_unit_that_does_not_add_up_to_the_consolidated_table_is_an_error",
    "source.formula_unsaved": "test_sheet_formulas.py, test_formulas_with_no_saved_value_are_named_and_flagged_never_computed",
    "read.card_column": "test_card_shapes.py, test_weights_and_scoring_rules_are_read_and_an_unknown_column_is_kept_and_flagged",
    "card.tasks": "test_card_shapes.py, test_task_amounts_that_do_not_add_up_are_flagged",
    "cross.unit": "test_units_across.py, test_a_table_in_a_unit_not_understood_is_never_compared_with_another_unit",
    "document.no_standard_tables": "test_untitled_tables.py, test_tables_without_titles_are_tables_of_their_own_and_"
                                   "the_document_is_flagged",
    "read.year": "test_year_columns.py, test_a_lone_column_naming_another_year_than_the_documents_is_flagged_not_"
                 "silently_this_year",
    "cross.card_project": "test_card_projects.py, test_a_card_whose_project_is_in_no_row_is_said_so",
    "card.weights": "test_card_shapes.py, test_weights_that_do_not_add_up_to_100_are_flagged",
    "card.indicator_unit": "test_card_wrapped_rows.py, test_a_unit_with_other_words_run_on_after_it_is_flagged_and_"
                           "its_value_not_verified",
    "card.indicator_name": "test_card_spaced.py, test_a_lone_name_under_a_name_as_wide_as_the_columns_widest_is_joined_"
                           "and_flagged_as_either",
}


def test_every_registered_check_has_a_failing_case():
    from verify.checks import CHECKS

    assert set(CHECKS) == {m[3] for m in MUTATIONS} | set(TESTED_ELSEWHERE)


def test_a_comparator_without_a_number_is_flagged():
    from conftest import text_for
    from verify import verify_result

    result = result_for("002").model_copy(deep=True)
    card = result.cards[0]
    ind = next(i for i in card.indicators if i.comparator and i.value is not None)
    assert not [f for f in result.flags if f.check == "card.indicator_value"]
    ind.value = None  # as if a model had read "≥ 较好"
    flags = [f for f in verify_result(result, text_for("002")).flags if f.check == "card.indicator_value"]
    assert len(flags) == 1 and tuple(flags[0].spans[0]) == ind.target.span


def test_a_blank_total_is_named_by_its_printed_row_and_column():
    text = text_for("003")
    blanked = text.replace("21011\t行政事业单位医疗\t387.94\t30.94\t357", "21011\t行政事业单位医疗\t387.94\t\t357", 1)
    assert blanked != text
    messages = [f.message for f in verify_text("003", blanked).flags if f.check == "table.hierarchy"]
    blank = [m for m in messages if "为空" in m]
    assert blank and "21011 行政事业单位医疗 的基本支出为空" in blank[0]
    assert not any(key in m for m in messages for key in ("basic", "project", "total"))


TOTAL_LINE = "\t合计\t2805.56\t660.56\t533.75\t126.81\t2145"


@pytest.mark.parametrize("total,project,errors", [("2805.56", "2145", False), ("2905.56", "2245", True)])
def test_a_total_printed_in_the_code_column_is_the_total_line(total, project, errors):
    """合计 one cell to the left (in the code column, or a merged cell over code and name) is still the total
    line: a wrong total is flagged, a right one is not."""
    text = text_for("003")
    moved = text.replace(TOTAL_LINE, f"合计\t\t{total}\t660.56\t533.75\t126.81\t{project}", 1)
    assert moved != text
    result = verify_text("003", moved)
    table = next(t for t in result.tables if t.kind == "general_budget_expenditure")
    assert [r.item for r in table.rows if r.values.get("total") and r.values["total"].raw == total] == ["total"]
    flagged = [f for f in result.flags if f.severity == "error"]
    assert bool(flagged) == errors
    assert not [f for f in result.flags if f.check == "read.unidentified"]


def test_a_row_read_without_code_or_name_is_flagged():
    from verify import verify_result

    result = result_for("003").model_copy(deep=True)
    table = next(t for t in result.tables if t.kind == "general_budget_expenditure")
    row = next(r for r in table.rows if r.item == "total")
    row.label, row.item = None, None  # as a reader that lost the line's name would leave it
    flags = [f for f in verify_result(result, text_for("003")).flags if f.check == "read.unidentified"]
    assert len(flags) == 1
    assert sorted(tuple(f.span) for f in flags[0].fields) == sorted(tuple(a.span) for a in row.values.values())


# Hand-written 三公 tables in the two ways templates print them (figures made up for the test).
SANGONG_LINES = """某县医疗保障局2024年“三公”经费支出表
单位：元
项目\t合计
因公出国（境）费\t0.00
公务用车购置及运行维护费\t20,000.00
其中：公务用车购置费\t0.00
公务用车运行维护费\t20,000.00
公务接待费\t{reception}
合计\t100,000.00
"""
SANGONG_ONE_ROW = """某县医疗保障局2024年一般公共预算“三公”经费支出表
单位：万元
合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费
\t\t小计\t公务用车购置费\t公务用车运行费\t
100.00\t0.00\t2.40\t0.00\t2.40\t{reception}
"""


@pytest.mark.parametrize("template,right,wrong", [(SANGONG_LINES, "80,000.00", "88,000.00"),
                                                  (SANGONG_ONE_ROW, "97.60", "8.40")])
def test_a_three_public_costs_total_is_checked_however_the_table_is_printed(template, right, wrong):
    """Without a 三公经费小计 line the 合计 line is the sum of the three costs; printed as one row with a cost per
    column, 合计 = 出国 + 用车 + 接待 and 用车 = 购置 + 运行."""
    for reception, errors in ((right, 0), (wrong, 1)):
        result = verify_text("003", template.format(reception=reception))
        table = next(t for t in result.tables if t.kind == "three_public_costs")
        assert sum(len(r.values) for r in table.rows) == 6
        assert len([f for f in result.flags if f.severity == "error"]) == errors, reception


def _in_yuan(text: str, title: str) -> str:
    """The table under ``title`` printed in 元 instead of 万元 (as some templates print one table or another)."""
    start = text.index(title + "\n")
    end = text.index("\n\n", text.index("科目编码", start))
    block = text[start:end].replace("单位：万元", "单位：元")
    block = re.sub(r"(?<=\t)(\d+(?:\.\d+)?)(?=\t|$)", lambda m: f"{Decimal(m.group(1)) * 10000:.2f}", block, flags=re.M)
    return text[:start] + block + text[end:]


def test_tables_printed_in_different_units_are_compared_in_one():
    """003's 支出总表 printed in 元: compared with the 万元 tables it agrees; a figure off by 100 元 (0.01 万元) in it
    is told, with both units shown."""
    text = text_for("003")
    yuan = _in_yuan(text, "泗县医疗保障局2024年支出总表")
    assert "28055600.00" in yuan
    before = sorted(f.check for f in verify_text("003", text).flags)
    after = verify_text("003", yuan).flags
    assert [f for f in after if f.severity == "error"] == []
    assert sorted(f.check for f in after) == before
    broken = yuan.replace("2101501\t行政运行\t2424100.00\t2244100.00", "2101501\t行政运行\t2424200.00\t2244100.00", 1)
    assert broken != yuan
    cross = [f for f in verify_text("003", broken).flags if f.check.startswith("cross.")]
    assert cross and any("元" in f.message and "万元" in f.message for f in cross)


def test_every_reason_a_reader_gives_for_an_unread_section_has_its_chinese():
    """A flag's Chinese message must not carry an English reason (the readers' reasons are fixed strings)."""
    from conftest import ROOT
    from verify.completeness import _REASONS_ZH

    import extractor.rules

    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "extractor").glob("rules*.py")]
    reasons = {m for text in sources for m in re.findall(r'Unreadable\("([^"{]+)"', text)}
    # Reasons kept as constants of the reader (ONE_CELL_PER_LINE, HTML_TABLE) are reasons too.
    reasons |= {getattr(extractor.rules, name) for text in sources for name in re.findall(r"Unreadable\(([A-Z_]+)\)", text)}
    assert len(reasons) >= 6
    assert sorted(reasons - set(_REASONS_ZH)) == []
