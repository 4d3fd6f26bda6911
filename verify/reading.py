"""Flags about the reading itself: numbers whose column is uncertain, cells that are not numbers, numbers with no header,
figures printed on a card that no field took.

None of these says the document is wrong; each says where a person should look
because the reader could not be sure, instead of guessing silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemas import PerformanceCard, Reading, Row, Text, spec_for
from schemas.tables import this_year_named, years_named
from schemas.cards import glued

from .flags import Flagger, fmt
from .values import TableView, card_name


def check_readings(views: list[TableView], flagger: Flagger) -> None:
    for view in views:
        garbled = _garbled_columns(view)
        keyed = _code_keyed(view)
        for n, (key, row) in enumerate(view.rows, 1):
            if row.alternatives:
                _ambiguous(view, key, row, flagger)
            if garbled:
                _under_garbled_header(view, key, garbled, flagger)
            for col, text in row.unparsed.items():
                _unparsed(view, key, row, col, text, flagger)
            if keyed and _unidentified(row):
                vals = list(view.row_vals(key).values())
                flagger.add("read.unidentified", "warning",
                            f"{view.zh} 第 {n} 行: 科目编码和名称都没有读到，"
                            f"本行 {len(vals)} 个数值无法与其他行核对",
                            f"{view.name} line {n}: neither the code nor the name of "
                            f"this row was read; its {len(vals)} value(s) cannot be checked against other lines",
                            vals, key=f"{view.name}[{key}]")
            for col, val in view.row_vals(key).items():
                if col.startswith("列"):
                    flagger.add("read.unplaced", "warning",
                                f"{val.where}: 数值 {fmt(val.value)} 不在任何表头之下，保存为“{col}”",
                                f"{val.en_where}: the value {fmt(val.value)} sits under no header; kept as {col}",
                                [val], found=val.value)


# Words that head a classification's code or name column (科目编码, 科目名称, 功能分类科目): an amount column whose header
# path holds one was put together from header pieces that do not stand over the figures. (序号 and other names
# over amounts are left alone: a wrapped header may lay them over a column whose figures are where they belong.)
_CODE_OR_NAME_WORD = re.compile(r"科目编码|科目名称|分类科目|^编码$|^代码$|^科目$")


def _garbled_columns(view: TableView) -> dict[str, str]:
    """Amount columns named by a header path with a code or name header's word in it ("功能分类科目/项目支/人员经",
    "项目支/科目名称/出出", "部门预算支出经济分类科目"): text whose header lines do not line up with the figures
    (PyMuPDF's sorted text, layout text of a browser's print) laid pieces of header cells over columns of figures."""
    spec = spec_for(view.table.kind)
    out = {}
    for col, label in view.table.columns.items():
        parts = label.split("/")
        named = [n for n, p in enumerate(parts) if _CODE_OR_NAME_WORD.search(p)]
        if not named or not _amount_column(view, col):
            continue
        # A class group printed over the whole header (一般公共预算基本支出 / 支出部门经济分类科目 / 合计, a merged cell
        # filled rightwards) still ends in a column's own word; pieces around a name (项目支 / 科目名称 / 出出) do not.
        if named[0] == 0 or named[-1] == len(parts) - 1 or not any(c.matches(parts[-1]) for c in spec.columns):
            out[col] = label
    return out


def _amount_column(view: TableView, col: str) -> bool:
    spec = spec_for(view.table.kind)
    return not spec.has_column(col) or spec.column(col).type == "amount"


def _under_garbled_header(view: TableView, key: str, garbled: dict[str, str], flagger: Flagger) -> None:
    """Where some of a table's header does not stand over its figures, none of it does: whatever the sums say, which
    column each figure is in is not known (a consistent shift adds up as well as the truth)."""
    vals = [v for col, v in view.row_vals(key).items() if _amount_column(view, col)]
    if not vals:
        return
    named = "、".join(f"“{label}”" for label in garbled.values())
    flagger.add("read.ambiguous", "warning",
                f"{vals[0].where}: 表头与数字没有对齐：列名 {named} 由错位的表头片段拼成，本表数值所属的列不能确定"
                f"（{'、'.join(fmt(v.value) for v in vals)}）",
                f"{vals[0].en_where}: the header does not line up with the figures: the column name(s) "
                f"{', '.join(garbled.values())} are pieced together from header cells that stand elsewhere; which "
                f"column this table's values belong to is not known",
                vals, key=f"{view.name}[{key}].header")


def check_year_columns(views: list[TableView], year: int | None, flagger: Flagger) -> None:
    """Columns headed with years are read relative to the latest year the header names (2024年 | 2025年 → 上年 |
    本年). When that is not the document's year (a 2024 document whose column says 2023年预算数, or 2026年预算数), the
    column may hold another year's figures: a warning on its values names both years, never a silent 本年."""
    if year is None:
        return
    for view in views:
        labels = view.table.columns
        years = years_named(labels.values())
        if not years:
            continue
        named = this_year_named(labels.values(), years)
        if named is not None and named != year:
            read_as, label_year = "本年", named
        elif named is None and years[-1] >= year:
            read_as, label_year = "上年", years[-1]  # "2024年预算数 | 预算数" in 2024: the dated column is read as 上年
        else:
            continue
        cols = [k for k, label in labels.items() if str(label_year) in label]
        vals = [v for (_k, col), v in view.vals.items() if col in cols]
        printed = "、".join(f"“{labels[c]}”" for c in cols)
        flagger.add("read.year", "warning",
                    f"{view.zh}: 表头 {printed} 写的是 {label_year} 年，而文件是 {year} 年的；"
                    f"该列按表头读作{read_as}，请核对它是否为{read_as}的数",
                    f"{view.name}: the header {', '.join(labels[c] for c in cols)} names {label_year}, the document "
                    f"is {year}'s; the column is read as {'this' if read_as == '本年' else 'last'} year's, check that "
                    f"it is", vals, section_id=view.table.section_id, expected=str(year), found=str(label_year),
                    key=f"{view.name}.year")


