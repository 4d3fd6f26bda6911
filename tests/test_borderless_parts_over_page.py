"""A borderless PDF table with its code in 类 | 款 | 项 columns, continued on the next page without its header.

The parent code is not printed again on its children's rows (as merged cells print), so the first row on the
next page may start in the 款 or the 项 column. Written in that page's own columns it would start at the left
edge, where the 类 codes stand, and its code parts fall into the columns of the amounts; written in the first
part's columns it reads as the rest of the table. Generated here (reportlab, borderless), never downloaded.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

# (类, 款, 项, name, total, basic, project): a 类 of many 项 rows, so that the page break falls among them.
ITEMS = [(f"{k:02d}", f"项目{k:02d}支出", Decimal(10 + k), Decimal(k)) for k in range(1, 91)]


def _text() -> str:
    rows = []
    for k, name, basic, project in ITEMS:
        rows.append(("", "", k, name, basic + project, basic, project))
    basic = sum(b for *_x, b, _p in ITEMS)
    project = sum(p for *_x, p in ITEMS)
    lines = ["表4 一般公共预算财政拨款支出表", "编制单位：某市交通运输局    单位：万元", "",
             "科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出",
             "类\t款\t项\t\t\t\t",
             f"\t\t\t合计\t{basic + project:.2f}\t{basic:.2f}\t{project:.2f}",
             f"214\t\t\t交通运输支出\t{basic + project:.2f}\t{basic:.2f}\t{project:.2f}",
             f"\t01\t\t公路水路运输\t{basic + project:.2f}\t{basic:.2f}\t{project:.2f}"]
    for _a, _b, k, name, total, b, p in rows:
        lines.append(f"\t\t{k}\t{name}\t{total:.2f}\t{b:.2f}\t{p:.2f}")
    return "\n".join(lines) + "\n"


def test_rows_continued_on_the_next_page_keep_their_code_parts(tmp_path: Path):
    from extractor.pipeline import run_file
    from pdfdocs import Options, render

    import pdfplumber

    path = render(_text(), tmp_path / "parts.pdf", Options(ruled=False))
    with pdfplumber.open(path) as pdf:  # (the page break falls among the 项 rows: else this tests nothing)
        assert "项目90支出" in pdf.pages[1].extract_text() and "项目01支出" in pdf.pages[0].extract_text()
    result = run_file(path)
    [table] = [t for t in result.tables if t.kind == "general_budget_expenditure"]
    # No column of code parts read as amounts; the 科目编码 over 类 | 款 | 项 heads none of the amounts.
    assert table.columns == {"total": "合计", "basic": "基本支出", "project": "项目支出"}
    rows = {r.code: r for r in table.rows if r.code}
    assert set(rows) == {"214", "21401"} | {f"21401{k}" for k, *_rest in ITEMS}
    for k, _name, basic, project in ITEMS:
        values = rows[f"21401{k}"].values
        assert (values["total"].value, values["basic"].value, values["project"].value) == \
            (basic + project, basic, project), k
    assert not result.flags, [f.message for f in result.flags][:5]
