"""What OCR reads from a scan is checked as a reading, not trusted as a text layer.

- every amount OCR read in a table goes into a value, a label or an unreadable cell, or is flagged
  (``source.ocr_unread``): a printed number is never dropped silently;
- a table OCR read with a line missing its code between coded lines, or a cell holding two numbers, is a reading
  doubt (``source.ocr_structure``): the sums that fail on it are taken into that flag, not reported as faults of the
  document;
- a line OCR read across a table's vertical rule (`3637.28 1415.06`, `20.060.00`) is cut at the rule, and a page
  scanned askew is straightened before it is read.

The verify-level tests read a generated text-layer PDF and then mark its text as OCR'd (``geometry.ocr``), as a
scan read by the engine would be: fast, and the same checks. Reading real scans with the engine is slow (``-m slow``).
"""

from __future__ import annotations

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

BASIC = [
    ("301", "工资福利支出", "1200.00", "1200.00", ""),
    ("30101", "基本工资", "500.00", "500.00", ""),
    ("30102", "津贴补贴", "700.00", "700.00", ""),
    ("302", "商品和服务支出", "200.06", "", "200.06"),
    ("30201", "办公费", "100.06", "", "100.06"),
    ("30299", "其他商品和服务支出", "100.00", "", "100.00"),
    ("303", "对个人和家庭的补助", "15.00", "15.00", ""),
    ("30302", "退休费", "15.00", "15.00", ""),
    ("", "合计", "1415.06", "1215.00", "200.06"),
]


def _text(rows) -> str:
    lines = ["平安县卫生健康委员会2025年一般公共预算基本支出表", "单位：万元", "科目编码\t科目名称\t合计\t人员经费\t公用经费"]
    lines += ["\t".join(r) for r in rows]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def read_pdf(tmp_path_factory):
    from extractor.load import load_document
    from extractor.pipeline import run_file
    from pdfdocs import render

    folder = tmp_path_factory.mktemp("ocr")

    def read(name: str, rows):
        path = render(_text(rows), folder / f"{name}.pdf")
        return run_file(path), load_document(path).text

    return read


def _as_ocr(result, text: str):
    """The result as if its page had been a scan read by OCR with confidence 0.99: the same checks apply."""
    from verify import verify_result

    trial = result.model_copy(deep=True)
    trial.flags = []
    trial.geometry.ocr = [(0, len(text), 0.99)]
    return verify_result(trial, text)


def test_a_line_missing_its_code_on_an_ocr_page_is_a_reading_doubt_not_the_documents_fault(read_pdf):
    rows = [r if r[0] != "303" else ("", *r[1:]) for r in BASIC]  # OCR dropped the short code 303
    result, text = read_pdf("nocode", rows)
    # On a text layer the document itself prints no code there: the sum that fails is the document's.
    assert any(f.check == "table.hierarchy" and f.severity == "error" for f in result.flags)
    ocr = _as_ocr(result, text)
    assert not [f for f in ocr.flags if f.check.startswith(("table.", "cross.", "narrative."))
                and f.severity == "error"]
    (doubt,) = [f for f in ocr.flags if f.check == "source.ocr_structure"]
    assert "对个人和家庭的补助" in doubt.message and "table.hierarchy" in doubt.message
    assert "not reported as faults of the document" in doubt.message_en
    flagged = {ref.path for ref in doubt.fields}
    assert any("合计" in p or "total" in p for p in flagged)  # the total the failed sum was about stays flagged


def test_a_clean_ocr_table_raises_no_doubt(read_pdf):
    result, text = read_pdf("clean", BASIC)
    ocr = _as_ocr(result, text)
    assert not [f for f in ocr.flags if f.severity == "error"]
    assert not [f for f in ocr.flags if f.check.startswith("source.ocr_")]


def test_an_amount_ocr_read_that_went_into_no_value_is_flagged(read_pdf):
    result, text = read_pdf("dropped", BASIC)
    trial = result.model_copy(deep=True)
    (table,) = trial.tables
    row = next(r for r in table.rows if r.code == "30201")
    lost = row.values.pop("public")  # as a reader that lost a column's number would
    assert lost.raw == "100.06"
    ocr = _as_ocr(trial, text)
    (flag,) = [f for f in ocr.flags if f.check == "source.ocr_unread"]
    assert "100.06" in flag.message and tuple(lost.span) in [tuple(s) for s in flag.spans]
    # A text layer is not second-guessed this way: the check is on what OCR read.
    from verify import verify_result

    plain = verify_result(trial.model_copy(deep=True), text)
    assert not [f for f in plain.flags if f.check == "source.ocr_unread"]


