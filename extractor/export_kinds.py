"""The one registry of what `export --what` writes: a row per something of a result, with these fields.

Light on purpose (no pydantic): the CLI builds its ``--what`` choices from it at start-up. Adding a kind is one
entry here — its fields and the function giving one result's rows; every format writes it: jsonl and csv a line
per row, Parquet a column per field (typed where ``columns`` names them, else text), and the whole-file formats
(xlsx, SQLite, DuckDB) a sheet or table of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

FACT_FIELDS = ("document", "table", "title", "entity", "entity_role", "row_code", "row_label", "row_texts", "column",
               "column_label", "value", "unit", "span", "field", "status", "flags", "original_value", "original_column",
               "decision", "reviewer", "note")

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
    ExportKind("facts", FACT_FIELDS, ".export:result_facts", "a line per value read, with its status"),
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
    """A cell of a generic kind's table: text, numbers and None as they are; lists and objects as JSON."""
    import json

    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
