"""Grounding: every number must be the text at its span, or be found in its section and re-pointed.

This is what makes values from a model or a person safe to use: a number that
is not in the source text never passes silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from schemas import Amount, ExtractionResult, SpanFix, parse_amount

from .flags import Flagger, fmt
from .tolerance import printed_places
from .values import TableView, Val, view_tables


@dataclass
class Slot:
    """Where an amount lives in the result, so a corrected span can be put back."""

    path: str
    where: str
    section_id: str
    section_span: tuple[int, int]
    amount: Amount
    put: Callable[[Amount], None]


def amount_slots(result: ExtractionResult, views: list[TableView] | None = None) -> Iterator[Slot]:
    for view in views if views is not None else view_tables(result):
        table = view.table
        for key, row in view.rows:
            for col, amount in row.values.items():
                yield Slot(f"{view.name}[{key}].{col}", f"{view.zh} {key} {col}", table.section_id, table.span,
                           amount, lambda a, row=row, col=col: row.values.__setitem__(col, a))
    for card in result.cards:
        base, where = f"{card.kind}[{card.section_id}]", f"绩效目标表 {card.section_id}"
        for part in ("total", "fiscal", "carryover", "other"):
            if (amount := getattr(card.budget, part)) is not None:
                yield Slot(f"{base}.budget.{part}", f"{where} budget.{part}", card.section_id, card.span, amount,
                           lambda a, part=part, card=card: setattr(card.budget, part, a))
        for i, step in enumerate(card.spending_plan):
            yield Slot(f"{base}.spending_plan[{i}]", f"{where} {step.period}", card.section_id, card.span,
                       step.percent, lambda a, step=step: setattr(step, "percent", a))
        for i, ind in enumerate(card.indicators):
            if ind.value is not None:
                yield Slot(f"{base}.indicators[{i}].value", f"{where} indicator {i}", card.section_id, card.span,
                           ind.value, lambda a, ind=ind: setattr(ind, "value", a))


def holds(amount: Amount, text: str) -> bool:
    """The text at the amount's parts parses to its value."""
    parts = amount.parts
    if len(parts) == 1:
        s, e = parts[0]
        at = text[s:e] if 0 <= s <= e <= len(text) else None
        # The common case, a plain number at a valid span, skips the general parser.
        if at and at.replace(".", "", 1).isdigit() and at.isascii():
            return Decimal(at) == amount.value
    elif not all(0 <= s <= e <= len(text) for s, e in parts):
        return False
    return parse_amount(amount.source_text(text)) == amount.value


def _pattern(value: Decimal) -> re.Pattern:
    places = printed_places(value)
    body = re.escape(fmt(value))
    if places == 0:
        body += r"(?:\.0+)?"
    return re.compile(rf"(?<![\d.]){body}(?![\d])")


def find_in_section(amount: Amount, text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The occurrence of the value in the section nearest to where it was said to be."""
    start, end = span
    hits = [(m.start() + start, m.end() + start) for m in _pattern(amount.value).finditer(text[start:end])]
    if not hits:
        return None
    near = amount.span[0]
    return min(hits, key=lambda h: abs(h[0] - near))


def ground(result: ExtractionResult, views: list[TableView], text: str, flagger: Flagger) -> list[SpanFix]:
    """Check every amount against the text; re-point or flag the ones that do not hold."""
    # Most amounts hold: test them first and name a slot only for those that do not.
    for amount in _amounts(result, views):
        if amount.backend != "person" and not holds(amount, text):
            break
    else:
        return []
    fixes = []
    for slot in list(amount_slots(result, views)):
        # A person's correction is recorded as such; it is not expected to be printed anywhere.
        if slot.amount.backend == "person" or holds(slot.amount, text):
            continue
        fix = _repair(slot, text, flagger)
        if fix is not None:
            fixes.append(fix)
    return fixes


def _amounts(result: ExtractionResult, views: list[TableView]) -> Iterator[Amount]:
    for view in views:
        for cells in view.by_row.values():
            for val in cells.values():
                yield val.amount
    for card in result.cards:
        yield from (a for a in (card.budget.total, card.budget.fiscal, card.budget.carryover, card.budget.other) if a)
        yield from (step.percent for step in card.spending_plan)
        yield from (ind.value for ind in card.indicators if ind.value is not None)


def _repair(slot: Slot, text: str, flagger: Flagger) -> SpanFix | None:
    found = find_in_section(slot.amount, text, slot.section_span)
    if found is not None:
        slot.put(slot.amount.model_copy(update={"span": found, "parts": [found], "raw": text[found[0]:found[1]]}))
        return SpanFix(path=slot.path, old=slot.amount.span, new=found)
    shown = slot.amount if all(0 <= a <= b <= len(text) for a, b in slot.amount.parts) \
        else slot.amount.model_copy(update={"span": slot.section_span, "parts": [slot.section_span]})
    val = Val(path=slot.path, where=slot.where, what="", amount=shown,
              places=printed_places(slot.amount.value), section_id=slot.section_id, en_where=slot.where)
    flagger.add("ground.not_in_source", "error",
                f"{slot.where}: 数值 {fmt(slot.amount.value)} 在原文的该节中找不到（不在原文中）",
                f"{slot.where}: the value {fmt(slot.amount.value)} is not in the source section (not in source)",
                [val], expected="a number printed in the section", found=slot.amount.value)
    return None
