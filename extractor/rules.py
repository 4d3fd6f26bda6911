"""Stage 3a — the deterministic reader for standard tables: cells aligned to headers, nothing guessed.

Every amount it emits is the text of the source at the amount's parts. Where
the column of a number is certain (its cell sits under its header) the reader
places it. Where it is not — a converter dropped empty cells, a header that does
not line up with the data, a space-aligned line that does not fit its page's
columns — the reader *proposes* the placements the row allows, and the
verifier's relations choose (``verify.choose``). Where a section cannot be read
at all (a flattened layout, no header it recognises) it says so with the
section, span and reason.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import combinations, islice

from schemas import (Amount, HintUse, LayoutHint, Reading, Row, Table, Text, Unread, is_blank_mark, parse_amount,
                     spec_for)
from schemas.tables import OTHER_TABLE, YEAR_ON_YEAR_KEYS, TableSpec

from .cells import HAN, Cell, Geometry, display_width
from .chunk import Chunk, Line
from .units import counts_statement_in, header_units, statement_in
from .grid import (SIDE_BY_SIDE, Layout, Page, RawRow, build_layouts, codes_beside, counted_seq, norm, segment_rows,
                   side_by_side_tables, worded_columns)

_TOTAL_LABEL = re.compile(r"^(合计|总计|小计|本年收入合计|本年支出合计|收入总计|支出总计)$|(合计|小计|总计)$")
_FRESH_LINE = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|其中|\d+、)")
_COMPLETE_LABEL = re.compile(r"(支出|收入|合计|小计|总计|结转|结余|资金|拨款|预算|经费|补助|费|数|局|中心)$")
_MEMO_LABEL = re.compile(r"^\s*[（(]?\s*其中\s*[：:)）]?")
_ORG_NAME = re.compile(r"(局|委|委员会|办|办公室|院|中心|厅|部|所|站|队|馆|社|会|处|科|校|园|室|本级|机关)$")
_SEQ_TOKEN = re.compile(r"^\d{1,4}$")
_CODE_TOKEN = re.compile(r"^\d{2,7}$")
# Patterns used per row or per cell, compiled once (re's own cache still costs a lookup per call).
_SPACES = re.compile(r"\s+")
_ONE_CELL_CODE = re.compile(r"\d{3}(\d{2}){0,2}|\d{6}|\d{3}\d{3}")
# The most placements proposed for one row; they are tried in order, nearest the reader's own first.
MAX_PLACEMENTS = 2000


class Unreadable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


ONE_CELL_PER_LINE = ("no table rows: the table is printed one cell per line, which loses the column each cell is "
                     "in (needs the LLM reader, or the PDF itself)")


# Markdown holding its tables as HTML (MinerU, docling: <table><tr><td>…): the rows are there, in markup this
# reader does not read yet.
HTML_TABLE = "no table rows: the table is HTML markup (<table><tr><td>), which this reader does not read yet " \
             "(needs the LLM reader, or the PDF itself)"


def read_table(chunk: Chunk, hints: tuple[LayoutHint, ...] = (), explicit_cells: bool = False) -> Table:
    """Fill the chunk's table schema, or raise ``Unreadable`` with the reason.

    When the header allows more than one layout (a 栏次 row that disagrees with
    it), the other readings travel with the table as proposals. A layout hint
    for the table's header (a person's column decision on another document with
    this header) makes one more reading, offered first; the verifier still chooses.

    ``explicit_cells``: the rows come from a file that keeps every cell (a spreadsheet, a CSV, a Word table),
    so a row whose blanks all come after its figures did not lose its empty cells: no reading says it did.
    """
    spec = spec_for(chunk.kind)
    if not chunk.has_rows and (statement := _empty_statement(chunk)) is not None:
        # The title and a line saying the table is empty or not published (此表不公开, 故本表无数据): an empty
        # table with its note, as one printed with its header and an empty 合计 is.
        return Table(section_id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span, **chunk_unit(chunk),
                     entity=chunk_entity(chunk), note=statement, columns={}, rows=[], empty=True)
    if not chunk.has_rows and any("<td" in line.text or "<tr" in line.text for line in chunk.lines):
        raise Unreadable(HTML_TABLE)
    if not chunk.has_rows or _flattened_header(chunk):
        if _one_cell_per_line(chunk):
            raise Unreadable(ONE_CELL_PER_LINE)
        raise Unreadable("no table rows: the layout is flattened into lines (needs the LLM reader)")
    units = _entities_named(chunk)
    if len(units) > 1:
        # 单位名称：部门汇总 … 单位名称：XX小学 under one title: the units' rows would run together as one table's.
        raise Unreadable(f"the section prints the tables of several units under one title ({'、'.join(units)}): "
                         f"each unit's table must be read on its own")
    first, layouts_seen, repadded, otherwise = _read_with_layout(spec, chunk, 0)
    repadded = repadded and not explicit_cells
    if first is None:
        raise Unreadable("no header row this reader recognises")
    # The other layouts are read only if the verifier asks for them (the first does not add up); so is
    # the table read as if its rows had lost their empty cells and been padded out again at the end.
    # So is the table with one later page read in the first page's columns where it reads its own header
    # otherwise (a converter that lays each page out anew may cut a repeated header's words differently).
    others = (lambda: [t for pick in range(1, layouts_seen)
                       if (t := _read_with_layout(spec, chunk, pick)[0]) is not None]
              + ([t] if repadded and (t := _read_with_layout(spec, chunk, 0, repadded=True)[0]) is not None
                 else [])
              + [t for pages in _page_sets(otherwise)
                 if (t := _read_with_layout(spec, chunk, 0, first_columns_on=pages)[0]) is not None]
              ) if layouts_seen > 1 or repadded or otherwise else None
    hint = next((h for h in hints if h.kind == first.kind and h.header == first.header), None)
    hinted = _hinted(first, hint) if hint is not None else None
    if hint is not None and hinted is None and _plainly_printed(first, hint):
        # A hint settles the tie it was taught on (a row that lost its empty cells); here every row it would move
        # prints one cell per column, so each figure is read under the header it is printed under.
        first.hint = HintUse(id=hint.id, used=False, moves=hint.describe(), note=(
            "not used: its premise does not hold here — the rows it would move print one cell per column (no "
            "empty cell dropped), so each figure is read under the header it is printed under"))
    if hinted is not None:
        # The hinted reading first (a person taught it for this header), the reader's own readings after it.
        def readings(first=first, others=others):
            tables = [first, *(others() if others else [])]
            for table in tables:
                table.hint = HintUse(id=hint.id, used=False, moves=hint.describe())
            return tables
        hinted.propose(readings)
        return hinted
    if others is not None:
        first.propose(others)
    return first


def _one_cell_per_line(chunk: Chunk) -> bool:
    """Most of the section's lines hold one cell each, figures among them: a converter that wrote each cell on a
    line of its own."""
    lines = [ln.text.strip() for ln in chunk.lines[1:] if ln.text.strip() and ln.kind.value in ("text", "spaced")]
    single = [t for t in lines if not _GAPS.search(t)]
    figures = [t for t in single if parse_amount(t) is not None]
    return len(lines) >= 8 and len(single) >= 0.8 * len(lines) and len(figures) >= 3


_GAPS = re.compile(r"\s{2,}|\t")


# What a table with nothing to print says instead: 此表不公开, 本表为空表, （此表无数据）, 本部门无国有资本经营预算拨款
#安排的支出, 未安排…支出 …
_EMPTY_STATEMENT = re.compile(r"(?:此|本|该)表(?:为)?(?:空表|无数据|无内容|不(?:予)?公开)|空表|无数据|不(?:予)?公开|"
                              r"(?:无|没有|未安排|未发生)[^，。；]{0,30}(?:支出|收入|经费|资金|数据|安排)")
_FIGURE = re.compile(r"\d+\.\d+|\d{1,3}(?:,\d{3})+")


def _empty_statement(chunk: Chunk) -> str | None:
    """The lines of a section with no rows that say its table is empty or not published, or None when it prints
    anything else (a figure, a line that says no such thing: a layout flattened into lines)."""
    lines = [ln for ln in chunk.lines[1:] if ln.kind.value == "text" and ln.text.strip()]
    if not lines or len(lines) > 3 or any(_FIGURE.search(ln.text) for ln in lines):
        return None
    text = " ".join(ln.text.strip() for ln in lines)
    return text if _EMPTY_STATEMENT.search(_SPACES.sub("", text)) else None


def _hinted(table: Table, hint: LayoutHint) -> Table | None:
    """The table read as the hint says: each move's figures in the column the document prints them under.

    Rows whose placement was uncertain get each placement as the hint would
    have it, in the reader's order, so that among readings that verify alike
    the hint's is kept; a reading that verifies worse still loses. None if the
    hint moves nothing.
    """
    spec = spec_for(table.kind)
    copy = table.model_copy(deep=True)
    changed = False
    for row, read in zip(copy.rows, table.rows):
        if not read.options:
            continue  # the reader placed this row's figures with certainty (one cell per column): no tie to settle
        moved = _moved(row.values, row, hint)
        if moved is not None:
            row.values, changed = moved, True
        if read.options:
            # Each placement as the hint would have it, in the reader's order; the unmoved ones after, so
            # that the verifier can still keep one where the hint makes things worse.
            moved_options = [(o, _moved(o.values, row, hint)) for o in read.options]
            hinted = [Reading(values=m, how=f"hint {hint.id}") if m is not None else o for o, m in moved_options]
            hinted += [o for o, m in moved_options if m is not None]
            changed = changed or any(m is not None for _, m in moved_options)
            row.propose(hinted)
    if not changed:
        return None
    for move in hint.moves:
        copy.columns.setdefault(move.printed_under, move.printed_under_label or spec.column(move.printed_under).zh)
    copy.hint = HintUse(id=hint.id, used=True, moves=hint.describe())
    return copy


def _plainly_printed(table: Table, hint: LayoutHint) -> bool:
    """Some row the hint would move was placed by the reader with certainty (it prints one cell per column)."""
    return any(not row.options and _moved(row.values, row, hint) is not None for row in table.rows)


def _moved(values: dict[str, Amount], row: Row, hint: LayoutHint) -> dict[str, Amount] | None:
    """``values`` with each of the hint's moves made where the row has the figure and nothing where it goes."""
    out = dict(values)
    for move in hint.moves:
        if move.read_as in out and move.printed_under not in out and move.printed_under not in row.texts:
            out[move.printed_under] = out.pop(move.read_as)
    return out if out != values else None


_YEAR = re.compile(r"(?:19|20)\d\d")


def header_signature(pages: list[Page]) -> str | None:
    """The first header's text normalised: whitespace, pipes and years taken out (the key of layout hints)."""
    page = next((p for p in pages if p.header_lines), None)
    if page is None:
        return None
    text = "".join(norm(line.text).replace("|", "") for line in page.header_lines)
    return _YEAR.sub("YYYY", text) or None


def _flattened_header(chunk: Chunk) -> bool:
    """Short lines before the first row: a header flattened into one cell per line, not a header to read."""
    first_row = chunk.segments[0].lines[0]
    loose = [l for l in chunk.lines[1:] if l.start < first_row.start and l.kind.value == "text"
             and len(l.text.strip()) <= 12]
    return len(loose) >= 3


def _page_sets(pages: list[int]) -> list[frozenset[int]]:
    """The pages read in the first page's columns, reading by reading: all of them at once (each alone as well
    would cost a reading per page for no figure measured)."""
    return [frozenset(pages)] if pages else []


