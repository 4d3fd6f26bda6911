"""Stage 2 — chunk: cut a document into sections (tables, cards, narrative) with their character ranges.

Page furniture is dropped here: repeated page headers (``450 三河市医疗保障局`` /
``预算年度：2024`` / ``单位：万元``), separator rows. A table continued over
several pages stays one section; its pages are kept as *segments* so that the
reader can re-read each page's header and re-join a row or a cell that the page
break cut in two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from schemas import kind_for_title


class LineKind(Enum):
    BLANK = "blank"
    PIPE = "pipe"
    TAB = "tab"
    SEPARATOR = "separator"
    PAGE_HEADER = "page_header"
    TEXT = "text"


@dataclass(frozen=True)
class Line:
    index: int
    start: int  # offset of the first character
    end: int  # offset after the last character, newline excluded
    text: str  # the line without its newline
    kind: LineKind

    @property
    def is_row(self) -> bool:
        return self.kind in (LineKind.PIPE, LineKind.TAB)


@dataclass
class Segment:
    """The rows of one table on one page (a page break or blank line ends a segment)."""

    lines: list[Line] = field(default_factory=list)


@dataclass
class Chunk:
    id: str
    kind: str
    title: str
    title_span: tuple[int, int] | None
    start: int
    end: int
    lines: list[Line] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def is_table(self) -> bool:
        return self.kind not in ("narrative", "front_matter")

    @property
    def has_rows(self) -> bool:
        return any(seg.lines for seg in self.segments)

    def text_without_furniture(self) -> str:
        """The section's lines minus page headers and separators: what an LLM gets to read."""
        keep = (LineKind.PIPE, LineKind.TAB, LineKind.TEXT)
        return "\n".join(line.text for line in self.lines if line.kind in keep)


@dataclass
class DocumentMeta:
    department: str | None = None
    department_code: str | None = None
    year: int | None = None


_SEPARATOR = re.compile(r"^\s*\|[\s\-:|]+\|\s*$")
_PAGE_HEADERS = (
    re.compile(r"^\s*(?P<code>\d{3})\s+(?P<dept>\S{2,40}?(?:局|委|委员会|办|办公室|院|中心|厅|部|会|所|站|队))\s*$"),
    re.compile(r"^\s*预算年?度[：:]\s*(?P<year>\d{4})\s*$"),
    re.compile(r"^\s*(金额)?单位[：:]\s*\S+\s*$"),
    re.compile(r"^\s*部门公开表\s*\d+\s*$"),
    re.compile(r"^\s*截止时间[：:].*$"),
    re.compile(r"^\s*编制部门[：:].*$"),
    re.compile(r"^\s*[（(]\s*\d{4}\s*年度?\s*[)）]\s*$"),
    re.compile(r"^\s*\S{2,30}(局|委|办|院|中心|厅)\s+单位[：:]\s*\S+\s*$"),
)
_NARRATIVE_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|附件)\s*\S?")
_NOTE = re.compile(r"^\s*注\s*[：:]")
_MAX_TITLE_LEN = 120


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for index, raw in enumerate(text.splitlines(keepends=True)):
        body = raw.rstrip("\r\n")
        lines.append(Line(index, pos, pos + len(body), body, _classify(body)))
        pos += len(raw)
    return lines


def _classify(body: str) -> LineKind:
    stripped = body.strip()
    if not stripped:
        return LineKind.BLANK
    if stripped.startswith("|"):
        return LineKind.SEPARATOR if _SEPARATOR.match(stripped) else LineKind.PIPE
    if "\t" in body.strip("\r\n") and body.strip(" \r\n") != "":
        # A line that is only tabs and spaces is an empty table row, still a row.
        return LineKind.TAB
    if any(p.match(stripped) for p in _PAGE_HEADERS):
        return LineKind.PAGE_HEADER
    return LineKind.TEXT


def document_meta(lines: list[Line], text: str) -> DocumentMeta:
    meta = DocumentMeta()
    for line in lines:
        if line.kind is not LineKind.PAGE_HEADER:
            continue
        m = _PAGE_HEADERS[0].match(line.text.strip())
        if m and meta.department is None:
            meta.department_code, meta.department = m.group("code"), m.group("dept")
        m = _PAGE_HEADERS[1].match(line.text.strip())
        if m and meta.year is None:
            meta.year = int(m.group("year"))
    head = text[:3000]
    if meta.department is None:
        m = re.search(r"(\S{2,30}?(?:局|委员会|委|办公室|中心))\s*\n?\s*\d{4}\s*年度?\s*部门预算", head)
        if m:
            meta.department = m.group(1).strip()
    if meta.year is None:
        m = re.search(r"(\d{4})\s*年度?\s*部门预算", head)
        if m:
            meta.year = int(m.group(1))
    return meta


_TITLE_HINT = re.compile(r"表|绩效|采购预算")


def _title_kind(line: Line) -> str | None:
    if line.kind is not LineKind.TEXT or not _TITLE_HINT.search(line.text):
        return None
    title = line.text.strip()
    if len(title) > _MAX_TITLE_LEN or "。" in title or title.endswith("说明"):
        return None
    return kind_for_title(title)


