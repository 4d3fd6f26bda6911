"""Paragraphs as office suites print them: Chinese and Latin text in two fonts on one line, wrapped with tight
leading, drawn here with reportlab character by character at the places LibreOffice, Word or WPS give them.

Found by a new user (trial 23): a .docx saved as PDF by LibreOffice read its explanation paragraphs interleaved
word by word ("西林县测试局元，政府采购工程预算2024年政府采购预算0万元…"), so its figures were attached to the
wrong subjects and exported unflagged. The suite sets a narrow gap (0.2 em) where Chinese meets Latin letters or
digits, and no space character; the loader cut the lines there, and the pieces of two lines, both starting at the
margin, read as a table of wrapped cells.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

CJK = "STSong-Light"
LATIN = "Times-Roman"  # another font, with other ascent and descent: the glyphs' boxes on one line differ
WIDTH = 400.0  # the text block
LEFT, TOP, PAGE_HEIGHT = 90.0, 90.0, 842.0

TITLE = "西林县测试局2024年部门预算"
PARAGRAPHS = [
    "西林县测试局2024年政府采购预算21.54万元。其中：政府采购货物预算21.54万元，政府采购工程预算0万元，"
    "政府采购服务预算0万元。",
    "卫生健康（类）医疗保障管理事务（款）行政运行（项）2024年预算242.41万元，比2023年预算增加58.91万元，"
    "增长32.10%，增长原因主要是人员经费和项目支出增加。",
    "西林县测试局2024年机关运行经费财政拨款预算75.3万元，比2023年预算减少3万元，下降3.83%，下降原因主要是"
    "严格执行过紧日子要求，压缩一般性支出。",
]


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _autospaced(a: str, b: str) -> bool:
    """Where the suite sets its gap: between a Chinese character and a Latin letter or digit (not next to
    punctuation: 32.10%， and 、2 touch)."""
    return _wide(a) != _wide(b) and a.isalnum() and b.isalnum()


def _tokens(text: str) -> list[str]:
    """What a line breaker keeps together: one Chinese character (with punctuation that may not open a line),
    or a run of Latin letters and digits."""
    out: list[str] = []
    for ch in text:
        if out and (not _wide(ch) and not _wide(out[-1][-1]) or ch in "，。：；、）%"):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _width(token: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(ch, CJK if _wide(ch) else LATIN, size) for ch in token)


def _lines(text: str, size: float, autospace: float) -> list[list[str]]:
    lines, line, used = [], [], 0.0
    for token in _tokens(text):
        extra = autospace * size if line and _autospaced(line[-1][-1], token[0]) else 0.0
        if line and used + extra + _width(token, size) > WIDTH:
            lines.append(line)
            line, used, extra = [], 0.0, 0.0
        line.append(token)
        used += extra + _width(token, size)
    return lines + [line] if line else lines


def _paragraph_pdf(path: Path, size: float = 10.5, leading: float = 1.3, autospace: float = 0.2,
                   justify: bool = False, superscript: bool = False) -> Path:
    """The title and the paragraphs, each line's characters drawn one by one: Chinese in one font, Latin letters
    and digits in another, ``autospace`` em between the two, no space character printed; a justified line's
    slack spread between all its characters; lines ``leading`` × size apart, paragraphs a line apart."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(CJK))
    c = canvas.Canvas(str(path), pagesize=(595.0, PAGE_HEIGHT), invariant=1)
    y = TOP
    for k, text in enumerate([TITLE] + PARAGRAPHS):
        lines = _lines(text, size, autospace)
        for n, line in enumerate(lines):
            chars = [ch for token in line for ch in token]
            natural = sum(_width(ch, size) for ch in chars) + autospace * size * sum(
                1 for a, b in zip(chars, chars[1:]) if _autospaced(a, b))
            spread = (WIDTH - natural) / (len(chars) - 1) if justify and n < len(lines) - 1 else 0.0
            x = LEFT
            for i, ch in enumerate(chars):
                if i and _autospaced(chars[i - 1], ch):
                    x += autospace * size
                c.setFont(CJK if _wide(ch) else LATIN, size)
                c.drawString(x, PAGE_HEIGHT - y - size, ch)
                x += _width(ch, size) + spread
            if superscript and k == 2 and n == 0:  # a note's mark after the line's last word, raised, smaller
                c.setFont(LATIN, 0.6 * size)
                c.drawString(x + autospace * size, PAGE_HEIGHT - y - 0.6 * size, "1")
            y += leading * size
        y += size
    c.showPage()
    c.save()
    return path