def _read_with_layout(spec: TableSpec, chunk: Chunk, pick: int, repadded: bool = False,
                      first_columns_on: frozenset[int] = frozenset()) -> tuple[Table | None, int, bool, list[int]]:
    """The table read with the ``pick``-th layout each page's header allows; how many layouts there were;
    and whether a row read in place could have lost empty cells (its blanks all after its figures).

    ``repadded``: rows whose words and figures come first and blanks only after them are read as rows
    that lost their empty cells and were padded out to the header's width (a converter that drops empty
    cells and then writes rectangular rows): their figures are placed by proposals.
    """
    pages = segment_rows(chunk.segments)
    rows, most, otherwise = _raw_rows(spec, pages, pick, repadded, first_columns_on)
    if rows is None:
        return None, most, False, []
    padded = not repadded and any(_padded(spec, raw) and _in_place(spec, raw) for raw in rows)
    if padded and all(_keeps_empties(page) for page in pages if page.data):
        padded = False  # every page prints empty cells between filled ones: none lost its empty cells
    columns: dict[str, str] = {}
    table_rows = []
    pages_of: list[int] = []  # the page each row was printed on
    named_by = None  # the layout whose columns were added last (the rows of a page share one)
    for raw in rows:
        if raw.layout is not named_by:
            for _i, key in sorted(raw.layout.keys.items()):
                columns.setdefault(key, raw.layout.key_labels.get(key, key))
            named_by = raw.layout
        read = _interpret_all(spec, raw, columns)
        table_rows.extend(read)
        pages_of.extend([raw.segment] * len(read))
    table_rows = _join_column_halves(table_rows, pages_of)
    _continued_memos(table_rows)
    if spec.row_key == "two_sided":
        columns = _stacked_sides(spec, table_rows, columns)
    if spec.row_key == "item":
        _merged_names(table_rows)
    table = Table(
        section_id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span, **chunk_unit(chunk),
        entity=chunk_entity(chunk),
        note=" ".join(n.text.strip() for n in chunk.notes) or None,
        columns=_used_columns(columns, table_rows),
        rows=table_rows,
        empty=not any(r.values or r.texts or r.label or r.unparsed for r in table_rows),
        header=header_signature(pages),
    )
    return table, most, padded, otherwise


def _merged_names(rows: list[Row]) -> None:
    """A line of an item table (a project's second source of funds) whose name cell is empty but which prints its
    other words and figures: the name is the line above's, a cell merged over both (a converter writes it once)."""
    for above, row in zip(rows, rows[1:]):
        if row.label is None and row.item is None and row.code is None and row.values and row.texts \
                and above.label is not None and above.item is None and not above.memo:
            row.label = above.label
            row.notes.append(f"its name cell is empty: {above.label.text!r}, the name of the line above, a cell "
                             "merged over both")


def _join_column_halves(rows: list[Row], pages_of: list[int]) -> list[Row]:
    """A table too wide for its page printed by columns: the right half on the next page, under its own header,
    with the rows' codes or names printed again. The rows of such a page are the same rows' other columns, joined
    to them by code (or name), never second copies of them.

    A page is such a half when its rows fill only columns the pages before it never fill, and nearly all of them
    (and at least two) are, in the same order, rows printed before. A row that matches none, or that carries
    proposals (its cells' columns not certain), stays a row of its own.
    """
    if len(set(pages_of)) < 2:
        return rows
    by_page: dict[int, list[Row]] = {}
    for row, page in zip(rows, pages_of):
        by_page.setdefault(page, []).append(row)
    kept: list[Row] = []
    before_keys: set[str] = set()  # the columns the rows kept so far fill (a page's rows join kept ones, or are kept)
    for page, page_rows in by_page.items():
        keys = {k for r in page_rows for k in (*r.values, *r.unparsed)}
        if not kept or not keys or keys & before_keys:
            kept.extend(page_rows)
            before_keys |= keys
            continue
        matches = _same_rows_in_order(kept, page_rows)
        before_keys |= keys
        if len(matches) < max(2, 0.8 * len(page_rows)):
            kept.extend(page_rows)
            continue
        for row in page_rows:
            target = matches.get(id(row))
            if target is None or row.alternatives or row.options or target.options:
                kept.append(row)
                continue
            # The row's span runs on to its other half, so that every value of it is within its row.
            target.span = (min(target.span[0], row.span[0]), max(target.span[1], row.span[1]))
            target.values.update(row.values)
            target.texts.update({k: t for k, t in row.texts.items() if k not in target.texts})
            target.unparsed.update(row.unparsed)
            target.notes.append(f"its columns {sorted(keys)} printed on page {page + 1} of the table (the table split "
                                f"by columns), joined by its {'code' if row.code else 'name'}")
    return kept


def _same_rows_in_order(before: list[Row], rows: list[Row]) -> dict[int, Row]:
    """Each row matched to the next row printed before with the same code (or, with no code, the same name)."""
    def identity(row: Row) -> tuple | None:
        if row.code:
            return ("code", row.code, row.side)
        label = _SPACES.sub("", row.label.text) if row.label else ""
        return ("name", label, row.side) if label else None
    matches: dict[int, Row] = {}
    at = 0
    for row in rows:
        key = identity(row)
        if key is None:
            continue
        for n in range(at, len(before)):
            if identity(before[n]) == key:
                matches[id(row)] = before[n]
                at = n + 1
                break
    return matches


def _keeps_empties(page: Page) -> bool:
    """A page of delimited rows, one of which prints an empty cell before a filled one: the converter kept
    the empty cells of this page, so a row whose blanks all come after its figures is read in place.

    A header row counts too: the blank cells under a full-height 序号 / 项目 cell beside a 资金性质 group's
    columns (``| | | 合计 | 一般公共预算 |``) are empty cells a converter that drops them would not have printed."""
    if page.data and all(line.kind.value in ("pipe", "tab") for line in page.header_lines) \
            and any(_empty_before_filled(cells) for cells in page.header):
        return True
    for raw in page.data:
        if raw.line.kind.value not in ("pipe", "tab"):
            return False
        filled = [i for i, c in enumerate(raw.cells) if c.text]
        if filled and filled != list(range(len(filled))):
            return True
    return False


def _empty_before_filled(cells: list[Cell]) -> bool:
    filled = [i for i, c in enumerate(cells) if c.text]
    return bool(filled) and filled != list(range(len(filled)))


def _padded(spec: TableSpec, raw: RawRow) -> bool:
    """A delimited row whose cells are filled first and blank after, with a figure among them and an amount
    column among the blanks: it reads in place, but could be a row that lost its empty cells."""
    if raw.line.kind.value not in ("pipe", "tab") or raw.merged_from:
        return False
    filled = [i for i, c in enumerate(raw.cells) if c.text]
    if not filled or filled != list(range(len(filled))):
        return False
    amounts = _cells_by_kind(spec, raw.layout)[2]
    return any(i > filled[-1] for i in amounts) and any(
        i in amounts and parse_amount(raw.cells[i].text) is not None for i in filled)


def _used_columns(columns: dict[str, str], rows: list[Row]) -> dict[str, str]:
    """The header's columns in the order printed: every one the registry knows, and the others that hold a number."""
    used = {k for r in rows for k in (*r.values, *r.texts, *r.unparsed)}
    used |= {k for r in rows for option in r.options for k in option.values}
    return {k: v for k, v in columns.items() if k.isascii() or k in used}


def chunk_unit(chunk: Chunk) -> dict:
    """The table's unit fields: the unit its statement says (None when not understood), the statement as printed;
    万元, assumed, when it prints none (the document's other tables may say otherwise: ``inherit_units``)."""
    head = [*chunk.lead, *chunk.lines[:12]]  # (the lead: a statement printed over the title)
    found = statement_in((line.start, line.text) for line in head) \
        or counts_statement_in((line.start, line.text) for line in head)
    if found is None:
        # No statement: the header cells may carry it (预算数（元）); all of them must say the same.
        in_header = header_units((line.start, line.text) for line in head if line.is_row)
        if not in_header:
            return {"unit": "万元", "unit_from": "assumed"}
        units = {u for u, _s, _t in in_header}
        _u, start, text = in_header[0]
        return {"unit": units.pop() if len(units) == 1 else None, "unit_from": "stated",
                "unit_text": Text(text=text, span=(start, start + len(text)))}
    statement, start = found
    stated = {"unit": statement.unit, "unit_from": "stated",
              "unit_text": Text(text=statement.text, span=(start, start + len(statement.text)))}
    # Header cells that print one unit, another than the statement's (单位：万元 above 预算数（元）): which applies is
    # left to the relations between tables (``verify.choose.settle_units``). A header that prints the statement's
    # unit in some cell (单价（元） beside 金额（万元）) is a column's own unit, no disagreement.
    in_header = [(u, s, t) for u, s, t in header_units((line.start, line.text) for line in head if line.is_row)
                 if not start <= s < start + len(statement.text)]
    if statement.unit is not None and in_header and len({u for u, _s, _t in in_header} | {statement.unit}) == 2 \
            and all(u != statement.unit for u, _s, _t in in_header):
        _u, s, text = in_header[0]
        s, text = _cell_around(head, s, text)
        stated.update(unit=None, unit_header=Text(text=text, span=(s, s + len(text))))
    return stated


# The line over a table naming the budget unit it is for: 单位名称：白沙镇中心小学, 编制单位：XX局, 预算单位：301001 XX局
# (a code before the name is left out). A bare 单位：/部门： is a unit only when what follows reads as an
# organisation's name, never a money unit (单位：万元).
_ENTITY_LABEL = re.compile(r"(?:^|(?<=[\t|\s]))(?P<label>单位名称|预算单位(?:名称)?|编制单位|填报单位|部门名称|部门|单位)"
                           r"\s*[：:]\s*(?:\d{3,9}\s+)?(?P<name>[^\s|：:]{2,40})")
_MONEY_UNIT = re.compile(r"^(?:人民币)?(?:万|千|百万|亿)?元$")
_CONSOLIDATED = re.compile(r"汇总")


def _entities_named(chunk: Chunk) -> list[str]:
    """The different units the section's label lines name (单位名称：…), in order: one per page when a table runs
    over pages; more than one when several units' tables follow each other under one title."""
    names: list[str] = []
    for line in chunk.lines:
        if line.is_row or "：" not in line.text and ":" not in line.text or not _may_name_entity(line.text):
            continue
        name = _entity_in(line)
        if name is not None and _squash(name.text) not in names:
            names.append(_squash(name.text))
    return names


def chunk_entity(chunk: Chunk) -> Text | None:
    """The budget unit a table's own label line says it is for (单位名称：部门汇总), over its header; None when it
    prints none."""
    for line in chunk.lines[:12]:
        if (name := _entity_in(line)) is not None:
            return name
    return None


def _may_name_entity(text: str) -> bool:
    """Every label ``_ENTITY_LABEL`` knows says 单位 or 部门: a line with neither names no unit."""
    return "单位" in text or "部门" in text


def _entity_in(line) -> Text | None:
    if not _may_name_entity(line.text):
        return None
    for m in _ENTITY_LABEL.finditer(line.text):
        name = m.group("name")
        if _MONEY_UNIT.match(name) or (m.group("label") in ("单位", "部门") and not (
                _ORG_NAME.search(name) or _CONSOLIDATED.search(name))):
            continue
        return Text(text=name, span=(line.start + m.start("name"), line.start + m.end("name")))
    return None


