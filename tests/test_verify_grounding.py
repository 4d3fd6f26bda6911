"""Grounding: a value must be the text at its span; misplaced values are re-pointed, invented ones flagged."""

from __future__ import annotations

from decimal import Decimal

from conftest import result_for, text_for
from verify import verify_result


def _fresh(doc: str):
    return result_for(doc).model_copy(deep=True)


def _row(result, kind: str, code: str):
    table = next(t for t in result.tables if t.kind == kind)
    return next(r for r in table.rows if r.code == code)


def test_a_value_at_a_wrong_span_is_found_in_its_section_and_re_pointed():
    result = _fresh("000")
    row = _row(result, "expenditure_summary", "2101501")
    good = row.values["total"]
    row.values["total"] = good.model_copy(update={"span": (0, 7), "parts": [(0, 7)], "backend": "llm"})
    verified = verify_result(result, text_for("000"))
    fixed = _row(verified, "expenditure_summary", "2101501").values["total"]
    assert text_for("000")[fixed.span[0]:fixed.span[1]] == "1182.71"
    assert [(f.path, f.old) for f in verified.span_fixes] == [("expenditure_summary[2101501].total", (0, 7))]
    assert not [f for f in verified.flags if f.check == "ground.not_in_source"]


def test_a_value_that_is_not_in_the_source_is_an_error_pointing_at_its_claimed_place():
    result = _fresh("000")
    row = _row(result, "expenditure_summary", "2101501")
    made_up = row.values["total"].model_copy(update={"value": Decimal("1234.56"), "raw": "1234.56", "backend": "llm"})
    row.values["total"] = made_up
    verified = verify_result(result, text_for("000"))
    flags = [f for f in verified.flags if f.check == "ground.not_in_source"]
    assert len(flags) == 1 and flags[0].severity == "error"
    assert "1234.56" in flags[0].message and "not in source" in flags[0].message_en
    assert [tuple(s) for s in flags[0].spans] == [made_up.span]
    # The made-up number also breaks the arithmetic it takes part in.
    assert any(f.check == "table.row_sum" for f in verified.flags)


def test_a_span_outside_the_text_is_flagged_at_the_section():
    result = _fresh("003")
    card = result.cards[0]
    card.budget.total = card.budget.total.model_copy(
        update={"value": Decimal("999.99"), "span": (10**9, 10**9 + 6), "parts": [(10**9, 10**9 + 6)]})
    verified = verify_result(result, text_for("003"))
    flag = next(f for f in verified.flags if f.check == "ground.not_in_source")
    assert tuple(flag.spans[0]) == card.span


def test_a_persons_correction_is_not_expected_in_the_source():
    result = _fresh("000")
    row = _row(result, "expenditure_summary", "2101501")
    row.values["total"] = row.values["total"].model_copy(update={"value": Decimal("1182.70"), "backend": "person"})
    verified = verify_result(result, text_for("000"))
    assert not [f for f in verified.flags if f.check == "ground.not_in_source"]
