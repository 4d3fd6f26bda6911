"""Pipe tables printed without outer bars (``201 | 一般公共服务支出 | 520.00 | 520.00 | ``), as many markdown writers and
converters print them, with or without a ``--- | ---`` row: every "|" separates two cells, so a bar at either end of a
line is an empty first or last cell. They once lost most of their numbers silently (the first cell of a line that
started with a bar and the last of a line that ended with one were dropped; lines starting with a code were not rows).

The tables are generated here (hand-written fixtures, figures made up for the test).
"""

from __future__ import annotations

import re

import pytest

from textlayouts import run_text
from verify.grounding import amount_slots

ROWS = [("", "合计", "1410.00", "730.00", "680.00"),
        ("201", "一般公共服务支出", "520.00", "520.00", ""),
        ("20103", "政府办公厅（室）及相关机构事务", "520.00", "520.00", ""),
        ("2010301", "行政运行", "400.00", "400.00", ""),
        ("2010350", "事业运行", "120.00", "120.00", ""),
        ("208", "社会保障和就业支出", "210.00", "210.00", ""),
        ("20805", "行政事业单位养老支出", "210.00", "210.00", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "210.00", "210.00", ""),
        ("213", "农林水支出", "680.00", "", "680.00"),
        ("21301", "农业农村", "680.00", "", "680.00"),
        ("2130122", "农业生产发展", "680.00", "", "680.00")]
HEADER = ("科目编码", "科目名称", "合计", "基本支出", "项目支出")


def _doc(rows, *, delimiter: bool, bar_before: bool = False, bar_after: bool = False) -> str:
    def line(cells):
        return ("| " if bar_before else "") + " | ".join(cells) + (" |" if bar_after else "")
    lines = [line(HEADER)] + ([line(["---"] * len(HEADER))] if delimiter else []) + [line(r) for r in rows]
    return "东岭区民政局2025年部门预算\n\n东岭区民政局2025年支出总表\n单位：万元\n" + "\n".join(lines) + "\n"


_run = run_text


def _got(result) -> dict[str, str]:
    return {slot.path: str(slot.amount.value) for slot in amount_slots(result)}


def _expected() -> dict[str, str]:
    keys = ("total", "basic", "project")
    out = {}
    for code, _name, *figures in ROWS:
        for key, figure in zip(keys, figures):
            if figure:
                out[f"expenditure_summary[{code or 'total'}].{key}"] = figure
    return out


@pytest.mark.parametrize("delimiter", [False, True], ids=["no delimiter row", "delimiter row"])
@pytest.mark.parametrize("bars", [(False, False), (True, False), (False, True)],
                         ids=["no outer bars", "a bar before only", "a bar after only"])
def test_a_pipe_table_without_outer_bars_reads_every_number(tmp_path, delimiter, bars):
    result, _ = _run(tmp_path, _doc(ROWS, delimiter=delimiter, bar_before=bars[0], bar_after=bars[1]))
    assert _got(result) == _expected()
    assert not result.flags, [f.message for f in result.flags]


def test_the_same_table_with_outer_bars_reads_the_same(tmp_path):
    result, _ = _run(tmp_path, _doc(ROWS, delimiter=True, bar_before=True, bar_after=True))
    assert _got(result) == _expected()


def test_a_wrong_figure_in_a_bare_pipe_table_is_caught(tmp_path):
    rows = [r if r[0] != "2010350" else ("2010350", "事业运行", "120.10", "120.10", "") for r in ROWS]
    result, _ = _run(tmp_path, _doc(rows, delimiter=False))
    assert "table.hierarchy" in {f.check for f in result.flags if f.severity == "error"}


def test_a_sentence_with_bars_in_the_narrative_is_no_table(tmp_path):
    text = _doc(ROWS, delimiter=False) + "\n一、部门职责\n本单位负责 A | B 两项工作，全年支出1410.00万元。\n"
    result, _ = _run(tmp_path, text)
    assert _got(result) == _expected()
    assert [s.kind for s in result.sections][-1] == "narrative" and not result.unread
    assert result.sections[-1].span[0] < text.index("A | B") < result.sections[-1].span[1]
