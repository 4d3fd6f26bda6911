"""Layout hints: what a person taught about a table's columns, kept for the next document with that header.

A hint comes from a review decision (``budget-extract review move … --all-rows``):
"in a table of this kind under this header, the figures read as column A are
printed under column B". It is keyed by the table's header signature — its
header text normalised (``Table.header``), not the document — so a province's
template is taught once. The reader offers a hinted reading as one more
candidate; the verifier's relations still choose (``verify.choose``).
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field


class ColumnMove(BaseModel):
    model_config = ConfigDict(frozen=True)

    read_as: str = Field(description="the column key the reader put the figures in")
    printed_under: str = Field(description="the column key the document prints them under")
    read_as_label: str | None = Field(None, description="that column's header as printed, for people")
    printed_under_label: str | None = None

    def describe(self) -> str:
        return f"{self.read_as_label or self.read_as} → {self.printed_under_label or self.printed_under}"


class HintOrigin(BaseModel):
    """The decision that taught a hint."""

    model_config = ConfigDict(frozen=True)

    document: str
    document_sha256: str
    decision: int | None = Field(None, description="the decision's number in the trail of the store that made it")
    reviewer: str | None = None
    note: str | None = None
    time: str | None = None


class LayoutHint(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(description="H + 10 hex digits of the table kind, the header and the moves")
    kind: str = Field(description="the table kind")
    header: str = Field(description="the table's header signature: its header text normalised (Table.header)")
    moves: list[ColumnMove]
    origin: HintOrigin | None = None

    @classmethod
    def make(cls, kind: str, header: str, moves: list[ColumnMove], origin: HintOrigin | None = None) -> LayoutHint:
        return cls(id=hint_id(kind, header, moves), kind=kind, header=header, moves=moves, origin=origin)

    def describe(self) -> str:
        return "; ".join(m.describe() for m in self.moves)


class HintUse(BaseModel):
    """What became of the hint a table's header matched: the reading follows it, or the verifier kept another."""

    id: str
    used: bool
    moves: str = Field("", description="the hint's moves, for people: 基本支出 → 项目支出")
    note: str | None = Field(None, description="why it was not used")


def hint_id(kind: str, header: str, moves: list[ColumnMove]) -> str:
    body = json.dumps([kind, header, [[m.read_as, m.printed_under] for m in moves]], ensure_ascii=False)
    return "H" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:10]
