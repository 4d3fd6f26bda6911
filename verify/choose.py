"""Choosing between readings: readers propose, the verifier's relations dispose.

A reader that cannot be sure where a number belongs — a converter dropped the
empty cells of a row, a header does not line up with its data — proposes the
placements the row allows (``Row.options``) or the layouts the header allows
(``Table.proposals``). Here the verifier's own relations choose:

1. each row's relations (合计 = 基本 + 项目, 小计 = Σ 来源 …);
2. the table's: top down through the code hierarchy, the sub-codes of each
   line placed together so that they add up to it; then row by row (and pairs of
   rows) against every relation of the table (column totals, the summary's
   groups …), a move kept only when the table's relations fail less;
3. the relations between tables (the same code in every table, the summaries,
   the sources of funds), in a second pass once every table has its reading,
   for what a table's own relations leave open.

A figure read in place (under the header it is printed under) is not moved only
because a sum then holds: a reading that moves figures no failing relation
questions, each merely repeating another figure of its row, is named beside
the printed one (``read.ambiguous``), never chosen.

The reader's own order breaks ties between readings that place every number
alike. When readings that place numbers differently verify equally well, the
first is kept and the others are recorded on the row (``Row.alternatives``),
which the verifier flags as ``read.ambiguous``: never a silent guess.

The same rule keeps an LLM's reading of a section only when more of its values
verify (``extractor.pipeline``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import count, product

from schemas import ExtractionResult, Reading, Row, Table, spec_for

from .cross import check_across
from .flags import Flagger
from .reading import EMPTIED_TOTAL, NAMED_ONLY, UNPROVEN_MOVE
from .tables import COLUMN_TOTAL_KINDS, check_table, row_balance, subtotal_groups, table_relations
from .tolerance import ZERO, Term, printed_places
from .values import TableView, document_places, exact_spans, places_by_column, row_cells, table_names, unit_in, view_table

# Rows whose placements still tie after their own relations are settled against the table, trying
# at most this many placements per row, at most MAX_PAIR_TRIALS moves of two rows at once, and at
# most MAX_FAMILY_TRIALS joint placements of one line's sub-codes.
MAX_TABLE_TRIALS = 24
MAX_PAIR_TRIALS = 400
MAX_FAMILY_TRIALS = 2_000
MAX_ROOT_TRIALS = 8


def choose_readings(result: ExtractionResult) -> None:
    """Settle every proposal in ``result``: one layout per table, one placement per row."""
    doubts = {}
    tied_layouts = []
    for n, table in enumerate(result.tables):
        if table.has_proposals:
            candidates, doubts[n] = _best_layouts(table)
            result.tables[n] = candidates[0]
            if len(candidates) > 1:
                tied_layouts.append((n, candidates))
        else:
            doubts[n] = settle_rows(table)
    still_tied: dict[int, list[Table]] = {}
    for n, candidates in tied_layouts:
        # Layouts the table's own relations cannot tell apart: the relations between tables may.
        best, others = _best_across(result, n, candidates)
        still_tied[id(best)] = others
        if best is not result.tables[n]:
            result.tables[n] = best
            doubts[n] = settle_rows(best)
    for n, doubt in doubts.items():
        table = result.tables[n]
        if not (doubt.root or any(r.alternatives for r in table.rows)):
            continue

        across = _Across(result, n)
        if doubt.root:
            _settle_root_across(table, doubt, across)
        _settle_ties_across(table, [r for r in table.rows if r.alternatives], across)
    for table in result.tables:
        _record_tied_layouts(table, still_tied.get(id(table), []))
        for row in table.rows:
            if row.options:  # (a row placed with certainty has nothing to settle)
                _settle_by_hint(row)
                row.propose([])
    settle_units(result)


def settle_units(result: ExtractionResult) -> None:
    """A table whose statement and header cells state two units (单位：万元 above 预算数（元）) is in the one the
    relations between tables bear out: strictly fewer failures, counting those that hold. When they cannot tell
    (no relation reaches the table, or both fare alike) its unit stays unknown and its amounts are flagged."""
    for n, table in enumerate(result.tables):
        if table.unit is not None or table.unit_header is None or table.unit_text is None:
            continue
        units = [u for u in (unit_in(table.unit_text.text), unit_in(table.unit_header.text)) if u is not None]
        if len(set(units)) != 2:
            continue
        across = _Across(result, n)
        scored = sorted((across(table.model_copy(update={"unit": u})), u) for u in units)
        if scored[0][0][0] < scored[1][0][0]:  # fewer failures net of relations that hold; not by gap alone
            table.unit = scored[0][1]


def _settle_by_hint(row: Row) -> None:
    """A row kept in the placement a layout hint proposed: a person's rule for this header settles the tie."""
    hinted = next((o for o in row.options if o.how.startswith("hint ") and o.values == row.values), None)
    if hinted is not None and row.alternatives:
        row.alternatives = []
        row.notes.append(f"placed as layout {hinted.how} says; other placements verify as well")


