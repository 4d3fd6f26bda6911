"""Narrative wordings other templates print, generated from the corpus documents' own narratives.

Each test rewrites the corpus text the way another locality words it and asserts the same claims are read and
checked as in the original (or the wording's own claim is checked).
"""

from __future__ import annotations

import re

import pytest

from conftest import result_for, text_for, verify_text

_CN = str.maketrans("0123456789", "〇一二三四五六七八九")


def _narrative_spans(doc: str) -> list[tuple[int, int]]:
    return [tuple(s.span) for s in result_for(doc).sections if s.kind == "narrative"]


def _in_chinese_numerals(doc: str) -> str:
    """The document with every year of its narrative (2024年) written in Chinese numerals (二〇二四年)."""
    text = text_for(doc)
    out = list(text)
    for start, end in _narrative_spans(doc):
        for m in re.finditer(r"(?<!\d)20\d\d(?=年)", text[start:end]):
            at = start + m.start()
            out[at:at + 4] = list(m.group().translate(_CN))
    return "".join(out)


@pytest.mark.parametrize("doc", ["000", "002", "003"])
def test_years_in_chinese_numerals_read_like_years_in_digits(doc):
    text = _in_chinese_numerals(doc)
    assert text != text_for(doc) and "〇" in text
    original = result_for(doc)
    result = verify_text(doc, text)
    assert [(c.subject, c.value.value, c.kind) for c in result.claims] == \
           [(c.subject, c.value.value, c.kind) for c in original.claims]
    assert sorted(f.message for f in result.flags if f.check.startswith("narrative")) == \
           sorted(f.message for f in original.flags if f.check.startswith("narrative"))
