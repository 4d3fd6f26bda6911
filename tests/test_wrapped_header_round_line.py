"""``pdftotext -layout``: a header cell that wraps round another column's line keeps its whole word.

A wide table's header prints a cell too wide for its column on two lines ("公用经" / "费"); the full-height
cells beside it (科目名称, 合计) are centred in the tall header row, on a line between the two pieces. The
lower piece stands a column or so off the figures (pdftotext gives each character one column), over none of
them: it is still the rest of the word two lines up, never a column of its own, whatever the word is.

The documents are built here: each word placed at the character column pdftotext prints it at.
"""

from __future__ import annotations

from decimal import Decimal

from conftest import read_generated


def _line(*words: tuple[int, str]) -> str:
    """Words at character columns (one column per character, as ``pdftotext -layout`` prints)."""
    out = ""
    for x, word in words:
        out += " " * max(1 if out else 0, x - len(out)) + word
    return out


def _basic_table(left: str, right: str, rows: list[tuple[str, str, str, str, str]]) -> str:
    """表5 with its 人员经费 and its second column (``left`` + ``right``: the pieces of a word that wrapped)."""
    lines = ["表5 一般公共预算财政拨款基本支出表", "编制单位：某市交通运输局 单位：万元",
             _line((0, "经济分类科目编"), (97, "人员经"), (114, left)),
             _line((39, "经济分类科目名称"), (87, "合计")),
             _line((3, "码"), (98, "费"), (115, right))]
    for code, name, total, personnel, public in rows:
        words = [(0, code), (15, name), (90 - len(total), total)]
        words += [(104 - len(personnel), personnel)] if personnel else []
        words += [(115 - len(public), public)] if public else []
        lines.append(_line(*words))
    return "\n".join(lines) + "\n"


ROWS = [("", "合计", "1313.35", "1252.07", "61.28"),
        ("301", "工资福利支出", "1217.07", "1217.07", ""),
        ("30101", "基本工资", "420.00", "420.00", ""),
        ("30199", "其他工资福利支出", "797.07", "797.07", ""),
        ("302", "商品和服务支出", "61.28", "", "61.28"),
        ("30201", "办公费", "20.00", "", "20.00"),
        ("30211", "差旅费", "41.28", "", "41.28"),
        ("303", "对个人和家庭的补助", "35.00", "35.00", ""),
        ("30302", "退休费", "35.00", "35.00", "")]


def _read(text: str):
    result = read_generated(text, "wrapped_round")
    [table] = [t for t in result.tables if t.title.startswith("表5")]
    return result, table


def _values(table, key: str) -> dict[str, Decimal]:
    return {r.label.text: r.values[key].value for r in table.rows if key in r.values}


def test_wrapped_public_cell_keeps_its_key():
    result, table = _read(_basic_table("公用经", "费", ROWS))
    assert table.columns == {"total": "合计", "personnel": "人员经费", "public": "公用经费"}
    assert _values(table, "public") == {"合计": Decimal("61.28"), "商品和服务支出": Decimal("61.28"),
                                        "办公费": Decimal("20.00"), "差旅费": Decimal("41.28")}
    assert _values(table, "personnel")["工资福利支出"] == Decimal("1217.07")
    assert {r.code for r in table.rows} >= {"301", "30101", "302", "30211"}
    assert not result.flags, [f.message for f in result.flags]


def test_any_word_wrapped_so_is_joined():
    # The same wrap at another character: 公用 / 经费 (the lower piece two characters, off the figures).
    _result, table = _read(_basic_table("公用", "经费", ROWS))
    assert table.columns == {"total": "合计", "personnel": "人员经费", "public": "公用经费"}
    assert _values(table, "public")["差旅费"] == Decimal("41.28")
