"""Exports: streamed one result at a time, safe to open in a spreadsheet, and in long format for analysts."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DOCS, result_for
from test_cli import cli

# Text a spreadsheet would run as a formula (OWASP's list), in every place a person or a document puts text.
EVIL = {"label": "=SUM(A1:A9)", "indicator": "@SUM(1+1)*cmd|' /C calc'!A0", "other_label": "-2+3",
        "tabbed": "\t=1+1", "reviewer": '=HYPERLINK("http://example.invalid","x")', "note": "+1+cmd|' /C calc'!A0",
        "file": "=cmd"}
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def test_the_summary_counts_the_facts_the_export_gives(doc):
    from extractor.export import count_facts, result_facts

    result = result_for(doc)
    assert count_facts(result) == len(list(result_facts(result)))


@pytest.fixture(scope="module")
def evil(tmp_path_factory) -> Path:
    """Results whose document name, labels, reviewer and note all start like formulas."""
    tmp = tmp_path_factory.mktemp("evil")
    src = tmp / "in"
    src.mkdir()
    shutil.copy(DOCS["000"], src / f"{EVIL['file']}.txt")
    shutil.copy(DOCS["003"], src / "plain.txt")
    out = tmp / "out"
    cli("run", src, "--out", out)
    flags = json.loads(cli("review", "list", "--db", out, "--json").stdout)
    flag = next(f for f in flags if f["document"] == EVIL["file"] and f["check"] == "card.spending_plan")
    cli("review", "accept", flag["id"], "--db", out, "--reviewer", EVIL["reviewer"], "--note", EVIL["note"])
    path = out / f"{EVIL['file']}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data["tables"][1]["rows"]
    rows[0]["label"]["text"], rows[1]["label"]["text"], rows[2]["label"]["text"] = (
        EVIL["label"], EVIL["other_label"], EVIL["tabbed"])
    card = next(c for c in data["cards"] if any(i["value"] for i in c["indicators"]))
    next(i for i in card["indicators"] if i["value"])["name"]["text"] = EVIL["indicator"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _number(text: str) -> bool:
    return bool(re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text))


@pytest.mark.parametrize("what", ["facts", "flags"])
def test_csv_cells_that_look_like_formulas_are_text(evil, what):
    rows = _csv_cells(cli("export", evil, "--what", what, "--format", "csv").stdout)
    risky = [c for row in rows for c in row if c.startswith(TRIGGERS)]
    assert all(_number(c) for c in risky), [c for c in risky if not _number(c)][:5]
    cells = {c for row in rows for c in row}
    assert "'" + EVIL["file"] in cells and EVIL["file"] not in cells
    assert "'" + EVIL["reviewer"] in cells and "'" + EVIL["note"] in cells
    if what == "facts":
        for key in ("label", "other_label", "tabbed", "indicator"):
            assert "'" + EVIL[key] in cells, key
        # Numbers stay numbers: every value is a plain decimal, never quoted.
        header = rows[0]
        values = [row[header.index("value")] for row in rows[1:] if row[header.index("value")]]
        assert values and all(_number(v) for v in values)


def test_xlsx_has_no_formula_and_keeps_the_text(evil, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "r.xlsx"
    cli("export", evil, "--format", "xlsx", "-o", target)
    with zipfile.ZipFile(target) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    wb = load_workbook(target)
    texts = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS) and not _number(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    texts[cell.value] = ws.title
    for key in ("file", "label", "other_label", "tabbed", "indicator", "reviewer", "note"):
        assert EVIL[key] in texts, key
    # The amounts are numbers with the decimals printed.
    sheet = wb["收入总表"]
    numbers = [c for row in sheet.iter_rows(min_row=2) for c in row[6:] if c.value is not None]
    assert numbers and all(isinstance(c.value, (int, float)) and c.data_type == "n" for c in numbers)


def test_a_damaged_result_file_stops_the_export_with_one_line_and_no_file(evil, tmp_path):
    folder = tmp_path / "results"
    shutil.copytree(evil, folder)
    (folder / "zz_broken.json").write_text('{"schema_version": "3", "document": ', encoding="utf-8")
    for fmt in ("csv", "xlsx", "sqlite", "parquet", "duckdb"):
        target = tmp_path / f"out.{fmt}"
        proc = cli("export", folder, "--format", fmt, "-o", target, check=False)
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
        assert "zz_broken.json: not a result file" in proc.stderr and "Traceback" not in proc.stderr
        assert not target.exists() and not list(tmp_path.glob(".out.*"))


@pytest.fixture(scope="module")
def corpus_results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    cli("run", *DOCS.values(), "--out", out)
    return out


def test_parquet_holds_the_long_facts_table_with_exact_decimals(corpus_results, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    facts = [json.loads(line) for line in cli("export", corpus_results).stdout.splitlines()]
    target = tmp_path / "facts.parquet"
    cli("export", corpus_results, "--format", "parquet", "-o", target)
    table = pq.read_table(target)
    assert table.schema.field("value").type == pa.decimal128(38, 10)
    rows = table.to_pylist()
    assert len(rows) == len(facts)
    for fact, row in zip(facts, rows):
        assert (row["document"], row["table_kind"], row["field"], row["status"]) == \
               (fact["document"], fact["table_kind"], fact["field"], fact["status"])
        assert row["value_text"] == fact["value"] == fact["value_text"]
        assert row["value"] == (Decimal(fact["value"]) if fact["value"] is not None else None)
    line = next(r for r in rows if r["document"].startswith("000") and r["table_kind"] == "expenditure_summary"
                and r["row_code"] == "2101501" and r["column_key"] == "total")
    assert (line["department"], line["year"], line["classification"]) == ("三河市医疗保障局", 2024, "functional")
    assert (line["lei_code"], line["lei_name"], line["kuan_code"], line["kuan_name"], line["xiang_code"],
            line["xiang_name"]) == ("210", "卫生健康支出", "21015", "医疗保障管理事务", "2101501", "行政运行")
    assert line["value"] == Decimal("1182.71") and line["unit"] == "万元"
    economic = next(r for r in rows if r["table_kind"] == "general_budget_basic_expenditure" and r["row_code"]
                    and len(r["row_code"]) == 5)
    assert economic["classification"] == "economic" and economic["kuan_code"] == economic["row_code"]
    assert economic["lei_code"] == economic["row_code"][:3] and economic["xiang_code"] is None
    flags = pq.read_table(_export(corpus_results, tmp_path, "parquet", "--what", "flags")).to_pylist()
    assert len(flags) == len(cli("export", corpus_results, "--what", "flags").stdout.splitlines())


def _export(folder: Path, tmp_path: Path, fmt: str, *args) -> Path:
    target = tmp_path / f"{'-'.join(args) or 'all'}.{fmt}"
    cli("export", folder, "--format", fmt, "-o", target, *args)
    return target


def test_duckdb_holds_the_same_facts_as_sqlite(corpus_results, tmp_path):
    import duckdb

    lite = sqlite3.connect(_export(corpus_results, tmp_path, "sqlite"))
    duck = duckdb.connect(str(_export(corpus_results, tmp_path, "duckdb")), read_only=True)
    for table in ("documents", "facts", "flags"):
        assert duck.execute(f"SELECT count(*) FROM {table}").fetchone() == \
               lite.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert duck.execute("SELECT typeof(value) FROM facts LIMIT 1").fetchone() == ("DECIMAL(38,10)",)
    total = duck.execute("SELECT sum(value) FROM facts WHERE unit = '万元'").fetchone()[0]
    assert total == sum(Decimal(v) for (v,) in lite.execute("SELECT value FROM facts WHERE unit = '万元' AND "
                                                             "value IS NOT NULL"))
    by_kind = dict(duck.execute("SELECT table_kind, count(*) FROM facts GROUP BY 1").fetchall())
    assert by_kind == dict(lite.execute('SELECT table_kind, count(*) FROM facts GROUP BY 1').fetchall())


def test_xlsx_says_in_the_row_why_a_table_value_is_coloured(tmp_path):
    """A table value that fails its row's sum is red, and the row's notes name the flag (no cell comments: they
    would be held in memory until the end)."""
    from openpyxl import load_workbook

    from conftest import amount_at, text_for

    amount = amount_at("000", "expenditure_summary[2101501].basic")
    start, end = amount.parts[-1]
    text = text_for("000")
    (tmp_path / "000.txt").write_text(text[:start] + "1182.61" + text[end:], encoding="utf-8")
    cli("run", tmp_path / "000.txt", "--out", tmp_path / "out")
    flag = next(f for f in json.loads(cli("review", "list", "--db", tmp_path / "out", "--json").stdout)
                if f["check"] == "table.row_sum")
    cli("export", tmp_path / "out", "--format", "xlsx", "-o", tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    sheet = wb["支出总表"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "notes 说明"
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("code")].value == "2101501")
    basic = row[header.index("基本支出")]
    assert basic.value == 1182.61 and basic.fill.start_color.rgb.endswith("F8B4B4")
    assert f"flagged: {flag['id']}" in row[-1].value and "基本支出: flagged: " in row[-1].value
    assert not any(c.comment for ws in wb.worksheets for r in ws.iter_rows() for c in r)


def _with_small_file_limit():
    """The export's process may write files of 20 kB at most, as on a disk that fills: writing more fails (EFBIG)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sqlite", "duckdb", "parquet"])
