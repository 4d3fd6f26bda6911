"""What converters that join a page's lines do to titles (pdf2docx, pymupdf4llm, PDF→Word, browser copies).

Generated from the corpus documents: a card's title with its year on the same line (项目支出绩效目标表（2024年度）,
the way many templates print it and what a converter makes of a title and its year line); a table's or a card's
title glued to the end of the note or sentence before it (…故本表无数据XX局2024年项目支出表 单位：万元); a card
whose title is lost in the prose before it. Each must read as the original does: the same facts, no new error
flag, no card dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal

import pytest

from extractor.chunk import UNTITLED_CARD, LineKind, line_titles, split_lines
from extractor.export import result_facts
from layout_invariance import compare, is_card, run_text
from layout_variants import corpus_text
from schemas import kind_for_title, spec_for

DOCS = ("000", "002", "003")
_YEAR = re.compile(r"(?:19|20)\d\d(?=\s*年度?\s*部门预算)")
_YEAR_LINE = re.compile(r"^\s*[（(]\s*(?:19|20)\d\d\s*年度?\s*[)）]\s*$")


def _year(text: str) -> str:
    return _YEAR.search(text).group()


def _is_title(text: str, card: bool | None = None) -> bool:
    kind = kind_for_title(text.strip()) if text.strip() and "。" not in text and "\t" not in text else None
    return kind is not None and (card is None or spec_for(kind).card == card)


def _card_titles_with_year(text: str, style: str) -> tuple[str, int]:
    """Each card title standing on its own line gets the year on that line; a year line under it goes."""
    year = _year(text)
    lines = text.split("\n")
    out, n, i = [], 0, 0
    while i < len(lines):
        line = lines[i]
        if _is_title(line, card=True) and "|" not in line:
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and _YEAR_LINE.match(lines[j]):
                i = j  # the year line joins the title
            line = line.rstrip() + style.format(year=year)
            n += 1
        out.append(line)
        i += 1
    return "\n".join(out), n


_STYLES = {"fullwidth": "（{year}年度）", "space": " {year}年度", "ascii_year_only": "({year}年)", "half_space": " ({year}年度)"}


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    folder = tmp_path_factory.mktemp("originals")
    return {doc: run_text(doc, corpus_text(doc), folder) for doc in DOCS}


# Every style on 003; one on each of the other documents (their cards are titled otherwise: "1、…绩效目标表").
@pytest.mark.parametrize("doc,style", [("003", s) for s in sorted(_STYLES)] + [("000", "ascii_year_only"),
                                                                              ("002", "fullwidth")])
def test_card_titles_with_the_year_on_their_line_read_like_the_original(doc, style, originals, tmp_path):
    variant, n = _card_titles_with_year(corpus_text(doc), _STYLES[style])
    assert n >= 4  # the variant was made
    run = run_text(f"{doc}_{style}", variant, tmp_path)
    assert len(run.result.cards) == len(originals[doc].result.cards)
    for card in run.result.cards:
        # The card's title is printed with the year now; the facts are compared under the title without it.
        assert card.title.endswith(_STYLES[style].format(year=_year(variant)).strip()), card.title
        card.title = card.title[:-len(_STYLES[style].format(year=_year(variant)).strip())].rstrip()
    c = compare(originals[doc], run)
    assert c.recall >= 0.995 and not c.new_errors, c.summary()


def test_a_title_after_its_table_number_is_no_title_glued_to_a_sentence():
    lines = split_lines("附表1：收支预算总表\n表 3、部门支出总表\n注：本表无数据。\n")
    titles = line_titles(lines)
    assert not titles.glued and titles.kinds[:2] == ["income_expenditure_summary", "expenditure_summary"]


def test_a_card_title_with_the_department_and_the_year_on_its_line_is_a_card():
    for title in ("泗县医疗保障局项目支出绩效目标表（2024年度）", "项目支出绩效目标表 (2024年)", "部门整体绩效目标表（2025年度）"):
        assert kind_for_title(title) is not None and spec_for(kind_for_title(title)).card, title


def _glue_titles(text: str, sep: str, unit: bool) -> tuple[str, int]:
    """Each title whose previous line (blank lines between) is prose or a note is joined onto it, with the unit
    statement under the title joined after it too, as converters that join a page's lines into paragraphs do."""
    lines = split_lines(text)
    out: list[str] = []
    n, skip = 0, set()
    for i, line in enumerate(lines):
        if i in skip:
            continue
        prev = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), None)
        if prev is not None and _is_title(line.text) and line.kind is LineKind.TEXT \
                and re.search(r"[。，]|无数据", out[prev]) and "\t" not in out[prev] and "|" not in out[prev]:
            joined = out[prev].rstrip() + sep + line.text.strip()
            del out[prev + 1:]
            if unit:
                nxt = next((k for k in range(i + 1, min(i + 4, len(lines))) if lines[k].text.strip()), None)
                if nxt is not None and re.match(r"^\s*(?:金额)?单位\s*[：:]", lines[nxt].text):
                    joined += " " + lines[nxt].text.strip()
                    skip.update(range(i + 1, nxt + 1))
            out.append(joined)
            n += 1
        else:
            out.append(line.text)
    return "\n".join(out) + "\n", n