class _Across:
    """How the relations between tables fare with a candidate reading in place of table ``n``: lower is better.

    Failures count against a reading and relations that hold count for it: a
    reading must not win by switching checks off (income read as 事业收入 makes
    the fiscal tables' comparisons moot).

    The other tables do not change while table ``n``'s readings are weighed: their values are named once (for
    each precision the document's tables print with, which the candidate may change), not for every candidate.
    """

    def __init__(self, result: ExtractionResult, n: int):
        self.result, self.n = result, n
        self.places = [places_by_column(t) if i != n else None for i, t in enumerate(result.tables)]
        self.names = table_names(result.tables)
        self.whole = exact_spans(result)
        self.views: dict[tuple[int, int | None], TableView] = {}

    def __call__(self, candidate: Table) -> tuple[int, Decimal]:
        n = self.n
        tables = self.result.tables[:n] + [candidate] + self.result.tables[n + 1:]
        places = [p if i != n else places_by_column(candidate) for i, p in enumerate(self.places)]
        doc_places = document_places(places)
        views = []
        for i, (table, name, column_places) in enumerate(zip(tables, self.names, places)):
            if i == n:
                views.append(view_table(table, name, doc_places, column_places, self.whole))
                continue
            view = self.views.get((i, doc_places))
            if view is None:
                view = self.views[(i, doc_places)] = view_table(table, name, doc_places, column_places, self.whole)
            views.append(view)
        tally = _Tally()
        check_across(self.result.model_copy(update={"tables": tables}), views, tally)
        return tally.count - tally.holding, tally.gap


def _best_layouts(table: Table) -> tuple[list[Table], Doubt]:
    """The reader's own layout when its relations hold; otherwise the layouts under which the table's own
    relations fare best, in the reader's order (the first is kept unless the relations between tables prefer
    another). A reading that follows a layout hint is always weighed against the reader's own.

    Each candidate's rows are settled once; the first's ``Doubt`` (what its relations left open) comes back
    with it."""
    doubt = settle_rows(table)
    own_failures = _failures(table)
    own = own_failures.gap, own_failures.count  # ``table_errors``
    if own[1] == 0 and not (table.hint is not None and table.hint.used):
        table.propose(None)
        return [table], doubt
    candidates = [table, *table.proposals]
    doubts = {id(table): doubt}
    scored = [(own, 0, table)]
    for order, candidate in enumerate(candidates[1:], start=1):
        doubts[id(candidate)] = settle_rows(candidate)
        scored.append((table_errors(candidate), order, candidate))
    scored.sort(key=lambda s: (s[0], s[1]))
    if table.hint is None:
        # A reading that takes figures from under the header they are printed under, where no failing relation
        # involves any of them, into a column where each only repeats another figure of its row (合计 1000 |
        # 一般公共预算拨款 1000 read as 合计 1000 | 上年结转 1000: "合计 = 上年结转" holds whatever the figure is),
        # proves nothing about them: it is never kept over the printed positions, only named beside them
        # (``read.ambiguous``). (A layout hint is a person's word on the header: it may.)
        questioned = own_failures.spans  # the figures some relation of the table, as read, fails on
        kept = []
        for entry in scored:
            # (Nor is one that takes a row's 合计 from under its header and leaves it blank: that switches the row's
            # sum off, it does not make it hold.)
            moved = _unproven_moves(table, entry[2], questioned) if entry[2] is not table else set()
            emptied = _emptied_totals(table, entry[2]) if entry[2] is not table else set()
            if not moved and not emptied:
                kept.append(entry)
            elif entry[0] <= own:
                _name_moves(table, entry[2], moved | emptied, emptied)
        scored = kept
    least = scored[0][0]
    best = [candidate for score, _, candidate in scored if score == least]
    for candidate in candidates:
        candidate.propose([])
    _note_hint(best[0], scored, "the table's own relations")
    return best, doubts[id(best[0])]


def _failures(table: Table) -> "_Tally":
    """What the table's own relations, as read, fail on: how many, by how much, and which figures."""
    tally = _Tally()
    check_table(view_table(table, table.kind), tally)
    return tally


def _placed(table: Table) -> dict[tuple[int, int], str]:
    """Each figure read in place (by the row's own cells, not a placement the verifier chose) and its column."""
    return {a.span: col for row in table.rows if not row.options for col, a in row.values.items()}


def _unproven_moves(own: Table, other: Table, questioned: set) -> set[tuple[int, int]]:
    """Figures ``other`` puts in another column than the one they are printed under in ``own``, where no failing
    relation of ``own`` involves any figure that ``other`` moves between the same two columns (a layout's
    re-keying is proven by the rows that fail without it, all of its rows alike), and that only repeat another
    figure of their row."""
    placed = _placed(own)
    moves: dict[tuple[str, str], list] = {}
    for row in other.rows:
        for col, a in row.values.items():
            printed = placed.get(a.span)
            if printed is not None and printed != col:
                moves.setdefault((printed, col), []).append((a, row))
    moved = set()
    for figures in moves.values():
        if any(a.span in questioned for a, _row in figures):
            continue
        moved |= {a.span for a, row in figures
                  if any(b.value == a.value and b.span != a.span for b in row.values.values())}
    return moved


