"""Tables printed side by side under one title (trial 21d): the 2024 template's 基本支出表 prints 人员经费 and 公用经费
as two tables on one line (科目编码 | 科目名称 | 金额 twice). Each half's lines are rows of their own, keyed by the
group header over them, and each half's total line checks its own table.

Every table here is generated (hand-written fixtures, not real disclosures): tab-separated, pipes, space-aligned
as ``pdftotext -layout`` prints it (codes and names left-aligned, amounts right-aligned, CJK counted double) and a
workbook. The right half is longer than the left, so some lines print the right half only.
"""

from __future__ import annotations

import pytest

from extractor.export import result_facts
from textlayouts import display_width, run_text

TITLE = "表5 示范县水利局2025年一般公共预算基本支出表"
GROUPS = ("人员经费", "公用经费")
LEAVES = ("科目编码", "科目名称", "金额")
LEFT = [("301", "工资福利支出", "412.40"), ("30101", "基本工资", "180.00"), ("30102", "津贴补贴", "132.40"),
        ("30107", "绩效工资", "100.00"), ("303", "对个人和家庭的补助", "21.60"), ("30305", "生活补助", "21.60")]
RIGHT = [("302", "商品和服务支出", "63.20"), ("30201", "办公费", "12.00"), ("30205", "水费", "3.20"),
         ("30213", "维修（护）费", "8.00"), ("30226", "劳务费", "30.00"), ("30229", "福利费", "10.00"),
         ("310", "资本性支出", "6.00"), ("31002", "办公设备购置", "6.00")]
TOTALS = (("", "人员经费合计", "434.00"), ("", "公用经费合计", "69.20"))


def _grid(left=LEFT, right=RIGHT, totals=TOTALS) -> list[list[str]]:
    """The table's cells, line by line: the group line, the leaf line, the data lines, the total line."""
    rows = [[GROUPS[0], "", "", GROUPS[1], "", ""], [*LEAVES, *LEAVES]]
    for n in range(max(len(left), len(right))):
        a = left[n] if n < len(left) else ("", "", "")
        b = right[n] if n < len(right) else ("", "", "")
        rows.append([*a, *b])
    rows.append([*totals[0], *totals[1]])
    return rows


def _spaced(rows: list[list[str]]) -> list[str]:
    """Codes and names left-aligned, amounts right-aligned, each column as wide as its widest cell plus a gap;
    the group line's words over their groups' first columns."""
    widths = [max(display_width(r[i]) for r in rows) + 3 for i in range(6)]
    out = []
    for r in rows:
        line = ""
        for i, cell in enumerate(r):
            pad = " " * (widths[i] - display_width(cell))
            line += (pad[:-2] + cell + "  ") if i % 3 == 2 and r is not rows[0] else cell + pad
        out.append(line.rstrip())
    return out


def _text(rows: list[list[str]], form: str) -> str:
    if form == "tab":
        body = ["\t".join(r) for r in rows]
    elif form == "pipe":
        body = ["| " + " | ".join(r) + " |" for r in rows[:2]] + ["|---" * 6 + "|"] \
            + ["| " + " | ".join(r) + " |" for r in rows[2:]]
    else:
        body = _spaced(rows)
    return "\n".join(["示范县水利局2025年部门预算", "", TITLE, "单位：万元", "", *body, ""])


def _read(tmp_path, rows: list[list[str]], form: str):
    if form == "xlsx":
        import openpyxl

        from extractor.load import load_document
        from extractor.pipeline import extract_document
        from verify import verify_result

        book = openpyxl.Workbook()
        sheet = book.active
        for r in [[TITLE], ["单位：万元"], *rows]:
            sheet.append(r)
        sheet.merge_cells("A3:C3")
        sheet.merge_cells("D3:F3")
        path = tmp_path / "t.xlsx"
        book.save(path)
        doc = load_document(path)
        return verify_result(extract_document(doc), doc.text)
    return run_text(tmp_path, _text(rows, form))[0]


def _table(result):
    (table,) = [t for t in result.tables if t.kind == "general_budget_basic_expenditure"]
    return table


FORMS = ["tab", "pipe", "spaced", "xlsx"]


