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

from schemas import ExtractionResult, Reading, Row, Table

from .flags import Flagger
from .tables import check_table, row_balance, row_relations
from .values import view_table

# Rows whose placements still tie after their own relations are settled against the table; past
# this many trial placements per row the reader's first is kept and the rest recorded as alternatives.
MAX_TABLE_TRIALS = 24


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


def table_errors(table: Table) -> int:
    """How many of the table's own relations fail as it is read."""
    flagger = Flagger("", "")
    check_table(view_table(table, table.kind), flagger)
    return sum(1 for f in flagger.flags.values() if f.severity == "error")


def settle_rows(table: Table) -> None:
    uncertain = [row for row in table.rows if row.options]
    if not uncertain:
        return
    relations = row_relations(table.kind, table.columns)
    tied: dict[int, list[Reading]] = {}
    for row in uncertain:
        best = _best_by_row(row, table, relations)
        _apply(row, best[0])
        if len(best) > 1:
            tied[id(row)] = best
    for row in uncertain:
        options = tied.get(id(row))
        if options:
            _settle_against_table(row, options, table)
        row.propose([])


def _best_by_row(row: Row, table: Table, relations) -> list[Reading]:
    """The placements under which the row's own relations fail least and hold most, in the reader's order."""
    scored = []
    for order, option in enumerate(row.options):
        held, failed = row_balance(table.kind, option.values, table.columns, relations)
        scored.append(((failed, -held), order, option))
    best_score = min(s[0] for s in scored)
    return [option for score, _, option in sorted(scored, key=lambda s: s[1]) if score == best_score]


def _settle_against_table(row: Row, options: list[Reading], table: Table) -> None:
    trials = options[:MAX_TABLE_TRIALS]
    errors = []
    for option in trials:
        _apply(row, option)
        errors.append(table_errors(table))
    least = min(errors)
    winners = [option for option, e in zip(trials, errors) if e == least]
    _apply(row, winners[0])
    row.alternatives = [o for o in winners[1:] + options[MAX_TABLE_TRIALS:] if _differs(o, winners[0])]


def _apply(row: Row, option: Reading) -> None:
    row.values = dict(option.values)


def _differs(a: Reading, b: Reading) -> bool:
    return {k: v.span for k, v in a.values.items()} != {k: v.span for k, v in b.values.items()}
