"""The whole result for one document: what it is, how it was cut, and what was read."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

from .cards import PerformanceCard
from .common import Span
from .geometry import Geometry
from .flags import Claim, ContentsEntry, Correction, Decision, Flag, SpanFix, TableStatus
from .tables import Table

SCHEMA_VERSION = "3"

SectionKind = Literal[
    "income_expenditure_summary", "income_summary", "expenditure_summary",
    "fiscal_appropriation_summary", "general_budget_expenditure",
    "general_budget_basic_expenditure", "government_fund_expenditure",
    "state_capital_expenditure", "three_public_costs", "project_expenditure",
    "government_procurement", "purchased_services", "fixed_assets",
    "performance_target", "department_performance_target", "other_table",
    "narrative", "front_matter",
]


class DocumentInfo(BaseModel):
    name: str = Field(description="file stem, used as the document id in exports")
    path: str
    sha256: str = Field(description="hash of the file's bytes")
    encoding: str
    length: int = Field(description="length of the decoded text in characters")
    department: str | None = None
    department_code: str | None = None
    year: int | None = None
    stage: Literal["budget", "final_accounts"] | None = Field(
        None, description="budget (预算) or final_accounts (决算), as the document's title says (…2025年部门决算公开), "
                          "else its tables' titles (支出预算表, 支出决算表); null when they do not tell or say both")
    unit: str | None = Field("万元", description="the unit the document's tables state their amounts in: 万元, 元 …; "
                                                "\"mixed\" when its tables differ; null when it has no table or a "
                                                "table states one the reader does not understand (set by the verifier "
                                                "from the tables, see Table.unit)")


def tables_unit(tables: list[Table]) -> str | None:
    """The one unit all of a document's tables with figures are in; "mixed" when they differ; None when it has no
    such table, or their only unit is one the reader did not understand."""
    units = {t.unit for t in tables if not t.empty}
    if len(units) > 1:
        return "mixed"
    return units.pop() if units else None


class Section(BaseModel):
    id: str = Field(description="stable within a document: s<index>-<kind>")
    kind: SectionKind
    title: str
    span: Span
    title_span: Span | None = None
    status: Literal["extracted", "empty", "unread", "unfilled", "text"] = "text"
    backend: Literal["rules", "llm", "person"] | None = None
    note: str | None = None


class Unread(BaseModel):
    """A section the deterministic reader could not fill; the LLM path picks these up."""

    section_id: str
    kind: str
    span: Span
    reason: str


class LlmCall(BaseModel):
    """One HTTP request of the LLM reader (a re-ask is a request of its own)."""

    section_id: str
    key: str = Field(description="the request's cache key: sha256 of endpoint kind, path and body")
    source: Literal["network", "cache", "recording"]
    status: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    attempts: int = Field(1, description="HTTP attempts, counting retries on 429 / 5xx / timeouts")


class LlmUsage(BaseModel):
    model: str | None = None
    endpoint_kind: str | None = None
    mode: str | None = None
    calls: list[LlmCall] = Field(default_factory=list)

    @computed_field
    @property
    def prompt_tokens(self) -> int:
        return sum(c.prompt_tokens for c in self.calls)

    @computed_field
    @property
    def completion_tokens(self) -> int:
        return sum(c.completion_tokens for c in self.calls)


class ExtractionResult(BaseModel):
    schema_version: str = SCHEMA_VERSION
    document: DocumentInfo
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    cards: list[PerformanceCard] = Field(default_factory=list)
    unread: list[Unread] = Field(default_factory=list)
    llm: LlmUsage | None = Field(None, description="the LLM reader's requests and token usage, when it ran")
    cross_check: list[Table] = Field(default_factory=list, description="--cross-check: the LLM's reading of each table")
    cross_check_cards: list[PerformanceCard] = Field(default_factory=list)
    contents: list[ContentsEntry] = Field(default_factory=list, description="tables the contents page lists")
    # Filled by the verifier:
    flags: list[Flag] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    completeness: list[TableStatus] = Field(default_factory=list)
    span_fixes: list[SpanFix] = Field(default_factory=list)
    verified: bool = Field(False, description="whether the verifier has run on this result")
    # Filled by the review stage, from the decisions in the review store:
    decisions: list[Decision] = Field(default_factory=list, description="people's decisions on this document")
    corrections: list[Correction] = Field(default_factory=list, description="values a person corrected")
    # Only for PDFs and spreadsheets (absent from the file otherwise):
    # Left out of the file when absent. A field-level rule, not a wrapping model serializer: wrapping the whole
    # result made pydantic build it as Python objects before writing the JSON (twice the time of result_json).
    geometry: Geometry | None = Field(None, description="pages and boxes of the source file the text was made from",
                                      exclude_if=lambda g: g is None)
