"""What a new user's trial of the review loop and the LLM path found (trial 20c), each as real processes.

1. A layout hint settles only the tie it was taught on: a row printed one cell per column is read where printed.
2. A value marked as a person's correction with no decision behind it is flagged, never verified.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DOCS
from test_cli import cli
from test_review_moves import as_json, facts, queue, result, review

# A hand-written fixture: a government-fund table whose rows print two figures for three columns (a converter
# dropped the empty cells: ``explicit=False``), or the same rows with the empty 项目支出 cell printed.
FUND_ROWS = [("", "合计", "30.00"), ("212", "城乡社区支出", "30.00"), ("21208", "国有土地使用权出让收入安排的支出", "30.00"),
             ("2120803", "城市建设支出", "20.00"), ("2120899", "其他国有土地使用权出让收入安排的支出", "10.00")]


def fund_table(explicit: bool, department: str = "某县某局", scale: int = 1) -> str:
    lines = [f"{department}2024年部门预算", "", "部门预算政府性基金预算财政拨款支出表", "", "单位：万元", "",
             "| 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 |", "|----|----|----|----|----|"]
    for code, label, v in FUND_ROWS:
        v = f"{float(v) * scale:.2f}"
        lines.append(f"| {code} | {label} | {v} | {v} |" + (" |" if explicit else ""))
    return "\n".join(lines) + "\n"


def _fund_columns(out: Path, name: str) -> set[tuple[str, str, str]]:
    return {(f["column"], f["status"], str(f["decision"])) for f in facts(out, name)
            if f["table"] == "government_fund_expenditure" and f["column"] != "total"}


def test_a_layout_hint_settles_only_the_tie_it_was_taught_on_and_a_plain_row_makes_its_move_stale(tmp_path):
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    (docs / "G1.txt").write_text(fund_table(explicit=False), encoding="utf-8")
    cli("run", docs, "--out", out)
    [flag] = queue(out)
    assert flag["check"] == "read.ambiguous"
    review("move", flag["id"], "--to-column", "项目支出", "--all-rows", "--yes", "--db", out, "--reviewer", "ann")
    assert _fund_columns(out, "G1") == {("project", "corrected", "1")}
    cli("hints", "export", "--db", out, "-o", tmp_path / "hints.json")

    # The publisher republishes with every cell printed: the figures are under 基本支出, plainly.
    (docs / "G1.txt").write_text(fund_table(explicit=True), encoding="utf-8")
    cli("run", docs, "--out", out)
    assert _fund_columns(out, "G1") == {("basic", "flagged", "None")}  # read where printed, the move in question
    [stale] = queue(out)
    assert stale["status"] == "stale" and "printed plainly under 基本支出" in stale["message_en"]
    hint = result(out, "G1").tables[0].hint
    assert not hint.used and "premise does not hold" in hint.note

    # Another document with the header, in a store that imported the hint: its dropped rows follow the hint, its
    # plainly printed rows are read where printed.
    other = tmp_path / "other"
    cli("hints", "import", tmp_path / "hints.json", "--db", other)
    (docs / "G1.txt").unlink()
    (docs / "G2.txt").write_text(fund_table(explicit=False, department="另县另局", scale=2), encoding="utf-8")
    cli("run", docs, "--out", other)
    assert {c for c, _, _ in _fund_columns(other, "G2")} == {"project"} and result(other, "G2").tables[0].hint.used
    (docs / "G2.txt").write_text(fund_table(explicit=True, department="另县另局", scale=2), encoding="utf-8")
    cli("run", docs, "--out", other)
    assert _fund_columns(other, "G2") == {("basic", "verified", "None")}
    assert not result(other, "G2").tables[0].hint.used


def _card_value(result_file: Path, printed: str):
    data = json.loads(result_file.read_text(encoding="utf-8"))
    for card in data["cards"]:
        for ind in card["indicators"]:
            if ind.get("value") and ind["value"]["value"] == printed:
                return data, ind
    raise AssertionError(f"no card value {printed}")


def test_a_hand_edited_person_value_without_a_decision_is_flagged_not_verified(tmp_path):
    src = tmp_path / "A.txt"
    src.write_bytes(DOCS["000"].read_bytes())
    out = tmp_path / "out"
    cli("run", src, "--out", out)
    path = out / "A.json"
    data, ind = _card_value(path, "3.57")  # the card prints ≤3.57 万元
    ind["value"].update(value="1.23", raw="1.23", backend="person")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    cli("verify", path, check=False)
    [fact] = [f for f in facts(out, "A") if f["value"] == "1.23"]
    assert fact["status"] == "flagged" and fact["decision"] is None
    flagged = {f["check"] for f in queue(out, "--status", "all") if any(
        fl["key"] == fact["field"] for fl in f["fields"])}
    assert "ground.unrecorded_correction" in flagged and "ground.not_in_source" in flagged


def test_auto_keeps_the_rules_reading_when_a_model_fixes_a_printed_typo(tmp_path):
    """000 with a planted fault in 支出总表 (2101502 项目支出 printed 8.32 against 合计 8.23). A model on loopback
    answers the rules' own rows except that figure, which it "fixes" to 8.23: its reading verifies more sums, but
    8.23 is not what the cell prints, so it never wins: the printed 8.32 and the document's fault stay."""
    from test_llm_grounding import _answer_from, _document, _run

    from extractor.pipeline import extract_document

    printed = "| 22 | 210150 2 | 一般行政管理事务 | 8.23 | | 8.23 | | | |"
    text = DOCS["000"].read_text(encoding="utf-8")
    assert text.count(printed) == 1
    text = text.replace(printed, printed.replace("| 8.23 | | | |", "| 8.32 | | | |"))
    truth = extract_document(_document("000", text))

    def numbers(table, row):
        values = {c: a.raw for c, a in row.values.items()}
        if table.kind == "expenditure_summary" and row.code == "2101502":
            values["project"] = "8.23"
        return values

    result, fake = _run("000", text, _answer_from(truth, numbers), "auto", tmp_path)
    assert fake.requests  # the section was sent: its values failed verification
    [table] = [t for t in result.tables if t.kind == "expenditure_summary"]
    [row] = [r for r in table.rows if r.code == "2101502"]
    assert str(row.values["project"].value) == "8.32" and row.values["project"].backend == "rules"
    section = next(s for s in result.sections if s.id == table.section_id)
    assert section.backend == "rules" and "not printed at their place" in section.note
    assert any(f.check == "table.row_sum" and any("2101502" in r.path for r in f.fields) for f in result.flags)