# A unit a title names: in brackets after it (…支出表（部门汇总）, （本级）), or before the year
# (白沙镇中心小学2025年一般公共预算支出表).
_TITLE_ENTITY_BRACKETS = re.compile(r"[（(](?P<name>[^（）()]*(?:汇总|本级|单位)[^（）()]*)[)）]")
_TITLE_ENTITY_PREFIX = re.compile(r"^\s*(?P<name>[^\s\d]{2,40}?)\s*(?:19|20)\d\d\s*年")


def title_entity(chunk: Chunk) -> Text | None:
    """The unit a table's title names, at its characters in the title's line; None when it names none."""
    if chunk.title_span is None:
        return None
    for line in chunk.lines[:3]:
        if not line.start <= chunk.title_span[0] < line.start + len(line.text) + 1:
            continue
        at = chunk.title_span[0] - line.start
        for pattern in (_TITLE_ENTITY_BRACKETS, _TITLE_ENTITY_PREFIX):
            m = pattern.search(line.text, at) if pattern is _TITLE_ENTITY_BRACKETS else pattern.match(line.text, at)
            if m and m.group("name").strip():
                return Text(text=m.group("name"), span=(line.start + m.start("name"), line.start + m.end("name")))
    return None


def name_entities(tables: list[Table], chunks: dict) -> None:
    """Which unit each table is for, where a document prints a kind once for the department (部门汇总) and again
    for its units (本级, each school …): a table's own label line says it, else its title where the titles of the
    kind name different units. The consolidated table is the one its name calls 汇总, or the department's where
    another is the department's 本级; its units' tables are then ``unit``. Nothing is guessed from the amounts."""
    by_kind: dict[str, list[Table]] = {}
    for table in tables:
        by_kind.setdefault(table.kind, []).append(table)
    for group in by_kind.values():
        if len(group) > 1 and any(t.entity is None for t in group):
            named = [t.entity or (title_entity(chunks[t.section_id]) if t.section_id in chunks else None)
                     for t in group]
            names = [_squash(n.text) for n in named if n is not None]
            if len(names) == len(group) and len(set(names)) == len(group):
                for table, name in zip(group, named):
                    table.entity = name
        _name_roles(group)


def _name_roles(group: list[Table]) -> None:
    names = [_squash(t.entity.text) if t.entity else None for t in group]
    if len({n for n in names if n}) < 2:
        for table, name in zip(group, names):
            table.entity_role = "consolidated" if name and _CONSOLIDATED.search(name) else None
        return
    whole = [i for i, n in enumerate(names) if n and _CONSOLIDATED.search(n)]
    if not whole:
        # 白沙镇人民政府 beside 白沙镇人民政府本级: the department's table, over its own office's and its units'.
        whole = [i for i, n in enumerate(names) if n and any(
            m and m != n and m.startswith(n) and "本级" in m[len(n):] for m in names)]
    for i, table in enumerate(group):
        table.entity_role = None if len(whole) != 1 or names[i] is None else \
            "consolidated" if i == whole[0] else "unit"


def _squash(text: str) -> str:
    return "".join(text.split())


def _cell_around(lines, start: int, text: str) -> tuple[int, str]:
    """The header cell (预算数（元）) that holds the unit printed at ``start``, with its offset."""
    for line in lines:
        if line.start <= start < line.start + len(line.text):
            for m in re.finditer(r"(?:(?!\s{2,})[^\t|])+", line.text):
                cell = m.group().strip()
                if cell and line.start + m.start() <= start < line.start + m.end():
                    return line.start + m.start() + m.group().index(cell), cell
    return start, text


def inherit_units(tables: list[Table]) -> None:
    """A table that prints no unit is in the unit every other table of the document states, when they agree
    (a template that states it once, or a statement lost by the converter); else 万元 stays assumed."""
    stated = {t.unit for t in tables if t.unit_from == "stated"}
    if len(stated) != 1 or None in stated:
        return
    unit = stated.pop()
    for table in tables:
        if table.unit_from == "assumed":
            table.unit, table.unit_from = unit, "document"


def _raw_rows(spec: TableSpec, pages: list[Page], pick: int, repadded: bool = False,
              first_columns_on: frozenset[int] = frozenset()) -> tuple[list[RawRow] | None, int, list[int]]:
    """The table's rows, each with its page's layout; how many layouts the pages' headers allowed; and the
    later space-aligned pages that print as many columns as the first but read their repeated header into
    other keys (``first_columns_on`` reads those of them in the first page's layout instead)."""
    layout: Layout | None = None
    first_layout: Layout | None = None  # the layout the first page with a header is read in
    first_page: Page | None = None
    otherwise: list[int] = []
    rows: list[RawRow] = []
    most = 1
    width = None  # how many cells the delimited rows under the last printed header have
    for page in pages:
        if page.header or page.lanci:
            width = _row_width(page)
            data_width = max((sum(1 for c in r.cells if c.text) for r in page.data), default=0)
            layouts = build_layouts(spec, page.header or [[]], page.lanci, page.header_lines,
                                    centred=page.geometry is not None, data_width=data_width)
            if page.rewrapped is not None:
                # The first page's header printed again, wrapped otherwise: read as the first page's where
                # this page's own reading of it keeps more columns by header paths the registry does not
                # know (the wrapping garbled their words).
                first = build_layouts(spec, page.rewrapped, page.lanci, page.header_lines,
                                      centred=page.geometry is not None, data_width=data_width)
                if _unknown_columns(spec, first[0]) < _unknown_columns(spec, layouts[0]):
                    layouts = first
            most = max(most, len(layouts))
            layout = worded_columns(spec, counted_seq(layouts[min(pick, len(layouts) - 1)], page.data), page.data)
            layout = codes_beside(layout, page.data)
            if first_layout is not None and page.geometry is not None and first_page.geometry is not None \
                    and len(page.geometry.columns) == len(first_page.geometry.columns) \
                    and layout.width == first_layout.width and layout.keys != first_layout.keys:
                otherwise.append(page.number)
                if page.number in first_columns_on:
                    layout = replace(first_layout, header_lines=page.header_lines, how="the first page's columns")
            if first_layout is None:
                first_layout, first_page = layout, page
        if layout is None:
            return None, most, otherwise
        data = _attach_fragments(spec, page.data, layout, rows[-1] if rows and page.number > 0 else None,
                                 page.geometry)
        misplaced = _spaces_do_not_place(spec, data, layout)
        for raw in data:
            raw.layout = layout
            if misplaced and raw.positional and raw.line.kind.value == "spaced":
                raw.positional = False
                raw.notes.append(misplaced)
            elif _no_total_under_figures(spec, raw, layout):
                raw.positional = False
                raw.notes.append("figures right of 合计 and none under it: placed by proposals")
            if repadded and _padded(spec, raw):
                raw.positional = False
            if not (page.header or page.lanci) and width is not None and raw.line.kind.value in ("pipe", "tab") \
                    and len(raw.cells) != width:
                # A page with no header of its own whose rows have another number of cells than the rows
                # under the header: it is laid out otherwise, and its cells are not in the header's columns.
                raw.positional = False
            if rows and raw.first_in_segment and page.number > 0 and _joined_to(spec, rows[-1], raw):
                continue
            if not raw.is_blank:
                rows.append(raw)
    if layout is None or not (layout.keys or spec.row_key == "item"):
        return None, most, otherwise
    return _side_by_side_rows(spec, rows), most, otherwise


def _side_by_side_rows(spec: TableSpec, rows: list[RawRow]) -> list[RawRow]:
    """Rows of tables printed side by side (``side_by_side_tables``) cut into each table's own rows: on each page, the
    left table's rows, then the next table's, each read in its own layout."""
    out: list[RawRow] = []
    later: list[list[RawRow]] = []  # the rows of the page's other tables, still to come
    page = None
    classes: dict[str, int | None] = {}  # a class code (302) -> the table its lines are in (None: not certain)
    for raw in rows:
        if raw.segment != page:
            out.extend(r for rest in later for r in rest)
            later, page = [], raw.segment
        tables = side_by_side_tables(spec, raw.layout)
        if tables is None:
            out.append(raw)
            continue
        later += [[] for _ in range(len(tables) - 1 - len(later))]
        pieces, placed = _cut_side_by_side(raw, tables)
        if not placed and len(pieces) == 1:
            # A line that lost its empty cells and prints one table's cells only: the table its code's class or its
            # total's words say; else its figures are proposed under each table's columns, for the verifier.
            n = _table_of_lone_piece(pieces[0], tables, classes)
            layout = tables[n][1] if n is not None else _all_side_by_side(raw.layout, tables)
            how = "the table its code's class or its words name" if n is not None else "its column proposed"
            _note_class(pieces[0], n, classes)
            out.append(RawRow(pieces[0], _part_of_line(raw.line, pieces[0], first=True), raw.segment,
                              raw.first_in_segment, layout, raw.merged_from, False,
                              notes=[*raw.notes, f"its line prints one of the tables printed side by side: {how}"]))
            continue
        for n, ((start, layout), cells) in enumerate(zip(tables, pieces)):
            if not any(c.text for c in cells):
                continue
            _note_class(cells, n, classes)
            part = RawRow(cells, _part_of_line(raw.line, cells, first=n == 0), raw.segment, raw.first_in_segment,
                          layout, raw.merged_from, placed and raw.positional,
                          notes=[*raw.notes, f"cells {start + 1}-{start + len(cells)} of its line: a table printed "
                                             "beside another"])
            (out if n == 0 else later[n - 1]).append(part)
    out.extend(r for rest in later for r in rest)
    return out


def _note_class(cells: list[Cell], table: int | None, classes: dict[str, int | None]) -> None:
    code = next((c.text for c in cells if _CODE_TOKEN.match(c.text)), None)
    if code is not None and len(code) == 3:
        classes[code] = table


def _all_side_by_side(layout: Layout, tables: list[tuple[int, Layout]]) -> Layout:
    """One layout over every side-by-side table's columns: the first's code and name, each table's amount columns
    in turn (a line that lost its empty cells, whose figures may be any table's)."""
    key = "_all_side_by_side"
    if key not in layout.__dict__:
        first = tables[0][1]
        keys = {start + i: k for start, own in tables for i, k in own.keys.items()}
        labels = {k: v for _s, own in tables for k, v in own.key_labels.items()}
        layout.__dict__[key] = replace(first, width=layout.width, paths=layout.paths, keys=keys, key_labels=labels,
                                       texts=frozenset().union(*(own.texts for _s, own in tables)))
    return layout.__dict__[key]


def _cut_side_by_side(raw: RawRow, tables: list[tuple[int, Layout]]) -> tuple[list[list[Cell]], bool]:
    """A line's cells cut into each side-by-side table's, and whether each cell sits in its column. A line that lost
    cells (fewer than the header's) is cut before each code (or 合计 label) that follows a figure."""
    starts = [s for s, _l in tables]
    if raw.positional and len(raw.cells) >= raw.layout.width:
        return [raw.cells[a:b] for a, b in zip(starts, [*starts[1:], len(raw.cells)])], True
    pieces, piece = [], []
    for cell in raw.cells:
        if piece and any(_kind_of(c) == "number" and not _CODE_TOKEN.match(c.text) for c in piece) and (
                _CODE_TOKEN.match(cell.text) or _SPACES.sub("", cell.text).endswith(("合计", "小计", "总计"))):
            pieces.append(piece)
            piece = []
        piece.append(cell)
    pieces.append(piece)
    if len(pieces) > len(tables):
        pieces = pieces[:len(tables) - 1] + [[c for p in pieces[len(tables) - 1:] for c in p]]
    return pieces, False