CASES = {
    "libreoffice": {},  # 0.2 em where the scripts meet, single spacing
    "word_tight": {"size": 12.0, "leading": 1.15, "autospace": 0.25},
    "browser_autospace": {"autospace": 0.125, "leading": 1.2},
    "justified": {"justify": True},
    "justified_superscript": {"size": 14.0, "justify": True, "superscript": True},
}


@pytest.fixture(params=sorted(CASES))
def paragraph_pdf(request, tmp_path):
    return _paragraph_pdf(tmp_path / f"{request.param}.pdf", **CASES[request.param])


def _text(path: Path) -> str:
    from extractor.load.pdf import load_pdf

    return load_pdf(path, path.read_bytes(), "0" * 64).text


def _as_printed(case: dict) -> list[str]:
    """The title and paragraphs as the page prints them: a note's mark after its first line's last word."""
    out = [TITLE] + PARAGRAPHS
    if case.get("superscript"):
        first = _lines(PARAGRAPHS[1], case.get("size", 10.5), case.get("autospace", 0.2))[0]
        at = len("".join(first))
        out[2] = PARAGRAPHS[1][:at] + "1" + PARAGRAPHS[1][at:]
    return out


def test_a_wrapped_paragraph_in_two_fonts_reads_in_order(paragraph_pdf):
    text = _text(paragraph_pdf)
    assert "\t" not in text  # no line of it read as a table's row
    flat = "".join(text.split())
    for paragraph in _as_printed(CASES[paragraph_pdf.stem]):
        assert paragraph in flat


def test_the_figures_of_a_wrapped_paragraph_keep_their_subjects(paragraph_pdf, tmp_path):
    from extractor.pipeline import run_file

    text_file = tmp_path / "same.txt"
    text_file.write_text("\n".join([TITLE] + PARAGRAPHS) + "\n", encoding="utf-8")

    def claims(path: Path) -> set[tuple[str, str, str, str]]:
        # An unchecked figure's subject is only the words printed before it (a note's mark, 2024年¹预算, is among
        # them in the PDF): its value and status are compared, the subject of every figure compared with something.
        return {(c.kind, c.subject if c.status != "unchecked" else "", c.value.raw, c.status)
                for c in run_file(path).claims}

    expected = claims(text_file)
    assert ("amount", "政府采购服务", "0", "verified") in expected
    assert ("amount", "政府采购货物", "21.54", "verified") in expected
    assert claims(paragraph_pdf) == expected


def test_a_line_of_text_is_one_piece_and_a_row_of_cells_set_close_is_cut():
    """The gap where Chinese meets Latin text does not cut a line of text; on a table's row (two figures set close
    too) the same gap between a code and its name is a cell's edge, as before."""
    from extractor.load.canonical import Glyph
    from extractor.load.layout import group_lines
    from extractor.load.wrapped import pieces

    def line(*runs: tuple[str, float]):
        out = []
        for text, x in runs:
            for ch in text:
                w = 10.0 if _wide(ch) else 5.0
                out.append(Glyph(ch, x, 100, x + w, 110, 10.0, (x, 100, x + w, 110)))
                x += w
        return group_lines(out)[0]

    sentence = line(("测试局", 10), ("2024", 42), ("年预算", 64), ("21.54", 96), ("万元", 123))
    assert [p.text() for p in pieces(sentence)] == ["测试局2024年预算21.54万元"]
    row = line(("2101101", 10), ("行政单位医疗", 47), ("234.56", 109), ("234.56", 140.5))
    assert [p.text() for p in pieces(row)] == ["2101101", "行政单位医疗", "234.56", "234.56"]
