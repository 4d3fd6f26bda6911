"""`export --what cards`: one line per performance-card indicator, with what the facts (numbers only) leave out — the
target as printed and its comparator, text targets (按时完成, 有所提升, 2025年12月底前), the levels, the goals (年度 and
实施期), the department, implementing unit and period — and the value's status as the facts give it.

The cards are generated here (hand-written fixtures in the 003 card's shape, tab and space-aligned).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from test_cli import cli
from textlayouts import left_aligned

CARD = """青山县文化旅游局2025年部门预算

项目支出绩效目标表
单位：万元
项目名称\t文化惠民演出
项目编码\t34122525P000000100011
主管部门\t青山县文化旅游局\t实施单位\t青山县文化馆
项目期\t3年
项目资金\t年度资金总额:\t1922.22
\t其中:财政拨款\t1900.00
\t上年结转\t22.22
实施期目标\t三年内送戏下乡900场。\t年度目标\t全年送戏下乡300场。
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t送戏下乡演出场次\t≥300场
\t时效指标\t项目完成时间\t2025年12月底前
\t成本指标\t项目总成本\t≤2000万元
效益指标\t社会效益指标\t群众文化生活水平\t有所提升
满意度指标\t服务对象满意度指标\t群众满意度\t≥95%
"""
WANT = [("产出指标", "数量指标", "送戏下乡演出场次", "≥300场", "≥", "300", "场", ""),
        ("产出指标", "时效指标", "项目完成时间", "2025年12月底前", "", "", "", "2025年12月底前"),
        ("产出指标", "成本指标", "项目总成本", "≤2000万元", "≤", "2000", "万元", ""),
        ("效益指标", "社会效益指标", "群众文化生活水平", "有所提升", "", "", "", "有所提升"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%", "≥", "95", "%", "")]


@pytest.mark.parametrize("layout", ["tab", "spaced"])
def test_each_indicator_is_exported_with_its_target_comparator_levels_and_its_cards_fields(tmp_path, layout):
    source = tmp_path / "card.txt"
    source.write_text(CARD if layout == "tab" else left_aligned(CARD), encoding="utf-8")
    out = tmp_path / "out"
    cli("run", source, "--out", out, check=False)
    rows = list(csv.DictReader(io.StringIO(cli("export", out, "--what", "cards", "--format", "csv").stdout)))
    got = [(r["level1"], r["level2"], r["name"], r["target"], r["comparator"], r["value"], r["unit"], r["qualitative"])
           for r in rows]
    assert got == WANT
    first = rows[0]
    assert (first["project_name"], first["project_code"], first["department"], first["implementing_unit"],
            first["project_period"], first["budget_total"], first["budget_unit"]) == (
        "文化惠民演出", "34122525P000000100011", "青山县文化旅游局", "青山县文化馆", "3年", "1922.22", "万元")
    assert json.loads(first["goals"]) == ["全年送戏下乡300场。"]
    assert json.loads(first["midterm_goals"]) == ["三年内送戏下乡900场。"]
    # The value's status is the facts': the cost over the budget is flagged, the others verified; text targets none.
    assert [r["status"] for r in rows] == ["verified", "", "flagged", "", "verified"]
    assert json.loads(rows[2]["flags"])
    lines = [json.loads(x) for x in cli("export", out, "--what", "cards").stdout.splitlines()]
    assert [(x["name"], x["comparator"], x["qualitative"]) for x in lines] == [(w[2], w[4] or None, w[7] or None)
                                                                               for w in WANT]
    # One entry of the export registry: every format writes it (Parquet by itself, the whole-file formats beside
    # everything else: a sheet of the workbook, a table of the databases).
    import sqlite3

    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    cli("export", out, "--what", "cards", "--format", "parquet", "-o", tmp_path / "c.parquet")
    table = pq.read_table(tmp_path / "c.parquet").to_pylist()
    assert [(r["name"], r["target"]) for r in table] == [(w[2], w[3]) for w in WANT]
    cli("export", out, "--format", "xlsx", "-o", tmp_path / "c.xlsx")
    sheet = load_workbook(tmp_path / "c.xlsx", read_only=True)["绩效指标 card indicators"]
    header, *body = list(sheet.values)
    assert [row[header.index("target")] for row in body] == [w[3] for w in WANT]
    cli("export", out, "--format", "sqlite", "-o", tmp_path / "c.sqlite")
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        assert [r[0] for r in db.execute("SELECT comparator FROM cards")] == [w[4] or None for w in WANT]
