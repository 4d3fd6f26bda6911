"""Pages as publishers store them: turned by /Rotate (0, 90, 180, 270) over a portrait or a landscape MediaBox,
their text upright as displayed or running sideways, a CropBox inside the MediaBox.

Every value's box must hold its digits on the page as displayed (cropped with pdfplumber), a printed line one box,
the page's size the displayed one (as pdfium renders it), and the report's boxes must sit on the digits of the
page image it shows.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")
pdfium = pytest.importorskip("pypdfium2")

ROWS = [
    ("208", "社会保障和就业支出", "120.50", "120.50", ""),
    ("20805", "行政事业单位养老支出", "120.50", "120.50", ""),
    ("2080505", "机关事业单位基本养老保险缴费支出", "120.50", "120.50", ""),
    ("210", "卫生健康支出", "3456.78", "1234.56", "2222.22"),
    ("21001", "卫生健康管理事务", "1534.56", "1234.56", "300.00"),
    ("2100101", "行政运行", "1234.56", "1234.56", ""),
    ("2100199", "其他卫生健康管理事务支出", "300.00", "", "300.00"),
    ("21004", "公共卫生", "1922.22", "", "1922.22"),
    ("2100408", "基本公共卫生服务", "1922.22", "", "1922.22"),
    ("", "合计", "3577.28", "1355.06", "2222.22"),
]
AMOUNTS = sorted({Decimal(a) for r in ROWS for a in r[2:] if a})

PORTRAIT, LANDSCAPE = (595.0, 842.0), (842.0, 595.0)


def _display_matrix(rotation: int, width: float, height: float) -> tuple:
    """The content transform that makes drawing in displayed coordinates (origin bottom-left of the page as shown)
    come out upright after the viewer turns the page clockwise by ``rotation``."""
    return {0: (1, 0, 0, 1, 0, 0), 90: (0, 1, -1, 0, width, 0), 180: (-1, 0, 0, -1, width, height),
            270: (0, -1, 1, 0, 0, height)}[rotation]


def make_page_pdf(path: Path, rotation: int, media: tuple[float, float], upright: bool,
                  crop: tuple[float, float, float, float] | None = None) -> Path:
    """One page: a title, a unit line and a ruled 支出总表, the page turned by /Rotate ``rotation``.

    ``upright``: drawn so that it reads upright as displayed (a landscape table on a page turned for display);
    otherwise drawn in the page's own coordinates, so that the displayed text runs sideways (or upside down)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = media
    # reportlab writes the MediaBox of a page turned by 90 or 270 degrees turned: given it turned, it stores ``media``.
    c = canvas.Canvas(str(path), pagesize=(height, width) if rotation in (90, 270) else media, invariant=1)
    c.setPageRotation(rotation)
    if crop:
        c.setCropBox(crop)
    if upright:
        c.transform(*_display_matrix(rotation, width, height))
        shown = (height, width) if rotation in (90, 270) else (width, height)
    else:
        shown = (width, height)
    w, h = shown
    c.setFont("STSong-Light", 14)
    c.drawCentredString(w / 2, h - 70, "平安县卫生健康委员会2025年部门支出总表")
    c.setFont("STSong-Light", 9)
    c.drawRightString(w - 60, h - 88, "单位：万元")
    widths, rh, x, y = [62, 170, 66, 66, 66], 16, 60, h - 96
    rows = [("科目编码", "科目名称", "合计", "基本支出", "项目支出"), *ROWS]
    for i in range(len(rows) + 1):
        c.line(x, y - i * rh, x + sum(widths), y - i * rh)
    xx = x
    for wd in [*widths, 0]:
        c.line(xx, y, xx, y - len(rows) * rh)
        xx += wd
    for i, row in enumerate(rows):
        xx, base = x, y - (i + 1) * rh + 5
        for j, (wd, cell) in enumerate(zip(widths, row)):
            if j >= 2 and i:
                c.setFont("Helvetica", 8)
                c.drawRightString(xx + wd - 3, base, cell)
            else:
                c.setFont("STSong-Light", 8)
                c.drawString(xx + 3, base, cell)
            xx += wd
    c.showPage()
    c.save()
    return path


