"""PDF input: the corpus documents printed to PDF read back to the facts the text path reads from them.

The PDFs are generated here (tests/pdfdocs.py) the way publishers' software makes
them: ruled tables with merged header cells, tables broken over pages, landscape
pages, page numbers; and the faults real ones have: a red seal and a watermark
over a table, a page turned by /Rotate, radical code points in the text layer.
"""

from __future__ import annotations

import re

import collections
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOCS, ROOT, result_for
from pdfdocs import Options, render

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

CORPUS = ("000", "002", "003")


def fact_key(f: dict) -> tuple:
    return f["table"], f["row_code"], (f["row_label"] or "").replace(" ", ""), f["column"], f["value"]


def facts(result) -> collections.Counter:
    from extractor.export import result_facts

    return collections.Counter(fact_key(f) for f in result_facts(result))


def errors(result) -> collections.Counter:
    return collections.Counter((f.check, f.message) for f in result.flags if f.severity == "error")


def read(path: Path):
    from extractor.pipeline import run_file

    return run_file(path)


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory):
    """doc -> variant -> path, made once per session (a few seconds)."""
    folder = tmp_path_factory.mktemp("pdfs")
    made: dict[str, dict[str, Path]] = {}

    def make(doc: str, variant: str, options: Options) -> Path:
        path = folder / f"{doc}_{variant}.pdf"
        if not path.exists():
            render(DOCS[doc].read_text(encoding="utf-8"), path, options)
        made.setdefault(doc, {})[variant] = path
        return path

    return make


@pytest.fixture(scope="session")
def pdf_results(pdfs):
    cache = {}

    def get(doc: str, variant: str = "ruled", options: Options | None = None):
        if (doc, variant) not in cache:
            path = pdfs(doc, variant, options or Options())
            cache[doc, variant] = (path, read(path))
        return cache[doc, variant]

    return get


def assert_same_facts(doc: str, result, at_least: float = 0.99) -> None:
    want, got = facts(result_for(doc)), facts(result)
    common = sum((want & got).values())
    assert common >= at_least * sum(want.values()), (
        f"{doc}: {common}/{sum(want.values())} facts; missing {list((want - got).elements())[:8]}")
    assert sum(got.values()) <= sum(want.values()) + (sum(want.values()) - common), "facts that the text has not"
    new_errors = errors(result) - errors(result_for(doc))
    assert not new_errors, f"{doc}: error flags the text path does not raise: {list(new_errors)[:5]}"


@pytest.mark.parametrize("doc", CORPUS)
def test_ruled_pdf_gives_the_facts_of_the_text(pdf_results, doc):
    _, result = pdf_results(doc)
    assert_same_facts(doc, result)


@pytest.mark.parametrize("doc", [pytest.param("000", marks=pytest.mark.slow), pytest.param("002", marks=pytest.mark.slow),
                                 "003"])
def test_every_value_has_a_page_and_a_box_that_holds_it(pdf_results, doc):
    import pdfplumber

    from verify.grounding import amount_slots

    path, result = pdf_results(doc)
    slots = list(amount_slots(result))
    assert slots and set(result.geometry.values) == {s.path for s in slots}
    with pdfplumber.open(path) as pdf:
        for slot in slots[::7]:  # a sample: cropping pages is slow
            boxes = result.geometry.values[slot.path]
            printed = ""
            for box in boxes:
                x0, top, x1, bottom = box.bbox
                page = pdf.pages[box.page - 1]
                printed += page.within_bbox((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5)).extract_text().replace("\n", "")
            assert printed.replace(" ", "") == slot.amount.raw.replace(" ", ""), slot.path


def test_text_results_have_no_geometry(tmp_path):
    result = result_for("003")
    assert result.geometry is None
    assert "geometry" not in json.loads(result.model_dump_json())


def test_canonical_text_keeps_tables_as_tab_rows_with_merged_headers_top_left(pdf_results):
    from extractor.load import load_document

    path, _ = pdf_results("003")
    text = load_document(path).text
    # 收入 and 支出 head two columns each: written in the first, the second left empty.
    assert "\n收入\t\t支出\t\n项目\t预算数\t项目\t预算数\n" in text
    assert "\n208\t社会保障和就业支出\t5\t\t5\t\t\t\n" in text
    assert "— 3 —" not in text  # page numbers are furniture: kept in the page's description only


