"""Values as read from the source: every one carries the characters it came from."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# A half-open character range [start, end) into the decoded document text.
Span = tuple[int, int]

Backend = Literal["rules", "llm", "person"]


_AMOUNT_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_NEGATIVE = str.maketrans({"−": "-", "－": "-", "–": "-", "—": "-"})
# Longer than any budget figure: a run of digits this long is not an amount (and Decimal arithmetic
# on it would only cost time and memory).
MAX_DIGITS = 22
# △ and ▲ before a figure are the minus sign of many finance tables (增减额 △28.00, 增减率 △62.22%): the
# printed difference is then checked against its own columns (table.change), so the sign is never taken on trust.
_TRIANGLE_MINUS = "△▲"
_BLANK_MARKS = re.compile(r"^(?:[-−－–—―]{1,3}|[/／\\]|无)$")


# The reader asks about the same cells many times (is it a figure? under which layout does it fit?); a
# Decimal is immutable, so one parse per distinct text is shared.
@lru_cache(maxsize=1 << 16)
def parse_amount(raw: str) -> Decimal | None:
    """Parse a printed amount into a Decimal, or None when it is not one.

    Accepted forms: "10008.09", "5", "1,760.00" (thousands separators), full-width
    digits and punctuation ("１２３．４５"), and negatives written "-12.00", "－12",
    "（12.00）", "(12.00)", "△12.00" or "▲12.00". Whitespace inside the token is dropped because PDF
    converters break long cells ("159.1 5"). Anything else ("12,34", "NaN",
    "1e5", a run of more than ``MAX_DIGITS`` digits) is refused.
    """
    if _PLAIN.match(raw) and len(raw) <= MAX_DIGITS + 1:
        return Decimal(raw)
    token = "".join(raw.split())
    if not token:
        return None
    if not token.isascii():
        token = unicodedata.normalize("NFKC", token).translate(_NEGATIVE)
        token = "".join(token.split())
    negative = False
    if len(token) > 2 and token[0] == "(" and token[-1] == ")":
        negative, token = True, token[1:-1]
    elif len(token) > 1 and token[0] in _TRIANGLE_MINUS:
        negative, token = True, token[1:]
    if not _AMOUNT_RE.match(token) or sum(ch.isdigit() for ch in token) > MAX_DIGITS:
        return None
    if negative and token.startswith("-"):
        return None
    value = Decimal(token.replace(",", ""))
    return -value if negative else value


@lru_cache(maxsize=1 << 16)  # asked of every amount cell, like parse_amount
def is_blank_mark(raw: str) -> bool:
    """A dash, slash or 无 in an amount cell: the document's way of printing nothing there."""
    return bool(_BLANK_MARKS.match("".join(raw.split())))


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

    # In JSON a Decimal is the string it prints as (pydantic writes str(value)): "9.00" stays "9.00", never a
    # float. (No serializer of our own: one Python call per amount written.)
    value: Decimal
    raw: str


class Text(_Grounded):
    """A piece of text read from the document, with the ranges it came from."""

    text: str


# A year in Chinese numerals (二〇二五年, 二零二四年度): as long as its digits, so it is read as 2025年 in place.
_CN_YEAR = re.compile(r"[一二][〇○零Ｏ一二三四五六七八九]{3}(?=年)")
_CN_DIGITS = str.maketrans("〇○零Ｏ一二三四五六七八九", "0000123456789")


def arabic_years(text: str) -> str:
    """The text with years in Chinese numerals written in digits, character for character (every offset kept)."""
    if not any(zero in text for zero in "〇○零Ｏ"):
        return text
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), text)
