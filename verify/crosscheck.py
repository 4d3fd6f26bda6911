"""--cross-check: where the rules reader and the LLM reader read the same section differently."""

from __future__ import annotations

from schemas import ExtractionResult

from .flags import Flagger, fmt
from .tolerance import printed_places
from .values import Val, card_vals, view_table


def check_cross_readings(result: ExtractionResult, flagger: Flagger) -> None:
    primary = {t.section_id: t for t in result.tables}
    for alt in result.cross_check:
        mine = primary.get(alt.section_id)
        if mine is None:
            continue
        a, b = view_table(mine, mine.kind), view_table(alt, f"{alt.kind}~llm")
        for key in sorted(set(a.vals) | set(b.vals)):
            _compare(flagger, a.vals.get(key), b.vals.get(key), alt.section_id, f"{key[0]}.{key[1]}")
    cards = {c.section_id: c for c in result.cards}
    for alt in result.cross_check_cards:
        mine = cards.get(alt.section_id)
        if mine is None:
            continue
        a, b = card_vals(mine), card_vals(alt)
        for key in sorted(set(a) | set(b)):
            _compare(flagger, a.get(key), b.get(key), alt.section_id, key)


def _compare(flagger: Flagger, rules: Val | None, llm: Val | None, section_id: str, key: str) -> None:
    if rules is not None and llm is not None and rules.value == llm.value \
            and printed_places(rules.value) == printed_places(llm.value):
        return
    shown = [v for v in (rules, llm) if v is not None]
    r = fmt(rules.value) if rules else "（空）"
    m = fmt(llm.value) if llm else "（空）"
    where = shown[0].label
    flagger.add("llm.disagree", "warning", f"{where}: 规则读取 {r}，模型读取 {m}",
                f"{shown[0].en_where} {shown[0].en_what}: rules read {r}, the LLM read {m}",
                shown, expected=r, found=m, section_id=section_id, key=key)