VARIANTS = {
    **{f"r{r}_{m}_upright": (r, size, True, None) for r in (0, 90, 180, 270)
       for m, size in (("portrait", PORTRAIT), ("landscape", LANDSCAPE))},
    **{f"r{r}_{m}_sideways": (r, size, False, None) for r in (90, 180, 270)
       for m, size in (("portrait", PORTRAIT), ("landscape", LANDSCAPE))},
    "r0_cropped": (0, PORTRAIT, True, (20, 30, 575, 800)),
    "r90_cropped": (90, PORTRAIT, True, (25, 40, 570, 820)),
    "r270_cropped_sideways": (270, LANDSCAPE, False, (30, 20, 800, 580)),
}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "extractor", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def turned(tmp_path_factory):
    """Every variant made, read by `run` and shown by `report`: (pdf folder, results folder, report folder)."""
    root = tmp_path_factory.mktemp("turned")
    pdfs = root / "pdf"
    pdfs.mkdir()
    for name, (rotation, media, upright, crop) in VARIANTS.items():
        make_page_pdf(pdfs / f"{name}.pdf", rotation, media, upright, crop)
    out, rep = root / "out", root / "rep"
    done = _cli("run", str(pdfs), "-o", str(out), cwd=root)
    assert done.returncode == 0, done.stderr
    done = _cli("report", str(out), "-o", str(rep), cwd=root)
    assert done.returncode == 0, done.stderr
    return pdfs, out, rep


def _result(out: Path, name: str) -> dict:
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))


def _values(result: dict) -> dict[str, str]:
    """Every value's path (as geometry.values keys it) → its printed text."""
    from schemas import ExtractionResult
    from verify.grounding import amount_slots

    return {s.path: s.amount.raw for s in amount_slots(ExtractionResult.model_validate(result))}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_turned_pages_have_their_displayed_size_and_each_value_one_box_on_its_digits(turned, name):
    import pdfplumber

    pdfs, out, _ = turned
    result = _result(out, name)
    rotation, media, _, _ = VARIANTS[name]
    page = result["geometry"]["pages"][0]
    doc = pdfium.PdfDocument(str(pdfs / f"{name}.pdf"))
    shown_w, shown_h = (media[1], media[0]) if rotation in (90, 270) else media
    assert [round(v) for v in doc[0].get_mediabox()] == [0, 0, *media]  # the page is stored as the variant says
    assert page["rotation"] == rotation
    assert (page["width"], page["height"]) == (pytest.approx(shown_w, abs=0.1), pytest.approx(shown_h, abs=0.1))
    doc.close()
    values = _values(result)
    read = {Decimal(raw) for raw in values.values()}
    assert AMOUNTS == sorted(read)  # every printed amount read, nothing else
    boxes = result["geometry"]["values"]
    with pdfplumber.open(pdfs / f"{name}.pdf") as pdf:
        shown = pdf.pages[0]
        for path, raw in values.items():
            assert len(boxes[path]) == 1, (path, boxes[path])  # one printed line, one box: not one per character
            x0, top, x1, bottom = boxes[path][0]["bbox"]
            chars = shown.within_bbox((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5)).chars
            assert "".join(sorted(ch["text"] for ch in chars)) == "".join(sorted(raw)), path


_BOX = re.compile(r'<div class="box st-[a-z]+[^"]*" data-span="[0-9-]+" style="left:([-0-9.]+)%;top:([-0-9.]+)%;'
                  r'width:([0-9.]+)%;height:([0-9.]+)%"')


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_reports_boxes_sit_on_the_digits_of_the_page_image(turned, name):
    """Ink inside every box of the report's page image, spread along most of the box: the digits it stands for."""
    from PIL import Image

    _, out, rep = turned
    html = (rep / "documents" / f"{name}.html").read_text(encoding="utf-8")
    image = Image.open(rep / "pages" / name / "1.jpg").convert("L")
    iw, ih = image.size
    boxes = _BOX.findall(html)
    assert len(boxes) == len(_values(_result(out, name)))
    for left, top, width, height in boxes:
        x0, y0 = float(left) / 100 * iw, float(top) / 100 * ih
        x1, y1 = x0 + float(width) / 100 * iw, y0 + float(height) / 100 * ih
        assert 0 <= x0 < x1 <= iw and 0 <= y0 < y1 <= ih
        # Dark pixels white, the rest black: getbbox() is then the extent of the ink in the box.
        ink = image.crop((int(x0), int(y0), int(x1) + 1, int(y1) + 1)).point(lambda p: 255 if p < 128 else 0)
        extent = ink.getbbox()
        assert extent is not None, (left, top)
        covered = extent[2] - 1 - extent[0] if x1 - x0 >= y1 - y0 else extent[3] - 1 - extent[1]
        assert covered >= 0.5 * max(x1 - x0, y1 - y0), (left, top)


