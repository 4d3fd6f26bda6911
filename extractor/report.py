"""Stage 7 — report: a folder of HTML pages for a folder of results, at any size.

The pages are meant for someone who has never seen the tool. ``index.html`` sums
up the batch: what was read, what the verifier found, a row per document. Each
document has its own page (``documents/<name>.html``, from the ``document.html``
template): its flags, its tables and performance cards with every value coloured
by its status, and the source text beside them with every value's characters
highlighted. Clicking a flag or a value brings the characters it was read from
into view.

Every page is self-contained (CSS, JS and data inline; the assets live in
``report_assets/``) and links only to the report's other pages, so the folder can
be zipped, mailed or archived and opened offline; nothing is fetched from anywhere.
The pages are written one result at a time: memory does not grow with the batch.
"""

from __future__ import annotations

import heapq
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from string import Template

from schemas import Amount, Decision, ExtractionResult, Flag, PerformanceCard, Row, Table, spec_for
from verify.checks import CHECKS
from verify.grounding import amount_slots

from .export import VALUE_STATUSES, ValueStatus, iter_results, result_paths, value_statuses
from .reverify import ReverifyError, read_source, text_copy

FLAG_STATUSES = ("open", "stale", "accepted", "corrected", "rejected")
NEEDS_REVIEW = ("open", "stale")

# Plain words for every status, in both languages; the legend and the tooltips use them.
VALUE_WORDS = {
    "verified": ("已核对", "verified", "read at its place in the source, and every sum it is part of adds up"),
    "flagged": ("待审核", "flagged", "a check failed on this value (a person's correction too, if it still fails): "
                                 "a person should look at it"),
    "accepted": ("已确认", "accepted", "a check failed, and a person confirmed the document really says this"),
    "corrected": ("已更正", "corrected", "a person corrected the value; the printed value is struck through beside it"),
    "rejected": ("已剔除", "rejected", "a person withdrew the value as wrong; it is left out of exports"),
}
# Each reads after the status word: "open — needs a decision".
FLAG_WORDS = {
    "open": ("待处理", "needs a decision"),
    "stale": ("需重新审核",
              "decided on values that have changed since (a new version of the document, or a later "
              "correction of one of them): decide again"),
    "accepted": ("已确认", "a person confirmed the document really prints this (for a completeness flag: acknowledged "
                        "the gap — what the document promises was not read)"),
    "corrected": ("已更正", "a person corrected a misread value and the check now passes"),
    "rejected": ("已剔除", "a person withdrew a wrong value (no correction); it is left out of exports"),
}
SEVERITY_WORDS = {"error": "错误 error", "warning": "警告 warning"}
TABLE_STATUS_WORDS = {"present": "read", "empty": "empty in the document", "unread": "could not be read",
                      "listed_missing": "listed in the contents but missing", "missing": "not in the document"}


class ReportError(Exception):
    """A problem a person can act on (no results, a store that cannot be opened); one line."""


# -- where the source text comes from ---------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    path: str
    text: str | None = None
    problem: str | None = None  # why there is no text, in plain words


def find_source(result: ExtractionResult, recorded: Path | None, folder: Path | None = None) -> Source:
    """The document's text, only if it is still the exact file the result was read from."""
    candidates = [p for p in (recorded, Path(result.document.path)) if p is not None]
    problems = []
    for path in dict.fromkeys(candidates):  # the store's absolute path first; the result's may be relative
        try:
            copy = text_copy(result, folder) if folder is not None else None
            return Source(str(path), read_source(path, result.document.sha256, result.document.name, copy))
        except ReverifyError as exc:
            relative = "" if path.is_absolute() else " (relative to the folder this report was made in)"
            problems.append(f"{exc}{relative}")
    return Source(str(candidates[0]), problem="; ".join(problems))


# -- one document's page ----------------------------------------------------------------------------


@dataclass
class Mark:
    """Characters of the source to highlight: a value (or a part of one) or a region a flag points at."""

    start: int
    end: int
    key: str  # "start-end" of the whole span, shared by a value's parts, its cell and its flags
    cls: str
    title: str = ""
    first: bool = True  # only the first piece carries the id


@dataclass
class DocPage:
    key: str  # safe in an HTML id
    result: ExtractionResult
    source: Source
    paths: dict[int, str] = field(default_factory=dict)
    statuses: dict[str, ValueStatus] = field(default_factory=dict)
    amounts: dict[str, Amount] = field(default_factory=dict)  # by path, corrections in place
    # Filled while the cells are rendered, so the source marks are exactly the values shown.
    values: dict[str, list[tuple[str, Amount, ValueStatus]]] = field(default_factory=dict)
    # PDF sources: the pane of page images beside the text (report_pages.py), made once the cells are rendered.
    page_pane: object = None
    pages_shown: bool = False  # the pane had pages: the page needs their CSS and JS

    @property
    def name(self) -> str:
        return self.result.document.name


_VERIFIED = ValueStatus("verified")


def span_key(span) -> str:
    return f"{span[0]}-{span[1]}"


def page_keys(names: list[str]) -> list[str]:
    """A file name for each document's page (``documents/<key>.html``), also used in its HTML ids: its name as it
    reads (``预算``, ``a_预算`` for ``a/预算``), only what is unsafe in a file name, a URL or an id replaced, and
    made unique — also where the file system does not tell case or Unicode forms apart (``A``, ``a_2``)."""
    keys, seen = [], set()
    for name in names:
        base = _safe_key(name)
        key, n = base, 1
        while _folded(key) in seen:
            n += 1
            key = f"{base}_{n}"
        seen.add(_folded(key))
        keys.append(key)
    return keys


# ASCII beyond letters, digits, ``_ - .`` is unsafe somewhere: ``/ \ : * ? " < > |`` in file names, ``# % ? &``
# and spaces in URLs, quotes and ``< > &`` in HTML. Beyond ASCII, only spaces and control or format characters are.
_UNSAFE_KEY = re.compile(r"[^A-Za-z0-9_.\-\u0080-\U0010ffff]+")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.I)  # Windows' device names
_KEY_BYTES = 150  # a file name holds 255 bytes; room for ``_NN.html``, and 50 Chinese characters


