"""Which standard tables a document has, which it prints empty (with the note), which are missing."""

from __future__ import annotations

import re

from schemas import STANDARD_TABLE_KINDS, ExtractionResult, TableStatus, spec_for, standard_kinds

from .flags import Flagger


_REASONS_ZH = {
    "no table rows: the layout is flattened into lines (needs the LLM reader)": "没有表格行：版式被拆成了逐行文字（需要模型读取）",
    "no table rows: the card is flattened into lines (needs the LLM reader)": "没有表格行：绩效目标表被拆成了逐行文字（需要模型读取）",
    "no table rows: the table is printed one cell per line, which loses the column each cell is in (needs the LLM "
    "reader, or the PDF itself)": "没有表格行：表格被拆成每行一个单元格，各单元格所在的列已无从得知（需要模型读取，或直接读取 PDF）",
    "no header row this reader recognises": "没有可识别的表头行",
    "no table rows: the table is HTML markup (<table><tr><td>), which this reader does not read yet (needs the LLM "
    "reader, or the PDF itself)": "没有表格行：表格是 HTML 标记（<table><tr><td>），本读取器尚不能读取（需要模型读取，或直接读取 PDF）",
    "no card fields this reader recognises": "没有可识别的绩效目标表栏目",
    "left to the LLM reader (--backend llm)": "留给模型读取（--backend llm）",
}


def reason_zh(reason: str) -> str:
    """The readers' reasons in Chinese where they are known; a model's error message stays as it came."""
    head, sep, rest = reason.partition("; LLM reader: ")
    return _REASONS_ZH.get(head, head) + (f"；模型读取失败：{rest}" if sep else "")


def flag_unread(result: ExtractionResult, flagger: Flagger) -> None:
    """A section nobody could read: none of its numbers is in the result, so a person must look."""
    for unread in result.unread:
        section = next((s for s in result.sections if s.id == unread.section_id), None)
        title = section.title if section else unread.kind
        flagger.add("completeness.unread", "error",
                    f"“{title}”未能读取，其中的数字均未提取：{reason_zh(unread.reason)}",
                    f"section “{title}” ({unread.kind.replace('_', ' ')}) could not be read, none of its numbers was "
                    f"extracted: {unread.reason}", spans=[unread.span], section_id=unread.section_id,
                    key=unread.section_id)


_NOT_TABLES = ("narrative", "front_matter")


def flag_document_shape(result: ExtractionResult, text: str, flagger: Flagger) -> None:
    """A text with no budget table at all, or one that stops inside a table while its contents list more."""
    sections = [s for s in result.sections if s.kind not in _NOT_TABLES]
    head = (0, min(len(text), len(text.split("\n", 1)[0]) or 1))
    if not sections:
        flagger.add("document.no_tables", "warning", "文件中没有找到任何预算表或绩效目标表：它可能不是部门预算公开文件，或表格未能识别",
                    "no budget table or performance card was found: the file may not be a budget disclosure, or its "
                    "tables were not recognised", spans=[head], key="no_tables")
        return
    if not any(s.kind in STANDARD_TABLE_KINDS for s in sections):
        others = [s for s in sections if s.kind == "other_table"]
        if others or result.claims:
            # Tables of no kind we know (their titles not in the text), a narrative stating figures: every one
            # would go unchecked against the standard tables, quietly.
            first = others[0] if others else sections[0]
            flagger.add("document.no_standard_tables", "error",
                        f"文件有 {len(others)} 张表，但没有一张被认出是标准预算表（收支总表、收入总表、支出总表……；标题可能印成了图片或没有印出）："
                        f"表中数值只按各自表头读取，说明中的 {len(result.claims)} 个数字无从核对",
                        f"the file has {len(others)} table(s) but none was recognised as a standard budget table "
                        f"(its titles may be images or missing): their values are read under their own headers only, "
                        f"and the narrative's {len(result.claims)} figure(s) are checked against nothing",
                        spans=[first.span], section_id=first.id, key="no_standard_tables")
    last = max(result.sections, key=lambda s: s.span[1])
    if last.kind in _NOT_TABLES or text[last.span[1]:].strip():
        return
    present = {s.kind for s in result.sections}
    # Cut short: the tables missing are the ones the contents list after every table the text has.
    last_present = max((n for n, e in enumerate(result.contents) if e.kind in present), default=-1)
    missing = [e for e in result.contents[last_present + 1:] if e.kind not in present]
    if not missing:
        return
    sentences = _not_printed_sentences(result, text)
    if all(_why_not_printed(sentences, e.kind) for e in missing):
        return  # the 说明 says why each is not printed: left out, not cut off
    ends = _how_it_ends(result, last, flagger)
    if ends is None:
        return  # the last table or card is whole: the document leaves the tables out (listed_missing says so)
    names = "、".join(e.title for e in missing[:3]) + ("等" if len(missing) > 3 else "")
    span = [(max(last.span[0], last.span[1] - 1), last.span[1])]
    if ends[0]:
        flagger.add("completeness.truncated", "error",
                    f"文件在“{last.title}”中结束（{ends[0]}），目录列出的 {len(missing)} 张表（{names}）不在文件中："
                    "文件可能被截断",
                    f"the document ends inside “{last.title}” ({ends[1]}) and {len(missing)} table(s) its contents "
                    "list are not in it: the file may be cut short", spans=span, key="truncated")
    else:
        flagger.add("completeness.truncated", "warning",
                    f"文件以“{last.title}”结束，目录列出的 {len(missing)} 张表（{names}）不在文件中：无从判断是文件被截断，"
                    "还是这些表本就未印出",
                    f"the document ends with “{last.title}” and {len(missing)} table(s) its contents list are not in "
                    "it: whether the file is cut short or leaves them out, the text does not tell",
                    spans=span, key="truncated")