def _emptied_totals(own: Table, other: Table) -> set[tuple[int, int]]:
    """Figures read in place under a row's total (合计) that ``other`` moves into another column, leaving that total
    blank beside figures in its parts: the row's relation that questioned them is switched off, not satisfied (a
    row printing 合计 57,200.00 | 一般公共预算 5.72 read as 一般公共预算 57,200.00 | 政府性基金 5.72, 合计 blank)."""
    placed = _placed(own)
    relations = table_relations(other)
    moved = set()
    for row in other.rows:
        for total_col, parts in relations:
            if total_col in row.values or not any(row.values[c].value for c in parts if c in row.values):
                continue
            moved |= {a.span for col, a in row.values.items() if col != total_col and placed.get(a.span) == total_col}
    return moved


def _name_moves(own: Table, other: Table, moved: set, emptied: set = frozenset()) -> None:
    """Each row of ``own`` with a figure ``other`` moves keeps ``other``'s reading of it as an alternative."""
    by_span = {a.span: row for row in other.rows for a in row.values.values()}
    for row in own.rows:
        spans = {a.span for a in row.values.values()} & moved
        if not spans:
            continue
        alt = by_span[next(iter(spans))]
        option = Reading(values=dict(alt.values), how=EMPTIED_TOTAL if spans & emptied else UNPROVEN_MOVE)
        if _differs(option, Reading(values=row.values)) and not any(not _differs(option, a) for a in row.alternatives):
            row.alternatives.append(option)


def _best_across(result: ExtractionResult, n: int, candidates: list[Table]) -> tuple[Table, list[Table]]:
    """The layout the relations between tables prefer, and the others they fare no worse with."""
    across = _Across(result, n)
    scored = [(across(candidate), order, candidate) for order, candidate in enumerate(candidates)]
    scored.sort(key=lambda s: (s[0], s[1]))
    _note_hint(scored[0][2], scored, "the relations between tables")
    return scored[0][2], [c for score, _, c in scored[1:] if score == scored[0][0]]


def _record_tied_layouts(kept: Table, tied: list[Table]) -> None:
    """Layouts that neither the table's relations nor those between tables tell apart: each row they read
    otherwise keeps their reading as an alternative (flagged ``read.ambiguous``), never a silent choice."""
    if kept.hint is not None and kept.hint.used:
        return  # a person's layout hint for this header settles the tie
    for other in tied:
        if len(other.rows) != len(kept.rows):
            continue
        for row, alt in zip(kept.rows, other.rows):
            option = Reading(values=dict(alt.values), how="another layout of the header")
            if (row.code, row.side) == (alt.code, alt.side) and _differs(option, Reading(values=row.values)) \
                    and not any(not _differs(option, a) for a in row.alternatives):
                row.alternatives.append(option)


def _note_hint(kept: Table, scored: list[tuple], what: str) -> None:
    """Say what became of a layout hint's reading and why: kept when it verifies at least as well as the
    reader's own (a person's rule settles a tie), not used when it makes things worse."""
    if kept.hint is None:
        return
    hinted = next((score for score, _, c in scored if c.hint is not None and c.hint.used), None)
    own = next((score for score, _, c in scored if c.hint is None or not c.hint.used), None)
    if hinted is None or own is None:
        return
    if kept.hint.used:
        how = "verify better with it than with the reader's own reading" if hinted < own else \
            "hold as well with it as with the reader's own reading, and a person's rule settles the tie"
        kept.hint = kept.hint.model_copy(update={"note": f"used: {what} {how}"})
    elif hinted != own:
        kept.hint = kept.hint.model_copy(update={"note": f"not used: {what} fare worse with it"})


class _Beaten(Exception):
    """A trial's failures already add up to more than the chooser would keep: its other relations go unchecked."""


class _Tally(Flagger):
    """A flagger that only adds up what fails: how many relations, and by how much in all. Given a ``limit``, it
    stops the checks (``_Beaten``) as soon as the gap goes over it: the gap only grows as relations fail."""

    worded = False  # the messages are never read

    def __init__(self, limit: Decimal | None = None):
        super().__init__("", "")
        self.limit = limit
        self.count = 0
        self.gap = Decimal(0)
        self.paths: set[str] = set()  # the values the failures involve
        self.holding = 0  # relations that hold (counted where the checks report them)
        self.spans: set[tuple[int, int]] = set()  # the figures the failures involve

    def held(self, check, vals):
        self.holding += 1

    def add(self, check, severity, message, message_en, vals=(), expected=None, found=None, spans=(),
            section_id=None, key=""):
        if severity == "error":
            self.count += 1
            self.gap += _distance(expected, found)
            self.paths.update(v.path for v in vals)
            self.spans.update(v.amount.span for v in vals)
            self._stop_when_over()

    def sum_mismatch(self, check, where, en_where, total, parts, gap, severity="error"):
        if severity == "error":
            self.count += 1
            self.gap += abs(gap)
            self.paths.update(v.path for v in (total, *parts))
            self.spans.update(v.amount.span for v in (total, *parts))
            self._stop_when_over()

    def _stop_when_over(self) -> None:
        if self.limit is not None and self.gap > self.limit:
            raise _Beaten