def _safe_key(name: str) -> str:
    import unicodedata

    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(ch)[0] in "ZC" else ch for ch in name)
    key = _UNSAFE_KEY.sub("_", name).strip("_")
    while len(key.encode("utf-8")) > _KEY_BYTES:
        key = key[:-1]
    key = key.lstrip(".").rstrip(".")  # a hidden file; a name Windows cuts the dot from
    if _RESERVED.fullmatch(key):
        key = f"_{key}"
    return key or "doc"


def _folded(key: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", key).casefold()


def status_of(page: DocPage, amount: Amount) -> tuple[str, ValueStatus]:
    path = page.paths.get(id(amount), "")
    return path, page.statuses.get(path, _VERIFIED)


def printed_value(page: DocPage, path: str | None) -> str | None:
    """What was read for a value a person corrected (the reading the correction replaced)."""
    status = page.statuses.get(path or "")
    return str(status.original.value) if status is not None and status.original is not None else None


def decision_time(iso: str) -> str:
    """"2026-11-22T13:20:05+00:00" → "2026-11-22 13:20 UTC"; anything unparsable as it is."""
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M UTC")


def decision_words(d: Decision | None, printed: str | None = None) -> str:
    """One line: "corrected by ann: read as 75, the document prints 100 (decision #3, 2026-11-22 13:20 UTC)".

    A fix or reject is described against what was read, never against the value just before
    it (which may itself be an earlier correction): the decision's own record of the document's values
    first, then ``printed`` (the correction's original reading), then the value when decided."""
    if d is None:
        return ""
    shown = d.values.get(d.field) if d.field else None
    shown = shown if shown is not None else printed if printed is not None else d.before
    verb, detail = {
        "accept": ("accepted", ""),
        "fix": ("corrected", f": read as {shown}, the document prints {d.after}"),
        "reject": ("withdrawn", f": read as {shown}, wrong; left out of exports"),
        "move": ("moved", f": read as {d.before}, the document prints it under {d.after}"),
        "reopen": ("reopened", ""),
    }[d.action]
    by = f" by {d.reviewer}" if d.reviewer else ""
    note = f": “{d.note}”" if d.note else ""
    return f"{verb}{by}{detail} (decision #{d.seq}, {decision_time(d.time)}){note}"


def cell_title(status: ValueStatus, amount: Amount) -> str:
    zh, en, meaning = VALUE_WORDS[status.status]
    lines = [f"{en} {zh}: {meaning}"]
    if _moved(status):
        lines.append(f"read under {status.decision.before}; the document prints it under {status.decision.after}")
    elif status.original is not None:
        lines.append(f"printed: {status.original.value}")
    if status.decision is not None:
        original = str(status.original.value) if status.original is not None else None
        lines.append(decision_words(status.decision, original))
    if status.flags:
        lines.append("flags: " + ", ".join(status.flags))
    lines.append(f"characters {amount.span[0]}–{amount.span[1]} of the source; click to show them")
    return "\n".join(lines)


def value_cell(page: DocPage, amount: Amount | None, suffix: str = "") -> str:
    """A table cell for one value, carrying its path, span and status; clicking it shows the source."""
    if amount is None:
        return "<td></td>"
    path, status = status_of(page, amount)
    key = span_key(amount.span)
    page.values.setdefault(key, []).append((path, amount, status))
    st = status.status
    shown = escape(str(amount.value)) + escape(suffix)
    if _moved(status):
        shown = f'{shown} <span class="was">← {escape(status.decision.before)}</span>'
    elif status.original is not None:
        shown = f'<s class="was">{escape(str(status.original.value))}</s> {shown}'
    title = "" if st == "verified" else f' title="{escape(cell_title(status, amount))}"'
    return (f'<td class="val st-{st}" data-path="{escape(path)}" data-span="{key}" data-status="{st}"'
            f'{title}>{shown}</td>')


def _moved(status: ValueStatus) -> bool:
    """A value a person moved to the column the document prints it under (same figure, another column)."""
    return status.status in ("corrected", "flagged") and status.decision is not None and \
        status.decision.action == "move"


def text_cell(text) -> str:
    return f"<td>{escape(text.text if hasattr(text, 'text') else text or '')}</td>"


# -- tables -----------------------------------------------------------------------------------------


def shown_columns(table: Table) -> list[tuple[str, str, str | None]]:
    """(key, header label as printed, side) for the columns the table has: the template's in its order, then
    those the registry has no key for (every column of an other_table, a header path such as 2024年预算数/合计)
    under their header path, in the order the table holds them — their values are facts like any other."""
    spec = spec_for(table.kind)
    used = dict.fromkeys(table.columns)
    for row in table.rows:
        used.update(dict.fromkeys((*row.values, *row.texts)))
    known = [(c.key, table.columns.get(c.key) or c.zh, c.side) for c in spec.columns if c.key in used]
    unknown = [(key, table.columns.get(key) or key, spec.column(key).side) for key in used
               if not spec.has_column(key)]
    return known + unknown


def row_cells(page: DocPage, row: Row | None, columns) -> str:
    out = []
    for key, _label, _side in columns:
        if row is not None and key in row.values:
            out.append(value_cell(page, row.values[key]))
        elif row is not None and key in row.texts:
            out.append(text_cell(row.texts[key]))
        else:
            out.append("<td></td>")
    return "".join(out)


def header_cells(columns) -> str:
    return "".join(f'<th title="{escape(key)}">{escape(label)}</th>' for key, label, _ in columns)


def one_sided_table(page: DocPage, table: Table) -> str:
    columns = shown_columns(table)
    with_code = any(r.code for r in table.rows)
    head = ("<th>code 科目编码</th>" if with_code else "") + "<th>line 项目</th>" + header_cells(columns)
    body = []
    for row in table.rows:
        code = f"<td class=code>{escape(row.code or '')}</td>" if with_code else ""
        body.append(f"<tr>{code}{text_cell(row.label)}{row_cells(page, row, columns)}</tr>")
    return grid(head, body)


def two_sided_table(page: DocPage, table: Table) -> str:
    """收入 on the left, 支出 on the right, one printed line per row, as the document prints it."""
    columns = shown_columns(table)
    income = [c for c in columns if _half(table, c) in ("income", "both")]
    spending = [c for c in columns if _half(table, c) in ("expenditure", "both")]
    head = "<th>收入 income</th>" + header_cells(income) + "<th>支出 expenditure</th>" + header_cells(spending)
    body = []
    for halves in printed_lines(table.rows):
        inc, exp = halves.get("income"), halves.get("expenditure")
        body.append("<tr>" + text_cell(inc.label if inc else None) + row_cells(page, inc, income)
                    + text_cell(exp.label if exp else None) + row_cells(page, exp, spending) + "</tr>")
    return grid(head, body)


def _half(table: Table, column) -> str:
    """The half of a two-sided table a column is shown in: the registry's side for its own columns; for a column it
    has no key for (a header path such as 列2), the half whose rows hold values under it — both when both do."""
    key, _label, side = column
    if spec_for(table.kind).has_column(key):
        return "income" if side == "income" else "expenditure"
    sides = {row.side or "expenditure" for row in table.rows if key in row.values or key in row.texts}
    if not sides:
        return "income" if side == "income" else "expenditure"
    return sides.pop() if len(sides) == 1 else "both"


def printed_lines(rows: list[Row]) -> list[dict[str, Row]]:
    """Pair the income and expenditure halves of each printed line (they share its span)."""
    lines: list[dict[str, Row]] = []
    last_span = None
    for row in rows:
        side = row.side or "expenditure"
        if not lines or tuple(row.span) != last_span or side in lines[-1]:
            lines.append({})
        lines[-1][side] = row
        last_span = tuple(row.span)
    return lines


def grid(head: str, body: list[str]) -> str:
    return (f'<div class="scroll"><table class="grid"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


_ENTITY_ROLES = {"consolidated": "部门汇总 consolidated", "unit": "单位 unit's own"}


def _entity_shown(table: Table) -> str:
    """Whose table it is, in a 部门汇总 document that prints the department's and each unit's tables."""
    if table.entity is None:
        return ""
    role = _ENTITY_ROLES.get(table.entity_role or "", "")
    return f" · 编制单位 for: {escape(table.entity.text)}" + (f" ({escape(role)})" if role else "")


def _unit_shown(table: Table) -> str:
    """The table's unit and where it comes from: stated, taken from the document's other tables, or assumed."""
    header = table.unit_header.text if table.unit_header else ""
    if table.unit is None:
        stated = table.unit_text.text if table.unit_text else ""
        if header:
            return f"未知 unknown（“{stated}” and the header's “{header}” disagree）"
        return f"未知 unknown（“{stated}” not understood）"
    if header:
        return f"{table.unit} (“{table.unit_text.text if table.unit_text else ''}” and the header's “{header}” " \
               f"disagree; the relations with the other tables bear out {table.unit})"
    if table.unit_from == "document":
        return f"{table.unit} (not printed; the document's other tables state it)"
    if table.unit_from == "assumed":
        return f"{table.unit} (not printed; assumed)"
    return table.unit


def render_table(page: DocPage, table: Table, anchor: str) -> str:
    spec = spec_for(table.kind)
    title = (f'<h4 id="{anchor}">{escape(table.title)} <small>{escape(spec.name(page.result.document.stage))} · '
             f'{escape(table.kind)}'
             f'{_entity_shown(table)} · 单位 unit: {escape(_unit_shown(table))}</small></h4>')
    if table.empty or not table.rows:
        note = escape(table.note or "no rows")
        return f'{title}<p class="muted">Empty table 空表 — the document says: {note}</p>'
    body = two_sided_table(page, table) if spec.row_key == "two_sided" else one_sided_table(page, table)
    note = f'<p class="muted">{escape(table.note)}</p>' if table.note else ""
    return title + body + note


# -- performance cards ------------------------------------------------------------------------------

_BUDGET_PARTS = (("total", "预算数 budget"), ("fiscal", "财政资金 fiscal"), ("carryover", "上年结转 carry-over"),
                 ("other", "其他资金 other"))


def render_card(page: DocPage, card: PerformanceCard, anchor: str) -> str:
    unit = escape(card.unit)
    meta = [("项目编码 code", card.project_code), ("项目名称 project", card.project_name),
            ("主管部门 department", card.department), ("实施单位 implementing unit", card.implementing_unit),
            ("项目期 period", card.project_period)]
    dl = "".join(f"<dt>{k}</dt><dd>{escape(v.text)}</dd>" for k, v in meta if v is not None)
    if card.unparsed:
        # (Flagged read.unparsed: a printed figure no field took is shown, never dropped.)
        dl += ("<dt>未读数字 not read</dt><dd>" + "、".join(f"<code>{escape(t.text)}</code>" for t in card.unparsed)
               + "</dd>")
    figures = [_card_budget(page, card.budget, unit)]
    midterm = _card_budget(page, card.midterm_budget, unit) if card.midterm_budget is not None else ""
    if midterm:
        figures.append(f'<p class="caption">实施期资金 budget of the whole project period</p>{midterm}')
    if card.spending_plan:
        head = "".join(f"<th>{escape(step.period)}</th>" for step in card.spending_plan)
        how = "cumulative %" if all(step.cumulative for step in card.spending_plan) else "% by period"
        figures.append(f'<p class="caption">资金支出计划 spending plan ({how})</p>'
                       + grid(head, ["<tr>" + "".join(value_cell(page, s.percent, "%") for s in card.spending_plan)
                                     + "</tr>"]))
    goals = ""
    if card.goals:
        items = "".join(f"<li>{escape(g.text)}</li>" for g in card.goals)
        goals = f"<details><summary>年度目标 goals ({len(card.goals)})</summary><ul>{items}</ul></details>"
    kind = ("部门整体绩效目标表 department card" if card.kind == "department_performance_target"
            else "项目绩效目标表 project card")
    return (f'<div class="card"><h4 id="{anchor}">{escape(card.title)} <small>{kind} · 单位 unit: {unit}</small></h4>'
            f'<dl>{dl}</dl>{"".join(figures)}{goals}{_card_tasks(page, card)}{_card_indicators(page, card)}</div>')


def _card_budget(page: DocPage, budget, unit: str) -> str:
    """A card's budget figures in one line: its parts, then the fiscal money's sources as the card names them."""
    cells = [(label, getattr(budget, key)) for key, label in _BUDGET_PARTS if getattr(budget, key)]
    cells += [(f"资金来源 {escape(name)}", amount) for name, amount in budget.sources.items()]
    if not cells:
        return ""
    return grid("".join(f"<th>{label} ({unit})</th>" for label, _ in cells),
                ["<tr>" + "".join(value_cell(page, a) for _, a in cells) + "</tr>"])


def _other_headers(rows) -> list[str]:
    """Headers of the columns no reader knows, in the order the rows print them (kept and flagged read.card_column)."""
    return list(dict.fromkeys(h for row in rows for h in row.other))


def _card_tasks(page: DocPage, card: PerformanceCard) -> str:
    """The department card's task-budget grid, with its 金额合计 line."""
    if not card.tasks and card.tasks_total is None:
        return ""
    unit = escape(card.unit)
    others = _other_headers(card.tasks)
    head = ("<th>任务名称 task</th><th>主要内容 content</th>"
            + "".join(f"<th>{label} ({unit})</th>" for _, label in _BUDGET_PARTS)
            + "".join(f"<th>{escape(h)}</th>" for h in others))

    def amounts(budget) -> str:
        return "".join(value_cell(page, getattr(budget, key)) for key, _ in _BUDGET_PARTS)

    rows = ["<tr>" + text_cell(t.name) + text_cell(t.content) + amounts(t.budget)
            + "".join(text_cell(t.other.get(h)) for h in others) + "</tr>" for t in card.tasks]
    if card.tasks_total is not None:
        rows.append('<tr><td>金额合计 total</td><td></td>' + amounts(card.tasks_total)
                    + "<td></td>" * len(others) + "</tr>")
    return '<p class="caption">年度主要任务 tasks</p>' + grid(head, rows)


def _card_indicators(page: DocPage, card: PerformanceCard) -> str:
    """The indicator grid; the weight, scoring and unknown columns only where the card prints them."""
    if not card.indicators:
        return ""
    inds = card.indicators
    weights = any(i.weight is not None for i in inds)
    scoring = any(i.scoring is not None for i in inds)
    others = _other_headers(inds)
    head = ("<th>一级指标 level 1</th><th>二级指标 level 2</th><th>三级指标 indicator</th>"
            "<th>指标值 target as printed</th><th>数值 value read</th><th>单位 unit</th>"
            + ("<th>权重 weight</th>" if weights else "") + ("<th>评分标准 scoring</th>" if scoring else "")
            + "".join(f"<th>{escape(h)}</th>" for h in others))
    rows = []
    for ind in inds:
        rows.append("<tr>" + text_cell(ind.level1) + text_cell(ind.level2) + text_cell(ind.name)
                    + text_cell(ind.target or ind.qualitative) + value_cell(page, ind.value)
                    + text_cell(ind.unit) + (value_cell(page, ind.weight) if weights else "")
                    + (text_cell(ind.scoring) if scoring else "")
                    + "".join(text_cell(ind.other.get(h)) for h in others) + "</tr>")
    return '<p class="caption">绩效指标 indicators</p>' + grid(head, rows)


# -- flags ------------------------------------------------------------------------------------------


def flag_order(flag: Flag) -> tuple[int, int]:
    """What needs a decision first, errors before warnings; otherwise the verifier's order."""
    return (flag.status not in NEEDS_REVIEW, flag.severity != "error")


def render_flag(page: DocPage, flag: Flag) -> str:
    spans = " ".join(span_key(s) for s in flag.spans)
    check = CHECKS.get(flag.check)
    meaning = f"{check.zh}\n{check.en}" if check else ""
    chips = []
    for i, ref in enumerate(flag.fields, 1):
        value, st = chip_value(page, ref)
        target = f' data-span="{span_key(ref.span)}"' if ref.span else " disabled"
        title = ref.path if st == "verified" else f"{ref.path}\n{VALUE_WORDS[st][1]}: {VALUE_WORDS[st][2]}"
        chips.append(f'<button class="chip ch-{st}" type="button"{target} title="{escape(title)}">{i}. '
                     f'{escape(ref.label)} = {value}</button>')
    numbers = ""
    if flag.expected is not None or flag.found is not None:
        numbers = (f'<div class="muted">expected 应为 <b>{escape(flag.expected or "—")}</b>, '
                   f'found 实际 <b>{escape(flag.found or "—")}</b></div>')
    decision = ""
    if flag.decision is not None:
        d = flag.decision
        stale = f" — stale: {escape(d.stale_reason or '')}" if d.stale else ""
        decision = f'<div class="decision">{escape(decision_words(d, printed_value(page, d.field)))}{stale}</div>'
    zh, words = FLAG_WORDS[flag.status]
    n = len(flag.spans)
    button = (f'<button class="show" type="button">show in source<br>({n} place{"s" if n > 1 else ""})</button>'
              if n else '<span class="muted">no place in the source</span>')
    values = f'<div>{"".join(chips)}</div>' if chips else ""
    values += render_row_views(page, flag)
    return (f'<tr class="flag fl-{flag.status} sev-{flag.severity}" id="flag-{page.key}-{escape(flag.id)}" '
            f'data-flag="{escape(flag.id)}" data-spans="{spans}" tabindex="0">'
            f'<td><code>{escape(flag.id)}</code><br>{button}</td>'
            f'<td><span class="sev">{SEVERITY_WORDS[flag.severity]}</span><br>'
            f'<span class="fs fs-{flag.status}" title="{escape(words)}">{flag.status} {zh}</span></td>'
            f'<td><code title="{escape(meaning)}">{escape(flag.check)}</code></td>'
            f'<td>{escape(flag.message)}<div class="en">{escape(flag.message_en)}</div>{numbers}'
            f'{values}{decision}</td></tr>')


def render_row_views(page: DocPage, flag: Flag) -> str:
    """For a misreading suspicion: each row it involves as printed beside as read, column by column."""
    from .review.rows import is_suspect, row_views

    if not page.source.text or not is_suspect(flag):
        return ""
    out = []
    for view in row_views(page.result, page.source.text, flag):
        lines = [("printed 原文", [c.printed for c in view.columns]), ("read 读取", [c.read for c in view.columns])]
        for n in range(view.alternatives):
            lines.append(("or 或", [c.others[n] if n < len(c.others) else "" for c in view.columns]))
        if view.decided:
            lines.append(("now 现", [c.now for c in view.columns]))
        head = "".join(f"<th>{escape(c.label)}</th>" for c in view.columns)
        body = "".join(
            f'<tr><th>{name}</th>' + "".join(
                f'<td{_differs(name, v, c)}>{escape(v) or "·"}</td>' for v, c in zip(values, view.columns)) + "</tr>"
            for name, values in lines)
        why = (f"line {view.line} prints {view.cells} cell(s) for {len(view.columns)} column(s): empty cells were "
               f"dropped" if view.dropped else f"line {view.line}")
        out.append(f'<div class="rowview"><div class="muted">{escape(view.row)} — as printed beside as read '
                   f'({escape(why)})</div><table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody>'
                   f'</table></div>')
    return "".join(out)


def _differs(line: str, value: str, column) -> str:
    """Mark a reading that is not what the printed position says."""
    squash = "".join
    return ' class="diff"' if line.startswith(("read", "now")) and squash(value.split()) != squash(
        column.printed.split()) else ""


def chip_value(page: DocPage, ref) -> tuple[str, str]:
    """A flag's value as HTML, with what a person decided on it: "75 → 100 (corrected)", "<s>75</s> (withdrawn)"."""
    status = page.statuses.get(ref.path, _VERIFIED)
    amount = page.amounts.get(ref.path)
    now = str(amount.value) if amount is not None else ref.value
    if _moved(status):
        return (f'<b>{escape(now or "—")}</b> <i>(moved from {escape(status.decision.before)} to '
                f'{escape(status.decision.after)})</i>', status.status)
    if status.status in ("corrected", "flagged") and status.original is not None:
        still = ", still fails" if status.status == "flagged" else ""
        return (f'<b>{escape(str(status.original.value))} → {escape(now or "—")}</b> <i>(corrected{still})</i>',
                status.status)
    if status.status == "rejected":
        return f'<b><s>{escape(now or "—")}</s></b> <i>(withdrawn)</i>', status.status
    return f'<b>{escape(ref.value if ref.value is not None else "—")}</b>', status.status


def render_flags(page: DocPage) -> str:
    flags = sorted(page.result.flags, key=flag_order)
    if not flags:
        return '<p class="ok">No flags: every value read from this document was verified.</p>'
    waiting = sum(1 for f in flags if f.status in NEEDS_REVIEW)
    head = "<th>flag</th><th>severity · status</th><th>check</th><th>problem 问题 · values involved · decision</th>"
    intro = (f'<p>{len(flags)} flag(s), {waiting} need a decision. Click a flag to see the characters it points at '
             f'in the source (click again for its next place); click a numbered value to see that one.</p>')
    return intro + f'<div class="scroll"><table class="flags"><thead><tr>{head}</tr></thead><tbody>' + \
        "".join(render_flag(page, f) for f in flags) + "</tbody></table></div>"


# -- the source pane --------------------------------------------------------------------------------


def worst(statuses: list[ValueStatus]) -> ValueStatus:
    """When two values share characters, show the most decided status (the order exports use)."""
    return min(statuses, key=lambda s: VALUE_STATUSES.index(s.status))


def source_marks(page: DocPage) -> list[Mark]:
    marks = []
    marked = set(page.values)
    for key, entries in page.values.items():
        status = worst([st for _, _, st in entries])
        title = "" if status.status == "verified" else cell_title(status, entries[0][1]).split("\n")[0]
        for i, (s, e) in enumerate(entries[0][1].parts):  # a value cut by a page break is marked part by part
            marks.append(Mark(s, e, key, f"st-{status.status}", title, first=i == 0))
    marks += claim_marks(page, marked)
    for flag in page.result.flags:  # what a flag points at that is not a value: a section, a contents line …
        for span in flag.spans:
            key = span_key(span)
            if key not in marked:
                marked.add(key)
                marks.append(Mark(span[0], span[1], key, f"region fl-{flag.status}",
                                  f"{flag.id} {flag.check}: {flag.message_en}"))
    return marks


_CLAIM_WORDS = {"verified": "checked against the tables or the figures stated beside it, and it holds",
                "flagged": "a check failed: see the flags", "unchecked": "nothing to compare it with: not checked"}


def claim_marks(page: DocPage, marked: set[str]) -> list[Mark]:
    """The figures the explanation states (说明), marked with what the verifier made of them (a person's decision
    on a flag naming one shown as for values); an unchecked one is underlined, not highlighted."""
    marks = []
    for claim in page.result.claims:
        key = span_key(claim.value.span)
        if key in marked:
            continue
        marked.add(key)
        state = page.statuses.get(f"narrative[{claim.id}]")
        status = state.status if state is not None else claim.status
        title = f"说明 {claim.subject} ({claim.kind}): {status} — {_CLAIM_WORDS.get(status, status)}"
        if status == "unchecked" and claim.reason:
            title += f" ({claim.reason})"
        marks.append(Mark(claim.value.span[0], claim.value.span[1], key, f"claim st-{status}", title))
    return marks


def marked_text(text: str, page_key: str, marks: list[Mark]) -> str:
    """The text with a <mark> per span, nested where spans nest and split where they cross."""
    heap = [(max(0, m.start), -min(m.end, len(text)), i, m) for i, m in enumerate(marks)]
    heapq.heapify(heap)
    out, pos, open_ends, seq = [], 0, [], len(marks)
    while heap:
        start, neg_end, _, mark = heapq.heappop(heap)
        end = -neg_end
        while open_ends and open_ends[-1] <= start:
            out.append(escape(text[pos:open_ends[-1]]) + "</mark>")
            pos = open_ends.pop()
        if open_ends and end > open_ends[-1]:  # crosses the mark it starts in: the rest goes after it
            rest = Mark(open_ends[-1], end, mark.key, mark.cls, mark.title, first=False)
            heapq.heappush(heap, (rest.start, -rest.end, seq, rest))
            seq += 1
            end = open_ends[-1]
        if end <= start:
            continue
        out.append(escape(text[pos:start]))
        pos = start
        ident = f' id="src-{page_key}-{mark.key}"' if mark.first else ""
        title = f' title="{escape(mark.title)}"' if mark.title else ""
        out.append(f'<mark{ident} class="{mark.cls}" data-span="{mark.key}"{title}>')
        open_ends.append(end)
    while open_ends:
        out.append(escape(text[pos:open_ends[-1]]) + "</mark>")
        pos = open_ends.pop()
    out.append(escape(text[pos:]))
    return "".join(out)


def render_source(page: DocPage) -> str:
    src = page.source
    if src.text is None:
        return (f'<aside class="source"><div class="srchead"><b>Source text unavailable 原文不可用</b>'
                f'<div class="srcstatus" aria-live="polite"></div></div>'
                f'<div class="unavailable">The values below are shown without highlights: {escape(src.problem or "")}. '
                f'Re-run <code>budget-extract run</code> on the original file to see it here.</div></aside>')
    marks = source_marks(page)
    pane = page.page_pane(page) if page.page_pane else ""
    tabs, shown = "", ""
    if pane:
        from .report_pages import tabs_html

        tabs, shown = tabs_html(), " show-pages"
        page.pages_shown = True
    return (f'<aside class="source{shown}"><div class="srchead"><b>Source text 原文</b> <code>{escape(src.path)}</code> '
            f'<span class="muted">({len(src.text):,} characters, {len({m.key for m in marks}):,} places marked)</span>'
            f'{tabs}<div class="srcstatus" aria-live="polite">Click a flag or a value to show where it was read.</div>'
            f'</div>{pane}<pre class="src" id="src-{page.key}" tabindex="0">{marked_text(src.text, page.key, marks)}'
            f'</pre></aside>')


# -- a document's section ---------------------------------------------------------------------------


def value_counts(page: DocPage) -> Counter:
    return Counter(st.status for entries in page.values.values() for _, _, st in entries)


def render_unplaced(page: DocPage) -> str:
    """Any value of the result that no table or card above has a place for, by its path: the page's counts are
    the exports', so a value the layout above leaves out is still shown (there should be none)."""
    shown = {id(amount) for entries in page.values.values() for _, amount, _ in entries}
    rows = [f"<tr><td><code>{escape(path)}</code></td>{value_cell(page, amount)}</tr>"
            for path, amount in page.amounts.items() if id(amount) not in shown]
    if not rows:
        return ""
    return (f'<h3 id="u-{page.key}">Other values 其他数值 ({len(rows)})</h3><p class="muted">Values read from this '
            f'document that the tables and cards above have no place for.</p>' + grid("<th>path</th><th>value</th>", rows))


def render_completeness(result: ExtractionResult) -> str:
    """Which standard tables the document has, grouped in words (a colour alone would need the legend)."""
    groups: dict[str, list] = {}
    for t in result.completeness:
        groups.setdefault(t.status, []).append(t)
    parts = []
    for status, words in TABLE_STATUS_WORDS.items():
        if status in groups:
            chips = "".join(f'<span class="cs cs-{status}"{_note_title(t.note)}>{escape(t.zh)}</span>'
                            for t in groups[status])
            parts.append(f"<b>{escape(words)}</b>: {chips}")
    return f'<p class="completeness">Standard tables 标准表格 — {" · ".join(parts)}</p>' if parts else ""


def _note_title(note: str | None) -> str:
    return f' title="{escape(note)}"' if note else ""


def doc_title(info) -> str:
    if info.department:
        return f"{info.department} {info.year}年" if info.year else info.department
    return info.name


def render_document(page: DocPage, nav: str = "") -> str:
    """A document's own page: its flags, tables and cards beside its source text (``document.html``)."""
    r = page.result
    info = r.document
    contents = []
    body = []
    for i, table in enumerate(r.tables):
        anchor = f"t-{page.key}-{i}"
        contents.append(f'<a href="#{anchor}">{escape(spec_for(table.kind).name(info.stage))}</a>')
        body.append(render_table(page, table, anchor))
    cards = []
    for i, card in enumerate(r.cards):
        cards.append(render_card(page, card, f"c-{page.key}-{i}"))
    if cards:
        contents.append(f'<a href="#c-{page.key}-0">绩效目标表 cards ({len(cards)})</a>')
        body.append(f"<h3>Performance cards 绩效目标表 ({len(cards)})</h3>" + "".join(cards))
    unplaced = render_unplaced(page)
    if unplaced:
        contents.append(f'<a href="#u-{page.key}">other values</a>')
        body.append(unplaced)
    if not body:
        body.append('<p class="muted">No table or card could be read from this document; the flags above say why.</p>')
    flags = render_flags(page)
    source = render_source(page)  # after the cells: it marks exactly the values they show
    about = (f"{escape(info.path)} · sha256 {info.sha256[:12]}… · {info.length:,} characters"
             f" · encoding {escape(info.encoding)}")
    counts = value_counts(page)
    summary = ", ".join(f"{counts[s]} {s}" for s in VALUE_STATUSES if counts[s])
    return asset_template("document.html").substitute(
        title=escape(f"{doc_title(info)} — {info.name}"),
        css=asset("report.css") + (asset("pages.css") if page.pages_shown else ""),
        js=asset("report.js") + (asset("pages.js") if page.pages_shown else ""),
        nav=nav, legend=legend(open_=False), key=page.key, name=escape(info.name),
        heading=f"{escape(doc_title(info))} <small>{escape(info.name)}</small>", about=about,
        counts=(f'{len(r.tables)} table(s), {len(r.cards)} card(s), {sum(counts.values())} values: '
                f'{summary or "none"}. Jump to: {" · ".join(contents) or "—"}'),
        completeness=render_completeness(r), flags=flags, tables="".join(body), source=source)


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """A file of the report's assets (CSS, JS, the page templates), package data beside this module."""
    return resources.files("extractor").joinpath("report_assets", name).read_text(encoding="utf-8")


def asset_template(name: str) -> Template:
    return Template(asset(name))


def flags_by_check(counts: dict[str, Counter]) -> str:
    """A table of the checks that raised flags, counted per status; then the checks that raised none."""
    head = ("<th>check</th><th>what it means 含义</th>" + "".join(f"<th>{s}</th>" for s in FLAG_STATUSES)
            + "<th>total</th>")
    rows = []
    for check_id, c in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        check = CHECKS.get(check_id)
        meaning = f"{escape(check.zh)}<div class=en>{escape(check.en)}</div>" if check else ""
        rows.append(f"<tr><td><code>{escape(check_id)}</code></td><td>{meaning}</td>"
                    + "".join(f'<td class="num">{c[s] or ""}</td>' for s in FLAG_STATUSES)
                    + f'<td class="num"><b>{sum(c.values())}</b></td></tr>')
    quiet = [c for c in CHECKS.values() if c.id not in counts]
    quiet_list = "".join(f"<li><code>{escape(c.id)}</code> {escape(c.zh)} — {escape(c.en)}</li>" for c in quiet)
    table = grid(head, rows) if rows else '<p class="ok">No check raised a flag.</p>'
    return (table + f"<details><summary>{len(quiet)} other checks ran and raised no flag</summary>"
            f"<ul>{quiet_list}</ul></details>")


def legend(open_: bool = True) -> str:
    # Verified numbers are plain in the tables but need a colour in the source text to be found there.
    where = {"verified": "; plain in the tables, <mark>yellow</mark> in the source text"}
    swatches = "".join(f'<li><span class="val st-{s}">{s} {zh}</span> {escape(meaning)}{where.get(s, "")}</li>'
                       for s, (zh, _en, meaning) in VALUE_WORDS.items())
    flag_words = "".join(f'<li><span class="fs fs-{s}">{s} {zh}</span> — {escape(words)}</li>'
                         for s, (zh, words) in FLAG_WORDS.items())
    return f"""<details class="legend"{" open" if open_ else ""}><summary>How to read this page 阅读说明</summary>
<p>This report shows what <code>budget-extract</code> read from each budget disclosure (部门预算公开) and how
well every number checks out. Each number was read from exact characters of the document; the verifier then
re-read it there and re-added every total the document promises. A <b>flag</b> is a check that failed: it says
what does not add up and points at the numbers involved.</p>
<p>Per document you find its flags, then its tables and performance cards (绩效目标表); on a wide screen the
document's own text is beside them, with every number that was read highlighted. <b>Click a flag or any number</b>
to scroll the source text to where it was read; it gets a <span class="act-sample">purple outline</span>
there and in the tables. Click a
highlighted number in the source text to go the other way.</p>
<div class="cols"><div><p><b>Colours of the numbers</b> (in the tables and in the source text):</p>
<ul class="swatches">{swatches}<li><mark class="region fl-open">region</mark> text a flag points at that is not
a number, such as a section that could not be read</li><li><mark class="claim st-unchecked">unchecked</mark> a
figure the explanation states (说明) that nothing could be compared with; the ones compared are coloured as
numbers are</li></ul></div>
<div><p><b>Status of a flag</b>:</p><ul class="swatches">{flag_words}</ul>
<p>Severity, also the bar at the left of a flag: <b class="sev-error">error</b> (red) means numbers
contradict each other or a part could not be read; <b class="sev-warning">warning</b> (amber) means something
looks unusual but may be what the document says. Amounts are in 万元 (10,000 yuan) unless a table
says otherwise. To decide on a flag: <code>budget-extract review show FLAG-ID --db RESULTS-FOLDER</code>.</p>
</div></div>
</details>"""


DOCUMENTS_HEAD = ("<th>document</th><th>department 部门</th><th>year</th><th>tables</th><th>cards</th><th>values</th>"
                  "<th>flagged values</th><th>flags</th><th>need a decision</th><th>source text</th>")


@dataclass
class Index:
    """The batch's index page, added to one document at a time: totals, counts by check, and a row per document.

    The rows wait in a temporary file, so the index of any number of documents is built in constant memory.
    """

    folder: Path
    failed: dict = field(default_factory=dict)  # name → the run manifest's row of each file its last run failed on
    documents: int = 0
    tables: int = 0
    cards: int = 0
    values: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    by_check: dict[str, Counter] = field(default_factory=dict)
    rows: object = None  # the temporary file
    shown: set = field(default_factory=set)  # failed files of which an earlier run's result is shown

    def __post_init__(self):
        self.rows = tempfile.TemporaryFile("w+", encoding="utf-8")

    def add(self, page: DocPage, href: str) -> None:
        r, doc, c = page.result, page.result.document, value_counts(page)
        self.documents += 1
        if doc.name in self.failed:
            self.shown.add(doc.name)
        self.tables += len(r.tables)
        self.cards += len(r.cards)
        self.values += c
        for f in r.flags:
            self.flags[f.status] += 1
            self.by_check.setdefault(f.check, Counter())[f.status] += 1
        flags_open = sum(1 for f in r.flags if f.status in NEEDS_REVIEW)
        source = "yes" if page.source.text is not None else '<b class="bad">unavailable</b>'
        self.rows.write(f'<tr><td><a href="{escape(href)}">{escape(doc.name)}</a></td>'
                        f'<td>{escape(doc.department or "")}</td><td class="num">{doc.year or ""}</td>'
                        f'<td class="num">{len(r.tables)}</td><td class="num">{len(r.cards)}</td>'
                        f'<td class="num">{sum(c.values())}</td><td class="num">{c["flagged"]}</td>'
                        f'<td class="num">{len(r.flags)}</td><td class="num">{flags_open}</td><td>{source}</td></tr>\n')

    def write(self, fh) -> None:
        # Counts, not values: coloured like the values but never struck through.
        values = ", ".join(f'<span class="count st-{s}">{self.values[s]} {s}</span>' for s in VALUE_STATUSES)
        waiting = sum(self.flags[s] for s in NEEDS_REVIEW)
        totals = (f'<p><b>{self.documents}</b> document(s) in <code>{escape(str(self.folder))}</code>: '
                  f'<b>{self.tables}</b> tables, <b>{self.cards}</b> performance cards, '
                  f'<b>{sum(self.values.values())}</b> values — {values}.</p>'
                  f'<p><b>{sum(self.flags.values())}</b> flags, <b>{waiting}</b> need a decision.</p>')
        if self.failed:
            totals += (f'<p><b class="bad">{len(self.failed)}</b> file(s) the last run could not read: no value comes '
                       f'from them — see <a href="#failed">Files not read</a>.</p>')
        page = asset_template("index.html").safe_substitute(
            title=f"Budget extraction report — {escape(self.folder.name)}", css=asset("report.css"),
            nav=f"{self.documents} document(s)", legend=legend(), totals=totals, head=DOCUMENTS_HEAD,
            failed=failed_files(self.failed, self.shown), by_check=flags_by_check(self.by_check))
        before, after = page.split("$rows", 1)
        fh.write(before)
        self.rows.seek(0)
        shutil.copyfileobj(self.rows, fh)
        fh.write(after)

    def close(self) -> None:
        self.rows.close()


def failed_files(failed: dict, shown: set) -> str:
    """The files the last run could not read (the run manifest's error lines): a department missing from the
    batch is seen here, not only in the exports' documents table."""
    if not failed:
        return ""
    rows = "".join(
        f'<tr><td>{escape(row.name)}</td><td><code>{escape(row.source)}</code></td><td>{escape(row.reason or "")}'
        + (" — the page below is an earlier run's result of this file" if row.name in shown else "")
        + "</td></tr>\n" for row in failed.values())
    return (f'<h3 id="failed">Files not read 未能读取的文件</h3><p class="muted">The last run could not read these '
            f'files; no value of the report comes from them. Fix each as its reason says and run again.</p>'
            f'<div class="scroll"><table class="grid"><thead><tr><th>document</th><th>file 文件</th>'
            f'<th>why 原因</th></tr></thead><tbody>\n{rows}</tbody></table></div>')


class SourceFinder:
    """Each document's source: where the review store recorded it, else the path in its result."""

    def __init__(self, folder: Path, db: Path | None):
        from .review.store import DB_NAME, ReviewStore, StoreError

        self.folder = folder  # where a PDF's or a spreadsheet's canonical text was written beside its result
        self.store = None
        explicit = db is not None
        path = (db / DB_NAME if db.is_dir() else db) if explicit else folder / DB_NAME
        if not path.is_file():
            if explicit:
                raise ReportError(f"{path}: no review store here (pass the results folder or its {DB_NAME})")
            return
        try:
            self.store = ReviewStore(path)
        except StoreError as exc:
            if explicit:
                raise ReportError(str(exc)) from None
            # The store only helps find the sources; the paths in the results may still do.

    def find(self, result: ExtractionResult) -> Source:
        row = self.store.document(result.document.name) if self.store is not None else None
        return find_source(result, row.source if row is not None else None, self.folder)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


@dataclass
class ReportFiles:
    """What was written: the index page, and per document a page."""

    index: Path
    pages: int
    largest: int  # bytes of the largest page
    total: int  # bytes of every page


def write_report(folder: Path, out: Path, db: Path | None = None) -> ReportFiles:
    """The report as a folder: ``index.html`` for the batch, ``documents/<name>.html`` per document.

    ``db``: the review store or its folder (default FOLDER's). One result is held in
    memory at a time; the folder appears whole or not at all.
    """
    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise ReportError(f"{folder}: not a folder of results (run `budget-extract run ... --out {folder}` first)")
    paths = result_paths(folder)
    from .rerun import Manifest

    failed = Manifest.errors_of(folder)
    if not paths and not failed:
        raise ReportError(f"{folder}: holds no result files (*.json)")
    _check_target(out)
    keys = page_keys([p.relative_to(folder).with_suffix("").as_posix() for p in paths])
    sizes = []
    sources = SourceFinder(folder, db)
    index = Index(folder, failed)
    try:
        with _replacing_folder(out) as tmp:
            (tmp / "documents").mkdir()
            for i, result in enumerate(iter_results(folder)):
                page = doc_page(keys[i], result, sources.find(result))
                if result.geometry is not None:  # a PDF: its pages as images, in a folder of the report
                    page.page_pane = page_images(tmp / PAGE_IMAGES, f"../{PAGE_IMAGES}", out / PAGE_IMAGES)
                html = render_document(page, document_nav(keys, i, result.document))
                target = tmp / "documents" / f"{keys[i]}.html"
                target.write_text(html, encoding="utf-8")
                sizes.append(target.stat().st_size)
                index.add(page, f"documents/{keys[i]}.html")
            with open(tmp / "index.html", "w", encoding="utf-8") as fh:
                index.write(fh)
            sizes.append((tmp / "index.html").stat().st_size)
    finally:
        index.close()
        sources.close()
    return ReportFiles(out / "index.html", len(sizes), max(sizes), sum(sizes))


PAGE_IMAGES = "pages"  # the report's folder of page images (PDF sources): pages/<document>/<n>.jpg


def page_images(folder: Path, prefix: str, earlier: Path):
    """The page pane maker for a document's page: images rendered into ``folder`` (``report_pages.py``), those
    of the report written before in ``earlier`` kept (hard links) when their PDF has not changed."""
    from . import report_pages

    def pane(page: DocPage) -> str:
        mine, before = folder / page.key, earlier / page.key
        if before.is_dir() and not mine.exists():
            shutil.copytree(before, mine, copy_function=_link_or_copy)
        return report_pages.page_images_html(page, folder, prefix)

    return pane


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def doc_page(key: str, result: ExtractionResult, source: Source) -> DocPage:
    slots = list(amount_slots(result))
    return DocPage(key, result, source, {id(s.amount): s.path for s in slots}, value_statuses(result),
                   {s.path: s.amount for s in slots})


def document_nav(keys: list[str], i: int, info) -> str:
    """Back to the index, and on to the documents before and after (in name order)."""
    links = ['<a href="../index.html">← all documents 全部文件</a>']
    if i > 0:
        links.append(f'<a href="{escape(keys[i - 1])}.html">‹ previous</a>')
    if i + 1 < len(keys):
        links.append(f'<a href="{escape(keys[i + 1])}.html">next ›</a>')
    return " · ".join(links) + f" · {escape(doc_title(info))}"


REPORT_MARK = ".budget-extract-report"  # in a folder this command wrote, so that it may replace it


def _check_target(out: Path) -> None:
    if out.suffix.lower() in (".html", ".htm"):
        raise ReportError(f"{out}: the report is a folder (an index page and a page per document): "
                          f"give a folder, e.g. -o {out.with_suffix('')}")
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out}: is a file; give a folder for the report")
    if out.is_dir() and any(out.iterdir()) and not (out / REPORT_MARK).exists():
        raise ReportError(f"{out}: a folder that is not a report; give a new or empty folder")


@contextmanager
def _replacing_folder(out: Path) -> Iterator[Path]:
    """A temporary folder beside ``out`` that replaces it only when the block finishes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        (tmp / REPORT_MARK).write_text("written by budget-extract report; replaced by the next one\n",
                                       encoding="utf-8")
        yield tmp
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".old"))
            os.replace(out, old / "report")
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
