"""Which row of the project table (项目支出表) a performance card is for, and whether their budgets agree.

A card is matched by its 项目编码 first (where both print one), then by its project name — the same name, or the
name with what cards add to it (a year before it, 项目 / 专项 after it, a bracketed note such as （续建）) — and, when
several rows share the name (two 实施单位 running projects of one name), by its 实施单位 against the row's 项目单位.
A card whose project is in no row, or in several the card cannot tell apart, is said to be so: a warning, never
silence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from schemas import PerformanceCard

from .flags import Flagger
from .values import TableView, Val, card_name, card_vals

_BRACKETS = str.maketrans("（）【】〔〕", "()[][]")


@lru_cache(maxsize=4096)
def _name(s: str) -> str:
    """A project name compared without spaces, full-width punctuation or a numbering, and without the word the card's
    title adds (绩效目标表, 项目)."""
    s = unicodedata.normalize("NFKC", s).translate(_BRACKETS)
    s = re.sub(r"^\d+[、.]", "", re.sub(r"\s+", "", s))
    return re.sub(r"(绩效目标表|绩效目标|项目)$", "", s)


# What a card adds to its project's name: the year before it, a bracketed note after it (（续建）, (2025年)), a word
# naming the kind of money (专项, 资金, 经费).
_YEAR_FIRST = re.compile(r"^(19|20)\d\d年度?")
_NOTE_LAST = re.compile(r"\([^()]{1,12}\)$")
_KIND_LAST = re.compile(r"(专项资金|专项经费|专项|资金|经费)$")


@lru_cache(maxsize=4096)
def _core(s: str) -> str:
    s = _name(s)
    for _ in range(3):
        before = s
        s = _YEAR_FIRST.sub("", s)
        s = _NOTE_LAST.sub("", s)
        s = _KIND_LAST.sub("", s)
        s = re.sub(r"项目$", "", s)
        if s == before:
            break
    return s


def _same_name(a: str, b: str) -> bool:
    a, b = _name(a), _name(b)
    return bool(a) and bool(b) and (a == b or (min(len(a), len(b)) >= 10 and (a.startswith(b) or b.startswith(a))))


def _squash(s: str) -> str:
    return "".join(s.split())


def _text_of(view: TableView, key: str, column: str) -> str | None:
    row = next((r for k, r in view.rows if k == key), None)
    text = row.texts.get(column) if row is not None else None
    return _squash(text.text) if text is not None else None


def project_rows(card: PerformanceCard, projects: TableView) -> tuple[list[str], str]:
    """The keys of the project table's rows the card is for, and how they were found (code, name, name and unit,
    loose name): one row when the card is matched; several when it cannot tell them apart; none when no row is its."""
    rows = [k for k, row in projects.rows if row.item != "total"]
    code = _squash(card.project_code.text) if card.project_code is not None else ""
    if code:
        by_code = [k for k in rows if _text_of(projects, k, "project_code") == code]
        if by_code:
            return by_code, "code"
    name = card_name(card)
    for how, same in (("name", lambda label: _same_name(label, name)),
                      ("loose name", lambda label: bool(_core(label)) and _core(label) == _core(name))):
        found = [k for k in rows if same(projects.label(k))]
        if found:
            return _by_unit(card, projects, found, how)
    return [], ""


def _by_unit(card: PerformanceCard, projects: TableView, found: list[str], how: str) -> tuple[list[str], str]:
    """Rows of one name told apart by the card's 实施单位 against their 项目单位, where both print one."""
    if len(found) < 2 or card.implementing_unit is None:
        return found, how
    unit = _squash(card.implementing_unit.text)
    same = [k for k in found if _text_of(projects, k, "project_unit") == unit]
    return (same, f"{how} and unit") if same else (found, how)


def check_card_projects(cards: list[PerformanceCard], projects: TableView, flagger: Flagger,
                        equal: Callable[[Flagger, str, Val, Val], None]) -> None:
    """Each card's budget = its project's row (``equal`` compares, in one unit); a card not matched is said so."""
    for card in cards:
        total = card_vals(card).get("budget.total")
        if total is None or card.kind != "performance_target":
            continue
        keys, how = project_rows(card, projects)
        rows = [v for k in keys if (v := projects.get(k, "total")) is not None]
        if len(rows) == 1:
            equal(flagger, "cross.card_budget", total, rows[0])
        elif len(rows) > 1:
            _not_checked(card, total, flagger, f"项目支出表中有 {len(rows)} 行同名项目（{how}），无法确定是哪一行",
                         f"{len(rows)} rows of the project table match it ({how}); which one is not known", rows)
        else:
            _not_checked(card, total, flagger, "项目支出表中没有找到该项目（按项目编码和项目名称）",
                         "no row of the project table is its project (by project code or name)", [])


def _not_checked(card: PerformanceCard, total: Val, flagger: Flagger, zh: str, en: str, rows: list[Val]) -> None:
    name = card_name(card)
    flagger.add("cross.card_project", "warning",
                f"绩效目标表 {name}: {zh}；预算数 {total.value} 未与项目支出表核对",
                f"card {name}: {en}; its budget {total.value} was not checked against the project table",
                [total, *rows], section_id=card.section_id,
                key=f"{card.kind}[{card.section_id}].project")