def _distance(expected, found) -> Decimal:
    try:
        return abs(Decimal(str(expected)) - Decimal(str(found)))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)


def table_errors(table: Table) -> tuple[Decimal, int]:
    """How far the table's own relations are from holding as it is read: (total gap, failures).

    The gap, not only the count, guides the search: moving one of two rows that
    sit in the wrong column halves the gap before the second move closes it.
    """
    return _errors_in(view_table(table, table.kind))


def _errors_in(view, only: set[str] | None = None, columns: set[str] | None = None,
               limit: Decimal | None = None) -> tuple[Decimal, int]:
    """``table_errors`` of a view; with ``only``, of the relations that involve those rows (and with ``columns``,
    of the relations within one column, those in these columns). With ``limit``, ``_Beaten`` as soon as the gap
    goes over it."""
    tally = _Tally(limit)
    view.only, view.only_columns = only, columns
    try:
        check_table(view, tally)
    finally:
        view.only = view.only_columns = None
    return tally.gap, tally.count


class _Scorer:
    """``table_errors`` of a table whose rows change placement one trial at a time.

    The chooser tries thousands of placements on a table, each moving a row or
    a few. Rather than naming every value and checking every relation again,
    the scorer keeps the table's view, names again only the rows whose values
    changed since the last score, and re-checks only the relations that involve
    them (of the relations within one column, those in the columns where a
    value changed): the score is the last one, less what those relations
    failed by before, plus what they fail by now. The same figures as ``table_errors``,
    exactly: a change of a column's printed decimals (the rounding of every value
    in it) names those values again and re-checks their relations too; a row
    gaining or losing all its values (which lines make up a department) has the
    whole table checked again.

    Most trials are undone (``undo``: the rows put back as they were) before the
    next one: the scorer keeps what the last score changed, and when its rows
    are back it returns to the score before it without checking anything again.
    And a placement the chooser comes back to (a row's tie weighed again once
    the search is done) is scored once.

    Most trials lose. A caller that keeps a trial only when it scores no worse
    than some score (``ceiling``) learns that one has lost (``BEATEN``) as soon
    as the relations it re-checks fail by more than they did before the trial
    by more than the ceiling allows, without checking the rest of them.
    """

    def __init__(self, table: Table):
        self.table = table
        self.states = count()  # a number for each placement of all the rows the scorer has been in
        # The score of each placement tried: (the scorer's placement, the rows placed otherwise and their figures).
        self.known: dict[tuple[int, frozenset], tuple[Decimal, int]] = {}
        self.over: dict[tuple[int, frozenset], tuple[Decimal, int]] = {}  # and the ceilings some went over
        self._check_all()

    def _check_all(self) -> None:
        self.view = view_table(self.table, self.table.kind)
        self.keys = {id(row): key for key, row in self.view.rows}
        self.scored = {id(row): row.values for row in self.table.rows}  # the values the score counts
        self.places = {id(row): _row_places(self.table, row.values) for row in self.table.rows}
        # How many rows print each number of decimals in each column: a column's precision (the most of them)
        # follows a trial without going over every row again.
        self.counts: defaultdict[str, Counter[int]] = defaultdict(Counter)
        for places in self.places.values():
            self._count(places, 1)
        self.errors = _errors_in(self.view)
        self.state = next(self.states)
        self.last: _Change | None = None

    def _count(self, places: dict[str, int], n: int) -> None:
        for col, p in places.items():
            self.counts[col][p] += n

    def errors_now(self, ceiling: tuple[Decimal, int] | None = None) -> tuple[Decimal, int]:
        """The table's score as its rows are placed now; with a ``ceiling``, ``BEATEN`` for a placement sure to
        score above it."""
        changed = [row for row in self.table.rows if row.values is not self.scored[id(row)]]
        if not changed:
            return self.errors
        # (Figures by identity: every placement tried is one the reader proposed, and outlives the scorer.)
        trial = (self.state, frozenset((id(row), frozenset((col, id(a)) for col, a in row.values.items()))
                                       for row in changed))
        known = self.known.get(trial)
        if known is None:
            # (A placement found over a ceiling is over every ceiling as low: the search's trials are weighed again
            # against the score the search ends with.)
            over = self.over.get(trial)
            if over is not None and ceiling is not None and ceiling <= over:
                return BEATEN
            known = self._score(changed, ceiling)
            if known is BEATEN:
                self.over[trial] = ceiling
            else:
                self.known[trial] = known
        return known

    def _score(self, changed: list[Row], ceiling: tuple[Decimal, int] | None) -> tuple[Decimal, int]:
        if any(bool(row.values) != bool(self.scored[id(row)]) for row in changed):
            self._check_all()
            return self.errors
        undone = [(row, self.scored[id(row)], self.places[id(row)]) for row in changed]  # what ``undo`` puts back
        was = (self.view.places, self.errors, self.state)
        touched: set[str] = set()  # the columns whose counts changed: only their precision can have changed
        for row in changed:
            old = self.places[id(row)]
            self._count(old, -1)
            self.places[id(row)] = new = _row_places(self.table, row.values)
            self._count(new, 1)
            touched |= old.keys() | new.keys()
        places = self.places
        columns = dict(self.view.places)
        for col in touched:
            held = [p for p, n in self.counts[col].items() if n]
            if held:
                columns[col] = max(held)
            else:
                columns.pop(col, None)
        # A column whose printed decimals change changes the rounding of every value in it: those rows too.
        shifted = {col for col in touched if columns.get(col) != self.view.places.get(col)}
        rows = changed if not shifted else [
            row for row in self.table.rows
            if row.values is not self.scored[id(row)] or not shifted.isdisjoint(places[id(row)])]
        keys = {self.keys[id(row)] for row in rows}
        before = {key: self.view.by_row[key] for key in keys}
        self.view.places = columns
        after = {self.keys[id(row)]: row_cells(self.view, self.keys[id(row)], row) for row in rows}
        moved = set().union(*(_changed_columns(before[key], after[key]) for key in keys))
        gap_before, count_before = _errors_in(self.view, keys, moved)  # the view still holds the old values
        self.view.by_row.update(after)
        self.scored.update((id(row), row.values) for row in rows)
        self.last = _Change(undone, before, *was)
        # Over the ceiling when the gap these relations fail by now passes theirs before by more than it allows.
        limit = None if ceiling is None else ceiling[0] - self.errors[0] + gap_before
        try:
            gap_after, count_after = _errors_in(self.view, keys, moved, limit)
        except _Beaten:
            self._back()  # (the rows stay as the trial placed them: the caller undoes it)
            return BEATEN
        self.errors = (self.errors[0] - gap_before + gap_after, self.errors[1] - count_before + count_after)
        self.state = next(self.states)
        return self.errors

    def undo(self, moved: list[tuple[Row, dict]]) -> None:
        """Put the rows of a trial back as they were (``_move``'s record of them); when they are the rows the last
        score changed, the scorer is back where it was before it as well."""
        _restore(moved)
        last = self.last
        if last is None or any(row.values is not values for row, values, _places in last.rows):
            return
        self._back()

    def _back(self) -> None:
        """The scorer as it was before its last score."""
        last = self.last
        for row, values, places in last.rows:
            self._count(self.places[id(row)], -1)
            self._count(places, 1)
            self.places[id(row)] = places
            self.scored[id(row)] = values
        self.view.by_row.update(last.named)
        self.view.places, self.errors, self.state = last.view_places, last.errors, last.state
        self.last = None