def _table_of_lone_piece(cells: list[Cell], tables: list[tuple[int, Layout]],
                         classes: dict[str, int | None]) -> int | None:
    """Which side-by-side table a line printing one table's cells belongs to, where it is certain: the one whose
    class its code continues (30205 under 302), or the one its total's words name (公用经费合计 under 公用经费)."""
    code = next((c.text for c in cells if _CODE_TOKEN.match(c.text)), None)
    if code is not None and len(code) > 3:
        return classes.get(code[:3])
    words = _SPACES.sub("", " ".join(c.text for c in cells if HAN.search(c.text)))
    named = [n for n, (_start, layout) in enumerate(tables)
             if (group := layout.paths[0].rsplit("/", 1)[0] if "/" in layout.paths[0] else "") and group in words]
    return named[0] if len(named) == 1 else None


def _part_of_line(line: Line, cells: list[Cell], first: bool) -> Line:
    """The stretch of a line one side-by-side table's cells take (the first table's from the line's start)."""
    a = line.start if first else min(c.at if not c.text else c.span[0] for c in cells)
    b = max(c.span[1] for c in cells if c.text)
    a, b = max(a, line.start), min(max(b, a), line.end)
    return Line(line.index, a, b, line.text[a - line.start:b - line.start], line.kind, line.page_end, line.bare)


def _spaces_do_not_place(spec: TableSpec, data: list[RawRow], layout: Layout) -> str | None:
    """Space-aligned rows whose spaces do not place their cells: cells under no header in several rows. A converter
    that pads with spaces by character count (PyMuPDF's sorted text) shifts a table so, and a consistent shift
    verifies column by column. The rows' figures are then placed by proposals (the sums choose), never by where
    the spaces put them. Returns the reason, or None."""
    roled = _roled(layout)
    if sum(raw.positional and raw.line.kind.value == "spaced" and any(i not in roled and c.text
                                                                        for i, c in enumerate(raw.cells))
           for raw in data) >= 3:
        return "cells stand under no header in several rows: the spaces do not place the figures, so they are " \
               "placed by proposals"
    return None


_YEAR_ON_YEAR = frozenset(k for keys in YEAR_ON_YEAR_KEYS for k in keys[1:])


def _no_total_under_figures(spec: TableSpec, raw: RawRow, layout: Layout) -> bool:
    """A space-aligned row printing figures right of the 合计 column but none under it: a row's parts are never
    printed without their total, so the spaces put its figures one column off (placed by proposals instead)."""
    if not raw.positional or raw.line.kind.value != "spaced":
        return False
    total = layout.__dict__.get("_total_index", -1)
    if total == -1:
        total = layout.__dict__["_total_index"] = next((i for i, k in layout.keys.items() if k == "total"), None)
    if total is None or raw.text_at(total):
        return False
    # (Only the total's parts count: a year-on-year column, 增减额 beside an empty 本年预算数, is no part of it.)
    return any(i > total and not layout.is_text(spec, k) and k not in _YEAR_ON_YEAR and spec.column(k).additive
               and _kind_of_text(raw.text_at(i)) == "number" for i, k in layout.keys.items())


def _unknown_columns(spec: TableSpec, layout: Layout) -> int:
    """The columns a layout keeps by a header path of their own: none of the registry's keys."""
    return sum(key not in spec.column_keys for key in layout.keys.values())


def _row_width(page: Page) -> int | None:
    """The number of cells every delimited row of a page has, if they all have the same."""
    widths = {len(r.cells) for r in page.data if r.line.kind.value in ("pipe", "tab")}
    return widths.pop() if len(widths) == 1 else None


def _text_columns(spec: TableSpec, layout: Layout) -> set[int]:
    """The columns that hold words: the labels and the text columns (采购物品名称)."""
    labels = {layout.label, *layout.labels_by_side.values()} - {None}
    return labels | {i for i, k in layout.keys.items() if layout.is_text(spec, k)}


def _is_fragment(raw: RawRow, layout: Layout, words: set[int], after_full: bool, centred: bool = False) -> bool:
    """A line of a space-aligned page that holds only pieces of wrapped labels or text cells.

    ``after_full``: the line above filled a word column to its edge, so its cell
    went on on this line. ``centred``: the page centres its cells about their
    rows' lines, so a line of words with no figure is a piece of a row's cells.
    """
    if not raw.positional or raw.line.kind.value != "spaced":
        return False
    filled = [i for i, c in enumerate(raw.cells) if c.text]
    labels = {layout.label, *layout.labels_by_side.values()} - {None}
    # Digits in a column of words other than the label (the rest of a catalogue code wrapped in a narrow
    # column: "C23090199" printed "C2309019" / "9") are a piece of its text; in the label they may be a row's.
    if not filled or not set(filled) <= words or any(parse_amount(raw.cells[i].text) is not None
                                                     and (i in labels or not _code_piece(raw.cells[i].text))
                                                     for i in filled):
        return False
    if not set(filled) & labels:
        return True  # the rest of a text cell (采购物品名称) with no label: never a row of its own
    texts = [raw.cells[i].text.strip() for i in filled if i in labels]
    if any(_FRESH_LINE.match(t) or _TOTAL_LABEL.search(t) for t in texts):
        return False  # a numbered line, a 其中 line or a total prints a row of its own
    # Lines of an uncoded table, or of a two-sided summary, may hold a label and nothing else; only
    # a piece that does not read as a whole label, or that goes on from a full line, is part of another row's.
    return bool(layout.code) or after_full or centred or not any(_COMPLETE_LABEL.search(t) for t in texts)


def _code_piece(text: str) -> bool:
    """Bare digits, as a code's characters are: no point, sign or separator of an amount."""
    return text.strip().isdigit()


def _full_cells(raw: RawRow, words: set[int], geometry: Geometry | None) -> set[int]:
    """The word columns in which the line prints up to the column's right edge."""
    if geometry is None or not raw.positional or raw.merged_from or len(raw.cells) != len(geometry.columns):
        return set()
    full = set()
    for i in words:
        cell = raw.cell(i)
        if cell.text and i < len(geometry.columns):
            end = display_width(raw.line.text[:cell.span[1] - raw.line.start], geometry.metric)
            # A double-width character that did not fit leaves one column free.
            if end >= geometry.columns[i][1] - (geometry.metric == "wide"):
                full.add(i)
    return full


def _wrapping(data: list[RawRow], words: set[int], geometry: Geometry | None) -> dict[int, set[int]]:
    """For each line, the word columns it fills to the edge, in columns where cells wrap: columns that
    several lines fill to the same edge (one line doing so is only the column's widest cell)."""
    full = {id(raw): _full_cells(raw, words, geometry) for raw in data}
    counts: dict[int, int] = {}
    for cols in full.values():
        for i in cols:
            counts[i] = counts.get(i, 0) + 1
    return {k: {i for i in cols if counts[i] >= 2} for k, cols in full.items()}


def _attach_fragments(spec: TableSpec, data: list[RawRow], layout: Layout, before: RawRow | None = None,
                      geometry: Geometry | None = None) -> list[RawRow]:
    """Join the pieces of a label that wrapped over several lines to the row they belong to.

    A label cell taller than one line is printed on lines of its own: below the
    row's figures when the cell is aligned to the top, around them when it is
    centred (the figures' line then has no label, or only its middle piece).
    Pieces at the top of a later page may end the previous page's last row
    (``before``), which the page break cut.
    """
    out: list[RawRow] = []
    pending: list[RawRow] = []
    words = _text_columns(spec, layout)
    full = False
    chain = 0  # leading pieces that each go on from a line filled to its edge: the line above's rest
    wrapping = _wrapping(data, words, geometry)
    centred = _centred_rows(data, layout, words)
    above: dict[int, dict[int, int]] = {}  # per row of this page, the pieces each column printed above its line
    for raw in data:
        after_full, full = full, bool(wrapping[id(raw)])
        if _is_fragment(raw, layout, words, after_full, centred):
            chain += after_full and chain == len(pending)
            pending.append(raw)
            continue
        if pending:
            labels = [layout.label, *layout.labels_by_side.values()]
            # The column the pieces print in (a two-sided summary has a label column per side).
            label = next((i for i in labels if i is not None and pending[0].cell(i).text), layout.label)
            prev = out[-1] if out else before
            needs = not raw.cell(label).text
            if centred and (prev is None or id(prev) in above or prev is not before):
                above[id(raw)] = _split_centred(prev, raw, pending, above.get(id(prev), {}) if prev else {})
            elif chain and prev is not None:
                _append(prev, pending[:chain])
                if needs:
                    _prepend(raw, pending[chain:])
                else:
                    _append(prev, pending[chain:])
            elif prev is None or (needs and prev.cell(label).text and not prev.merged_from):
                _prepend(raw, pending)
            elif needs:
                half = (len(pending) + 1) // 2
                _append(prev, pending[:half])
                _prepend(raw, pending[half:])
            else:
                _append(prev, pending)
            pending, chain = [], 0
        elif centred:
            above[id(raw)] = {}
        out.append(raw)
    if pending:
        if out or before is not None:
            _append(out[-1] if out else before, pending)
        else:
            out.extend(pending)
    return out


def _centred_rows(data: list[RawRow], layout: Layout, words: set[int]) -> bool:
    """A page whose rows print their cells centred about the row's line: a line of figures with no label
    between two lines of label pieces (the label's halves, above and below the figures)."""
    if layout.label is None:
        return False
    for upper, row, lower in zip(data, data[1:], data[2:]):
        if not row.cell(layout.label).text and _has_figures(row) and all(
                r.cell(layout.label).text and _is_fragment(r, layout, words, False, True) for r in (upper, lower)):
            return True
    return False


def _has_figures(raw: RawRow) -> bool:
    return any(c.text and parse_amount(c.text) is not None for c in raw.cells)


def _split_centred(prev: RawRow | None, raw: RawRow, pending: list[RawRow], prev_above: dict[int, int]
                   ) -> dict[int, int]:
    """Pieces between two rows of a page whose cells are centred about their rows' lines, shared out column by
    column: the row above takes, in each column, as many pieces below its line as it printed above it (a
    centred cell reaches as far each way); the rest are the upper half of the row below's cell. Returns how
    many pieces each column gave the row below."""
    taken: dict[int, int] = {}
    lower: list[RawRow] = []
    for piece in pending:
        mine = [c if c.text and taken.get(i, 0) < prev_above.get(i, 0) else Cell("", [], c.at)
                for i, c in enumerate(piece.cells)]
        for i, c in enumerate(mine):
            if c.text:
                taken[i] = taken.get(i, 0) + 1
        rest = [Cell("", [], c.at) if m.text else c for c, m in zip(piece.cells, mine)]
        if prev is not None and any(c.text for c in mine):
            _append(prev, [replace(piece, cells=mine, merged_from=[])])
        if any(c.text for c in rest):
            lower.append(replace(piece, cells=rest, merged_from=[]))
    _prepend(raw, lower)
    counts: dict[int, int] = {}
    for piece in lower:
        for i, c in enumerate(piece.cells):
            if c.text:
                counts[i] = counts.get(i, 0) + 1
    return counts


def _append(row: RawRow, pieces: list[RawRow]) -> None:
    for piece in pieces:
        _merge_cells(row, piece)


