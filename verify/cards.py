"""Performance-target cards: budget parts, spending plans, cost indicators, numeric targets."""

from __future__ import annotations

import re
from decimal import Decimal

from schemas import Amount, PerformanceCard
from schemas.cards import run_on_unit

from .flags import Flagger, fmt
from .tolerance import Term, exceeds, printed_places, sum_gap
from .values import TO_WAN, Val, card_name, card_vals

# A cost's unit, as a factor to 万元: the money units, and the bare 万 / 亿 a cost prints for 万元 / 亿元 (≤2000万).
_COST_TO_WAN = {**TO_WAN, "万": Decimal(1), "亿": Decimal(10000)}
_HUNDRED = Decimal(100)


def _val(card: PerformanceCard, where: str, path: str, what: str, amount: Amount, unit: str = "") -> Val:
    """A figure of the card (a spending step, an indicator's value) in its own ``unit`` (not the card's budget's)."""
    return Val(path=f"{card.kind}[{card.section_id}].{path}", where=where, what=what,
               amount=amount, places=printed_places(amount.value), section_id=card.section_id,
               en_where=f"card {card_name(card)}", en_what=path, unit=unit)


def check_card(card: PerformanceCard, flagger: Flagger) -> None:
    name = card_name(card)
    vals = card_vals(card)
    check_budget(vals, flagger)
    check_spending_plan(card, f"绩效目标表 {name}", flagger)
    check_tasks(card, vals, flagger)
    check_cost_indicators(card, vals, f"绩效目标表 {name}", flagger)
    check_numeric_targets(card, name, flagger)
    check_units(card, name, flagger)
    check_name_rests(card, name, flagger)
    check_weights(card, f"绩效目标表 {name}", flagger)


def check_budget(vals: dict[str, Val], flagger: Flagger) -> None:
    """预算数 = 财政资金 + 上年结转 + 其他资金, the fiscal money given as one line or as its sources (一般公共预算 +
    政府性基金预算 …); where it prints both, 财政资金 = Σ its sources (a 其中 breakdown)."""
    total, fiscal = vals.get("budget.total"), vals.get("budget.fiscal")
    sources = [v for k, v in vals.items() if k.startswith("budget.sources[")]
    if fiscal is not None and sources:
        gap = sum_gap(fiscal.term, [s.term for s in sources])
        if gap is not None:
            flagger.sum_mismatch("card.budget", fiscal.where, fiscal.en_where, fiscal, sources, gap)
    parts = [v for k, v in vals.items() if k in ("budget.carryover", "budget.other")]
    parts = ([fiscal] if fiscal is not None else sources) + parts
    if total is None or not parts:
        return
    gap = sum_gap(total.term, [p.term for p in parts])
    if gap is not None:
        flagger.sum_mismatch("card.budget", total.where, total.en_where, total, parts, gap)


