"""Grounding: every number must be the printed token at its span, in its own row, at its own column's place.

This is what makes values from a model or a person safe to use: a number that
is not printed where the result says it is never passes silently.

The rules, per table:

- a value is grounded by a whole printed token (not the tail of a longer
  number) that parses to it, inside its own row's lines, outside the row's
  label, code and text cells, and inside its table;
- one printed token grounds one value: two values on the same token are both
  in doubt unless the row prints the number again, where one of them is
  re-pointed;
- a row's values, taken in the order their columns are printed
  (``Table.columns``), sit at increasing offsets: a value out of that order is
  misplaced.

A value whose span does not hold it is looked for in its own row and
re-pointed there (``span_fixes``); one printed only elsewhere in its section is
``ground.misplaced``, one printed nowhere in it ``ground.not_in_source``.
Cards follow the same rules with the card as the row (an indicator's value
inside its indicator's lines).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from schemas import Amount, ExtractionResult, PerformanceCard, Row, SpanFix, parse_amount, spec_for
from schemas.cards import BUDGET_LABELS

from .flags import Flagger, fmt
from .tolerance import printed_places
from .values import TableView, Val, card_name, view_tables

Span = tuple[int, int]


@dataclass
class Slot:
    """Where an amount lives in the result, so a corrected span can be put back.

    ``where`` (the value as a person finds it, for messages) is worded only when asked: most slots are looked
    up by path and amount, and naming every value of a document cost more than the lookups."""

    path: str
    section_id: str
    section_span: tuple[int, int]
    amount: Amount
    put: Callable[[Amount], None]
    worded: Callable[[], str] = field(repr=False)

    @property
    def where(self) -> str:
        return self.worded()


def amount_slots(result: ExtractionResult, views: list[TableView] | None = None) -> Iterator[Slot]:
    for view in views if views is not None else view_tables(result):
        table = view.table
        for key, row in view.rows:
            for col, amount in row.values.items():
                yield Slot(f"{view.name}[{key}].{col}", table.section_id, table.span, amount,
                           lambda a, row=row, col=col: row.values.__setitem__(col, a),
                           lambda view=view, key=key, col=col: f"{view.zh} {view.row_zh(key)} · {view.column_zh(col)}")
    for card in result.cards:
        yield from card_slots(card)


def card_slots(card: PerformanceCard) -> Iterator[Slot]:
    base, where = f"{card.kind}[{card.section_id}]", f"绩效目标表 {card_name(card)}"
    for part in ("total", "fiscal", "carryover", "other"):
        if (amount := getattr(card.budget, part)) is not None:
            yield Slot(f"{base}.budget.{part}", card.section_id, card.span, amount,
                       lambda a, part=part, card=card: setattr(card.budget, part, a),
                       lambda part=part: f"{where} budget.{part}")
    for name, amount in card.budget.sources.items():
        yield Slot(f"{base}.budget.sources[{name}]", card.section_id, card.span, amount,
                   lambda a, name=name, card=card: card.budget.sources.__setitem__(name, a),
                   lambda name=name: f"{where} budget.sources[{name}]")
    if card.midterm_budget is not None:
        for part in ("total", "fiscal", "carryover", "other"):
            if (amount := getattr(card.midterm_budget, part)) is not None:
                yield Slot(f"{base}.midterm_budget.{part}", card.section_id, card.span, amount,
                           lambda a, part=part, card=card: setattr(card.midterm_budget, part, a),
                           lambda part=part: f"{where} midterm_budget.{part}")
    for i, step in enumerate(card.spending_plan):
        yield Slot(f"{base}.spending_plan[{i}]", card.section_id, card.span,
                   step.percent, lambda a, step=step: setattr(step, "percent", a),
                   lambda step=step: f"{where} {step.period}")
    if card.execution_weight is not None:
        yield Slot(f"{base}.execution_weight", card.section_id, card.span, card.execution_weight,
                   lambda a, card=card: setattr(card, "execution_weight", a), lambda: f"{where} 执行率分值")
    for i, ind in enumerate(card.indicators):
        if ind.value is not None:
            yield Slot(f"{base}.indicators[{i}].value", card.section_id, card.span, ind.value,
                       lambda a, ind=ind: setattr(ind, "value", a),
                       lambda ind=ind, i=i: f"{where} · {indicator_name(ind, i)}")
        if ind.weight is not None:
            yield Slot(f"{base}.indicators[{i}].weight", card.section_id, card.span, ind.weight,
                       lambda a, ind=ind: setattr(ind, "weight", a),
                       lambda ind=ind, i=i: f"{where} · {indicator_name(ind, i)} 权重")
    grid = [(f"tasks[{i}]", t.budget) for i, t in enumerate(card.tasks)]
    grid += [("tasks_total", card.tasks_total)] if card.tasks_total is not None else []
    for name, budget in grid:
        for part in ("total", "fiscal", "carryover", "other"):
            if (amount := getattr(budget, part)) is not None:
                yield Slot(f"{base}.{name}.{part}", card.section_id, card.span, amount,
                           lambda a, part=part, budget=budget: setattr(budget, part, a),
                           lambda name=name, part=part: f"{where} {name}.{part}")


def indicator_name(ind, i: int) -> str:
    """An indicator as a person reads it: its name (or its number when it has none)."""
    name = "".join(ind.name.text.split()) if ind.name is not None else ""
    return name or f"indicator {i}"


def _indicator_homes(card: PerformanceCard, text: str) -> dict[int, Span]:
    """Where each indicator's value may be printed (by the value's id): the indicator's lines. A model gives no
    place for a value: the flattened text of a card prints it on the indicator's line or the lines after it,
    before the next indicator begins ("奖励数量 获得奖励的乡镇数量 \n\n=3个"), so for a model's value the lines run
    on to the next indicator's — never into a line of the card's budget (a line with a budget label)."""
    homes = {}
    starts = None  # where each indicator starts, in order: asked only for a model's values
    for ind in card.indicators:
        value = ind.value
        if value is None:
            continue
        if value.backend != "llm":
            homes[id(value)] = ind.span
            continue
        if starts is None:
            starts = sorted(other.span[0] for other in card.indicators)
        after = next((s for s in starts if s > ind.span[0]), card.span[1])
        homes[id(value)] = (ind.span[0], max(ind.span[1], _before_budget_line(text, ind.span[1], after)))
    return homes


def _before_budget_line(text: str, start: int, end: int) -> int:
    """``end``, or the start of the first line after the one ``start`` is on that prints a budget label."""
    at = text.find("\n", start, end)
    while at >= 0:
        nxt = text.find("\n", at + 1, end)
        line_end = end if nxt < 0 else nxt
        if any(pattern.search(text, at + 1, line_end) for _, pattern in _LABELS):
            return at + 1
        at = nxt
    return end


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


def whole_token(amount: Amount, text: str) -> bool:
    """Each part is a whole printed token: no digit (or decimal point before a digit) runs on at either end."""
    for s, e in amount.parts:
        if s >= e:
            return False
        if s > 0:
            before = text[s - 1]
            if before.isdigit() or (before in ".," and s > 1 and text[s - 2].isdigit()):
                return False
        if e < len(text):
            after = text[e]
            if after.isdigit() or (after in ".," and e + 1 < len(text) and text[e + 1].isdigit()):
                return False
    return True


def grounded_at(amount: Amount, text: str) -> bool:
    return holds(amount, text) and whole_token(amount, text)


_NUMBER_EDGE = frozenset("0123456789")


def _placed(amount: Amount, text: str, lo: int, hi: int) -> bool:
    """``grounded_at`` and every part inside [lo, hi): the per-value test every document pays, kept lean."""
    parts = amount.parts
    if len(parts) == 1:
        s, e = parts[0]
        if not (lo <= s < e <= hi):
            return False
        at = text[s:e]
        if at.isascii() and at.replace(".", "", 1).isdigit():
            value = amount.value
            # (Most printed numbers spell the value as Decimal does: no need to parse them.)
            if at != str(value) and Decimal(at) != value:
                return False
            # Whole token: a plain ASCII number, so only ASCII neighbours can continue it.
            before = text[s - 1] if s else ""
            after = text[e] if e < len(text) else ""
            if before in _NUMBER_EDGE or after in _NUMBER_EDGE:
                return False
            if (before == "." or before == ",") and s > 1 and text[s - 2].isdigit():
                return False
            if (after == "." or after == ",") and e + 1 < len(text) and text[e + 1].isdigit():
                return False
            return True
    elif not all(lo <= a < b <= hi for a, b in parts):
        return False
    return grounded_at(amount, text)


def _pattern(value: Decimal) -> re.Pattern:
    places = printed_places(value)
    body = re.escape(fmt(value))
    if places == 0:
        body += r"(?:\.0+)?"
    return re.compile(rf"(?<![\d.])(?<!\d,){body}(?![\d]|[.,]\d)")


def find_tokens(value: Decimal, text: str, span: Span) -> list[Span]:
    """Every printed token in ``span`` that reads as ``value``."""
    start, end = max(0, span[0]), min(len(text), span[1])
    if start >= end:
        return []
    return [(m.start(), m.end()) for m in _pattern(value).finditer(text, start, end)]


def find_in_section(amount: Amount, text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The occurrence of the value in ``span`` nearest to where it was said to be."""
    hits = find_tokens(amount.value, text, span)
    if not hits:
        return None
    near = amount.span[0]
    return min(hits, key=lambda h: abs(h[0] - near))