# What a trial sure to score above the ceiling it was given scores: above every score.
BEATEN = (Decimal("Infinity"), 0)


@dataclass
class _Change:
    """What one score changed in a ``_Scorer``: each changed row with its values and decimals before, the named
    values before of every row named again, and the columns' decimals, the score and the placement before."""

    rows: list[tuple[Row, dict, dict[str, int]]]
    named: dict[str, dict]
    view_places: dict[str, int]
    errors: tuple[Decimal, int]
    state: int


def _changed_columns(before: dict, after: dict) -> set[str]:
    """The columns in which a row's named values differ (a figure moved in or out, or its rounding changed)."""
    return {col for col in before.keys() | after.keys()
            if col not in before or col not in after or before[col].amount is not after[col].amount
            or before[col].term != after[col].term or before[col].places != after[col].places}


def _row_places(table: Table, values: dict) -> dict[str, int]:
    """The decimals each amount of a row prints (what ``view_table`` takes each column's precision from)."""
    spec = spec_for(table.kind)
    return {col: printed_places(a.value) for col, a in values.items() if spec.column(col).type == "amount"}


@dataclass
class Doubt:
    """What a table's own relations left open: the rows' tied placements, and its total line's."""

    tied: dict[int, list[Reading]] = field(default_factory=dict)
    root: list[Reading] = field(default_factory=list)
    families: "_Families | None" = None  # the table's families and the placements chosen for them


def settle_rows(table: Table) -> Doubt:
    """One placement per uncertain row: the row's own relations first, then the table's."""
    doubt = Doubt()
    uncertain = [row for row in table.rows if row.options]
    if not uncertain:
        return doubt
    relations = table_relations(table)
    tied = doubt.tied
    families = doubt.families = _Families(table, tied)
    top = families.tree[0][0] if families.tree else None
    bests = {id(row): _best_by_row(row, table, relations) for row in uncertain}
    for row in uncertain:
        best = bests[id(row)]
        if row is top and len(best) > 1:
            best = _covering_first(table, row, bests)
        _apply(row, best[0])
        if len(best) > 1:
            tied[id(row)] = best[:MAX_TABLE_TRIALS]
    contested = [row for row in uncertain if id(row) in tied]
    if not contested:
        return doubt
    score = _Scorer(table)
    doubt.root = _settle_root(score, families)
    families.settle()
    errors = _search(score, contested, tied)
    for row in contested:
        row.alternatives = _equally_good(row, tied[id(row)], score, errors)
    return doubt