@pytest.mark.parametrize("sep,unit", [("", True), (" ", False)], ids=["glued_with_unit", "space"])
@pytest.mark.parametrize("doc", DOCS)
def test_titles_glued_to_the_note_or_sentence_before_them_read_like_the_original(doc, sep, unit, originals, tmp_path):
    variant, n = _glue_titles(corpus_text(doc), sep, unit)
    assert n >= 3
    run = run_text(f"{doc}_glued", variant, tmp_path)
    c = compare(originals[doc], run)
    assert c.recall >= 0.995 and not c.new_errors, c.summary()
    assert sorted(t.kind for t in run.result.tables) == sorted(t.kind for t in originals[doc].result.tables)
    assert len(run.result.cards) == len(originals[doc].result.cards)


def test_the_note_before_a_glued_title_stays_with_its_table_and_the_title_opens_the_next(tmp_path):
    text = corpus_text("003")
    glued = re.sub(r"(故本表无数据)\n+(泗县医疗保障局2024年项目支出表)\n+(单位：万元)", r"\1\2 \3", text, count=1)
    assert glued != text
    run = run_text("glued", glued, tmp_path)
    kinds = {t.kind: t for t in run.result.tables}
    project = kinds["project_expenditure"]
    assert project.title == "2024年项目支出表"
    assert not kinds.get("state_capital_expenditure") or not any(r.values for r in kinds["state_capital_expenditure"].rows)
    assert not [f for f in run.result.flags if f.severity == "error"]


def test_cards_whose_titles_are_not_in_the_text_are_still_read_one_by_one(originals, tmp_path):
    """The titles printed as images (or lost by the converter): after the narrative, and card after card."""
    text = corpus_text("003")
    lost = text.replace("项目支出绩效目标表\n\n(2024年度)", "")
    assert lost != text
    run = run_text("lost", lost, tmp_path)
    assert len(run.result.cards) == len(originals["003"].result.cards)
    for card in run.result.cards:
        # Read as a card whose title is not in the text, and says so; compared under the title the original prints.
        assert card.title == UNTITLED_CARD
        card.title = "项目支出绩效目标表"
    c = compare(originals["003"], run)
    assert c.recall >= 0.99 and not c.new_errors, c.summary()


# --- Space-aligned text whose spaces do not place the figures (PyMuPDF get_text(sort=True)) -----------------------

def _phys(s: str) -> float:
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in s)


def _sorted_text_rows(rows: list[list[str]], space: float) -> list[str]:
    """Tab rows as a writer that places each cell at its physical x writes them (the header centred, figures
    right-aligned, words left-aligned) and fills the gap to the next cell with gap / space-width spaces, each CJK
    character taking one character but two units of width: the figures land at character positions that depend on
    how many CJK characters stand before them, not under their header (PyMuPDF's sorted text does so)."""
    n = max(len(r) for r in rows)
    rows = [r + [""] * (n - len(r)) for r in rows]
    widths = [max(_phys(r[i]) for r in rows) + 4 for i in range(n)]
    lefts = [sum(widths[:i]) for i in range(n)]
    out = []
    for k, row in enumerate(rows):
        line, x = "", 0.0
        for i, cell in enumerate(row):
            if not cell:
                continue
            w = _phys(cell)
            figure = re.fullmatch(r"[\d.,]+", cell) is not None
            at = lefts[i] + (widths[i] - w - 1 if figure else (widths[i] - w) / 2 if k == 0 else 1)
            line += " " * (max(1, round((at - x) / space)) if line else round(at / space)) + cell
            x = at + w
        out.append(line)
    return out


def _table_as_sorted_text(doc: str, title: str, space: float) -> str:
    """The document's table under ``title`` (its title, unit line and tab rows) written as sorted text."""
    lines = corpus_text(doc).split("\n")
    at = next(i for i, l in enumerate(lines) if l.strip() == title)
    first = next(i for i in range(at, len(lines)) if "\t" in lines[i])
    last = next(i for i in range(first, len(lines)) if "\t" not in lines[i])
    head = [l for l in lines[at:first] if l.strip()]
    return "\n\n".join(head) + "\n\n" + "\n".join(_sorted_text_rows([l.split("\t") for l in lines[first:last]], space)) + "\n"


