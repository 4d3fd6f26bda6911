from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOCS = {p.name[:3]: p for p in sorted(EXAMPLES.glob("*.txt"))}

sys.path.insert(0, str(ROOT))


@lru_cache(maxsize=None)
def result_for(doc: str):
    from extractor.pipeline import run_file

    return run_file(DOCS[doc])


@lru_cache(maxsize=None)
def text_for(doc: str) -> str:
    with open(DOCS[doc], encoding="utf-8", newline="") as fh:
        return fh.read()


def table(doc: str, kind: str):
    tables = [t for t in result_for(doc).tables if t.kind == kind]
    assert len(tables) == 1, f"{doc} has {len(tables)} {kind} tables"
    return tables[0]


def row(tbl, code=None, label=None, side=None):
    for r in tbl.rows:
        if code is not None and r.code != code:
            continue
        if label is not None and (r.label is None or r.label.text.replace(" ", "") != label):
            continue
        if side is not None and r.side != side:
            continue
        return r
    raise AssertionError(f"no row code={code} label={label} side={side} in {tbl.kind}")


@pytest.fixture(params=sorted(DOCS))
def doc(request) -> str:
    return request.param