def test_a_recognised_line_across_a_rule_is_cut_there():
    from extractor.load.ocr import split_at_rules

    assert [p[0] for p in split_at_rules("3637.28 1415.06", 100, 200, [150])] == ["3637.28", "1415.06"]
    # No space between: the cut leaves a whole amount on each side, not 20.060 | .00.
    for rule in (123, 125, 127):
        pieces = split_at_rules("20.060.00", 100, 145, [rule])
        assert [p[0] for p in pieces] == ["20.06", "0.00"]
        assert pieces[0][2] < rule < pieces[1][1]  # each piece on its own side of the rule
    assert [p[0] for p in split_at_rules("项目 预算数", 100, 180, [135])] == ["项目", "预算数"]
    assert split_at_rules("1234.56", 100, 140, []) == [("1234.56", 100, 140)]


def test_a_page_scanned_askew_is_straightened_and_its_boxes_stay_on_the_page():
    pytest.importorskip("cv2")
    from PIL import Image, ImageDraw

    from extractor.load.canonical import Glyph
    from extractor.load.ocr import _on_page, deskew

    page = Image.new("RGB", (1600, 2200), "white")
    draw = ImageDraw.Draw(page)
    for y in range(300, 1800, 60):
        draw.line((200, y, 1400, y), fill="black", width=2)
    for x in (200, 500, 800, 1100, 1400):
        draw.line((x, 300, x, 1740), fill="black", width=2)
    assert deskew(page)[1] is None  # straight: left alone
    skewed = page.rotate(0.8, fillcolor="white")
    straight, back = deskew(skewed)
    assert back is not None and deskew(straight)[1] is None  # within 0.1° after
    # A box on the straightened page maps back onto the skewed page where the rotation put it.
    scale = 72 / 200
    corner = (1400, 300)  # a table corner, in pixels of the straight page
    g = Glyph("x", 0, 0, 1, 1, 1, (corner[0] * scale, corner[1] * scale, (corner[0] + 1) * scale,
                                   (corner[1] + 1) * scale))
    import numpy as np

    ink = np.asarray(skewed.convert("L")) < 128
    box = _on_page(g, back, scale).box
    x, y = round(box[0] / scale), round(box[1] / scale)
    assert ink[y - 3:y + 4, x - 3:x + 4].any()


@pytest.mark.slow
def test_a_skewed_scan_with_merged_cells_is_read_with_no_fault_blamed_on_the_document(read_pdf, tmp_path):
    """The basic-expenditure table printed, scanned at 150 dpi and turned 0.8°: read by the engine, every amount is
    a value or flagged, and no sum check blames the document (minutes on 2 cores)."""
    pytest.importorskip("rapidocr_onnxruntime")
    import io
    import subprocess

    import pypdfium2 as pdfium

    from extractor.pipeline import run_file
    from pdfdocs import render

    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    if not fonts.strip():
        pytest.skip("making the scan needs a Chinese font to render the pages (Debian: fonts-wqy-microhei)")
    source = render(_text(BASIC), tmp_path / "basic.pdf")
    doc = pdfium.PdfDocument(str(source))
    scan = pdfium.PdfDocument.new()
    width, height = doc[0].get_size()
    image = doc[0].render(scale=150 / 72, grayscale=True).to_pil().rotate(0.8, fillcolor=255)
    buf = io.BytesIO()
    image.convert("L").save(buf, "JPEG", quality=85)
    buf.seek(0)
    page = scan.new_page(width, height)
    picture = pdfium.PdfImage.new(scan)
    picture.load_jpeg(buf, inline=False)
    picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(picture)
    page.gen_content()
    path = tmp_path / "scan.pdf"
    scan.save(str(path))
    result = run_file(path)
    assert result.geometry.pages[0].text == "ocr"
    blamed = [f for f in result.flags if f.severity == "error" and f.check.startswith(("table.", "cross."))]
    assert not blamed, [f.message for f in blamed]
    amounts = sorted({a for r in BASIC for a in r[2:] if a})
    read = {v.raw for t in result.tables for r in t.rows for v in r.values.values()}
    flagged = " ".join(f.message for f in result.flags if f.check in ("source.ocr_unread", "read.unparsed"))
    assert all(a in read or a in flagged for a in amounts)


