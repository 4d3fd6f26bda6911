"""A model's filled form → our schemas, each value placed on the characters it was printed as.

The model copies numbers as printed; it does not say where. A table row is
placed by its label (or code): its lines run from there to the next row's, and
each of its values goes on a number printed in those lines, in the order the
columns are printed, one printed number per value (the same rule the verifier
checks). A value its row does not print is put where the section does print it,
or, printed nowhere, keeps the model's string as ``raw`` with an empty span at
the section's start: the verifier flags it misplaced or not in source. A card's
indicator value is looked for inside its printed target. Nothing here decides
whether a value is right, and nothing the model says (or the document says to the
model) changes these rules: that is the verifier's job.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from schemas import (
    COMPARATORS, Amount, CardBudget, CardTask, Indicator, PerformanceCard, Row, SpendingStep, Table, Text, parse_amount,
    spec_for,
)
from schemas.cards import plan_by_period

from ..chunk import Chunk, LineKind
from ..rules import chunk_entity, chunk_unit
from ..rules_cards import card_unit

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
        pattern = _value_pattern(squashed)
        m = self._search(pattern)
        if m is None:
            return Amount(value=value, raw=printed, span=(self.start, self.start), backend="llm")
        self.cursor = m.end()
        return Amount(value=value, raw=m.group(), span=(m.start(), m.end()), backend="llm")

    def occurrences(self, printed: str | None, limit: int = 8) -> list[Text]:
        """Where ``printed`` appears, from the cursor on and then from the start, at most ``limit`` places."""
        if printed is None or not printed.strip():
            return []
        pattern = re.compile(r"\s*".join(map(re.escape, re.sub(r"\s+", "", printed))))
        found: list[Text] = []
        for lo, hi in ((self.cursor, self.end), (self.start, self.cursor)):
            for m in pattern.finditer(self.text, lo, hi):
                found.append(Text(text=m.group(), span=(m.start(), m.end()), backend="llm"))
                if len(found) >= limit:
                    return found
        return found

    def words(self, printed: str | None) -> Text | None:
        if printed is None or not printed.strip():
            return None
        squashed = re.sub(r"\s+", "", printed)
        m = self._search(re.compile(r"\s*".join(map(re.escape, squashed))))
        if m is None:
            return Text(text=printed.strip(), span=(self.start, self.start), backend="llm")
        self.cursor = m.end()
        return Text(text=m.group(), span=(m.start(), m.end()), backend="llm")


_NUMBER = re.compile(r"(?<![\d.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\d])")
# A table's last row owns its anchor line and at most this many lines below (a cell wrapped over lines).
_LAST_ROW_LINES = 4


@dataclass
class _Row:
    data: dict
    label: Text | None
    code_raw: Text | None
    texts: dict[str, Text]
    anchor: int | None  # where the row's label or code is printed
    span: tuple[int, int] = (0, 0)


def _line_index(chunk: Chunk, offset: int) -> int:
    starts = [line.start for line in chunk.lines]
    return max(0, bisect_right(starts, offset) - 1)


def _row_regions(chunk: Chunk, rows: list[_Row]) -> None:
    """Each row's lines: from the line its label (or code) is printed on to the line before the next row's.

    Rows read off the same line (the two halves of a two-sided table) share it. A row whose label and code
    are printed nowhere gets no lines at all: the verifier then finds none of its values in its row.
    """
    if not chunk.lines:
        for row in rows:
            row.span = (chunk.start, chunk.start)
        return
    firsts = sorted({_line_index(chunk, r.anchor) for r in rows if r.anchor is not None})
    for row in rows:
        if row.anchor is None:
            row.span = (chunk.start, chunk.start)
            continue
        first = _line_index(chunk, row.anchor)
        later = [i for i in firsts if i > first]
        last = later[0] - 1 if later else min(len(chunk.lines) - 1, first + _LAST_ROW_LINES)
        row.span = (max(chunk.start, chunk.lines[first].start), min(chunk.end, chunk.lines[last].end))


def _furniture(chunk: Chunk, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Page headers and separators inside a row's lines (a row cut by a page break): their numbers are not values."""
    return [(line.start, line.end) for line in chunk.lines if span[0] <= line.start < span[1]
            and line.kind in (LineKind.PAGE_HEADER, LineKind.SEPARATOR)]