def _search(score: _Scorer, contested: list[Row], tied: dict[int, list[Reading]]) -> tuple[Decimal, int]:
    """Row by row (with the rows under each in the hierarchy, which lost the same empty cells), then pairs."""
    table = score.table
    errors = score.errors_now()
    for _ in range(3):
        improved = False
        for row in contested:
            for option in tied[id(row)]:
                if option.values == row.values:
                    continue
                moved = _move(_with_descendants(row, table, tied), row, option, tied)
                trial = score.errors_now(ceiling=errors)
                if trial < errors:
                    errors, improved = trial, True
                    break
                score.undo(moved)
        if not improved:
            improved, errors = _swap_pairs(score, contested, tied, errors)
        if not improved:
            break
    return errors


def _root(families: "_Families") -> Row | None:
    tree = families.tree
    if not tree or id(tree[0][0]) not in families.tied:
        return None
    return tree[0][0]


def _covering_first(table: Table, root: Row, bests: dict[int, list[Reading]]) -> list[Reading]:
    """The total line's placements that fill every summed column its other lines surely fill, first.

    A line that prints a figure in a summed column under every placement its own
    relations allow says the total prints one there too; placements that leave
    it blank cannot add up, and are tried last. Only the order of the search changes.
    """
    spec = spec_for(table.kind)
    filled: set[str] = set()
    for row in table.rows:
        if row is root or row.memo:
            continue
        options = bests.get(id(row))
        cols = set(row.values) if options is None else set.intersection(*(set(o.values) for o in options))
        filled |= {col for col in cols if spec.column(col).additive}
    return sorted(bests[id(root)], key=lambda o: len(filled - o.values.keys()))


def _settle_root(score: _Scorer, families: "_Families") -> list[Reading]:
    """A total line with several placements: each is tried with its hierarchy laid under it.

    Returns the placements the table's relations cannot tell apart, when more
    than one, for the other tables to decide.
    """
    root = _root(families)
    if root is None:
        return []
    scored = []
    for order, option in enumerate(families.tied[id(root)][:MAX_ROOT_TRIALS]):
        _apply(root, option)
        families.settle()
        scored.append((score.errors_now(), order, option))
    least = min(s[0] for s in scored)
    best = [option for score, _, option in sorted(scored, key=lambda s: s[1]) if score == least]
    _apply(root, best[0])
    return best if len(best) > 1 else []


def _settle_root_across(table: Table, doubt: Doubt, across) -> None:
    families = doubt.families
    root = _root(families)
    scored = []
    for order, option in enumerate(doubt.root):
        _apply(root, option)
        families.settle()
        scored.append((across(table), order, option))
    least = min(s[0] for s in scored)
    best = [option for score, _, option in sorted(scored, key=lambda s: s[1]) if score == least]
    _apply(root, best[0])
    families.settle()
    root.alternatives = [o for o in best[1:] if _differs(o, best[0])]


def _settle_ties_across(table: Table, rows: list[Row], across) -> None:
    """Rows whose placements the table cannot tell apart: the other tables' relations may."""
    for row in rows:
        unproven = [a for a in row.alternatives if a.how in NAMED_ONLY]  # named, never chosen
        options = [Reading(values=row.values), *(a for a in row.alternatives if a.how not in NAMED_ONLY)]
        if len(options) == 1:
            continue
        scored = []
        for option in options:
            _apply(row, option)
            scored.append(across(table))
        least = min(scored)
        winners = [o for o, sc in zip(options, scored) if sc == least]
        _apply(row, winners[0])
        row.alternatives = [o for o in winners[1:] if _differs(o, winners[0])] + unproven


class _Families:
    """Top down through a table's families: the placements of a line's parts, chosen together, that add
    up to the line (``settle``).

    The total line usually prints every column's figure, so it says how much of
    each column its parts hold (the classes of a functional table, the 小计 and
    single lines of a procurement table); each part then says the same of its
    own. Searching one family at a time is exact where a row-by-row search gets
    stuck (two parts whose columns are both wrong look no better when only one
    of them moves).

    The families are settled again for every placement of the total line tried (``_settle_root``, then the same
    placements against the other tables, ``_settle_root_across``): the tree (by the rows' codes and labels, which
    no placement changes) is found once, and a family whose line and fixed parts are placed as before gets the
    placements weighed for it before.
    """

    def __init__(self, table: Table, tied: dict[int, list[Reading]]):
        self.table, self.tied = table, tied
        self.tree = family_tree(table)
        # (the line's figures and its fixed parts' values, by identity) -> (those values, kept alive so that no
        # identity is reused while the key stands; the placements chosen)
        self.chosen: dict[tuple, tuple[list[dict], list[Reading]]] = {}

    def settle(self) -> None:
        for parent, kids in self.tree:
            _choose_family(parent, kids, self.tied, self.table.kind, self.chosen)