def test_an_export_that_runs_out_of_room_is_one_line_and_leaves_nothing(corpus_results, tmp_path, fmt):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    target = tmp_path / "out" / f"all.{fmt}"
    target.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BUDGET_EXTRACT_"))}
    proc = subprocess.run([sys.executable, "-m", "extractor", "export", str(corpus_results), "--format", fmt,
                           "-o", str(target)], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
                          preexec_fn=_with_small_file_limit)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith(f"error: {target}: cannot be written: ") and proc.stderr.count("\n") == 1, \
        proc.stderr
    assert list(target.parent.iterdir()) == []  # no export, no temporary file, no journal or log beside it


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
def test_the_database_tables_join_on_the_document_column(corpus_results, tmp_path, fmt):
    """An analyst joins documents to facts and flags without aliasing: every table names the document `document`."""
    target = _export(corpus_results, tmp_path, fmt)
    query = ("SELECT d.department, d.year, count(*) FROM facts JOIN documents d USING (document) "
             "GROUP BY d.department, d.year ORDER BY d.department")
    if fmt == "sqlite":
        rows = sqlite3.connect(target).execute(query).fetchall()
    else:
        import duckdb

        rows = duckdb.connect(str(target), read_only=True).execute(query).fetchall()
    facts = cli("export", corpus_results).stdout.count("\n")
    assert sum(n for *_, n in rows) == facts
    assert ("三河市医疗保障局", 2024) in {(department, year) for department, year, _ in rows}
