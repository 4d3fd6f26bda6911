"""Accuracy against hand-checked values (tests/golden/*.tsv, read off the documents by a person,
independently of the reader): each amount must be in the facts export with the exact value, at the exact
span, in the right table kind, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import result_for

from extractor.export import result_facts

GOLDEN = Path(__file__).parent / "golden"


def _golden(doc: str) -> list[dict]:
    with open(GOLDEN / f"{doc}.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _squash(s: str | None) -> str:
    return "".join((s or "").split())


def _matches(fact: dict, want: dict) -> bool:
    label = _squash(want["row_label"].split(" [")[0])
    return (
        fact["table"] == want["table"]
        and fact["column"] == want["column"]
        and fact["value"] == want["value"]
        and (fact["row_code"] or "") == want["row_code"]
        # Golden labels are the text on the row's first printed line; ours joins lines cut by a page break.
        and _squash(fact["row_label"]).startswith(label)
    )


@pytest.mark.parametrize("doc", ["000", "002", "003"])
def test_hand_checked_amounts_are_exported_exactly(doc):
    by_span = {}
    for fact in result_facts(result_for(doc)):
        by_span.setdefault(tuple(fact["span"]), []).append(fact)
    golden = _golden(doc)
    missing = [g for g in golden
               if not any(_matches(f, g) for f in by_span.get((int(g["start"]), int(g["end"])), []))]
    assert len(golden) >= 100
    assert not missing, f"{len(missing)}/{len(golden)} hand-checked amounts not exported as expected: {missing[:5]}"
