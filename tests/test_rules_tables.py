"""The deterministic table reader, on each template, including the layout faults DOMAIN.md lists."""

from __future__ import annotations

import re
from decimal import Decimal

from conftest import result_for, row, table, text_for

from schemas import Table, parse_amount, spec_for


def test_every_amount_is_the_source_text_at_its_parts(doc):
    """The reader never invents a number: raw == source at parts, and raw parses to value."""
    text = text_for(doc)
    result = result_for(doc)
    amounts = [a for t in result.tables for r in t.rows for a in r.values.values()]
    amounts += [a for c in result.cards for a in
                [c.budget.total, c.budget.fiscal, c.budget.carryover, c.budget.other,
                 *(s.percent for s in c.spending_plan), *(i.value for i in c.indicators)] if a]
    for a in amounts:
        assert a.source_text(text) == a.raw
        assert parse_amount(a.raw) == a.value
        assert a.span == (a.parts[0][0], a.parts[-1][1])
        assert a.backend == "rules"


def test_split_cell_across_page_break_000():
    """财政拨款收支总表: "十、卫生健康支 | 9682.6" … next page "出 | 2" reads as 9682.62."""
    text = text_for("000")
    r = row(table("000", "fiscal_appropriation_summary"), label="十、卫生健康支出", side="expenditure")
    total = r.values["total"]
    assert total.value == Decimal("9682.62")
    assert [text[s:e] for s, e in total.parts] == ["9682.6", "2"]
    assert r.values["general_budget"].value == Decimal("9682.62")
    assert len(r.label.parts) == 2


def test_label_split_across_page_break_000():
    r = row(table("000", "income_summary"), code="2101202")
    assert r.label.text == "财政对城乡居民基本医疗保险基金的补助"
    assert r.values["total"].value == Decimal("7033.80")


def test_split_codes_are_normalised_000():
    r = row(table("000", "expenditure_summary"), code="2101201")
    assert r.code_raw.text == "210120 1"
    assert r.values["project"].value == Decimal("5.00")


def test_header_shifted_by_the_converter_is_realigned_by_the_numbered_row_002():
    """002 收入总表 prints 其他收入 under the 上年结转 column; the 栏次 row and the template order fix it."""
    t = table("002", "income_summary")
    total = row(t, label="合计")
    assert total.values["carryover"].value == Decimal("174.07")
    assert "other_income" not in total.values
    assert row(t, code="2101505").values["carryover"].value == Decimal("88.25")


def test_procurement_rows_cut_by_page_breaks_and_spaces_inside_numbers_002():
    t = table("002", "government_procurement")
    r = next(r for r in t.rows if r.values.get("project_budget")
             and r.values["project_budget"].value == Decimal("336.40"))
    assert r.values["unit_price"].raw == "159.1 5" and r.values["unit_price"].value == Decimal("159.15")
    assert r.values["total"].value == Decimal("159.15")
    assert r.label.text.endswith("（医疗保障服务能力建设部分）")  # joined from the next page
    first = row(t, label="合计")
    assert first.values["sme_reserved"].value == Decimal("307.51")  # not 非财政拨款结余
    assert "non_fiscal_balance" not in first.values


def test_integer_amounts_and_total_row_at_the_bottom_003():
    t = table("003", "general_budget_expenditure")
    r = row(t, code="2101501")
    assert {k: str(v.value) for k, v in r.values.items()} == {
        "total": "242.41", "basic": "224.41", "personnel": "149.15", "public": "75.27", "project": "18"}
    total = t.rows[-1]
    assert total.item == "total" and total.values["project"].value == Decimal("2145")


def test_total_printed_in_a_text_column_is_the_row_label_003():
    t = table("003", "project_expenditure")
    assert t.rows[-1].label.text == "合计" and t.rows[-1].item == "total"
    assert t.rows[-1].values["total"].value == Decimal("2145")
    assert row(t, label="2024_城乡医疗救助").texts["project_unit"].text == "泗县城乡居民基本医疗保险管理中心"


def test_two_sided_tables_split_into_income_and_expenditure_rows():
    t = table("003", "income_expenditure_summary")
    assert row(t, label="收入总计", side="income").values["income_amount"].value == Decimal("2805.56")
    assert row(t, label="支出总计", side="expenditure").values["expenditure_amount"].value == Decimal("2805.56")


def test_three_public_cost_lines_get_item_keys(doc):
    if doc in ("001", "003"):
        return
    t = table(doc, "three_public_costs")
    items = {r.item for r in t.rows}
    assert {"subtotal", "outbound", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"} <= items


def test_empty_tables_are_marked_with_their_note():
    t = table("002", "government_fund_expenditure")
    assert t.empty and "空表列示" in t.note
    t = table("003", "purchased_services")
    assert t.empty and "本表无数据" in t.note
    assert table("000", "state_capital_expenditure").empty


def test_flattened_sections_are_reported_unread_with_span_and_reason():
    result = result_for("001")
    unread = {u.section_id: u for u in result.unread}
    kinds = sorted({u.kind for u in unread.values()})
    assert kinds == ["department_performance_target", "government_procurement", "performance_target"]
    for u in unread.values():
        assert "LLM" in u.reason and u.span[0] < u.span[1]
    assert [t.kind for t in result.tables] == ["fixed_assets"] and not result.cards


def test_a_table_printed_as_words_in_order_is_read_001():
    """001's fixed-asset table: one space between cells, empty cells dropped, a dash for a blank, a spaced-out 项 目."""
    t = table("001", "fixed_assets")
    got = {r.item: {k: str(v.value) for k, v in r.values.items()} for r in t.rows}
    assert got == {
        "total_assets": {"value": "81.62"}, "buildings": {}, "office_buildings": {},
        "vehicles": {"quantity": "2", "value": "31.72"}, "equipment": {"quantity": "0", "value": "0"},
        "other_assets": {"quantity": "130", "value": "49.90"},
    }
    assert row(t, label="3、单价在20万元以上的设备").label.text == "3、单价在 20 万元以上的设备"
    assert not [f for f in result_for("001").flags if f.section_id == t.section_id]


def test_codes_are_3_5_or_7_digits(doc):
    for t in result_for(doc).tables:
        for r in t.rows:
            assert r.code is None or re.fullmatch(r"\d{3}|\d{5}|\d{7}", r.code)


def test_tables_reject_columns_their_kind_does_not_have():
    import pytest
    from pydantic import ValidationError

    t = table("000", "expenditure_summary").model_dump()
    t["rows"][0]["values"]["unit_price"] = t["rows"][0]["values"]["total"]
    with pytest.raises(ValidationError):
        Table.model_validate(t)
    assert "unit_price" not in spec_for("expenditure_summary").column_keys
    # A column the registry does not know is accepted only when the table declares it with its header.
    t = table("000", "expenditure_summary").model_dump()
    t["rows"][0]["values"]["基本支出/人员经费/津贴补贴"] = t["rows"][0]["values"]["total"]
    with pytest.raises(ValidationError):
        Table.model_validate(t)
    t["columns"]["基本支出/人员经费/津贴补贴"] = "基本支出/人员经费/津贴补贴"
    assert Table.model_validate(t).rows[0].values["基本支出/人员经费/津贴补贴"]


def test_decimal_keeps_its_printed_places_in_json():
    data = table("000", "government_fund_expenditure").model_dump_json()
    assert '"value":"9.00"' in data.replace(" ", "")
