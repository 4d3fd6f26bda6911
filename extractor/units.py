"""The unit a table states its amounts in (``单位：万元``), in every form templates print it.

``单位：元``, ``单位:元``, ``单位 ：元``, ``（单位：元）``, ``单位（元）``, ``金额单位：人民币元``,
``计量单位：万元``, ``单位：元（人民币）``, ``单位：千元`` … all state a unit. A statement this module
cannot understand (``单位：美元``, ``单位：元/人``) is returned as such, never taken for 万元: the
caller records it and the verifier flags the table's amounts (``read.unit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from schemas import parse_amount

# Money units, longest first so that 万元 is not read as 元.
MONEY_UNITS = ("百万元", "万元", "千元", "亿元", "元")
_MONEY = re.compile("|".join(MONEY_UNITS))
# What a statement may say besides its unit: the currency, brackets, colons.
_DECORATION = re.compile(r"[\s:：()（）【】\[\]〔〕<>《》*]|人民币|币种|RMB|rmb")
# Other units a statement may list beside the money unit (固定资产: 单位：万元、平方米、台).
_OTHER_UNITS = re.compile(r"^(平方米|㎡|m2|台|辆|台辆|台套|套|个|人|人次|项|件|次|户|家|亩|公里|吨|%)$")
_LIST = re.compile(r"[、，,；;]")
# 单位 as the word of a statement: at the start of a field (after a bracket, a pipe or a space, or a prefix
# such as 金额), followed by a colon, a bracket or a space — not 编制单位 / 填报单位 / 单位名称 / 单位资金.
# A justified line spaces its characters out: 单 位：元, 单位：人民币 元, 单位： 万 元.
_STATEMENT = re.compile(
    r"(?:^|(?<=[\s|（(【\[]))(?:金额|计量|货币|资金)?单 ?位(?=\s*[：:（(]|\s+(?:人民币)?\s?[百万千亿]?\s?元)")
# A unit and its decoration at the start of what follows 单位, for a field that goes on after a space.
_LEADING_UNIT = re.compile(r"\s*[：:]?\s*[（(]?\s*(?:人民币)?\s*(?P<unit>百万元|万元|千元|亿元|元)\s*(?:[（(]\s*人民币\s*[)）])?\s*[)）]?")
# 单位（元） — and 单位（个人）缴纳… which is a sentence.
_BRACKETED = re.compile(r"\s*[（(][^（）()]*[)）](?P<after>.*)$")
# A remark in brackets after the unit: 单位：万元（保留两位小数）.
_REMARK = re.compile(r"\s*[（(][^（）()]{1,16}[)）]\s*[)）]?\s*")
# What a statement says is short; a longer field starting with 单位 is a sentence.
_LONGEST_STATEMENT = 12
# A field ends at a tab, a run of spaces or a pipe.
_FIELD_END = re.compile(r"\t|\s{2,}|\|")
# A whole line (or field) that is nothing but a unit statement: page furniture.
STATEMENT_LINE = (r"^\s*[（(【\[]?\s*(?:金额|计量|货币|资金)?单 ?位\s*(?:[：:]|[（(]|\s(?=\s*(?:人民币)?\s?[百万千亿]?\s?元))"
                  r"\s*[^\s：:（）()](?: ?[^\s：:（）()]){0,11}\s*(?:[（(][^（）()]{1,8}[)）])?\s*[)）】\]]?\s*$")


@dataclass(frozen=True)
class UnitStatement:
    """A unit statement as printed: ``text`` at ``start:end`` of the line; ``unit`` None when not understood."""

    text: str
    start: int
    end: int
    unit: str | None


def unit_of(said: str) -> str | None:
    """The money unit that what follows 单位 says (``：人民币元`` → 元), or None when it says something else."""
    body = _DECORATION.sub("", said)
    if body in MONEY_UNITS:
        return body
    parts = [p for p in _LIST.split(body) if p]
    money = [p for p in parts if p in MONEY_UNITS]
    if len(money) == 1 and all(p in MONEY_UNITS or _OTHER_UNITS.match(p) for p in parts):
        return money[0]
    return None


# (Every card and table of a document asks of its unit line, the same few lines: each answer is kept.)
@lru_cache(maxsize=1024)
def find_statement(line: str) -> UnitStatement | None:
    """The first unit statement a line prints, anywhere in it (beside a title or 部门名称：…)."""
    for m in _STATEMENT.finditer(line):
        rest = line[m.end():]
        stop = _FIELD_END.search(rest)
        said = rest[:stop.start()] if stop else rest
        start = m.start()
        # An opening bracket just before 单位 belongs to the statement: （单位：元）.
        while start > 0 and line[start - 1] in "（(【[":
            start -= 1
        text = line[start:m.end() + len(said.rstrip())]
        body = _DECORATION.sub("", said)
        if not body:
            continue  # 单位： with nothing after it (a header cell, a form label)
        bracketed = _BRACKETED.match(said)
        if bracketed and bracketed.group("after").strip(" )）】]"):
            continue  # 单位（个人）缴纳…: words go on after the bracket, a sentence
        if _OTHER_UNITS.match(body) or all(_OTHER_UNITS.match(p) for p in _LIST.split(body) if p):
            continue  # 数量（单位：台）: the unit of a count, not of the table's amounts
        if _names_the_unit(m.group(), body):
            continue  # 单位：白沙镇中心小学 — the organisation (单位 as in 预算单位), beside 金额单位：万元
        unit = unit_of(said)
        if unit is None and (lead := _LEADING_UNIT.match(said)) and (
                lead.end() == len(said) or said[lead.end() - 1].isspace() or said[lead.end()].isspace()
            or _REMARK.fullmatch(said[lead.end():])):
            unit = lead.group("unit")  # 单位：元 部门：… — another field after a single space
            text = line[start:m.end() + lead.end()]
        elif unit is None and len(body) > _LONGEST_STATEMENT:
            continue  # a sentence that begins with 单位（个人）…, not a statement of a unit
        return UnitStatement(text=text.strip(), start=start, end=start + len(text.strip()), unit=unit)
    return None


# What a unit of measure is written with; a body with none of these after a bare 单位 names an organisation.
_MEASURE_CHARS = re.compile(r"[元万千亿百%％$¥￥]|[a-zA-Z]")


def _names_the_unit(word: str, body: str) -> bool:
    """``单位：<name>``: a bare 单位 (not 金额单位 / 计量单位) followed by words with nothing of a unit of measure in
    them is the organisation the table is for (部门汇总, 白沙镇中心小学, 本级), not the unit of its amounts. A
    statement that says a unit we do not know (单位：美元, 单位：元/人) still reaches the caller, to be flagged."""
    return word.replace(" ", "") == "单位" and len(body) >= 2 and not _MEASURE_CHARS.search(body) \
        and not _OTHER_UNITS.match(body)


def mentions_money_unit(text: str) -> bool:
    return bool(_MONEY.search(text))


def statement_in(lines) -> tuple[UnitStatement, int] | None:
    """The first unit statement among ``lines`` (pairs of the line's offset and text), with its offset.

    A header cell wrapped inside its unit ("价值（金额单位：万" / "元）") is read whole: the next lines are
    searched for a cell that begins with the rest of the unit."""
    lines = list(lines)
    for n, (offset, text) in enumerate(lines):
        if "位" not in text:  # 单位, or 单 位 spaced out
            continue
        found = find_statement(text)
        if found is None:
            continue
        if found.unit is None:
            found = _wrapped(found, [t for _o, t in lines[n + 1:n + 4]])
        return found, offset + found.start
    return None


_STATEMENT_LINE = re.compile(STATEMENT_LINE)


def counts_statement_in(lines) -> tuple[UnitStatement, int] | None:
    """A line of its own that states units of counts only (单位：辆、台（套）, 单位：个): the table's figures are
    counts, not money — returned as a statement with no money unit, so that they are flagged, never read as the
    document's 万元. (Inside a header cell, 数量（单位：台）, such a statement is a column's own: not asked here.)"""
    for offset, text in lines:
        if "位" not in text or not _STATEMENT_LINE.match(text):
            continue
        m = _STATEMENT.search(text)
        body = _DECORATION.sub("", text[m.end():]) if m else ""
        if body and all(_OTHER_UNITS.match(p) for p in _LIST.split(body) if p):
            stripped = text.strip()
            start = text.index(stripped)
            return UnitStatement(text=stripped, start=start, end=start + len(stripped), unit=None), offset + start
    return None


_UNIT_HEADS = {"万": "万元", "千": "千元", "亿": "亿元", "百万": "百万元"}
_REST_OF_UNIT = re.compile(r"^\s*元\s*[)）]?\s*$")


def _wrapped(found: UnitStatement, following: list[str]) -> UnitStatement:
    unit = _UNIT_HEADS.get(_DECORATION.sub("", re.split(r"单\s*位", found.text, maxsplit=1)[-1]))
    if unit is None:
        return found
    for text in following:
        if any(_REST_OF_UNIT.match(cell) for cell in re.split(r"\||\t|\s{2,}", text)):
            return UnitStatement(text=found.text, start=found.start, end=found.end, unit=unit)
    return found


# A header cell that carries the unit of its column: 预算数（元）, 金额(万元), 价值（万元）.
_HEADER_UNIT = re.compile(r"[（(]\s*(?:金额)?(?:单位\s*[：:])?\s*(?:人民币)?\s*(?P<unit>百万元|万元|千元|亿元|元)\s*[)）]")


# Where a line's cells end: a pipe, a tab or a run of spaces.
_CELL_GAP = re.compile(r"\||\t|\s{2,}")


def header_units(lines) -> list[tuple[str, int, str]]:
    """The money units the header cells among ``lines`` (offset, text) print in brackets: (unit, offset, text)."""
    out = []
    for offset, text in lines:
        found = list(_HEADER_UNIT.finditer(text))  # most lines print none: their cells need no look
        if not found or any(parse_amount(cell) is not None for cell in _CELL_GAP.split(text) if cell.strip()):
            continue  # a row of figures ("人均经费（元） | 12.00"), not a header
        out.extend((m.group("unit"), offset + m.start(), m.group(0)) for m in found)
    return out