def _tokens(text: str, span: tuple[int, int], blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The numbers printed in a row's lines, outside its label, code and text cells."""
    out = []
    for m in _NUMBER.finditer(text, span[0], span[1]):
        s, e = m.span()
        if not any(s < be and bs < e for bs, be in blocked):
            out.append((s, e))
    return out


@dataclass
class _Header:
    """Where the header prints each column: its cell index in header lines of ``width`` separators."""

    sep: str
    width: int
    slots: dict[str, int]


def _line_cells(line: str, sep: str) -> list[tuple[int, str]]:
    """(cell index = separators before it, its text) for each cell of a tab or pipe line."""
    return list(enumerate(piece.strip() for piece in line.split(sep)))


def _header(chunk: Chunk, spec, first_row: int | None) -> _Header | None:
    """The columns' cells from the header lines above the first row (tab or pipe layouts only).

    A column counts only when exactly one header cell names it, read as its header path
    ("本年收入/小计": a cell with empty cells to its right over a lower header row spans them).
    """
    lines = [line for line in chunk.lines if line.is_row and (first_row is None or line.end <= first_row)]
    lines = [line for line in lines if not re.fullmatch(r"[\s|\t]*(栏次|档次|栏|序列)?[\s|\t\d]*", line.text)]
    if not lines:
        return None
    sep = "\t" if "\t" in lines[0].text else "|"
    rows = [[re.sub(r"\s+", "", t) for _, t in _line_cells(line.text, sep)] for line in lines
            if (sep in line.text)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    filled = [row[:] for row in grid]
    for r in range(len(grid) - 1):
        below = grid[r + 1:]
        for i in range(width):
            j = i + 1
            while grid[r][i] and j < width and not grid[r][j] and any(b[j] for b in below):
                filled[r][j] = grid[r][i]
                j += 1
    paths = []
    for i in range(width):
        parts = [filled[r][i] for r in range(len(grid)) if filled[r][i]]
        paths.append("/".join(p for k, p in enumerate(parts) if k == 0 or p != parts[k - 1]))
    slots: dict[str, list[int]] = {}
    for i, path in enumerate(paths):
        leaf = path.split("/")[-1] if path else ""
        for col in spec.columns:
            if path and (col.matches(path) or col.matches(leaf)):
                slots.setdefault(col.key, []).append(i)
    return _Header(sep, width - 1, {k: v[0] for k, v in slots.items() if len(v) == 1})


def _token_cell(text: str, token: tuple[int, int], header: _Header | None) -> int | None:
    """The header cell a token sits under, when its line is laid out like the header (same separators)."""
    if header is None:
        return None
    ls = text.rfind("\n", 0, token[0]) + 1
    le = text.find("\n", token[0])
    le = len(text) if le < 0 else le
    if text.count(header.sep, ls, le) != header.width:
        return None  # a line with dropped or extra cells: its cells cannot be matched to the header's
    return text.count(header.sep, ls, token[0])


def _place(values: list[tuple[str, Decimal, int]], tokens: list[tuple[int, int]], text: str,
           taken: set[tuple[int, int]], allowed=lambda key, token: True) -> dict[str, tuple[int, int]]:
    """Tokens for a row's values (in column print order): as many as possible in increasing order, one each.

    Among the placements that match the most values in order, the one whose j-th column sits nearest the
    row's j-th printed number wins: a value printed in several cells of its row goes to its column's cell.
    A value the row prints only out of order is then put on its token anyway, so that the verifier sees it
    there and flags it; a value the row does not print is left unplaced.
    """
    parsed = [parse_amount(text[s:e]) for s, e in tokens]
    free = [t not in taken for t in tokens]
    # states[j] = (matched, -cost, placement) over the values seen so far, the last token used being j.
    states: dict[int, tuple[int, int, tuple]] = {-1: (0, 0, ())}
    for i, (_, value, column) in enumerate(values):
        nxt = dict(states)
        for last, (count, cost, placed) in states.items():
            for j in range(last + 1, len(tokens)):
                if free[j] and parsed[j] == value and allowed(values[i][0], tokens[j]):
                    cand = (count + 1, cost - abs(j - column), placed + ((i, j),))
                    if j not in nxt or cand[:2] > nxt[j][:2]:
                        nxt[j] = cand
        states = nxt
    best = max(states.values(), key=lambda st: st[:2])
    out = {values[i][0]: tokens[j] for i, j in best[2]}
    used = {tokens[j] for _, j in best[2]}
    for key, value, column in values:
        if key in out:
            continue
        spare = [j for j, t in enumerate(tokens) if parsed[j] == value and t not in used and allowed(key, t)]
        if spare:
            pick = tokens[min(spare, key=lambda j: (tokens[j] in taken, abs(j - column)))]
            out[key] = pick
            used.add(pick)
    return out


def _elsewhere(find: Finder, printed: str, value: Decimal, near: int) -> Amount:
    """A value its row does not print: at its nearest occurrence in the section (the verifier flags it), or nowhere."""
    hits = [m for m in _value_pattern(printed).finditer(find.text, find.start, find.end)
            if parse_amount(m.group()) == value]
    if not hits:
        return Amount(value=value, raw=printed, span=(find.start, find.start), backend="llm")
    m = min(hits, key=lambda m: abs(m.start() - near))
    return Amount(value=value, raw=m.group(), span=m.span(), backend="llm")


def _value_pattern(printed: str) -> re.Pattern:
    squashed = re.sub(r"\s+", "", printed)
    return re.compile(r"(?<![\d.])(?<!\d,)" + r"\s*".join(map(re.escape, squashed)) + r"(?![\d]|[.,]\d)")


def _anchored(find: Finder, chunk: Chunk, text: str, printed: str | None, wanted: set[Decimal]) -> Text | None:
    """Where a row's label (or code) is printed: the first place whose line also prints one of the row's values
    (a label is also printed in headers and titles), else the first place; the cursor moves past it."""
    places = find.occurrences(printed)
    if not places:
        return None if printed is None or not printed.strip() else \
            Text(text=printed.strip(), span=(chunk.start, chunk.start), backend="llm")
    pick = places[0]
    if wanted and chunk.lines:
        for place in places:
            line = chunk.lines[_line_index(chunk, place.span[0])]
            if any(parse_amount(text[s:e]) in wanted for s, e in _tokens(text, (place.span[1], line.end), [])):
                pick = place
                break
    find.cursor = pick.span[1]
    return pick


def table_from_form(chunk: Chunk, form, text: str) -> Table:
    """The model's rows, each value put on a number printed in its own row's lines at its column's place.

    Columns are taken in the template's order (``spec.columns``), which is the order most documents
    print them in; the model does not say where a column is printed, so a document that prints them in
    another order gets those values flagged misplaced rather than trusted.
    """
    spec = spec_for(chunk.kind)
    find = Finder(text, chunk.start, chunk.end)
    rows: list[_Row] = []
    for filled in form.rows:
        data = filled.model_dump()
        for col in spec.columns:  # a rate copied with its sign ("-6.25%"): the number, its unit is the column's
            if col.type == "percent" and isinstance(data.get(col.key), str):
                data[col.key] = data[col.key].strip().rstrip("%％").strip() or None
        wanted = {v for c in spec.columns if c.type != "text" and (v := parse_amount(data.get(c.key) or "")) is not None}
        code = data.get("code")
        code_raw = _anchored(find, chunk, text, code, wanted) if code else None
        label = _anchored(find, chunk, text, data.get("label"), wanted)
        texts = {}
        for col in spec.columns:
            if col.type == "text" and (t := find.words(data.get(col.key))) is not None:
                texts[col.key] = t
        found = [t.span[0] for t in (code_raw, label) if t is not None and t.span[1] > t.span[0]]
        rows.append(_Row(data, label, code_raw, texts, found[0] if found else None))
    _row_regions(chunk, rows)
    printed_columns = [c.key for c in spec.columns if c.type != "text" and any(r.data.get(c.key) for r in rows)]
    rank = {k: i for i, k in enumerate(printed_columns)}
    header = _header(chunk, spec, min((r.span[0] for r in rows if r.anchor is not None), default=None))

    def allowed(key: str, token: tuple[int, int]) -> bool:
        """A token is a column's only in the cell its header names, where both are known."""
        want = header.slots.get(key) if header else None
        cell = _token_cell(text, token, header) if want is not None else None
        return cell is None or cell == want

    taken: set[tuple[int, int]] = set()
    out = []
    for row in rows:
        data = row.data
        printed = {c.key: data.get(c.key) for c in spec.columns if c.type != "text"}
        values = [(k, v, rank[k]) for k, p in printed.items() if p is not None and (v := parse_amount(p)) is not None]
        blocked = [p for t in (row.label, row.code_raw, *row.texts.values()) if t is not None for p in t.parts]
        blocked += _furniture(chunk, row.span)
        tokens = _tokens(text, row.span, blocked)
        places = _place(values, tokens, text, taken, allowed)
        amounts = {}
        for key, value, _ in values:
            if key in places:
                s, e = places[key]
                taken.add((s, e))
                amounts[key] = Amount(value=value, raw=text[s:e], span=(s, e), backend="llm")
            elif any(parse_amount(text[s:e]) == value for s, e in tokens):
                # Its row prints it, but not in its column's cell: left unplaced, for the verifier to flag.
                amounts[key] = Amount(value=value, raw=printed[key], span=(row.span[0], row.span[0]), backend="llm")
            else:
                amounts[key] = _elsewhere(find, printed[key], value, row.span[0])
        name = re.sub(r"\s+", "", row.label.text) if row.label else ""
        item = spec.match_item(name) if spec.items and name else None
        code = data.get("code")
        if item is None and not code and _TOTAL_LABEL.search(name) and spec.row_key != "two_sided":
            item = "total"
        out.append(Row(label=row.label, code=code, code_raw=row.code_raw, item=item, side=data.get("side"),
                       span=row.span, values=amounts, texts=row.texts, notes=["read by the LLM reader"]))
    return Table(section_id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span, **chunk_unit(chunk),
                 entity=chunk_entity(chunk), columns={c.key: c.zh for c in spec.columns if any(c.key in r.values or c.key in r.texts for r in out)},
                 rows=out, empty=bool(form.empty) and not out, note=form.note)


_PARTS = ("total", "fiscal", "carryover", "other")
# The task grid's total line (金额合计, 合计, 总计): the grid's tasks_total, not a task.
_TASK_TOTAL = re.compile(r"^(金额)?(合计|总计)$")


def card_from_form(chunk: Chunk, form, text: str) -> PerformanceCard:
    """The model's card. Words go where they are printed; a figure of a row (a task's amounts, an indicator's weight)
    only on a number printed in that row's own lines, outside its words. A figure its row does not print keeps the
    model's string with an empty span, for the verifier to find or flag: never a place we guessed."""
    find = Finder(text, chunk.start, chunk.end)
    card = PerformanceCard(
        section_id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span,
        project_code=find.words(form.project_code), project_name=find.words(form.project_name),
        department=find.words(form.department), implementing_unit=find.words(form.implementing_unit),
        project_period=find.words(form.project_period), notes=["read by the LLM reader"], **card_unit(chunk.lines),
    )
    card.budget = CardBudget(total=find.amount(form.budget_total), fiscal=find.amount(form.budget_fiscal),
                             carryover=find.amount(form.budget_carryover), other=find.amount(form.budget_other))
    card.tasks, card.tasks_total = _tasks(chunk, find, text, getattr(form, "tasks", []))
    for step in form.spending_plan:
        find.words(step.period)
        if (percent := find.amount(step.percent)) is not None:
            card.spending_plan.append(SpendingStep(period=step.period, percent=percent))
    if plan_by_period([s.period for s in card.spending_plan], [s.percent.value for s in card.spending_plan]):
        # 1-3月 | 4-6月 …: each period's share; quarters too, unless their percents read only as a cumulative plan
        for step in card.spending_plan:
            step.cumulative = False
    card.goals = [g for g in (find.words(goal) for goal in form.goals) if g is not None]
    card.indicators = _indicators(chunk, find, text, form.indicators)
    return card


def _found(*texts: Text | None) -> list[Text]:
    return [t for t in texts if t is not None and t.span[1] > t.span[0]]


def _cells(find: Finder, other: dict[str, str]) -> dict[str, Text]:
    """Cells under columns no reader knows, by the header the model gives: kept (the verifier flags the column)."""
    return {header.strip(): t for header, cell in other.items() if header.strip() and (t := find.words(cell)) is not None}


def _indicators(chunk: Chunk, find: Finder, text: str, forms) -> list[Indicator]:
    """Each indicator's words where printed (in the order a row prints its cells), its value inside its printed
    target, its weight on a number of its own lines outside its words."""
    out: list[Indicator] = []
    rows: list[_Row] = []
    for ind in forms:
        name = find.words(ind.name)
        description = find.words(ind.description)
        target = find.words(ind.target)
        basis = find.words(ind.basis)
        scoring = find.words(ind.scoring)
        other = _cells(find, ind.other)
        value = None
        if ind.value is not None and target is not None and target.span[1] > target.span[0]:
            # The number is printed inside the target ("≥430000人"); looked for there only.
            value = Finder(text, target.span[0], target.span[1]).amount(ind.value)
            if value is not None and value.span[1] == value.span[0]:
                value = None
        if value is None and ind.value is not None:
            value = find.amount(ind.value)  # not in its target: wherever it is, for the verifier to judge
        anchor = [t.span for t in _found(name, target)]
        out.append(Indicator(
            level1=ind.level1, level2=ind.level2, name=name, description=description, target=target, basis=basis,
            scoring=scoring, other=other,
            comparator=COMPARATORS.get(ind.comparator) if ind.comparator else None, value=value, unit=ind.unit,
            qualitative=ind.target if value is None and ind.target else None,
            span=(min(s for s, _ in anchor), max(e for _, e in anchor)) if anchor else (chunk.start, chunk.start),
        ))
        words = _found(name, description, target, basis, scoring, *other.values())
        rows.append(_Row({"weight": ind.weight}, name, None, {str(i): t for i, t in enumerate(words)},
                         min((t.span[0] for t in words), default=None)))
    _row_regions(chunk, rows)
    taken: set[tuple[int, int]] = set()
    for ind, row in zip(out, rows):
        printed = row.data["weight"]
        if printed is None or (weight := parse_amount(printed)) is None:
            continue
        blocked = [p for t in row.texts.values() for p in t.parts] + _furniture(chunk, row.span)
        after = ind.target.span[1] if ind.target is not None and ind.target.span[1] > ind.target.span[0] else row.span[0]
        tokens = [t for t in _tokens(text, row.span, blocked)
                  if t not in taken and parse_amount(text[t[0]:t[1]]) == weight]
        if tokens:
            s, e = min(tokens, key=lambda t: (t[0] < after, t[0]))  # the first after its target, where rows print it
            taken.add((s, e))
            ind.weight = Amount(value=weight, raw=text[s:e], span=(s, e), backend="llm")
            ind.span = (min(ind.span[0], s), max(ind.span[1], e)) if ind.span[1] > ind.span[0] else (s, e)
        else:
            ind.weight = Amount(value=weight, raw=printed, span=(row.span[0], row.span[0]), backend="llm")
    return out


def _tasks(chunk: Chunk, find: Finder, text: str, forms) -> tuple[list[CardTask], CardBudget | None]:
    """The department card's task grid, row by row as a table's: a task's amounts on numbers printed in its own lines,
    in the columns' order, one printed number each; its 金额合计 line is the grid's total."""
    rows: list[_Row] = []
    for task in forms:
        amounts = {p: getattr(task, f"budget_{p}") for p in _PARTS}
        wanted = {v for p in amounts.values() if (v := parse_amount(p or "")) is not None}
        name = _anchored(find, chunk, text, task.name, wanted)
        content = find.words(task.content)
        other = _cells(find, task.other)
        texts = {"content": content} if content is not None else {}
        found = _found(name, content)
        rows.append(_Row(amounts, name, None, {**texts, **{f"other:{h}": t for h, t in other.items()}},
                         found[0].span[0] if found else None))
    _row_regions(chunk, rows)
    printed_parts = [p for p in _PARTS if any(r.data[p] for r in rows)]
    rank = {p: i for i, p in enumerate(printed_parts)}
    taken: set[tuple[int, int]] = set()
    tasks: list[CardTask] = []
    total: CardBudget | None = None
    for row in rows:
        values = [(p, v, rank[p]) for p in _PARTS if (v := parse_amount(row.data[p] or "")) is not None]
        blocked = [p for t in (row.label, *row.texts.values()) if t is not None for p in t.parts]
        tokens = _tokens(text, row.span, blocked + _furniture(chunk, row.span))
        places = _place(values, tokens, text, taken)
        budget = CardBudget()
        for part, value, _ in values:
            if part in places:
                s, e = places[part]
                taken.add((s, e))
                setattr(budget, part, Amount(value=value, raw=text[s:e], span=(s, e), backend="llm"))
            else:  # its row does not print it: unplaced, for the verifier to find or flag
                setattr(budget, part, Amount(value=value, raw=row.data[part].strip(), span=(row.span[0], row.span[0]),
                                             backend="llm"))
        content = row.texts.get("content")
        if row.label is not None and _TASK_TOTAL.match(re.sub(r"\s+", "", row.label.text)) and content is None:
            total = budget
            continue
        tasks.append(CardTask(name=row.label, content=content, budget=budget,
                              other={k.removeprefix("other:"): t for k, t in row.texts.items() if k.startswith("other:")},
                              span=row.span))
    return tasks, total