def _code_keyed(view: TableView) -> bool:
    """A table whose lines are keyed by their classification codes (功能分类, 经济分类)."""
    return spec_for(view.table.kind).row_key in ("functional", "economic")


def _unidentified(row: Row) -> bool:
    """A line of a code-keyed table (``_code_keyed``) with values but no code, name or fixed-line key: no relation
    can place it, so nothing would ever check its figures."""
    return bool(row.values) and not (row.code or row.label or row.item or row.memo)


# How ``verify.choose`` marks a reading that moves figures away from the header they are printed under (where
# no relation questions them) only because the sums then hold: named beside the printed reading, never chosen.
UNPROVEN_MOVE = "figures moved from under the header they are printed under, to columns where the sums hold"
# ... and one that takes a row's total from under its 合计 header, leaving it blank: the row's sum is then not
# checked at all, which is not the same as holding.
EMPTIED_TOTAL = "figures moved from under the header they are printed under, leaving their row's total blank"
NAMED_ONLY = (UNPROVEN_MOVE, EMPTIED_TOTAL)


def _ambiguous(view: TableView, key: str, row: Row, flagger: Flagger) -> None:
    if all(alt.how in NAMED_ONLY for alt in row.alternatives):
        _unproven_move(view, key, row, flagger)
        return
    chosen = view.row_vals(key)
    moved = sorted({col for alt in row.alternatives for col in _placement_changes(row, alt)} & set(chosen))
    vals = [chosen[c] for c in moved] or list(chosen.values())
    if not vals:
        return
    where = vals[0].where
    readings_zh = "；".join(_describe(view, alt) for alt in row.alternatives[:4])
    more = f" 等 {len(row.alternatives)} 种" if len(row.alternatives) > 4 else ""
    flagger.add("read.ambiguous", "warning",
                f"{where}: 数值所属的列不能确定。所取读法：{_describe(view, Reading(values=row.values))}；"
                f"同样通过校验的其他读法：{readings_zh}{more}",
                f"{vals[0].en_where}: which column these values belong to is uncertain. Kept: "
                f"{_describe(view, Reading(values=row.values), en=True)}; other readings that verify as well: "
                + "; ".join(_describe(view, alt, en=True) for alt in row.alternatives[:4])
                + (f" and {len(row.alternatives) - 4} more" if len(row.alternatives) > 4 else ""),
                vals, key=f"{view.name}[{key}]")