def _prepend(row: RawRow, pieces: list[RawRow]) -> None:
    for piece in reversed(pieces):
        width = max(len(row.cells), len(piece.cells))
        row.cells += [Cell("", [], row.line.end)] * (width - len(row.cells))
        for i, cell in enumerate(piece.cells):
            row.cells[i] = cell.joined(row.cells[i])
        row.merged_from.append(piece.line)


def _joined_to(spec: TableSpec, prev: RawRow, raw: RawRow) -> bool:
    """Join ``raw`` (a page's first row) into ``prev`` when it is the rest of ``prev`` that the page break
    cut; say whether it was."""
    if _is_continuation(spec, raw):
        # Its cells sit in their columns; so do the row's it continues, unless that one is not in place:
        # then the pieces join by what they are, not where.
        joined = None if prev.positional else _join_pieces(prev, raw)
        if joined is None:
            _merge_into(prev, raw)
            return True
    else:
        joined = _packed_continuation(spec, prev, raw)
        if joined is None:
            return False
    prev.cells, prev.others = joined[0], joined[1:]
    prev.merged_from.append(raw.line)
    return True


def _is_continuation(spec: TableSpec, raw: RawRow) -> bool:
    """The first row on a page continues the last row of the previous page.

    Such a row has no 序号 and no code of its own and does not start a new line
    item; in tables without either, its first amount column is empty too.
    """
    lay = raw.layout
    if not raw.positional:
        return False
    if lay.seq is not None and raw.cell(lay.seq).text:
        return False
    if any(raw.cell(i).text for i in lay.code):
        return False
    labels = [raw.cell(i).text for i in ({lay.label} | set(lay.labels_by_side.values())) if i is not None]
    if any(_FRESH_LINE.match(t) or _TOTAL_LABEL.search(t) for t in labels if t):
        return False
    if lay.seq is None and not lay.code:
        amount_cols = [i for i, k in sorted(lay.keys.items()) if not lay.is_text(spec, k)]
        if amount_cols and raw.cell(amount_cols[0]).text:
            return False
    return any(c.text for c in raw.cells)


_OPENING = re.compile(r"[（(]")
_CLOSING = re.compile(r"[)）]")
_ALNUM_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*\d$")
# The most ways a cut row's figures are tried against the figures of the row they continue.
MAX_CUT_JOINS = 24


def _packed_continuation(spec: TableSpec, prev: RawRow, raw: RawRow) -> list[list[Cell]] | None:
    """``prev``'s cells with ``raw`` joined in, when ``raw`` is the rest of ``prev`` that a page break cut and
    whose empty cells a converter dropped (so no position says which cell each piece continues); None when
    ``raw`` is a row of its own.

    Such a row starts with words, not a 序号, code or figure; it is much shorter than the row it
    continues; and the two labels are one cut in two (a bracket opened above and closed below, or an
    upper label that does not end as a label does). Its words continue the row's words in order, digits
    an alphanumeric code ("A050401" / "01"). A figure may continue any of the row's figures: the first
    list joins it to the one printed with fewest decimals, the others are for the verifier to choose.
    """
    if _in_place(spec, raw):
        return None  # a row whose cells sit in their columns: ``_is_continuation`` decides
    pieces = [c for c in raw.cells if c.text]
    filled = [i for i, c in enumerate(prev.cells) if c.text]
    if not pieces or len(pieces) >= len(filled) or _kind_of(pieces[0]) != "text":
        return None
    first = _SPACES.sub("", pieces[0].text)
    if _FRESH_LINE.match(first) or _TOTAL_LABEL.search(first):
        return None
    words = [i for i in filled if _kind_of(prev.cells[i]) == "text"]
    if not words or not _cut_label(prev.cells[words[0]].text, pieces[0].text):
        return None
    return _join_pieces(prev, raw)


def _join_pieces(prev: RawRow, raw: RawRow) -> list[list[Cell]] | None:
    """``prev``'s cells with the pieces of ``raw`` (the rest of it, cut by a page break) joined in by what
    they are: words to its words in order, digits to an alphanumeric code, a figure to one of its figures
    (each possible join a cell list, the likeliest first); None if a piece has nowhere to go."""
    pieces = [c for c in raw.cells if c.text]
    filled = [i for i, c in enumerate(prev.cells) if c.text]
    words = [i for i in filled if _kind_of(prev.cells[i]) == "text"]
    if not pieces or not words:
        return None
    figure_cells = [i for i in filled if i > words[0] and _kind_of(prev.cells[i]) != "text"]
    cells = list(prev.cells)
    cut_figures: list[Cell] = []
    n_words = 0
    for piece in pieces:
        if _kind_of(piece) == "text":
            target = words[min(n_words, len(words) - 1)]
            n_words += 1
        elif piece.text.isdigit() and (codes := [i for i in words[1:] if _ALNUM_CODE.match(prev.cells[i].text)]):
            target = codes[0]
        else:
            cut_figures.append(piece)
            continue
        cells[target] = cells[target].joined(piece)
    if len(cut_figures) * 2 > len(figure_cells):
        return None
    if not cut_figures:
        return [cells]
    joins = [targets for targets in islice(combinations(figure_cells, len(cut_figures)), MAX_CUT_JOINS)
             if all(parse_amount(prev.cells[i].text + f.text) is not None for i, f in zip(targets, cut_figures))]
    if not joins:
        return None
    # A figure cut short prints fewer decimals than it should: such a join first.
    joins.sort(key=lambda targets: sum(_decimals(prev.cells[i].text) for i in targets))
    out = []
    for targets in joins:
        joined = list(cells)
        for i, f in zip(targets, cut_figures):
            joined[i] = joined[i].joined(f)
        out.append(joined)
    return out


def _decimals(text: str) -> int:
    return len(text.rsplit(".", 1)[1]) if "." in text else 0


def _cut_label(upper: str, lower: str) -> bool:
    """Two pieces of one label cut by a page break: a bracket left open above and closed below, or an
    upper piece that does not end the way a label does."""
    upper, lower = _SPACES.sub("", upper), _SPACES.sub("", lower)
    if len(_OPENING.findall(upper)) > len(_CLOSING.findall(upper)):
        return True
    close = _CLOSING.search(lower)
    if close and not _OPENING.search(lower[:close.start()]):
        return True
    return not _COMPLETE_LABEL.search(upper) and not _COMPLETE_LABEL.search(lower)


def _merge_into(prev: RawRow, cont: RawRow) -> None:
    _merge_cells(prev, cont)


def _merge_cells(prev: RawRow, cont: RawRow) -> None:
    width = max(len(prev.cells), len(cont.cells))
    prev.cells += [Cell("", [], prev.line.end)] * (width - len(prev.cells))
    for i, cell in enumerate(cont.cells):
        prev.cells[i] = prev.cells[i].joined(cell)
    prev.merged_from.append(cont.line)


def _span(raw: RawRow) -> tuple[int, int]:
    if not raw.merged_from:
        return (raw.line.start, raw.line.end)
    lines = [raw.line, *raw.merged_from]
    return (min(l.start for l in lines), max(l.end for l in lines))


def _text(cell: Cell) -> Text | None:
    if not cell.text:
        return None
    return Text(text=cell.text, span=cell.span, parts=cell.parts)


def _amount(cell: Cell) -> Amount | None:
    value = parse_amount(cell.text)
    if value is None:
        return None
    # A cell joined across a page break keeps one part per piece, so ``raw`` is
    # still exactly the source text at the parts.
    return Amount(value=value, raw=cell.text, span=cell.span, parts=cell.parts)


def _place(row: Row, key: str, cell: Cell, spec: TableSpec, text: bool = False) -> None:
    """Put a cell's content in a column: text, an amount, nothing (a dash), or an unparsed cell to flag."""
    _place_as(row, key, cell, "text" if text else spec.column(key).type)


def _place_as(row: Row, key: str, cell: Cell, column_type: str) -> None:
    placed = _content(cell, column_type)
    if placed is not None:
        where, content = placed
        getattr(row, where)[key] = content


def _content(cell: Cell, column_type: str) -> tuple[str, Amount | Text] | None:
    """What a cell holds under a column of ``column_type``: ("texts" | "values" | "unparsed", it), or None."""
    if not cell.text:
        return None
    if column_type == "text":
        return "texts", _text(cell)
    if is_blank_mark(cell.text):
        return None
    if (a := _amount(cell) if column_type != "percent" else _percent(cell)) is not None:
        return "values", a
    return "unparsed", _text(cell)


# The percent sign, at the end or inside a closing bracket: "-6.25%", "(62.22%)", "（62.22%）".
_PERCENT_SIGN = re.compile(r"\s*[%％]\s*(?=[)）]?\s*$)")


def _percent(cell: Cell) -> Amount | None:
    """A rate under a percent column ("-6.25%", "3.85", "(62.22%)"): the number, grounded on its characters without
    the sign (a sign inside brackets leaves the brackets as two parts, so the parts still read as the number)."""
    sign = _PERCENT_SIGN.search(cell.text)
    if sign is None:
        return _amount(cell)
    cut, after = len(cell.text) - sign.start(), len(cell.text) - sign.end()
    start, end = cell.parts[-1]
    if end - start <= cut:
        return None
    parts = [*cell.parts[:-1], (start, end - cut)] + ([(end - after, end)] if after else [])
    raw = cell.text[:sign.start()] + cell.text[sign.end():]
    value = parse_amount(raw)
    if value is None:
        return None
    return Amount(value=value, raw=raw, span=(cell.span[0], parts[-1][1]), parts=parts)


def _code(cells: list[Cell], inherited: dict[str, str]) -> tuple[str | None, Text | None]:
    """A classification code from one cell ("2101501", "210120 1") or from 类 / 款 / 项 cells.

    Split codes may print the parent prefix ("208 | 20805 | 2080505") or not
    ("208 | 05 | 05"); a blank 类 or 款 cell takes the one printed above.
    """
    printed = [c for c in cells if c.text]
    if not printed:
        return None, None
    if len(cells) == 4:
        # A 科目编码 column beside 类 | 款 | 项 columns: the whole code where it is printed, else its parts.
        whole = _code(cells[:1], inherited)
        if whole[0] is not None:
            _join_code_parts([_SPACES.sub("", c.text) for c in cells[1:]], inherited)  # the parents, for the next rows
            return whole
        return _code(cells[1:], inherited)
    if len(cells) == 1:
        digits = _SPACES.sub("", cells[0].text)
        if not _ONE_CELL_CODE.fullmatch(digits):
            return None, None
    else:
        digits = _join_code_parts([_SPACES.sub("", c.text) for c in cells], inherited) or _unit_code(cells)
        if digits is None:
            return None, None
    parts = [p for c in printed for p in c.parts]
    return digits, Text(text=" ".join(c.text for c in printed), span=(parts[0][0], parts[-1][1]), parts=parts)


def _unit_code(cells: list[Cell]) -> str | None:
    """A unit's own code (301001) printed alone in the 类 cell of 类 | 款 | 项 columns, over its block of codes;
    ``_finish`` makes its line the unit's line. None for anything else."""
    first = _SPACES.sub("", cells[0].text)
    if len(first) == 6 and first.isdigit() and not any(c.text.strip() for c in cells[1:]):
        return first
    return None