def family_tree(table: Table) -> list[tuple[Row, list[Row]]]:
    """(line, its parts) from the top down: the code hierarchy, or a table's total, 小计 and single lines."""
    scheme = spec_for(table.kind).row_key
    total = next((r for r in table.rows if r.item == "total"), None)
    if scheme in ("functional", "economic"):
        coded = [r for r in table.rows if r.code and not r.memo]
        out = []
        queue = [total] if total is not None else [r for r in coded if len(r.code) == 3]
        seen: set[int] = set()
        while queue:
            parent = queue.pop(0)
            if id(parent) in seen:
                continue
            seen.add(id(parent))
            kids = _sub_codes(parent, coded, scheme)
            out.append((parent, kids))
            queue.extend(kids)
        return out
    if table.kind in COLUMN_TOTAL_KINDS and total is not None:
        groups, loose = subtotal_groups([(r, _label(r)) for r in table.rows if r is not total and not r.memo])
        top = [sub for sub, _ in groups] + loose if groups else loose
        return [(total, top)] + [(sub, members) for sub, members in groups if members]
    return []


def _label(row: Row) -> str:
    return "".join(row.label.text.split()) if row.label else ""


def _sub_codes(parent: Row, coded: list[Row], scheme: str) -> list[Row]:
    if parent.code is None:
        return [r for r in coded if len(r.code) == 3]
    size = {"functional": {3: 5, 5: 7}, "economic": {3: 5}}[scheme].get(len(parent.code))
    return [r for r in coded if size and len(r.code) == size and r.code.startswith(parent.code)]


def _choose_family(parent: Row, kids: list[Row], tied: dict[int, list[Reading]], table_kind: str,
                   chosen: dict[tuple, tuple[list[dict], list[Reading]]]) -> None:
    """The sub-codes' placements that add up to their line: all combinations when few, else one sub-code
    at a time against the others until none improves. ``chosen``: the placements weighed before (``_Families``)."""
    contested = [k for k in kids if id(k) in tied]
    if not contested:
        return
    fixed = [parent.values, *(k.values for k in kids if id(k) not in tied)]
    key = tuple(frozenset((col, id(a)) for col, a in values.items()) for values in fixed)
    known = chosen.get(key)
    if known is not None:
        for kid, option in zip(contested, known[1]):
            _apply(kid, option)
        return
    # A column the line leaves blank holds nothing in its sub-codes either: placements that put a figure
    # there cannot add up, and go first.
    spec = spec_for(table_kind)
    choices = [[o for o in tied[id(k)] if all(c in parent.values or a.value == 0 or not spec.column(c).additive
                                             for c, a in o.values.items())]
               or tied[id(k)] for k in contested]
    size = 1
    for c in choices:
        size *= len(c)
    if size == 1:
        # One placement left for each sub-code (most families, once the line's blank columns are taken
        # into account): nothing to weigh.
        best = [c[0] for c in choices]
    else:
        best = _best_family(parent, kids, contested, choices, tied, size)
    if size <= MAX_FAMILY_TRIALS:  # (a larger family's search starts from its sub-codes as placed now)
        chosen[key] = (fixed, best)
    for kid, option in zip(contested, best):
        _apply(kid, option)


def _best_family(parent: Row, kids: list[Row], contested: list[Row], choices: list[list[Reading]],
                 tied: dict[int, list[Reading]], size: int) -> list[Reading]:
    family = _FamilyGap(_terms(parent.values), [_terms(k.values) for k in kids if id(k) not in tied])
    terms = {id(o): _terms(o.values) for c in choices for o in c}
    if size <= MAX_FAMILY_TRIALS:
        return min(product(*choices), key=lambda combo: family.gap([terms[id(o)] for o in combo]))
    best = [next((o for o in c if o.values == k.values), c[0]) for k, c in zip(contested, choices)]
    for _ in range(3):
        changed = False
        for i, options in enumerate(choices):
            # Each option's gap with the others as they stand (the one kept so far is among the options).
            gaps = {id(o): family.gap([terms[id(x)] for x in best[:i] + [o] + best[i + 1:]]) for o in options}
            pick = min(options, key=lambda o: gaps[id(o)])
            if gaps[id(pick)] < gaps[id(best[i])]:
                best[i], changed = pick, True
        if not changed:
            break
    return best


def _terms(values: dict) -> dict[str, Term]:
    return {col: Term.printed(a.value) for col, a in values.items()}


_NOTHING = Term(Decimal(0), Decimal(0))


