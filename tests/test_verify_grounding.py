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
    from schemas import Correction

    row = _row(result, "expenditure_summary", "2101501")
    read = row.values["total"]
    row.values["total"] = read.model_copy(update={"value": Decimal("1182.70"), "backend": "person"})
    # A person's correction is recorded as such (``review fix``): the value it replaced, and its decision.
    result.corrections = [Correction(path="expenditure_summary[2101501].total", original=read, seq=1)]
    verified = verify_result(result, text_for("000"))
    assert not [f for f in verified.flags if f.check in ("ground.not_in_source", "ground.unrecorded_correction")]
    result.corrections = []  # the same value with no correction recorded: a hand edit, flagged
    verified = verify_result(result, text_for("000"))
    assert {f.check for f in verified.flags} >= {"ground.not_in_source", "ground.unrecorded_correction"}


# -- positional grounding: its own row, its own column's place, one printed number per value -------------------


def _llm(amount, **update):
    return amount.model_copy(update={"backend": "llm", **update})


def _misplaced(result, path=None):
    return [f for f in result.flags if f.check == "ground.misplaced"
            and (path is None or any(r.path == path for r in f.fields))]


def _unflagged_wrong(result, truth) -> list[str]:
    """Values of ``result`` that differ from ``truth`` (same path) and no error flag touches."""
    from verify.grounding import amount_slots

    right = {s.path: s.amount.value for s in amount_slots(truth)}
    doubted = {r.path for f in result.flags if f.severity == "error" for r in f.fields}
    return [s.path for s in amount_slots(result) if s.path not in doubted and right.get(s.path) != s.amount.value]


def test_a_value_grounded_only_in_another_row_is_misplaced():
    # 003's general-budget table: 2101501 prints 242.41 224.41 149.15 75.27 18; 2101550 prints 405.21 …
    result = _fresh("003")
    text = text_for("003")
    there = _row(result, "general_budget_expenditure", "2101550").values["total"]
    row = _row(result, "general_budget_expenditure", "2101501")
    row.values["total"] = _llm(there)  # 405.21, pointing at the other row's characters
    verified = verify_result(result, text)
    flags = _misplaced(verified, "general_budget_expenditure[2101501].total")
    assert len(flags) == 1 and flags[0].severity == "error" and "own row" in flags[0].message_en
    assert [tuple(s) for s in flags[0].spans] == [there.span]


def test_one_printed_number_grounds_one_value():
    # The injection case: one "0" printed once cannot back the zeros of many rows.
    result = _fresh("003")
    text = text_for("003")
    table = next(t for t in result.tables if t.kind == "general_budget_expenditure")
    total = _row(result, "general_budget_expenditure", "210").values["total"]  # 2800.56
    for r in table.rows:
        r.values["total"] = _llm(total)
    verified = verify_result(result, text)
    assert len(_misplaced(verified)) == len(table.rows) - 1  # only 210's own total stands
    assert _unflagged_wrong(verified, _fresh("003")) == []


def test_a_value_repeated_in_two_cells_of_its_row_is_re_pointed_to_the_free_one():
    # 003's 2101301 医疗救助 prints 1760 in total and in project; a reading that puts both on one token is re-pointed.
    result = _fresh("003")
    text = text_for("003")
    row = _row(result, "general_budget_expenditure", "2101301")
    right = row.values["project"].span
    row.values["project"] = _llm(row.values["total"])
    verified = verify_result(result, text)
    assert _row(verified, "general_budget_expenditure", "2101301").values["project"].span == right
    assert not _misplaced(verified)


def test_a_number_printed_once_cannot_ground_two_values_of_its_row():
    # 003's 2101102 prints 25.42 three times (total, basic, personnel); read a fourth time as public it has no token.
    result = _fresh("003")
    text = text_for("003")
    row = _row(result, "general_budget_expenditure", "2101102")
    assert "public" not in row.values
    row.values["public"] = _llm(row.values["personnel"])
    verified = verify_result(result, text)
    assert _misplaced(verified, "general_budget_expenditure[2101102].public")
    assert _unflagged_wrong(verified, _fresh("003")) == []


def test_two_swapped_columns_are_both_misplaced():
    # 003's 2101501: total 242.41, basic 224.41 — read the other way round, both are at the wrong place.
    result = _fresh("003")
    text = text_for("003")
    row = _row(result, "general_budget_expenditure", "2101501")
    row.values["total"], row.values["basic"] = _llm(row.values["basic"]), _llm(row.values["total"])
    verified = verify_result(result, text)
    assert _misplaced(verified, "general_budget_expenditure[2101501].total")
    assert _misplaced(verified, "general_budget_expenditure[2101501].basic")
    assert "order of the columns" in _misplaced(verified)[0].message_en
    assert len(_misplaced(verified)) == 2  # the row's other values stay verified
    assert _unflagged_wrong(verified, _fresh("003")) == []


def test_one_value_moved_far_out_of_order_is_the_only_one_misplaced():
    result = _fresh("003")
    text = text_for("003")
    row = _row(result, "general_budget_expenditure", "21015")  # 652.62 629.62 502.81 126.81 23
    row.values["total"] = _llm(row.values["project"])  # 23, printed last, read as the first column
    del row.values["project"]
    verified = verify_result(result, text)
    assert [f.fields[0].path for f in _misplaced(verified)] == ["general_budget_expenditure[21015].total"]


def test_a_number_inside_the_row_label_is_not_a_value():
    result = _fresh("003")
    text = text_for("003")
    # 003's project table: the row label "2024_医疗救助…" carries 2024.
    table = next(t for t in result.tables if t.kind == "project_expenditure")
    row = next(r for r in table.rows if r.label and "2024" in r.label.text)
    s = row.label.span[0] + row.label.text.index("2024")
    row.values["unit_funds"] = row.values["total"].model_copy(
        update={"value": Decimal("2024"), "raw": "2024", "span": (s, s + 4), "parts": [(s, s + 4)], "backend": "llm"})
    verified = verify_result(result, text)
    flags = [f for f in _misplaced(verified) if f.fields[0].path.endswith(".unit_funds")]
    assert len(flags) == 1 and "label" in flags[0].message_en


def test_the_tail_of_a_longer_number_does_not_ground_a_value():
    result = _fresh("000")
    text = text_for("000")
    row = _row(result, "expenditure_summary", "2101501")
    s, e = row.values["total"].span  # "1182.71"
    row.values["total"] = _llm(row.values["total"], value=Decimal("82.71"), raw="82.71", span=(s + 2, e),
                               parts=[(s + 2, e)])
    verified = verify_result(result, text)
    assert [f.check for f in verified.flags if any(r.path == "expenditure_summary[2101501].total" for r in f.fields)
            and f.check.startswith("ground.")] == ["ground.not_in_source"]


def test_a_row_outside_its_table_grounds_nothing():
    result = _fresh("003")
    text = text_for("003")
    other = next(t for t in result.tables if t.kind == "expenditure_summary")
    table = next(t for t in result.tables if t.kind == "general_budget_expenditure")
    stolen = other.rows[-1].model_copy(deep=True)  # the expenditure summary's 合计 row, pasted into another table
    stolen.values = {k: _llm(v) for k, v in stolen.values.items() if k in ("total", "basic", "project")}
    table.rows.append(stolen)
    verified = verify_result(result, text)
    assert len([f for f in _misplaced(verified) if "outside its table" in f.message_en]) == len(stolen.values)


def test_the_corpus_reads_every_row_in_column_order():
    for doc in ("000", "002", "003"):
        assert not [f for f in result_for(doc).flags if f.check.startswith("ground.")]
