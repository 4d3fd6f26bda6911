"""Files of kinds budget-extract does not read get one line saying what the file is and how to make one it reads.

The files are made here: OpenDocument text and spreadsheet (a zip with ``mimetype`` and ``content.xml``, as
LibreOffice writes them), a Word 97–2003 .doc under a .docx name (an OLE2 container whose directory, naming the
WordDocument stream, stands past the first 64 KB, as in a .doc with pictures: a hand-made stand-in), a web page.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from extractor.load import LoadError, load_document

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _opendocument(mimetype: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", mimetype)
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


CASES = {
    "budget.odt": (_opendocument("application/vnd.oasis.opendocument.text"), "an OpenDocument file (.odt): save it as .docx"),
    "budget.ods": (_opendocument("application/vnd.oasis.opendocument.spreadsheet"),
                   "an OpenDocument spreadsheet (.ods): save it as .xlsx"),
    "budget.docx": (OLE2 + b"\x00" * 70000 + "WordDocument".encode("utf-16-le") + b"\x00" * 64,
                    "a Word 97–2003 .doc file (named .docx): save it as .docx or PDF"),
    "budget.html": ("<!DOCTYPE html><html><head><title>预算</title></head><body><table><tr><td>合计</td></tr></table>"
                    "</body></html>".encode(), "a web page (HTML), which budget-extract does not read: print it to PDF"),
    "saved_page": (b"<html><head><meta charset='utf-8'></head><body>1</body></html>", "a web page (HTML)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_file_of_another_kind_is_named_for_what_it_is_with_the_way_to_read_it(tmp_path, name):
    data, said = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as err:
        load_document(path)
    assert said in str(err.value) and "zip archive" not in str(err.value) and "XLRDError" not in str(err.value)


def test_markdown_and_text_holding_html_tables_read_them_as_rows(tmp_path):
    path = tmp_path / "mineru.md"
    path.write_text("<html><body><table><tr><td>合计</td><td>5</td></tr></table></body></html>\n", encoding="utf-8")
    assert "合计\t5" in load_document(path).text


def test_a_csv_table_with_no_title_says_how_to_give_it_one(tmp_path):
    """One CSV per table, as table extractors write them: no title row, so no kind; the line says to name the file."""
    from test_cli import cli

    path = tmp_path / "page04_table2.csv"
    path.write_text("科目编码,科目名称,合计,基本支出,项目支出\n208,社会保障和就业支出,5,,5\n,合计,5,,5\n", encoding="utf-8")
    proc = cli("run", path, "--out", tmp_path / "out", check=False)
    line = next(l for l in proc.stderr.splitlines() if "page04_table2.csv" in l)
    assert proc.returncode == 1 and "nothing read" in line and "name the file after it" in line
    named = tmp_path / "西湖示范局2025年支出总表.csv"
    path.rename(named)
    assert cli("run", named, "--out", tmp_path / "out2", check=False).returncode == 0


def test_markdown_tables_in_html_markup_are_read_as_their_cells(tmp_path):
    from extractor.pipeline import run_file

    path = tmp_path / "mineru.md"
    path.write_text("西湖示范局2025年部门预算\n\n## 西湖示范局2025年支出总表\n\n单位：万元\n\n<table><tr><td>科目编码</td><td>科目名称</td>"
                    "<td>合计</td></tr><tr><td>208</td><td>社会保障和就业支出</td><td>5</td></tr></table>\n", encoding="utf-8")
    result = run_file(path)
    assert not result.unread
    assert [(r.code, str(r.values["total"].value)) for t in result.tables for r in t.rows] == [("208", "5")]