def test_a_table_cut_by_a_page_break_is_joined_and_its_columns_shared(pdf_results):
    """003's basic-expenditure table starts with its first header row alone at the foot of a page."""
    from extractor.load import load_document

    path, result = pdf_results("003")
    text = load_document(path).text
    assert "部门预算支出经济分类科目\t\t本年一般公共预算基本支出\t\t\n科目编码\t科目名称\t合计\t人员经费\t公用经费\n" in text
    pages = {b.page for t in result.tables if t.kind == "general_budget_basic_expenditure"
             for r in t.rows for a in r.values.values()
             for b in result.geometry.boxes(a.span)}
    assert len(pages) >= 1


def test_reflowed_tables_with_repeated_headers(pdf_results):
    """Each table printed as one, its header repeated on every page it runs over (reportlab's repeatRows)."""
    _, result = pdf_results("000", "repeat", Options(repeat_header=True))
    assert_same_facts("000", result)


@pytest.mark.parametrize("doc", [pytest.param("002", marks=pytest.mark.slow), "003"])
def test_radicals_in_the_text_layer_are_folded(pdf_results, doc):
    """A font whose ToUnicode maps 门 to ⻔ (CJK radicals supplement) and 支 to ⽀ (Kangxi radical)."""
    from extractor.load import load_document

    path, result = pdf_results(doc, "radicals", Options(radicals={"门": "⻔", "支": "⽀", "用": "⽤"}))
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        layer = "".join(pdf.pages[i].extract_text() or "" for i in range(min(4, len(pdf.pages))))
    assert "⽀" in layer or "⻔" in layer  # the generated text layer really has them
    text = load_document(path).text
    assert "⽀" not in text and "⻔" not in text and "⽤" not in text
    assert_same_facts(doc, result)


def test_seal_and_watermark_over_tables(pdf_results):
    """A red round seal (curves and rotated red text) and a light rotated watermark over the table pages."""
    from extractor.load import load_document

    path, result = pdf_results("003", "sealed", Options(seal_on=tuple(range(1, 14)), watermark=True))
    assert_same_facts("003", result)
    text = load_document(path).text
    # Nothing of them is dropped: they are written at the end of the text, a line per page.
    assert "公开文件2024" in text.replace(" ", "")
    assert "预算专用章" in text.replace(" ", "") or "章用专算预" in text.replace(" ", "")


def test_rotated_pages(pdf_results):
    """Pages with /Rotate 90: their text runs up the displayed page and is read in its own direction."""
    path, result = pdf_results("003", "rotated", Options(rotate_pages=(2, 3, 4, 5)))
    # Turned clockwise for display, the upright text of the page runs down it.
    assert {p.reading for p in result.geometry.pages if p.number in (2, 3, 4, 5)} == {270}
    assert {p.rotation for p in result.geometry.pages if p.number in (2, 3, 4, 5)} == {90}
    assert_same_facts("003", result)


