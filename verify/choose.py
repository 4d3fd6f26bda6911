"""Choosing between readings: readers propose, the verifier's relations dispose.

A reader that cannot be sure where a number belongs — a converter dropped the
empty cells of a row, a header does not line up with its data — proposes the
placements the row allows (``Row.options``) or the layouts the header allows
(``Table.proposals``). Here the verifier's own relations choose: first each
row's relations (合计 = 基本 + 项目, 小计 = Σ 来源 …), then the table's (the code
hierarchy, column totals, the summary's groups) with the other rows as read.
The reading under which the fewest relations fail wins; the reader's own order
breaks ties between readings that place every number alike. When readings that
place numbers differently verify equally well, the first is kept and the others
are recorded on the row (``Row.alternatives``), which the verifier flags as
``read.ambiguous``: never a silent guess.

The same rule keeps an LLM's reading of a section only when more of its values
verify (``extractor.pipeline``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from schemas import ExtractionResult, Reading, Row, Table

from .flags import Flagger
from .tables import check_table, row_balance, row_relations
from .values import view_table

# Rows whose placements still tie after their own relations are settled against the table, trying
# at most this many placements per row, and at most MAX_PAIR_TRIALS moves of two rows at once.
MAX_TABLE_TRIALS = 24
MAX_PAIR_TRIALS = 400


def choose_readings(result: ExtractionResult) -> None:
    """Settle every proposal in ``result``: one layout per table, one placement per row."""
    for n, table in enumerate(result.tables):
        if table.proposals:
            result.tables[n] = _best_layout(table)
        else:
            settle_rows(table)


def _best_layout(table: Table) -> Table:
    candidates = [table, *table.proposals]
    scored = []
    for order, candidate in enumerate(candidates):
        settle_rows(candidate)
        scored.append((table_errors(candidate), order, candidate))
    scored.sort(key=lambda s: (s[0], s[1]))
    best = scored[0][2]
    best.propose([])
    return best


class _Tally(Flagger):
    """A flagger that only adds up what fails: how many relations, and by how much in all."""

    def __init__(self):
        super().__init__("", "")
        self.count = 0
        self.gap = Decimal(0)
        self.paths: set[str] = set()  # the values the failures involve

    def add(self, check, severity, message, message_en, vals=(), expected=None, found=None, spans=(),
            section_id=None, key=""):
        if severity == "error":
            self.count += 1
            self.gap += _distance(expected, found)
            self.paths.update(v.path for v in vals)

    def sum_mismatch(self, check, where, en_where, total, parts, gap, severity="error"):
        if severity == "error":
            self.count += 1
            self.gap += abs(gap)
            self.paths.update(v.path for v in (total, *parts))


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
    tally = _Tally()
    check_table(view_table(table, table.kind), tally)
    return tally.gap, tally.count


def settle_rows(table: Table) -> None:
    """One placement per uncertain row: the row's own relations first, then the table's.

    Rows whose own relations leave several placements are tried against the
    table one at a time, and together with the rows under them in the code
    hierarchy (a class and its 款 and 项 rows lost the same empty cell, so they
    move together). A move is kept only when fewer of the table's relations fail.
    """
    uncertain = [row for row in table.rows if row.options]
    if not uncertain:
        return
    relations = row_relations(table.kind, table.columns)
    tied: dict[int, list[Reading]] = {}
    for row in uncertain:
        best = _best_by_row(row, table, relations)
        _apply(row, best[0])
        if len(best) > 1:
            tied[id(row)] = best[:MAX_TABLE_TRIALS]
    contested = [row for row in uncertain if id(row) in tied]
    if contested:
        errors = table_errors(table)
        for _ in range(3):
            improved = False
            for row in contested:
                for option in tied[id(row)]:
                    if option.values == row.values:
                        continue
                    moved = _move(_with_descendants(row, table, tied), row, option, tied)
                    trial = table_errors(table)
                    if trial < errors:
                        errors, improved = trial, True
                        break
                    _restore(moved)
            if not improved:
                improved, errors = _swap_pairs(table, contested, tied, errors)
            if not improved:
                break
        for row in contested:
            row.alternatives = _equally_good(row, tied[id(row)], table, errors)
    for row in uncertain:
        row.propose([])


def _swap_pairs(table: Table, contested: list[Row], tied: dict[int, list[Reading]], errors) -> tuple[bool, tuple]:
    """Two rows (with the rows under them) moved at once: a swap no single move can reach.

    Tried only for the rows at the top of the code hierarchy (a handful of
    classes), after single moves stop helping.
    """
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
                        _restore(moved_a)
                        return False, errors
                    moved_b = _move(_with_descendants(b, table, tied), b, ob, tied)
                    trial = table_errors(table)
                    if trial < errors:
                        return True, trial
                    _restore(moved_b)
                _restore(moved_a)
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


def _equally_good(row: Row, options: list[Reading], table: Table, errors: int) -> list[Reading]:
    """Other placements of the row that verify as well as the one kept: the row is ambiguous."""
    kept = row.values
    alternatives = []
    for option in options:
        if not _differs(option, Reading(values=kept)):
            continue
        row.values = dict(option.values)
        if table_errors(table) <= errors:
            alternatives.append(option)
    row.values = kept
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