def in_every_lis(offsets: list[int]) -> list[bool]:
    """For each offset: whether it belongs to every longest strictly increasing subsequence.

    A row's values in column order should sit at increasing offsets; the ones
    that some longest in-order reading can do without are the misplaced ones
    (both of two swapped values, the one value moved far away).
    """
    n = len(offsets)
    ending = [1] * n
    for i in range(n):
        for j in range(i):
            if offsets[j] < offsets[i] and ending[j] + 1 > ending[i]:
                ending[i] = ending[j] + 1
    starting = [1] * n
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            if offsets[j] > offsets[i] and starting[j] + 1 > starting[i]:
                starting[i] = starting[j] + 1
    best = max(ending, default=0)
    on_some = [ending[i] + starting[i] - 1 == best for i in range(n)]
    per_length: dict[int, int] = {}
    for i in range(n):
        if on_some[i]:
            per_length[ending[i]] = per_length.get(ending[i], 0) + 1
    return [on_some[i] and per_length[ending[i]] == 1 for i in range(n)]


def ground(result: ExtractionResult, views: list[TableView], text: str, flagger: Flagger) -> list[SpanFix]:
    """Check every amount against the text; re-point within its row or flag the ones that do not hold there."""
    fixes: list[SpanFix] = []
    _unvouched_corrections(result, views, flagger)
    # A value a person moved to the column the document prints it under (``review move``): its column is a
    # person's correction, not the reader's guess, so where it sits in its row is not held against it.
    moved = {c.path for c in result.corrections if c.moved_from}
    for view in views:
        fixes += _ground_table(view, text, flagger, _moved_cells(view, moved) if moved else frozenset())
    for card in result.cards:
        fixes += _ground_card(card, text, flagger)
    return fixes


