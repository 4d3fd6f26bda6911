"""Chunking: sections found by meaning in every template, page furniture dropped, tables kept whole."""

from __future__ import annotations

import pytest

from conftest import result_for, text_for

from extractor.chunk import LineKind, chunk_document, split_lines

STANDARD_000_002 = [
    "income_expenditure_summary", "income_summary", "expenditure_summary", "fiscal_appropriation_summary",
    "general_budget_expenditure", "general_budget_basic_expenditure", "government_fund_expenditure",
    "state_capital_expenditure", "three_public_costs", "government_procurement", "fixed_assets",
]


def kinds(doc):
    return [s.kind for s in result_for(doc).sections if s.kind not in ("narrative", "front_matter")]


def test_000_pipe_tables_each_one_section_in_document_order():
    found = kinds("000")
    assert [k for k in found if k != "performance_target"] == STANDARD_000_002
    assert found.count("performance_target") == 24  # cards 1–24 of section 七


def test_002_tab_tables_and_both_card_templates():
    found = kinds("002")
    assert [k for k in found if k != "performance_target"] == STANDARD_000_002
    assert found.count("performance_target") == 9  # one 专项 card (六) and eight project cards (七)


def test_003_other_template_titles_and_contents_page_ignored():
    found = kinds("003")
    assert [k for k in found if k != "performance_target"] == [
        "income_expenditure_summary", "expenditure_summary", "fiscal_appropriation_summary",
        "general_budget_expenditure", "general_budget_basic_expenditure", "government_fund_expenditure",
        "state_capital_expenditure", "project_expenditure", "government_procurement", "purchased_services",
    ]
    # Five projects, each card printed twice: inside 十二 and again in the annex.
    assert found.count("performance_target") == 10
    titles = [s.title for s in result_for("003").sections]
    assert not any(t.startswith("11. ") for t in titles), "a contents entry was taken for a table"


def test_001_flattened_sections_are_found_even_without_table_rows():
    found = kinds("001")
    assert found.count("performance_target") == 14
    assert "department_performance_target" in found
    assert "government_procurement" in found and "fixed_assets" in found


def test_table_continued_over_pages_is_one_section_with_its_pages_as_segments():
    text = text_for("000")
    chunk = next(c for c in chunk_document(text) if c.kind == "income_summary")
    assert len(chunk.segments) == 7  # seven printed pages
    # The repeated page header lines are inside the section but never in a segment or the LLM text.
    assert text.count("450 三河市医疗保障局", *chunk.span) == 7
    llm_text = chunk.text_without_furniture()
    assert "450 三河市医疗保障局" not in llm_text and "预算年度" not in llm_text
    assert "2101501" in llm_text


def test_page_headers_are_classified_as_furniture():
    lines = split_lines("450 三河市医疗保障局\n预算年度：2024\n预算度：2024\n单位：万元\n部门公开表1\n正文一句话。\n")
    assert [l.kind for l in lines][:5] == [LineKind.PAGE_HEADER] * 5
    assert lines[5].kind is LineKind.TEXT


def test_an_amount_line_is_not_taken_for_a_page_header():
    # Document 001 prints "116 元" inside a card; it must stay content.
    assert split_lines(" 116 元 \n")[0].kind is LineKind.TEXT


def test_section_spans_are_ordered_and_titles_point_at_their_text(doc):
    text = text_for(doc)
    sections = result_for(doc).sections
    for a, b in zip(sections, sections[1:]):
        assert a.span[1] <= b.span[0]
    for s in sections:
        if s.title_span:
            assert text[s.title_span[0]:s.title_span[1]] == s.title


def test_document_metadata():
    d0, d2, d3 = (result_for(d).document for d in ("000", "002", "003"))
    assert (d0.department, d0.department_code, d0.year) == ("三河市医疗保障局", "450", 2024)
    assert (d2.department, d2.year) == ("秦皇岛市医疗保障局", 2026)
    assert (d3.department, d3.year) == ("泗县医疗保障局", 2024)
    assert result_for("001").document.year == 2021