class _FamilyGap:
    """How far a line is from the sum of its sub-codes, column by column, beyond rounding: (total gap, failures).

    Some sub-codes are placed for good (``fixed``), the others tried placement after placement: the fixed ones
    are added up once, each trial adds only the placements it tries. Column by column, as ``sum_gap`` does: the line's figure less the sum of its sub-codes' (the fixed ones, then
    the tried ones, in that order), failing when rounding (the half-units of the line's figure and of every part)
    cannot explain it.
    """

    def __init__(self, parent: dict[str, Term], fixed: list[dict[str, Term]]):
        self.parent = parent
        # Per column: (Σ the parts' values, the line's half-unit + Σ the parts' half-units).
        self.base: dict[str, tuple[Decimal, Decimal]] = {col: (ZERO, ZERO + t.half) for col, t in parent.items()}
        self._add(self.base, fixed)

    @staticmethod
    def _add(sums: dict[str, tuple[Decimal, Decimal]], kids: list[dict[str, Term]]) -> None:
        for kid in kids:
            for col, t in kid.items():
                value, half = sums.get(col, _NO_PARTS)
                sums[col] = (value + t.value, half + t.half)

    def gap(self, tried: list[dict[str, Term]]) -> tuple[Decimal, int]:
        sums = dict(self.base)
        self._add(sums, tried)
        total_gap, failures = Decimal(0), 0
        for col, (value, half) in sums.items():
            gap = self.parent.get(col, _NOTHING).value - value
            if gap and abs(gap) >= half:  # ``sum_gap``
                total_gap += abs(gap)
                failures += 1
        return total_gap, failures


_NO_PARTS = (ZERO, ZERO + _NOTHING.half)  # a column the line leaves blank: nothing added up in it yet


def _swap_pairs(score: _Scorer, contested: list[Row], tied: dict[int, list[Reading]], errors) -> tuple[bool, tuple]:
    """Two rows (with the rows under them) moved at once: a swap no single move can reach.

    Tried only for the rows at the top of the code hierarchy (a handful of
    classes), after single moves stop helping.
    """
    table = score.table
    tally = _Tally()
    view = view_table(table, table.kind)
    check_table(view, tally)
    involved = {key for key, _row in view.rows if any(p.startswith(f"{table.kind}[{key}].") for p in tally.paths)}
    keys = {id(row): key for key, row in view.rows}
    leaders = [r for r in contested if keys.get(id(r)) in involved]
    trials = 0
    for a_i, a in enumerate(leaders):
        for b in leaders[a_i + 1:]:
            for oa in tied[id(a)]:
                if oa.values == a.values:
                    continue
                moved_a = _move(_with_descendants(a, table, tied), a, oa, tied)
                for ob in tied[id(b)]:
                    if ob.values == b.values:
                        continue
                    trials += 1
                    if trials > MAX_PAIR_TRIALS:
                        score.undo(moved_a)
                        return False, errors
                    moved_b = _move(_with_descendants(b, table, tied), b, ob, tied)
                    trial = score.errors_now(ceiling=errors)
                    if trial < errors:
                        return True, trial
                    score.undo(moved_b)
                score.undo(moved_a)
    return False, errors


def _with_descendants(row: Row, table: Table, tied: dict[int, list[Reading]]) -> list[Row]:
    if not row.code:
        return [row]
    return [row] + [r for r in table.rows if r is not row and id(r) in tied and r.code
                    and r.code.startswith(row.code) and len(r.code) > len(row.code)]


def _signature(option: Reading) -> tuple[str, ...]:
    """The columns a placement uses, in the order of the figures it places."""
    return tuple(k for k, _a in sorted(option.values.items(), key=lambda kv: kv[1].span))


def _move(group: list[Row], lead: Row, option: Reading, tied: dict[int, list[Reading]]) -> list[tuple[Row, dict]]:
    """Apply ``option`` to ``lead`` and the same column pattern to the rest of ``group``; return what to restore."""
    moved = [(lead, lead.values)]
    _apply(lead, option)
    sig = _signature(option)
    for row in group[1:]:
        match = next((o for o in tied[id(row)] if _signature(o) == sig), None)
        if match is not None and match.values != row.values:
            moved.append((row, row.values))
            _apply(row, match)
    return moved


def _restore(moved: list[tuple[Row, dict]]) -> None:
    for row, values in moved:
        row.values = values


def _equally_good(row: Row, options: list[Reading], score: _Scorer, errors: int) -> list[Reading]:
    """Other placements of the row that verify as well as the one kept: the row is ambiguous."""
    kept = row.values
    alternatives = []
    for option in options:
        if not _differs(option, Reading(values=kept)):
            continue
        _apply(row, option)
        if score.errors_now(ceiling=errors) <= errors:
            alternatives.append(option)
        score.undo([(row, kept)])
    return alternatives


def _best_by_row(row: Row, table: Table, relations) -> list[Reading]:
    """The placements under which the row's own relations fail least and hold most, in the reader's order."""
    scored = []
    for order, option in enumerate(row.options):
        held, failed = row_balance(table.kind, option.values, table.columns, relations)
        scored.append(((failed, -held), order, option))
    best_score = min(s[0] for s in scored)
    return [option for score, _, option in sorted(scored, key=lambda s: s[1]) if score == best_score]


def _apply(row: Row, option: Reading) -> None:
    row.values = dict(option.values)


def _differs(a: Reading, b: Reading) -> bool:
    return {k: v.span for k, v in a.values.items()} != {k: v.span for k, v in b.values.items()}