def _unvouched_corrections(result: ExtractionResult, views: list[TableView], flagger: Flagger) -> None:
    """A value marked ``backend: person`` that no correction of the result records (a hand edit of the file, not a
    review decision): a person's value is valid only with a decision behind it. It is flagged and grounded as any
    value read is, so a number the document does not print there is never taken on its word."""
    if not _any_person_value(result, views):
        return  # the common case: nothing in the result says a person gave it
    recorded = {c.path for c in result.corrections}
    for slot in list(amount_slots(result, views)):
        a = slot.amount
        if a.backend != "person" or slot.path in recorded:
            continue
        read = a.model_copy(update={"backend": "rules"})
        slot.put(read)
        val = Val(path=slot.path, where=slot.where, what=slot.path.rsplit(".", 1)[-1], amount=read,
                  places=printed_places(a.value),
                  section_id=slot.section_id, en_where=slot.where, en_what=slot.path.rsplit(".", 1)[-1])
        flagger.add("ground.unrecorded_correction", "error",
                    f"{slot.where}: 数值 {fmt(a.value)} 标记为人工更正，但复核记录中没有这项决定：按读取的数值核对",
                    f"{slot.where}: the value {fmt(a.value)} is marked as a person's correction, but no review "
                    f"decision records it: it is checked as a value read",
                    [val], expected="a correction recorded by `review fix`", found=a.value)


def _any_person_value(result: ExtractionResult, views: list[TableView]) -> bool:
    for view in views:
        for _, row in view.rows:
            for a in row.values.values():
                if a.backend == "person":
                    return True
    for card in result.cards:
        for a in _card_amounts(card):
            if a.backend == "person":
                return True
    return False


def _card_amounts(card: PerformanceCard) -> list[Amount]:
    """Every amount of a card: the ones ``card_slots`` gives a place, without making the places."""
    return _card_figures(card) + [ind.value for ind in card.indicators if ind.value is not None]


def _card_figures(card: PerformanceCard) -> list[Amount]:
    """The amounts of a card that may be printed anywhere in it: its budget, task budgets, spending plan and
    indicators' weights (an indicator's value belongs in its indicator's lines)."""
    out = []
    for budget in (card.budget, *card.task_budgets()):
        out += [a for a in (budget.total, budget.fiscal, budget.carryover, budget.other) if a is not None]
    out += [step.percent for step in card.spending_plan]
    out += [ind.weight for ind in card.indicators if ind.weight is not None]
    out += [card.execution_weight] if card.execution_weight is not None else []
    return out


# -- tables ------------------------------------------------------------------------------------------------


def _moved_cells(view: TableView, moved: set[str]) -> frozenset[tuple[int, str]]:
    """(row, column) of each of the table's values a person moved there."""
    return frozenset((id(row), col) for key, row in view.rows for col in row.values
                     if f"{view.name}[{key}].{col}" in moved)


def _column_order(view: TableView) -> dict[str, int]:
    """Column key -> print position: ``Table.columns`` is in print order; keys it lacks follow in template order."""
    return _print_order(view.table.kind, tuple(view.table.columns))


@lru_cache(maxsize=1024)
def _print_order(kind: str, printed: tuple[str, ...]) -> dict[str, int]:
    # Cached by header: the same few templates' headers in every document (the dict is only read).
    order = {k: i for i, k in enumerate(printed)}
    n = len(order)
    for i, key in enumerate(spec_for(kind).column_keys):
        order.setdefault(key, n + i)
    return order


def _blocked(row: Row) -> list[Span]:
    """The row's label, code and text cells: a number printed there is not a value."""
    label, code = row.label, row.code_raw
    out = list(label.parts) if label is not None else []
    if code is not None:
        out += code.parts
    for t in row.texts.values():
        out += t.parts
    return out


def _overlaps(parts: list[Span], blocked: list[Span]) -> bool:
    return any(s < be and bs < e for s, e in parts for bs, be in blocked)


def _inside(parts: list[Span], span: Span) -> bool:
    return all(span[0] <= s and e <= span[1] for s, e in parts)


@dataclass
class _Cell:
    key: str
    row: Row
    col: str
    order: int
    ok: bool = True
    moved: bool = False  # a person moved it to this column: its place in the row is not a reason to doubt it