def _join_code_parts(parts: list[str], inherited: dict[str, str]) -> str | None:
    """类 | 款 | 项 cells to one code; ``inherited`` keeps the last 类 and 款 for blank parent cells."""
    code = ""
    for level, (part, size) in enumerate(zip(parts, (3, 5, 7))):
        if not part:
            if level == 0 and any(parts[1:]):
                code = inherited.get("class", "")
                if not code:
                    return None
                continue
            if level == 1 and len(parts) > 2 and parts[2] and len(parts[2]) < 7:
                code = inherited.get("item", "")
                if not code:
                    return None
                continue
            break
        if not part.isdigit():
            return None
        if len(part) == size and part.startswith(code):
            code = part
        elif len(code) + len(part) == size:
            code += part
        elif level > 0 and len(part) == 1 and len(code) + 2 == size:
            code += "0" + part  # a 款 or 项 kept as a number (a spreadsheet's 3 for 03): its leading zero dropped
        else:
            return None
    if len(code) not in (3, 5, 7):
        return None
    if len(code) == 3:
        inherited["class"] = code
    elif len(code) == 5:
        inherited["class"], inherited["item"] = code[:3], code
    return code


def _interpret_all(spec: TableSpec, raw: RawRow, columns: dict[str, str]) -> list[Row]:
    """The row as read; where a page break cut one of its figures and the join is uncertain, the
    readings of each join go with the row as placements, for the verifier to choose."""
    if not raw.others:
        return _noted(_interpret(spec, raw, columns), raw)
    state = _inherited(raw.layout)
    before = dict(state)
    rows = _interpret(spec, raw, columns)
    after = dict(state)
    for cells in raw.others:
        state.clear()
        state.update(before)
        other = RawRow(cells, raw.line, raw.segment, raw.first_in_segment, raw.layout, raw.merged_from,
                       raw.positional, notes=raw.notes)
        alts = _interpret(spec, other, columns)
        for row in rows:
            alt = next((r for r in alts if r.side == row.side), None)
            if alt is not None:
                mine = row.options or [Reading(values=dict(row.values), how="as read")]
                theirs = [Reading(values=o.values, how=f"{o.how}, cut figure joined otherwise")
                          for o in (alt.options or [Reading(values=dict(alt.values), how="as read")])]
                row.propose(_distinct(mine + theirs)[:MAX_PLACEMENTS])
    state.clear()
    state.update(after)
    for row in rows:
        if len(row.options) > 1:
            row.notes.append(f"{raw.others_why}; {len(row.options)} readings proposed")
    return _noted(rows, raw)


def _noted(rows: list[Row], raw: RawRow) -> list[Row]:
    for row in rows:
        row.notes.extend(raw.notes)
        if raw.layout.how == SIDE_BY_SIDE and row.item is None and row.code is None and row.label is not None \
                and _SPACES.sub("", row.label.text).endswith(("合计", "小计", "总计")):
            row.item = "total"  # 人员经费合计 | 公用经费合计: each side-by-side table's own total line
    return rows


def _indent(raw: RawRow, label: Text) -> int | None:
    """The blanks before the label inside its cell, as printed (2 for a full-width space, 1 for a space); None when
    the label does not start on the row's own line. A space-aligned line's spaces are the gaps between its cells:
    only full-width ones count there."""
    line = raw.line
    at = label.span[0] - line.start
    if not 0 <= at <= len(line.text):
        return None
    blanks = "\u3000 " if line.kind.value in ("pipe", "tab") else "\u3000"
    n = 0
    while at > 0 and line.text[at - 1] in blanks:
        at -= 1
        n += 2 if line.text[at] == "\u3000" else 1
    return n


def _in_place(spec: TableSpec, raw: RawRow) -> bool:
    """Each cell of the row sits in its column (else its figures are placed by proposals)."""
    return raw.positional and len(raw.cells) >= raw.layout.needed and not raw.layout.packed and _fits(spec, raw)


def _interpret(spec: TableSpec, raw: RawRow, columns: dict[str, str]) -> list[Row]:
    positional = _in_place(spec, raw)
    if spec.row_key == "two_sided":
        if not positional:
            return _sequential_two_sided(spec, raw, columns)
        sided = _label_on_its_side(spec, raw)
        rows = [r for r in (_side_row(spec, sided, side) for side in ("income", "expenditure")) if r]
        for r in rows:
            r.notes.extend(sided.notes[len(raw.notes):])
        return rows
    if not positional:
        return _sequential(spec, raw, columns)
    lay = raw.layout
    row = Row(span=_span(raw))
    cells = raw.cells
    for i, key, column_type in _columns_read(spec, lay):
        if i < len(cells) and cells[i].text:
            _place_as(row, key, cells[i], column_type)
    _unplaced(raw, lay, row, columns)
    code_cells = [raw.cell(i) for i in lay.code]
    label = _text(raw.cell(lay.label))
    if label is None and (total := _total_in_code_cells(code_cells)) is not None:
        # "合计" printed in the code column (or a merged cell over code and name, written in its first cell).
        label, code_cells = total, []
        row.notes.append(f"{label.text!r} printed under the code column: read as the row label")
    if label is None and (stray := _stray_words(raw, lay)) is not None:
        # The row's name under a header cell the layout gave no role (科目编码 and 科目名称 printed as one cell).
        label = stray
        row.notes.append(f"{label.text!r} sits under no header: read as the row label")
    code, code_raw = _code(code_cells, _inherited(lay)) if code_cells else (None, None)
    if label is None:
        # "合计" printed in the first cell of a table whose first column is not the label (类型, 品目).
        for key, t in list(row.texts.items()):
            if _TOTAL_LABEL.match(_SPACES.sub("", t.text)):
                label = row.texts.pop(key)
                row.notes.append(f"{label.text!r} printed under {key}: read as the row label")
    if any(c.text for c in code_cells) and code is None:
        row.notes.append(f"code cell {' '.join(c.text for c in code_cells)!r} is not a 3/5/7-digit classification code")
    return _finish(spec, raw, row, label, code, code_raw)


def _stray_words(raw: RawRow, lay: Layout) -> Text | None:
    """Words in a cell no column of the layout reads: the only such cell with Chinese in it, not a figure."""
    used = _roled(lay)
    stray = [c for i, c in enumerate(raw.cells) if i not in used and c.text and HAN.search(c.text)
             and parse_amount(c.text) is None]
    return _text(stray[0]) if len(stray) == 1 else None


def _total_in_code_cells(cells: list[Cell]) -> Text | None:
    printed = [c for c in cells if c.text]
    if len(printed) == 1 and _TOTAL_LABEL.match(_SPACES.sub("", printed[0].text)):
        return _text(printed[0])
    return None


def _fits(spec: TableSpec, raw: RawRow) -> bool:
    """Each cell is of its column's kind: a number in a code or 序号 column, text in an amount column, a
    number where the label goes — more than one such misfit and the cells are not in their columns."""
    lay = raw.layout
    numbered, named, amounts = _cells_by_kind(spec, lay)
    cells = raw.cells
    width = len(cells)
    misfits = 0
    for i in numbered:
        text = cells[i].text if i is not None and i < width else ""
        if text and not text.replace(" ", "").isdigit():
            misfits += 1
    for i in named:
        text = cells[i].text if i is not None and i < width else ""
        if text and parse_amount(text) is not None:
            misfits += 1
    for i in amounts:
        text = cells[i].text if i < width else ""
        if text and _kind_of_text(text) == "text":
            misfits += 1
    return misfits < 2


def _cells_by_kind(spec: TableSpec, layout: Layout) -> tuple[list, list, list[int]]:
    """The layout's cells that hold digits (序号, code), the label's, and the columns that are not text. Kept per
    layout, which the rows of a page share."""
    kinds = layout.__dict__.get("_cells_by_kind")
    if kinds is None:
        kinds = layout.__dict__["_cells_by_kind"] = (
            [layout.seq, *layout.code], [layout.label, *layout.labels_by_side.values()],
            [i for i, key in layout.keys.items() if not layout.is_text(spec, key)])
    return kinds


def _columns_read(spec: TableSpec, layout: Layout) -> list[tuple[int, str, str]]:
    """Each column the layout names, as (cell index, key, what it holds: text, amount, count or percent). Kept per
    layout, which the rows of a page share (like the inherited codes)."""
    read = layout.__dict__.get("_columns_read")
    if read is None:
        read = layout.__dict__["_columns_read"] = [
            (i, key, "text" if key in layout.texts else spec.column(key).type) for i, key in layout.keys.items()]
    return read


def _roled(layout: Layout) -> frozenset[int | None]:
    """The cells the layout gives a role (a column key, 序号, the label, the code). Kept per layout, which the
    rows of a page share (like the inherited codes)."""
    roled = layout.__dict__.get("_roled")
    if roled is None:
        roled = layout.__dict__["_roled"] = frozenset(
            {*layout.keys, layout.seq, layout.label, *layout.code, *layout.labels_by_side.values()})
    return roled


def _inherited(layout: Layout) -> dict[str, str]:
    # The 类 / 款 printed above a blank parent cell: kept per layout, which the rows of a page share.
    return layout.__dict__.setdefault("_inherited_codes", {})


def _finish(spec: TableSpec, raw: RawRow, row: Row, label: Text | None, code: str | None,
            code_raw: Text | None) -> list[Row]:
    if not (row.values or row.texts or label or code or row.unparsed or row.options):
        return []
    if code is None and label is not None and (spec.row_key in ("functional", "economic") or spec is OTHER_TABLE):
        code, code_raw, label = _code_in_label(label) or (None, None, label)
    squashed = _SPACES.sub("", label.text) if label else ""
    item = None
    if code is not None and (len(code) == 6 or (len(code) == 3 and squashed and _ORG_NAME.search(squashed)
                                                and not squashed.endswith("支出"))):
        # A department's or unit's own line (308 / 308001 and its name), not a functional class.
        code, item = None, "department"
    elif label and spec.items:
        item = spec.match_item(label.text)
    if item is None and code is None and label and _TOTAL_LABEL.match(squashed):
        item = "total"
    row.name(label=label, code=code, code_raw=code_raw, item=item,
             memo=bool(label and _MEMO_LABEL.match(label.text)) and item is None,
             indent=_indent(raw, label) if label is not None and code is None else None)
    return [row]


# A classification code printed in the name's own cell, as budget systems' exports print it: [208]社会保障和就业支出,
# 【20805】…, 2080505 机关事业单位基本养老保险缴费支出, or in its levels a space apart (205 02 普通教育: a one-space
# layout's code the columns could not part from the name). Functional codes start with 2, economic ones with 3 or
# 5; the name after it starts with a word (not 万元, 年, a figure's unit).
_CODE_IN_LABEL = re.compile(r"[\[［【(（]?([235]\d{2}(?:\d{2}){0,2}|[235]\d{2}(?: \d{2}){1,2})[\]］】)）]?[ \t\u3000]*"
                            r"(?=[^\d\s万元个年月日号%％.．、,，])")


def _code_in_label(label: Text) -> tuple[str, Text, Text] | None:
    """(code, the code as printed, the name) of a label that starts with its classification code, else None."""
    m = _CODE_IN_LABEL.match(label.text)
    start, end = label.parts[0]
    if m is None or m.end() >= end - start or m.end() == len(label.text):
        return None
    printed = label.text[:m.end()].rstrip(" \t\u3000")
    code_raw = Text(text=printed, span=(start, start + len(printed)))
    name = Text(text=label.text[m.end():], span=(start + m.end(), label.span[1]),
                parts=[(start + m.end(), end), *label.parts[1:]])
    return m.group(1).replace(" ", ""), code_raw, name


_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第)")
_NOT_A_MEMO = re.compile(r"合计|小计|总计|结转|结余")


