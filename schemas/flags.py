"""What the verifier says about a result: flags, claims from the narrative, and table completeness.

These are plain data so that a result file carries them, the review queue can
store them, and a person's edit can be re-verified without the extractor.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .common import Amount, Span
from .tables import Reading

Severity = Literal["error", "warning"]
FlagStatus = Literal["open", "accepted", "corrected", "rejected", "stale"]


class FieldRef(BaseModel):
    """One value a flag involves, named so that a person (and a rerun) can find it again.

    ``path`` is stable across reruns of the same document: table kind (with an
    occurrence number when a kind is printed twice), row key and column key —
    never a row number.
    """

    model_config = ConfigDict(frozen=True)

    path: str = Field(description='e.g. "expenditure_summary[2101501].total"')
    label: str = Field(description="what a person calls it: 支出总表 2101501 行政运行 合计")
    value: str | None = Field(None, description="the value as read, a decimal string")
    span: Span | None = None


class Decision(BaseModel):
    """A person's decision on a flag, as the review store recorded it (see ``budget-extract review``).

    A decision applies to a rerun only while the values it was made on are
    still what the document says; otherwise it is ``stale`` and the flag is
    shown again.
    """

    model_config = ConfigDict(frozen=True)

    seq: int = Field(description="its number in the review store's append-only trail")
    action: Literal["accept", "fix", "reject", "reopen", "move"]
    flag_id: str = Field(description="the flag it was made on, as then shown")
    subject: str = Field(description="the flag's identity across versions of the document")
    check: str
    field: str | None = Field(None, description="fix / reject / move: the path of the value decided on "
                                                "(move --all-rows: kind[*].column)")
    before: str | None = Field(None, description="fix / reject: that value when decided; move: the column it was "
                                                 "read in")
    after: str | None = Field(None, description="fix: the corrected value; move: the column the document prints "
                                                "it under")
    values: dict[str, str | None] = Field(default_factory=dict,
                                          description="every value the flag involved, as the document says it "
                                                      "(move: every value moved, at the path it was read at)")
    reviewer: str | None = None
    note: str | None = None
    time: str = Field(description="when, ISO 8601 UTC")
    document_sha256: str = Field(description="the version of the document it was made on")
    stale: bool = Field(False, description="the document no longer says what the decision was made on")
    stale_reason: str | None = None


class Flag(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(description="stable: the same problem in the same input gets the same id")
    subject: str = Field("", description="the same problem in another version of the document gets the same subject")
    check: str = Field(description="which check raised it, e.g. table.row_sum")
    severity: Severity
    message: str = Field(description="in Chinese, naming the values involved")
    message_en: str
    expected: str | None = None
    found: str | None = None
    spans: list[Span] = Field(default_factory=list, description="every value involved, as [start, end)")
    fields: list[FieldRef] = Field(default_factory=list)
    section_id: str | None = None
    status: FlagStatus = "open"
    decision: Decision | None = Field(None, description="the person's decision that set the status")


# previous: last year's budget as the text states it (上年预算19.00万元, 2024年预算数为1200.00万元).
ClaimKind = Literal["amount", "change", "percent", "share", "previous"]


class Claim(BaseModel):
    """A figure the narrative states ("基本支出660.56万元，占23.54%"), with where it says it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="stable within the document: c<offset>")
    kind: ClaimKind
    subject: str = Field(description="what the figure is about, normalised: 收入, 支出, 基本支出, 一般公共预算拨款收入 …")
    value: Amount
    unit: str = Field(description="万元, 元, 亿元 or %")
    direction: Literal["increase", "decrease"] | None = Field(None, description="for changes: 增加/增长 or 减少/下降")
    sentence: Span = Field(description="the sentence the figure is in")
    section_id: str | None = None
    status: Literal["verified", "flagged", "unchecked"] = Field(
        "unchecked", description="what the verifier made of it: verified (compared with a table line, or with the "
                                 "whole, parts or base it states beside it, and every comparison held), flagged (a "
                                 "comparison failed: the flags naming narrative[<id>] say which), unchecked (nothing "
                                 "to compare it with: no table prints its subject, nor does the text state its "
                                 "whole or parts)")
    after_change: bool = Field(False, exclude_if=lambda v: not v,
                               description="an amount printed after a change in its sentence (…比上年减少2.00万元，其中"
                                           "公务接待费5.50万元): this year's amount, or a change whose verb is left out; "
                                           "checked as either, and never a part of a whole")
    share_of: str | None = Field(None, exclude_if=lambda v: v is None,
                                 description="for a share: the whole it names (占支出总额的59.16% → 支出); else the "
                                             "whole it is stated under, or the table's total")
    reason: str | None = Field(None, exclude_if=lambda v: v is None,
                               description="for an unchecked figure: why it was compared with nothing (中文 — English): "
                                           "its words name nothing the verifier knows, it is another year's, no table "
                                           "prints its subject …")
    fund: Literal["一般公共预算", "政府性基金预算", "国有资本经营预算", "财政拨款"] | None = Field(
        None, exclude_if=lambda v: v is None,
        description="the budget the heading above the figure names (（二）一般公共预算当年拨款结构情况): its words "
                    "(支出, 基本支出, a functional class) are that budget's table's")


class TableStatus(BaseModel):
    kind: str
    zh: str
    status: Literal["present", "empty", "unread", "missing", "listed_missing"]
    section_ids: list[str] = Field(default_factory=list)
    note: str | None = None


class SpanFix(BaseModel):
    """A value whose span did not hold it, found again in its section and re-pointed."""

    path: str
    old: Span | None
    new: Span


class ContentsEntry(BaseModel):
    """A table named in the document's table of contents."""

    kind: str
    title: str
    span: Span


class Correction(BaseModel):
    """A value a person corrected: the corrected amount sits in the result, the reading it replaced here.

    A value a person moved to another column (a misreading: read as A, printed under B) sits at its new
    ``path``; ``moved_from`` is where the reader had put it.
    """

    path: str
    original: Amount
    seq: int = Field(description="the decision that made it")
    moved_from: str | None = Field(None, description="move: the path the reader read the value at")
    alternatives: list[Reading] = Field(default_factory=list,
                                        description="move: the row's other readings the move settled (they come "
                                                    "back if the move is undone)")