def _clean(view: TableView, text: str, order: dict[str, int]) -> tuple[bool, bool]:
    """(every value of the table placed and in column order with no token claimed twice, any value a model's):
    the common case, cheaply."""
    t0, t1 = view.table.span
    seen: set[int] = set()
    sides = _column_sides(view.table.kind)
    clean, llm = True, False
    for _, row in view.rows:
        values = row.values
        if not values:
            continue
        if not clean:
            llm = llm or _any_llm(values)
            continue
        rs, re_ = row.span
        if not (t0 <= rs <= re_ <= t1) or (row.side and sides and any(sides.get(col, row.side) != row.side
                                                                       for col in values)):
            clean = False
            llm = llm or _any_llm(values)
            continue
        block = _blocked(row)
        # A value wholly before or after everything blocked overlaps none of it (the label comes first).
        block_lo, block_hi = _bounds(block)
        last_order, last_start, sorted_ = -1, -1, True
        for col, amount in values.items():
            backend = amount.backend
            if backend == "person":
                continue
            if backend == "llm":
                llm = True
            start = amount.parts[0][0] if amount.parts else -1
            if start in seen or not _placed(amount, text, rs, re_):
                clean = False
                break
            seen.add(start)
            s0, s1 = amount.span
            if s0 < block_hi and block_lo < s1 and any(bs < s1 and s0 < be for bs, be in block):
                clean = False
                break
            o = order[col]
            if o < last_order:
                sorted_ = False  # the reader's column order is not the printed one: sort below
            elif start <= last_start:
                clean = False
                break
            last_order, last_start = o, start
        if not clean:
            llm = llm or _any_llm(values)  # the values after the one that failed
        elif not sorted_ and not _in_order(row, order):
            clean = False
    return clean, llm


def _bounds(spans: list[Span]) -> Span:
    """From the first start to the last end of ``spans``; (0, 0) for none."""
    if not spans:
        return 0, 0
    lo, hi = spans[0]
    for s, e in spans:
        if s < lo:
            lo = s
        if e > hi:
            hi = e
    return lo, hi


def _any_llm(values: dict[str, Amount]) -> bool:
    return any(a.backend == "llm" for a in values.values())


@lru_cache(maxsize=None)
def _column_sides(kind: str) -> dict[str, str]:
    """The side (income, expenditure) of each column of a two-sided table kind; {} for other kinds."""
    return {c.key: c.side for c in spec_for(kind).columns if c.side}


def _ground_table(view: TableView, text: str, flagger: Flagger,
                  moved: frozenset[tuple[int, str]] = frozenset()) -> list[SpanFix]:
    """``moved``: (row, column) of the values a person moved: still grounded at their characters in their row,
    but not misplaced for their column's place in the row, and not what the other values' places are judged by."""
    table = view.table
    tspan = table.span
    order = _column_order(view)
    clean, llm = _clean(view, text, order)
    clean = clean and not moved
    # A model's values are checked against the cells their column's other values sit in; the rules
    # reader's are placed by the header and the table's arithmetic already.
    slots = _slots(view, text) if llm else {}
    for place in moved:
        slots.pop(place, None)
    expected = _expected_slots(slots) if llm else {}
    strays = _strays(view, slots, expected, order) if llm else {}
    unprinted = _unprinted_columns(view, text) if llm else set()
    if clean and not strays and not unprinted:
        return []
    claims: dict[Span, list[_Cell]] = {}
    cells: list[_Cell] = []
    row_ok: dict[int, bool] = {}
    blocked: dict[int, list[Span]] = {}
    for key, row in view.rows:
        rs, re_ = row.span
        inside_table = tspan[0] <= rs <= re_ <= tspan[1]
        row_ok[id(row)] = inside_table
        block = _blocked(row)
        blocked[id(row)] = block
        for col, amount in row.values.items():
            if amount.backend == "person":
                continue  # a person's correction is recorded as such; it is not expected to be printed anywhere
            cell = _Cell(key, row, col, order[col], moved=(id(row), col) in moved)
            cells.append(cell)
            cell.ok = inside_table and _placed(amount, text, rs, re_) and not (block and _overlaps(amount.parts, block))
            if cell.ok:
                claims.setdefault(amount.parts[0], []).append(cell)
    # One printed token grounds one value: every claimant of a shared token is in doubt until re-pointed.
    shared: dict[int, Span] = {}
    for token, group in list(claims.items()):
        if len(group) > 1:
            del claims[token]
            for c in group:
                c.ok = False
                shared[id(c)] = token
    doubtful = sorted((c for c in cells if not c.ok), key=lambda c: c.order)
    taken = set(claims)
    fixes: list[SpanFix] = []
    misplaced: dict[int, tuple[_Cell, str, str]] = {}
    for c in doubtful:
        amount = c.row.values[c.col]
        fix = _repoint(c, amount, text, taken, blocked[id(c.row)], row_ok[id(c.row)], order, expected)
        if fix is not None:
            c.row.values[c.col] = amount.model_copy(update={"span": fix, "parts": [fix], "raw": text[fix[0]:fix[1]]})
            taken.add(fix)
            c.ok = True
            if fix != tuple(amount.span) or len(amount.parts) != 1:
                fixes.append(SpanFix(path=f"{view.name}[{c.key}].{c.col}", old=amount.span, new=fix))
            continue
        reason = _why_misplaced(c, amount, text, tspan, taken, blocked[id(c.row)], row_ok[id(c.row)])
        if reason is None:
            _not_in_source(view, c, amount, text, flagger)
        else:
            misplaced[id(c)] = (c, *reason)
    # A shared token the row prints too few times: none of its claimants can be told right.
    for c in cells:
        token = shared.get(id(c))
        if c.ok and token is not None and any(shared.get(id(o)) == token and not o.ok for o in cells) \
                and c.row.values[c.col].parts[0] == token:
            c.ok = False
            misplaced[id(c)] = (c, *_ONCE)
    for _, row in view.rows:
        for c, zh, en in _out_of_order(row, [c for c in cells if c.row is row and c.ok and not c.moved], view):
            misplaced.setdefault(id(c), (c, zh, en))
    sides = {c.key: c.side for c in spec_for(table.kind).columns if c.side}
    for c in cells:  # a two-sided table: the income half's figures are not the expenditure half's
        want = sides.get(c.col)
        if want and c.row.side and want != c.row.side and c.ok and not c.moved:
            misplaced.setdefault(id(c), (c, f"“{c.col}”是{_SIDE_ZH[want]}栏的列，本行在{_SIDE_ZH[c.row.side]}栏",
                                         f"{c.col} is a column of the {want} side; this row is on the {c.row.side} side"))
    if unprinted:
        for c in cells:
            if c.ok and not c.moved and c.col in unprinted and c.row.values[c.col].backend == "llm":
                label = spec_for(table.kind).column(c.col).zh
                misplaced.setdefault(id(c), (c, f"本表的表头没有“{label}”这一列",
                                             f"the table's header prints no column {c.col} ({label})"))
    by_place = {(id(c.row), c.col): c for c in cells}
    for (row_id, col), reason in strays.items():
        c = by_place.get((row_id, col))
        if c is not None and c.ok and c.row.values[c.col].parts[0] == reason[2]:
            misplaced.setdefault(id(c), (c, reason[0], reason[1]))
    for c, zh, en in misplaced.values():
        _misplaced(view, c, text, zh, en, flagger)
    return fixes


