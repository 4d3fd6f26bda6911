"""How other templates print negatives and rates, and what happens to a figure the reader does not know.

- △x and ▲x are the minus sign of many finance tables (增减额 △28.00, 增减率 △62.22%), like -x, (x) and （x）;
  a rate may carry its sign inside the brackets: (62.22%), （62.22%）. Each reads as −x, and the printed change is
  then checked against its own columns (table.change), so a sign read wrongly could not pass.
- A figure with a mark no template we know prints (▼28.00, ※28.00) is never taken as words of the row's label (the
  whole row's figures used to vanish into it, silently): every printed number is a value or flagged.

The tables are generated here (hand-written fixtures, figures made up for the test), in tab, pipe and
space-aligned text.
"""

from __future__ import annotations

import re

import pytest

from textlayouts import layouts, run_text
from verify.grounding import amount_slots

# (label, 2024, 2025, change, rate): the change and rate are negative; ``{n}`` is where the negative sign goes.
LINES = [("合计", "45.00", "17.00", "28.00", "62.22"),
         ("因公出国（境）费", "", "", "", ""),
         ("公务用车购置及运行维护费", "39.00", "12.00", "27.00", "69.23"),
         ("  其中：公务用车购置费", "25.00", "", "25.00", "100.00"),
         ("        公务用车运行维护费", "14.00", "12.00", "2.00", "14.29"),
         ("公务接待费", "6.00", "5.00", "1.00", "16.67")]

NEGATIVES = {"triangle": ("△{}", "△{}%"), "black triangle": ("▲{}", "▲{}%"), "minus": ("-{}", "-{}%"),
             "brackets": ("({})", "({}%)"), "full-width brackets": ("（{}）", "（{}%）"),
             "brackets, sign outside": ("({})", "({})%")}


def _table(amount: str, rate: str, change_at_total: str | None = None) -> str:
    rows = ["项目\t2024年预算数\t2025年预算数\t增减额\t增减率"]
    for label, before, now, change, pct in LINES:
        if label == "合计" and change_at_total is not None:
            change = change_at_total
        rows.append("\t".join([label, before, now, amount.format(change) if change else "",
                               rate.format(pct) if pct else ""]))
    return "东岭区民政局2025年“三公”经费支出表\n单位：万元\n" + "\n".join(rows) + "\n"


LAYOUTS = layouts()


def _run(tmp_path, text: str):
    return run_text(tmp_path, "东岭区民政局2025年部门预算\n\n" + text)


def _printed_numbers(text: str) -> list[tuple[int, int]]:
    start = text.index("\n", text.index("项目"))  # the rows, below the header
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"\d+(?:\.\d+)?", text[start:])]


def _values(result):
    return {slot.path: slot.amount for slot in amount_slots(result)}


def _unaccounted(result, text: str) -> list[str]:
    """Printed numbers in neither a value's characters nor a flag's."""
    covered = [p for a in _values(result).values() for p in a.parts] + [s for f in result.flags for s in f.spans]
    return [text[s:e] for s, e in _printed_numbers(text)
            if not any(cs <= s and e <= ce for cs, ce in covered)]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("form", NEGATIVES)
def test_negatives_and_rates_as_templates_print_them_read_as_minus(tmp_path, form, layout):
    amount, rate = NEGATIVES[form]
    result, text = _run(tmp_path, LAYOUTS[layout](_table(amount, rate)))
    values = _values(result)
    assert values["three_public_costs[total].change"].value == -28
    assert str(values["three_public_costs[total].change_rate"].value) == "-62.22"
    assert str(values["three_public_costs[reception].change_rate"].value) == "-16.67"
    assert values["three_public_costs[vehicle_purchase].change"].value == -25
    assert len([k for k in values if k.startswith("three_public_costs")]) == 19
    assert not _unaccounted(result, text)
    assert not result.flags, [f.message for f in result.flags]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_negative_change_that_does_not_match_its_columns_is_caught(tmp_path, layout):
    """△ is read as minus, not trusted: △18.00 where 17.00 − 45.00 = −28.00 is an error."""
    result, _ = _run(tmp_path, LAYOUTS[layout](_table("△{}", "△{}%", change_at_total="18.00")))
    assert "table.change" in [f.check for f in result.flags if f.severity == "error"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("mark", ["▼", "※", "☆"])
def test_figures_with_a_mark_no_template_uses_are_flagged_never_lost(tmp_path, mark, layout):
    result, text = _run(tmp_path, LAYOUTS[layout](_table(mark + "{}", mark + "{}%")))
    values = _values(result)
    assert values["three_public_costs[total].total"].value == 17
    assert values["three_public_costs[reception].previous_year"].value == 6
    assert not _unaccounted(result, text)
    flagged = [f for f in result.flags if f.check == "read.unparsed"]
    assert len(flagged) == 10 and all(mark in f.message for f in flagged)


@pytest.mark.parametrize("layout", ["tab", "pipe"])
def test_figures_before_words_in_amount_columns_are_kept_and_flagged_not_lost_in_the_label(tmp_path, layout):
    """合计 | 45.00 | 17.00 | 减少 | 大幅: words where the figures go end the row, and everything before them once
    became its label, silently. Its figures are kept under their place and flagged."""
    text = _table("{}", "{}%").replace("28.00\t62.22%", "减少\t大幅")
    result, text = _run(tmp_path, LAYOUTS[layout](text))
    assert not _unaccounted(result, text)
    assert sorted(f.found for f in result.flags if f.check == "read.unplaced") == ["17.00", "45.00"]


EMPTY_TABLE = """东岭区民政局2025年国有资本经营预算支出表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t{mark}\t{mark}\t{mark}

说明：本单位2025年无国有资本经营预算支出。
"""


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("mark", ["-", "—", "--", "／", "/", "无", ""])
def test_an_empty_table_whose_total_line_prints_dashes_is_read_empty(tmp_path, mark, layout):
    """A dash or slash in every amount cell of the one 合计 line is how many templates print an empty table: its
    header is a header (the 合计 line is no piece of it), nothing is unread, no amount, no flag."""
    result, _ = _run(tmp_path, LAYOUTS[layout](EMPTY_TABLE.format(mark=mark)))
    assert not result.unread, [u.reason for u in result.unread]
    [table] = [t for t in result.tables if t.kind == "state_capital_expenditure"]
    assert not [r for r in table.rows if r.values or r.unparsed]
    assert not result.flags, [f.message for f in result.flags]
