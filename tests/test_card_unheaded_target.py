"""A card whose 指标值 header, merged over two columns, was printed in one of them (a borderless sheet printed to PDF by
LibreOffice, then read by pdfplumber), the targets in the other column, which no header names: the targets are read.

The cards are generated here (hand-written fixtures in the shape the converter gives).
"""

from __future__ import annotations

import pytest

from textlayouts import run_text


# A borderless sheet printed to PDF (LibreOffice): the 指标值 header, merged over two columns, printed in one of them,
# the targets in the other, which no header names. The targets are read, and a cost over the budget is caught.
_UNHEADED = """东湖示范区农业农村局2025年项目支出绩效目标表

项目名称\t\t高标准农田建设项目\t\t
主管部门\t\t东湖示范区农业农村局\t\t
项目资金（万元）\t年度资金总额\t\t\t300.00
\t其中：财政拨款\t\t\t300.00
年度目标\t\t新建高标准农田5000亩。\t\t
{header}
{rows}
"""
_UNHEADED_ROWS = [("产出指标", "数量指标", "新建高标准农田面积", "≥5000亩"), ("产出指标", "成本指标", "项目建设总成本", "≤350万元"),
                  ("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥90%")]


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("weights", [False, True], ids=["no_weights", "weights"])
def test_targets_in_the_unheaded_column_beside_a_merged_target_header_are_read(tmp_path, side, weights):
    head = ["一级指标", "二级指标", "三级指标"] + (["", "指标值"] if side == "left" else ["指标值", ""])
    rows = [[l1, l2, name] + ([target, ""] if side == "left" else ["", target]) for l1, l2, name, target in _UNHEADED_ROWS]
    if weights:
        head.append("权重")
        rows = [r + [w] for r, w in zip(rows, ("40", "30", "30"))]
    text = _UNHEADED.format(header="\t".join(head), rows="\n".join("\t".join(r) for r in rows))
    result, _ = run_text(tmp_path, text, "card.txt")
    (card,) = result.cards
    assert [(i.name.text, i.comparator, str(i.value.value), i.unit) for i in card.indicators] == [
        ("新建高标准农田面积", "≥", "5000", "亩"), ("项目建设总成本", "≤", "350", "万元"), ("受益农户满意度", "≥", "90", "%")]
    assert [f.check for f in result.flags] == ["card.cost"]


def test_a_row_whose_cells_slid_left_is_not_read_beside_the_target_header(tmp_path):
    """A row that lost a cell (its name slid under 二级指标, its target under the unheaded column): not a row beside a
    merged header. Its figure is left unread and flagged, never a value with no name."""
    head = "\t".join(["一级指标", "", "二级指标", "", "三级指标", "", "指标值"])
    rows = ["\t".join(["产出指标", "", "数量指标", "", "新建高标准农田面积", "", "≥5000亩"]),
            "\t".join(["满意度指标", "服务对象满意度指标", "", "受益农户满意度", "", "≥90%", ""])]
    result, _ = run_text(tmp_path, _UNHEADED.format(header=head, rows="\n".join(rows)), "card.txt")
    (card,) = result.cards
    assert all(i.name is not None for i in card.indicators if i.value is not None)
