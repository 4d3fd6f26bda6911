"""Every number of a result, named: the vocabulary all checks speak.

A ``Val`` is one amount with a stable path ("expenditure_summary[2101501].total"),
a label a person understands ("支出总表 2101501 行政运行 · 合计") and the rounding
half-unit that applies to it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from schemas import Amount, ExtractionResult, FieldRef, PerformanceCard, Row, Table, spec_for

from .tolerance import Term, half_unit, printed_places


@dataclass(eq=False, slots=True)
class Val:
    path: str
    where: str  # table and row, for messages: "支出总表 2101501 行政运行"
    what: str  # column: "合计"
    amount: Amount
    places: int
    section_id: str
    en_where: str = ""
    en_what: str = ""
    # Counts printed as whole numbers (1 项, 3 辆) are exact, not rounded.
    exact: bool = False
    term: Term | None = None  # computed from places unless given
    unit: str = "万元"  # the table's unit: tables of one document may print 元 and 万元

    def __post_init__(self) -> None:
        if self.term is None:
            self.term = Term(self.amount.value, _ZERO if self.exact else half_unit(self.places))

    @property
    def common(self) -> Term:
        """The term in 万元, for comparing values of tables printed in different units."""
        factor = TO_WAN.get(self.unit, _ONE)
        if factor == _ONE:
            return self.term
        return Term(self.term.value * factor, self.term.half * factor)

    @property
    def text(self) -> str:
        """The value as messages show it (``flags.fmt``: grouped by thousands in 元)."""
        from .flags import fmt

        return fmt(self.value, self.unit)

    @property
    def shown(self) -> str:
        """The value with its unit, for messages that compare tables printed in different units."""
        return f"{self.text} {self.unit}"

    @property
    def value(self) -> Decimal:
        return self.amount.value

    @property
    def label(self) -> str:
        return f"{self.where} · {self.what}"

    def ref(self) -> FieldRef:
        return FieldRef(path=self.path, label=self.label, value=str(self.value), span=self.amount.span)


_ZERO = Decimal(0)
ONE = _ONE = Decimal(1)
# What a value's unit is called in messages when its table states one the reader does not understand.
UNKNOWN_UNIT = "（单位未知）"
# Units tables print their amounts in, as a factor to 万元.
TO_WAN = {"万元": _ONE, "元": Decimal("0.0001"), "千元": Decimal("0.1"), "百万元": Decimal(100), "亿元": Decimal(10000)}


def unknown_unit(table: Table) -> str:
    """What a value's unit is called when its table states one the reader does not understand: the statement
    itself, so that two tables stating the same unknown unit are still in one unit, and two different ones not."""
    if table.unit_header is not None and table.unit_text is not None:
        return f"（单位未知：{table.unit_text.text} 或表头 {table.unit_header.text}）"
    return f"（单位未知：{table.unit_text.text}）" if table.unit_text else UNKNOWN_UNIT


_UNIT_IN_TEXT = re.compile("|".join(sorted(("万元", "元", "千元", "百万元", "亿元"), key=len, reverse=True)))


def unit_in(text: str) -> str | None:
    """The money unit a statement or a header cell prints (单位：人民币万元 → 万元, 预算数（元） → 元)."""
    found = {m.group() for m in _UNIT_IN_TEXT.finditer(text)}
    return found.pop() if len(found) == 1 else None


def is_known_unit(unit: str) -> bool:
    """A money unit values can be converted from (元, 万元, 千元 …), not one the reader did not understand."""
    return unit in TO_WAN


def _squash(s: str) -> str:
    return "".join(s.split())


def row_label(row: Row) -> str:
    return _squash(row.label.text) if row.label else ""


def _row_key(row: Row, label: str) -> str:
    if row.code:
        return row.code
    if row.item:
        return row.item
    label = label[:24] or "row"
    return f"{row.side}:{label}" if row.side else label


def places_by_column(table: Table) -> dict[str, set[int]]:
    """The decimals printed in each amount column of a table."""
    spec = spec_for(table.kind)
    by_column: dict[str, set[int] | None] = {}  # None for a column that is not an amount column
    for row in table.rows:
        for key, amount in row.values.items():
            places = by_column.get(key, by_column)  # (the dict itself: a column not met yet)
            if places is by_column:
                places = by_column[key] = set() if spec.column(key).type == "amount" else None
            if places is not None:
                places.add(printed_places(amount.value))
    return {key: places for key, places in by_column.items() if places is not None}


def document_places(column_places: list[dict[str, set[int]]]) -> int | None:
    """The precision of a document whose tables drop trailing zeros ("2145", "4.3" beside "660.56").

    Such a document prints 2145.00 as "2145", so a bare "2145" there is exact
    to the cent, not 2145 ± 0.5; every amount column of it gets the most
    decimals printed anywhere in its tables. None when no table mixes
    precisions, and each printed amount keeps its own rounding.
    """
    seen = column_places
    if not any(len(p) > 1 for cols in seen for p in cols.values()):
        return None
    return max((max(p) for cols in seen for p in cols.values()), default=None)


@dataclass
class TableView:
    """A table with its values named; rows keep the reader's order."""

    table: Table
    name: str  # the kind, with "#2" for a second table of the same kind
    zh: str
    rows: list[tuple[str, Row]] = field(default_factory=list)
    by_row: dict[str, dict[str, Val]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # row key -> label without whitespace
    by_code: dict[str, str] = field(default_factory=dict)  # code or "total" -> row key
    memo: dict = field(default_factory=dict)  # derived facts checks share (summary line groups)
    places: dict[str, int] = field(default_factory=dict)  # each amount column's printed decimals
    whole: frozenset[tuple[int, int]] = frozenset()  # spans of numbers a spreadsheet holds as shown (exact)
    # When set, the checks weigh only the relations that involve one of these rows (the chooser re-checks what
    # a trial placement touches; ``verify.choose``).
    only: set[str] | None = None
    only_columns: set[str] | None = None  # and, of the relations within one column, only those in these columns
    # A table printed in blocks per unit (``unit_blocks``): each block line's key -> its unit line's key.
    unit_of: dict[str, str] = field(default_factory=dict)

    def touches(self, *keys: str) -> bool:
        """Whether a relation between these rows is to be checked."""
        return self.only is None or not self.only.isdisjoint(keys)

    @property
    def touched_rows(self) -> list[tuple[str, Row]]:
        """The rows whose own relations are to be checked: every row, or (a trial placement) those in ``only``."""
        if self.only is None:
            return self.rows
        at = self.memo.get("row positions")
        if at is None:
            at = self.memo["row positions"] = {key: n for n, (key, _row) in enumerate(self.rows)}
        return [self.rows[n] for n in sorted(at[key] for key in self.only if key in at)]

    def touches_column(self, column: str) -> bool:
        """Whether a relation within this column is to be checked."""
        return self.only_columns is None or column in self.only_columns

    @property
    def vals(self) -> dict[tuple[str, str], Val]:
        """Every value, keyed (row key, column)."""
        return {(k, c): v for k, cells in self.by_row.items() for c, v in cells.items()}

    def get(self, key: str | None, column: str) -> Val | None:
        cells = self.by_row.get(key)
        return cells.get(column) if cells else None

    def row_vals(self, key: str) -> dict[str, Val]:
        return self.by_row.get(key, {})

    def label(self, key: str) -> str:
        return self.labels.get(key, "")

    def row_zh(self, key: str) -> str:
        """The row as a reader finds it in the printed table: its code and label, or its label."""
        label = self.label(key)
        if key in self.unit_of:  # 某市公路事业发展中心 208 社会保障和就业支出: the same code is printed under each unit
            return f"{self.label(self.unit_of[key])} {key.rsplit('/', 1)[1].split('#')[0]} {label}".strip()
        if key.isdigit():
            return f"{key} {label}".strip()
        return label or key

    def column_zh(self, col: str) -> str:
        """The column's header as printed, or the registry's name for it."""
        return self.table.columns.get(col) or spec_for(self.table.kind).column(col).zh


def view_table(table: Table, name: str, doc_places: int | None = None,
               column_places: dict[str, set[int]] | None = None,
               whole: frozenset[tuple[int, int]] = frozenset()) -> TableView:
    """The table's values named and given their rounding; ``whole``: spans of numbers a spreadsheet holds as shown
    (``Geometry.exact``), which were not rounded for printing."""
    spec = spec_for(table.kind)
    # A table printed once per unit (部门汇总, 本级, each school) names its unit wherever its values are named.
    zh = f"{spec.zh}（{table.entity.text}）" if table.entity_role and table.entity else spec.zh
    view = TableView(table=table, name=name, zh=zh, whole=whole)
    column_places = places_by_column(table) if column_places is None else column_places
    view.places = {k: max(v) for k, v in column_places.items()}
    if doc_places is not None:
        view.places = {k: max(v, doc_places) for k, v in view.places.items()}
    seen: dict[str, int] = {}
    units = unit_blocks(table.rows)
    for n, row in enumerate(table.rows):
        label = row_label(row)
        unit = units[n] if units else None
        # A unit line keyed by its code, a block's line by its unit's code and its own (301002/208).
        key = _row_key(row, label) if unit is None else unit if row.code is None else f"{unit}/{row.code}"
        nth = seen[key] = seen.get(key, 0) + 1
        if nth > 1:
            key = f"{key}#{nth}"
        view.rows.append((key, row))
        view.labels[key] = label
        if unit is not None and row.code:
            view.unit_of[key] = unit  # never in ``by_code``: one unit's 208 is not the department's
        elif row.code or row.item == "total":
            view.by_code.setdefault(row.code or "total", key)
        view.by_row[key] = row_cells(view, key, row)
    return view


def printed_code(row: Row) -> str:
    """The code a line prints as digits (a department's 301, a unit's 301001), "" when it prints none."""
    text = "".join(row.code_raw.text.split()) if row.code_raw else ""
    return text if text.isdigit() else ""


def unit_blocks(rows: list[Row]) -> list[str | None] | None:
    """For a table printed in blocks per unit (合计 / 301 部门 / 301001 本级 / its 类款项 lines / 301002 单位 / its
    lines …, the same codes again under each unit): each line's unit — the unit's code on its own line and on the
    lines of its block, None above the first block. None for any other table, among them one unit's single block
    (its lines are the department's). Told by the printed codes, never by the amounts."""
    if [row.item for row in rows].count("department") < 2:
        return None  # (most tables: asked of every table a view is made of)
    units: list[str | None] = []
    unit, with_lines = None, set()
    for row in rows:
        if row.item == "department":
            code = printed_code(row)
            unit = code if len(code) == 6 else None
            units.append(unit)
            continue
        if row.code and unit:
            with_lines.add(unit)
        units.append(unit if row.code else None)
    return units if len(with_lines) >= 2 else None


def row_cells(view: TableView, key: str, row: Row) -> dict[str, Val]:
    """The named values of one row of ``view`` (its columns' precision taken from ``view.places``)."""
    table = view.table
    label = view.labels[key]
    # (A table of one line printed across, the 三公 table, has no label: the table alone names it.)
    where = f"{view.zh} {row.code} {label}" if row.code else f"{view.zh} {label}" if label else view.zh
    en_kind, unit, columns = _table_naming(view)
    en_where = f"{en_kind} {row.code or row.item or ''}".rstrip()
    if key in view.unit_of:  # the unit's name too: the same code is printed under each unit
        where, en_where = f"{view.zh} {view.row_zh(key)}", f"{en_kind} {key}"
    places, whole, section_id = view.places, view.whole, table.section_id
    cells = {}
    for col, amount in row.values.items():
        named = columns.get(col)
        if named is None:
            named = columns[col] = _column_naming(table, col)
        kind, what = named
        value = amount.value
        if kind == "amount":
            # An amount column's precision already counts this amount's own decimals.
            p = places[col]
            term = Term(value, _ZERO if whole and _shown_whole(amount, whole) else _half_unit(p))
            cells[col] = Val(f"{view.name}[{key}].{col}", where, what, amount, p, section_id, en_where, col, False,
                             term, unit)
        elif kind == "percent":
            p = printed_places(value)
            term = Term(value, half_unit(p))  # a rate is rounded like an amount
            cells[col] = Val(f"{view.name}[{key}].{col}", where, what, amount, p, section_id, en_where, col, False,
                             term, "%")
        else:
            p = printed_places(value)
            term = Term(value, _ZERO if p == 0 else half_unit(p))  # whole counts are exact
            cells[col] = Val(f"{view.name}[{key}].{col}", where, what, amount, p, section_id, en_where, col,
                             kind == "count" and p == 0, term, unit)
    return cells


def _table_naming(view: TableView) -> tuple[str, str, dict[str, tuple[str, str]]]:
    """The table as English messages name it, the unit of its amounts, and each column's type and name (filled as
    columns are met): the same for every row of the view."""
    naming = view.memo.get("naming")
    if naming is None:
        table = view.table
        en_kind = table.kind.replace("_", " ") + (f" ({table.entity.text})" if table.entity_role and table.entity
                                                  else "")
        naming = view.memo["naming"] = (en_kind, (table.unit or unknown_unit(table)).strip(), {})
    return naming


def _column_naming(table: Table, col: str) -> tuple[str, str]:
    """A column's type and the name its values are given in messages."""
    cspec = spec_for(table.kind).column(col)
    return cspec.type, _total_word(table.columns.get(col), cspec.zh)


_TOTAL_WORDS = ("合计", "总计", "小计")


def _total_word(printed: str | None, zh: str) -> str:
    """A total column named as the table prints it (合计 where the registry says 总计, and the other way)."""
    return printed if zh in _TOTAL_WORDS and printed in _TOTAL_WORDS else zh


@lru_cache(maxsize=64)
def _half_unit(places: int) -> Decimal:
    return half_unit(places)


def _shown_whole(amount, whole: frozenset[tuple[int, int]]) -> bool:
    """A spreadsheet's number shown with all its digits: exact, unless General's 11 significant digits cut it."""
    return bool(whole) and tuple(amount.span) in whole and len(amount.value.as_tuple().digits) < 11


def view_tables(result: ExtractionResult) -> list[TableView]:
    column_places = [places_by_column(t) for t in result.tables]
    doc_places = document_places(column_places)
    whole = exact_spans(result)
    return [view_table(table, name, doc_places, places, whole)
            for table, name, places in zip(result.tables, table_names(result.tables), column_places)]


def table_names(tables: list[Table]) -> list[str]:
    """Each table's name in value paths: its kind, with "#2" for a second table of the same kind."""
    counts: Counter[str] = Counter()
    names = []
    for table in tables:
        counts[table.kind] += 1
        names.append(table.kind if counts[table.kind] == 1 else f"{table.kind}#{counts[table.kind]}")
    return names


def exact_spans(result: ExtractionResult) -> frozenset[tuple[int, int]]:
    """The spans of numbers a spreadsheet holds as shown (``Geometry.exact``)."""
    return frozenset(map(tuple, result.geometry.exact)) if result.geometry is not None else frozenset()


def card_name(card: PerformanceCard) -> str:
    if card.project_name:
        return _squash(card.project_name.text)
    return re.sub(r"^\d+[、.]", "", _squash(card.title))


def card_identity(card: PerformanceCard, printed_total: Amount | None = None) -> str | None:
    """What a card is whatever its place in the document: its 项目编码, else its project name and budget
    (``printed_total``: the budget as printed, when a person corrected it)."""
    if card.project_code is not None and _squash(card.project_code.text):
        ident = _squash(card.project_code.text)
    elif card.project_name is None or not _squash(card.project_name.text):
        return None
    else:
        total = printed_total or card.budget.total
        ident = f"{_squash(card.project_name.text)}|{total.raw if total is not None else ''}"
    return _bracketed(ident)


def _bracketed(key: str) -> str:
    """A key as it can stand inside a path's brackets: its own brackets as full-width ones."""
    return key.replace("[", "［").replace("]", "］")


def card_aliases(cards: list[PerformanceCard], corrections: list | None = None) -> dict[str, str]:
    """Each card's key in value paths (``performance_target[s40-performance_target]``, its section) → the key by
    its identity (``performance_target[13108224P00000410564J]``), which one table more before the cards does not
    change. A card printed twice (003) gets ``#2`` on its second printing; a card with no identity keeps its key.
    Its named indicators are keyed by name alike (``indicator_keys``).
    ``corrections``: a person's corrections (``Correction``): a card is known by what it prints, not by them."""
    printed = {c.path: c.original for c in corrections or ()}
    seen: dict[str, int] = {}
    out = {}
    for card in cards:
        ident = card_identity(card, printed.get(f"{card.kind}[{card.section_id}].budget.total"))
        if ident is None:
            continue
        seen[ident] = seen.get(ident, 0) + 1
        nth = f"#{seen[ident]}" if seen[ident] > 1 else ""
        key = f"{card.kind}[{card.section_id}]"
        out[key] = f"{card.kind}[{ident}{nth}]"
        for i, name in indicator_keys(card).items():
            out[f"{key}.indicators[{i}]"] = f"{out[key]}.indicators[{name}]"
    return out


def indicator_keys(card: PerformanceCard) -> dict[int, str]:
    """Each named indicator's place in the card → its key by name (``救助资金使用金额``, ``#2`` on a name's second
    indicator): a revised card that prints one indicator more above it does not make its value another question."""
    seen: dict[str, int] = {}
    out = {}
    for i, ind in enumerate(card.indicators):
        name = _squash(ind.name.text) if ind.name is not None else ""
        if not name:
            continue
        seen[name] = seen.get(name, 0) + 1
        nth = f"#{seen[name]}" if seen[name] > 1 else ""
        out[i] = _bracketed(name) + nth
    return out


_BUDGET_PARTS_ZH = {"total": "预算数", "fiscal": "财政资金", "carryover": "上年结转", "other": "其他资金"}


def card_vals(card: PerformanceCard) -> dict[str, Val]:
    """The card's budget figures, keyed budget.total / budget.fiscal / …"""
    key = card.section_id
    title = card_name(card)
    where, en_where = f"绩效目标表 {title}", f"card {title}"
    out = {}
    for part in _BUDGET_PARTS_ZH:
        amount = getattr(card.budget, part)
        if amount is not None:
            out[f"budget.{part}"] = _budget_val(card, part, amount, where, en_where)
    for name, amount in card.budget.sources.items():
        out[f"budget.sources[{name}]"] = Val(
            path=f"{card.kind}[{key}].budget.sources[{name}]", where=where, what=name, amount=amount,
            places=printed_places(amount.value), section_id=card.section_id,
            en_where=en_where, en_what=f"budget source {name}", unit=card.unit,
        )
    return out


def card_total(card: PerformanceCard) -> Val | None:
    """The card's budget total (``card_vals``' budget.total), for the checks that compare only it."""
    amount = card.budget.total
    if amount is None:
        return None
    title = card_name(card)
    return _budget_val(card, "total", amount, f"绩效目标表 {title}", f"card {title}")


def _budget_val(card: PerformanceCard, part: str, amount: Amount, where: str, en_where: str) -> Val:
    return Val(path=f"{card.kind}[{card.section_id}].budget.{part}", where=where, what=_BUDGET_PARTS_ZH[part],
               amount=amount, places=printed_places(amount.value), section_id=card.section_id,
               en_where=en_where, en_what=f"budget {part}", unit=card.unit)