_SIDE_ZH = {"income": "收入", "expenditure": "支出"}

_ONCE = ("该数字在本行只印了一次，却支撑了不止一个数值（一个印出的数字只能支撑一个数值）",
         "the number is printed once in its row but claimed by more than one value (one printed number grounds "
         "one value)")


def _why_misplaced(c: _Cell, amount: Amount, text: str, tspan: Span, taken: set[Span], block: list[Span],
                   row_ok: bool) -> tuple[str, str] | None:
    """Why a value that could not be re-pointed in its row is not there; None when the section lacks it."""
    if not row_ok:
        return "该行超出其所在表的范围", "its row lies outside its table"
    in_row = find_tokens(amount.value, text, c.row.span)
    if in_row and all(block and _overlaps([t], block) for t in in_row):
        return "这个数只出现在本行的名称或文字中，不是数值单元格", "it appears only in the row's label or text, not as a value"
    if in_row and amount.span[0] == amount.span[1]:
        return ("本行印有这个数，但不在该列的单元格中（读取时未能放到该列的位置）",
                "its row prints it, but not in its column's cell (the reader could not place it there)")
    if in_row:
        return _ONCE
    if find_tokens(amount.value, text, tspan) or grounded_at(amount, text):
        return "本行中没有这个数，它只印在其他位置", "it is not printed in its own row, only elsewhere"
    return None


def _slot(text: str, start: int) -> tuple[tuple[str, int], int] | None:
    """Which cell of its line a token is in: (separator, cells in the line), index — for tab and pipe rows."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", start)
    if le < 0:
        le = len(text)
    if text.find("\t", ls, le) >= 0:
        sep = "\t"
    elif text[ls:le].lstrip().startswith("|"):
        sep = "|"
    else:
        return None  # text without cell separators: the order within the row is what can be checked
    return (sep, text.count(sep, ls, le)), text.count(sep, ls, start)


def _slots(view: TableView, text: str) -> dict[tuple[int, str], tuple[tuple, int, Span, str]]:
    """(row, column) -> (the kind of line, the cell index, the token, its backend) of each value printed in a cell.

    The cell is counted from the row's label when the label is on the value's line (a total line whose label
    spans the code and name cells then lines up with the others), else from the start of the line.
    """
    out = {}
    n = len(text)
    ls = le = -1
    sep = kind = None
    for _, row in view.rows:
        label_at = row.label.parts[-1][0] if row.label and row.label.parts else None
        for col, amount in row.values.items():
            if amount.backend == "person" or not amount.parts:
                continue
            start = amount.parts[0][0]
            if not 0 <= start < n:
                continue
            if not ls <= start < le:  # the values of a row mostly share its line: find it once
                ls = text.rfind("\n", 0, start) + 1
                le = text.find("\n", start)
                if le < 0:
                    le = n
                if text.find("\t", ls, le) >= 0:
                    sep = "\t"
                elif text.startswith("|", ls) or text[ls:le].lstrip().startswith("|"):
                    sep = "|"
                else:
                    sep = None
                kind = (sep, text.count(sep, ls, le)) if sep else None
            if kind is None:
                continue
            index = text.count(sep, ls, start)
            if label_at is not None and ls <= label_at < start:
                out[(id(row), col)] = ((*kind, "from label"), index - text.count(sep, ls, label_at),
                                       amount.parts[0], amount.backend)
            else:
                out[(id(row), col)] = ((*kind, "from line start"), index, amount.parts[0], amount.backend)
    return out


def _expected_slots(slots: dict) -> dict[tuple[str, tuple[str, int]], int]:
    """(column, kind of line) -> the cell its values sit in, where at least three of them agree by ¾ or more.

    Rows of one layout (the same separator and number of cells) print a column in one cell; a row whose
    empty cells were dropped has fewer cells and is judged on its own.
    """
    seen: dict[tuple[str, tuple], list[int]] = {}
    for (_, col), (kind, index, _, _) in slots.items():
        seen.setdefault((col, kind), []).append(index)
    out = {}
    for key, indices in seen.items():
        if len(indices) < 3:
            continue
        top = max(set(indices), key=indices.count)
        if indices.count(top) * 4 >= len(indices) * 3:
            out[key] = top
    return out


def _strays(view: TableView, slots: dict, expected: dict, order: dict[str, int]) -> dict:
    """A model's values printed in another column's cell: off the cell where the column's other values sit,
    or in a column whose cells lie out of the printed order of the columns (two columns swapped throughout)."""
    out: dict[tuple[int, str], tuple[str, str, Span]] = {}
    if not expected:
        return out
    by_kind: dict[tuple[str, int], list[tuple[int, str, int]]] = {}
    for (col, kind), index in expected.items():
        by_kind.setdefault(kind, []).append((order[col], col, index))
    swapped: set[tuple[str, tuple[str, int]]] = set()
    for kind, cols in by_kind.items():
        cols.sort()
        for (_, col, _), ok in zip(cols, in_every_lis([i for _, _, i in cols])):
            if not ok:
                swapped.add((col, kind))
    for (row_id, col), (kind, index, token, backend) in slots.items():
        if backend != "llm":
            continue  # the rules reader places values by the header and the table's arithmetic (verify.choose)
        want = expected.get((col, kind))
        if (col, kind) in swapped:
            out[(row_id, col)] = ("这一列的数值所在的单元格与列的印刷顺序不符",
                                  "this column's values sit in cells out of the printed order of the columns", token)
        elif want is not None and index != want:
            label = view.table.columns.get(col) or col
            out[(row_id, col)] = (f"它印在第 {index} 格，而“{label}”列的其他数值都在第 {want} 格",
                                  f"it is printed in cell {index}, where the other values of its column ({col}) "
                                  f"are in cell {want}", token)
    return out


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _header_text(text: str, start: int, first_row: int) -> str:
    """The lines between a table's title line and its first row, less the lines that say ``name：value`` (unit,
    year, department): what the table's header prints, with the table's furniture's words left out."""
    lines = text[start:first_row].split("\n")[1:]
    return "\n".join(ln for ln in lines if "：" not in ln and ":" not in ln)


