"""Pure pydantic models: no I/O, no CLI, no model client. Everything else imports from here."""

from .cards import COMPARATORS, CardBudget, CardTask, Indicator, PerformanceCard, SpendingStep
from .common import Amount, Span, Text, is_blank_mark, parse_amount
from .flags import Claim, ContentsEntry, Correction, Decision, FieldRef, Flag, SpanFix, TableStatus
from .geometry import Box, Geometry, PageInfo, Run
from .hints import ColumnMove, HintOrigin, HintUse, LayoutHint
from .document import SCHEMA_VERSION, DocumentInfo, ExtractionResult, LlmCall, LlmUsage, Section, Unread
from .tables import (
    FINAL_ACCOUNTS_KINDS,
    STANDARD_TABLE_KINDS,
    TABLE_KINDS,
    TABLE_SPECS,
    ColumnSpec,
    ItemSpec,
    Reading,
    Row,
    Table,
    TableSpec,
    extra_column,
    is_extra_column,
    kind_for_title,
    spec_for,
    standard_kinds,
)

__all__ = [
    "Amount", "Box", "Geometry", "PageInfo", "Run", "Claim", "ContentsEntry", "Correction", "Decision", "FieldRef", "Flag", "SpanFix", "TableStatus", "CardBudget", "CardTask", "COMPARATORS", "ColumnSpec", "DocumentInfo", "ExtractionResult",
    "Indicator", "LlmCall", "LlmUsage", "ItemSpec", "PerformanceCard", "Row", "SCHEMA_VERSION", "STANDARD_TABLE_KINDS",
    "Section", "Span", "SpendingStep", "TABLE_KINDS", "TABLE_SPECS", "Table", "TableSpec", "Text",
    "Unread", "kind_for_title", "parse_amount", "spec_for", "Reading", "is_blank_mark", "extra_column",
    "is_extra_column", "FINAL_ACCOUNTS_KINDS", "standard_kinds", "ColumnMove", "HintOrigin", "HintUse", "LayoutHint",
]