def _facts(result) -> list[tuple[tuple, str]]:
    """Each table value as (table, code or label, column, value) with its status."""
    return [((f["table"], f["row_code"] or "".join(str(f["row_label"] or "").split()), f["column"], str(f["value"])),
             f["status"]) for f in result_facts(result) if f["table"] in {t.kind for t in result.tables}]


@pytest.mark.parametrize("space", [1.0, 1.3, 1.5, 1.8])
@pytest.mark.parametrize("doc,title", [("003", "泗县医疗保障局2024年支出总表"), ("002", "部门预算支出总表")])
def test_sorted_text_that_does_not_place_figures_under_their_header_never_verifies_a_shifted_reading(
        doc, title, space, originals, tmp_path):
    run = run_text(f"{doc}_sorted", _table_as_sorted_text(doc, title, space), tmp_path)
    truth = Counter(fact for fact, _ in _facts(originals[doc].result))
    read = _facts(run.result)
    wrong = [fact for fact, status in read if fact not in truth and status == "verified"]
    assert read and not wrong, (len(wrong), wrong[:5])


# --- A browser's running header and footer between a table's rows (a web page printed, then turned into text) ----

_BROWSER_LINES = {
    "address_counter": ["file:///C:/Users/admin/Desktop/yusuan.html                {page}/20"],
    "date_title": ["{date} 10:31                {dept}{year}年度部门预算"],
    "both": ["https://www.example.gov.cn/zwgk/yusuan/{year}.html    {page}/20", "",
             "{date} 10:31    {dept}{year}年度部门预算"],
    "us_date": ["2/5/{yy}, 10:31 AM    {dept}{year}年度部门预算"],
}


def _with_browser_lines(text: str, form: str) -> tuple[str, int]:
    """After every 8th row of a delimited table, a blank line, the browser's lines and a blank line."""
    year = _year(text)
    dept = re.search(r"(\S+?局)", text).group(1)
    out, run, n = [], 0, 0
    for line in text.split("\n"):
        out.append(line)
        run = run + 1 if ("\t" in line or line.startswith("|")) and re.search(r"\d", line) else 0
        if run and run % 8 == 0:
            n += 1
            fill = {"page": n + 3, "date": f"{year}/2/5", "dept": dept, "year": year, "yy": year[2:]}
            out += [""] + [l.format(**fill) for l in _BROWSER_LINES[form]] + [""]
    return "\n".join(out), n


@pytest.mark.parametrize("doc,form", [("003", f) for f in sorted(_BROWSER_LINES)] + [("000", "address_counter"),
                                                                                     ("002", "both")])
def test_a_browsers_header_and_footer_between_table_rows_are_page_furniture(doc, form, originals, tmp_path):
    variant, n = _with_browser_lines(corpus_text(doc), form)
    assert n >= 5
    c = compare(originals[doc], run_text(f"{doc}_{form}", variant, tmp_path))
    assert c.recall >= 0.995 and not c.new_errors and not c.extra, c.summary()


def test_a_date_or_an_address_inside_a_row_or_a_sentence_is_no_furniture():
    kinds = [l.kind for l in split_lines("2024/3/1\t台式计算机\t5\n详见 http://www.x.gov.cn 网站。\n")]
    assert kinds == [LineKind.TAB, LineKind.TEXT]


# --- A blank line between every two rows (text copied from a web page, "paste as plain text") -------------------

def _double_spaced(text: str) -> str:
    return "\n".join(line + "\n" if ("\t" in line or line.lstrip().startswith("|")) else line
                     for line in text.split("\n"))


@pytest.mark.parametrize("doc", DOCS)
def test_a_blank_line_between_every_two_rows_joins_no_rows(doc, originals, tmp_path):
    variant = _double_spaced(corpus_text(doc))
    c = compare(originals[doc], run_text(f"{doc}_double", variant, tmp_path))
    assert c.recall >= 0.995 and not c.new_errors and not c.extra, c.summary()


# --- A whole disclosure on one sheet, no blank rows (a workbook, or a range copied from it as text) --------------

def _one_sheet_rows(text: str) -> list[list[str]]:
    rows = [line.split("\t") for line in text.split("\n") if line.strip()]
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


@pytest.mark.parametrize("doc", ("002", "003"))
def test_a_range_copied_from_a_sheet_holding_the_whole_disclosure_reads_like_the_original(doc, originals, tmp_path):
    """Every row padded with tabs to the sheet's width, titles and notes included; no blank rows."""
    variant = "\n".join("\t".join(r) for r in _one_sheet_rows(corpus_text(doc))) + "\n"
    c = compare(originals[doc], run_text(f"{doc}_range", variant, tmp_path))
    assert c.recall >= 0.995 and not c.new_errors and not c.extra, c.summary()