# -- a file encrypted with an owner password only ----------------------------------------------------------------


def _owner_only(path: Path, rotation: int = 0, upright: bool = True) -> Path:
    """The table page encrypted as publishers protect disclosures: no password to open, one to edit. reportlab
    leaves the CID font's strings (Registry, Ordering) unencrypted, so pdfminer decrypts them into garbage and
    finds no Unicode for any character of the font; viewers (and pdfium) show the text."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    real = canvas.Canvas

    def protected(*args, **kwargs):
        return real(*args, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canModify=0), **kwargs)

    canvas.Canvas = protected
    try:
        return make_page_pdf(path, rotation, PORTRAIT if rotation in (0, 180) else LANDSCAPE, upright)
    finally:
        canvas.Canvas = real


@pytest.mark.parametrize("rotation,upright", [(0, True), (90, True), (270, False)])
def test_an_owner_password_pdf_with_a_cid_font_is_read(tmp_path, rotation, upright):
    import pdfplumber

    from extractor.load import load_document
    from extractor.pipeline import run_file

    path = _owner_only(tmp_path / "owner.pdf", rotation, upright)
    with pdfplumber.open(path) as pdf:  # what the file is: encrypted, and pdfminer maps none of its CJK text
        assert pdf.doc.encryption
        assert any(c["text"].startswith("(cid:") for c in pdf.pages[0].chars)
    doc = load_document(path)
    assert "平安县卫生健康委员会2025年部门支出总表" in doc.text and "\ufffd" not in doc.text
    assert not doc.notes
    result = run_file(path)
    values = _values(json.loads(result.model_dump_json()))
    assert sorted({Decimal(v) for v in values.values()}) == AMOUNTS
    assert not [f for f in result.flags if f.severity == "error"]


def test_an_owner_password_pdf_pdfium_cannot_read_either_is_refused_naming_the_encryption(tmp_path, monkeypatch):
    from extractor.load import LoadError, load_document
    from extractor.load import pdf as loader

    path = _owner_only(tmp_path / "owner.pdf")
    monkeypatch.setattr(loader.SecondReading, "_chars", lambda self, number, rotation: [])
    with pytest.raises(LoadError) as refused:
        load_document(path)
    message = str(refused.value)
    assert "owner.pdf" in message and "encrypted with an owner password" in message
    assert "fonts' text could not be decoded" in message


# -- a paragraph broken inside a number ----------------------------------------------------------------------------

PARAGRAPH = ("一、关于2025年收支总表的说明",
             ["2025年收入预算3637.28万元，其中：一般公共预算拨款收入3637.",
              "28万元。20",
              "25年支出预算3637.28万元，其中：基本支出1415",
              ".06万元，占38.90%；项目支出2222.22万元，占6",
              "1.10%。"])


def _paragraph_pdf(path: Path) -> Path:
    """A paragraph set a line per source line, at the left margin, each short of the right one: the lines break
    inside numbers (`3637.` / `28万元`, `20` / `25年`, `1415` / `.06`, `6` / `1.10%`), as text hard-wrapped at a count
    of characters prints. The table the sentences restate is on the next page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=PORTRAIT, invariant=1)
    c.setFont("STSong-Light", 16)
    c.drawCentredString(PORTRAIT[0] / 2, 780, "平安县卫生健康委员会2025年部门预算")
    c.setFont("STSong-Light", 10.5)
    heading, lines = PARAGRAPH
    c.drawString(50, 740, heading)
    for i, line in enumerate(lines):
        c.drawString(50, 722 - 18 * i, line)
    c.showPage()
    c.save()
    return path


def test_a_paragraph_broken_inside_a_number_is_joined_and_its_figures_read_whole(tmp_path):
    from extractor.load import load_document
    from extractor.pipeline import run_file

    path = _paragraph_pdf(tmp_path / "narrative.pdf")
    text = load_document(path).text
    joined = "".join(PARAGRAPH[1])
    assert joined in text
    claims = {(c.kind, c.subject, str(c.value.value)) for c in run_file(path).claims}
    assert {("amount", "一般公共预算拨款收入", "3637.28"), ("amount", "基本支出", "1415.06"),
            ("share", "项目支出", "61.10")} <= claims