# The checks that fail on a table whose lines stop before its total line has all its parts.
_SUM_CHECKS = ("table.hierarchy", "table.column_total", "table.summary", "table.items", "table.balance")


_CANNOT_TELL = ("", "")


def _how_it_ends(result: ExtractionResult, last, flagger: Flagger) -> tuple[str, str] | None:
    """Whether the document's last table or card is whole: None when it is (a table that ends on its total line,
    or whose total line above adds up; a card whose indicator grid reaches 满意度指标, the template's last); the
    evidence that it stops short, in Chinese and English; or empty words when its text cannot tell."""
    cards = [c for c in result.cards if c.section_id == last.id]
    if cards:
        card = max(cards, key=lambda c: c.span[1])
        if not card.indicators:
            return "绩效目标表没有指标", "the card has no indicator grid"
        whole = any("满意度" in (i.level1 or "") for i in card.indicators)
        return None if whole else _CANNOT_TELL
    tables = [t for t in result.tables if t.section_id == last.id]
    if not tables:
        return _CANNOT_TELL  # left unread (flagged so): what it holds is unknown
    if all(t.empty for t in tables):
        return None  # printed empty, with its note: whole
    rows = sorted((r for t in tables for r in t.rows), key=lambda r: r.span[0])
    if not rows:
        return "表中没有数据行", "the table has no rows"
    totals = [r for r in rows if _is_total_line(r)]
    if _is_total_line(rows[-1]):
        return None
    if not totals:
        if spec_for(last.kind).row_key == "item":
            return _CANNOT_TELL  # an item table need not print a total line
        return "表中没有合计行", "the table has no total line"
    if any(f.section_id == last.id and f.check in _SUM_CHECKS for f in flagger.flags.values()):
        return "各行之和与合计行不符", "its lines do not add up to its total line"
    return None


def _is_total_line(row) -> bool:
    """合计, 总计, 收入总计 / 支出总计: a table's total line (a classification code's line is none)."""
    if row.item == "total":
        return True
    label = "".join(row.label.text.split()) if row.label else ""
    return not row.code and label.endswith(("合计", "总计"))


# A sentence saying why a table is not printed: 故未公开国有资本经营预算支出表, 此表无数据, 本表为空表.
_NOT_PRINTED = re.compile(r"未(?:予)?公开|不(?:予)?公开|无数据|空表|未(?:编制|列示)")


def _not_printed_sentences(result: ExtractionResult, text: str) -> list[str]:
    """The narrative's sentences (without whitespace) that say some table is not published or has nothing to show."""
    out = []
    for section in result.sections:
        if section.kind != "narrative":
            continue
        for sentence in re.split(r"(?<=[。；])", text[section.span[0]:section.span[1]]):
            squashed = "".join(sentence.split())
            if _NOT_PRINTED.search(squashed):
                out.append(squashed)
    return out


def _why_not_printed(sentences: list[str], kind: str) -> str | None:
    """The first of ``sentences`` (``_not_printed_sentences``) that names a table of ``kind``."""
    spec = spec_for(kind)
    return next((sentence for sentence in sentences if spec.match_title(sentence)), None)


def completeness(result: ExtractionResult, flagger: Flagger, text: str = "") -> list[TableStatus]:
    listed = {}
    for entry in result.contents:
        listed.setdefault(entry.kind, entry)
    by_kind: dict[str, list] = {}
    for s in result.sections:
        by_kind.setdefault(s.kind, []).append(s)
    out = []
    not_printed = None  # the narrative's sentences saying a table is not printed: read once, if a table is missing
    stage = result.document.stage
    expected = standard_kinds(stage)
    for kind in STANDARD_TABLE_KINDS:
        sections = by_kind.get(kind, [])
        if kind not in expected and not sections and kind not in listed:
            continue  # a table this kind of document does not have (a 决算's 政府采购预算表) is not missing from it
        zh = spec_for(kind).name(stage)
        if sections:
            status = "unread" if all(s.status in ("unread", "unfilled") for s in sections) else \
                "empty" if all(s.status == "empty" for s in sections) else "present"
            note = next((s.note for s in sections if s.note), None)
            out.append(TableStatus(kind=kind, zh=zh, status=status, section_ids=[s.id for s in sections], note=note))
        elif kind in listed:
            entry = listed[kind]
            if not_printed is None:
                not_printed = _not_printed_sentences(result, text) if text else []
            why = _why_not_printed(not_printed, kind)
            out.append(TableStatus(kind=kind, zh=zh, status="listed_missing",
                                   note=f"目录列出“{entry.title}”" + (f"；说明：{why}" if why else "")))
            if why:
                continue  # the document says why it does not print the table
            flagger.add("completeness.listed_missing", "warning",
                        f"目录列出“{entry.title}”，但文件中没有这张表",
                        f"the contents list {entry.title!r} ({kind}), but the document does not contain it",
                        spans=[entry.span], key=kind)
        else:
            out.append(TableStatus(kind=kind, zh=zh, status="missing"))
    flag_unread(result, flagger)
    return out