def _continued_memos(rows: list[Row]) -> None:
    """A 其中 list continued on the lines below without repeating 其中 (五、单位资金收入 / 其中：事业收入 /
    上级补助收入): those lines are parts of the same line above, never added into a sum.

    A line continues the list when the line above the list is numbered (一、, （一）, 1.) and it is not: a line of
    its own would be numbered like it. Lines with a code, a fixed-line key or a total's words end the list.
    Two-sided tables are followed side by side.
    """
    last: dict[str | None, tuple[bool, bool]] = {}  # side -> (in a 其中 list, the list's line is numbered)
    numbered_above: dict[str | None, bool] = {}
    for row in rows:
        label = _SPACES.sub("", row.label.text) if row.label else ""
        in_list, parent_numbered = last.get(row.side, (False, False))
        if row.memo:
            last[row.side] = (True, numbered_above.get(row.side, False))
            continue
        if in_list and parent_numbered and label and row.code is None and row.item is None \
                and not _NUMBERED.match(label) and not _NOT_A_MEMO.search(label):
            row.memo = True
            row.notes.append("continues the 其中 list above (no 其中 of its own): a part of the line above the list")
            continue
        last[row.side] = (False, False)
        numbered_above[row.side] = bool(_NUMBERED.match(label))


def _unplaced(raw: RawRow, lay: Layout, row: Row, columns: dict[str, str]) -> None:
    """A number in a column the header names nothing for still gets a column: "列N", N counted from 1."""
    used = _roled(lay)
    for i, cell in enumerate(raw.cells):
        if i in used or not cell.text or parse_amount(cell.text) is None:
            continue
        key = f"列{i + 1}"
        columns.setdefault(key, key)
        row.values[key] = _amount(cell)
        row.notes.append(f"cell {cell.text!r} at {list(cell.span)} sits under no header; kept as column {key}")


# --- rows whose cells do not sit in their columns -----------------------------------------------

_FIGURE_LIKE = re.compile(r"^[\d\s.,，．（）()%％+\-−－]+$|^(nan|NaN|NAN|N/A|n/a|#\S*|\*+)$")


def _kind_of(cell: Cell) -> str:
    """number, blank (a dash), odd (a figure that does not parse: "12,34", "NaN") or text."""
    return _kind_of_text(cell.text)


def _kind_of_text(text: str) -> str:
    if is_blank_mark(text):
        return "blank"
    if parse_amount(text) is not None:
        return "number"
    if _FIGURE_LIKE.match(text) or _marked_figure(text):
        return "odd"
    return "text"


_ITEM_NUMBER = re.compile(r"^[(（]?\d{1,2}[)）、.．]$")


def _marked_figure(text: str) -> bool:
    """Digits with marks the parser does not know and no words ("▼28.00", "28.00*", "☆5%"): a figure to flag, never
    words of the label (a numbered item's "1、" or "（2）" stays words)."""
    return any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text) \
        and not _ITEM_NUMBER.match(text.strip())


def _sequential(spec: TableSpec, raw: RawRow, columns: dict[str, str]) -> list[Row]:
    """A row whose empty cells were dropped: its cells in order, read as 序号, code, label, then figures.

    The figures keep their order; which columns they belong to is proposed as
    every order-keeping placement, nearest the left-packed one first, and the
    verifier chooses.
    """
    lay = raw.layout
    cells = [c for c in raw.cells if c.text]
    kinds = [_kind_of(c) for c in cells]
    i = 1 if lay.seq is not None and _is_seq(cells, lay) else 0
    code_cells: list[Cell] = []
    if lay.code:
        code_cells, i = _take_code(cells, i, lay)
    slots = [(idx, k) for idx, k in sorted(lay.keys.items())]
    row = Row(span=_span(raw))
    runs = _runs(cells[i:], kinds[i:])
    groups = _slot_groups(spec, slots, lay)
    if len(runs) > 2 and _kinds(runs) == _kinds(groups)[:len(runs)]:
        # Text columns between figure columns (采购物品名称 between 预算资金 and 数量): runs meet groups in turn.
        label_cells, figures_by_group = [], []
        for run, group in zip(runs, groups):
            if run[0] == "text" and group[0] == "text":
                label_cells = _fill_texts(spec, row, run[1], group[1], lay, label_cells)
            else:
                figures_by_group.append((run[1], group[1]))
        for figures, keys in figures_by_group:
            _propose(spec, row, figures, keys, columns)
    else:
        # Label (with any figures inside it: "3、单价在 20 万元以上的设备") and text columns, then the figures.
        tail = len(runs) - 1 if runs and runs[-1][0] == "figures" else len(runs)
        words = [c for kind, run in runs[:tail] for c in run]
        figures = runs[tail][1] if tail < len(runs) else []
        text_slots = ([(lay.label, "")] if lay.label is not None else []) + \
            [(idx, k) for idx, k in slots if lay.is_text(spec, k)]
        text_keys = _text_keys_for(spec, words, figures, sorted(text_slots), slots, lay)
        label_cells = _fill_texts(spec, row, words, text_keys, lay, [])
        label_cells = _figures_out_of_label(raw, row, label_cells, columns)
        amount_keys = [k for _, k in slots if not lay.is_text(spec, k)]
        _propose(spec, row, figures, amount_keys, columns)
    code, code_raw = (None, None)
    if code_cells:
        code, code_raw = _code(_code_columns(code_cells, lay), _inherited(lay))
    label = _join_text(label_cells)
    if code_cells and code is None:
        row.notes.append(f"code cell {' '.join(c.text for c in code_cells)!r} is not a 3/5/7-digit classification code")
    return _finish(spec, raw, row, label, code, code_raw)


def _text_keys_for(spec: TableSpec, words: list[Cell], figures: list[Cell], text_slots: list[tuple[int, str]],
                   slots: list[tuple[int, str]], lay: Layout) -> list[str]:
    """The text columns (and the label, "") the words before a row's figures fill: all of them, or where the words
    are as many as the text columns printed before the amount columns, those (a row that left 绩效目标, printed
    after the figures, empty)."""
    keys = [k for _, k in text_slots]
    if not (figures and words) or len(words) == len(keys):
        return keys
    first_amount = min((i for i, k in slots if not lay.is_text(spec, k)), default=None)
    leading = [k for i, k in text_slots if first_amount is None or i < first_amount]
    return leading if len(words) == len(leading) else keys


def _figures_out_of_label(raw: RawRow, row: Row, label_cells: list[Cell], columns: dict[str, str]) -> list[Cell]:
    """A cell of figures between words (合计 | 45.00 | 17.00 | ▼28.00 | ▼62.22%: the row's last cells are not
    figures, so everything before them reads as its label) is never a word of the label: a number is kept under
    its place ("列N", flagged read.unplaced), a figure that does not parse is flagged read.unparsed."""
    kept = []
    delimited = raw.line.kind.value in ("pipe", "tab")
    for n, cell in enumerate(label_cells):
        kind = _kind_of(cell)
        if kind not in ("number", "odd") or (not kept and _ITEM_NUMBER.match(cell.text.strip())) \
                or (not delimited and _inside_words(label_cells, n)):
            kept.append(cell)
            continue
        key = f"列{next(i for i, c in enumerate(raw.cells) if c is cell) + 1}"
        columns.setdefault(key, key)
        if kind == "number":
            row.values[key] = _amount(cell)
        else:
            row.unparsed[key] = _text(cell)
        row.notes.append(f"figure {cell.text!r} at {list(cell.span)} among the label's words; kept as column {key}")
    return kept


def _inside_words(cells: list[Cell], n: int) -> bool:
    """A figure one space from words on both sides, in a line split on spaces: a word of the label itself
    ("3、单价在 20 万元以上的设备")."""
    if n == 0 or n + 1 >= len(cells):
        return False
    before, cell, after = cells[n - 1], cells[n], cells[n + 1]
    return (_kind_of(before) == "text" and _kind_of(after) == "text"
            and cell.span[0] - before.span[1] <= 1 and after.span[0] - cell.span[1] <= 1)


def _runs(cells: list[Cell], kinds: list[str]) -> list[tuple[str, list[Cell]]]:
    """Consecutive words and consecutive figures (numbers, dashes) of a row."""
    runs: list[tuple[str, list[Cell]]] = []
    for cell, kind in zip(cells, kinds):
        kind = "text" if kind == "text" else "figures"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(cell)
        else:
            runs.append((kind, [cell]))
    return runs


def _slot_groups(spec: TableSpec, slots: list[tuple[int, str]], lay: Layout) -> list[tuple[str, list[str]]]:
    """The layout's label and text columns and its amount columns, as alternating groups in printed order."""
    items = [(lay.label, "")] if lay.label is not None else []
    items += slots
    groups: list[tuple[str, list[str]]] = []
    for _idx, key in sorted(items, key=lambda s: s[0]):
        kind = "text" if key == "" or lay.is_text(spec, key) else "figures"
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(key)
        else:
            groups.append((kind, [key]))
    return groups


def _kinds(seq) -> list[str]:
    return [s[0] for s in seq]


def _fill_texts(spec: TableSpec, row: Row, words: list[Cell], keys: list[str], lay: Layout,
                label_cells: list[Cell]) -> list[Cell]:
    """Words to the label ("") and the text columns in ``keys`` (printed order).

    One word to a column when they match in number (a lone text column's one word
    is its own: 绩效目标 after the figures); otherwise the words are the label,
    which may have spaces in it.
    """
    if words and len(words) == len(keys) and (len(keys) > 1 or keys[0]):
        for key, cell in zip(keys, words):
            if key:
                row.texts[key] = _text(cell)
            else:
                label_cells = label_cells + [cell]
        return label_cells
    return label_cells + words


def _is_seq(cells: list[Cell], lay: Layout) -> bool:
    """Whether the row's first cell is its 序号 rather than its code.

    序号 counts up by one from row to row; a code is 3, 5 or 7 digits followed by its name.
    """
    if len(cells) < 2 or not _SEQ_TOKEN.match(cells[0].text):
        return False
    state = _inherited(lay)
    n = int(cells[0].text)
    if cells[1].text.replace(" ", "").isdigit() or not lay.code or len(cells[0].text) not in (3, 5, 7):
        state["seq"] = n
        return True
    if n == state.get("seq", -1) + 1:
        state["seq"] = n
        return True
    return False


def _take_code(cells: list[Cell], i: int, lay: Layout) -> tuple[list[Cell], int]:
    """The cells that make up the row's code: one, a code split by a space, or 类 / 款 / 项."""
    taken: list[Cell] = []
    while i < len(cells) and len(taken) < 3 and cells[i].text.replace(" ", "").isdigit():
        trial = taken + [cells[i]]
        if _code(_code_columns(trial, lay), dict(_inherited(lay)))[0] is None:
            break
        taken = trial
        i += 1
    return taken, i


def _code_columns(code_cells: list[Cell], lay: Layout) -> list[Cell]:
    """Code pieces laid on the layout's code columns (one column, or 类 / 款 / 项)."""
    if len(lay.code) <= 1:
        if len(code_cells) == 1:
            return code_cells
        joined = code_cells[0]
        for c in code_cells[1:]:
            joined = Cell(joined.text + " " + c.text, joined.parts + c.parts, joined.at)
        return [joined]
    return (code_cells + [Cell("", [], code_cells[-1].span[1])] * 3)[:len(lay.code)]


