"""Values as read from the source: every one carries the characters it came from."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

# A half-open character range [start, end) into the decoded document text.
Span = tuple[int, int]

Backend = Literal["rules", "llm", "person"]

# Decimals travel as strings in JSON so that "9.00" stays "9.00" (never a float).
DecimalStr = Annotated[Decimal, PlainSerializer(lambda d: str(d), return_type=str, when_used="json")]

_AMOUNT_RE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_amount(raw: str) -> Decimal | None:
    """Parse a printed amount ("10008.09", "1,760", "5") into a Decimal, or None.

    Whitespace inside the token is dropped because PDF converters break long
    cells ("159.1 5"); anything else that is not a plain number is refused.
    """
    token = re.sub(r"\s+", "", raw).replace("−", "-")
    if not token or not _AMOUNT_RE.match(token):
        return None
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return None


class _Grounded(BaseModel):
    """Something read from the document at ``parts``; ``span`` runs from the first part to the last."""

    model_config = ConfigDict(frozen=True)

    span: Span
    parts: list[Span] = Field(default_factory=list)
    backend: Backend = "rules"

    @model_validator(mode="after")
    def _parts_default_to_span(self):
        if not self.parts:
            object.__setattr__(self, "parts", [self.span])
        return self

    def source_text(self, text: str) -> str:
        return "".join(text[s:e] for s, e in self.parts)


class Amount(_Grounded):
    """A number read from the document.

    ``raw`` is exactly the text at ``parts`` joined together. Most amounts have
    one part; a cell split by a page break ("9682.6" … "2") has two.
    """

    value: DecimalStr
    raw: str


class Text(_Grounded):
    """A piece of text read from the document, with the ranges it came from."""

    text: str
