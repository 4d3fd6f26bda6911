"""The layout-variant suite: does the reader generalise to layouts and converters it has never seen?

Every corpus document with tables in tabular form (000, 002, 003) is rewritten by every variant of
``layout_variants.VARIANTS`` — other delimiters, dropped empty cells, 类 | 款 | 项 code columns, other
page furniture, other provinces' titles, ``pdftotext -layout`` alignment, wrapped headers, and
combinations — without changing a single amount. The whole pipeline must then find the same facts:

- at least 99% of the original's (table kind, row, column, value) facts;
- no error flag the original does not raise;
- ``read.ambiguous`` (the reader naming alternatives it could not choose between) on at most 1% of
  the variant's values;
- every value's span holding the value in the variant's text.

The second half tests the generator itself: each variant changes the layout, never an amount.
``python benchmarks/bench_variants.py`` prints the same comparison as a table.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from layout_invariance import Comparison, compare, run_text
from layout_variants import (
    KIND_PATTERNS, VARIANTS, apply, corpus_text, corpus_variant, expected_numbers, number_tokens, parse, render,
    squash, width,
)

DOCS = ("000", "002", "003")
MIN_RECALL = 0.99
MAX_AMBIGUOUS = 0.01
CASES = [(v, d) for v in VARIANTS for d in DOCS]
IDS = [f"{v}-{d}" for v, d in CASES]

# Cases the reader does not meet yet, with the figure measured and the cause found. They run and must
# fail (strict): one that starts passing fails the suite until its line is removed here. docs/layouts.md
# gives every variant's figures.
SHORT_OF_TARGET: dict[tuple[str, str, str], str] = {
    # (test, variant, document): why
}


def cases(test: str) -> list:
    out = []
    for variant, doc in CASES:
        why = SHORT_OF_TARGET.get((test, variant, doc))
        marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
        out.append(pytest.param(variant, doc, id=f"{variant}-{doc}", marks=marks))
    return out

_originals: dict = {}
_comparisons: dict = {}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("variants")


def comparison(variant: str, doc: str, folder) -> Comparison:
    """The pipeline on the original and on the variant, compared; each run once per test session."""
    if doc not in _originals:
        _originals[doc] = run_text(doc, corpus_text(doc), folder)
    key = (variant, doc)
    if key not in _comparisons:
        _comparisons[key] = compare(_originals[doc], run_text(f"{doc}_{variant}", corpus_variant(doc, variant), folder))
    return _comparisons[key]


# ---------------------------------------------------------------------------------------------------
# Invariance of the pipeline


@pytest.mark.parametrize("variant,doc", cases("facts"))
def test_variant_yields_the_originals_facts(variant, doc, folder):
    c = comparison(variant, doc, folder)
    assert c.recall >= MIN_RECALL, c.summary()


@pytest.mark.parametrize("variant,doc", cases("errors"))
def test_variant_raises_no_new_error_flag(variant, doc, folder):
    c = comparison(variant, doc, folder)
    assert not c.new_errors, c.summary()


@pytest.mark.parametrize("variant,doc", cases("ambiguous"))
def test_variant_ambiguity_is_rare(variant, doc, folder):
    c = comparison(variant, doc, folder)
    assert c.ambiguous_share <= MAX_AMBIGUOUS, c.summary()


@pytest.mark.parametrize("variant,doc", cases("spans"))
def test_variant_spans_hold_their_values(variant, doc, folder):
    c = comparison(variant, doc, folder)
    assert not c.span_misses and not c.span_fixes, c.summary()


def test_the_comparison_sees_a_lost_and_a_moved_value(folder):
    """The instrument itself: a value deleted and a value moved to another column are both counted."""
    text = corpus_text("003")
    row = "2101102\t事业单位医疗\t25.42\t25.42\t\t\t\t"
    assert row in text
    lost = text.replace(row, "2101102\t事业单位医疗\t25.42\t\t\t\t\t")
    moved = text.replace(row, "2101102\t事业单位医疗\t25.42\t\t25.42\t\t\t")
    original = run_text("003", text, folder)
    c_lost = compare(original, run_text("003_lost", lost, folder))
    c_moved = compare(original, run_text("003_moved", moved, folder))
    assert c_lost.matched == c_lost.facts_original - 1
    assert (("expenditure_summary", "2101102", "basic"), Decimal("25.42")) in c_lost.missing
    assert (("expenditure_summary", "2101102", "project"), Decimal("25.42")) in c_moved.extra
    assert c_moved.new_errors, "a value moved to the wrong column breaks the table's sums"
    assert compare(original, original).recall == 1.0


# ---------------------------------------------------------------------------------------------------
# The generator


def _decimals(text: str) -> list[str]:
    return sorted(re.findall(r"(?<![\d.])\d+\.\d+(?![\d.])", text))


@pytest.mark.parametrize("variant,doc", CASES, ids=IDS)
def test_variant_changes_the_layout(variant, doc):
    assert corpus_variant(doc, variant) != corpus_text(doc)


@pytest.mark.parametrize("variant,doc", CASES, ids=IDS)
def test_variant_changes_no_amount(variant, doc):
    """Every number of the original is still printed, character for character; the only numbers added or
    removed are the ones a step booked (page numbers, table numbers, code parts, repeated 栏次 rows)."""
    text = corpus_variant(doc, variant)
    assert _decimals(text) == _decimals(corpus_text(doc))
    assert number_tokens(text) == expected_numbers(doc, variant)
    booked = apply(corpus_text(doc), variant, seed=doc)
    assert not [t for t in booked.added + booked.removed if "." in t], "a step booked a decimal amount as furniture"


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_is_the_same_on_every_run(variant):
    assert corpus_variant("002", variant) == corpus_variant("002", variant)


@pytest.mark.parametrize("doc", DOCS)
def test_parse_and_render_give_back_the_document(doc):
    text = corpus_text(doc)
    again = render(parse(text))
    separators = re.compile(r"^\|[-:|]*\|$", re.M)  # markdown separator rows are redrawn
    assert separators.sub("", again) == separators.sub("", text)


def _rows(text: str, sep: str) -> list[list[str]]:
    if sep == "|":
        return [[c.strip() for c in ln.strip()[1:-1].split("|")] for ln in text.split("\n") if ln.startswith("|")]
    return [ln.split("\t") for ln in text.split("\n") if "\t" in ln]


def test_delimiters_swapped():
    assert not _rows(corpus_variant("000", "delimiters_swapped"), "|")
    assert len(_rows(corpus_variant("000", "delimiters_swapped"), "\t")) > 500
    for doc in ("002", "003"):
        text = corpus_variant(doc, "delimiters_swapped")
        assert "\t" not in text and len(_rows(text, "|")) > 300


def test_dropped_empties_slide_values_left():
    for doc, sep in (("000", "|"), ("002", "\t"), ("003", "\t")):
        rows = _rows(corpus_variant(doc, "dropped_empties"), sep)
        # no empty cell before a filled one (markdown rows are padded at the end to the table's width)
        assert rows and not [r for r in rows if "" in r[:max((i for i, c in enumerate(r) if c), default=0)]], doc
    rows = _rows(corpus_variant("002", "dropped_empties"), "\t")
    assert ["2", "208", "社会保障和就业支出", "207.69", "207.69"] in rows  # 基本支出 slid under 合计's neighbour
    some = _rows(corpus_variant("002", "dropped_empties_some_pages"), "\t")
    assert [r for r in some if "" in r] and [r for r in some if r[:3] == ["2", "208", "社会保障和就业支出"] and "" not in r]


@pytest.mark.parametrize("style", ["codes_split", "codes_prefixed"])
def test_codes_become_class_kuan_xiang_columns(style):
    for doc, sep in (("000", "|"), ("002", "\t"), ("003", "\t")):
        rows = _rows(corpus_variant(doc, style), sep)
        assert any(r[r.index("类"):r.index("类") + 3] == ["类", "款", "项"] for r in rows if "类" in r), doc
        # no functional table keeps a 7-digit code in one cell
        assert not [r for r in rows if any(re.fullmatch(r"2\d{6}|210\d{3} \d", c) for c in r[:2])], doc
    rows = _rows(corpus_variant("003", style), "\t")
    want = ["210", "15", "01"] if style == "codes_split" else ["210", "21015", "2101501"]
    assert want + ["行政运行", "242.41"] in [r[:5] for r in rows]
    kuan = ["210", "15" if style == "codes_split" else "21015", ""]
    assert kuan + ["医疗保障管理事务"] in [r[:4] for r in rows]  # a 款 row: 210 | 15 |
    assert ["301", "01" if style == "codes_split" else "30101", "基本工资"] in [r[:3] for r in rows]


def test_page_furniture_at_page_breaks():
    text = corpus_variant("003", "page_furniture")
    numbers = [int(m) for m in re.findall(r"^[—-] (\d+) [—-]$", text, re.M)]
    assert len(numbers) >= 10 and numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert "泗县医疗保障局2024年部门预算" in text or "2024年泗县医疗保障局部门预算公开" in text
    # 003 prints each table on one page: the long ones now break, and the header is repeated
    assert text.count("项目\t预算数\t项目\t预算数") >= 2
    bare, original = corpus_variant("000", "page_furniture_no_header"), corpus_text("000")
    assert re.search(r"^第 ?\d+ ?页", bare, re.M) and ("续表" in bare or "（续）" in bare)
    assert bare.count("450 三河市医疗保障局") < original.count("450 三河市医疗保障局")  # the corpus's own replaced
    # continued pages without a header: 收入总表's 栏次 row printed once, not once per page
    serial = "| 栏次 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 |"
    assert bare.count(serial) < original.count(serial)


def test_retitled_tables_and_contents():
    for doc in DOCS:
        original = parse(corpus_text(doc))
        for variant in ("retitled", "retitled_prefixed"):
            lines = {ln.strip() for ln in corpus_variant(doc, variant).split("\n")}
            for info in original.tables.values():
                if info.kind not in ("card", "contents", "other"):
                    assert info.title not in lines, (doc, variant, info.title)
    text = corpus_variant("003", "retitled")
    assert re.search(r"^(预算 ?\d\d ?表|部门公开表\d\d)$", text, re.M)
    assert re.search(r"^(表[一二三四五六七八九十]+　|附表\d+：|1-\d+ )", text, re.M)


def test_header_cells_wrap_onto_a_second_row():
    original, wrapped = parse(corpus_text("002")), parse(corpus_variant("002", "header_wrapped"))
    headers = lambda d: sum(b.header for b in d.blocks())  # noqa: E731
    assert headers(wrapped) > headers(original)
    # the wrapped pieces are the original cells, cut in two
    cells = {squash(c) for b in original.blocks() for r in b.rows[:b.header] for c in r}
    pieces = [c for b in wrapped.blocks() for r in b.rows[:b.header] for c in r if c and squash(c) not in cells]
    assert pieces and all(any(p in c for c in cells) for p in map(squash, pieces))


def _display_col(line: str, token: str) -> int:
    """Display column where ``token`` ends on ``line`` (CJK characters count 2)."""
    at = line.index(token) + len(token)
    return width(line[:at])


def _section(text: str, title: str) -> list[str]:
    """The lines of a space-aligned table: from its (centred) title line to the next centred title."""
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if re.fullmatch(rf"\s+{title}", ln))
    end = next(i for i in range(start + 1, len(lines)) if re.fullmatch(r"\s{10,}\S*表", lines[i]))
    return lines[start + 1:end]


def test_space_aligned_columns():
    text = corpus_variant("003", "space_aligned")
    assert "\t" not in text and not re.search(r"^\|", text, re.M)
    assert "\f" in text
    table = _section(text, "泗县医疗保障局2024年支出总表")
    rows = [ln for ln in table if re.match(r"^\s*\d{3,7}\s", ln)]
    assert len(rows) == 13
    # 合计, the first amount after the code: right-aligned by display width, not by character count
    totals = [re.findall(r"(?<=\s)\d+(?:\.\d+)?(?=\s|$)", ln)[1] for ln in rows]
    assert len({_display_col(ln, " " + t) for ln, t in zip(rows, totals)}) == 1
    assert len({ln.index(" " + t) + len(t) + 1 for ln, t in zip(rows, totals)}) > 1
    # a header cell wider than its column wraps inside it
    assert not [ln for ln in table if "对附属单位补助支出" in ln] and [ln for ln in table if "对附属" in ln]
    # a merged header cell is centred over its children
    header = _section(text, "泗县医疗保障局2024年收支总表")
    income = next(ln for ln in header if "收入" in ln)
    children = next(ln for ln in header if "预算数" in ln)
    assert width(children[:children.index("项目")]) < width(income[:income.index("收入")]) \
        < width(children[:children.index("预算数")])


def test_every_variant_names_what_it_models():
    for v in VARIANTS.values():
        assert v.models and v.steps
    assert KIND_PATTERNS
