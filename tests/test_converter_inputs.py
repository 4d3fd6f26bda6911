"""Inputs that converters and data teams make of a disclosure, and that were misread or not read (trial21c):
a text in two encodings, Markdown with HTML tables, one CSV per table without its title.

Generated from the corpus documents, so that each holds for the kind of input, not for one file.
"""

from __future__ import annotations

import random

import pytest

from extractor.load import LoadError, load_document
from layout_invariance import compare, run_text
from layout_variants import corpus_text

DOCS = ("000", "002", "003")


def _lines_in_other_encoding(text: str, main: str, other: str, seed: str, count: int) -> tuple[bytes, list[int]]:
    """``text`` encoded in ``main`` except ``count`` lines with Chinese in them, chosen at random, in ``other``."""
    lines = text.splitlines(keepends=True)
    chinese = [n for n, line in enumerate(lines) if any("\u4e00" <= ch <= "\u9fff" for ch in line)]
    picked = sorted(random.Random(seed).sample(chinese, count))
    data = b"".join(_encode(line, other if n in picked else main) for n, line in enumerate(lines))
    return data, [n + 1 for n in picked]


def _encode(line: str, encoding: str) -> bytes:
    """GBK as Windows writes it: the few characters outside GBK in GB18030, its superset."""
    return line.encode("gb18030" if encoding == "gbk" else encoding)


@pytest.mark.parametrize("main,other", [("gbk", "utf-8"), ("utf-8", "gbk"), ("gb18030", "utf-8")])
@pytest.mark.parametrize("doc", DOCS)
@pytest.mark.parametrize("count", [1, 3])
def test_a_text_with_lines_in_another_encoding_decodes_each_line_in_its_own_and_says_which(doc, main, other, count,
                                                                                           tmp_path):
    text = corpus_text(doc)
    data, lines = _lines_in_other_encoding(text, main, other, f"{doc}{main}{count}", count)
    assert data.decode("gb18030" if main == "gbk" else main, errors="replace") != text  # the other lines are not the main encoding's
    path = tmp_path / f"{doc}.txt"
    path.write_bytes(data)
    loaded = load_document(path)
    assert loaded.text == text
    (note,) = loaded.notes
    named = "UTF-8" if other == "utf-8" else "GB18030/GBK"
    assert f"{named} at line(s) {', '.join(map(str, lines))}" in note


def test_a_whole_file_in_one_encoding_has_no_note(tmp_path):
    text = corpus_text("003")
    for encoding in ("utf-8", "gbk"):
        path = tmp_path / f"x_{encoding}.txt"
        path.write_bytes(_encode(text, encoding))
        loaded = load_document(path)
        assert loaded.text == text and loaded.notes == ()


def test_a_line_in_neither_encoding_is_still_refused(tmp_path):
    text = corpus_text("003")
    data, _ = _lines_in_other_encoding(text, "gbk", "utf-8", "x", 1)
    path = tmp_path / "x.txt"
    path.write_bytes(data + "行政运行\n".encode("utf-16-le"))
    with pytest.raises(LoadError):
        load_document(path)


@pytest.mark.parametrize("doc", DOCS)
def test_a_gbk_text_with_a_utf8_line_reads_like_the_original(doc, tmp_path):
    text = corpus_text(doc)
    # The lines of a table: a mojibake label there is verified under the wrong name, and its sums blame the document.
    lines = text.splitlines(keepends=True)
    rows = [n for n, line in enumerate(lines)
            if max(line.count("\t"), line.count("|")) >= 4 and any("\u4e00" <= c <= "\u9fff" for c in line)]
    picked = set(random.Random(doc).sample(rows, 2))
    data = b"".join(_encode(line, "utf-8" if n in picked else "gbk") for n, line in enumerate(lines))
    path = tmp_path / f"{doc}.txt"
    path.write_bytes(data)
    original = run_text(f"{doc}_o", text, tmp_path)
    from extractor.pipeline import run_file

    variant = run_file(path)
    cmp = compare(original, type(original)(result=variant, text=load_document(path).text, seconds=0))
    assert cmp.recall == 1.0 and not cmp.extra and not cmp.new_errors, cmp.summary()
