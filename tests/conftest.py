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


def verify_text(doc: str, text: str):
    """The whole pipeline (read → verify) on a modified copy of a corpus document."""
    import hashlib

    from extractor.load import Document
    from extractor.pipeline import extract_document
    from verify import verify_result

    source = Document(path=DOCS[doc], text=text, encoding="utf-8", sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(source), text)


def read_generated(text: str, name: str = "generated"):
    """The whole pipeline (read → verify) on a document a test generated, as if read from ``name``.txt."""
    import hashlib

    from extractor.load import Document
    from extractor.pipeline import extract_document
    from verify import verify_result

    source = Document(path=Path(f"{name}.txt"), text=text, encoding="utf-8",
                      sha256=hashlib.sha256(text.encode()).hexdigest())
    return verify_result(extract_document(source), text)


def amount_at(doc: str, path: str):
    from verify.grounding import amount_slots

    for slot in amount_slots(result_for(doc).model_copy(deep=True)):
        if slot.path == path:
            return slot.amount
    raise AssertionError(f"{doc} has no value at {path}")


def mutate(doc: str, path: str, new: str):
    """Replace the printed value at ``path`` by ``new``; return (verified result, span of the new text)."""
    amount = amount_at(doc, path)
    start, end = amount.parts[-1]
    text = text_for(doc)
    assert len(amount.parts) == 1, "mutate() replaces single-part values"
    mutated = text[:start] + new + text[end:]
    return verify_text(doc, mutated), (start, start + len(new))


def flags_covering(result, span, check=None):
    """Flags whose spans cover any character of ``span``."""
    s, e = span
    return [f for f in result.flags if (check is None or f.check == check)
            and any(a < e and s < b for a, b in f.spans)]
