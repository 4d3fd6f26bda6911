"""The verifier on the unmodified corpus: every flag it raises is a real fault of the document.

Each expected flag below was checked against the text by hand; the comment says
what the document really prints. Any other flag — in particular one caused by
our own misreading — fails the test.
"""

from __future__ import annotations

import re

import pytest

from conftest import DOCS, result_for, text_for, verify_text

# (document, check, section, what the document prints)
REAL_FAULTS = [
    # Spending plans whose cumulative percentages stop short of 100%: the card prints no 12月底 column
    # (000 card 20 prints only 3月底/6月底/10月底 25%/50%/75%).
    ("000", "card.spending_plan", "s24-performance_target", "7、临时用工专项经费: 25/50/75%"),
    ("000", "card.spending_plan", "s29-performance_target", "12、医疗保险综合业务专项经费: 25/50/75%"),
    ("000", "card.spending_plan", "s37-performance_target", "20、提前下达…补助资金: 25/50/75%"),
    ("002", "card.spending_plan", "s20-performance_target", "2、提前下达-冀财社[2025]128号: 10/50/70%"),
    ("002", "card.spending_plan", "s24-performance_target", "6、提前下达-冀财社[2024]158号: 25/50/80%"),
    ("002", "card.spending_plan", "s25-performance_target", "7、提前下达-冀财社[2025]128号: 30/50/80%"),
    # Cost indicators larger than the card's whole budget.
    ("000", "card.cost", "s40-performance_target", "23、审计单位成本控制数 ≤3.57 万元 on a 2.96 万元 budget"),
    ("002", "card.cost", "s17-performance_target", "困难群众医疗救助支出 ≤ 336 万元 on a 280 万元 budget"),
    ("002", "card.cost", "s24-performance_target", "成本预算控制数 150.8 万元 on a 0.20 万元 budget"),
    ("002", "card.cost", "s26-performance_target", "8、成本预算控制数 ≤39.7 万 (万 for 万元) on a 1.98 万元 budget"),
    # 003 prints the 城乡医疗救助 card twice (第十二部分 and the annex): 49650000 元 = 4965 万元 vs 1760 万元.
    ("003", "card.cost", "s37-performance_target", "救助资金使用金额 49650000 元 on a 1760 万元 budget"),
    ("003", "card.cost", "s48-performance_target", "the same card, printed again in the annex"),
    # 003's contents page lists "2. 泗县医疗保障局2024年收入总表"; the document has no such table.
    ("003", "completeness.listed_missing", None, "收入总表 listed in 目录, absent"),
]


def _structural(flag) -> bool:
    return not flag.check.startswith("narrative.")


def test_every_flag_on_the_corpus_is_a_known_real_fault():
    found = sorted((doc, f.check, f.section_id) for doc in sorted(DOCS) for f in result_for(doc).flags
                   if _structural(f) and f.check != "completeness.unread")
    expected = sorted((doc, check, section) for doc, check, section, _ in REAL_FAULTS)
    assert found == expected


def test_sections_nobody_could_read_are_flagged_for_review():
    # 001 prints its tables flattened into lines (a layout fault of the text): without a model, each of
    # its 16 flattened table and card sections is an error flag saying so; the other documents have none.
    # (Its fixed-asset table prints each row's words in order, one space apart: that one is read.)
    unread = {doc: [f for f in result_for(doc).flags if f.check == "completeness.unread"] for doc in sorted(DOCS)}
    assert {doc: len(flags) for doc, flags in unread.items()} == {"000": 0, "001": 16, "002": 0, "003": 0}
    assert {f.section_id for f in unread["001"]} == {u.section_id for u in result_for("001").unread}
    assert all(f.severity == "error" and "needs the LLM reader" in f.message_en for f in unread["001"])


def test_the_documents_own_rounding_differences_are_not_flagged():
    # 003 行政运行 prints basic 224.41 with 人员经费 149.15 + 公用经费 75.27 = 224.42.
    assert not [f for f in result_for("003").flags if "224.41" in f.message]


def test_flag_ids_are_stable_across_runs_and_distinct():
    for doc in sorted(DOCS):
        first = [f.id for f in result_for(doc).flags]
        again = [f.id for f in verify_text(doc, text_for(doc)).flags]
        assert first == again
        assert len(set(first)) == len(first)


def test_every_flag_points_inside_the_document():
    for doc in sorted(DOCS):
        text = text_for(doc)
        for flag in result_for(doc).flags:
            assert flag.spans, flag
            assert all(0 <= s < e <= len(text) for s, e in flag.spans), flag
            assert re.search(r"[\u4e00-\u9fff]", flag.message), flag.message
            assert re.search(r"[A-Za-z]{3,}", flag.message_en), flag.message_en


def test_every_value_is_grounded_in_the_source():
    for doc in sorted(DOCS):
        result = result_for(doc)
        assert result.verified
        assert not result.span_fixes, (doc, result.span_fixes[:3])
        assert not [f for f in result.flags if f.check == "ground.not_in_source"]


@pytest.mark.parametrize("doc,kind,status", [
    ("000", "state_capital_expenditure", "empty"),
    ("000", "income_summary", "present"),
    ("000", "project_expenditure", "missing"),
    ("001", "government_procurement", "unread"),
    ("001", "expenditure_summary", "missing"),
    ("002", "government_fund_expenditure", "empty"),
    ("003", "income_summary", "listed_missing"),
    ("003", "purchased_services", "empty"),
    ("003", "project_expenditure", "present"),
])
def test_completeness_says_which_tables_are_there(doc, kind, status):
    entry = next(c for c in result_for(doc).completeness if c.kind == kind)
    assert entry.status == status
    if status == "empty":
        assert entry.note and ("空表" in entry.note or "无数据" in entry.note)