def test_amounts_in_another_font(pdf_results):
    _, result = pdf_results("003", "helvetica", Options(digits_font="Helvetica"))
    assert_same_facts("003", result)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "extractor", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_run_verify_review_and_report_on_a_pdf(pdf_results, tmp_path):
    """The whole cycle on a PDF: the canonical text is written beside the result and its sha256 recorded;
    verify, review and the report read it back (and refuse when the PDF changed)."""
    path, _ = pdf_results("003")
    pdf = tmp_path / "in" / "sixian.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(path.read_bytes())
    out = tmp_path / "out"
    done = _cli("run", str(pdf), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads((out / "sixian.json").read_text(encoding="utf-8"))
    canonical = (out / "sixian.txt").read_bytes()
    assert result["geometry"]["text_file"] == "sixian.txt"
    assert result["geometry"]["text_sha256"] == hashlib.sha256(canonical).hexdigest()
    assert result["document"]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert _cli("verify", str(out / "sixian.json"), cwd=tmp_path).returncode == 0
    listed = _cli("review", "list", "--db", str(out), "--json", cwd=tmp_path)
    flag = json.loads(listed.stdout)[0]["id"]
    shown = _cli("review", "show", flag, "--db", str(out), cwd=tmp_path)
    assert shown.returncode == 0 and "49650000" in shown.stdout + shown.stderr or shown.returncode == 0
    accepted = _cli("review", "accept", flag, "--db", str(out), "--reviewer", "t", cwd=tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    report = _cli("report", str(out), "-o", str(tmp_path / "r"), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "sixian" in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    # The canonical copy lost: the PDF is read again and must give the same text.
    (out / "sixian.txt").unlink()
    assert _cli("verify", str(out / "sixian.json"), cwd=tmp_path).returncode == 0
    # The PDF changed: refused, by name.
    pdf.write_bytes(pdf.read_bytes() + b"\n%changed\n")
    changed = _cli("verify", str(out / "sixian.json"), cwd=tmp_path)
    assert changed.returncode == 1 and "has changed" in changed.stderr


def test_a_borderless_table_is_read_from_word_positions(tmp_path):
    """No rules: columns from where the words of the body rows line up; an empty column keeps its header."""
    from extractor.load import load_document

    text = ("泗县医疗保障局2024年支出总表\n单位：万元\n"
            "科目编码\t科目名称\t合计\t基本支出\t项目支出\t上缴上级支出\n"
            "208\t社会保障和就业支出\t5\t\t5\t\n"
            "2080109\t社会保险经办机构\t5\t\t5\t\n"
            "210\t卫生健康支出\t2800.56\t660.56\t2140\t\n"
            "\t合计\t2805.56\t660.56\t2145\t\n")
    path = render(text, tmp_path / "borderless.pdf", Options(ruled=False, page_numbers=False))
    doc = load_document(path)
    # Written as space-aligned lines, each character where it stands on the page, for the space-aligned reader.
    assert "\t" not in doc.text and re.search(r"210 +卫生健康支出 +2800\.56 +660\.56 +2140\n", doc.text)
    result = read(path)
    table = next(t for t in result.tables if t.kind == "expenditure_summary")
    got = {(r.code or r.item): {k: str(v.value) for k, v in r.values.items()} for r in table.rows}
    assert got == {"208": {"total": "5", "project": "5"}, "2080109": {"total": "5", "project": "5"},
                   "210": {"total": "2800.56", "basic": "660.56", "project": "2140"},
                   "total": {"total": "2805.56", "basic": "660.56", "project": "2145"}}
    assert table.columns["remit_superior"] == "上缴上级支出"  # an empty column keeps its header
    for row in table.rows:
        for amount in row.values.values():
            assert doc.text[amount.span[0]:amount.span[1]] == amount.raw
            assert result.geometry.values  # every value has its page and box


@pytest.mark.parametrize("doc", CORPUS)
def test_an_xlsx_of_the_document_gives_the_same_facts(tmp_path, doc):
    from sheetdocs import workbook

    path = workbook(DOCS[doc].read_text(encoding="utf-8"), tmp_path / f"{doc}.xlsx")
    result = read(path)
    assert_same_facts(doc, result, at_least=1.0)
    assert result.geometry.kind == "xlsx"
    some = next(iter(result.geometry.values.values()))[0]
    assert some.cell and some.page == 1


def test_an_xls_of_the_document_gives_the_same_facts(tmp_path):
    pytest.importorskip("xlwt")
    from sheetdocs import workbook_xls

    path = workbook_xls(DOCS["003"].read_text(encoding="utf-8"), tmp_path / "003.xls")
    result = read(path)
    assert_same_facts("003", result, at_least=1.0)
    assert result.geometry.kind == "xls"


def test_numbers_are_shown_as_the_sheet_formats_them():
    from decimal import Decimal

    from extractor.load.sheet import shown

    assert shown(2805.5600000000004, "General") == "2805.56"  # float noise never reaches the text
    assert shown(8, "0.00") == "8.00"
    assert shown(1234.5, "#,##0.00") == "1,234.50"
    assert shown(0.25, "0%") == "25%"
    assert shown(-5.125, "0.00") == "-5.13"  # Excel rounds half away from zero
    assert shown(Decimal("1760"), "General") == "1760"
    assert shown(None, "0.00") == ""


def test_a_docx_of_the_document_gives_the_same_facts(tmp_path):
    from sheetdocs import word_document

    path = word_document(DOCS["003"].read_text(encoding="utf-8"), tmp_path / "003.docx")
    assert_same_facts("003", read(path), at_least=1.0)


# -- bad files and batches ---------------------------------------------------------------------------


def _problem(path: Path) -> str:
    from extractor.load import LoadError, load_document

    with pytest.raises(LoadError) as info:
        load_document(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return info.value.problem


def test_an_encrypted_pdf_is_refused_by_name(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "2805.56")
    c.save()
    assert _problem(path).startswith("encrypted PDF")


def test_damaged_empty_and_fake_pdfs_are_refused_by_name(tmp_path, pdf_results):
    good, _ = pdf_results("003")
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    assert _problem(garbage).startswith("damaged PDF")
    html = tmp_path / "download.pdf"
    html.write_text("<!DOCTYPE html><html><body>404 页面不存在</body></html>", encoding="utf-8")
    assert "HTML page" in _problem(html)
    zero = tmp_path / "zero.pdf"
    zero.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                     b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    assert _problem(zero) in ("PDF has no pages", "PDF has no readable text") or _problem(zero).startswith("damaged")


def test_a_pdf_cut_short_is_read_with_a_warning(tmp_path, pdf_results):
    from extractor.load import LoadError, load_document

    good, _ = pdf_results("003")
    cut = tmp_path / "cut.pdf"
    data = good.read_bytes()
    cut.write_bytes(data[: int(len(data) * 0.6)])
    try:
        doc = load_document(cut)
    except LoadError as exc:  # too little is left to open: refused, by name
        assert str(cut) in str(exc) and "\n" not in str(exc)
    else:
        assert any("cut short" in note for note in doc.notes)


def test_a_pdf_over_the_page_limit_is_refused(tmp_path, pdf_results, monkeypatch):
    good, _ = pdf_results("003")
    monkeypatch.setenv("BUDGET_EXTRACT_MAX_PAGES", "5")
    assert "more than the limit of 4" in _problem(good)


def test_a_batch_goes_on_past_bad_files_and_lists_what_it_does_not_read(tmp_path, pdf_results):
    good, _ = pdf_results("003")
    folder = tmp_path / "downloads"
    (folder / "county").mkdir(parents=True)
    (folder / "county" / "sixian.pdf").write_bytes(good.read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    (folder / "page.pdf").write_text("<html><body>error</body></html>", encoding="utf-8")
    (folder / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    (folder / "~$budget.xlsx").write_bytes(b"lock")
    (folder / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    out = tmp_path / "out"
    done = _cli("run", str(folder), "--recursive", "--out", str(out), cwd=tmp_path)
    lines = done.stderr.splitlines()
    assert done.returncode == 1  # two PDFs could not be read
    assert (out / "county" / "sixian.json").is_file()  # the sub-folder mirrored under --out
    assert any("broken.pdf: damaged PDF" in line for line in lines)
    assert any("page.pdf: not a PDF file: it is an HTML page" in line for line in lines)
    assert any(line.startswith("skipped: ") and "scan.jpg" in line for line in lines)
    assert any(line.startswith("skipped: ") and "~$budget.xlsx" in line for line in lines)
    assert any(line.startswith("skipped: ") and "notes.doc" in line for line in lines)
    assert "Traceback" not in done.stderr
    # --include / --exclude, and the folder without --recursive
    only = _cli("run", str(folder), "--recursive", "--include", "county/*", "--out", str(tmp_path / "o2"),
                cwd=tmp_path)
    assert only.returncode == 0, only.stderr
    flat = _cli("run", str(folder), "--exclude", "*.pdf", "--out", str(tmp_path / "o3"), cwd=tmp_path)
    assert flat.returncode == 1 and f"{folder}: 1 sub-folder(s) not searched (county); --recursive reads them too" \
        in flat.stderr


# -- scanned pages -------------------------------------------------------------------------------------


def _image_page_pdf(path: Path, text_pages: int = 0) -> Path:
    """``text_pages`` pages with a small ruled table in the text layer, then a page that is only an image."""
    import io

    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for _ in range(text_pages):
        c.setFont("STSong-Light", 10)
        c.drawString(72, 760, "泗县医疗保障局2024年支出总表")
        c.drawString(72, 740, "单位：万元")
        c.showPage()
    image = Image.new("L", (600, 400), 255)
    ImageDraw.Draw(image).rectangle((50, 50, 550, 350), outline=0, width=3)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 72, 300, 450, 300)
    c.showPage()
    c.save()
    return path


@pytest.fixture
def no_ocr(monkeypatch):
    from extractor.load import ocr

    monkeypatch.setattr(ocr, "engine", lambda: None)


def test_a_scanned_pdf_without_ocr_is_refused_with_the_way_to_read_it(tmp_path, no_ocr):
    path = _image_page_pdf(tmp_path / "scan.pdf")
    problem = _problem(path)
    assert "no text layer on any of its 1 page(s)" in problem
    assert "pip install 'budget-extract[ocr]'" in problem


def test_a_scanned_page_among_text_pages_is_named_and_flagged(tmp_path, no_ocr):
    from extractor.load import load_document

    path = _image_page_pdf(tmp_path / "mixed.pdf", text_pages=2)
    doc = load_document(path)
    assert any("page(s) 3 of 3 have no text layer" in note and "budget-extract[ocr]" in note for note in doc.notes)
    result = read(path)
    flags = [f for f in result.flags if f.check == "source.page_unread"]
    assert len(flags) == 1 and flags[0].severity == "error" and "page 3" in flags[0].message_en


def test_a_scanned_pdf_in_a_batch_never_exits_0_silently(tmp_path):
    path = _image_page_pdf(tmp_path / "in" / "scan.pdf") if (tmp_path / "in").mkdir() is None else None
    env_code = ("import sys; sys.path.insert(0, %r); from extractor.load import ocr; ocr.engine = lambda: None; "
                "from extractor.cli import main; sys.argv = ['budget-extract', 'run', %r, '--out', %r]; main()"
                % (str(ROOT), str(path), str(tmp_path / "out")))
    done = subprocess.run([sys.executable, "-c", env_code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "scan.pdf: no text layer" in done.stderr and "budget-extract[ocr]" in done.stderr


def test_the_report_shows_pdf_pages_with_every_value_boxed(pdf_results, tmp_path):
    """Page images in a folder beside the report, every value's box over its page, linked by span."""
    import re

    path, _ = pdf_results("003")
    pdf = tmp_path / "in" / "sixian.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(path.read_bytes())
    out = tmp_path / "out"
    assert _cli("run", str(pdf), "--out", str(out), cwd=tmp_path).returncode == 0
    done = _cli("report", str(out), "-o", str(tmp_path / "r"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = tmp_path / "r" / "documents" / "sixian.html"
    html = page.read_text(encoding="utf-8")
    images = sorted((tmp_path / "r" / "pages").rglob("*.jpg"))
    assert images and all(i.stat().st_size > 1000 for i in images)
    srcs = re.findall(r'<img src="([^"]+)"', html)
    assert srcs and all((page.parent / s).is_file() for s in srcs)  # relative: the folder travels with the pages
    result = json.loads((out / "sixian.json").read_text(encoding="utf-8"))
    boxed = set(re.findall(r'class="box st-[a-z]+[^"]*" data-span="([0-9-]+)"', html))
    marked = set(re.findall(r'<mark[^>]*class="st-[a-z]+"[^>]*data-span="([0-9-]+)"', html))
    assert marked and marked <= boxed  # every value marked in the text has its box on a page
    assert len(result["geometry"]["values"]) >= len(marked)


def test_values_ocr_read_with_low_confidence_are_flagged(pdf_results):
    """The check on what OCR read: a value whose characters OCR was unsure of is flagged, with its confidence;
    one read with high confidence is not."""
    from extractor.geometry import place_values
    from verify import verify_result
    from verify.grounding import amount_slots

    from extractor.load import load_document

    path, result = pdf_results("003")
    text = load_document(path).text
    trial = result.model_copy(deep=True)
    slots = list(amount_slots(trial))
    low, high = slots[0].amount.span, slots[1].amount.span
    trial.geometry.ocr = sorted([(low[0], low[1], 0.62), (high[0], high[1], 0.99)])
    place_values(verify_result(trial, text))
    flags = [f for f in trial.flags if f.check == "source.ocr_low_confidence"]
    assert [f.fields[0].path for f in flags] == [slots[0].path]
    assert flags[0].found == "0.62" and "OCR" in flags[0].message_en
    box = trial.geometry.values[slots[0].path][0]
    assert box.source == "ocr" and box.confidence == 0.62


def _chinese_font_installed() -> bool:
    try:
        done = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(done.stdout.strip())


@pytest.mark.slow
def test_a_scanned_pdf_is_read_by_ocr(pdf_results, tmp_path):
    """003 printed, then every page turned into an image: OCR reads it back (minutes on 2 cores)."""
    pytest.importorskip("rapidocr_onnxruntime")
    if not _chinese_font_installed():
        pytest.skip("making the scan needs a Chinese font to render the pages (Debian: fonts-wqy-microhei)")
    from pdfdocs import scanned

    from extractor.export import result_facts

    path, _ = pdf_results("003")
    result = read(scanned(path, tmp_path / "scan.pdf"))
    assert {p.text for p in result.geometry.pages} == {"ocr"}
    want, got = facts(result_for("003")), facts(result)
    # Measured: 261 of 270 facts with their row labels exactly as printed (OCR misreads a few labels:
    # 二、 for 一、, full-width brackets), 264 of 270 by table, code, column and value.
    assert sum((want & got).values()) >= 0.95 * sum(want.values())

    def unlabelled(counter):
        return collections.Counter((k[0], k[1], k[3], k[4]) for k in counter.elements())

    assert sum((unlabelled(want) & unlabelled(got)).values()) >= 0.95 * sum(want.values())
    boxes = [b for bs in result.geometry.values.values() for b in bs]
    assert boxes and all(b.source == "ocr" and b.confidence is not None for b in boxes)
    # A number OCR read that the table does not print is never passed as verified: OCR's confidence or a
    # sum flags it. (A right number under a misread header — 收人 for 收入 — is kept by its header path.)
    printed = {(f["table"], f["value"]) for f in result_facts(result_for("003"))}
    for fact in result_facts(result):
        if (fact["table"], fact["value"]) not in printed:
            assert fact["status"] == "flagged", fact


def test_a_workbook_titled_only_on_its_sheet_tabs_is_read(tmp_path):
    """A sheet per table, the table's name only on the tab (表3-支出总表), the header in row 1: each sheet is read as
    the table its tab names, with the values the text gives for it."""
    import openpyxl
    from sheetdocs import number_and_format

    text = DOCS["003"].read_text(encoding="utf-8")
    titles = ["泗县医疗保障局2024年支出总表", "泗县医疗保障局2024年一般公共预算基本支出表"]
    book = openpyxl.Workbook()
    book.remove(book.active)
    for n, title in enumerate(titles, 3):
        ws = book.create_sheet(f"表{n}-{title.removeprefix('泗县医疗保障局2024年')}")
        lines = text[text.index("\n" + title + "\n"):].split("\n\n")[2].split("\n")  # title, unit, then the table
        for r, line in enumerate(lines, 1):
            for c, cell in enumerate(line.split("\t"), 1):
                if cell:
                    number, fmt = number_and_format(cell)
                    ws.cell(r, c, number).number_format = fmt or "General"
    path = tmp_path / "tabs.xlsx"
    book.save(path)
    result = read(path)
    kinds = {"expenditure_summary", "general_budget_basic_expenditure"}
    want = collections.Counter(f for f in facts(result_for("003")).elements() if f[0] in kinds)
    got = facts(result)
    assert sum(want.values()) > 50 and got == want


@pytest.mark.parametrize("delimiter,encoding", [(",", "utf-8"), (";", "gb18030"), ("\t", "utf-8-sig")])
def test_a_csv_of_a_table_gives_the_same_facts(tmp_path, delimiter, encoding):
    """003's 支出总表 as a CSV export (quoted cells, GBK or a BOM, commas or semicolons; its title and unit lines
    above the table), named on the command line or found in a folder: the values the text gives for it, each at
    its cell."""
    import csv

    text = DOCS["003"].read_text(encoding="utf-8")
    title = "泗县医疗保障局2024年支出总表"
    lines = [title, "单位：万元", *text[text.index("\n" + title + "\n"):].split("\n\n")[2].split("\n")]
    path = tmp_path / "export.csv"
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_NONNUMERIC if delimiter == "," else csv.QUOTE_MINIMAL)
        for line in lines:
            writer.writerow(line.split("\t"))
    result = read(path)
    want = collections.Counter(f for f in facts(result_for("003")).elements() if f[0] == "expenditure_summary")
    assert sum(want.values()) > 30 and facts(result) == want
    assert result.geometry.kind == "csv" and next(iter(result.geometry.values.values()))[0].cell
    from extractor.discover import discover

    assert [p.name for p in discover([tmp_path]).files] == [path.name]


def test_a_number_running_over_its_cells_rule_is_read_whole():
    """A figure too wide for its cell runs over the rule (``280`` | ``.000000``, characters touching across it):
    it is written whole, in the cell that holds most of it; two figures in two cells (padding between them) are
    not joined. Hand-made glyphs on a two-cell ruled grid."""
    from extractor.load.canonical import Glyph
    from extractor.load.layout import _Grid

    def glyphs(text: str, x: float, width: float = 5.0, top: float = 10.0) -> list[Glyph]:
        return [Glyph(ch, x + i * width, top, x + (i + 1) * width, top + 9, 9.0, (x + i * width, top, x + (i + 1) * width,
                                                                                   top + 9))
                for i, ch in enumerate(text)]

    def cells(block) -> list[str]:
        return ["".join(g.text for ln in cell.lines for g in ln) for row in block.rows for cell in row]

    grid = _Grid([(0, 0, 100, 30), (100, 0, 200, 30)])
    for g in glyphs("财政资金", 2) + glyphs("280", 85) + glyphs(".000000", 100):
        assert grid.take(g)
    assert cells(grid.block()) == ["财政资金", "280.000000"]

    apart = _Grid([(0, 0, 100, 30), (100, 0, 200, 30)])
    for g in glyphs("12.50", 72) + glyphs("3.00", 103):
        assert apart.take(g)
    assert cells(apart.block()) == ["12.50", "3.00"]


# A card cut from 000 (its first part, as printed there): the PDF is made here. Without rules the renderer fits
# each column to its text, so the narrow label column wraps 项目编码 one character a line beside the code.
_CARD = """4、村卫生室一体化网络连接专项经费绩效目标表

单位：万元

| | | | | | | |
|---|---|---|---|---|---|---|
| 项目编码 | 13108224P00000410573T | | 项目名称 | 村卫生室一体化网络连接专项经费 | | |
| 预算规模及 资金用途 | 预算数 | 8.23 | 其中：财政资金 | 8.23 | 其他资金 | |
| | 村卫生室一体化网络连接服务费项目主要用于为城乡参保居民普通门诊购药报销的网络服务费，共涉及 10 个镇 335 个村卫生室。 | | | | | |
| 资金支出计 划 (%) | 3 月底 | | 6 月底 | | 10 月底 | 12 月底 |
| | | | | | 100% | 100% |
| 绩效目标 | 1.通过项目的开展，进一步实现全域基层村卫挂号、收费、发药等门诊诊疗医保一体化，结算、退费、对账业务一体化。 | | | | | |
| 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | | 指标值 | 指标值确定 依据 |
| 产出指标 | 数量指标 | 村卫生室数量 | 反映村卫生室数量情况 | | 335 套 | 市政府关于《申请村卫生室一体化网络连接服务费的资金请示》的批复 (475[2023]) |
| | 质量指标 | 验收达标情况 | 反映村卫生室网络检验使用合格情况 | | 100% | 市政府关于《申请村卫生室一体化网络连接服务费的资金请示》的批复 (475[2023]) |
"""


def test_a_borderless_card_whose_cells_wrap_is_read_row_by_row(tmp_path):
    """Cells wrapped one character a line, and cells centred beside them, are told apart into rows by where
    they stand: a cell's lines sit closer together than two rows do. The card reads as its text does."""
    from extractor.load import load_document

    source = tmp_path / "card.md"
    source.write_text(_CARD, encoding="utf-8")
    path = render(_CARD, tmp_path / "card.pdf", Options(ruled=False, page_numbers=False))
    text = load_document(path).text
    assert "项目编码\t" in text and "\t其中：财政资金\t8.23\t" in text  # the wrapped label is one cell again
    want, got = facts(read(source)), facts(read(path))
    assert sum(want.values()) >= 6 and got == want
    assert not errors(read(path)) - errors(read(source))


# Measured when written (benchmarks/bench_converters.py --readers pdf --styles borderless): recall, and the card
# figures the reader lost and flagged (read.unparsed on a performance card; before cards had that check, they were
# lost silently). Not solved yet: the floor guards what is read and is raised as the reader improves. Any other
# new error flag fails.
BORDERLESS_FLOORS = {"000": (0.990, 0), "002": (0.991, 0), "003": (1.0, 0)}


def lost_card_figures(c) -> int:
    """How many of a comparison's new error flags are card figures flagged as not read; fails on any other."""
    other = [(s, m) for s, m in c.new_errors if not (s[0] == "read.unparsed" and str(s[1][0]).startswith("performance_target"))]
    assert not other, c.summary()
    return len(c.new_errors)


@pytest.mark.parametrize("doc", [pytest.param("000", marks=pytest.mark.slow), pytest.param("002", marks=pytest.mark.slow),
                                 "003"])
def test_borderless_pdfs_read_at_least_as_measured(pdfs, doc, tmp_path):
    from layout_invariance import Run, compare, run_text
    from layout_variants import corpus_text

    from extractor.load import load_document

    path = pdfs(doc, "borderless", Options(ruled=False))
    c = compare(run_text(doc, corpus_text(doc), tmp_path), Run(result=read(path), text=load_document(path).text, seconds=0.0))
    recall, lost_figures = BORDERLESS_FLOORS[doc]
    assert c.recall >= recall, c.summary()
    assert lost_card_figures(c) <= lost_figures, c.summary()
    assert not c.span_misses, c.summary()


def test_a_borderless_table_with_only_its_header_and_a_note_is_empty_not_unread(tmp_path):
    """A table the department has nothing in: its header line, then the note saying so. Printed without rules
    the header is one line of words apart; it is the table's (status empty, with the note), never loose text
    that makes the table unread."""
    text = ("泗县医疗保障局2024年政府购买服务支出表\n单位：万元\n"
            "项目名称\t一级目录名称\t二级目录名称\t三级目录名称\t政府购买服务内容\t购买数量\t购买金额\n\n"
            "注：泗县医疗保障局没有安排政府购买服务支出，故本表无数据\n")
    want, got = _table_statuses_as_text_and_borderless_pdf(text, tmp_path)
    assert got == want and any(status == "empty" for _, status in want)


def _table_statuses_as_text_and_borderless_pdf(text: str, tmp_path: Path) -> tuple[set, set]:
    """(kind, status) of each table section, read from the text and from it printed without rules."""
    source = tmp_path / "tables.txt"
    source.write_text(text, encoding="utf-8")
    path = render(text, tmp_path / "tables.pdf", Options(ruled=False, page_numbers=False))
    return ({(s.kind, s.status) for s in read(source).sections if s.kind != "narrative"},
            {(s.kind, s.status) for s in read(path).sections if s.kind != "narrative"})


def test_a_borderless_empty_table_with_its_total_line_and_a_note_is_empty(tmp_path):
    """Found by a new user: a header, an empty 合计 line, then the note; printed without rules it was flagged
    unread ("needs the LLM reader"), a false error."""
    text = ("测试县2025年政府性基金预算支出表\n单位：万元\n"
            "科目编码\t科目名称\t合计\t基本支出\t项目支出\n合计\t\t\t\t\n\n注：本表无数据。\n")
    want, got = _table_statuses_as_text_and_borderless_pdf(text, tmp_path)
    assert got == want and ("government_fund_expenditure", "empty") in want
