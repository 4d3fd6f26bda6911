"""Performance-target cards: budget parts, spending plans, cost indicators, numeric targets."""

from __future__ import annotations

import re
from decimal import Decimal

from schemas import Amount, PerformanceCard

from .flags import Flagger, fmt
from .tolerance import Term, exceeds, printed_places, sum_gap
from .values import Val, card_name, card_vals

_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001")}
_HUNDRED = Decimal(100)


def _val(card: PerformanceCard, where: str, path: str, what: str, amount: Amount) -> Val:
    return Val(path=f"{card.kind}[{card.section_id}].{path}", where=where, what=what,
               amount=amount, places=printed_places(amount.value), section_id=card.section_id,
               en_where=f"card {card_name(card)}", en_what=path)


def check_card(card: PerformanceCard, flagger: Flagger) -> None:
    name = card_name(card)
    vals = card_vals(card)
    check_budget(vals, flagger)
    check_spending_plan(card, f"绩效目标表 {name}", flagger)
    check_cost_indicators(card, vals, f"绩效目标表 {name}", flagger)
    check_numeric_targets(card, name, flagger)


def check_budget(vals: dict[str, Val], flagger: Flagger) -> None:
    """预算数 = 财政资金 + 上年结转 + 其他资金."""
    total = vals.get("budget.total")
    parts = [v for k, v in vals.items() if k != "budget.total"]
    if total is None or not parts:
        return
    gap = sum_gap(total.term, [p.term for p in parts])
    if gap is not None:
        flagger.sum_mismatch("card.budget", total.where, total.en_where, total, parts, gap)


def check_spending_plan(card: PerformanceCard, where: str, flagger: Flagger) -> None:
    """Cumulative percentages never decrease and end at 100%."""
    terms = [Term.printed(s.percent.value) for s in card.spending_plan]
    falls = [i for i in range(1, len(terms)) if exceeds(terms[i - 1], terms[i]) is not None]
    short = bool(terms) and sum_gap(terms[-1], [Term(_HUNDRED, Decimal(0))]) is not None
    if not falls and not short:
        return  # the common case: no need to name anything
    steps = [_val(card, where, f"spending_plan[{i}]", s.period, s.percent)
             for i, s in enumerate(card.spending_plan)]
    for i in falls:
        before, after = steps[i - 1], steps[i]
        flagger.add("card.spending_plan", "warning",
                    f"{before.where}: 资金支出计划 {before.what} {before.value}%，到 {after.what} 反而降为 {after.value}%",
                    f"{before.en_where}: spending plan falls from {before.value}% to {after.value}%",
                    [before, after], expected=f"≥ {fmt(before.value)}%", found=f"{fmt(after.value)}%")
    if short:
        last = steps[-1]
        flagger.add("card.spending_plan", "warning",
                    f"{last.where}: 资金支出计划止于 {last.what} 累计 {last.value}%，未达到 100%",
                    f"{last.en_where}: the spending plan ends at {last.value}% ({card.spending_plan[-1].period}), "
                    f"not 100%", steps, expected="100%", found=f"{fmt(last.value)}%")


def _cost_in_wan(unit: str | None) -> Decimal | None:
    return _TO_WAN.get((unit or "").strip())


def check_cost_indicators(card: PerformanceCard, vals: dict[str, Val], where: str, flagger: Flagger) -> None:
    """A cost indicator in 元 or 万元 cannot exceed the card's own budget."""
    total = vals.get("budget.total")
    if total is None:
        return
    for i, ind in enumerate(card.indicators):
        is_cost = "成本" in (ind.level2 or "") or "成本" in (ind.level1 or "")
        factor = _cost_in_wan(ind.unit)
        if not is_cost or ind.value is None or factor is None:
            continue
        cost = _val(card, where, f"indicators[{i}].value", ind.name.text if ind.name else "成本指标", ind.value)
        in_wan = Term(cost.value * factor, cost.term.half * factor)
        if exceeds(in_wan, total.term) is not None:
            wan = fmt(in_wan.value.normalize())
            flagger.add("card.cost", "warning",
                        f"{cost.where}: 成本指标“{cost.what}” {fmt(ind.value.value)} {ind.unit}"
                        f"（= {wan} 万元）超过预算数 {fmt(total.value)} 万元",
                        f"{cost.en_where}: cost indicator {fmt(ind.value.value)} {ind.unit} "
                        f"(= {wan} 万元) exceeds the budget {fmt(total.value)} 万元",
                        [cost, total], expected=f"≤ {fmt(total.value)} 万元", found=f"{wan} 万元")


_DIGITS = re.compile(r"\d")


def check_numeric_targets(card: PerformanceCard, name: str, flagger: Flagger) -> None:
    """Every indicator has a target, and a target with a comparator carries a number (≥ 90 %, not ≥ 较好, not ≥ 人)."""
    for i, ind in enumerate(card.indicators):
        if ind.value is not None:
            continue
        label = ind.name.text if ind.name else f"indicator {i}"
        key = f"{card.section_id}.indicators[{i}]"
        if ind.target is None or not ind.target.text.strip():
            if ind.name is None:
                continue  # no indicator, only a line of the table
            flagger.add("card.indicator_value", "warning",
                        f"绩效目标表 {name}: 指标“{label}”没有指标值",
                        f"card {card_name(card)}: indicator {label!r} has no target value",
                        spans=[ind.name.span], section_id=card.section_id, key=key)
        elif ind.comparator is not None:
            none = not _DIGITS.search(ind.target.text)
            flagger.add("card.indicator_value", "warning",
                        f"绩效目标表 {name}: 指标“{label}”有符号 {ind.comparator} 但"
                        + (f"没有数字（指标值“{ind.target.text}”）" if none else f"指标值“{ind.target.text}”不是数字"),
                        f"card {card_name(card)}: indicator {label!r} has comparator {ind.comparator} but "
                        + (f"no number (its target is {ind.target.text!r})" if none
                           else f"its target {ind.target.text!r} is not a number"),
                        spans=[ind.target.span], section_id=card.section_id, key=key)
