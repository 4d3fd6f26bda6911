"""A first column headed just 科目 holds the rows' names, with their codes printed in them or not — as budget systems
export them (``[205]教育支出``, ``2050101 行政运行``, ``教育管理事务``). Hand-written documents: a made-up department,
figures made up to add up."""

from __future__ import annotations

import pytest

from conftest import read_generated

HEAD = "红河县示范林业局2024年支出总表\n\n单位：万元\n\n"
SEP = {"tab": "\t", "pipe": " | "}

NAMES_WITH_CODES = [("[205]教育支出", "205", "教育支出", "100.00", "60.00", "40.00"),
                    ("【20501】教育管理事务", "20501", "教育管理事务", "100.00", "60.00", "40.00"),
                    ("2050101 行政运行", "2050101", "行政运行", "60.00", "60.00", ""),
                    ("2050199 其他教育管理事务支出", "2050199", "其他教育管理事务支出", "40.00", "", "40.00")]


def _table(rows: list[tuple[str, ...]], sep: str, header: str = "科目") -> str:
    def line(cells):
        text = sep.join(cells)
        return f"| {text} |" if sep == " | " else text

    body = [line([header, "合计", "基本支出", "项目支出"])]
    if sep == " | ":
        body.append("| --- | --- | --- | --- |")
    body += [line([printed, total, basic, project]) for printed, _c, _n, total, basic, project in rows]
    body.append(line(["合计", "100.00", "60.00", "40.00"]))
    return HEAD + "\n".join(body) + "\n"


@pytest.mark.parametrize("layout", sorted(SEP))
def test_names_with_their_codes_under_kemu_keep_both(layout):
    result = read_generated(_table(NAMES_WITH_CODES, SEP[layout]))
    table = result.tables[0]
    read = [(r.code, r.label.text if r.label else None) for r in table.rows]
    assert read == [(code, name) for _p, code, name, *_ in NAMES_WITH_CODES] + [(None, "合计")]
    assert table.rows[2].values["basic"].raw == "60.00"
    assert not [f for f in result.flags if f.check in ("read.unidentified", "table.hierarchy")]


def test_names_alone_under_kemu_are_the_rows_labels():
    rows = [(f"{'  ' * depth}{name}", "", name, *figures) for depth, (_p, _c, name, *figures)
            in zip((0, 1, 2, 2), NAMES_WITH_CODES)]
    table = read_generated(_table(rows, "\t")).tables[0]
    assert [r.label.text.strip() for r in table.rows] == [name for _p, _c, name, *_ in NAMES_WITH_CODES] + ["合计"]


def test_a_code_column_headed_kemu_beside_a_name_column_stays_codes():
    rows = "\n".join(f"{code}\t{name}\t{total}\t{basic}\t{project}"
                     for _p, code, name, total, basic, project in NAMES_WITH_CODES)
    text = HEAD + "科目\t科目名称\t合计\t基本支出\t项目支出\n" + rows + "\n\t合计\t100.00\t60.00\t40.00\n"
    table = read_generated(text).tables[0]
    assert [(r.code, r.label.text) for r in table.rows][:4] == [(c, n) for _p, c, n, *_ in NAMES_WITH_CODES]