def _unprinted_columns(view: TableView, text: str) -> set[str]:
    """The registry columns a model put values in that the table's header (the text above its first row) does
    not name. A table whose header is not printed (or not as words) cannot say; a column keyed by its printed
    header path is named by construction."""
    spec = spec_for(view.table.kind)
    cols = {col for _, row in view.rows for col, a in row.values.items() if a.backend == "llm" and spec.has_column(col)}
    first = min((r.span[0] for _, r in view.rows if r.values), default=None)
    if not cols or first is None:
        return set()
    header = _header_text(text, view.table.span[0], first)
    if len(set(_CJK.findall(header))) < 4:
        return set()
    return {col for col in cols if not any(_named(name, header) for name in _names(spec.column(col)))}


_LITERAL = re.compile(r"\^?([\u4e00-\u9fff]+)\$?")


def _names(col) -> list[str]:
    """A column's name and the other wordings its patterns spell out literally (总计 for 合计)."""
    out = ["".join(_CJK.findall(col.zh))]
    out += [m.group(1) for p in col.patterns if (m := _LITERAL.fullmatch(p))]
    return out


def _named(name: str, header: str) -> bool:
    """Whether the header prints ``name``: more than two thirds of it in at most two pieces, each printed whole
    (a header cell wrapped once: 人员经 / 费). Three scattered pieces (项目 … 预算 … 资金) are not a name."""
    n = len(name)
    pieces = [(i, j) for i in range(n) for j in range(i + 1, n + 1) if name[i:j] in header]
    best = max((j - i for i, j in pieces), default=0)
    for a in pieces:
        for b in pieces:
            if a[1] <= b[0]:
                best = max(best, a[1] - a[0] + b[1] - b[0])
    return 3 * best > 2 * n


def _in_order(row: Row, order: dict[str, int]) -> bool:
    last = -1
    for col, amount in sorted(row.values.items(), key=lambda kv: order[kv[0]]):
        if amount.backend == "person":
            continue
        start = amount.parts[0][0]
        if start <= last:
            return False
        last = start
    return True


def _repoint(c: _Cell, amount: Amount, text: str, taken: set[Span], block: list[Span], row_ok: bool,
             order: dict[str, int], expected: dict) -> Span | None:
    """A free token in the value's own row that reads as it, at its column's place between its neighbours."""
    if not row_ok or amount.span[0] == amount.span[1]:
        return None  # an empty span is a reader saying it could not place the value: not for us to place
    free = [t for t in find_tokens(amount.value, text, c.row.span)
            if t not in taken and not (block and _overlaps([t], block))]
    if free and expected:
        # In a table of cells, only a token in the cell where the column's other values sit will do.
        at = [(t, _slot(text, t[0])) for t in free]
        free = [t for t, sl in at if sl is None or expected.get((c.col, sl[0]), sl[1]) == sl[1]]
    if not free:
        return None
    lo, hi = -1, len(text) + 1
    for col, other in c.row.values.items():
        if col == c.col or other.backend == "person" or not other.parts or other.parts[0] not in taken:
            continue
        if order[col] < c.order:
            lo = max(lo, other.parts[0][0])
        elif order[col] > c.order:
            hi = min(hi, other.parts[0][0])
    fitting = [t for t in free if lo < t[0] < hi]
    near = amount.span[0]
    return min(fitting or free, key=lambda t: (abs(t[0] - near), t[0]))


