"""The benchmark's batch of distinct documents (``benchmarks/bench_scale.py --distinct``): no two alike, no table
row printed alike in two of them (a cache keyed by a line's text must miss, as in a real batch), and figures that
still add up after they are multiplied."""

from __future__ import annotations

import hashlib
import sys
from decimal import Decimal
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_scale  # noqa: E402
import county_budget  # noqa: E402



def multiplied_amounts(line: str) -> bool:
    """The line prints an amount the benchmark multiplies (a decimal, not a percentage), other than zero."""
    return any(Decimal(a) != 0 for a in bench_scale.DECIMAL_AMOUNT.findall(line))


def test_distinct_batch_has_no_two_documents_and_no_two_amount_rows_alike(tmp_path):
    assert bench_scale.write_distinct(tmp_path, 15) == 15
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.iterdir())]
    assert len({hashlib.sha256(t.encode()).digest() for t in texts}) == 15
    assert sum("农业农村局" in p.name for p in tmp_path.iterdir()) == 3  # one in five a county department
    seen: dict[str, int] = {}
    for i, text in enumerate(texts):
        for line in {line.strip() for line in text.splitlines() if multiplied_amounts(line)}:
            assert seen.setdefault(line, i) == i, f"printed alike in documents {seen[line]} and {i}: {line!r}"


def test_multiplied_amounts_still_add_up():
    from extractor.load import Document
    from extractor.pipeline import extract_document
    from verify import verify_result

    text = bench_scale.multiplied(county_budget.document("2025年部门预算支出合计1314.56万元，比上年增加10.00万元。",
                                                         extra=True, projects=True), 7)
    assert "9201.92" in text and "1314.56" not in text  # 1314.56 × 7
    doc = Document(path=Path("某县农业农村局.txt"), text=text, encoding="utf-8",
                   sha256=hashlib.sha256(text.encode()).hexdigest())
    result = verify_result(extract_document(doc), text)
    assert result.tables and [f.message for f in result.flags if f.severity == "error"] == []
