"""Real converter output: a corpus document printed to PDF (reportlab, as publishers' software does) and turned
back into text by poppler's ``pdftotext -layout`` — the space-aligned text most users have — then read.

The floors are the figures measured when the test was written (``benchmarks/bench_converters.py`` prints them
for every document and style); they guard what the reader already does on real converter output, and are raised
as it improves. The text path's own reading of the same document is the truth compared with.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from layout_invariance import compare, run_text
from layout_variants import corpus_text
from pdfdocs import Options, render


@pytest.fixture(scope="module")
def pdftotext():
    found = shutil.which("pdftotext")
    if found is None:
        problem = "no pdftotext (Debian: apt-get install poppler-utils)"
        if os.environ.get("BUDGET_EXTRACT_REQUIRE_PDFTOTEXT") == "1":
            pytest.fail(f"BUDGET_EXTRACT_REQUIRE_PDFTOTEXT=1 but {problem}")
        pytest.skip(problem)
    return found


# (document, ruled tables, recall at least, new error flags at most): measured on the development machine.
# 002's include 2 completeness.unread flags for cards whose titles wrap inside 绩效目标表 (before, those cards were
# taken for narrative and dropped without a flag). Since cards have the read.unparsed check, the card figures this
# reader loses in pdftotext's cards (lost silently before) are flagged too: 21, 21, 27, ~58, 4 and 3 of these.
# 002's procurement table has a line whose only word is a figure (336.40, a cell that wrapped): it was that line's
# label, silently; it is kept as a value under 列1 and flagged, and the 列1 column then fails its sum (one more, 42 / 79).
FLOORS = [("000", True, 0.60, 38), ("000", False, 0.60, 42), ("002", True, 0.59, 42), ("002", False, 0.59, 79),
          ("003", True, 0.89, 7), ("003", False, 0.90, 6)]


@pytest.mark.parametrize("doc,ruled,recall,new_errors", FLOORS, ids=[f"{d}-{'ruled' if r else 'borderless'}"
                                                                      for d, r, _, _ in FLOORS])
def test_real_pdftotext_layout_output_reads_at_least_as_well_as_measured(pdftotext, tmp_path, doc, ruled, recall,
                                                                          new_errors):
    pdf = render(corpus_text(doc), tmp_path / f"{doc}.pdf", Options(ruled=ruled))
    text = subprocess.run([pdftotext, "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True, check=True,
                          timeout=120).stdout.decode("utf-8")
    assert "\f" in text  # real pdftotext output: a form feed per page
    c = compare(run_text(doc, corpus_text(doc), tmp_path), run_text(f"{doc}_layout", text, tmp_path))
    assert c.recall >= recall, c.summary(limit=8)
    assert len(c.new_errors) <= new_errors, c.summary(limit=8)
