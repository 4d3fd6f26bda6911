"""A model's filled form → our schemas, each value found again in the section's text.

The model copies numbers as printed; here each one is looked for in the
section, in reading order, and given the span it was found at. A value the
section does not contain keeps the model's string as ``raw`` and an empty
span at the section's start — the verifier then flags it "not in source".
Nothing here decides whether a value is right; that is the verifier's job.
"""

from __future__ import annotations

import re

from schemas import (
    COMPARATORS, Amount, CardBudget, Indicator, PerformanceCard, Row, SpendingStep, Table, Text, parse_amount, spec_for,
)

from ..chunk import Chunk

_TOTAL_LABEL = re.compile(r"(合计|总计|小计)$")


class Finder:
    """Finds printed strings in one section, preferring the first occurrence after the last one found."""

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self.cursor = start

    def _search(self, pattern: re.Pattern) -> re.Match | None:
        return pattern.search(self.text, self.cursor, self.end) or pattern.search(self.text, self.start, self.end)

    def amount(self, printed: str | None) -> Amount | None:
        if printed is None:
            return None
        value = parse_amount(printed)
        if value is None:
            return None
        squashed = re.sub(r"\s+", "", printed)
        # PDF text may break a cell ("159.1 5"): allow whitespace between the printed characters.
        pattern = re.compile(r"(?<![\d.])" + r"\s*".join(map(re.escape, squashed)) + r"(?![\d])")
        m = self._search(pattern)
        if m is None:
            return Amount(value=value, raw=printed, span=(self.start, self.start), backend="llm")
        self.cursor = m.end()
        return Amount(value=value, raw=m.group(), span=(m.start(), m.end()), backend="llm")

    def words(self, printed: str | None) -> Text | None:
        if printed is None or not printed.strip():
            return None
        squashed = re.sub(r"\s+", "", printed)
        m = self._search(re.compile(r"\s*".join(map(re.escape, squashed))))
        if m is None:
            return Text(text=printed.strip(), span=(self.start, self.start), backend="llm")
        self.cursor = m.end()
        return Text(text=m.group(), span=(m.start(), m.end()), backend="llm")


def _row_span(label: Text | None, values: dict[str, Amount], fallback: int) -> tuple[int, int]:
    spans = [s for s in ([label.span] if label else []) + [a.span for a in values.values()] if s[1] > s[0]]
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else (fallback, fallback)


def table_from_form(chunk: Chunk, form, text: str) -> Table:
    spec = spec_for(chunk.kind)
    find = Finder(text, chunk.start, chunk.end)
    rows = []
    for filled in form.rows:
        data = filled.model_dump()
        label = find.words(data.get("label"))
        code = data.get("code")
        code_raw = find.words(code) if code else None
        values, texts = {}, {}
        for col in spec.columns:
            printed = data.get(col.key)
            if col.type == "text":
                if (t := find.words(printed)) is not None:
                    texts[col.key] = t
            elif (a := find.amount(printed)) is not None:
                values[col.key] = a
        name = re.sub(r"\s+", "", label.text) if label else ""
        item = spec.match_item(name) if spec.items and name else None
        if item is None and not code and _TOTAL_LABEL.search(name) and spec.row_key != "two_sided":
            item = "total"
        rows.append(Row(label=label, code=code, code_raw=code_raw, item=item, side=data.get("side"),
                        span=_row_span(label, values, chunk.start), values=values, texts=texts,
                        notes=["read by the LLM reader"]))
    return Table(section_id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span,
                 columns={c.key: c.zh for c in spec.columns if any(c.key in r.values or c.key in r.texts for r in rows)},
                 rows=rows, empty=bool(form.empty) and not rows, note=form.note)


def card_from_form(chunk: Chunk, form, text: str) -> PerformanceCard:
    find = Finder(text, chunk.start, chunk.end)
    card = PerformanceCard(
        section_id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span,
        project_code=find.words(form.project_code), project_name=find.words(form.project_name),
        department=find.words(form.department), implementing_unit=find.words(form.implementing_unit),
        notes=["read by the LLM reader"],
    )
    card.budget = CardBudget(total=find.amount(form.budget_total), fiscal=find.amount(form.budget_fiscal),
                             carryover=find.amount(form.budget_carryover), other=find.amount(form.budget_other))
    for step in form.spending_plan:
        find.words(step.period)
        if (percent := find.amount(step.percent)) is not None:
            card.spending_plan.append(SpendingStep(period=step.period, percent=percent))
    card.goals = [g for g in (find.words(goal) for goal in form.goals) if g is not None]
    for ind in form.indicators:
        name = find.words(ind.name)
        target = find.words(ind.target)
        if target is not None and target.span[1] > target.span[0]:
            find.cursor = target.span[0]  # the number is printed inside the target ("≥430000人")
        value = find.amount(ind.value)
        anchor = target or name
        card.indicators.append(Indicator(
            level1=ind.level1, level2=ind.level2, name=name, target=target,
            comparator=COMPARATORS.get(ind.comparator) if ind.comparator else None, value=value, unit=ind.unit,
            qualitative=ind.target if value is None and ind.target else None,
            span=anchor.span if anchor else (chunk.start, chunk.start),
        ))
    return card
