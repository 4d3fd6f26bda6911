"""The pipeline for one document: load → chunk → extract (rules) → verify → result.

Later stages (verify, review) take the ``ExtractionResult`` this returns; they
never reach back into loading or chunking.
"""

from __future__ import annotations

from pathlib import Path

from schemas import ContentsEntry, DocumentInfo, ExtractionResult, Section, spec_for

from verify import verify_result

from .chunk import chunk_document, contents_entries, document_meta, split_lines
from .load import Document, load_document
from .rules import Unreadable, read_table, unread_for
from .rules_cards import read_card


def extract_document(doc: Document) -> ExtractionResult:
    lines = split_lines(doc.text)
    meta = document_meta(lines, doc.text)
    result = ExtractionResult(document=DocumentInfo(
        name=doc.name, path=str(doc.path), sha256=doc.sha256, encoding=doc.encoding, length=len(doc.text),
        department=meta.department, department_code=meta.department_code, year=meta.year,
    ))
    result.contents = [ContentsEntry(kind=k, title=t, span=s) for k, t, s in contents_entries(lines)]
    for chunk in chunk_document(doc.text, lines):
        section = Section(id=chunk.id, kind=chunk.kind, title=chunk.title, span=chunk.span, title_span=chunk.title_span)
        result.sections.append(section)
        if not chunk.is_table:
            continue
        try:
            if spec_for(chunk.kind).card:
                result.cards.append(read_card(chunk))
                section.status = "extracted"
            else:
                table = read_table(chunk)
                result.tables.append(table)
                section.status = "empty" if table.empty else "extracted"
                section.note = table.note if table.empty else None
            section.backend = "rules"
        except Unreadable as exc:
            section.status = "unread"
            section.note = exc.reason
            result.unread.append(unread_for(chunk, exc.reason))
    return result


def run_file(path: Path | str, verify: bool = True) -> ExtractionResult:
    doc = load_document(path)
    result = extract_document(doc)
    return verify_result(result, doc.text) if verify else result