def _unproven_move(view: TableView, key: str, row: Row, flagger: Flagger) -> None:
    chosen = view.row_vals(key)
    moved = sorted({col for alt in row.alternatives for col in _placement_changes(row, alt)} & set(chosen))
    vals = [chosen[c] for c in moved] or list(chosen.values())
    if not vals:
        return
    alt = row.alternatives[0]
    why_zh, why_en = ("此读法下本行合计为空，合计关系无从核对，并非相符", "that way the row's total is blank, so its sum is not "
                      "checked at all, which is not holding") if alt.how == EMPTIED_TOTAL else \
        ("此读法下合计相符，但只因该数与本行另一数相同", "the sums hold that way only because the figure repeats another of its row")
    flagger.add("read.ambiguous", "warning",
                f"{vals[0].where}: 数值按其所在表头读取：{_describe(view, Reading(values=row.values))}；"
                f"若转换时漏排了空单元格或表头错位，则应为：{_describe(view, alt)}（{why_zh}，表头位置不支持，未采用）",
                f"{vals[0].en_where}: values read under the headers they are printed under: "
                f"{_describe(view, Reading(values=row.values), en=True)}; if the converter dropped empty cells or shifted the "
                f"header they would be {_describe(view, alt, en=True)} ({why_en}, and the printed positions do not say so; "
                f"not taken)",
                vals, key=f"{view.name}[{key}]")


def _placement_changes(row: Row, alt: Reading) -> set[str]:
    chosen = {a.span: col for col, a in row.values.items()}
    other = {a.span: col for col, a in alt.values.items()}
    return {chosen[s] for s in chosen if other.get(s) != chosen[s]}


def _describe(view: TableView, reading: Reading, en: bool = False) -> str:
    spec_zh = view.table.columns
    items = sorted(reading.values.items(), key=lambda kv: kv[1].span)
    if en:
        return ", ".join(f"{fmt(a.value)} → {col}" for col, a in items)
    return "，".join(f"{fmt(a.value)} → {spec_zh.get(col, col)}" for col, a in items)


def _unparsed(view: TableView, key: str, row: Row, col: str, text: Text, flagger: Flagger) -> None:
    label = view.labels.get(key, "")
    where = f"{view.zh} {row.code or ''} {label}".replace("  ", " ").strip()
    what = view.table.columns.get(col, col)
    flagger.add("read.unparsed", "error",
                f"{where} · {what}: 单元格“{text.text}”不是可识别的数字，未能读取",
                f"{view.name} {key} {col}: the cell {text.text!r} is not a number this reader recognises; not read",
                [], spans=[text.span], section_id=view.table.section_id, key=f"{view.name}[{key}].{col}",
                found=text.text)


def check_card_readings(cards: list[PerformanceCard], text: str, flagger: Flagger) -> None:
    """Every figure printed on a card that no field took: the ones its reader listed, and the ones the verifier finds
    itself in the card's lines, whatever reader filled it (a model's answer lists none)."""
    for card in cards:
        found = {t.span: t for t in card.untaken_figures(_card_lines(text, card.span))}
        for t in (*card.unparsed, *_unread_target_numbers(card, text)):
            found.setdefault(t.span, t)
        _card_columns(card, flagger)
        seen: dict[str, int] = {}
        for span in sorted(found):
            t = found[span]
            seen[t.text] = seen.get(t.text, 0) + 1
            _card_unparsed(card, t, _cell_around(text, t.span), seen[t.text], flagger)


# A number in a target's words that is a quantity (90%-95%, 3-5天, 较上年增长10%, 1:1: followed by a unit, a range's dash or
# a ratio's colon), not a date or an ordinal (12月31日前, 2025年12月底前, 第3季度), nor a number glued to words the
# reader cannot tell the sense of (1按时完成): a figure of the target, though none of its fields took it.
_TARGET_NUMBER = re.compile(r"(?<![\d.])(?<!第)\d+(?:[.,]\d+)*(?![\d.])(?=\s*(?:$|[-－—~～至:：/%％‰]|[个人次户家套份项场条天"
                            r"辆台批元万千亿分钟小时平方米笔件所篇册期吨株棵头只张座间校班宗卷页幅块组队支种课节例床轮栋幢箱盒瓶剂袋届段顷亩站根架]))")


# A target as a cell prints it, not a sentence describing it (合同签订后，支付70%预付款，…: words, whose figures are not
# the target's).
_TARGET_CELL = re.compile(r"^[^，。；;,]{1,24}$")


def _unread_target_numbers(card: PerformanceCard, text: str) -> list[Text]:
    """The quantities printed in the targets a reader kept as words only (no value read; a comparator with no number is
    flagged as such by the card's checks): a printed number is never dropped silently."""
    out = []
    for ind in card.indicators:
        if ind.value is not None or ind.comparator is not None or ind.target is None \
                or not _TARGET_CELL.match(ind.target.text):
            continue
        for a, b in ind.target.parts:
            out += [Text(text=m.group(), span=(a + m.start(), a + m.end()))
                    for m in _TARGET_NUMBER.finditer(text[a:b])]
    return out