@pytest.mark.parametrize("doc", ("002", "003"))
def test_a_workbook_holding_the_whole_disclosure_on_one_sheet_reads_like_the_original(doc, originals, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from extractor.pipeline import run_file

    book = openpyxl.Workbook()
    for row in _one_sheet_rows(corpus_text(doc)):
        book.active.append([cell if cell else None for cell in row])  # every cell as the text it prints
    path = tmp_path / f"{doc}_one_sheet.xlsx"
    book.save(path)
    run = run_file(path)
    got = Counter((t.kind, r.code or "".join((r.label.text if r.label else "").split()), k, a.value)
                  for t in run.tables for r in t.rows for k, a in r.values.items())
    want = Counter((t.kind, r.code or "".join((r.label.text if r.label else "").split()), k, a.value)
                   for t in originals[doc].result.tables for r in t.rows for k, a in r.values.items())
    assert sum((got & want).values()) >= 0.995 * sum(want.values()), (want - got).most_common(5)
    assert len(run.cards) == len(originals[doc].result.cards)
    assert not [f for f in run.flags if f.severity == "error"] or doc == "002", [f.message for f in run.flags][:5]


# --- Markdown as LLM and PDF→Markdown converters write it (pymupdf4llm, vision OCR) ----------------------------

def _as_markdown(text: str, bold: bool, breaks: bool) -> str:
    """Tab tables as pipe tables, a separator under each first row; header rows and 合计 rows bold (``bold``);
    cells wrapped with <br> in the middle of long words and figures (``breaks``); titles as headings, the unit
    statement underlined."""
    out, first = [], True
    for line in text.split("\n"):
        if "\t" not in line:
            first = True
            if _is_title(line):
                line = "# " + line.strip()
            elif re.fullmatch(r"\s*单位[：:]\s*万元\s*", line):
                line = f"# <u>{line.strip()}</u>"
            out.append(line)
            continue
        cells = line.split("\t")
        total = any(re.fullmatch(r"合计|总计", c.strip()) for c in cells)
        if bold and (first or total):
            cells = [f"**{c.strip()}**" if c.strip() else c for c in cells]
        if breaks:
            cells = [c[:len(c) // 2] + "<br>" + c[len(c) // 2:] if len(c) >= 5 and "*" not in c else c for c in cells]
        out.append("|" + "|".join(cells) + "|")
        if first:
            out.append("|" + "|".join("---" for _ in cells) + "|")
        first = False
    return "\n".join(out)


@pytest.mark.parametrize("bold,breaks", [(True, False), (False, True), (True, True)], ids=["bold", "br", "both"])
@pytest.mark.parametrize("doc", ("002", "003"))
def test_markdown_with_bold_cells_and_line_breaks_in_cells_reads_like_the_original(doc, bold, breaks, originals,
                                                                                    tmp_path):
    variant = _as_markdown(corpus_text(doc), bold, breaks)
    assert ("|**" in variant) == bold and ("<br>" in variant) == breaks
    run = run_text(f"{doc}_md", variant, tmp_path)
    c = compare(originals[doc], run)
    # (A card's figure wrapped with <br> in its cell, "176<br>0.00", is not read by the card reader yet: with breaks,
    # the tables' facts are compared, and the cards' figures must be flagged, never lost silently.)
    missing = [m for m in c.missing if not (breaks and is_card(m[0]))]
    # …flagged: each such card figure is a read.unparsed error naming the digits either side of the break.
    errors = [e for e in c.new_errors if not (breaks and e[0][0] == "read.unparsed" and "<br>" in e[1])]
    assert not missing and not c.extra and not errors, c.summary()
    if breaks:
        lost = [m for m in c.missing if is_card(m[0])]
        flagged = [e for e in c.new_errors if e[0][0] == "read.unparsed" and "<br>" in e[1]]
        assert not lost or flagged, c.summary()
    assert not any("*" in k or "<br>" in k for t in run.result.tables for k in t.columns), \
        [k for t in run.result.tables for k in t.columns]


def test_a_unit_statement_spaced_out_and_cut_by_its_cell_is_read_not_a_crash(tmp_path):
    """(A header cell "价 值 (金 额 单 位 : 万" / "元)" once raised IndexError: the file failed whole.)"""
    text = ("西湖示范局2025年固定资产占用情况表\n\n|**项 目**|**数 量**|**价 值 (金 额 单 位 : 万**|\n|---|---|---|\n"
            "| | |**元)**|\n|资产总额||992.43|\n|车辆|2|45.13|\n")
    run = run_text("units", text, tmp_path)
    assert run.result.tables and any(a.value == Decimal("992.43") for t in run.result.tables for r in t.rows
                                     for a in r.values.values())