# Departments and budget units whose names do not end as a bureau's: the people's organisations (总工会, 妇女联合会,
# 科学技术协会, 红十字会), the party school, a school, a 供销社, an office abbreviated 办, a court, a library.
_UNIT_NAMES = ["西林县总工会", "西林县妇女联合会", "西林县科学技术协会", "西林县红十字会", "中共西林县委党校",
               "西林县第一中学", "西林县供销合作社联合社", "西林县人防办", "西林县人民法院", "西林县图书馆"]


@pytest.mark.parametrize("name", _UNIT_NAMES)
def test_a_unit_not_named_like_a_bureau_is_the_department_from_the_title_page_header_and_table_titles(name):
    from extractor.chunk import document_meta

    text = text_for("003").replace("泗县医疗保障局", name)
    assert document_meta(split_lines(text), text).department == name  # from the title: 西林县总工会 / 2024年度部门预算
    page_headers = f"{name}2024年收支总表\n\n单位：万元\n"  # a file holding one table: its title names them
    assert document_meta(split_lines(page_headers), page_headers).department == name
    code_header = f"部门预算\n\n405 {name}\n预算年度：2024\n单位：万元\n"  # a page header with the department's code
    meta = document_meta(split_lines(code_header), code_header)
    assert (meta.department_code, meta.department) == ("405", name)


def test_column_reference_is_generated_from_the_registry():
    from conftest import ROOT

    from schemas.docs import columns_markdown

    assert (ROOT / "docs" / "columns.md").read_text(encoding="utf-8") == columns_markdown() + "\n"


def test_a_heading_and_an_indented_paragraph_after_a_space_aligned_card_are_narrative():
    # Hand-written fixture in the shape of pdftotext -layout output: a card's last rows, then the narrative.
    text = "\n".join([
        "项目支出绩效目标表",
        "项目名称                 医疗保障运行经费",
        "项目资金                 年度资金总额:        18.00",
        "绩效指标   一级指标      二级指标      三级指标          指标值",
        "           产出指标      数量指标      采购数量          1辆",
        "十、名词解释",
        "    1、财政拨款收入：指本级财政当年拨付的资金。",
        "",
    ])
    chunks = chunk_document(text)
    card = next(c for c in chunks if c.kind == "performance_target")
    assert not any("名词解释" in line.text or "财政拨款收入" in line.text for line in card.lines)
    assert any(c.kind == "narrative" and "名词解释" in c.title for c in chunks)


def test_a_title_wrapped_inside_its_words_opens_its_section():
    # Hand-written fixture after real pdftotext output: a card's long title wraps inside 绩效目标表, so neither line
    # is a title alone; the card must open its section (read, or flagged unread), never pass as narrative.
    text = "\n".join([
        "七、部门项目预算安排情况及绩效目标",
        "2、提前下达-冀财社[2025]128号提前下达2026年中央财政医疗服务与保障能力提升补助资金（医疗保障服务能力建设部分）绩效目",
        "标表",
        "单位：万元",
        "项目名称\t提升补助资金",
        "预算数\t336.40",
        "",
    ])
    chunks = chunk_document(text)
    card = [c for c in chunks if c.kind == "performance_target"]
    assert len(card) == 1 and card[0].title.endswith("绩效目标表")
    assert not any(c.kind == "narrative" and "336.40" in text[c.start:c.end] for c in chunks)


def test_a_tables_unit_label_is_not_the_department_when_the_title_names_it():
    """A township's document prints each table per unit (单位名称：部门汇总 / …本级 / 白沙镇中心小学): the department is the
    title's 白沙镇人民政府, not the last unit a table was printed for."""
    from extractor.chunk import document_meta

    table = "科目编码\t科目名称\t合计\n\t合计\t400.00\n"
    text = ("白沙镇人民政府2025年部门预算公开\n\n"
            + "".join(f"白沙镇人民政府2025年一般公共预算支出表\n\n单位名称：{unit}\t\t\t\t单位：万元\n{table}\n"
                      for unit in ("部门汇总", "白沙镇人民政府本级", "白沙镇中心小学")))
    meta = document_meta(split_lines(text), text)
    assert (meta.department, meta.year) == ("白沙镇人民政府", 2025)
