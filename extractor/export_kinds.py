"""The one registry of what `export --what` writes: a row per something of a result, with these fields.

Light on purpose (no pydantic): the CLI builds its ``--what`` choices from it at start-up. Adding a kind is one
entry here — its fields and the function giving one result's rows; every format writes it: jsonl and csv a line
per row, Parquet a column per field (typed where ``columns`` names them, else text), and the whole-file formats
(xlsx, SQLite, DuckDB) a sheet or table of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

# The facts' long row — one row per value — in this order, with these names, in every format: jsonl and csv,
# the workbook's `facts` sheet, the `facts` table of SQLite and DuckDB, Parquet. (name, type, what it holds); the
# type as each format can hold it: "decimal" is exact — DECIMAL(38,10) in Parquet and DuckDB, a number cell in the
# workbook, the decimal string as printed in jsonl, csv and SQLite (which have no exact decimal); "list" and "json"
# are native in jsonl (Parquet and DuckDB: a list of text), JSON text elsewhere; "double" is a float.
FACT_COLUMNS = (
    ("document", "string", "the document's name (its file name without extension)"),
    ("department", "string", "the department the document is about (部门), as printed"),
    ("department_code", "string", "the department's code, when printed"),
    ("year", "int32", "the budget year (a whole number; null when the document does not say)"),
    ("stage", "string", "budget (预算) or final_accounts (决算), as the document says; null when it does not tell"),
    ("table_kind", "string", "the table kind (expenditure_summary, …; cards: performance_target)"),
    ("table_zh", "string", "the table kind's Chinese name"),
    ("title", "string", "the table's title as printed"),
    ("entity", "string", "the budget unit the table is for, as printed (单位名称：部门汇总 / XX局本级 / XX小学), "
                         "where it says; in a table printed in blocks per unit, the unit whose block holds the line"),
    ("entity_role", "string", "consolidated (部门汇总: the sum of its units' tables) or unit (one unit's table of a "
                              "kind also printed consolidated): sum only one of them by code"),
    ("row_code", "string", "the line's classification code, normalised (2101501); a card's project code"),
    ("row_label", "string", "the line's label as printed (cards: the project, indicator or task)"),
    ("row_texts", "json", "the words the line prints beside its numbers, {column key: text}: a project's 类型 "
                          "(project_type), 项目单位, 资金来源 …; a column the registry does not know by its header"),
    ("classification", "string", "functional (支出功能分类) or economic (经济分类) for coded lines"),
    ("lei_code", "string", "类: the code's first level (3 digits)"),
    ("lei_name", "string", "类: that line's label in the same table"),
    ("kuan_code", "string", "款: the code's second level (5 digits)"),
    ("kuan_name", "string", "款: that line's label in the same table"),
    ("xiang_code", "string", "项: the code's third level (7 digits)"),
    ("xiang_name", "string", "项: that line's label in the same table"),
    ("column_key", "string", "the column's key (total, basic, project, …; see docs/columns.md)"),
    ("column_label", "string", "the column's header as printed"),
    ("value", "decimal", "the value, exact; null when a person withdrew it"),
    ("value_text", "string", "the value as a decimal string, with the decimals the document printed"),
    ("value_num", "double", "the value as a float, to compare, sort and chart with (never to add up accounts); "
                            "null when a float cannot hold it to its last digit"),
    ("unit", "string", "万元, 元, %, 人 …"),
    ("status", "string", "verified, flagged, accepted, corrected or rejected"),
    ("flags", "list", "the ids of the flags on the value that need review"),
    ("original_value", "decimal", "what was read, when a person corrected or withdrew it"),
    ("original_column", "string", "the column the value was read in, when a person moved it to another"),
    ("field", "string", "the value's stable key (the one review decisions use)"),
    ("span_start", "int64", "where the value was read: Python string offsets into the decoded text"),
    ("span_end", "int64", ""),
    ("decision", "int64", "the decision behind the status, by its number in the review trail"),
    ("reviewer", "string", ""),
    ("note", "string", ""),
)
FACT_FIELDS = tuple(name for name, _, _ in FACT_COLUMNS)

CLAIM_FIELDS = ("document", "claim", "section", "kind", "subject", "value", "unit", "direction", "span", "field",
                "status", "reason", "flags")

CARD_FIELDS = ("document", "kind", "title", "project_code", "project_name", "department", "implementing_unit",
               "project_period", "budget_total", "budget_unit", "goals", "midterm_goals", "indicator", "level1", "level2",
               "name", "description", "target", "midterm_target", "comparator", "value", "unit", "qualitative", "basis",
               "scoring", "weight", "span", "field", "status", "flags")

DOCUMENT_FIELDS = ("document", "status", "error", "path", "sha256", "encoding", "department", "department_code", "year",
                   "stage", "unit", "tables", "cards", "facts", "claims", "open_errors", "open_warnings")

FLAG_FIELDS = ("document", "id", "check", "severity", "message", "message_en", "expected", "found", "spans",
               "status", "fields", "decision", "action", "decided_field", "before", "after", "reviewer", "note",
               "decided_at", "stale_reason")


@dataclass(frozen=True)
class ExportKind:
    name: str
    fields: tuple[str, ...]
    rows: str  # "module:function" giving one result's rows (dicts with ``fields``), imported when used
    about: str = ""
    sheet: str = ""  # the workbook's sheet title, when the name alone would not say what the sheet is

    @property
    def sheet_title(self) -> str:
        return self.sheet or self.name

    def rows_of(self) -> Callable:
        module, function = self.rows.split(":")
        return getattr(import_module(module, __package__), function)


EXPORT_KINDS: dict[str, ExportKind] = {k.name: k for k in (
    ExportKind("facts", FACT_FIELDS, ".export:fact_rows", "a line per value read, with its status"),
    ExportKind("flags", FLAG_FIELDS, ".export:result_flags", "a line per flag, with the decision on it"),
    ExportKind("claims", CLAIM_FIELDS, ".export:result_claims",
               "a line per figure the explanation states: verified, flagged or unchecked"),
    ExportKind("cards", CARD_FIELDS, ".export:result_cards",
               "a line per performance-card indicator: its target as printed, comparator, text target, levels, and "
               "its card's goals, department, unit, period and budget", sheet="绩效指标 card indicators"),
    ExportKind("documents", DOCUMENT_FIELDS, ".export:result_document",
               "a line per document: read, or the error that kept it out (the run manifest's failed files)"),
)}


# The kinds the whole-file formats write in a shape of their own (typed columns, one table per kind); any other kind
# is written by every format as text columns named by its fields (``generic_kinds``).
SHAPED = ("facts", "flags", "claims", "documents")


def generic_kinds() -> list[ExportKind]:
    return [k for k in EXPORT_KINDS.values() if k.name not in SHAPED]


def flat(value):
    """A cell in a format of text and numbers (csv, SQLite, a workbook, a generic kind's table): text, numbers and
    None as they are; a Decimal as its exact string ("9.00"); lists and objects as JSON."""
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