def _join_text(cells: list[Cell]) -> Text | None:
    if not cells:
        return None
    parts = [p for c in cells for p in c.parts]
    return Text(text=" ".join(c.text for c in cells), span=(parts[0][0], parts[-1][1]), parts=parts)


def _propose(spec: TableSpec, row: Row, figures: list[Cell], keys: list[str], columns: dict[str, str]) -> None:
    """Place the row's figures (numbers, dashes, unparsed cells) in ``keys`` keeping their order.

    The first placement is the reader's own (left-packed: the figures fill the
    first columns); the others go with the row as proposals. Figures beyond the
    columns' count sit under no header and keep their own column ("列N").
    """
    if len(figures) > len(keys):
        for n, cell in enumerate(figures[len(keys):], start=len(keys) + 1):
            key = f"列{n}"
            columns.setdefault(key, key)
            _place(row, key, cell, spec)
        row.notes.append(f"{len(figures) - len(keys)} figure(s) beyond the header's columns kept as 列N")
        figures = figures[:len(keys)]
    if not figures:
        return
    placements = list(islice(combinations(range(len(keys)), len(figures)), MAX_PLACEMENTS))
    # A placement proposes the whole row: what other groups of the row placed goes with it.
    bases = [o.values for o in row.options] or [dict(row.values)]
    distinct: list[Reading] = []
    seen: set[frozenset] = set()
    under = _placed_under(spec, figures, keys)
    # Each base's part of a reading's signature (``_signature``, as a set: a dict's columns are distinct, so the
    # sorted list and the set say the same), worked out once: the columns this group never places, and those it
    # may place over (a placement that leaves one empty keeps the base's figure there).
    figure_of: dict[int, tuple] = {}  # what each amount of a base says in a signature: its value and characters
    base_parts = [(frozenset((k, *_figure(a, figure_of)) for k, a in base.items() if k not in keys),
                   {k: (k, *_figure(a, figure_of)) for k, a in base.items() if k in keys}) for base in bases]
    for n, cols in enumerate(placements):
        values, unparsed, said = {}, {}, []
        for i, col in enumerate(cols):  # the i-th figure under the col-th column
            placed = under[i][col]
            if placed is not None:
                where, content, part = placed
                if where == "values":
                    values[keys[col]] = content
                    said.append(part)
                else:
                    unparsed[keys[col]] = content
        if n == 0:
            row.values.update(values)
            row.unparsed.update(unparsed)
        for base, (elsewhere, overlaid) in zip(bases, base_parts):
            # Placements that put the same figures in the same columns are one reading (the first kept): each is
            # made a Reading only once it is known to be new.
            sig = elsewhere.union(said, [part for k, part in overlaid.items() if k not in values])
            if sig not in seen and len(distinct) < MAX_PLACEMENTS:
                seen.add(sig)
                distinct.append(Reading(values={**base, **values}, how="left-packed" if n == 0 else f"placement {n}"))
    if len(distinct) > 1:
        row.propose(distinct)
        row.notes.append(f"{len(figures)} figure(s) in {len(keys)} columns: empty cells were dropped; "
                         f"{len(distinct)} placements proposed")


def _placed_under(spec: TableSpec, figures: list[Cell], keys: list[str]) -> list[list[tuple | None]]:
    """What each figure puts under each column, read once: ("values", the amount, its part of a signature),
    ("unparsed", the cell's text, None), or None (a dash, or words a placement does not keep). A row's placements
    put the same few figures under the same columns many times over (the content is frozen, so they share it)."""
    types = [spec.column(key).type for key in keys]
    under = []
    for figure in figures:
        by_type = {t: _content(figure, t) for t in set(types)}
        placed = []
        for key, column_type in zip(keys, types):
            content = by_type[column_type]
            if content is None or content[0] == "texts":
                placed.append(None)
            elif content[0] == "values":
                placed.append(("values", content[1], (key, str(content[1].value), content[1].span)))
            else:
                placed.append(("unparsed", content[1], None))
        under.append(placed)
    return under


def _distinct(options: list[Reading]) -> list[Reading]:
    seen: set[tuple] = set()
    out = []
    for option in options:
        sig = _signature(option.values)
        if sig not in seen:
            seen.add(sig)
            out.append(option)
    return out


def _figure(amount: Amount, known: dict[int, tuple]) -> tuple:
    """An amount's value as printed and its characters, worked out once per amount (``known``, by identity)."""
    said = known.get(id(amount))
    if said is None:
        said = known[id(amount)] = (str(amount.value), amount.span)
    return said


def _signature(values: dict[str, Amount]) -> tuple:
    """What a placement says: which figure (value and characters) under which column."""
    return tuple(sorted((k, str(a.value), a.span) for k, a in values.items()))


_SIDE_WORDS = (("income", re.compile(r"收入|上年结转|年初.*结转|结转(结余)?收入|^[一二三四五六七八九十]+、.*(拨款|资金)$")),
               ("expenditure", re.compile(r"支出|年终.*结转|年末.*结转|结转下年|结余$")))


# A summary printed as one list, its income lines first and its spending lines under them (项目 | 预算数: 一、收入 …
# 收入总计, 二、支出 … 支出总计), as some counties' Word templates print it. The spending block opens with a heading
# that names spending alone (二、支出, 支出, 支出项目), or right after the income side's grand total (收入总计).
_SPENDING_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]?)?(?:本年)?支出(?:项目|预算|情况)?$")
_INCOME_GRAND_TOTAL = re.compile(r"^收入(?:总计|合计)$")


def _stacked_sides(spec: TableSpec, rows: list[Row], columns: dict[str, str]) -> dict[str, str]:
    """A two-sided summary printed as one list under one amount column: each line read on its block's side, its
    figure under that side's amount column (income_amount | expenditure_amount), so that the table is checked as
    the side-by-side form is. Returns the table's columns; anything else is left as read."""
    amounts = [key for key in columns if spec.column(key).type == "amount"]
    if len(amounts) != 1 or any(r.side != "income" for r in rows if r.values) or spec.column(amounts[0]).side == "expenditure":
        return columns
    labels = [_SPACES.sub("", r.label.text) if r.label else "" for r in rows]
    start = next((n for n, text in enumerate(labels) if _SPENDING_HEADING.match(text)
                  or (n and _INCOME_GRAND_TOTAL.match(labels[n - 1]))), None)
    if start is None or start == 0:
        return columns
    income_key, spending_key = (next(c.key for c in spec.columns if c.side == side and c.type == "amount")
                                for side in ("income", "expenditure"))
    printed = columns[amounts[0]]
    for n, row in enumerate(rows):
        key = income_key if n < start else spending_key
        row.side = "income" if n < start else "expenditure"
        row.values = {key: amount for amount in row.values.values()}
    kept = {key: printed for key in (income_key, spending_key)}
    return {**{k: v for k, v in columns.items() if k != amounts[0]}, **kept}


def _side_of_label(text: str, n: int) -> str:
    squashed = _SPACES.sub("", text)
    for side, pattern in _SIDE_WORDS:
        if pattern.search(squashed):
            return side
    return ("income", "expenditure")[min(n, 1)]


def _sequential_two_sided(spec: TableSpec, raw: RawRow, columns: dict[str, str]) -> list[Row]:
    """A summary row whose empty cells were dropped: label, figures, label, figures — each label's side by its words."""
    lay = raw.layout
    cells = [c for c in raw.cells if c.text]
    kinds = [_kind_of(c) for c in cells]
    i = 0
    if lay.seq is not None and cells and _SEQ_TOKEN.match(cells[0].text) and len(cells) > 1:
        i = 1
    delimited = raw.line.kind.value in ("pipe", "tab")
    groups: list[tuple[list[Cell], list[Cell]]] = []
    while i < len(cells):
        label_cells = []
        while i < len(cells) and kinds[i] == "text":
            if label_cells and (delimited or _FRESH_LINE.match(cells[i].text)):
                break  # a cell of its own, or a numbered line: the other side's label
            label_cells.append(cells[i])
            i += 1
        figures = []
        while i < len(cells) and kinds[i] != "text":
            figures.append(cells[i])
            i += 1
        groups.append((label_cells, figures))
    rows = []
    used_sides: set[str] = set()
    for n, (label_cells, figures) in enumerate(groups):
        label = _join_text(label_cells)
        side = _side_of_label(label.text, n) if label else ("income" if not used_sides else "expenditure")
        if side in used_sides:
            side = "expenditure" if side == "income" else "income"
        used_sides.add(side)
        row = Row(span=_span(raw), side=side, label=label, memo=bool(label and _MEMO_LABEL.match(label.text)))
        keys = [k for idx, k in sorted(lay.keys.items()) if lay.side_of(idx, spec) == side]
        _propose(spec, row, figures, keys, columns)
        if row.values or label or row.unparsed:
            rows.append(row)
    return rows


def _label_on_its_side(spec: TableSpec, raw: RawRow) -> RawRow:
    """A two-sided row whose only label stands in the income side's label column but reads as spending
    (支出…) and whose figures are all on the expenditure side: the label is the expenditure side's (a page
    printed with the income side empty, its columns shifted left by the converter)."""
    lay = raw.layout
    inc, exp = lay.labels_by_side.get("income"), lay.labels_by_side.get("expenditure")
    if inc is None or exp is None or not raw.cell(inc).text or raw.cell(exp).text:
        return raw
    sides = {lay.side_of(i, spec) for i in lay.keys if raw.cell(i).text}
    squashed = _SPACES.sub("", raw.cell(inc).text)
    if "income" in sides or not _SIDE_WORDS[1][1].search(squashed) or _SIDE_WORDS[0][1].search(squashed):
        return raw
    cells = list(raw.cells) + [Cell("", [], raw.line.end)] * max(0, exp + 1 - len(raw.cells))
    cells[exp], cells[inc] = cells[inc], Cell("", [], cells[inc].at)
    moved = RawRow(cells, raw.line, raw.segment, raw.first_in_segment, raw.layout, raw.merged_from, raw.positional,
                   notes=raw.notes + [f"{cells[exp].text!r} printed under the income side's names reads as spending "
                                      "and the row's figures are all spending: read as the expenditure side's"])
    return moved


def _side_row(spec: TableSpec, raw: RawRow, side: str) -> Row | None:
    lay = raw.layout
    keys = _keys_on_side(spec, lay, side)
    label = _text(raw.cell(lay.labels_by_side.get(side)))
    if label is None and not any(raw.text_at(i) for i, _key, _type in keys):
        return None  # nothing printed on this side (a row of the other side only)
    row = Row(span=_span(raw), side=side, label=label, memo=bool(label and _MEMO_LABEL.match(label.text)))
    cells = raw.cells
    for i, key, column_type in keys:
        if i < len(cells) and cells[i].text:
            _place_as(row, key, cells[i], column_type)
    if not (row.values or label or row.unparsed):
        return None
    return row


def _keys_on_side(spec: TableSpec, layout: Layout, side: str) -> list[tuple[int, str, str]]:
    """The amount columns of one side of a two-sided layout, in the order printed, as (cell index, key, what it
    holds). Kept per layout, which the rows of a page share (like the inherited codes): every row of a summary
    table asks for both sides."""
    by_side = layout.__dict__.setdefault("_keys_by_side", {})
    if side not in by_side:
        by_side[side] = [(i, key, spec.column(key).type) for i, key in layout.keys.items()
                         if layout.side_of(i, spec) == side]
    return by_side[side]


def unread_for(chunk: Chunk, reason: str) -> Unread:
    return Unread(section_id=chunk.id, kind=chunk.kind, span=chunk.span, reason=reason)