@pytest.mark.parametrize("form", FORMS)
def test_each_half_is_a_table_of_its_own_rows(tmp_path, form):
    result = _read(tmp_path, _grid(), form)
    table = _table(result)
    by_code = {r.code: r for r in table.rows if r.code}
    assert set(by_code) == {c for c, _n, _v in LEFT + RIGHT}
    for code, name, value in LEFT:
        assert {k: str(a.value) for k, a in by_code[code].values.items()} == {"personnel": value}
        assert by_code[code].label.text == name
    for code, name, value in RIGHT:
        assert {k: str(a.value) for k, a in by_code[code].values.items()} == {"public": value}
        assert by_code[code].label.text == name
    totals = [r for r in table.rows if r.item == "total"]
    assert [(t.label.text, {k: str(a.value) for k, a in t.values.items()}) for t in totals] == [
        ("人员经费合计", {"personnel": "434.00"}), ("公用经费合计", {"public": "69.20"})]
    # Every amount printed is read once, no code read as an amount; the table adds up, so nothing is flagged.
    values = [str(a.value) for r in table.rows for a in r.values.values()]
    assert sorted(values) == sorted(v for _c, _n, v in LEFT + RIGHT + list(TOTALS))
    assert not result.flags, [f.message for f in result.flags]
    facts = [f for f in result_facts(result) if f["table"] == "general_budget_basic_expenditure"]
    assert all(f["status"] == "verified" for f in facts)


@pytest.mark.parametrize("form", FORMS)
def test_a_fault_in_either_half_is_caught_under_its_own_total(tmp_path, form):
    right = [("30201", "办公费", "13.00") if c == "30201" else (c, n, v) for c, n, v in RIGHT]
    totals = (TOTALS[0], ("", "公用经费合计", "70.20"))
    left = [("30107", "绩效工资", "101.00") if c == "30107" else (c, n, v) for c, n, v in LEFT]
    result = _read(tmp_path, _grid(left, right, totals), form)
    errors = sorted(f.message for f in result.flags if f.severity == "error")
    assert len(errors) == 3, errors
    assert any("302 商品和服务支出 · 公用经费 63.20" in m and "30201 办公费 13.00" in m for m in errors)
    assert any("301 工资福利支出 · 人员经费 412.40" in m and "30107 绩效工资 101.00" in m for m in errors)
    assert any("公用经费合计 · 公用经费 70.20" in m and "各类之和" in m for m in errors)
    # Neither total line is blamed for the other half's column.
    assert not any("为空" in m for m in errors)


def test_lines_that_lost_their_empty_cells_are_cut_before_the_next_halfs_code(tmp_path):
    rows = _grid()
    text = _text(rows, "tab")
    # A converter that drops empty cells: the lines printing one half only, and the total line, lose their blanks.
    dropped = "\n".join("\t".join(c for c in line.split("\t") if c) if "\t" in line and line.split("\t")[0] != "人员经费"
                        else line for line in text.splitlines())
    result = run_text(tmp_path, dropped)[0]
    table = _table(result)
    by_code = {r.code: r for r in table.rows if r.code}
    assert {k: str(a.value) for k, a in by_code["30201"].values.items()} == {"public": "12.00"}
    assert {k: str(a.value) for k, a in by_code["30107"].values.items()} == {"personnel": "100.00"}
    assert [t.label.text for t in table.rows if t.item == "total"] == ["人员经费合计", "公用经费合计"]
    assert not [f for f in result.flags if f.severity == "error"], [f.message for f in result.flags]


def test_one_table_with_a_code_and_name_column_is_not_cut(tmp_path):
    """A header whose leaves do not repeat across its width is one table, as before."""
    text = "\n".join(["示范县水利局2025年部门预算", "", TITLE, "单位：万元", "",
                      "科目编码\t科目名称\t合计\t人员经费\t公用经费",
                      "301\t工资福利支出\t412.40\t412.40\t", "30101\t基本工资\t412.40\t412.40\t",
                      "302\t商品和服务支出\t63.20\t\t63.20", "30201\t办公费\t63.20\t\t63.20",
                      "\t合计\t475.60\t412.40\t63.20", ""])
    result = run_text(tmp_path, text)[0]
    table = _table(result)
    assert [r.code for r in table.rows if r.code] == ["301", "30101", "302", "30201"]
    assert not result.flags


@pytest.mark.parametrize("form", ["tab", "spaced"])
def test_halves_with_no_group_header_keep_a_column_each(tmp_path, form):
    """科目编码 | 科目名称 | 金额 twice with no 人员经费 | 公用经费 line over them: each table's amounts are a column of
    their own (金额#1, 金额#2), each checked under its own total line, neither taken for the other's."""
    rows = _grid()[1:]
    result = _read(tmp_path, rows, form)
    table = _table(result)
    by_code = {r.code: r for r in table.rows if r.code}
    assert {k: str(a.value) for k, a in by_code["30101"].values.items()} == {"金额#1": "180.00"}
    assert {k: str(a.value) for k, a in by_code["30201"].values.items()} == {"金额#2": "12.00"}
    assert not result.flags, [f.message for f in result.flags]
    faulty = [r[:5] + ["13.00"] if r[3] == "30201" else r for r in rows]
    errors = [f.message for f in _read(tmp_path, faulty, form).flags if f.severity == "error"]
    assert len(errors) == 1 and "302 商品和服务支出" in errors[0] and "30201 办公费 13.00" in errors[0], errors