def check_spending_plan(card: PerformanceCard, where: str, flagger: Flagger) -> None:
    """Cumulative percentages never decrease and end at 100%; the shares of a plan by period add up to 100%."""
    if card.spending_plan and not any(s.cumulative for s in card.spending_plan):
        _check_plan_by_period(card, where, flagger)
        return
    values = [s.percent.value for s in card.spending_plan]
    if not values or (values[-1] == _HUNDRED and all(a <= b for a, b in zip(values, values[1:]))):
        return  # the common case, told with no rounding: no step falls, and the plan ends at 100%
    terms = [Term.printed(v) for v in values]
    falls = [i for i in range(1, len(terms)) if exceeds(terms[i - 1], terms[i]) is not None]
    short = bool(terms) and sum_gap(terms[-1], [Term(_HUNDRED, Decimal(0))]) is not None
    if not falls and not short:
        return  # the common case: no need to name anything
    steps = [_val(card, where, f"spending_plan[{i}]", s.period, s.percent, "%")
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


def _check_plan_by_period(card: PerformanceCard, where: str, flagger: Flagger) -> None:
    """A plan by period (1-3月 25%, 4-6月 25% …): each period's share, together 100%."""
    terms = [Term.printed(s.percent.value) for s in card.spending_plan]
    gap = sum_gap(Term(_HUNDRED, Decimal(0)), terms)
    if gap is None:
        return
    steps = [_val(card, where, f"spending_plan[{i}]", s.period, s.percent, "%") for i, s in enumerate(card.spending_plan)]
    total = sum((s.percent.value for s in card.spending_plan), Decimal(0))
    parts = " + ".join(f"{s.period} {fmt(s.percent.value)}%" for s in card.spending_plan)
    flagger.add("card.spending_plan", "warning",
                f"{where}: 分期资金支出计划合计 {parts} = {fmt(total)}%，不是 100%",
                f"{steps[0].en_where}: the spending plan by period adds up to {fmt(total)}% ({parts}), not 100%",
                steps, expected="100%", found=f"{fmt(total)}%")


_PARTS = ("total", "fiscal", "carryover", "other")
_PART_ZH = {"total": "总额", "fiscal": "财政拨款", "carryover": "上年结转", "other": "其他资金"}


def _task_val(card: PerformanceCard, path: str, what: str, amount: Amount) -> Val:
    name = card_name(card)
    return Val(path=f"{card.kind}[{card.section_id}].{path}", where=f"绩效目标表 {name}", what=what, amount=amount,
               places=printed_places(amount.value), section_id=card.section_id, en_where=f"card {name}",
               en_what=path, unit=card.unit)


def check_tasks(card: PerformanceCard, vals: dict[str, Val], flagger: Flagger) -> None:
    """The task-budget grid: each task's 总额 = 财政拨款 + 上年结转 + 其他资金; each column's 金额合计 = Σ tasks; the
    grid's 金额合计 = the card's own budget, where it prints one."""
    if not card.tasks and card.tasks_total is None:
        return
    rows = []
    for i, task in enumerate(card.tasks):
        label = task.name.text if task.name else f"任务 {i + 1}"
        rows.append({p: _task_val(card, f"tasks[{i}].{p}", f"{label} {_PART_ZH[p]}", a)
                     for p in _PARTS if (a := getattr(task.budget, p)) is not None})
    for row in rows:
        _sum(row.get("total"), [row[p] for p in _PARTS[1:] if p in row], flagger)
    if card.tasks_total is None:
        return
    totals = {p: _task_val(card, f"tasks_total.{p}", f"金额合计 {_PART_ZH[p]}", a)
              for p in _PARTS if (a := getattr(card.tasks_total, p)) is not None}
    _sum(totals.get("total"), [totals[p] for p in _PARTS[1:] if p in totals], flagger)
    for p, total in totals.items():
        _sum(total, [row[p] for row in rows if p in row], flagger)
    if "total" in totals and "budget.total" in vals:
        _sum(vals["budget.total"], [totals["total"]], flagger)


def _sum(total: Val | None, parts: list[Val], flagger: Flagger) -> None:
    if total is None or not parts:
        return
    gap = sum_gap(total.term, [p.term for p in parts])
    if gap is not None:
        flagger.sum_mismatch("card.tasks", total.where, total.en_where, total, parts, gap)


def _cost_in_wan(unit: str | None) -> Decimal | None:
    return _COST_TO_WAN.get((unit or "").strip())


def check_cost_indicators(card: PerformanceCard, vals: dict[str, Val], where: str, flagger: Flagger) -> None:
    """A cost indicator in money (元, 万元, 万, 亿元 …) cannot exceed the card's own budget, compared in 万元 whatever
    unit either prints."""
    total = vals.get("budget.total")
    if total is None:
        return
    budget = total.common
    for i, ind in enumerate(card.indicators):
        if ind.value is None or not ("成本" in (ind.level2 or "") or "成本" in (ind.level1 or "")):
            continue  # (most: no cost, or no figure)
        factor = _cost_in_wan(ind.unit)
        if factor is None:
            continue
        # A target is a limit as stated (≤0.2亿元 is 2000 万元, not anything from 1500 to 2500 万元): exact.
        in_wan = Term(ind.value.value * factor, Decimal(0))
        if exceeds(in_wan, budget) is not None:
            cost = _val(card, where, f"indicators[{i}].value", ind.name.text if ind.name else "成本指标", ind.value,
                        ind.unit or "")
            wan = fmt(in_wan.value.normalize())
            in_budget_wan = "" if total.unit == "万元" else f"（= {fmt(budget.value.normalize())} 万元）"
            shown = f"{fmt(total.value, total.unit)} {total.unit}{in_budget_wan}"
            plain = f"{fmt(total.value)} {total.unit}{in_budget_wan}"  # expected: plain decimals, for programs
            flagger.add("card.cost", "warning",
                        f"{cost.where}: 成本指标“{cost.what}” {fmt(ind.value.value, ind.unit)} {ind.unit}"
                        f"（= {wan} 万元）超过预算数 {shown}",
                        f"{cost.en_where}: cost indicator {fmt(ind.value.value, ind.unit)} {ind.unit} "
                        f"(= {wan} 万元) exceeds the budget {shown}",
                        [cost, total], expected=f"≤ {plain}", found=f"{wan} 万元")


_DIGITS = re.compile(r"\d")


# The checks that flag an indicator itself (no value of its own to name), and what each adds to its key.
INDICATOR_FLAGS = {"card.indicator_value": "", "card.indicator_name": ".name"}


def indicator_key(card: PerformanceCard, i: int) -> str:
    """A flag's key for the card's ``i``-th indicator: its values' path (``performance_target[s40-…].indicators[3]``),
    which the flagger's aliases turn into the card's identity and the indicator's name, as they do its values' paths
    (``verify.values.card_aliases``): a person's decision on the flag follows the indicator, not its place."""
    return f"{card.kind}[{card.section_id}].indicators[{i}]"


def indicator_key_by_place(card: PerformanceCard, i: int) -> str:
    """The key such a flag had before (the card's section and the indicator's place): decisions recorded on it are
    taken up by ``extractor.review.apply.in_terms_of``."""
    return f"{card.section_id}.indicators[{i}]"


def check_numeric_targets(card: PerformanceCard, name: str, flagger: Flagger) -> None:
    """Every indicator has a target, and a target with a comparator carries a number (≥ 90 %, not ≥ 较好, not ≥ 人)."""
    for i, ind in enumerate(card.indicators):
        if ind.value is not None:
            continue
        label = ind.name.text if ind.name else f"indicator {i}"
        key = indicator_key(card, i)
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


def check_units(card: PerformanceCard, name: str, flagger: Flagger) -> None:
    """A figure's unit that is a unit of measure with other words run on after it ("49650000元效果显": 元, then 效果显,
    a piece of the next row's 效果显著) is no unit: the target took words that are not its own, so the figure is
    not verified as read — a person looks at the target."""
    for i, ind in enumerate(card.indicators):
        if ind.value is None or (split := run_on_unit(ind.unit)) is None:
            continue  # (most: no figure, or a unit as printed)
        unit, rest = split
        label = ind.name.text if ind.name else f"indicator {i}"
        target = ind.target.text if ind.target else ""
        value = _val(card, f"绩效目标表 {name}", f"indicators[{i}].value", label, ind.value, ind.unit or "")
        flagger.add("card.indicator_unit", "warning",
                    f"绩效目标表 {name}: 指标“{label}”的单位“{ind.unit}”不是单位：“{unit}”之后的“{rest}”不属于单位"
                    f"（指标值“{target}”，可能混入了另一行的文字）",
                    f"card {card_name(card)}: indicator {label!r}: its unit {ind.unit!r} is no unit: {rest!r} after "
                    f"{unit!r} is not part of one (target {target!r}; words of another row may have run into it)",
                    [value], spans=[ind.target.span] if ind.target else [], section_id=card.section_id,
                    key=indicator_key(card, i) + ".unit", expected=unit, found=ind.unit)


def check_name_rests(card: PerformanceCard, name: str, flagger: Flagger) -> None:
    """A line read as the rest of an indicator's name where the layout allows another reading — an indicator of its own
    whose 指标值 the document left empty: a person decides."""
    for i, ind in enumerate(card.indicators):
        if ind.name_rest is None or ind.name is None:
            continue
        rest, label = ind.name_rest.text, ind.name.text
        flagger.add("card.indicator_name", "warning",
                    f"绩效目标表 {name}: 指标名称“{label}”由两行拼成；第二行“{rest}”也可能是另一个指标（它没有指标值）",
                    f"card {card_name(card)}: the indicator name {label!r} was joined from two lines; the second, "
                    f"{rest!r}, may be an indicator of its own (with no target value)",
                    spans=[ind.name.span], section_id=card.section_id,
                    key=indicator_key(card, i) + INDICATOR_FLAGS["card.indicator_name"], found=label)


def check_weights(card: PerformanceCard, where: str, flagger: Flagger) -> None:
    """Where every indicator prints its weight (权重 / 分值), the weights add up to 100, with the budget's execution
    rate's points where the card prints them (执行率分值). Weights are points as stated,
    not rounded amounts: compared exactly. A card printing weights on some rows only (one per group, in a merged cell)
    is not checked."""
    rows = [(i, ind) for i, ind in enumerate(card.indicators) if ind.name is not None or ind.target is not None]
    if not rows or any(ind.weight is None for _, ind in rows):
        return
    total = sum((ind.weight.value for _, ind in rows), Decimal(0))
    if card.execution_weight is not None:
        total += card.execution_weight.value  # (执行率分值: the points of the budget's execution rate, beside them)
    if total == _HUNDRED:
        return
    weights = [_val(card, where, f"indicators[{i}].weight", ind.name.text if ind.name else f"indicator {i}", ind.weight)
               for i, ind in rows]
    if card.execution_weight is not None:
        weights.append(_val(card, where, "execution_weight", "执行率分值", card.execution_weight))
    flagger.add("card.weights", "warning",
                f"{where}: 各指标权重合计 {fmt(total)}，不是 100",
                f"{weights[0].en_where}: the indicators' weights add up to {fmt(total)}, not 100",
                weights, expected="100", found=fmt(total))