def test_two_amounts_ocr_read_apart_on_each_side_of_a_rule_stay_in_their_cells():
    """The 三公 table's total row as the engine read a scan of it (its boxes, in points): 20.06 ends 0.4 pt before
    the rule, 0.00 starts 0.8 pt after it. A text layer's number running over a rule is one number; OCR's two boxes
    are two (they were written `20.060.00` into one cell)."""
    from extractor.load.canonical import TextBuilder
    from extractor.load.layout import write_table
    from extractor.load.ocr import _line_glyphs
    from extractor.load.pdf import layout_page

    xs, top, bottom = [130.3, 155.2, 233.3, 258.1], 120.0, 140.4

    def rule(x0, t, x1, b, o):
        return {"x0": x0, "x1": x1, "top": t, "bottom": b, "width": x1 - x0, "height": b - t, "orientation": o,
                "object_type": "line"}

    edges = [rule(x, 100.0, x, bottom, "v") for x in xs] + [rule(xs[0], y, xs[-1], y, "h") for y in (100.0, top, bottom)]
    glyphs = _line_glyphs("合计", 134.1, 104, 154.8, 115, 0.99) + _line_glyphs("因公出国", 157.3, 104, 230.5, 115, 0.99) \
        + _line_glyphs("小计", 236.0, 104, 255.4, 115, 0.99) + _line_glyphs("20.06", 132.8, 126.9, 154.8, 137.9, 0.99) \
        + _line_glyphs("0.00", 156.0, 126.5, 173.4, 137.9, 0.99) + _line_glyphs("15.06", 234.7, 125.6, 257.5, 138.4, 0.99)
    (table,) = layout_page(glyphs, edges).blocks
    out = TextBuilder()
    write_table(out, table, 1)
    assert out.text().splitlines()[-1] == "20.06\t0.00\t15.06"


def test_a_page_number_as_ocr_reads_it_is_taken_out_like_a_text_layers():
    """OCR reads a printed `— 3 —` as `-31` or `-3—`: left in, it sat between a title and its table on the next page
    and was read as a row of the table (its header then taken for a row: every value under no header)."""
    from extractor.load.ocr import _line_glyphs
    from extractor.load.pdf import _OCR_PAGE_NUMBER, _take_page_number, layout_page

    for printed in ("-31", "-3—", "—4—", "— 7 —"):
        glyphs = _line_glyphs("平安县卫生健康委员会2025年一般公共预算支出表", 100, 700, 450, 716, 0.99) \
            + _line_glyphs(printed, 288, 797, 318, 813, 0.95)
        blocks = layout_page(glyphs, [])
        assert _take_page_number(blocks, 841.9, _OCR_PAGE_NUMBER) == printed
        assert [b.text() for b in blocks.blocks] == ["平安县卫生健康委员会2025年一般公共预算支出表"]
    blocks = layout_page(_line_glyphs("合计", 100, 700, 130, 716, 0.99) + _line_glyphs("-12.50", 288, 797, 318, 813, 0.95), [])
    assert _take_page_number(blocks, 841.9, _OCR_PAGE_NUMBER) is None  # an amount is no page number


def test_a_sum_that_fails_over_digits_ocr_read_says_the_misread_may_be_ocr_s(read_pdf):
    """OCR misreads a digit with high confidence (1200.00 read as 1280.00) and nothing in the table's shape betrays
    it: the failed sum is an error still, and its message says the figures were OCR's and to check the page."""
    rows = [r if r[0] != "30101" else ("30101", "基本工资", "580.00", "580.00", "") for r in BASIC]
    result, text = read_pdf("misread", rows)
    on_text_layer = [f for f in result.flags if f.check == "table.hierarchy" and f.severity == "error"]
    assert on_text_layer and not any("OCR" in f.message for f in on_text_layer)
    ocr = _as_ocr(result, text)
    failed = [f for f in ocr.flags if f.check == "table.hierarchy" and f.severity == "error"]
    assert {f.id for f in failed} == {f.id for f in on_text_layer}  # the same questions, so decisions carry over
    assert all("也可能是识别错误" in f.message and "misread digit" in f.message_en for f in failed)