def _next_content(lines: list[Line], i: int) -> Line | None:
    for line in lines[i + 1:]:
        if line.kind in (LineKind.BLANK, LineKind.PAGE_HEADER):
            continue
        return line
    return None


def _accept_title(lines: list[Line], i: int, kind: str) -> bool:
    """A title opens a section when a table follows it, or when it names a table in a flattened layout.

    Tables of contents list the same titles one after another, so a title
    followed by another title is a contents entry. A numbered narrative
    heading ("五、部门整体绩效目标") opens a table only if a table follows.
    """
    nxt = _next_content(lines, i)
    if nxt is None:
        return False
    if nxt.is_row:
        return True
    if _title_kind(nxt) is not None and _accept_title(lines, nxt.index, _title_kind(nxt)):
        # The next line is itself a real title: this one is a contents entry.
        return False
    if _title_kind(nxt) is not None or _NARRATIVE_HEADING.match(nxt.text):
        return False
    if _NARRATIVE_HEADING.match(lines[i].text):
        return False
    title = re.sub(r"\s+", "", lines[i].text)
    return bool(re.search(r"(表|绩效指标|采购预算)$", title))


def chunk_document(text: str, lines: list[Line] | None = None) -> list[Chunk]:
    lines = lines if lines is not None else split_lines(text)
    chunks: list[Chunk] = []
    current: Chunk | None = None
    last_heading = ""

    def open_chunk(kind: str, title: str, title_line: Line | None, start: int) -> Chunk:
        chunk = Chunk(
            id=f"s{len(chunks):02d}-{kind}",
            kind=kind,
            title=title,
            title_span=(title_line.start + _lead(title_line.text), title_line.end - _trail(title_line.text))
            if title_line else None,
            start=start,
            end=start,
        )
        chunks.append(chunk)
        return chunk

    for i, line in enumerate(lines):
        kind = _title_kind(line)
        if kind is not None and _accept_title(lines, i, kind):
            current = open_chunk(kind, line.text.strip(), line, line.start)
        elif line.kind is LineKind.TEXT and _NARRATIVE_HEADING.match(line.text) and len(line.text.strip()) <= 60 \
                and "。" not in line.text:
            last_heading = line.text.strip()
            current = open_chunk("narrative", last_heading, line, line.start)
        elif current is None:
            current = open_chunk("front_matter", "", None, line.start)
        elif current.is_table and current.has_rows and line.kind is LineKind.TEXT and not _NOTE.match(line.text) \
                and not _continues_note(current):
            # Prose after a table: the narrative it interrupted goes on.
            current = open_chunk("narrative", f"{last_heading}（续）" if last_heading else "", None, line.start)
        _add_line(current, line)
    return [c for c in chunks if c.end > c.start or c.title]


def _continues_note(chunk: Chunk) -> bool:
    """A note that wrapped onto a second line belongs to the table too."""
    return bool(chunk.notes) and chunk.lines and chunk.lines[-1] is chunk.notes[-1]


def _add_line(chunk: Chunk, line: Line) -> None:
    chunk.lines.append(line)
    if line.kind is not LineKind.BLANK:
        chunk.end = line.end
    if not chunk.is_table:
        return
    if line.is_row:
        if not chunk.segments or chunk.segments[-1].lines and _segment_closed(chunk):
            chunk.segments.append(Segment())
        chunk.segments[-1].lines.append(line)
    elif line.kind is LineKind.SEPARATOR:
        return
    elif line.kind is LineKind.TEXT and (_NOTE.match(line.text) or _continues_note_before(chunk)):
        chunk.notes.append(line)


def _continues_note_before(chunk: Chunk) -> bool:
    """Called after the line was appended: was the line before it a note?"""
    return bool(chunk.notes) and len(chunk.lines) >= 2 and chunk.lines[-2] is chunk.notes[-1]


def _segment_closed(chunk: Chunk) -> bool:
    """A segment ends at anything that is not a row or a separator (blank line, page header, text)."""
    seg_last = chunk.segments[-1].lines[-1]
    for line in reversed(chunk.lines[:-1]):
        if line is seg_last:
            return False
        if line.kind is not LineKind.SEPARATOR:
            return True
    return False


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def _trail(s: str) -> int:
    return len(s) - len(s.rstrip())


def contents_entries(lines: list[Line]) -> list[tuple[str, str, tuple[int, int]]]:
    """Table titles a contents page lists: (kind, title, span).

    A contents page comes before the tables, so only title-like lines ("…表")
    above the first real table title count; later mentions are narrative.
    """
    entries = []
    for i, line in enumerate(lines):
        kind = _title_kind(line)
        if kind is None:
            continue
        if _accept_title(lines, i, kind):
            break
        title = re.sub(r"\s+", "", line.text)
        if title.endswith("表") and not title.startswith("注") and "，" not in title:
            entries.append((kind, line.text.strip(), (line.start + _lead(line.text), line.end - _trail(line.text))))
    return entries
