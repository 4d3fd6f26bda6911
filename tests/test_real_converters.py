"""Real converter output, not the variant generator's imitation of it.

``fixtures/003_pdftotext_layout.txt`` is the actual output of ``pdftotext -layout`` (poppler) on a PDF of
corpus document 003 made by reportlab (``fixtures/mkpdf.py``: every tab-separated table drawn as a ruled
table, every other line a paragraph). It is not hand-written: it carries what the converter does and the
generator does not — a form feed at the start of each page, each page laid out on its own grid (a table
continued on the next page is printed with other column positions), cells aligned to the bottom of their
rows so that wrapped text starts on the lines above, figures wrapped inside narrow columns ("17" / "60"),
blank lines between rows. The pipeline must read it as it reads the original text.
"""

from __future__ import annotations

from pathlib import Path

from layout_invariance import compare, run_text
from layout_variants import corpus_text

FIXTURE = Path(__file__).parent / "fixtures" / "003_pdftotext_layout.txt"


def test_pdftotext_layout_of_a_real_pdf_reads_like_the_original(tmp_path):
    original = run_text("003", corpus_text("003"), tmp_path)
    converted = run_text("003_pdftotext_layout", FIXTURE.read_text(encoding="utf-8"), tmp_path)
    c = compare(original, converted)
    # Measured on this fixture: recall 100% (270/270), no new error flag, no value read.ambiguous
    # (before the reader cut each page by its own columns: recall 71.5%, 110 new error flags).
    assert c.recall >= 0.99, c.summary()
    assert not c.new_errors, c.summary()
    assert c.ambiguous_share <= 0.01, c.summary()
    assert not c.span_misses, c.summary()
    assert c.unread_variant == c.unread_original, c.summary()