def _out_of_order(row: Row, placed: list[_Cell], view: TableView):
    if len(placed) < 2:
        return
    placed = sorted(placed, key=lambda c: c.order)
    offsets = [row.values[c.col].parts[0][0] for c in placed]
    if all(a < b for a, b in zip(offsets, offsets[1:])):
        return
    for c, ok in zip(placed, in_every_lis(offsets)):
        if not ok:
            label = view.table.columns.get(c.col) or c.col
            yield (c, f"它在本行中的位置与列的印刷顺序不符（“{label}”列）",
                   f"its place in the row does not match the printed order of the columns ({c.col})")


def _shown(amount: Amount, text: str, fallback: Span) -> Amount:
    """The amount as a flag shows it: at its own span when that is in the text, else at ``fallback``."""
    if all(0 <= a <= b <= len(text) for a, b in amount.parts):
        return amount
    return amount.model_copy(update={"span": fallback, "parts": [fallback]})


def _val(view: TableView, c: _Cell, amount: Amount, text: str) -> Val:
    val = view.by_row[c.key][c.col]
    shown = _shown(amount, text, c.row.span)
    if shown is val.amount:
        return val
    return Val(path=val.path, where=val.where, what=val.what, amount=shown, places=val.places,
               section_id=val.section_id, en_where=val.en_where, en_what=val.en_what, exact=val.exact, term=val.term)


def _misplaced(view: TableView, c: _Cell, text: str, zh: str, en: str, flagger: Flagger) -> None:
    amount = c.row.values[c.col]
    val = _val(view, c, amount, text)
    flagger.add("ground.misplaced", "error",
                f"{val.label}: 数值 {fmt(amount.value)} 不在本行本列的位置：{zh}",
                f"{val.en_where} {val.en_what}: the value {fmt(amount.value)} is not at its own row and column: {en}",
                [val], expected="a number printed in its own row and column", found=amount.value)


def _not_in_source(view: TableView, c: _Cell, amount: Amount, text: str, flagger: Flagger) -> None:
    val = _val(view, c, amount, text)
    where = f"{view.zh} {c.key} {c.col}"
    flagger.add("ground.not_in_source", "error",
                f"{where}: 数值 {fmt(amount.value)} 在原文的该节中找不到（不在原文中）",
                f"{where}: the value {fmt(amount.value)} is not in the source section (not in source)",
                [val], expected="a number printed in the section", found=amount.value)


# -- cards -------------------------------------------------------------------------------------------------


_LABELS = [(part, re.compile(r"\s*".join(map(re.escape, label)))) for part, labels in BUDGET_LABELS.items()
           for label in labels]


def _budget_label(text: str, start: int) -> str | None:
    """The part whose label is printed nearest before ``start`` on its line (None: no budget label there)."""
    ls = text.rfind("\n", 0, start) + 1
    best, best_end = None, -1
    for part, pattern in _LABELS:
        for m in pattern.finditer(text, ls, start):
            if m.end() > best_end:
                best, best_end = part, m.end()
    return best


def _label_above(text: str, start: int, part: str) -> bool:
    """A label of ``part`` on the nearest non-blank line above (a card printing its budget as a small table)."""
    ls = text.rfind("\n", 0, start) + 1
    end = ls - 1
    while end > 0:
        above = text.rfind("\n", 0, end) + 1
        if text[above:end].strip():
            # A header line of labels only: a line that prints figures of its own is not one.
            return not re.search(r"\d", text[above:end]) and \
                any(p == part and pattern.search(text, above, end) for p, pattern in _LABELS)
        end = above - 1
    return False


def _mislabelled(card: PerformanceCard, text: str) -> list[tuple[str, str | None]]:
    """Budget figures not printed after their own label: (part, the part the label before it names, or None)."""
    out = []
    for part in BUDGET_LABELS:
        a = getattr(card.budget, part)
        # The rules reader takes a budget figure from the cell after its label; a model gives no place.
        if a is None or a.backend != "llm" or not 0 <= a.span[0] < len(text) or a.span[0] == a.span[1]:
            continue
        named = _budget_label(text, a.span[0])
        if named != part and not (named is None and _label_above(text, a.span[0], part)):
            out.append((part, named))
    return out