def _card_columns(card: PerformanceCard, flagger: Flagger) -> None:
    """A column of the card's indicators the reader does not know: its cells are kept as printed, never dropped, and a
    person is told (once per column) that nothing in them was read or checked."""
    by_column: dict[str, list[Text]] = {}
    for item in (*card.indicators, *card.tasks):
        for header, text in item.other.items():
            by_column.setdefault(header, []).append(text)
    if not by_column:
        return  # (most cards: their name is not needed)
    name = card_name(card)
    for header, texts in by_column.items():
        flagger.add("read.card_column", "warning",
                    f"绩效目标表 {name}: 栏目“{header}”不是可识别的栏目，其中 {len(texts)} 个单元格按原样保存，未作校验",
                    f"card {name}: the column {header!r} is not one this reader knows; its {len(texts)} cell(s) are "
                    "kept as printed and not checked", [], spans=[t.span for t in texts], section_id=card.section_id,
                    key=f"{card.kind}[{card.section_id}].other[{header}]", found=texts[0].text)


def _card_unparsed(card: PerformanceCard, t: Text, cell: str, nth: int, flagger: Flagger) -> None:
    name = card_name(card)
    two = glued(t.text)
    flagger.add("read.unparsed", "error",
                f"绩效目标表 {name}: 印出的数字“{t.text}”" + (f"（在“{cell}”中）" if cell != t.text else "")
                + "没有读入任何字段" + ("（有两个小数点：两个数连在了一起，未能读取）" if two else ""),
                f"card {name}: the printed number {t.text!r}" + (f" (in {cell!r})" if cell != t.text else "")
                + " was read into no field" + (" (two decimal points: two amounts run together; not read)" if two else ""),
                [], spans=[t.span], section_id=card.section_id,
                key=f"{card.kind}[{card.section_id}].unparsed[{t.text}#{nth}]", found=t.text)


_CELL_EDGE = re.compile(r"\t|\||\n|\s{2,}|\u3000")


def _cell_around(text: str, span: tuple[int, int]) -> str:
    """The printed cell a number stands in (up to a tab, a pipe, a line's end or a gap of spaces), cut to 40 characters."""
    lo = max(0, span[0] - 40)
    before = _CELL_EDGE.split(text[lo:span[0]])[-1]
    after = _CELL_EDGE.split(text[span[1]:span[1] + 40])[0]
    return (before + text[span[0]:span[1]] + after).strip()


_PAGE_NUMBER = re.compile(r"\s*\d{1,4}\s*")
# A browser's running header or footer printed between a card's rows (a web page printed, then turned into text):
# the address or the date and time, with the page counter or the page's title beside it. Page furniture, never a
# figure of the card.
_BROWSER_LINE = re.compile(r"\s*(?:(?:file|https?)://\S+|\d{4}[/\-.]\d{1,2}[/\-.]\d{1,2},?(?:\s+\d{1,2}:\d{2})?"
                           r"|\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?)"
                           r"(?:(?:\s{2,}|\t)+(?:\d{1,4}\s*/\s*\d{1,4}|[^\d\t]*(?:(?:19|20)\d\d[^\d\t]*)?))?\s*")

_ADDRESS_FIRST = ("f", "h")


def _card_lines(text: str, span: tuple[int, int]) -> Iterator[tuple[int, str]]:
    """The card's lines, each with its offset, less a page's number (a number alone on a line next to a page break)
    and a browser's header or footer."""
    start, end = span
    pos = start
    for line in text[start:end].split("\n"):
        # (Both patterns begin with the spaces before a printed character: matched from that character, they are not
        # tried again at every one of a space-aligned line's leading spaces. And both go on with a digit or a browser's
        # address (file:, http:): a line printing anything else first is no furniture, and not matched at all.)
        printed = line.lstrip()
        furniture = (printed[:1].isdigit() or printed[:1] in _ADDRESS_FIRST) and (
            (_PAGE_NUMBER.fullmatch(printed) and _at_page_break(text, pos, pos + len(line)))
            or _BROWSER_LINE.fullmatch(printed))
        if not furniture:
            yield pos, line
        pos += len(line) + 1


def _at_page_break(text: str, start: int, end: int) -> bool:
    """A form feed between the line and the nearest printed character above it or below it."""
    above = text[:start].rstrip(" \t\r\n\x0c")
    below = text[end:]
    return "\x0c" in text[len(above):start] or "\x0c" in below[:len(below) - len(below.lstrip(" \t\r\n\x0c"))]
