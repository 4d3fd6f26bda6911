"""Loading: encodings detected, offsets into the decoded text, and bad input refused with a clear message."""

from __future__ import annotations

import codecs

import pytest

from extractor.load import LoadError, load_document

SAMPLE = "部门预算收支总表\r\n450 三河市医疗保障局\n| 1 | 一、一般公共预算拨款收入 | 10008.09 |\n"


@pytest.mark.parametrize(
    "encoding,prefix,expected",
    [("utf-8", b"", "utf-8"), ("utf-8", codecs.BOM_UTF8, "utf-8-sig"), ("gbk", b"", "gb18030"), ("gb18030", b"", "gb18030")],
)
def test_encodings_decode_to_the_same_text(tmp_path, encoding, prefix, expected):
    path = tmp_path / "doc.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    doc = load_document(path)
    assert doc.text == SAMPLE  # the BOM is not part of the text, and "\r\n" is kept as it is
    assert doc.encoding == expected
    assert doc.text[doc.text.index("10008.09"):][:8] == "10008.09"


def test_sha256_is_of_the_bytes(tmp_path):
    import hashlib

    path = tmp_path / "doc.txt"
    data = SAMPLE.encode("gbk")
    path.write_bytes(data)
    assert load_document(path).sha256 == hashlib.sha256(data).hexdigest()


def _problem(path) -> str:
    with pytest.raises(LoadError) as info:
        load_document(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return info.value.problem


def test_missing_file(tmp_path):
    assert _problem(tmp_path / "nope.txt") == "no such file"


def test_directory(tmp_path):
    assert "directory" in _problem(tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    assert _problem(path) == "empty file"


def test_binary_file(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"\x7fELF\x02\x01\x00\x00\x01\x02\x03binary" * 10)
    assert "binary" in _problem(path)


def test_a_pdf_named_txt_is_read_as_a_pdf(tmp_path):
    """The bytes decide the loader, not the name: a damaged PDF says so, whatever it is called."""
    path = tmp_path / "doc.txt"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02\x03binary" * 10)
    assert _problem(path).startswith("damaged PDF")


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "doc.txt"
    # Not UTF-8, and what GB18030 makes of it is not Chinese text.
    path.write_bytes(bytes(range(0x80, 0x100)) * 4)
    assert "undecodable" in _problem(path)


@pytest.mark.parametrize("encoding,prefix,expected", [("gbk", b"", "gb18030"), ("utf-8", b"", "utf-8"),
                                                      ("utf-8", codecs.BOM_UTF8, "utf-8-sig")])
def test_a_csv_file_reports_the_encoding_it_was_decoded_from(tmp_path, encoding, prefix, expected):
    """docs/result.md: document.encoding is a text or CSV file's detected encoding (the file's kind is geometry.kind)."""
    path = tmp_path / "table.csv"
    path.write_bytes(prefix + "科目编码,科目名称,合计\n210,卫生健康支出,1100.00\n".encode(encoding))
    doc = load_document(path)
    assert doc.encoding == expected
    assert doc.geometry.kind == "csv"