def _ground_card(card: PerformanceCard, text: str, flagger: Flagger) -> list[SpanFix]:
    """A card is one row: each value a whole token inside the card (an indicator's inside its lines), one each;
    a budget figure after its own label."""
    mislabelled = _mislabelled(card, text)
    for part, named in mislabelled:
        a = getattr(card.budget, part)
        name = card_name(card)
        val = Val(path=f"{card.kind}[{card.section_id}].budget.{part}", where=f"绩效目标表 {name}", what=f"budget.{part}",
                  amount=a, places=printed_places(a.value), section_id=card.section_id, en_where=f"card {name}",
                  en_what=f"budget.{part}")
        zh = f"它印在“{BUDGET_LABELS[named][0]}”之后，不是本项" if named else "它前面没有本项的标签（如“{}”）".format(
            BUDGET_LABELS[part][0])
        en = f"it is printed after the label of budget.{named}" if named else \
            f"no label of budget.{part} precedes it (such as {BUDGET_LABELS[part][0]})"
        flagger.add("ground.misplaced", "error", f"{val.label}: 数值 {fmt(a.value)} 不在其位置：{zh}",
                    f"card {name} budget.{part}: the value {fmt(a.value)} is not at its own place: {en}",
                    [val], expected=f"a number printed after a label of budget.{part}", found=a.value)
    if _card_clean(card, text):
        return []
    slots = [s for s in card_slots(card) if s.amount.backend != "person"]
    homes = _indicator_homes(card, text)
    blocks = {id(ind.value): _indicator_words(ind) for ind in card.indicators if ind.value is not None}
    claims: dict[Span, list[Slot]] = {}
    bad: list[Slot] = []
    for slot in slots:
        a = slot.amount
        home = homes.get(id(a), card.span)
        block = blocks.get(id(a), ())
        if _inside(a.parts, card.span) and _inside(a.parts, home) and grounded_at(a, text) \
                and not (block and _overlaps(a.parts, block)):
            claims.setdefault(a.parts[0], []).append(slot)
        else:
            bad.append(slot)
    shared: dict[int, Span] = {}
    for token, group in list(claims.items()):
        if len(group) > 1:
            del claims[token]
            bad.extend(group)
            shared.update((id(s), token) for s in group)
    if not bad:
        return []
    taken = set(claims)
    fixes = []
    failed: list[tuple[Slot, Amount]] = []
    placed: list[tuple[Slot, Span]] = []
    for slot in bad:
        a = slot.amount
        home = homes.get(id(a), card.span)
        block = blocks.get(id(a), ())
        free = [t for t in find_tokens(a.value, text, home) if t not in taken and _inside([t], card.span)
                and not (block and _overlaps([t], block))]
        if not free:
            failed.append((slot, a))
            continue
        found = min(free, key=lambda t: (abs(t[0] - a.span[0]), t[0]))
        slot.put(a.model_copy(update={"span": found, "parts": [found], "raw": text[found[0]:found[1]]}))
        taken.add(found)
        placed.append((slot, found))
        if found != tuple(a.span) or len(a.parts) != 1:
            fixes.append(SpanFix(path=slot.path, old=a.span, new=found))
    failed_tokens = {shared[id(s)] for s, _ in failed if id(s) in shared}
    for slot, found in placed:  # a shared token printed too few times: none of its claimants can be told right
        if shared.get(id(slot)) in failed_tokens and found == shared[id(slot)]:
            _card_flag(card, slot, slot.amount.model_copy(update={"span": found, "parts": [found]}), text, homes,
                       blocks, flagger, once=True)
    for slot, a in failed:
        _card_flag(card, slot, a, text, homes, blocks, flagger, once=id(slot) in shared)
    return fixes


def _indicator_words(ind) -> list[Span]:
    """An indicator's name, description and basis: a number printed in them is not its value."""
    return [p for t in (ind.name, ind.description, ind.basis) if t is not None for p in t.parts]


def _card_clean(card: PerformanceCard, text: str) -> bool:
    c0, c1 = card.span
    seen: set[int] = set()
    for a in _card_figures(card):
        if a.backend == "person":
            continue
        if not _placed(a, text, c0, c1):
            return False
        start = a.parts[0][0]
        if start in seen:
            return False
        seen.add(start)
    homes = _indicator_homes(card, text)
    for ind in card.indicators:
        a = ind.value
        if a is None or a.backend == "person":
            continue
        home = homes[id(a)]
        if not _placed(a, text, max(c0, home[0]), min(c1, home[1])):
            return False
        s0, s1 = a.span
        for words in (ind.name, ind.description, ind.basis):
            if words is not None and words.span[0] < s1 and s0 < words.span[1] and _overlaps(a.parts, words.parts):
                return False
        start = a.parts[0][0]
        if start in seen:
            return False
        seen.add(start)
    return True


def _card_flag(card: PerformanceCard, slot: Slot, a: Amount, text: str, homes: dict, blocks: dict,
               flagger: Flagger, once: bool = False) -> None:
    what = slot.where.split(" · ", 1)[1] if " · " in slot.where else slot.path.rsplit("].", 1)[-1]
    name = card_name(card)
    val = Val(path=slot.path, where=f"绩效目标表 {name}", what=what, amount=_shown(a, text, card.span),
              places=printed_places(a.value), section_id=slot.section_id, en_where=f"card {name}", en_what=what)
    home = homes.get(id(slot.amount), card.span)
    block = blocks.get(id(slot.amount), ())
    in_home = find_tokens(a.value, text, home)
    if in_home and block and all(_overlaps([t], block) for t in in_home) and not once:
        zh, en = "这个数只出现在指标名称或说明中", "it appears only in the indicator's name or description"
    elif once or in_home:
        zh, en = _ONCE
    elif find_tokens(a.value, text, card.span):
        zh, en = "它不在该指标所在的行中", "it is not in its indicator's lines"
    elif grounded_at(a, text):
        zh, en = "它只印在本表之外", "it is printed only outside the card"
    else:
        flagger.add("ground.not_in_source", "error",
                    f"{slot.where}: 数值 {fmt(a.value)} 在原文的该节中找不到（不在原文中）",
                    f"{slot.where}: the value {fmt(a.value)} is not in the source section (not in source)",
                    [val], expected="a number printed in the section", found=a.value)
        return
    flagger.add("ground.misplaced", "error", f"{val.label}: 数值 {fmt(a.value)} 不在其位置：{zh}",
                f"card {name} {what}: the value {fmt(a.value)} is not at its own place: {en}",
                [val], expected="a number printed in its own place", found=a.value)
