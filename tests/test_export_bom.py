"""CSV and the byte-order mark: one documented rule, and a switch for each way.

A file written with -o begins with a UTF-8 BOM (Excel then opens the Chinese as UTF-8); standard output has none
(it goes to other programs). `--no-bom` and `--bom` turn it off or on. The document is a hand-written fixture.
"""

from __future__ import annotations

import csv

import pytest
from test_cli import cli
from test_review_order import THREE_PUBLIC
from test_review_moves import write


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bom")
    cli("run", write(folder / "docs", "S", THREE_PUBLIC), "--out", folder / "out")
    return folder / "out"


def test_a_csv_file_has_a_bom_for_excel_and_reads_whole_as_utf_8_sig(out, tmp_path):
    path = tmp_path / "facts.csv"
    cli("export", out, "--what", "facts", "--format", "csv", "-o", path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and rows[0]["document"] == "S"


def test_standard_output_has_none_and_each_default_can_be_switched(out, tmp_path):
    plain = cli("export", out, "--what", "facts", "--format", "csv").stdout
    assert plain.startswith("document,")
    assert next(csv.DictReader(plain.splitlines()))["document"] == "S"
    assert cli("export", out, "--format", "csv", "--bom").stdout.startswith("\ufeffdocument,")
    path = tmp_path / "no_bom.csv"
    cli("export", out, "--what", "flags", "--format", "csv", "-o", path, "--no-bom")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    note = cli("export", out, "--format", "jsonl", "--bom")
    assert "applies to csv only" in note.stderr and not note.stdout.startswith("\ufeff")
